"""Review assignments: the state chart (state × role × transition), assigning, and what each step records and tells."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django_fsm_log.models import StateLog

from accounts.choices import DeadlineKind, Role
from accounts.deadlines import deadlines_open_for_user
from accounts.models import AuditAction, AuditEvent, Notification, Organisation, OrganisationKind
from applications import access
from applications.choices import ReviewTaskKind, ReviewTaskStatus
from applications.models import CultivationCampaign, IntakeApplication, IntakeStatus, ReviewTask
from applications.services import review as review_tasks
from greenfactory.workflow import FiredOutsideKernelError, TransitionConflict
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _pinned_clock():
    with time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI), tick=False):
        yield


@pytest.fixture
def application(people):
    campaign = CultivationCampaign.objects.create(year=2026, title="2026年绿色工厂培育工作", opens_on=date(2026, 2, 20),
                                                  deadline=date(2026, 3, 15), created_by=people.city)
    enterprise = people.enterprise.organisation.enterprise
    return IntakeApplication.objects.create(
        campaign=campaign, enterprise=enterprise, district=enterprise.district, company_name=enterprise.name,
        credit_code=enterprise.credit_code, status=IntakeStatus.SUBMITTED, submitted_at=datetime(2026, 3, 1,
                                                                                                  tzinfo=SHANGHAI))


@pytest.fixture
def others(people):
    """A second expert, a colleague of the evaluator and an evaluator of another organisation."""
    other_org = Organisation.objects.create(kind=OrganisationKind.EVALUATOR, name="另一评价机构")
    return {
        "expert_2": UserFactory(username="expert-2", role=Role.EXPERT, organisation=people.expert.organisation),
        "evaluator_colleague": UserFactory(username="evaluator-2", role=Role.EVALUATOR,
                                           organisation=people.evaluator.organisation),
        "evaluator_other": UserFactory(username="evaluator-3", role=Role.EVALUATOR, organisation=other_org),
    }


def _task(application, people, status, *, to_organisation=False):
    assignee = ({"assignee_organisation": people.evaluator.organisation, "kind": ReviewTaskKind.EVALUATION}
                if to_organisation else {"assignee_user": people.expert, "kind": ReviewTaskKind.EXPERT_REVIEW})
    return ReviewTask.objects.create(case=application, due_on=date(2026, 3, 20), assigned_by=people.district,
                                     district_id=application.district_id, applicant_id=application.enterprise_id,
                                     status=status, **assignee)


SERVICES = {
    "accept": lambda task, actor: review_tasks.review_task_accept(task=task, actor=actor),
    "decline": lambda task, actor: review_tasks.review_task_decline(task=task, actor=actor, reason="时间冲突"),
    "complete": lambda task, actor: review_tasks.review_task_complete(task=task, actor=actor, comment="已评审"),
    "withdraw": lambda task, actor: review_tasks.review_task_withdraw(task=task, actor=actor, reason="未答复"),
}
# The state chart: from each state, where each transition leads (absent: not allowed from there).
CHART = {
    ReviewTaskStatus.ASSIGNED: {"accept": ReviewTaskStatus.ACCEPTED, "decline": ReviewTaskStatus.DECLINED,
                                "withdraw": ReviewTaskStatus.WITHDRAWN},
    ReviewTaskStatus.ACCEPTED: {"decline": ReviewTaskStatus.DECLINED, "complete": ReviewTaskStatus.DONE,
                                "withdraw": ReviewTaskStatus.WITHDRAWN},
    ReviewTaskStatus.DONE: {},
    ReviewTaskStatus.DECLINED: {},
    ReviewTaskStatus.WITHDRAWN: {},
}
# Who may fire them: the assignee only — for a task of an organisation, any of its evaluators; withdrawing is the
# applicant's, and only of its evaluator commission (the task of an organisation here).
PERSONAL_ASSIGNEES = {"expert"}
ORGANISATION_ASSIGNEES = {"evaluator", "evaluator_colleague"}


def _may(name, role, to_organisation) -> bool:
    if name == "withdraw":
        return to_organisation and role == "enterprise"
    return role in (ORGANISATION_ASSIGNEES if to_organisation else PERSONAL_ASSIGNEES)
ROLES = ("expert", "expert_2", "evaluator", "evaluator_colleague", "evaluator_other", "district", "district_2",
         "city", "admin", "enterprise", "enterprise_2", "park", "department")


@pytest.mark.parametrize("to_organisation", [False, True], ids=["to-a-person", "to-an-organisation"])
@pytest.mark.parametrize("name", list(SERVICES))
@pytest.mark.parametrize("state", list(CHART))
@pytest.mark.parametrize("role", ROLES)
def test_state_role_transition(application, people, others, to_organisation, name, state, role):
    actor = others[role] if role in others else getattr(people, role)
    task = _task(application, people, state, to_organisation=to_organisation)
    may = _may(name, role, to_organisation)
    target = CHART[state].get(name)
    if not may:
        # Permission before state: someone else learns nothing about where the task stands.
        with pytest.raises(PermissionDenied):
            SERVICES[name](task, actor)
    elif target is None:
        with pytest.raises(TransitionConflict):
            SERVICES[name](task, actor)
    else:
        assert SERVICES[name](task, actor).status == target
    task.refresh_from_db()
    assert task.status == (target if may and target else state)
    # The buttons a page would show agree with the services.
    available = {t.name for t in task.get_available_user_status_transitions(actor)}
    assert available == {other for other in CHART[task.status] if _may(other, role, to_organisation)}


def test_a_transition_called_outside_the_kernel_raises(application, people):
    task = _task(application, people, ReviewTaskStatus.ASSIGNED)
    with pytest.raises(FiredOutsideKernelError):
        task.accept(by=people.expert)


# --- Assigning ---------------------------------------------------------------------------------------------------


def _assign(application, actor, assignee, **changes):
    arguments = {"kind": ReviewTaskKind.EXPERT_REVIEW, "due_on": TODAY + timedelta(days=10), "note": "请核对产值",
                 **changes}
    return review_tasks.review_task_assign(case=application, actor=actor, assignee=assignee, **arguments)


def test_the_district_assigns_an_expert_who_is_told_and_then_sees_the_case(client, application, people, others):
    task = _assign(application, people.district, people.expert)
    assert (task.status, task.district_id, task.applicant_id) == (
        ReviewTaskStatus.ASSIGNED, application.district_id, application.enterprise_id)
    assert task.case == application
    assert AuditEvent.objects.filter(action=AuditAction.CREATED, object_id=str(task.public_id)).exists()
    assert Notification.objects.filter(recipient=people.expert, title__contains="专家评审").exists()
    client.force_login(people.expert)
    assert client.get(reverse("applications:intake_detail", args=[application.public_id])).status_code == 200
    client.force_login(others["expert_2"])
    assert client.get(reverse("applications:intake_detail", args=[application.public_id])).status_code == 404


@pytest.mark.parametrize(("role", "kinds"), [
    ("district", {ReviewTaskKind.EXPERT_REVIEW, ReviewTaskKind.ON_SITE}),
    ("city", {ReviewTaskKind.EXPERT_REVIEW, ReviewTaskKind.ON_SITE}),
    ("district_2", set()), ("admin", set()), ("enterprise", set()), ("enterprise_2", set()), ("park", set()),
    ("expert", set()), ("evaluator", set()), ("department", set()),
])
def test_who_may_assign_what_on_an_intake_application(application, people, role, kinds):
    """The intake case offers expert reviews and on-site checks; a district orders them on its own cases, the city
    on any; the applicant's evaluator commission belongs to certification, not to intake."""
    actor = getattr(people, role)
    assert access.review_task_kinds_for(actor, application) == kinds
    if not kinds:
        with pytest.raises(PermissionDenied):
            _assign(application, actor, people.expert)


