"""Clocks as data: a Deadline opened by a service, closed by the transition that stops it, reminded at working-day
thresholds once each, chased once to the supervising level, listed on the to-do page, and dry-run by command."""

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from accounts import services
from accounts.choices import DeadlineKind, MessageKind, OrganisationStatus
from accounts.clocks import registration_review_open
from accounts.deadline_reminders import deadlines_sweep
from accounts.deadlines import deadline_close, deadline_open
from accounts.inbox import notification_send
from accounts.models import AuditAction, AuditEvent, Deadline, EmailStatus, Notification
from accounts.panels import _deadlines
from accounts.preferences import email_preferences_for_user
from tests.factories import EnterpriseFactory, UserFactory, district

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _at(day, hour=9):
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, 0, tzinfo=SHANGHAI), tick=False)


def _enterprise_clock(people, *, due_on=date(2026, 3, 13), opened=date(2026, 3, 2)):
    """A clock on the first enterprise's turn (its intake submission), opened on Monday 2026-03-02."""
    enterprise = people.enterprise.organisation
    with _at(opened):
        return deadline_open(subject=enterprise, kind=DeadlineKind.INTAKE_SUBMISSION, organisation=enterprise,
                             due_on=due_on, label="测试事项", url="/somewhere/")


def _sweep_twice(day):
    with _at(day):
        first = deadlines_sweep()
        second = deadlines_sweep()
    return first, second


def test_each_threshold_reminds_once_however_often_the_sweep_runs(people):
    _enterprise_clock(people)  # due Friday 2026-03-13
    assert _sweep_twice(date(2026, 3, 5)) == (0, 0)  # 6 working days left
    assert _sweep_twice(date(2026, 3, 6)) == (1, 0)  # 5 left
    assert _sweep_twice(date(2026, 3, 9)) == (0, 0)  # 4 left: the 5-day reminder is not sent again
    assert _sweep_twice(date(2026, 3, 11)) == (1, 0)  # 2 left
    assert _sweep_twice(date(2026, 3, 12)) == (1, 0)  # 1 left
    assert _sweep_twice(date(2026, 3, 13)) == (0, 0)  # the due day itself: nothing new
    assert _sweep_twice(date(2026, 3, 16)) == (1, 0)  # overdue (the enterprise, once)
    keys = list(Notification.objects.filter(recipient=people.enterprise).order_by("id").values_list("key", flat=True))
    assert [key.rsplit(":", 1)[1] for key in keys] == ["5", "2", "1", "overdue"]
    assert not Notification.objects.exclude(recipient=people.enterprise).exists()


def test_a_sweep_that_missed_days_sends_only_the_tightest_threshold(people):
    _enterprise_clock(people)
    assert _sweep_twice(date(2026, 3, 12)) == (1, 0)  # 5 and 2 passed unseen: only the 1-day reminder
    assert Notification.objects.get().key.endswith(":1")


def test_a_threshold_already_passed_when_the_clock_started_is_not_sent(people):
    _enterprise_clock(people, opened=date(2026, 3, 10))  # 3 working days left at the start
    assert _sweep_twice(date(2026, 3, 10)) == (0, 0)
    assert _sweep_twice(date(2026, 3, 11)) == (1, 0)  # 2 left


def test_working_days_are_counted_on_the_official_calendar_over_a_holiday(people):
    enterprise = people.enterprise.organisation
    with _at(date(2025, 9, 30)):
        deadline = deadline_open(subject=enterprise, kind=DeadlineKind.INTAKE_SUBMISSION, organisation=enterprise,
                                 working_days=3)
    # 10-01…10-08 are the National Day holidays; 10-09, 10-10 and the make-up Saturday 10-11 are working days.
    assert deadline.due_on == date(2025, 10, 11)
    assert deadline.opened_at == datetime(2025, 9, 30, 9, 0, tzinfo=SHANGHAI)


def test_an_overdue_enterprise_clock_is_chased_once_to_its_district(people):
    deadline = _enterprise_clock(people)  # due 2026-03-13
    with _at(date(2026, 3, 16)):
        assert deadlines_sweep() == 1  # overdue by 1: the enterprise is reminded, nobody chased yet
    with _at(date(2026, 3, 17)):
        assert deadlines_sweep() == 1  # overdue by 2: chased to 长寿区
        assert deadlines_sweep() == 0
    with _at(date(2026, 3, 20)):
        assert deadlines_sweep() == 0
    chases = Notification.objects.filter(key__endswith=":escalated")
    assert [n.recipient for n in chases] == [people.district]
    assert chases.get().title.startswith("催办：")
    deadline.refresh_from_db()
    assert deadline.escalated_at is not None
    assert deadline.escalated_to == people.district.organisation
    event = AuditEvent.objects.get(action=AuditAction.ESCALATED)
    assert event.detail["recipients"] == [people.district.username]


