"""Intake applications: the entry criteria, the deadline, the ban of article 18, and the transitions by role."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django_fsm_log.models import StateLog

from applications import services
from applications.models import (
    ApplicationBan,
    CriterionResult,
    CultivationCampaign,
    IntakeStatus,
    LibraryEntry,
    StampedScan,
)
from greenfactory.workflow import TransitionConflict
from tests.factories import credit_code_for
from tests.helpers import NOW, SHANGHAI, filled, upload_scan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_clock")]


def results(application):
    return {r.criterion: r.result for r in application.criteria.all()}


def test_starting_prefills_the_form_from_the_enterprise_profile(campaign, people):
    application = services.intake_start(campaign=campaign, actor=people.enterprise)
    enterprise = people.enterprise.organisation.enterprise
    assert application.company_name == enterprise.name
    assert application.credit_code == enterprise.credit_code
    assert application.industry == enterprise.industry
    assert application.district == enterprise.district
    assert application.preparer_name == people.enterprise.full_name
    assert campaign.profit_years == [2023, 2024, 2025]
    # Starting twice gives the same application.
    assert services.intake_start(campaign=campaign, actor=people.enterprise) == application


def test_a_complete_application_meets_all_five_entry_criteria(campaign, people):
    application = services.intake_submit(application=filled(campaign, people.enterprise), actor=people.enterprise)
    assert application.status == IntakeStatus.SUBMITTED
    assert results(application) == {str(n): CriterionResult.MET for n in range(1, 6)}
    assert "8000.00" in application.criteria.get(criterion="2").reason


@pytest.mark.parametrize(
    ("changes", "criterion", "expected"),
    [
        ({"independent_legal_person": False}, "1", CriterionResult.NOT_MET),
        ({"output_value": Decimal("5000.00")}, "2", CriterionResult.NOT_MET),
        ({"output_value": Decimal("5000.01")}, "2", CriterionResult.MET),
        ({"total_profit_2": Decimal("-3")}, "3", CriterionResult.NOT_MET),
        ({"total_profit_1": Decimal("0")}, "3", CriterionResult.NOT_MET),
        ({"major_accident": True}, "4", CriterionResult.NOT_MET),
        ({"green_investment_amount": Decimal("0"), "green_investment_areas": []}, "5", CriterionResult.NOT_MET),
        ({"green_investment_amount": Decimal("0")}, "5", CriterionResult.JUDGEMENT),
    ],
)
def test_each_entry_criterion_met_and_not_met(campaign, people, changes, criterion, expected):
    application = services.intake_submit(application=filled(campaign, people.enterprise, **changes),
                                         actor=people.enterprise)
    assert results(application)[criterion] == expected


def test_a_credit_code_from_another_district_is_left_to_the_officials_judgement(campaign, people):
    enterprise = people.enterprise.organisation.enterprise
    type(enterprise).objects.filter(pk=enterprise.pk).update(credit_code=credit_code_for("500112", 31337))
    application = services.intake_submit(application=filled(campaign, people.enterprise), actor=people.enterprise)
    assert results(application)["1"] == CriterionResult.JUDGEMENT


def test_an_incomplete_form_cannot_be_submitted_and_says_what_is_missing(campaign, people):
    application = services.intake_start(campaign=campaign, actor=people.enterprise)
    with pytest.raises(ValidationError) as error:
        services.intake_submit(application=application, actor=people.enterprise)
    assert "产值（万元）" in error.value.messages[0]
    application.refresh_from_db()
    assert application.status == IntakeStatus.DRAFT


def test_submission_after_the_deadline_is_refused(campaign, people):
    application = filled(campaign, people.enterprise)
    with time_machine.travel(datetime(2026, 3, 15, 23, 59, tzinfo=SHANGHAI), tick=False):
        services.intake_submit(application=filled(campaign, people.enterprise_2), actor=people.enterprise_2)
    with time_machine.travel(datetime(2026, 3, 16, 0, 0, 1, tzinfo=SHANGHAI), tick=False), \
            pytest.raises(ValidationError) as error:
        services.intake_submit(application=application, actor=people.enterprise)
    assert "已于2026-03-15截止" in error.value.messages[0]
    application.refresh_from_db()
    assert application.status == IntakeStatus.DRAFT


def test_a_revoked_enterprise_is_refused_for_three_years(campaign, people):
    ApplicationBan.objects.create(organisation=people.enterprise.organisation, starts_on=date(2024, 5, 1),
                                  ends_on=date(2027, 5, 1), reason="第十七条（四）提供虚假材料")
    with pytest.raises(ValidationError) as error:
        services.intake_start(campaign=campaign, actor=people.enterprise)
    assert "第十八条" in error.value.messages[0]
    assert "2027-05-01" in error.value.messages[0]


def test_a_ban_that_has_ended_no_longer_refuses(campaign, people):
    ApplicationBan.objects.create(organisation=people.enterprise.organisation, starts_on=date(2023, 1, 1),
                                  ends_on=date(2026, 1, 1), reason="第十七条（二）复审不合格")
    assert services.intake_start(campaign=campaign, actor=people.enterprise).status == IntakeStatus.DRAFT


def test_a_ban_written_after_starting_still_blocks_submission(campaign, people):
    application = filled(campaign, people.enterprise)
    ApplicationBan.objects.create(organisation=people.enterprise.organisation, starts_on=date(2026, 3, 1),
                                  ends_on=date(2029, 3, 1), reason="第十七条（五）较大事故")
    with pytest.raises(ValidationError):
        services.intake_submit(application=application, actor=people.enterprise)


def test_the_district_cannot_accept_without_the_stamped_scan(campaign, people):
    application = services.intake_submit(application=filled(campaign, people.enterprise), actor=people.enterprise)
    with pytest.raises(ValidationError) as error:
        services.intake_accept(application=application, actor=people.district)
    assert "盖章扫描件" in error.value.messages[0]
    upload_scan(application, people.enterprise)
    services.intake_accept(application=application, actor=people.district)
    entry = LibraryEntry.objects.get(application=application)
    assert (entry.district, entry.sector) == (application.district, application.industry.sector)


def test_returning_and_rejecting_need_a_reason(campaign, people):
    application = services.intake_submit(application=filled(campaign, people.enterprise), actor=people.enterprise)
    for service in (services.intake_return, services.intake_reject):
        with pytest.raises(ValidationError):
            service(application=application, actor=people.district, reason="  ")
    services.intake_return(application=application, actor=people.district, reason="利润数据需附审计报告")
    application.refresh_from_db()
    assert application.status == IntakeStatus.RETURNED
    log = StateLog.objects.for_(application).order_by("-timestamp", "-pk").first()
    assert (log.by, log.source_state, log.state, log.description) == (
        people.district, "submitted", "returned", "利润数据需附审计报告")
    services.intake_reopen(application=application, actor=people.enterprise)
    application.refresh_from_db()
    assert application.status == IntakeStatus.DRAFT


TRANSITIONS = {
    "submit": (IntakeStatus.DRAFT, {"enterprise"}),
    "withdraw": (IntakeStatus.SUBMITTED, {"enterprise"}),
    "accept": (IntakeStatus.SUBMITTED, {"district"}),
    "return": (IntakeStatus.SUBMITTED, {"district"}),
    "reject": (IntakeStatus.SUBMITTED, {"district"}),
}


def _fire(name, application, user):
    if name == "submit":
        return services.intake_submit(application=application, actor=user)
    if name == "withdraw":
        return services.intake_withdraw(application=application, actor=user)
    if name == "accept":
        return services.intake_accept(application=application, actor=user)
    if name == "return":
        return services.intake_return(application=application, actor=user, reason="原因")
    return services.intake_reject(application=application, actor=user, reason="原因")


@pytest.mark.parametrize("name", sorted(TRANSITIONS))
@pytest.mark.parametrize("role", ["enterprise", "enterprise_2", "park", "district", "district_2", "city", "expert",
                                  "evaluator", "department", "admin"])
def test_each_transition_is_fired_only_by_its_role(campaign, people, name, role):
    """The state chart's specification: state × role × transition."""
    source, allowed = TRANSITIONS[name]
    application = filled(campaign, people.enterprise)
    if source == IntakeStatus.SUBMITTED:
        application = services.intake_submit(application=application, actor=people.enterprise)
        upload_scan(application, people.enterprise)
    user = getattr(people, role)
    if role in allowed:
        _fire(name, application, user)
        application.refresh_from_db()
        assert application.status != source
    else:
        with pytest.raises((PermissionDenied, TransitionConflict)):
            _fire(name, application, user)
        application.refresh_from_db()
        assert application.status == source