@pytest.mark.parametrize("kind", [ReviewTaskKind.EVALUATION, ReviewTaskKind.DEPARTMENT_OPINION])
def test_kinds_the_case_does_not_offer_are_refused_even_to_the_city(application, people, kind):
    with pytest.raises(PermissionDenied):
        _assign(application, people.city, people.evaluator.organisation, kind=kind)


def test_the_assignee_must_fit_the_kind_and_the_date_must_not_be_past(application, people):
    for wrong in (people.department, people.evaluator, people.district, people.expert.organisation):
        with pytest.raises(ValidationError) as refused:
            _assign(application, people.district, wrong)
        assert "assignee" in refused.value.message_dict
    people.expert.is_active = False
    people.expert.save()
    with pytest.raises(ValidationError):
        _assign(application, people.district, people.expert)
    people.expert.is_active = True
    people.expert.save()
    with pytest.raises(ValidationError) as refused:
        _assign(application, people.district, people.expert, due_on=TODAY - timedelta(days=1))
    assert "due_on" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        _assign(application, people.district, people.expert, note="字" * 1001)
    assert "note" in refused.value.message_dict
    assert not ReviewTask.objects.exists()


def test_one_open_task_of_a_kind_per_assignee_and_a_new_one_after_declining(application, people):
    first = _assign(application, people.district, people.expert)
    with pytest.raises(ValidationError):
        _assign(application, people.district, people.expert)
    # Another kind for the same expert is a different task.
    _assign(application, people.district, people.expert, kind=ReviewTaskKind.ON_SITE)
    review_tasks.review_task_decline(task=first, actor=people.expert, reason="回避：与企业有利害关系")
    assert _assign(application, people.city, people.expert).status == ReviewTaskStatus.ASSIGNED


