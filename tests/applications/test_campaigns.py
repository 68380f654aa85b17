"""A published campaign opened, corrected, extended and closed early in the portal: who may, what is audited, what
the enterprises are told, and what the targets read before, during and after the campaign."""

import re
import threading
from datetime import date, datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AuditAction, AuditEvent, Notification
from applications import services
from applications.models import CampaignTarget, CultivationCampaign, IntakeApplication, IntakeStatus
from greenfactory.kept_forms import TOKEN_PLACE
from greenfactory.workflow import TransitionConflict
from tests.factories import EnterpriseFactory, UserFactory, district
from tests.helpers import SHANGHAI, filled, submitted

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_clock")]


@pytest.fixture
def coming(people):
    """The city's campaign, published but not yet open on NOW: every field may still be corrected."""
    return CultivationCampaign.objects.create(
        year=2026, title="2026年绿色工厂培育工作", opens_on=date(2026, 3, 5), deadline=date(2026, 3, 15),
        key_sectors=["chemicals"], created_by=people.city,
    )


@pytest.fixture
def yubei_campaign(people):
    """渝北区's own campaign (another year: the city's covers 2026)."""
    return CultivationCampaign.objects.create(
        year=2027, title="渝北区2027年培育", district=district("渝北区"), opens_on=date(2026, 4, 1),
        deadline=date(2026, 5, 30), created_by=people.district_2,
    )


def page(client, user, campaign):
    client.force_login(user)
    return client.get(reverse("applications:campaign_detail", args=[campaign.public_id]))


def audits(campaign):
    # A campaign has no state machine: its corrections, extensions and closing are changes, not transitions.
    return list(AuditEvent.objects.filter(object_id=str(campaign.public_id), action=AuditAction.CHANGED)
                .filter(detail__has_key="campaign").order_by("id"))


# --- Who sees the page --------------------------------------------------------------------------------------------


def test_the_city_opens_any_campaign_page_with_its_applications_and_targets(client, people, campaign, yubei_campaign):
    services.intake_accept(application=submitted(campaign, people.enterprise), actor=people.district)
    filled(campaign, people.enterprise_2)
    response = page(client, people.city, campaign)
    html = response.content.decode()
    assert response.status_code == 200
    assert people.enterprise.organisation.name in html and people.enterprise_2.organisation.name in html
    states = {row["status"]: row["count"] for row in response.context["overview"]["states"]}
    assert states[IntakeStatus.ACCEPTED] == 1 and states[IntakeStatus.DRAFT] == 1
    targets = {row["district"].name: row for row in response.context["overview"]["targets"]}
    assert len(targets) == 41
    assert targets["长寿区"]["count"] == 1 and targets["长寿区"]["target"] == 10
    assert page(client, people.city, yubei_campaign).status_code == 200


def test_a_district_sees_its_own_campaign_and_the_citys_but_not_another_districts(
        client, people, campaign, yubei_campaign):
    filled(campaign, people.enterprise)
    filled(campaign, people.enterprise_2)
    assert page(client, people.district_2, yubei_campaign).status_code == 200
    assert page(client, people.district, yubei_campaign).status_code == 404
    # The city's campaign, limited to the district's own applications and target.
    response = page(client, people.district, campaign)
    html = response.content.decode()
    assert people.enterprise.organisation.name in html
    assert people.enterprise_2.organisation.name not in html
    assert [row["district"].name for row in response.context["overview"]["targets"]] == ["长寿区"]
    # It may read it, not change it.
    assert not response.context["can_correct"] and not response.context["can_close"]
    assert "campaign_edit" not in html and reverse("applications:campaign_edit", args=[campaign.public_id]) not in html


@pytest.mark.parametrize("role", ["enterprise", "enterprise_2", "park", "expert", "evaluator", "department"])
def test_roles_without_need_are_refused_the_campaign_page_and_its_actions(client, people, campaign, role):
    client.force_login(getattr(people, role))
    args = [campaign.public_id]
    assert client.get(reverse("applications:campaign_detail", args=args)).status_code == 403
    assert client.get(reverse("applications:campaign_edit", args=args)).status_code == 403
    assert client.post(reverse("applications:campaign_extend", args=args),
                       {"deadline": "2026-04-30"}).status_code == 403
    assert client.post(reverse("applications:campaign_close", args=args), {"reason": "测试"}).status_code == 403
    campaign.refresh_from_db()
    assert campaign.deadline == date(2026, 3, 15) and campaign.closed_at is None


