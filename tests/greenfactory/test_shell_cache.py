"""What every signed-in page pays besides its own work: the session is written at most once a minute (the idle timeout
still holds), and the navigation's counts are kept per user until something changes them."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.inbox import notification_mark_read, notification_send
from greenfactory.kept_forms import TOKEN_PLACE
from tests.helpers import submitted

pytestmark = pytest.mark.django_db


def _sql(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in queries.captured_queries]


def _session_writes(sqls):
    return [sql for sql in sqls if sql.startswith("UPDATE") and "django_session" in sql]


def _badge(content, label):
    """The number in the navigation badge after ``label`` (0 when there is none)."""
    head, _, tail = content.partition(label)
    assert head, label
    badge = tail.split("</a>", 1)[0]
    return int(badge.rsplit('">', 1)[1].split("<")[0]) if "badge" in badge else 0


def test_a_signed_in_page_does_not_write_the_session_again_within_a_minute(client, people):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.force_login(people.city)
        key = client.session.session_key
        for _ in range(3):
            assert _session_writes(_sql(client, reverse("accounts:profile"))) == []
            traveller.shift(timedelta(seconds=15))
        expiry = Session.objects.get(session_key=key).expire_date
        traveller.shift(timedelta(seconds=20))
        assert len(_session_writes(_sql(client, reverse("accounts:profile")))) == 1
        assert Session.objects.get(session_key=key).expire_date - expiry == timedelta(seconds=65)
        assert _session_writes(_sql(client, reverse("accounts:profile"))) == []


def test_a_session_renewed_once_a_minute_still_ends_after_the_idle_timeout(client, people, settings):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.force_login(people.city)
        for _ in range(3):  # busy for a while: each request inside the renewal minute, the session moves along
            traveller.shift(timedelta(seconds=settings.SESSION_COOKIE_AGE // 2))
            assert client.get(reverse("home")).status_code == 200
        traveller.shift(timedelta(seconds=settings.SESSION_COOKIE_AGE + 1))
        response = client.get(reverse("home"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_an_anonymous_page_creates_no_session(client, reference_data):
    client.get(reverse("accounts:login"))
    assert Session.objects.count() == 0


@pytest.fixture
def shell_cache(settings):
    settings.PORTAL_SHELL_CACHE_SECONDS = 60


def _counts(sqls):
    return [sql for sql in sqls if sql.startswith("SELECT COUNT(*)")]


@pytest.mark.usefixtures("pinned_clock")
def test_the_navigation_counts_are_kept_between_a_users_pages(client, people, campaign, shell_cache):
    submitted(campaign, people.enterprise)
    client.force_login(people.district)
    first = _sql(client, reverse("accounts:profile"))
    assert len(_counts(first)) >= 3  # each to-do source and the unread messages
    assert _counts(_sql(client, reverse("accounts:profile"))) == []


@pytest.mark.usefixtures("pinned_clock")
def test_the_navigation_counts_are_recounted_after_a_transition_a_message_or_a_read(client, people, campaign,
                                                                                       shell_cache):
    client.force_login(people.district)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert _badge(page, "入库审核") == 0

    submitted(campaign, people.enterprise)  # another user's transition
    page = client.get(reverse("accounts:profile")).content.decode()
    assert _badge(page, "入库审核") == 1

    unread = _badge(page, 'bi-bell" aria-hidden="true"></i> 消息')
    notification_send(recipients=[people.district], title="新的待办", email=False)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert _badge(page, 'bi-bell" aria-hidden="true"></i> 消息') == unread + 1

    notification_mark_read(user=people.district)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert _badge(page, 'bi-bell" aria-hidden="true"></i> 消息') == 0


def test_kept_counts_expire_after_the_configured_seconds(client, people, campaign, shell_cache):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.force_login(people.district)
        _sql(client, reverse("accounts:profile"))
        traveller.shift(timedelta(seconds=30))
        assert _counts(_sql(client, reverse("accounts:profile"))) == []
        traveller.shift(timedelta(seconds=31))
        assert len(_counts(_sql(client, reverse("accounts:profile")))) >= 3


def test_a_posted_form_drops_every_users_kept_counts(client, people, shell_cache):
    client.force_login(people.district)
    _sql(client, reverse("accounts:profile"))
    other = type(client)()
    other.force_login(people.city)
    other.post(reverse("accounts:inbox_mark_read"), {"notification": ""})
    assert len(_counts(_sql(client, reverse("accounts:profile")))) >= 3


def test_with_the_cache_off_every_page_counts(client, people, settings):
    settings.PORTAL_SHELL_CACHE_SECONDS = 0
    client.force_login(people.district)
    _sql(client, reverse("accounts:profile"))
    assert len(_counts(_sql(client, reverse("accounts:profile")))) >= 3


@pytest.mark.usefixtures("pinned_clock")
def test_the_librarys_targets_are_kept_until_an_admission(client, people, campaign, shell_cache):
    from applications import services

    application = submitted(campaign, people.enterprise)
    client.force_login(people.district)
    url = reverse("applications:library")
    first = _sql(client, url)
    kept = _sql(client, url)
    assert len(kept) < len(first)  # the year's campaigns, targets and admissions are not read again
    services.intake_accept(application=application, actor=people.district)
    page = client.get(url).content.decode()
    assert 'data-district="长寿区"' in page
    row = page.split('data-district="长寿区"', 1)[1].split("</tr>", 1)[0]
    assert '<td class="text-end">1</td>' in row  # admitted: counted at once


@pytest.mark.usefixtures("pinned_clock")
def test_a_case_pages_criteria_scan_and_history_are_kept_until_an_upload_or_a_transition(client, people, campaign,
                                                                                          shell_cache, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from applications import services
    from tests.helpers import pdf_bytes

    application = submitted(campaign, people.enterprise)
    client.force_login(people.enterprise)
    url = reverse("applications:intake_detail", args=[application.public_id])
    first = _sql(client, url)
    kept = _sql(client, url)
    for table in ("django_fsm_log_statelog", "applications_stampedscan", "applications_entrycriterionresult"):
        assert any(table in sql for sql in first) and not any(table in sql for sql in kept), table
    # The district, from the kept record: the decision's forms with the criteria they read.
    district = client.__class__()
    district.force_login(people.district)
    assert 'id="accept-form"' in district.get(url).content.decode()
    assert 'id="accept-form"' in district.get(url).content.decode()
    # A new scan, posted through the portal: the page shows it at once.
    upload = SimpleUploadedFile("第二版扫描件.pdf", pdf_bytes(), content_type="application/pdf")
    client.post(reverse("applications:scan_upload", args=[application.public_id]), {"scan": upload})
    assert "第二版扫描件.pdf" in client.get(url).content.decode()
    # A transition (here the district's, through the service): the history and the case follow at once.
    services.intake_return(application=application, actor=people.district, reason="请补充第三季度数据")
    page = client.get(url).content.decode()
    assert page.count("请补充第三季度数据") == 2  # the current decision on top, and the history
    # The draft saved with another industry through the portal (a form that moves only the enterprise's scopes).
    from accounts.models import Industry
    from tests.helpers import intake_form_data

    application = services.intake_reopen(application=application, actor=people.enterprise)
    other = Industry.objects.exclude(pk=application.industry_id).first()
    client.post(reverse("applications:intake_edit", args=[application.public_id]),
                intake_form_data(application, industry=other.pk))
    assert other.name in client.get(url).content.decode()


@pytest.mark.usefixtures("pinned_clock")
def test_a_company_pages_accounts_and_records_are_kept_until_a_posted_form_or_a_transition(client, people, campaign,
                                                                                           shell_cache):
    from applications import services

    application = submitted(campaign, people.enterprise)
    company = people.enterprise.organisation
    client.force_login(people.district)
    url = reverse("accounts:enterprise_detail", args=[company.public_id])
    first = _sql(client, url)
    kept = _sql(client, url)
    for table in ("accounts_user", "applications_intakeapplication", "applications_libraryentry"):
        assert sum(table in sql for sql in kept) < sum(table in sql for sql in first), table
    # The enterprise adds a colleague through the portal (its form moves its own scopes, not everyone's): the
    # district's page shows the account at once.
    enterprise = client.__class__()
    enterprise.force_login(people.enterprise)
    enterprise.post(reverse("accounts:colleague_create"), {
        "full_name": "赵同事", "phone": "13700001111", "email": "colleague@example.com", "username": "zhao-colleague"})
    assert "赵同事（zhao-colleague）" in client.get(url).content.decode()
    # A transition: the application's state and the library follow at once.
    services.intake_accept(application=application, actor=people.district)
    page = client.get(url).content.decode()
    assert "培育状态：培育中" in page and "已入库" in page


@pytest.mark.usefixtures("pinned_clock")
def test_a_campaign_pages_rows_are_kept_until_an_application_is_started(client, people, campaign, shell_cache):
    client.force_login(people.district)
    url = reverse("applications:campaign_detail", args=[campaign.public_id])
    first = _sql(client, url)
    kept = _sql(client, url)
    assert any("applications_intakeapplication" in sql for sql in first)
    assert not any("applications_intakeapplication" in sql for sql in kept)
    assert "暂无入库申请" in client.get(url).content.decode()
    # The enterprise starts its application through the portal (a form that moves only its own scopes).
    enterprise = client.__class__()
    enterprise.force_login(people.enterprise)
    enterprise.post(reverse("applications:intake_start", args=[campaign.public_id]))
    page = client.get(url).content.decode()
    assert "暂无入库申请" not in page and people.enterprise.organisation.name in page
    # The city closes it early through the portal: the closing, with who closed it, at once.
    city = client.__class__()
    city.force_login(people.city)
    city.post(reverse("applications:campaign_close", args=[campaign.public_id]), {"reason": "本年度名额已满"})
    closing = client.get(url).content.decode().split('id="campaign-closing">', 1)[1].split("</dd>", 1)[0]
    assert f"（{people.city.get_full_name()}）：本年度名额已满" in closing


@pytest.mark.usefixtures("pinned_clock")
def test_the_review_task_pages_case_names_are_kept_for_the_same_tasks(client, people, campaign, shell_cache):
    from applications.choices import ReviewTaskKind
    from applications.services import review as review_tasks

    def assign(application):
        review_tasks.review_task_assign(case=application, actor=people.city, assignee=people.expert,
                                        kind=ReviewTaskKind.EXPERT_REVIEW,
                                        due_on=timezone.localdate() + timedelta(days=10), note="请核对产值")

    assign(submitted(campaign, people.enterprise))
    client.force_login(people.expert)
    url = reverse("applications:review_task_list")
    first = _sql(client, url)
    kept = _sql(client, url)
    assert any("applications_intakeapplication" in sql for sql in first)
    assert not any("applications_intakeapplication" in sql for sql in kept)
    # Another task: another set of cases, read afresh.
    second = submitted(campaign, people.enterprise_2)
    assign(second)
    assert f"{second.company_name}（{campaign.year}）" in client.get(url).content.decode()


@pytest.mark.usefixtures("pinned_clock")
def test_a_campaign_pages_kept_forms_carry_the_views_own_csrf_token(people, campaign, shell_cache):
    import re

    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(people.city)
    url = reverse("applications:campaign_detail", args=[campaign.public_id])
    client.get(url)
    page = client.get(url).content.decode()  # the forms from the kept overview
    form = page.split('id="close-form"', 1)[1].split("</form>", 1)[0]
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', form))
    assert len(tokens) >= 1 and TOKEN_PLACE not in page
    for token in tokens:
        response = client.post(reverse("applications:campaign_close", args=[campaign.public_id]),
                               {"csrfmiddlewaretoken": token, "reason": ""})
        assert response.status_code == 400  # past the CSRF check: the form's own refusal (no reason)


@pytest.mark.usefixtures("pinned_clock")
def test_the_home_to_do_list_is_kept_with_the_counts_and_follows_a_transition(client, people, campaign, shell_cache,
                                                                             settings):
    client.force_login(people.district)
    assert "审核入库申请" not in client.get(reverse("home")).content.decode()
    application = submitted(campaign, people.enterprise)  # another user's transition
    first = _sql(client, reverse("home"))
    assert any("applications_intakeapplication" in sql for sql in first)
    page = client.get(reverse("home")).content.decode()
    assert f"审核入库申请：{application.company_name}" in page
    kept = _sql(client, reverse("home"))
    assert not any("applications_intakeapplication" in sql for sql in kept)  # neither counted nor listed again
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the language switcher's cookie
    assert "审核入库申请" not in client.get(reverse("home")).content.decode()  # kept per language


# --- Whose kept counts a posted form moves (greenfactory.portal.shell_changed with scopes) ---------------------------


def _recounts(client, user):
    """Whether the user's next page counts afresh (the kept counts were moved)."""
    client.force_login(user)
    return bool(_counts(_sql(client, reverse("accounts:profile"))))


