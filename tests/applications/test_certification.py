"""Certification, part 1 (第三条、第六条至第十条) through its services: the round, the application of a factory (from a
ready library entry) and of a park, the conditions and their negative list, self-evaluation, commissioning an
evaluator from the register (cap, disqualification, declining), the report and its conclusion, the district's review
rounds and its decisions."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_fsm_log.models import StateLog

from accounts.deadline_reminders import deadlines_sweep
from accounts.models import Deadline, Notification, Organisation, OrganisationKind, Role
from applications import services
from applications.models import (
    CertificationApplication,
    CertificationStatus,
    DistrictReview,
    LibraryEntry,
    LibraryStatus,
    ReviewTask,
)
from applications.services.review import review_task_decline
from evaluation import services as evaluation_services
from evaluation.models import EvaluationReport
from greenfactory import workdays
from greenfactory.workflow import TransitionConflict
from tests.applications.certification_setup import (
    all_ok,
    answer_conditions,
    commissioned,
    evaluated,
    make_round,
    ready_entry,
    register,
    self_sheet,
    sheet_items,
    started,
    submitted,
)
from tests.factories import ApplicationBanFactory, UserFactory, pdf_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_clock")]


@pytest.fixture
def certification_round(people):
    ready_entry(people)
    return make_round(people)


def state(application):
    return CertificationApplication.objects.get(pk=application.pk).status


# --- The path ---------------------------------------------------------------------------------------------------------


def test_a_factory_goes_from_its_ready_library_entry_to_recommended(people, certification_round):
    application = started(people, certification_round)
    assert application.unit_kind == "factory" and application.library_entry.status == LibraryStatus.READY
    assert application.self_score is not None and application.self_vetoed is False
    commissioned(people, application)
    assert state(application) == CertificationStatus.EVALUATOR_COMMISSIONED
    task = ReviewTask.objects.get(kind="evaluation", object_id=application.pk)
    assert task.assignee_organisation_id == people.evaluator.organisation_id and task.assigned_by == people.enterprise
    application = evaluated(people, application)
    assert application.status == CertificationStatus.EVALUATED and application.evaluation_passed is True
    assert ReviewTask.objects.get(pk=task.pk).status == "done"
    report = EvaluationReport.objects.get(task=task)
    assert application.evaluation_report_id == report.public_id and report.total == application.evaluation_score
    application = services.certification_submit(application=application, actor=people.enterprise)
    assert application.status == CertificationStatus.SUBMITTED
    district_clock = Deadline.objects.get(object_id=application.pk, kind="certification_recommendation")
    assert district_clock.organisation.district_id == application.district_id and district_clock.closed_at is None
    services.district_review_save(application=application, actor=people.district, items=all_ok(application))
    application = services.certification_recommend(application=application, actor=people.district, comment="同意推荐")
    assert application.status == CertificationStatus.RECOMMENDED
    assert Deadline.objects.get(pk=district_clock.pk).closed_at is not None
    assert DistrictReview.objects.get(application=application).outcome == "recommended"
    assert list(StateLog.objects.for_(application).values_list("state", flat=True)) == [
        "evaluator_commissioned", "evaluated", "submitted", "recommended"]


def test_a_park_applies_directly_on_the_park_system_with_typed_values(people, certification_round):
    application = started(people, certification_round, park=True)
    assert application.unit_kind == "park" and application.library_entry is None
    sheet = self_sheet(application)
    assert sheet.system.subject == "park"
    typed = sheet.items.get(indicator__code="EG3")
    assert typed.value == Decimal(80)
    assert {item["code"]: item["score"] for item in sheet.result["items"]}["EG3"] == "18.75"
    commissioned(people, application)
    application = evaluated(people, application)
    application = services.certification_submit(application=application, actor=people.park)
    services.district_review_save(application=application, actor=people.district, items=all_ok(application))
    application = services.certification_recommend(application=application, actor=people.district)
    assert application.status == CertificationStatus.RECOMMENDED
    assert [k for k, _label in services.review_checks(application)][-1] == "condition_8"
    assert "第六条" in services.review_checks(application)[-1][1]


def test_a_factory_without_a_ready_library_entry_is_refused(people, certification_round):
    LibraryEntry.objects.update(status=LibraryStatus.CULTIVATING)
    with pytest.raises(ValidationError, match="成熟"):
        services.certification_start(certification_round=certification_round, actor=people.enterprise)
    assert not CertificationApplication.objects.exists()


def test_only_enterprise_and_park_users_start_an_application(people, certification_round):
    for user in (people.district, people.city, people.evaluator, people.expert, people.department):
        with pytest.raises(PermissionDenied):
            services.certification_start(certification_round=certification_round, actor=user)


def test_a_unit_inside_its_three_year_ban_cannot_apply(people, certification_round):
    ApplicationBanFactory(organisation=people.park.organisation)
    with pytest.raises(ValidationError, match="第十八条"):
        services.certification_start(certification_round=certification_round, actor=people.park)


def test_starting_twice_gives_the_same_application_and_a_closed_round_refuses(people, certification_round):
    first = services.certification_start(certification_round=certification_round, actor=people.enterprise)
    assert services.certification_start(certification_round=certification_round, actor=people.enterprise) == first
    late = make_round(people, year=2027, opens_on=datetime.date(2026, 1, 1),
                      application_deadline=datetime.date(2026, 2, 1),
                      recommendation_deadline=datetime.date(2026, 2, 10))
    with pytest.raises(ValidationError, match="截止"):
        services.certification_start(certification_round=late, actor=people.park)


def test_a_submission_clock_runs_until_the_application_is_submitted(people, certification_round):
    application = started(people, certification_round)
    clock = Deadline.objects.get(object_id=application.pk, kind="certification_submission")
    assert clock.due_on == certification_round.application_deadline
    assert clock.organisation_id == application.applicant_id
    commissioned(people, application)
    services.certification_submit(application=evaluated(people, application), actor=people.enterprise)
    assert Deadline.objects.get(pk=clock.pk).closed_at is not None


# --- The negative list and completeness -------------------------------------------------------------------------------


def test_a_condition_of_the_negative_list_answered_not_met_stops_the_commission(people, certification_round):
    application = started(people, certification_round)
    answer_conditions(application, people.enterprise, overrides={"3": {"met": False, "statement": "曾有较大事故"}})
    application.refresh_from_db()
    assert any("第七条（三）" in veto for veto in services.certification_vetoes(application))
    with pytest.raises(ValidationError, match="否决项"):
        commissioned(people, application)
    assert state(application) == CertificationStatus.DRAFT and not ReviewTask.objects.exists()


def test_a_missing_self_evaluation_stops_the_commission(people, certification_round):
    application = services.certification_start(certification_round=certification_round, actor=people.enterprise)
    answer_conditions(application, people.enterprise)
    with pytest.raises(ValidationError, match="自评价"):
        commissioned(people, application)


def test_changing_a_completed_self_evaluation_takes_the_completion_back(people, certification_round):
    application = started(people, certification_round)
    sheet = self_sheet(application)
    veto = sheet.system.indicators.filter(kind="veto").first()
    evaluation_services.self_evaluation_save(sheet=sheet, actor=people.enterprise, items={veto.pk: {"passed": False}})
    application.refresh_from_db()
    assert application.self_evaluated_at is None and application.self_score is None


def test_the_self_evaluation_refuses_a_required_item_left_out(people, certification_round):
    application = services.certification_start(certification_round=certification_round, actor=people.enterprise)
    from tests.evaluation.test_figures import save as save_figures

    save_figures(people.enterprise, year=certification_round.year - 1)
    sheet = evaluation_services.self_evaluation_start(application=application, actor=people.enterprise)
    with pytest.raises(ValidationError, match="尚未自评"):
        evaluation_services.self_evaluation_save(sheet=sheet, actor=people.enterprise, items={}, complete=True)


# --- The register: cap, disqualification, declining -------------------------------------------------------------------


def test_a_disqualified_organisation_cannot_be_chosen(people, certification_round):
    application = started(people, certification_round)
    entry = register(people)
    evaluation_services.register_change(register=entry, actor=people.city, name="disqualify", reason="抽查发现弄虚作假")
    with pytest.raises(ValidationError, match="取消评价资格"):
        commissioned(people, application, entry=entry)
    assert state(application) == CertificationStatus.DRAFT


def test_only_the_city_keeps_the_register(people):
    entry = register(people)
    for user in (people.district, people.enterprise, people.evaluator):
        with pytest.raises(PermissionDenied):
            evaluation_services.register_change(register=entry, actor=user, name="recommend")


def test_the_cap_of_evaluations_per_organisation_and_round_is_enforced(people, certification_round):
    certification_round.evaluator_cap = 1
    certification_round.save()
    first = started(people, certification_round)
    commissioned(people, first)
    second = started(people, certification_round, park=True)
    with pytest.raises(ValidationError, match="上限"):
        commissioned(people, second)
    assert state(second) == CertificationStatus.DRAFT


def test_declining_gives_the_case_back_and_the_evaluator_no_longer_sees_it(people, certification_round):
    application = started(people, certification_round)
    commissioned(people, application)
    visible = CertificationApplication.objects.visible_to(people.evaluator)
    assert list(visible) == [application]
    task = ReviewTask.objects.get(object_id=application.pk, kind="evaluation")
    review_task_decline(task=task, actor=people.evaluator, reason="人手不足")
    assert state(application) == CertificationStatus.DRAFT
    assert not CertificationApplication.objects.visible_to(people.evaluator).exists()
    assert CertificationApplication.objects.get(pk=application.pk).evaluator is None
    # The declined commission no longer counts towards the cap: the applicant chooses again.
    assert services.evaluations_in_round(people.evaluator.organisation_id, certification_round.pk) == 0
    commissioned(people, application)
    assert state(application) == CertificationStatus.EVALUATOR_COMMISSIONED


def test_an_evaluator_never_sees_a_case_that_did_not_commission_it(people, certification_round):
    application = started(people, certification_round)
    other_org = Organisation.objects.create(kind=OrganisationKind.EVALUATOR, name="另一评价机构")
    other = UserFactory(role=Role.EVALUATOR, organisation=other_org)
    commissioned(people, application)
    assert not CertificationApplication.objects.visible_to(other).exists()
    assert not EvaluationReport.objects.visible_to(other).exists()
    with pytest.raises(PermissionDenied):
        evaluation_services.report_start(application=application, actor=other)


# --- The report's conclusion ------------------------------------------------------------------------------------------


def test_a_report_concluding_not_met_blocks_submission_until_evaluated_again(people, certification_round):
    application = started(people, certification_round)
    commissioned(people, application)
    application = evaluated(people, application, passed=False)
    assert application.evaluation_passed is False
    with pytest.raises(TransitionConflict, match="不符合"):
        services.certification_submit(application=application, actor=people.enterprise)
    assert state(application) == CertificationStatus.EVALUATED
    services.certification_restart(application=application, actor=people.enterprise, reason="已整改废水回用设施")
    application.refresh_from_db()
    assert application.status == CertificationStatus.DRAFT and application.evaluation_passed is None


def test_a_report_is_not_issued_without_its_signed_pdf(people, certification_round):
    application = started(people, certification_round)
    commissioned(people, application)
    report = evaluation_services.report_start(application=application, actor=people.evaluator)
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="签字盖章"):
        evaluation_services.report_save(report=report, actor=people.evaluator, visited_from=today, visited_to=today,
                                        evaluators="赵一", passed=True, opinion="", items=sheet_items(report.system),
                                        issue=True)
    with pytest.raises(ValidationError):
        evaluation_services.report_document_upload(
            report=report, actor=people.evaluator, signed=True,
            uploaded_file=SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100))
    assert state(application) == CertificationStatus.EVALUATOR_COMMISSIONED


# --- The district's review --------------------------------------------------------------------------------------------


def test_two_review_rounds_with_answers_then_the_recommendation(people, certification_round):
    application = submitted(people, certification_round)
    items = all_ok(application)
    items["evidence"] = {"verdict": "more", "comment": "请补充能源管理体系认证证书"}
    services.district_review_save(application=application, actor=people.district, items=items)
    review = services.certification_request_more(application=application, actor=people.district, working_days=5)
    assert review.number == 1 and review.due_on == workdays.add_working_days(timezone.localdate(), 5)
    assert state(application) == CertificationStatus.SUPPLEMENTING
    clock = Deadline.objects.get(object_id=application.pk, kind="review_round_answer")
    assert clock.due_on == review.due_on and clock.closed_at is None
    with pytest.raises(ValidationError, match="尚未补充"):
        services.certification_answer(application=application, actor=people.enterprise)
    services.review_answers_save(application=application, actor=people.enterprise,
                                 answers={"evidence": "已上传证书"})
    services.review_answer_file_upload(application=application, actor=people.enterprise, key="evidence",
                                       uploaded_file=SimpleUploadedFile("证书.pdf", pdf_bytes()))
    services.certification_answer(application=application, actor=people.enterprise)
    assert state(application) == CertificationStatus.SUBMITTED
    assert Deadline.objects.get(pk=clock.pk).closed_at is not None
    # Round two: the lines found 符合 carry over; the one sent back is to be judged again.
    services.district_review_save(application=application, actor=people.district, items={
        "data": {"verdict": "more", "comment": "产值与报告不一致"}})
    second = DistrictReview.objects.get(application=application, number=2)
    assert second.items.get(key="report").verdict == "ok" and second.items.get(key="evidence").verdict == ""
    services.district_review_save(application=application, actor=people.district, items={
        "evidence": {"verdict": "ok", "comment": ""}, "data": {"verdict": "more", "comment": "产值与报告不一致"}})
    services.certification_request_more(application=application, actor=people.district, working_days=3)
    services.review_answers_save(application=application, actor=people.enterprise, answers={"data": "已更正"})
    services.certification_answer(application=application, actor=people.enterprise)
    with pytest.raises(ValidationError, match="每一项均为"):
        services.certification_recommend(application=application, actor=people.district)
    services.district_review_save(application=application, actor=people.district, items=all_ok(application))
    services.certification_recommend(application=application, actor=people.district)
    assert state(application) == CertificationStatus.RECOMMENDED
    assert list(DistrictReview.objects.filter(application=application).values_list("outcome", flat=True)) == [
        "more", "more", "recommended"]


def test_a_review_round_needs_an_item_with_what_to_supply(people, certification_round):
    application = submitted(people, certification_round)
    services.district_review_save(application=application, actor=people.district, items=all_ok(application))
    with pytest.raises(ValidationError, match="需补充"):
        services.certification_request_more(application=application, actor=people.district)
    assert state(application) == CertificationStatus.SUBMITTED


def test_a_returned_application_is_submitted_again_and_a_rejected_one_is_final(people, certification_round):
    application = submitted(people, certification_round)
    with pytest.raises(ValidationError):
        services.certification_return(application=application, actor=people.district, reason=" ")
    services.certification_return(application=application, actor=people.district, reason="请补充三年数据")
    assert state(application) == CertificationStatus.RETURNED
    answer_conditions(application, people.enterprise)
    services.certification_submit(application=application, actor=people.enterprise)
    services.certification_reject(application=application, actor=people.district, reason="不符合第七条（二）")
    assert state(application) == CertificationStatus.REJECTED
    with pytest.raises(TransitionConflict):
        services.certification_withdraw(application=application, actor=people.enterprise)


def test_the_recommendation_is_refused_after_the_districts_deadline(people, certification_round, pinned_clock):
    application = submitted(people, certification_round)
    services.district_review_save(application=application, actor=people.district, items=all_ok(application))
    pinned_clock.move_to(timezone.now() + datetime.timedelta(days=45))
    with pytest.raises(ValidationError, match="截止"):
        services.certification_recommend(application=application, actor=people.district)
    assert state(application) == CertificationStatus.SUBMITTED


# --- Every transition only for its role -------------------------------------------------------------------------------

DECISIONS = {
    "recommend": lambda a, u: services.certification_recommend(application=a, actor=u),
    "return": lambda a, u: services.certification_return(application=a, actor=u, reason="原因"),
    "reject": lambda a, u: services.certification_reject(application=a, actor=u, reason="原因"),
    "request_more": lambda a, u: services.certification_request_more(application=a, actor=u),
}
APPLICANT_STEPS = {
    "submit": lambda a, u: services.certification_submit(application=a, actor=u),
    "withdraw": lambda a, u: services.certification_withdraw(application=a, actor=u),
}


@pytest.mark.parametrize("step", sorted(DECISIONS))
@pytest.mark.parametrize("role", ["enterprise", "enterprise_2", "park", "district_2", "city", "expert", "evaluator",
                                  "department", "admin"])
def test_only_the_applications_district_decides_it(people, certification_round, step, role):
    application = submitted(people, certification_round)
    services.district_review_save(application=application, actor=people.district, items=all_ok(application))
    with pytest.raises(PermissionDenied):
        DECISIONS[step](application, getattr(people, role))
    assert state(application) == CertificationStatus.SUBMITTED


@pytest.mark.parametrize("step", sorted(APPLICANT_STEPS))
@pytest.mark.parametrize("role", ["enterprise_2", "park", "district", "district_2", "city", "expert", "evaluator",
                                  "department", "admin"])
def test_only_the_applicant_submits_or_withdraws(people, certification_round, step, role):
    application = started(people, certification_round)
    commissioned(people, application)
    application = evaluated(people, application)
    with pytest.raises(PermissionDenied):
        APPLICANT_STEPS[step](application, getattr(people, role))
    assert state(application) == CertificationStatus.EVALUATED


@pytest.mark.parametrize("role", ["enterprise", "enterprise_2", "park", "district", "city", "expert", "department",
                                  "admin"])
def test_only_the_commissioned_organisation_issues_the_report(people, certification_round, role):
    application = started(people, certification_round)
    commissioned(people, application)
    with pytest.raises(PermissionDenied):
        evaluation_services.report_start(application=application, actor=getattr(people, role))
    assert state(application) == CertificationStatus.EVALUATOR_COMMISSIONED


def test_a_stale_decision_is_a_conflict_and_leaves_one_record(people, certification_round):
    application = submitted(people, certification_round)
    services.certification_reject(application=application, actor=people.district, reason="不予推荐")
    with pytest.raises(TransitionConflict):
        services.certification_return(application=application, actor=people.district, reason="退回")
    assert StateLog.objects.for_(application).filter(source_state="submitted").count() == 1


# --- Every clock of the issue is a kernel deadline: reminded, then chased ---------------------------------------------


def test_an_unanswered_review_round_is_reminded_and_chased_to_the_district(people, certification_round, pinned_clock):
    application = submitted(people, certification_round)
    services.district_review_save(application=application, actor=people.district, items={
        "evidence": {"verdict": "more", "comment": "请补充证书"}})
    review = services.certification_request_more(application=application, actor=people.district, working_days=2)
    pinned_clock.move_to(datetime.datetime.combine(workdays.add_working_days(review.due_on, 2), datetime.time(9),
                                                   tzinfo=workdays.SHANGHAI))
    deadlines_sweep()
    clock = Deadline.objects.get(object_id=application.pk, kind="review_round_answer")
    assert clock.escalated_to == people.district.organisation
    assert Notification.objects.filter(recipient=people.enterprise, key__contains=str(clock.pk)).exists()
    assert Notification.objects.filter(recipient=people.district, key__endswith=":escalated").exists()


def test_a_district_late_to_recommend_is_chased_to_the_city(people, certification_round, pinned_clock):
    application = submitted(people, certification_round)
    clock = Deadline.objects.get(object_id=application.pk, kind="certification_recommendation")
    pinned_clock.move_to(datetime.datetime.combine(workdays.add_working_days(clock.due_on, 3), datetime.time(9),
                                                   tzinfo=workdays.SHANGHAI))
    deadlines_sweep()
    clock.refresh_from_db()
    assert clock.escalated_to.kind == "city"
    assert Notification.objects.filter(recipient=people.city, key__endswith=":escalated").exists()


# --- The state chart's specification: state × role → the transitions offered ------------------------------------------

ROLES = ("enterprise", "enterprise_2", "park", "district", "district_2", "city", "expert", "evaluator", "department",
         "admin")
# What each role may fire in each state (the applicant is people.enterprise; its district 长寿区; its evaluator the
# commissioned organisation). Every other state × role pair offers nothing.
OFFERED = {
    ("draft", "enterprise"): {"commission", "withdraw"},
    ("evaluator_commissioned", "enterprise"): {"commission_withdrawn"},  # the service: only unanswered or overdue
    ("evaluator_commissioned", "evaluator"): {"commission_declined", "evaluate"},
    ("evaluated", "enterprise"): {"submit", "withdraw"},
    ("submitted", "district"): {"request_more", "recommend", "return_for_changes", "reject"},
    ("supplementing", "enterprise"): {"answer"},
    ("returned", "enterprise"): {"submit", "withdraw", "restart"},
}


def _in_state(people, certification_round, state):
    application = started(people, certification_round)
    if state == "draft":
        return application
    commissioned(people, application)
    if state == "evaluator_commissioned":
        return CertificationApplication.objects.get(pk=application.pk)
    application = evaluated(people, application)
    if state == "evaluated":
        return application
    application = services.certification_submit(application=application, actor=people.enterprise)
    if state == "supplementing":
        services.district_review_save(application=application, actor=people.district,
                                      items={"data": {"verdict": "more", "comment": "补充"}})
        services.certification_request_more(application=application, actor=people.district)
    elif state == "returned":
        services.certification_return(application=application, actor=people.district, reason="退回")
    return CertificationApplication.objects.get(pk=application.pk)


@pytest.mark.parametrize("state", ["draft", "evaluator_commissioned", "evaluated", "submitted", "supplementing",
                                   "returned"])
def test_each_state_offers_each_role_exactly_its_transitions(people, certification_round, state):
    application = _in_state(people, certification_round, state)
    assert application.status == state
    for role in ROLES:
        offered = {t.name for t in application.get_available_user_status_transitions(getattr(people, role))}
        # restart is offered after a return, or after a report concluding 不符合 (its condition).
        assert offered == OFFERED.get((state, role), set()), (state, role)


# --- From the outside try-out ----------------------------------------------------------------------------------------


def test_an_unanswered_commission_is_withdrawn_and_another_chosen(people, certification_round):
    application = started(people, certification_round)
    commissioned(people, application)
    task = ReviewTask.objects.get(object_id=application.pk, kind="evaluation")
    with pytest.raises(PermissionDenied):
        services.certification_commission_withdraw(application=application, actor=people.enterprise_2, reason="x")
    services.certification_commission_withdraw(application=application, actor=people.enterprise, reason="机构未答复")
    assert state(application) == CertificationStatus.DRAFT
    assert ReviewTask.objects.get(pk=task.pk).status == "withdrawn"
    assert not CertificationApplication.objects.visible_to(people.evaluator).exists()
    assert services.evaluations_in_round(people.evaluator.organisation_id, certification_round.pk) == 0
    commissioned(people, application)
    assert state(application) == CertificationStatus.EVALUATOR_COMMISSIONED


def test_an_accepted_commission_is_withdrawn_only_once_overdue(people, certification_round, pinned_clock):
    application = started(people, certification_round)
    commissioned(people, application)
    evaluation_services.report_start(application=application, actor=people.evaluator)  # accepts it
    with pytest.raises(TransitionConflict, match="不能撤回"):
        services.certification_commission_withdraw(application=application, actor=people.enterprise, reason="x")
    task = ReviewTask.objects.get(object_id=application.pk, kind="evaluation")
    pinned_clock.move_to(timezone.now() + datetime.timedelta(days=(task.due_on - timezone.localdate()).days + 1))
    services.certification_commission_withdraw(application=application, actor=people.enterprise, reason="逾期未评价")
    assert state(application) == CertificationStatus.DRAFT


def test_the_commissions_due_date_is_within_the_rounds_application_deadline(people, certification_round):
    application = started(people, certification_round)
    with pytest.raises(ValidationError, match="不能晚于本年度申报截止日"):
        evaluation_services.commission_evaluator(
            application=application, actor=people.enterprise, register=register(people),
            due_on=certification_round.application_deadline + datetime.timedelta(days=1))


def test_a_report_cannot_conclude_met_with_a_failed_veto(people, certification_round):
    application = started(people, certification_round)
    commissioned(people, application)
    report = evaluation_services.report_start(application=application, actor=people.evaluator)
    evaluation_services.report_document_upload(report=report, actor=people.evaluator, signed=True,
                                               uploaded_file=SimpleUploadedFile("r.pdf", pdf_bytes()))
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="一票否决"):
        evaluation_services.report_save(report=report, actor=people.evaluator, visited_from=today, visited_to=today,
                                        evaluators="赵一", passed=True, opinion="",
                                        items=sheet_items(report.system, passed=False), issue=True)
    assert state(application) == CertificationStatus.EVALUATOR_COMMISSIONED


def test_a_self_evaluation_with_a_failed_veto_stops_the_commission(people, certification_round):
    application = started(people, certification_round)
    sheet = self_sheet(application)
    evaluation_services.self_evaluation_save(sheet=sheet, actor=people.enterprise,
                                             items=sheet_items(sheet.system, passed=False), complete=True)
    application.refresh_from_db()
    assert application.self_vetoed is True
    with pytest.raises(ValidationError, match="一票否决"):
        commissioned(people, application)


def test_a_returned_case_may_be_evaluated_again(people, certification_round):
    application = submitted(people, certification_round)
    services.certification_return(application=application, actor=people.district, reason="请重新评价")
    services.certification_restart(application=application, actor=people.enterprise, reason="已整改")
    assert state(application) == CertificationStatus.DRAFT


def test_a_line_sent_back_needs_what_to_supply_when_saved(people, certification_round):
    application = submitted(people, certification_round)
    with pytest.raises(ValidationError) as refused:
        services.district_review_save(application=application, actor=people.district,
                                      items={"data": {"verdict": "more", "comment": ""}})
    assert "comment_data" in refused.value.message_dict


def test_a_round_keeps_its_year_its_number_and_no_past_deadline(people, certification_round):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        services.round_create(actor=people.city, data={
            "year": today.year + 2, "title": "x", "opens_on": today, "application_deadline": today,
            "recommendation_deadline": today, "document_number": ""})
    assert "opens_on" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.round_update(certification_round=certification_round, actor=people.city, data={
            "application_deadline": today - datetime.timedelta(days=1)})
    assert "application_deadline" in refused.value.message_dict
    certification_round.document_number = "渝经信节能〔2026〕8号"
    certification_round.save()
    with pytest.raises(ValidationError) as refused:
        services.round_create(actor=people.city, data={
            "year": today.year + 1, "title": "x", "opens_on": datetime.date(today.year + 1, 1, 5),
            "application_deadline": datetime.date(today.year + 1, 3, 1),
            "recommendation_deadline": datetime.date(today.year + 1, 4, 1), "document_number": "渝经信节能〔2026〕8号"})
    assert "document_number" in refused.value.message_dict


def test_changing_a_rounds_deadline_tells_the_districts_and_the_applicants(people, certification_round):
    started(people, certification_round)
    services.round_update(certification_round=certification_round, actor=people.city, data={
        "application_deadline": certification_round.application_deadline + datetime.timedelta(days=5),
        "recommendation_deadline": certification_round.recommendation_deadline + datetime.timedelta(days=5)})
    assert Notification.objects.filter(recipient=people.enterprise, title__contains="截止日期已调整").exists()
    assert Notification.objects.filter(recipient=people.district, title__contains="截止日期已调整").exists()


def test_the_register_refuses_a_bad_credit_code_a_bad_phone_and_a_twin(people):
    register(people)
    data = {"legal_representative": "张", "contact_name": "李", "contact_phone": "abc", "qualifications": "CMA",
            "staff_count": 5}
    with pytest.raises(ValidationError) as refused:
        evaluation_services.register_save(actor=people.city, name=people.evaluator.organisation.name,
                                          credit_code="123", data=data)
    assert {"name", "credit_code", "contact_phone"} <= set(refused.value.message_dict)


def test_the_cap_cannot_go_below_what_an_organisation_holds(people, certification_round):
    commissioned(people, started(people, certification_round))
    commissioned(people, started(people, certification_round, park=True))
    assert services.most_evaluations_in_round(certification_round.pk) == 2
    with pytest.raises(ValidationError) as refused:
        services.round_update(certification_round=certification_round, actor=people.city, data={"evaluator_cap": 1})
    assert "evaluator_cap" in refused.value.message_dict
    services.round_update(certification_round=certification_round, actor=people.city, data={"evaluator_cap": 2})


def test_a_case_sent_back_and_commissioned_again_gets_a_new_report(client, people, certification_round):
    application = submitted(people, certification_round)
    services.certification_return(application=application, actor=people.district, reason="请重新评价")
    services.certification_restart(application=application, actor=people.enterprise, reason="已整改")
    commissioned(people, application)
    client.force_login(people.evaluator)
    page = client.get(reverse("evaluation:certification", args=[application.public_id])).content.decode()
    assert "接受委托并开始现场评价" in page
    # The sheet's address leads to that button while the new commission has no report of its own.
    assert client.get(reverse("evaluation:report_sheet", args=[application.public_id])).status_code == 302
    application = evaluated(people, CertificationApplication.objects.get(pk=application.pk))
    assert application.status == CertificationStatus.EVALUATED
    assert EvaluationReport.objects.filter(application=application).count() == 2


def test_a_document_number_is_written_with_its_year_in_hexagonal_brackets(people, certification_round):
    certification_round.document_number = "渝经信节能〔2026〕8号"
    certification_round.save()
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        services.round_create(actor=people.city, data={
            "year": today.year + 1, "title": "x", "opens_on": datetime.date(today.year + 1, 1, 5),
            "application_deadline": datetime.date(today.year + 1, 3, 1),
            "recommendation_deadline": datetime.date(today.year + 1, 4, 1), "document_number": "渝经信节能[2026] 8号"})
    assert "document_number" in refused.value.message_dict


def test_a_twin_name_in_other_brackets_is_refused_by_the_register(people):
    register(people)
    twin = people.evaluator.organisation.name.replace("（", "(").replace("）", ")") + " "
    with pytest.raises(ValidationError) as refused:
        evaluation_services.register_save(actor=people.city, name=twin, credit_code="", data={
            "legal_representative": "张", "contact_name": "李", "contact_phone": "023-61234567",
            "qualifications": "CMA", "staff_count": 5})
    assert "name" in refused.value.message_dict