def test_a_district_cannot_change_the_citys_campaign_or_another_districts(client, people, campaign, yubei_campaign):
    client.force_login(people.district)
    assert client.post(reverse("applications:campaign_extend", args=[campaign.public_id]),
                       {"deadline": "2026-04-30"}).status_code == 403
    assert client.post(reverse("applications:campaign_close", args=[campaign.public_id]),
                       {"reason": "测试"}).status_code == 403
    assert client.post(reverse("applications:campaign_close", args=[yubei_campaign.public_id]),
                       {"reason": "测试"}).status_code == 404
    assert client.get(reverse("applications:campaign_edit", args=[yubei_campaign.public_id])).status_code == 404
    campaign.refresh_from_db()
    yubei_campaign.refresh_from_db()
    assert campaign.closed_at is None and yubei_campaign.closed_at is None
    with pytest.raises(PermissionDenied):
        services.campaign_update(campaign=campaign, actor=people.district, changes={"title": "改"})


def test_the_campaign_list_links_each_campaign_page_for_officials_only(client, people, campaign, yubei_campaign):
    url = f'href="{reverse("applications:campaign_detail", args=[campaign.public_id])}"'
    for role in ("city", "district"):
        client.force_login(getattr(people, role))
        assert url in client.get(reverse("applications:campaign_list")).content.decode()
    client.force_login(people.district_2)
    assert reverse("applications:campaign_detail", args=[yubei_campaign.public_id]) in \
        client.get(reverse("applications:campaign_list")).content.decode()
    client.force_login(people.enterprise)
    assert url not in client.get(reverse("applications:campaign_list")).content.decode()


# --- Before, during and after ---------------------------------------------------------------------------------------


def test_a_campaign_not_yet_open_reads_not_started_and_never_missed(client, people, yubei_campaign):
    client.force_login(people.district_2)
    listing = client.get(reverse("applications:campaign_list")).content.decode()
    assert "尚未开始，2026-04-01 开始" in listing
    html = page(client, people.district_2, yubei_campaign).content.decode()
    assert "尚未开始" in html and "2026-04-01 开始" in html
    assert "未达目标" not in html


def test_targets_read_in_progress_while_open_and_met_or_missed_after_the_deadline(client, people, campaign):
    services.intake_accept(application=submitted(campaign, people.enterprise), actor=people.district)
    services.campaign_update(campaign=campaign, actor=people.city, changes={},
                             targets={district("长寿区"): 1})
    html = page(client, people.city, campaign).content.decode()
    assert "未达目标" not in html
    targets = {row["district"].name: row for row in page(client, people.city, campaign).context["overview"]["targets"]}
    assert targets["长寿区"]["label"] == "已达目标"
    assert targets["渝北区"]["label"] == "进行中"
    with time_machine.travel(datetime(2026, 3, 16, 9, 0, tzinfo=SHANGHAI), tick=False):
        response = page(client, people.city, campaign)
        targets = {row["district"].name: row for row in response.context["overview"]["targets"]}
        assert targets["渝北区"]["label"] == "未达目标"
        assert targets["长寿区"]["label"] == "已达目标"
        assert "已截止" in response.content.decode()


# --- Correcting ----------------------------------------------------------------------------------------------------


def _form(client, campaign):
    """The correction form as the official's browser would post it back (with the values it was shown)."""
    response = client.get(reverse("applications:campaign_edit", args=[campaign.public_id]))
    assert response.status_code == 200
    return {name: values[0] if len(values) == 1 else values
            for name, values in _posted_by_the_browser(response.content.decode()).items()}