def test_an_enterprises_form_moves_its_own_its_districts_and_the_citys_counts_only(client, people, shell_cache):
    from tests.factories import PASSWORD

    others = (people.enterprise, people.enterprise_2, people.district, people.district_2, people.city)
    for user in others:
        _recounts(client, user)
        assert not _recounts(client, user), user  # kept
    poster = type(client)()
    poster.post(reverse("accounts:login"), {"username": people.enterprise.username, "password": PASSWORD})
    assert not any(_recounts(client, user) for user in others)  # signing in changes nothing counted
    # A form the enterprise posts (here refused: nothing saved) may have changed what its unit and district count.
    assert poster.post(reverse("accounts:identity_change_create"), {}).status_code == 200
    moved = {user.username for user in others if _recounts(client, user)}
    assert moved == {people.enterprise.username, people.district.username, people.city.username}


def test_a_district_officials_form_moves_everyones_counts(client, people, shell_cache):
    others = (people.enterprise, people.enterprise_2, people.district_2, people.expert)
    for user in others:
        _recounts(client, user)
    poster = type(client)()
    poster.force_login(people.district)
    poster.post(reverse("accounts:identity_change_queue"), {})  # any form of an official's
    assert all(_recounts(client, user) for user in others)


def test_who_reads_and_moves_which_scopes(people):
    from greenfactory.portal import ANY_SCOPE, shell_scopes_for

    enterprise, district = people.enterprise.organisation, people.district.organisation
    assert shell_scopes_for(people.enterprise).reads == (f"o:{enterprise.pk}",)
    assert shell_scopes_for(people.enterprise).writes == (f"o:{enterprise.pk}", f"d:{enterprise.district_id}")
    assert shell_scopes_for(people.district).reads == (f"d:{district.district_id}",)
    assert shell_scopes_for(people.expert).writes == (f"o:{people.expert.organisation_id}",)  # no district
    for official in (people.district, people.city, people.admin):
        assert shell_scopes_for(official).writes is None  # everyone's
    assert shell_scopes_for(people.city).reads == shell_scopes_for(people.admin).reads == (ANY_SCOPE,)