def test_an_illegal_jump_is_a_conflict(campaign, people):
    application = filled(campaign, people.enterprise)
    with pytest.raises(TransitionConflict):
        services.intake_accept(application=application, actor=people.district) if StampedScan.objects.exists() \
            else services.intake_reject(application=application, actor=people.district, reason="草稿不能驳回")


def test_withdrawn_after_a_week_does_not_reach_the_library(campaign, people):
    application = services.intake_submit(application=filled(campaign, people.enterprise), actor=people.enterprise)
    services.intake_withdraw(application=application, actor=people.enterprise)
    with time_machine.travel(NOW + timedelta(days=7), tick=False), pytest.raises(TransitionConflict):
        services.intake_return(application=application, actor=people.district, reason="迟到的退回")
    assert not LibraryEntry.objects.exists()


def test_the_ban_runs_three_years_from_the_revocation():
    assert ApplicationBan.end_for(date(2024, 5, 1)) == date(2027, 5, 1)
    assert ApplicationBan.end_for(date(2024, 2, 29)) == date(2027, 3, 1)


def test_scan_versions_are_kept_and_capped(campaign, people):
    application = filled(campaign, people.enterprise)
    with pytest.raises(ValidationError) as error:
        upload_scan(application, people.enterprise)
    assert error.value.code == "not_submitted"  # the scan is of the submitted form
    application = services.intake_submit(application=application, actor=people.enterprise)
    for _ in range(services.MAX_SCAN_VERSIONS):
        upload_scan(application, people.enterprise)
    assert application.scans.count() == services.MAX_SCAN_VERSIONS
    assert len({scan.file.name for scan in application.scans.all()}) == services.MAX_SCAN_VERSIONS
    with pytest.raises(ValidationError) as error:
        upload_scan(application, people.enterprise)
    assert error.value.code == "too_many_versions"