def test_the_city_corrects_dates_wording_sectors_and_a_target_audited_before_and_after(client, people, coming):
    campaign = coming
    client.force_login(people.city)
    data = _form(client, campaign)
    yubei = district("渝北区")
    data.update({"title": "2026年绿色工厂培育工作（更正）", "document_number": "渝经信发〔2026〕8号",
                 "deadline": "2026-03-20", "key_sectors": ["chemicals", "automotive"], f"target_{yubei.pk}": "15",
                 # Not correctable: ignored.
                 "year": "2030", "district": str(district("长寿区").pk)})
    response = client.post(reverse("applications:campaign_edit", args=[campaign.public_id]), data)
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.title == "2026年绿色工厂培育工作（更正）"
    assert campaign.deadline == date(2026, 3, 20)
    assert campaign.key_sectors == ["chemicals", "automotive"]
    assert (campaign.year, campaign.district_id) == (2026, None)
    assert CampaignTarget.objects.get(campaign=campaign, district=yubei).target == 15
    assert CampaignTarget.objects.count() == 1  # the 40 districts left alone keep the default
    [event] = audits(campaign)
    assert event.detail["changes"] == {
        "title": ["2026年绿色工厂培育工作", "2026年绿色工厂培育工作（更正）"],
        "document_number": ["", "渝经信发〔2026〕8号"],
        "deadline": ["2026-03-15", "2026-03-20"],
        "key_sectors": [["chemicals"], ["chemicals", "automotive"]],
        "target:渝北区": [10, 15],
    }


def test_two_corrections_from_the_same_page_both_stand(client, people, campaign):
    """Two officials open the form at the same time; one corrects the title, the other a target: neither loses the
    other's change."""
    client.force_login(people.city)
    first = _form(client, campaign)
    second = dict(first)
    first["title"] = "更正后的名称"
    second[f"target_{district('长寿区').pk}"] = "12"
    url = reverse("applications:campaign_edit", args=[campaign.public_id])
    assert client.post(url, first).status_code == 302
    assert client.post(url, second).status_code == 302
    campaign.refresh_from_db()
    assert campaign.title == "更正后的名称"
    assert campaign.target_for(district("长寿区")) == 12
    assert [list(e.detail["changes"]) for e in audits(campaign)] == [["title"], ["target:长寿区"]]


@pytest.fixture
def changshou_campaign(people):
    """长寿区's own campaign, published but not yet open on NOW: its district and the city may both correct every
    field of it (once open, its dates move only through extending or closing)."""
    return CultivationCampaign.objects.create(
        year=2027, title="长寿区2027年培育", district=district("长寿区"), opens_on=date(2026, 3, 5),
        deadline=date(2026, 3, 15), key_sectors=["chemicals"], created_by=people.district)


@pytest.mark.parametrize(("field", "first_value", "second_value", "label", "shown"), [
    ("title", "区县的更正", "市里的更正", "名称", "“区县的更正”"),
    ("deadline", "2026-03-20", "2026-03-25", "截止日期", "“2026-03-20”"),
    ("key_sectors", ["chemicals", "automotive"], ["chemicals", "energy"], "重点行业", "汽车"),
    ("target", "12", "15", "长寿区入库目标", "现为12家"),
])
def test_a_correction_of_a_value_someone_changed_meanwhile_is_refused_with_409(
        client, people, changshou_campaign, field, first_value, second_value, label, shown):
    """The district and the city open the form on the same values and change the same thing: the later one is told
    who won with what, instead of overwriting it without a word."""
    campaign = changshou_campaign
    name = f"target_{district('长寿区').pk}" if field == "target" else field
    city = client
    city.force_login(people.city)
    city_form = _form(city, campaign)
    district_client = type(client)()
    district_client.force_login(people.district)
    district_form = _form(district_client, campaign)
    url = reverse("applications:campaign_edit", args=[campaign.public_id])
    district_form[name] = first_value
    assert district_client.post(url, district_form).status_code == 302
    city_form[name] = second_value
    city_form["document_number"] = "渝经信发〔2026〕9号"  # changed too: refused with the rest of the correction
    response = city.post(url, city_form)
    assert response.status_code == 409
    html = response.content.decode()
    assert label in html and shown in html and "您的修改均未保存" in html
    assert f'href="{url}"' in html
    campaign.refresh_from_db()
    assert campaign.document_number == ""
    [event] = audits(campaign)
    assert event.actor == people.district