def test_the_reference_choices_of_a_filter_are_kept_until_any_change(client, people, shell_cache):
    client.force_login(people.city)
    url = reverse("applications:library")

    def reads_reference(sqls):
        return [sql for sql in sqls if 'FROM "accounts_industry"' in sql or 'FROM "accounts_district"' in sql]

    # The districts' and the industries' options (and the year's summary by district, kept as well).
    assert len(reads_reference(_sql(client, url))) >= 2
    assert reads_reference(_sql(client, url)) == []
    other = type(client)()
    other.force_login(people.admin)
    other.post(reverse("accounts:inbox_mark_read"), {"notification": ""})  # an administrator's form: anything
    assert len(reads_reference(_sql(client, url))) >= 2


class _CountingCache:
    """The cache with its reads counted (what ``kept`` asks for, call by call)."""

    def __init__(self, monkeypatch):
        from django.core.cache import cache

        self.asked = []
        original = cache.get_many

        def get_many(keys, *args, **kwargs):
            self.asked.append(list(keys))
            return original(keys, *args, **kwargs)

        monkeypatch.setattr(cache, "get_many", get_many)


def test_within_a_request_the_generations_are_read_once_and_reference_data_is_held(monkeypatch, shell_cache, db):
    from greenfactory import portal

    counting, computed = _CountingCache(monkeypatch), []
    value = lambda: computed.append(1) or ("北碚区",)  # noqa: E731
    portal.request_began()
    try:
        assert portal.kept("test-held", value, local=True) == ("北碚区",)
        assert computed == [1]
        first = counting.asked[-1]
        assert "portal:shell:generation" in first and "portal:shell:scope:any" in first
        # A second request of the process: the generations once, then the held value without asking the cache.
        portal.request_ended()
        portal.request_began()
        counting.asked.clear()
        portal.kept("test-other", lambda: 1, local=True)
        assert portal.kept("test-held", value, local=True) == ("北碚区",)
        assert len(counting.asked) == 1 and computed == [1]
    finally:
        portal.request_ended()