@pytest.mark.parametrize("status", [IntakeStatus.DRAFT, IntakeStatus.ACCEPTED, IntakeStatus.WITHDRAWN])
def test_an_intake_case_is_assigned_only_while_it_waits_for_the_district(application, people, status):
    IntakeApplication.objects.filter(pk=application.pk).update(status=status)
    with pytest.raises(TransitionConflict):
        _assign(application, people.district, people.expert)


# --- Accepting, declining, completing ----------------------------------------------------------------------------


def test_declining_needs_a_reason_records_it_tells_the_assigner_and_closes_the_case(client, application, people):
    task = _assign(application, people.district, people.expert)
    with pytest.raises(ValidationError) as refused:
        review_tasks.review_task_decline(task=task, actor=people.expert, reason="  ")
    assert "reason" in refused.value.message_dict
    task = review_tasks.review_task_decline(task=task, actor=people.expert, reason="回避：与企业有利害关系")
    assert (task.status, task.decline_reason) == (ReviewTaskStatus.DECLINED, "回避：与企业有利害关系")
    assert task.declined_at is not None
    log = StateLog.objects.for_(task).get()
    assert (log.source_state, log.state, log.description, log.by) == (
        "assigned", "declined", "回避：与企业有利害关系", people.expert)
    event = AuditEvent.objects.get(action=AuditAction.TRANSITION, object_id=str(task.public_id))
    assert event.detail["comment"] == "回避：与企业有利害关系"
    told = Notification.objects.get(recipient=people.district, title__contains="谢绝")
    assert "回避" in told.body
    client.force_login(people.expert)
    assert client.get(reverse("applications:intake_detail", args=[application.public_id])).status_code == 404


def test_the_expert_accepts_and_completes_and_keeps_reading_the_case(client, application, people):
    task = _assign(application, people.district, people.expert)
    task = review_tasks.review_task_accept(task=task, actor=people.expert)
    assert task.accepted_at is not None
    task = review_tasks.review_task_complete(task=task, actor=people.expert, comment="材料属实")
    assert (task.status, task.completed_at is not None) == (ReviewTaskStatus.DONE, True)
    assert [log.state for log in StateLog.objects.for_(task).order_by("pk")] == ["accepted", "done"]
    assert Notification.objects.filter(recipient=people.district, title__contains="已完成").exists()
    client.force_login(people.expert)
    assert client.get(reverse("applications:intake_detail", args=[application.public_id])).status_code == 200