def test_a_correction_of_a_value_nobody_else_changed_still_goes_through_after_another_correction(
        client, people, coming):
    campaign = coming
    client.force_login(people.city)
    stale = _form(client, campaign)
    fresh = dict(stale)
    fresh["title"] = "先改名称"
    url = reverse("applications:campaign_edit", args=[campaign.public_id])
    assert client.post(url, fresh).status_code == 302
    stale["deadline"] = "2026-03-20"  # the page was opened before the title changed; the deadline did not
    assert client.post(url, stale).status_code == 302
    campaign.refresh_from_db()
    assert (campaign.title, campaign.deadline) == ("先改名称", date(2026, 3, 20))


def test_the_service_refuses_a_change_whose_seen_value_no_longer_holds(people, changshou_campaign):
    campaign = changshou_campaign
    services.campaign_update(campaign=campaign, actor=people.city, changes={"title": "甲"},
                             seen={"title": "长寿区2027年培育"})
    with pytest.raises(TransitionConflict) as error:
        services.campaign_update(campaign=campaign, actor=people.district, changes={"title": "乙"},
                                 seen={"title": "长寿区2027年培育"})
    assert "“名称”现为“甲”" in error.value.message
    with pytest.raises(TransitionConflict):
        services.campaign_update(campaign=campaign, actor=people.city, changes={}, targets={district("长寿区"): 9},
                                 seen_targets={district("长寿区"): 7})
    campaign.refresh_from_db()
    assert campaign.title == "甲" and campaign.target_for(district("长寿区")) == 10