def test_a_change_made_in_the_request_or_elsewhere_drops_the_held_value(shell_cache, db):
    from django.core.cache import cache

    from greenfactory import portal

    computed = []

    def value():
        computed.append(1)
        return len(computed)

    portal.request_began()
    try:
        assert portal.kept("test-moved", value, local=True) == 1
        portal.shell_changed(["o:1"])  # this request's own form
        assert portal.kept("test-moved", value, local=True) == 2
        portal.request_ended()
        cache.set("portal:shell:generation", "moved by another process", None)
        portal.request_began()
        assert portal.kept("test-moved", value, local=True) == 3
        assert portal.kept("test-moved", value, local=True) == 3
        portal.request_ended()
        cache.clear()  # an emptied cache: what the process holds is not believed
        portal.request_began()
        assert portal.kept("test-moved", value, local=True) == 4
    finally:
        portal.request_ended()


def test_outside_a_request_every_kept_value_reads_its_generations(monkeypatch, shell_cache, db):
    from greenfactory import portal

    counting = _CountingCache(monkeypatch)
    portal.kept("test-task", lambda: 1, local=True)
    portal.kept("test-task", lambda: 1, local=True)
    assert [keys[0] for keys in counting.asked] == ["portal:shell:generation", "portal:shell:generation"]


