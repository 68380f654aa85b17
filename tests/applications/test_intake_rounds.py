"""Issue 6 at the service level: the identity locked to the registration, admitting against a failed entry criterion,
deleting a draft, withdrawing and reopening, the current round's decision, permission before state."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django_fsm_log.models import StateLog

from accounts.models import AuditAction, AuditEvent, Notification
from applications import selectors, services, workflows
from applications.models import CriterionResult, IntakeApplication, IntakeStatus, LibraryEntry
from greenfactory.workflow import TransitionConflict, fire
from tests.factories import EnterpriseFactory, credit_code_for, district
from tests.helpers import NOW, SHANGHAI, filled, upload_scan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_clock")]


def submitted(campaign, user, **changes):
    application = services.intake_submit(application=filled(campaign, user, **changes), actor=user)
    upload_scan(application, user)
    return application


def audits(application, transition):
    return [e.detail for e in AuditEvent.objects.filter(action=AuditAction.TRANSITION,
                                                        object_id=str(application.public_id))
            if e.detail.get("transition") == transition]


# --- 1. The identity is the registered one --------------------------------------------------------------------------


def test_a_posted_name_and_credit_code_of_another_company_change_nothing(campaign, people):
    other = EnterpriseFactory(district=district("长寿区"), name="重庆别家化工有限公司")
    application = filled(campaign, people.enterprise, company_name=other.name, credit_code=other.credit_code)
    registered = people.enterprise.organisation.enterprise
    assert (application.company_name, application.credit_code) == (registered.name, registered.credit_code)
    application.refresh_from_db()
    assert (application.company_name, application.credit_code) == (registered.name, registered.credit_code)


def test_submission_copies_the_registered_identity_and_criterion_1_judges_it(campaign, people):
    application = filled(campaign, people.enterprise)
    # A draft saved before the identity was locked, under another company's name and a code from another district.
    IntakeApplication.objects.filter(pk=application.pk).update(
        company_name="冒名公司", credit_code=credit_code_for("500112", 4242))
    application = services.intake_submit(application=application, actor=people.enterprise)
    registered = people.enterprise.organisation.enterprise
    assert (application.company_name, application.credit_code) == (registered.name, registered.credit_code)
    assert application.criteria.get(criterion="1").result == CriterionResult.MET
    assert audits(application, "submit")[0]["identity"] == {"company_name": registered.name,
                                                            "credit_code": registered.credit_code}


def test_the_submitted_snapshot_stays_when_the_registration_changes_later(campaign, people):
    application = submitted(campaign, people.enterprise)
    enterprise = people.enterprise.organisation.enterprise
    type(enterprise).objects.filter(pk=enterprise.pk).update(name="重庆改名后化工有限公司")
    application = selectors.intake_get_for_user(people.district, application.public_id)
    assert application.applicant_name == enterprise.name
    assert application.identity_changed_since_submission
    draft = filled(campaign, people.enterprise_2)
    ent2 = people.enterprise_2.organisation.enterprise
    type(ent2).objects.filter(pk=ent2.pk).update(name="重庆渝北新名电子有限公司")
    draft = selectors.intake_get_for_user(people.enterprise_2, draft.public_id)
    # A draft always shows the registration as it is now.
    assert draft.applicant_name == "重庆渝北新名电子有限公司"
    assert not draft.identity_changed_since_submission


# --- 2. Admitting against a failed entry criterion ------------------------------------------------------------------


@pytest.mark.parametrize(("changes", "numbers"), [
    ({"output_value": Decimal("3000")}, "2"),
    ({"output_value": Decimal("3000"), "total_profit_2": Decimal("-10")}, "2、3"),
    ({"green_investment_amount": Decimal("0")}, "5"),  # 需人工判断 counts too
])
def test_admitting_a_case_that_fails_a_criterion_needs_a_reason(campaign, people, changes, numbers):
    application = submitted(campaign, people.enterprise, **changes)
    for blank in ("", "   "):
        with pytest.raises(ValidationError) as error:
            services.intake_accept(application=application, actor=people.district, comment=blank)
        assert f"第{numbers}项" in error.value.message_dict["reason"][0]
    application.refresh_from_db()
    assert application.status == IntakeStatus.SUBMITTED
    assert not LibraryEntry.objects.exists()
    services.intake_accept(application=application, actor=people.district, comment="区重点培育的新投产企业")
    application.refresh_from_db()
    assert application.status == IntakeStatus.ACCEPTED
    assert application.decision_reason == f"不符合入库标准第{numbers}项，纳入理由：区重点培育的新投产企业"
    log = StateLog.objects.for_(application).order_by("-timestamp", "-pk").first()
    assert log.description == application.decision_reason
    detail = audits(application, "accept")[0]
    assert detail["from"] == "submitted" and detail["to"] == "accepted"
    assert detail["comment"] == application.decision_reason
    assert detail["criteria_overridden"] == numbers.split("、")


def test_a_compliant_case_is_admitted_without_a_reason(campaign, people):
    application = submitted(campaign, people.enterprise)
    services.intake_accept(application=application, actor=people.district)
    assert audits(application, "accept")[0]["criteria_overridden"] == []


def test_the_draft_is_warned_of_failing_criteria_and_submission_waits_for_the_warning_to_be_seen(campaign, people):
    application = filled(campaign, people.enterprise, output_value=Decimal("3000"), major_accident=True)
    assert [w.criterion for w in services.entry_criteria_warnings(application)] == ["2", "4"]
    with pytest.raises(ValidationError) as error:
        services.intake_submit(application=application, actor=people.enterprise, acknowledged_criteria={"2"})
    assert error.value.code == "criteria_not_acknowledged"
    assert "第4项" in error.value.messages[0]
    application.refresh_from_db()
    assert application.status == IntakeStatus.DRAFT
    services.intake_submit(application=application, actor=people.enterprise, acknowledged_criteria={"2", "4"})
    application.refresh_from_db()
    assert application.status == IntakeStatus.SUBMITTED


def test_unanswered_criteria_are_left_to_the_missing_fields_list(campaign, people):
    application = services.intake_start(campaign=campaign, actor=people.enterprise)
    assert services.entry_criteria_warnings(application) == []


# --- 6. Deleting a draft, withdrawing, reopening --------------------------------------------------------------------


def test_a_draft_never_submitted_is_deleted_and_can_be_started_again(campaign, people):
    application = filled(campaign, people.enterprise)
    public_id = application.public_id
    services.intake_delete(application=application, actor=people.enterprise)
    assert not IntakeApplication.objects.filter(public_id=public_id).exists()
    # Deleting a draft is not a transition of the case: its own audit action.
    event = AuditEvent.objects.get(object_id=str(public_id), action=AuditAction.DELETED)
    assert (event.detail["from"], event.detail["to"]) == ("draft", "deleted")
    fresh = services.intake_start(campaign=campaign, actor=people.enterprise)
    assert fresh.public_id != public_id
    assert fresh.status == IntakeStatus.DRAFT
    assert fresh.output_value is None  # a fresh draft from the campaign and the profile


def test_a_draft_never_submitted_is_deleted_not_withdrawn(campaign, people):
    application = filled(campaign, people.enterprise)
    assert "withdraw" not in workflows.INTAKE.available_slugs(application, people.enterprise)
    with pytest.raises(TransitionConflict):
        services.intake_withdraw(application=application, actor=people.enterprise)


def test_a_case_the_district_has_seen_is_not_deleted(campaign, people):
    application = submitted(campaign, people.enterprise)
    with pytest.raises(TransitionConflict) as error:
        services.intake_delete(application=application, actor=people.enterprise)
    assert error.value.url.endswith(f"/intake/{application.public_id}/")
    services.intake_return(application=application, actor=people.district, reason="补充利润数据")
    services.intake_reopen(application=application, actor=people.enterprise)
    application.refresh_from_db()
    assert application.status == IntakeStatus.DRAFT
    assert workflows.INTAKE.available_slugs(application, people.enterprise) >= {"withdraw", "submit"}
    assert "delete" not in workflows.INTAKE.available_slugs(application, people.enterprise)
    with pytest.raises(TransitionConflict):
        services.intake_delete(application=application, actor=people.enterprise)


@pytest.mark.parametrize("role", ["enterprise_2", "district", "district_2", "city", "expert", "admin"])
def test_only_the_enterprise_deletes_its_draft(campaign, people, role):
    application = filled(campaign, people.enterprise)
    with pytest.raises(PermissionDenied):
        services.intake_delete(application=application, actor=getattr(people, role))
    assert IntakeApplication.objects.filter(pk=application.pk).exists()


def test_withdrawing_clears_the_districts_to_do_and_the_district_reopens_it(
    campaign, people, django_capture_on_commit_callbacks
):
    application = submitted(campaign, people.enterprise)
    review = Notification.objects.get(recipient=people.district, title__startswith="入库申请待审核")
    assert review.read_at is None
    services.intake_withdraw(application=application, actor=people.enterprise)
    review.refresh_from_db()
    assert review.read_at is not None
    assert selectors.intake_queue_for_user(people.district).count() == 0
    detail = audits(application, "withdraw")[0]
    assert (detail["from"], detail["to"]) == ("submitted", "withdrawn")
    with pytest.raises(ValidationError):
        services.intake_reinstate(application=application, actor=people.district, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        services.intake_reinstate(application=application, actor=people.district, reason="企业来电说明误操作")
    application.refresh_from_db()
    assert application.status == IntakeStatus.DRAFT
    log = StateLog.objects.for_(application).order_by("-timestamp", "-pk").first()
    assert (log.by, log.source_state, log.state, log.description) == (
        people.district, "withdrawn", "draft", "企业来电说明误操作")
    detail = audits(application, "reinstate")[0]
    assert (detail["from"], detail["to"], detail["comment"]) == ("withdrawn", "draft", "企业来电说明误操作")
    message = Notification.objects.get(recipient=people.enterprise, title__startswith="入库申请已恢复")
    assert "企业来电说明误操作" in message.body and "2026-03-15" in message.body
    # The enterprise submits again; the district's queue has it again.
    with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
        services.intake_submit(application=application, actor=people.enterprise)
    assert selectors.intake_queue_for_user(people.district).count() == 1


def test_reopening_after_the_deadline_is_refused_with_a_clear_message(campaign, people):
    application = submitted(campaign, people.enterprise)
    services.intake_withdraw(application=application, actor=people.enterprise)
    with time_machine.travel(datetime(2026, 3, 16, 0, 0, 1, tzinfo=SHANGHAI), tick=False):
        assert "reinstate" not in workflows.INTAKE.available_slugs(application, people.district)
        with pytest.raises(ValidationError) as error:
            services.intake_reinstate(application=application, actor=people.district, reason="企业申请恢复")
    assert error.value.messages == ["本年度入库申请已于2026-03-15截止，撤回的申请不能再恢复。"]
    application.refresh_from_db()
    assert application.status == IntakeStatus.WITHDRAWN


@pytest.mark.parametrize("role", ["enterprise", "enterprise_2", "district_2", "city", "expert", "admin"])
def test_only_the_applications_district_reopens_it(campaign, people, role):
    application = submitted(campaign, people.enterprise)
    services.intake_withdraw(application=application, actor=people.enterprise)
    with pytest.raises(PermissionDenied):
        services.intake_reinstate(application=application, actor=getattr(people, role), reason="恢复")
    application.refresh_from_db()
    assert application.status == IntakeStatus.WITHDRAWN


def test_a_decision_marks_the_districts_review_messages_handled(campaign, people):
    colleague = type(people.district).objects.create(
        username="district-colleague", role="district", organisation=people.district.organisation,
        email="colleague@example.com", full_name="同事")
    application = submitted(campaign, people.enterprise)
    assert Notification.objects.filter(title__startswith="入库申请待审核", read_at__isnull=True).count() == 2
    services.intake_return(application=application, actor=people.district, reason="补充材料")
    assert not Notification.objects.filter(recipient=colleague, read_at__isnull=True).exists()


# --- 7. The current round's decision --------------------------------------------------------------------------------


def test_resubmission_leaves_the_previous_rounds_reason_in_the_history_only(campaign, people):
    application = submitted(campaign, people.enterprise)
    services.intake_return(application=application, actor=people.district, reason="利润数据需附审计报告")
    services.intake_reopen(application=application, actor=people.enterprise)
    application.refresh_from_db()
    assert application.decision_reason == "利润数据需附审计报告"  # shown on the edit form during this round
    with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
        application = services.intake_submit(application=application, actor=people.enterprise)
    application.refresh_from_db()
    assert (application.decision_reason, application.decided_at) == ("", None)
    assert "利润数据需附审计报告" in StateLog.objects.for_(application).values_list("description", flat=True)


# --- 19. Permission before state ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "service", "state"), [
    ("enterprise", "accept", "draft"),
    ("enterprise", "reject", "accepted"),
    ("city", "return", "draft"),
    ("district", "withdraw", "accepted"),
    ("district", "submit", "submitted"),
    ("enterprise", "reinstate", "submitted"),
    ("city", "reopen", "submitted"),
])
def test_a_wrong_role_is_refused_before_anything_is_said_about_the_state(campaign, people, role, service, state):
    application = filled(campaign, people.enterprise)
    if state != "draft":
        application = submitted(campaign, people.enterprise)
    if state == "accepted":
        services.intake_accept(application=application, actor=people.district)
    user = getattr(people, role)
    call = {
        "accept": lambda: services.intake_accept(application=application, actor=user),
        "reject": lambda: services.intake_reject(application=application, actor=user, reason="x"),
        "return": lambda: services.intake_return(application=application, actor=user, reason="x"),
        "withdraw": lambda: services.intake_withdraw(application=application, actor=user),
        "submit": lambda: services.intake_submit(application=application, actor=user),
        "reinstate": lambda: services.intake_reinstate(application=application, actor=user, reason="x"),
        "reopen": lambda: services.intake_reopen(application=application, actor=user),
    }[service]
    with pytest.raises(PermissionDenied):
        call()


def test_a_repeated_decision_is_a_conflict_that_links_back(campaign, people):
    application = submitted(campaign, people.enterprise)
    services.intake_accept(application=application, actor=people.district)
    with pytest.raises(TransitionConflict) as error:
        services.intake_reject(application=application, actor=people.district, reason="迟到")
    assert "已入库" in error.value.message
    assert error.value.url == reverse("applications:intake_detail", args=[application.public_id])
    assert len(audits(application, "accept")) == 1
    assert audits(application, "reject") == []


def test_the_transition_kernel_asks_for_the_permission_before_the_state(campaign, people):
    application = submitted(campaign, people.enterprise)
    services.intake_accept(application=application, actor=people.district)
    application.refresh_from_db()
    # The enterprise may never reject, whatever the state: 403, not "the case is already accepted".
    with pytest.raises(PermissionDenied):
        fire(application, "reject", actor=people.enterprise, comment="x")
    # The district may reject from "submitted": on an accepted case that is a conflict.
    with pytest.raises(TransitionConflict):
        fire(application, "reject", actor=people.district, comment="x")