def test_a_commission_to_an_organisation_tells_all_its_evaluators(people, others):
    task = ReviewTask(kind=ReviewTaskKind.EVALUATION, assignee_organisation=people.evaluator.organisation)
    assert set(review_tasks.review_task_assignee_users(task)) == {people.evaluator, others["evaluator_colleague"]}


# --- The assignee's page -----------------------------------------------------------------------------------------


def test_the_expert_works_through_the_task_page(client, application, people, django_assert_num_queries):
    task = _assign(application, people.district, people.expert)
    client.force_login(people.expert)
    url = reverse("applications:review_task_list")
    client.get(url)  # content types are cached per process: the count below is the steady one
    # The session and the user with the unit; the tasks with their assigners' names; the intake cases with their
    # campaigns (kept across requests where the cache is on); the navigation's to-do count and unread messages (the
    # session is not written again within a minute of the login).
    with django_assert_num_queries(6):
        page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert reverse("applications:intake_detail", args=[application.public_id]) in html
    assert "接受任务" in html and "完成任务" not in html
    action = reverse("applications:review_task_action", args=[task.public_id, "accept"])
    assert client.post(action).status_code == 302
    task.refresh_from_db()
    assert task.status == ReviewTaskStatus.ACCEPTED
    decline = reverse("applications:review_task_action", args=[task.public_id, "decline"])
    response = client.post(decline, {"reason": ""}, follow=True)
    assert "请填写谢绝原因" in response.content.decode()
    task.refresh_from_db()
    assert task.status == ReviewTaskStatus.ACCEPTED
    client.post(reverse("applications:review_task_action", args=[task.public_id, "complete"]), {"reason": "属实"})
    task.refresh_from_db()
    assert task.status == ReviewTaskStatus.DONE
    # Done already: a repeated action answers 409.
    assert client.post(action).status_code == 409


def test_the_task_page_is_for_assignees_and_another_persons_task_is_404(client, application, people, others):
    task = _assign(application, people.district, people.expert)
    for role in ("enterprise", "district", "city"):
        client.force_login(getattr(people, role))
        assert client.get(reverse("applications:review_task_list")).status_code == 403
    client.force_login(others["expert_2"])
    assert "暂无评审任务" in client.get(reverse("applications:review_task_list")).content.decode()
    assert client.post(reverse("applications:review_task_action",
                               args=[task.public_id, "accept"])).status_code == 404
    client.force_login(people.expert)
    assert client.post(reverse("applications:review_task_action", args=[task.public_id, "nonsense"])).status_code \
        == 404
    # An action's address opened (not posted) leads to where the task's buttons are.
    response = client.get(reverse("applications:review_task_action", args=[task.public_id, "accept"]))
    assert (response.status_code, response["Location"]) == (302, reverse("applications:review_task_list"))


# --- The task's clock --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("ending", ["complete", "decline"])
def test_assigning_starts_the_assignees_clock_and_completing_or_declining_stops_it(application, people, ending):
    task = _assign(application, people.district, people.expert, due_on=TODAY + timedelta(days=10))
    clock = deadlines_open_for_user(people.expert).get()
    assert (clock.kind, clock.subject, clock.due_on, clock.user) == (
        DeadlineKind.REVIEW_TASK, task, TODAY + timedelta(days=10), people.expert)
    assert clock.url == reverse("applications:review_task_list")
    task = review_tasks.review_task_accept(task=task, actor=people.expert)
    assert deadlines_open_for_user(people.expert).exists()  # accepting is not finishing
    SERVICES[ending](task, people.expert)
    assert not deadlines_open_for_user(people.expert).exists()
    clock.refresh_from_db()
    assert clock.closed_by == ending



def test_a_decline_reason_of_invisible_characters_is_no_reason(application, people, others):
    task = _assign(application, people.district, people.expert)
    with pytest.raises(ValidationError):
        review_tasks.review_task_decline(task=task, actor=people.expert, reason=" \u200b\u3000")
    task.refresh_from_db()
    assert task.status == ReviewTaskStatus.ASSIGNED