def test_the_calendar_is_kept_until_an_administrator_changes_it(client, people, shell_cache):
    from datetime import date

    from greenfactory import portal
    from greenfactory.models import CalendarYear
    from greenfactory.workdays import is_working_day

    day = date(2026, 12, 1)

    def in_a_request():
        portal.request_began()
        try:
            with CaptureQueriesContext(connection) as queries:
                working = is_working_day(day)
        finally:
            portal.request_ended()
        return working, [q["sql"] for q in queries.captured_queries if 'FROM "greenfactory_calendarday"' in q["sql"]]

    assert in_a_request()[0] is True
    assert in_a_request() == (True, [])  # kept: no query
    admin = type(client)()
    admin.force_login(people.admin)
    year, _ = CalendarYear.objects.get_or_create(year=2026)
    response = admin.post(reverse("admin:greenfactory_calendarday_add"),
                          {"calendar_year": year.pk, "date": "2026-12-01", "kind": "holiday", "name": "测试"})
    assert response.status_code == 302
    working, read = in_a_request()
    assert working is False and len(read) == 1


def _on_its_draft(client, people, campaign) -> str:
    """The enterprise signed in, and the address of its filled-in draft's form."""
    from tests.helpers import filled

    draft = filled(campaign, people.enterprise)
    client.force_login(people.enterprise)
    return reverse("applications:intake_edit", args=[draft.public_id])


@pytest.mark.usefixtures("pinned_clock")
def test_the_intake_forms_industries_are_kept_in_the_process_until_an_officials_change(client, people, campaign,
                                                                                       shell_cache):
    from accounts.models import Industry

    url = _on_its_draft(client, people, campaign)

    def reads_industries(sqls):
        return [sql for sql in sqls if 'FROM "accounts_industry"' in sql]

    _sql(client, url)
    assert reads_industries(_sql(client, url)) == []
    industry = Industry.objects.order_by("pk").first()
    Industry.objects.filter(pk=industry.pk).update(name="改名后的行业")
    other = type(client)()
    other.force_login(people.admin)
    other.post(reverse("accounts:inbox_mark_read"), {"notification": ""})  # an administrator's form: anything
    sqls = _sql(client, url)
    assert len(reads_industries(sqls)) == 1
    assert "改名后的行业" in client.get(url).content.decode()


def test_a_value_kept_in_the_process_is_not_trusted_once_the_cache_is_emptied(people, shell_cache):
    from django.core.cache import cache

    from greenfactory.portal import kept

    assert kept("test:local", lambda: "一", reads=(), local=True) == "一"
    assert kept("test:local", lambda: "二", reads=(), local=True) == "一"
    cache.clear()
    assert kept("test:local", lambda: "三", reads=(), local=True) == "三"


@pytest.mark.usefixtures("pinned_clock")
def test_the_intake_form_shows_a_campaigns_new_deadline_at_once_with_the_campaign_kept(client, people, campaign,
                                                                                       shell_cache):
    url = _on_its_draft(client, people, campaign)
    old = campaign.deadline.isoformat()
    assert old in client.get(url).content.decode()
    assert old in client.get(url).content.decode()  # from the kept campaign
    new = campaign.deadline.replace(day=campaign.deadline.day + 5)
    official = type(client)()
    official.force_login(people.city)
    response = official.post(reverse("applications:campaign_extend", args=[campaign.public_id]),
                             {"deadline": new.isoformat()})
    assert response.status_code == 302
    html = client.get(url).content.decode()
    assert new.isoformat() in html and f"截止日期 {old}" not in html


@pytest.mark.usefixtures("pinned_clock")
def test_the_campaigns_open_to_an_enterprise_are_kept_until_an_official_changes_one(client, people, campaign,
                                                                                   shell_cache):
    def reads_campaigns(sqls):
        return [sql for sql in sqls if sql.startswith("SELECT") and 'FROM "applications_cultivationcampaign"' in sql]

    client.force_login(people.enterprise)
    home = reverse("home")
    _sql(client, home)
    assert reads_campaigns(_sql(client, home)) == []
    assert "立即申报" in client.get(home).content.decode()
    city = type(client)()
    city.force_login(people.city)
    response = city.post(reverse("applications:campaign_close", args=[campaign.public_id]), {"reason": "提前结束测试"})
    assert response.status_code == 302
    assert len(reads_campaigns(_sql(client, home))) == 1
    assert "立即申报" not in client.get(home).content.decode()