@pytest.mark.parametrize(("changes", "message"), [
    ({"opens_on": "2026-03-20", "deadline": "2026-03-18"}, "截止日期不能早于开始日期"),
    ({"target": "0"}, "长寿区的入库目标至少为1家"),
    ({"target": "1001"}, "长寿区的入库目标不能超过1000家"),
    ({"default_target": "0"}, None),
    ({"title": ""}, None),
])
def test_a_correction_out_of_bounds_is_refused_with_a_message(client, people, coming, changes, message):
    campaign = coming
    client.force_login(people.city)
    data = _form(client, campaign)
    for key, value in changes.items():
        data[f"target_{district('长寿区').pk}" if key == "target" else key] = value
    response = client.post(reverse("applications:campaign_edit", args=[campaign.public_id]), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert message is None or message in response.content.decode()
    assert audits(campaign) == []


def test_the_one_campaign_per_district_and_year_rule_and_deadline_rule_hold_in_the_service(people, campaign):
    with pytest.raises(ValidationError):
        services.campaign_update(campaign=campaign, actor=people.city, changes={"deadline": date(2026, 2, 1)})
    with pytest.raises(ValidationError):
        services.campaign_update(campaign=campaign, actor=people.city, changes={"year": 2027})
    with pytest.raises(ValidationError):
        services.campaign_update(campaign=campaign, actor=people.city, changes={}, targets={district("长寿区"): 5000})
    campaign.refresh_from_db()
    assert campaign.deadline == date(2026, 3, 15) and campaign.year == 2026


def test_a_campaign_over_cannot_be_corrected(client, people, campaign):
    services.campaign_close(campaign=campaign, actor=people.city, reason="目标已完成")
    with pytest.raises(TransitionConflict):
        services.campaign_update(campaign=campaign, actor=people.city, changes={"title": "改"})
    client.force_login(people.city)
    response = client.get(reverse("applications:campaign_edit", args=[campaign.public_id]), follow=True)
    assert "已结束，不能再修改" in response.content.decode()


# --- Extending -----------------------------------------------------------------------------------------------------


def test_extending_the_deadline_is_audited_and_tells_enterprises_still_filling_in(client, people, campaign):
    filled(campaign, people.enterprise)  # a draft: told
    submitted(campaign, people.enterprise_2)  # submitted: nothing to do
    client.force_login(people.city)
    response = client.post(reverse("applications:campaign_extend", args=[campaign.public_id]),
                           {"deadline": "2026-03-31"})
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.deadline == date(2026, 3, 31)
    [event] = audits(campaign)
    assert event.detail["changes"] == {"deadline": ["2026-03-15", "2026-03-31"]}
    assert Notification.objects.filter(recipient=people.enterprise, title__contains="2026-03-31").count() == 1
    assert not Notification.objects.filter(recipient=people.enterprise_2, title__contains="截止日期延至").exists()


def test_a_deadline_is_only_extended_later(client, people, campaign):
    client.force_login(people.city)
    response = client.post(reverse("applications:campaign_extend", args=[campaign.public_id]),
                           {"deadline": "2026-03-10"})
    assert response.status_code == 400
    assert "新的截止日期应晚于原截止日期" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.deadline == date(2026, 3, 15)


# --- Closing early -------------------------------------------------------------------------------------------------


def test_closing_early_needs_a_reason_and_then_refuses_submissions_naming_the_closing(client, people, campaign):
    application = filled(campaign, people.enterprise)
    client.force_login(people.city)
    url = reverse("applications:campaign_close", args=[campaign.public_id])
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 400
    assert "请填写“提前结束原因”。" in response.content.decode()
    assert client.post(url, {"reason": "x" * 501}).status_code == 400
    assert client.post(url, {"reason": "本年度名额已满"}).status_code == 302
    campaign.refresh_from_db()
    assert campaign.closed_at is not None and campaign.closed_reason == "本年度名额已满"
    assert not campaign.is_open()
    [event] = audits(campaign)
    assert event.detail["campaign"] == "closed" and event.detail["reason"] == "本年度名额已满"
    assert Notification.objects.filter(recipient=people.enterprise, title__contains="已提前结束").exists()
    # Submission and a new start are refused with a message that names the closing.
    with pytest.raises(ValidationError, match="提前结束（原因：本年度名额已满）"):
        services.intake_submit(application=application, actor=people.enterprise)
    client.force_login(people.enterprise_2)
    response = client.post(reverse("applications:intake_start", args=[campaign.public_id]), follow=True)
    assert "本年度名额已满" in response.content.decode()
    assert not IntakeApplication.objects.filter(enterprise=people.enterprise_2.organisation).exists()
    listing = client.get(reverse("applications:campaign_list")).content.decode()
    assert "提前结束" in listing and "填报入库申请" not in listing
    # A second closing is a conflict; a closed campaign is not extended.
    with pytest.raises(TransitionConflict):
        services.campaign_close(campaign=campaign, actor=people.city, reason="再次")
    with pytest.raises(TransitionConflict):
        services.campaign_extend(campaign=campaign, actor=people.city, deadline=date(2026, 4, 30))


def test_a_closed_campaign_no_longer_reminds_drafts(people, campaign):
    from applications.reminders import remind_intake_deadlines

    filled(campaign, people.enterprise)
    services.campaign_close(campaign=campaign, actor=people.city, reason="名额已满")
    assert remind_intake_deadlines(today=date(2026, 3, 13)) == 0


# --- Query counts ------------------------------------------------------------------------------------------------


def test_the_campaign_page_costs_the_same_queries_for_1_and_50_applications(client, people, campaign):
    filled(campaign, people.enterprise)
    client.force_login(people.city)
    url = reverse("applications:campaign_detail", args=[campaign.public_id])
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for _ in range(49):
        user = UserFactory(organisation=EnterpriseFactory(district=district("长寿区")))
        filled(campaign, user)
    with CaptureQueriesContext(connection) as fifty:
        assert client.get(url).status_code == 200
    assert len(one.captured_queries) == len(fifty.captured_queries)


# --- Two corrections at the same moment (PostgreSQL row locks) -----------------------------------------------------


def _at_once(*calls):
    """Run each call in its own thread, released together; returns the exceptions raised."""
    barrier = threading.Barrier(len(calls))
    errors = []

    def run(call):
        try:
            barrier.wait(timeout=10)
            call()
        except Exception as error:  # noqa: BLE001  (returned to the test)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


@pytest.fixture
def race_campaign(people):
    colleague = UserFactory(username="city-colleague", role="city", organisation=people.city.organisation)
    campaign = CultivationCampaign.objects.create(
        year=2026, title="原名称", opens_on=date(2026, 3, 5), deadline=date(2026, 3, 15), created_by=people.city)
    return campaign, colleague


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_corrections_at_the_same_moment_both_stand_and_audit_a_chain(people, race_campaign):
    """Two officials correcting different things at once (each with the values they saw) both keep their change."""
    campaign, colleague = race_campaign
    errors = _at_once(
        lambda: services.campaign_update(campaign=campaign, actor=people.city, changes={"title": "甲的更正"},
                                         targets={district("渝北区"): 11}, seen={"title": "原名称"},
                                         seen_targets={district("渝北区"): 10}),
        lambda: services.campaign_update(campaign=campaign, actor=colleague, changes={"document_number": "9号"},
                                         targets={district("长寿区"): 20}, seen={"document_number": ""},
                                         seen_targets={district("长寿区"): 10}),
    )
    assert errors == []
    campaign.refresh_from_db()
    assert campaign.target_for(district("长寿区")) == 20 and campaign.target_for(district("渝北区")) == 11
    assert (campaign.title, campaign.document_number) == ("甲的更正", "9号")
    assert len(audits(campaign)) == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.parametrize("same", ["title", "target"])
def test_two_corrections_of_the_same_value_at_the_same_moment_leave_one_winner_and_one_409(
        people, race_campaign, same):
    campaign, colleague = race_campaign

    def correct(actor, title, target):
        if same == "title":
            return lambda: services.campaign_update(campaign=campaign, actor=actor, changes={"title": title},
                                                    seen={"title": "原名称"})
        return lambda: services.campaign_update(campaign=campaign, actor=actor, changes={},
                                                targets={district("长寿区"): target},
                                                seen_targets={district("长寿区"): 10})

    errors = _at_once(correct(people.city, "甲的更正", 11), correct(colleague, "乙的更正", 12))
    assert len(errors) == 1 and isinstance(errors[0], TransitionConflict)
    [event] = audits(campaign)
    campaign.refresh_from_db()
    # The value that stands is the winner's, and the audit says so.
    if same == "title":
        assert campaign.title == event.detail["changes"]["title"][1]
        assert event.detail["changes"]["title"][0] == "原名称"
    else:
        assert campaign.target_for(district("长寿区")) == event.detail["changes"]["target:长寿区"][1]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_corrections_valid_alone_but_not_together_leave_one_refused(people, race_campaign):
    campaign, colleague = race_campaign
    errors = _at_once(
        lambda: services.campaign_update(campaign=campaign, actor=people.city, changes={"opens_on": date(2026, 3, 10)}),
        lambda: services.campaign_update(campaign=campaign, actor=colleague, changes={"deadline": date(2026, 3, 8)}),
    )
    assert len(errors) == 1 and isinstance(errors[0], ValidationError)
    campaign.refresh_from_db()
    assert campaign.deadline >= campaign.opens_on
    assert len(audits(campaign)) == 1


# --- Once open, the dates move only through the notified actions (issue 6, second walk-through) -------------------


def test_once_open_the_correction_cannot_move_the_opening_or_the_deadline(people, campaign):
    for changes in ({"deadline": date(2026, 3, 10)}, {"deadline": date(2026, 3, 31)},
                    {"opens_on": date(2026, 3, 20)}):
        with pytest.raises(ValidationError) as refused:
            services.campaign_update(campaign=campaign, actor=people.city, changes=changes)
        assert "延长截止日期" in str(refused.value) or "开始日期不能再修改" in str(refused.value)
    campaign.refresh_from_db()
    assert (campaign.opens_on, campaign.deadline) == (date(2026, 2, 20), date(2026, 3, 15))
    assert audits(campaign) == []
    # The wording may still be corrected.
    services.campaign_update(campaign=campaign, actor=people.city, changes={"title": "更正", "deadline":
                                                                             date(2026, 3, 15)})
    campaign.refresh_from_db()
    assert campaign.title == "更正"


def test_before_it_opens_the_dates_may_be_corrected(people, coming):
    services.campaign_update(campaign=coming, actor=people.city,
                             changes={"opens_on": date(2026, 3, 10), "deadline": date(2026, 3, 12)})
    coming.refresh_from_db()
    assert (coming.opens_on, coming.deadline) == (date(2026, 3, 10), date(2026, 3, 12))


def test_the_correction_form_of_an_open_campaign_disables_the_dates_with_a_note(client, people, campaign, coming):
    client.force_login(people.city)
    html = client.get(reverse("applications:campaign_edit", args=[campaign.public_id])).content.decode()
    assert re.search(r'<input[^>]*name="opens_on"[^>]*disabled', html)
    assert re.search(r'<input[^>]*name="deadline"[^>]*disabled', html)
    assert "已开始申报，开始日期不能再修改。" in html and "延长截止日期" in html
    # A tampered post of the disabled dates changes nothing.
    data = _form(client, campaign)
    data.update({"deadline": "2026-03-05", "opens_on": "2026-03-20"})
    assert client.post(reverse("applications:campaign_edit", args=[campaign.public_id]), data).status_code == 302
    campaign.refresh_from_db()
    assert (campaign.opens_on, campaign.deadline) == (date(2026, 2, 20), date(2026, 3, 15))
    html = client.get(reverse("applications:campaign_edit", args=[coming.public_id])).content.decode()
    assert not re.search(r'<input[^>]*name="deadline"[^>]*disabled', html)


# --- Issue 6 follow-up: the portal's messages on every correction field, and on every constraint ------------------


@pytest.mark.parametrize(("changes", "message"), [
    ({"target": "abc"}, "“长寿区入库目标”请填写整数。"),
    ({"target": "1.5"}, "“长寿区入库目标”请填写整数。"),
    ({"target": ""}, "请填写长寿区的入库目标。"),
    ({"default_target": "x"}, "请填写整数。"),
])
def test_a_district_target_that_is_not_a_number_gets_the_portals_message_naming_the_district(
        client, people, campaign, changes, message):
    client.force_login(people.city)
    data = _form(client, campaign)
    for key, value in changes.items():
        data[f"target_{district('长寿区').pk}" if key == "target" else key] = value
    response = client.post(reverse("applications:campaign_edit", args=[campaign.public_id]), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "输入整数" not in html and "Enter a whole number" not in html


def test_a_field_a_portal_form_adds_after_it_was_built_gets_the_portals_messages():
    from django import forms

    from greenfactory.forms import PortalForm

    class Late(PortalForm):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["count"] = forms.IntegerField(label="数量（家）", max_value=9)

    form = Late(data={"count": "x"})
    assert form.errors["count"] == ["“数量（家）”请填写整数。"]
    assert Late(data={"count": "10"}).errors["count"] == ["“数量（家）”不能大于9家。"]


def test_every_constraint_of_the_project_has_a_chinese_message():
    from django.apps import apps
    from django.db.models.constraints import BaseConstraint

    checked = 0
    for model in apps.get_models():
        if model._meta.app_label not in {"accounts", "applications", "evaluation", "supervision", "greenfactory"}:
            continue
        for constraint in model._meta.constraints:
            message = str(constraint.violation_error_message)
            assert message != str(BaseConstraint.default_violation_error_message), (model, constraint.name)
            assert constraint.name not in message
            assert any("\u4e00" <= char <= "\u9fff" for char in message) and message.endswith("。"), message
            checked += 1
    assert checked >= 8


def test_the_admins_check_of_a_campaigns_dates_reads_in_chinese(people, campaign):
    campaign.deadline = date(2026, 2, 1)
    with pytest.raises(ValidationError) as error:
        campaign.full_clean()
    assert "截止日期不能早于开始日期。" in error.value.messages
    assert not any("campaign_deadline_after_opening" in message for message in error.value.messages)


def test_a_second_target_for_the_same_district_reads_in_chinese(people, campaign):
    CampaignTarget.objects.create(campaign=campaign, district=district("长寿区"), target=5)
    with pytest.raises(ValidationError) as error:
        CampaignTarget(campaign=campaign, district=district("长寿区"), target=6).full_clean()
    assert "该区县在本年度培育工作中已有入库目标，请直接修改原有目标。" in error.value.messages


def _posted_by_the_browser(html):
    """What a browser posts back from the correction form's HTML: every input, checked boxes only."""
    from html.parser import HTMLParser

    data = {}

    class Inputs(HTMLParser):
        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag != "input" or not attrs.get("name") or attrs.get("type") == "submit":
                return
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            data.setdefault(attrs["name"], []).append(attrs.get("value") or "")

    Inputs().feed(html)
    return data


def test_the_correction_page_carries_what_the_official_saw_so_only_their_change_is_applied(
        client, people, coming):
    campaign = coming
    client.force_login(people.city)
    url = reverse("applications:campaign_edit", args=[campaign.public_id])
    data = _posted_by_the_browser(client.get(url).content.decode())
    assert data["initial-key_sectors"] == ["chemicals"] and data["initial-title"] == [campaign.title]
    campaign.title = "别人刚改的名称"
    campaign.save()
    data["deadline"] = ["2026-03-20"]
    assert client.post(url, data).status_code == 302
    [event] = audits(campaign)
    assert list(event.detail["changes"]) == ["deadline"]
    campaign.refresh_from_db()
    assert campaign.title == "别人刚改的名称"


def test_a_deadline_before_the_opening_is_refused_by_the_model_in_chinese(people, campaign):
    """The admin shows campaigns read-only (they are managed in the portal); the database rule behind every path still
    speaks Chinese, never "约束 “campaign_deadline_after_opening” 是无效的"."""
    campaign.opens_on, campaign.deadline = date(2026, 3, 10), date(2026, 3, 1)
    with pytest.raises(ValidationError) as error:
        campaign.validate_constraints()
    assert "截止日期不能早于开始日期。" in error.value.messages
    assert "campaign_deadline_after_opening" not in " ".join(error.value.messages)


def test_the_campaign_page_lists_applications_by_district_then_company_name(client, people, campaign):
    from tests.factories import IntakeApplicationFactory

    changshou, yubei = district("长寿区"), district("渝北区")
    names = ["重庆丙公司", "重庆甲公司", "重庆乙公司"]
    for name, where in zip(names, [changshou, yubei, changshou], strict=True):
        IntakeApplicationFactory(campaign=campaign, enterprise=EnterpriseFactory(district=where, name=name))

    def order(html):
        return sorted((n for n in names if n in html), key=html.index)

    # The city: 渝北区 comes before 长寿区 in the districts' order, then names; a district sees only its own.
    assert order(page(client, people.city, campaign).content.decode()) == ["重庆甲公司", "重庆丙公司", "重庆乙公司"]
    assert order(page(client, people.district, campaign).content.decode()) == ["重庆丙公司", "重庆乙公司"]


def test_the_correction_form_shows_a_corrected_target_at_once_when_the_targets_are_kept(client, people, coming,
                                                                                        settings):
    settings.PORTAL_SHELL_CACHE_SECONDS = 60  # the districts and the targets kept across requests, in the process too
    client.force_login(people.city)
    data = _form(client, coming)
    yubei = district("渝北区")
    assert _form(client, coming)[f"target_{yubei.pk}"] == str(coming.default_target)
    data[f"target_{yubei.pk}"] = "15"
    assert client.post(reverse("applications:campaign_edit", args=[coming.public_id]), data).status_code == 302
    assert _form(client, coming)[f"target_{yubei.pk}"] == "15"


def test_a_districts_own_campaign_edit_names_the_district_with_its_one_target(client, people, yubei_campaign):
    client.force_login(people.district_2)
    response = client.get(reverse("applications:campaign_edit", args=[yubei_campaign.public_id]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "渝北区2027年培育 · 2027 · 渝北区" in html
    targets = [name for name in _posted_by_the_browser(html) if name.startswith("target_")]
    assert targets == [f"target_{district('渝北区').pk}"]


@pytest.mark.usefixtures("pinned_clock")
def test_the_kept_correction_form_carries_the_views_own_token_and_follows_a_correction(people, coming, settings):
    from django.test import Client

    settings.PORTAL_SHELL_CACHE_SECONDS = 60  # the form's markup kept across requests
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.city)
    url = reverse("applications:campaign_edit", args=[coming.public_id])
    client.get(url)
    page = client.get(url).content.decode()  # the kept markup
    assert TOKEN_PLACE not in page
    data = _posted_by_the_browser(page.split('<div class="card-body">', 1)[1].split("</form>", 1)[0])
    assert len(data["csrfmiddlewaretoken"]) == 1
    data["title"] = ["2026年绿色工厂培育工作（更正）"]
    assert client.post(url, data).status_code == 302  # past the CSRF check with the token the kept form carried
    assert 'value="2026年绿色工厂培育工作（更正）"' in client.get(url).content.decode()