def test_an_overdue_district_review_is_chased_once_to_the_city(people, settings):
    settings.REGISTRATION_REMINDER_WORKING_DAYS = [3]
    with _at(date(2026, 3, 2)):
        enterprise = EnterpriseFactory(status=OrganisationStatus.PENDING, district=district("长寿区"))
        deadline = registration_review_open(enterprise=enterprise)
    assert deadline.organisation == people.district.organisation
    assert deadline.due_on == date(2026, 3, 5)
    assert _sweep_twice(date(2026, 3, 10)) == (2, 0)  # overdue by 3: the district reminded, the city chased
    assert list(Notification.objects.filter(key__endswith=":escalated").values_list("recipient", flat=True)) == [
        people.city.pk]
    assert not Notification.objects.filter(recipient__in=[people.district_2, people.enterprise]).exists()
    deadline.refresh_from_db()
    assert deadline.escalated_to.kind == "city"


def test_the_dry_run_lists_what_would_be_sent_and_sends_nothing(people):
    deadline = _enterprise_clock(people)
    out = StringIO()
    call_command("run_reminders", "--date", "2026-03-17", "--dry-run", stdout=out)
    listing = out.getvalue()
    assert f"remind {people.enterprise.username} [overdue]" in listing
    assert f"chase deadline {deadline.pk}" in listing and people.district.username in listing
    assert "nothing sent" in listing
    assert not Notification.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.ESCALATED).exists()
    deadline.refresh_from_db()
    assert deadline.escalated_at is None
    # The same day without --dry-run sends what the dry run listed.
    call_command("run_reminders", "--date", "2026-03-17", stdout=StringIO())
    assert Notification.objects.count() == 2


def test_the_transition_that_stops_a_clock_closes_it(people):
    with _at(date(2026, 3, 2)):
        enterprise = EnterpriseFactory(status=OrganisationStatus.PENDING, district=district("长寿区"))
        registration_review_open(enterprise=enterprise)
        other = EnterpriseFactory(status=OrganisationStatus.PENDING, district=district("长寿区"))
        registration_review_open(enterprise=other)
        services.registration_approve(organisation=enterprise.organisation_ptr, actor=people.district)
    closed = Deadline.objects.get(object_id=enterprise.pk)
    assert closed.closed_at is not None and closed.closed_by == "approve"
    assert Deadline.objects.get(object_id=other.pk).closed_at is None
    # Refused, then resubmitted: a new clock for the district, the refused one stays closed.
    services.registration_refuse(organisation=other, actor=people.district, reason="材料不全")
    services.registration_resubmit(enterprise=other, actor=UserFactory(organisation=other), changes={})
    clocks = Deadline.objects.filter(object_id=other.pk).order_by("id")
    assert [(c.closed_by, c.closed_at is None) for c in clocks] == [("refuse", False), ("", True)]


def test_opening_a_running_clock_again_keeps_one(people):
    first = _enterprise_clock(people)
    second = _enterprise_clock(people, due_on=date(2026, 3, 20))
    assert first.pk == second.pk
    assert Deadline.objects.get().due_on == date(2026, 3, 20)
    assert deadline_close(subject=people.enterprise.organisation, kinds=[DeadlineKind.INTAKE_SUBMISSION],
                          by="test") == 1
    assert deadline_close(subject=people.enterprise.organisation, kinds=[DeadlineKind.INTAKE_SUBMISSION],
                          by="test") == 0


def test_a_user_who_declines_mail_for_a_kind_gets_it_in_the_inbox_only(client, people):
    client.force_login(people.enterprise)
    page = client.get(reverse("accounts:inbox")).content.decode()
    assert 'id="email-preferences"' in page and "期限提醒" in page
    choices = {kind: "on" for kind in MessageKind.values if kind != MessageKind.REMINDER}
    response = client.post(reverse("accounts:email_preferences"), choices)
    assert response.status_code == 302
    assert email_preferences_for_user(people.enterprise)[MessageKind.REMINDER] is False
    assert email_preferences_for_user(people.enterprise)[MessageKind.DECISION] is True
    reminder, = notification_send(recipients=[people.enterprise], title="提醒", kind=MessageKind.REMINDER)
    decision, = notification_send(recipients=[people.enterprise], title="结果", kind=MessageKind.DECISION)
    others, = notification_send(recipients=[people.enterprise_2], title="提醒", kind=MessageKind.REMINDER)
    assert reminder.email_status == EmailStatus.NONE  # still in the inbox
    assert decision.email_status == EmailStatus.PENDING
    assert others.email_status == EmailStatus.PENDING  # another user's choice is theirs


def test_the_sweep_honours_the_choice_too(people):
    from accounts.preferences import email_preferences_set

    email_preferences_set(user=people.enterprise, actor=people.enterprise, choices={MessageKind.REMINDER: False})
    _enterprise_clock(people)
    with _at(date(2026, 3, 6)):
        deadlines_sweep()
    assert Notification.objects.get(recipient=people.enterprise).email_status == EmailStatus.NONE