def test_reference_data_follows_its_rows_and_officials_forms_not_every_transition(client, people, shell_cache):
    from accounts.models import District
    from greenfactory import portal

    def names():
        return portal.reference_data("test:district-names", lambda: dict(District.objects.values_list("pk", "name")))

    district = people.district.organisation.district
    with CaptureQueriesContext(connection) as first:
        assert names()[district.pk] == district.name
    assert len(first.captured_queries) == 1
    portal.shell_changed()  # a transition or a message somewhere: not reference data
    with CaptureQueriesContext(connection) as again:
        assert names()[district.pk] == district.name
    assert again.captured_queries == []
    district.name = "测试区"
    district.save(update_fields=["name"])  # an administrator's edit (a model signal)
    assert names()[district.pk] == "测试区"
    District.objects.filter(pk=district.pk).update(name="再改名区")  # no signal: seen after an official's form
    assert names()[district.pk] == "测试区"
    client.force_login(people.city)
    client.post(reverse("accounts:inbox_mark_read"), {"notification": ""})
    assert names()[district.pk] == "再改名区"


def test_values_expected_ahead_come_with_the_requests_first_round_trip(monkeypatch, shell_cache, db):
    from greenfactory import portal

    counting, computed = _CountingCache(monkeypatch), []
    portal.request_began()
    try:
        portal.expect_kept("test-total", "test-summary")
        portal.kept("test-first", lambda: 0)
        assert len(counting.asked) == 1
        assert {"portal:kept:test-total", "portal:kept:test-summary"} <= set(counting.asked[0])
        assert portal.kept("test-total", lambda: computed.append("total") or 7) == 7
        assert portal.kept("test-summary", lambda: computed.append("summary") or 8) == 8
        assert len(counting.asked) == 1 and computed == ["total", "summary"]  # not in the cache yet: computed
        portal.request_ended()
        portal.request_began()
        counting.asked.clear()
        portal.expect_kept("test-total", "test-summary")
        portal.kept("test-first", lambda: 0)
        assert portal.kept("test-total", lambda: computed.append("again") or 0) == 7
        assert portal.kept("test-summary", lambda: computed.append("again") or 0) == 8
        assert len(counting.asked) == 1 and "again" not in computed
    finally:
        portal.request_ended()


@pytest.mark.usefixtures("pinned_clock")
def test_the_librarys_total_is_kept_until_an_admission(client, people, campaign, shell_cache):
    from applications import services

    application = submitted(campaign, people.enterprise)
    client.force_login(people.city)
    url = reverse("applications:library")

    def totals(sqls):
        return [sql for sql in sqls if sql.startswith("SELECT COUNT(*)") and "applications_libraryentry" in sql]

    assert len(totals(_sql(client, url))) == 1
    assert totals(_sql(client, url)) == []
    assert totals(_sql(client, f"{url}?sector=chemicals")) != []  # another filter, another total
    services.intake_accept(application=application, actor=people.district)
    sqls = _sql(client, url)
    assert len(totals(sqls)) == 1  # counted again after the admission
    assert application.company_name in client.get(url).content.decode()


@pytest.mark.usefixtures("pinned_clock")
def test_a_filters_kept_markup_follows_the_form_each_role_is_given(client, people, shell_cache):
    url = reverse("applications:library")
    client.force_login(people.city)
    assert 'name="district"' in client.get(url).content.decode()
    assert 'name="district"' in client.get(url).content.decode()
    chosen = client.get(f"{url}?sector=chemicals").content.decode()
    assert 'value="chemicals" selected' in chosen
    other = type(client)()
    other.force_login(people.district)  # the same filters, without the district's choice
    assert 'name="district"' not in other.get(url).content.decode()
    wrong = client.get(f"{url}?year=abc").content.decode()  # an invalid filter is written with its error, not kept
    assert "is-invalid" in wrong


def _totals_of(table, sqls):
    return [sql for sql in sqls if sql.startswith("SELECT COUNT(") and f'"{table}"' in sql.split("WHERE")[0]]