def test_a_draft_is_reminded_before_the_deadline_once_per_threshold(campaign, people):
    from accounts.models import Notification
    from accounts.tasks import run_reminders
    from applications.reminders import remind_intake_deadlines

    # Reminders count working days: with Sunday 3-8 a make-up working day, 3-7 leaves 6 of them, 3-8 five.
    from greenfactory.models import CalendarDay, CalendarYear

    CalendarDay.objects.create(calendar_year=CalendarYear.objects.get_or_create(year=2026)[0], date=date(2026, 3, 8),
                               kind=CalendarDay.Kind.WORKDAY)
    draft = services.intake_start(campaign=campaign, actor=people.enterprise)
    services.intake_submit(application=filled(campaign, people.enterprise_2), actor=people.enterprise_2)
    assert remind_intake_deadlines(today=date(2026, 3, 7)) == 0  # 8 days left
    assert remind_intake_deadlines(today=date(2026, 3, 8)) == 1  # 7 days left
    assert remind_intake_deadlines(today=date(2026, 3, 9)) == 0
    with time_machine.travel(datetime(2026, 3, 13, 9, 0, tzinfo=SHANGHAI), tick=False):
        run_reminders()
        run_reminders()
    titles = list(Notification.objects.filter(recipient=people.enterprise).values_list("title", flat=True))
    assert len(titles) == 2
    assert all("2026-03-15截止" in t for t in titles)
    # The enterprise that submitted is not chased.
    assert not Notification.objects.filter(recipient=people.enterprise_2, title__startswith="提醒").exists()
    assert draft.status == IntakeStatus.DRAFT


def test_a_scan_from_before_a_return_does_not_count_for_the_resubmission(campaign, people):
    application = services.intake_submit(application=filled(campaign, people.enterprise), actor=people.enterprise)
    upload_scan(application, people.enterprise)
    services.intake_return(application=application, actor=people.district, reason="利润数据有误")
    services.intake_reopen(application=application, actor=people.enterprise)
    application = services.intake_save(application=application, actor=people.enterprise,
                                       data={"total_profit_2": Decimal("222")})
    with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
        application = services.intake_submit(application=application, actor=people.enterprise)
        with pytest.raises(ValidationError) as error:
            services.intake_accept(application=application, actor=people.district)
        assert error.value.code == "no_scan"
        upload_scan(application, people.enterprise)
        services.intake_accept(application=application, actor=people.district)


def test_one_library_entry_per_enterprise_and_year(campaign, people):
    application = services.intake_submit(application=filled(campaign, people.enterprise), actor=people.enterprise)
    upload_scan(application, people.enterprise)
    services.intake_accept(application=application, actor=people.district)
    other = CultivationCampaign.objects.create(year=2026, title="另一个", opens_on=date(2026, 2, 1),
                                               deadline=date(2026, 3, 31), created_by=people.city)
    with pytest.raises(ValidationError) as error:
        services.intake_start(campaign=other, actor=people.enterprise)
    assert error.value.code == "already_in_library"


def test_a_second_campaign_for_the_same_year_and_district_is_refused(campaign, people):
    with pytest.raises(ValidationError) as error:
        services.campaign_create(actor=people.district, data={
            "year": 2026, "title": "长寿区重复", "opens_on": date(2026, 3, 1), "deadline": date(2026, 3, 20)})
    assert "已有覆盖该区县" in str(error.value)
    for year, target in ((1900, 10), (2026, 0), (2027, 99999)):
        with pytest.raises(ValidationError):
            services.campaign_create(actor=people.city, data={
                "year": year, "title": "边界", "opens_on": date(2026, 3, 1), "deadline": date(2026, 3, 20),
                "default_target": target})