def _clocks(people, n):
    enterprise = people.enterprise.organisation
    with _at(date(2026, 3, 2)):
        for i in range(n):
            subject = EnterpriseFactory(district=district("长寿区"))
            deadline_open(subject=subject, kind=DeadlineKind.INTAKE_SUBMISSION, organisation=enterprise,
                          due_on=date(2026, 3, 4 + i % 10), label=f"事项{i}", url=f"/case/{i}/")


@pytest.mark.parametrize("n", [1, 20])
def test_the_to_do_panel_costs_the_same_queries_for_1_and_20_clocks(people, django_assert_num_queries, n):
    _clocks(people, n)
    with _at(date(2026, 3, 3)), django_assert_num_queries(2):
        # 1 the user's open clocks (their own, their organisation's, those chased to it), 2 the calendar days
        # entered for 2026 (read once, however many rows)
        panel = _deadlines(people.enterprise, people.enterprise)
    assert len(panel["rows"]) == n


def test_the_to_do_page_shows_each_clock_with_working_days_left_and_overdue_in_red(client, people):
    _clocks(people, 3)  # due 03-04, 03-05, 03-06
    client.force_login(people.enterprise)
    with _at(date(2026, 3, 5)):
        page = client.get(reverse("home")).content.decode()
    assert "办理期限" in page
    assert '<a href="/case/0/">事项0</a>' in page and "提交入库申请" in page
    assert "已逾期 1 个工作日" in page and "text-danger" in page  # 03-04
    assert "今日截止" in page  # 03-05
    assert "还剩 1 个工作日" in page  # 03-06
    # Another enterprise's clocks are not on its list; the district sees them only once chased to it.
    client.force_login(people.enterprise_2)
    assert "办理期限" not in client.get(reverse("home")).content.decode()



def test_the_panel_rows_escape_the_case_and_speak_english_with_an_ascii_colon(people):
    from django.utils import translation

    from accounts.panels import deadline_rows_html

    enterprise = people.enterprise.organisation
    with _at(date(2026, 3, 2)):
        deadline_open(subject=enterprise, kind=DeadlineKind.INTAKE_SUBMISSION, organisation=enterprise,
                      due_on=date(2026, 3, 6), label="<b>A & B</b>", url="/case/?a=1&b=2")
    with _at(date(2026, 3, 3)):
        panel = _deadlines(people.enterprise, people.enterprise)
        html = str(panel["rows_html"])
        with translation.override("en"):
            english = str(deadline_rows_html(panel["rows"]))
    assert '<a href="/case/?a=1&amp;b=2">&lt;b&gt;A &amp; B&lt;/b&gt;</a>' in html
    assert "：<a" in html and "还剩 3 个工作日" in html
    assert "</span>: <a" in english and "3 working days left" in english and "：" not in english

def test_a_transitions_message_carries_its_kind_and_honours_the_choice(people):
    from accounts.preferences import email_preferences_set

    enterprise = EnterpriseFactory(status=OrganisationStatus.PENDING, district=district("长寿区"))
    applicant = UserFactory(organisation=enterprise)
    email_preferences_set(user=applicant, actor=applicant, choices={MessageKind.DECISION: False})
    services.registration_approve(organisation=enterprise, actor=people.district)
    assert Notification.objects.get(recipient=applicant).email_status == EmailStatus.NONE


# --- A clock that runs into a year whose holidays are not entered (after the outside try-out) ----------------------


def _unknown_year_clock(people):
    """The first enterprise's clock extended into 2027, whose holidays nobody has entered yet (the second's stays in
    2026)."""
    clock = _enterprise_clock(people, due_on=date(2027, 1, 15))
    other = people.enterprise_2.organisation
    with _at(date(2026, 3, 2)):
        deadline_open(subject=other, kind=DeadlineKind.INTAKE_SUBMISSION, organisation=other,
                      due_on=date(2026, 3, 13), label="另一企业", url="/elsewhere/")
    return clock


def test_a_clock_in_a_year_not_entered_shows_its_date_and_never_breaks_the_home_page(client, people):
    _unknown_year_clock(people)
    client.force_login(people.enterprise)
    with _at(date(2026, 3, 6)):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "2027-01-15" in html
    assert "2027年节假日安排尚未录入，工作日数暂不能计算" in html


def test_a_clock_in_a_year_not_entered_is_left_out_and_the_others_are_still_reminded(people):
    _unknown_year_clock(people)
    with _at(date(2026, 3, 6)):
        assert deadlines_sweep() == 1  # the other enterprise's 5-day reminder
        out = StringIO()
        call_command("run_reminders", "--date", "2026-03-11", "--dry-run", stdout=out)
    assert Notification.objects.filter(recipient=people.enterprise_2).count() == 1
    assert not Notification.objects.filter(recipient=people.enterprise).exists()
    assert "the holidays of 2027 are not entered" in out.getvalue()
    assert "1 left out" in out.getvalue()