@pytest.mark.usefixtures("pinned_clock")
def test_the_accounts_and_the_directorys_totals_are_kept_until_a_posted_form(client, people, shell_cache):
    client.force_login(people.city)
    accounts, directory = reverse("accounts:account_list"), reverse("accounts:enterprise_list")
    assert len(_totals_of("accounts_user", _sql(client, accounts))) == 1
    assert len(_totals_of("accounts_organisation", _sql(client, directory))) == 1
    assert _totals_of("accounts_user", _sql(client, accounts)) == []
    assert _totals_of("accounts_organisation", _sql(client, directory)) == []
    assert len(_totals_of("accounts_user", _sql(client, f"{accounts}?role=district"))) == 1  # another filter

    response = client.post(reverse("accounts:account_create"), {
        "role": "district", "district": people.district.district_id, "full_name": "钱七", "phone": "023-67001234",
        "email": "qianqi@example.com", "username": "kept-total-official"})
    assert response.status_code == 200
    sqls = _sql(client, accounts)
    assert len(_totals_of("accounts_user", sqls)) == 1  # counted again after the city's form
    assert len(_totals_of("accounts_organisation", _sql(client, directory))) == 1
    assert "kept-total-official" in client.get(f"{accounts}?q=kept-total").content.decode()


@pytest.mark.usefixtures("pinned_clock")
def test_a_requests_history_is_kept_until_its_next_transition(client, people, shell_cache):
    from accounts.services import identity as services

    change = _name_change(people, "重庆长寿一号新材料有限公司")
    client.force_login(people.district)
    url = reverse("accounts:identity_change_detail", args=[change.public_id])

    def reads_history(sqls):
        return [sql for sql in sqls if 'FROM "django_fsm_log_statelog"' in sql]

    assert "暂无记录" in client.get(url).content.decode()
    assert reads_history(_sql(client, url)) == []  # kept
    services.identity_change_approve(change=change, actor=people.district)
    sqls = _sql(client, url)
    assert len(reads_history(sqls)) == 1
    page = client.get(url).content.decode()
    assert "暂无记录" not in page and "已通过" in page.split("办理记录", 1)[1]


@pytest.mark.usefixtures("pinned_clock")
def test_the_inboxs_total_and_email_choices_are_kept_until_a_message_or_the_users_form(client, people, shell_cache):
    from accounts.models import MessageKind

    client.force_login(people.enterprise)
    url = reverse("accounts:inbox")

    def reads(sqls):
        return (_totals_of("accounts_notification", [s for s in sqls if "read_at" not in s]),
                [s for s in sqls if 'FROM "accounts_emailpreference"' in s])

    first = reads(_sql(client, url))
    assert len(first[0]) == 1 and len(first[1]) == 1
    assert reads(_sql(client, url)) == ([], [])
    notification_send(recipients=[people.enterprise], title="新的通知", email=False)
    totals, _choices = reads(_sql(client, url))
    assert len(totals) == 1  # a message: counted again
    assert "新的通知" in client.get(url).content.decode()
    kind = MessageKind.values[0]
    client.post(reverse("accounts:email_preferences"), {})  # every box unticked
    page = client.get(url).content.decode()
    assert f'name="{kind}" id="id_{kind}" checked' not in page and f'name="{kind}" id="id_{kind}">' in page


@pytest.mark.usefixtures("pinned_clock")
def test_the_audit_logs_capped_total_is_kept_until_a_change(client, people, campaign, shell_cache):
    client.force_login(people.city)
    url = reverse("accounts:audit_log")
    assert len(_totals_of("accounts_auditevent", _sql(client, url))) == 1
    assert _totals_of("accounts_auditevent", _sql(client, url)) == []
    submitted(campaign, people.enterprise)  # a transition, and its audit event
    assert len(_totals_of("accounts_auditevent", _sql(client, url))) == 1


@pytest.mark.usefixtures("pinned_clock")
def test_a_drafts_form_is_kept_until_its_unit_saves_it_and_carries_no_token(client, people, campaign, shell_cache):
    from applications.models import IntakeApplication

    client.force_login(people.enterprise)
    client.post(reverse("applications:intake_start", args=[campaign.public_id]))
    application = IntakeApplication.objects.get()
    url = reverse("applications:intake_edit", args=[application.public_id])

    def reads_industries(sqls):
        return [sql for sql in sqls if 'FROM "accounts_industry"' in sql]

    page = client.get(url).content.decode()
    intake_form = page.split('<form method="post" novalidate>', 1)[1].split("</form>", 1)[0]
    assert intake_form.count('name="csrfmiddlewaretoken"') == 1  # the view's own, not one kept with the markup
    assert reads_industries(_sql(client, url)) == []  # the form's markup (its industry options) is kept
    form = {f: getattr(application, f) for f in ("company_name", "address", "ownership_type", "credit_code",
                                                 "postal_code", "main_products")}
    client.post(url, {**form, "industry": application.industry_id, "main_products": "保留的新产品", "save": "1"})
    page = client.get(url).content.decode()
    assert "保留的新产品" in page  # the saved draft, not the kept form of before
    other = type(client)()
    other.force_login(people.enterprise)
    other.cookies["django_language"] = "en"
    assert "保留的新产品" in other.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()


@pytest.mark.usefixtures("pinned_clock")
def test_the_homes_panels_and_messages_are_kept_and_follow_a_message_and_the_units_form(client, people, campaign,
                                                                                       shell_cache):
    client.force_login(people.enterprise)
    home = reverse("home")
    page = client.get(home).content.decode()
    assert "第一条提醒" not in page
    assert [s for s in _sql(client, home) if 'FROM "accounts_deadline"' in s] == []  # the clocks: kept
    notification_send(recipients=[people.enterprise], title="第一条提醒", email=False)
    assert "第一条提醒" in client.get(home).content.decode()  # a message: at once
    client.post(reverse("applications:intake_start", args=[campaign.public_id]))  # the unit's own form
    page = client.get(home).content.decode()
    assert reverse("applications:intake_detail", args=[campaign.applications.get().public_id]) in page
    assert "本单位申请：草稿" in page  # the panel's state of the new draft, not the kept "立即申报"


@pytest.mark.usefixtures("pinned_clock")
def test_a_kept_refusal_box_posts_with_the_views_own_token(people, shell_cache):
    import re

    from django.test import Client

    from accounts.models import IdentityChangeStatus

    change = _name_change(people, "重庆长寿一号新材料有限公司")
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.district)
    url = reverse("accounts:identity_change_detail", args=[change.public_id])
    client.get(url)
    page = client.get(url).content.decode()  # the reason box from the process's kept markup
    form = page.split('id="refuse-button"', 1)[0].rsplit("<form", 1)[1]
    assert TOKEN_PLACE not in page and 'name="reason"' in form
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    action = re.search(r'action="([^"]+)"', form).group(1)
    assert client.post(action, {"csrfmiddlewaretoken": token, "reason": "名称与营业执照不符"}).status_code == 302
    change.refresh_from_db()
    assert change.status == IdentityChangeStatus.REFUSED


@pytest.mark.usefixtures("pinned_clock")
def test_the_audit_logs_kept_rows_follow_its_events_at_once(client, people, shell_cache):
    from accounts.audit import audit_record
    from accounts.models import AuditAction

    client.force_login(people.city)
    url = reverse("accounts:audit_log")
    client.get(url)
    assert "第三方登录探测" not in client.get(url).content.decode()
    audit_record(action=AuditAction.ACCESS_DENIED, actor=None, detail={"kind": "第三方登录探测"})
    assert "第三方登录探测" in client.get(url).content.decode()  # a new event: new rows on the page, written anew


@pytest.mark.usefixtures("pinned_clock")
def test_kept_rows_of_the_directory_follow_a_change_of_name_at_once(client, people, shell_cache):
    from accounts.services import identity as services

    client.force_login(people.city)
    url = reverse("accounts:enterprise_list")
    client.get(url)
    assert "重庆长寿更名后新材料有限公司" not in client.get(url).content.decode()
    change = _name_change(people, "重庆长寿更名后新材料有限公司")
    services.identity_change_approve(change=change, actor=people.district)
    assert "重庆长寿更名后新材料有限公司" in client.get(url).content.decode()  # other values: other rows, written anew


def test_a_refusal_box_inside_its_page_form_carries_one_token(client, people):

    change = _name_change(people, "重庆长寿一号新材料有限公司")
    client.force_login(people.district)
    page = client.get(reverse("accounts:identity_change_detail", args=[change.public_id])).content.decode()
    form = page.split('id="refuse-button"', 1)[0].rsplit("<form", 1)[1]
    assert form.count('name="csrfmiddlewaretoken"') == 1


def _name_change(people, new_name="重庆长寿一号新材料有限公司"):
    """The enterprise asks to change its registered name (its credit code kept)."""
    from accounts.services import identity

    return identity.identity_change_request(actor=people.enterprise, new_name=new_name,
                                            new_credit_code=people.enterprise.organisation.credit_code, reason="更名")
