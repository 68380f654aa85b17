"""Services of review assignments (``ReviewTask``): assign one on a case, and the assignee accepts, declines (with a
reason) or completes it. Every change of state goes through ``greenfactory.workflow.fire`` (lock, guard on the
locked row, fire, save, record, message); only these services fire the task's transitions."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.audit import audit_record
from accounts.choices import DeadlineKind, OrganisationStatus, Role
from accounts.deadlines import deadline_open
from accounts.inbox import notification_send
from accounts.models import AuditAction, Organisation, User
from accounts.scope import case_applicant_id, case_district_id
from applications import access
from applications.models.review import ORGANISATION_TASK_KINDS, PERSONAL_TASK_KINDS, ReviewTask
from greenfactory.case_pages import case_page
from greenfactory.language import portal_language
from greenfactory.workflow import (
    COMMENT_MAX_LENGTH,
    Message,
    TransitionConflict,
    fire,
    lock,
    reason_required,
    state_conflict,
)


def _assignee_fits(kind, assignee, case=None) -> bool:
    """An evaluation commission goes to an approved evaluator organisation; the other kinds to an active person of
    the kind's role whose unit is approved."""
    if kind in ORGANISATION_TASK_KINDS:
        return (isinstance(assignee, Organisation) and assignee.kind == ORGANISATION_TASK_KINDS[kind]
                and assignee.status == OrganisationStatus.ACTIVE)
    # A case may narrow who takes a kind (``review_task_roles``): on a certification application the on-site
    # verification is the city's own staff's (第十一条), on a library entry an expert's.
    roles = getattr(type(case), "review_task_roles", {}).get(kind) or PERSONAL_TASK_KINDS.get(kind, ())
    return (isinstance(assignee, User) and assignee.is_active and assignee.role in roles
            and assignee.organisation is not None and assignee.organisation.status == OrganisationStatus.ACTIVE)


# The kinds of case the city's staff are asked about, by model, and the key their page is registered under.
CITY_CASE_PAGES = {"certificationapplication": "certification_application"}


def task_page_url(task, case) -> str:
    """Where the assignee works on the task: the task list, or for the city's own staff (who have none: they see
    every case) the case's page, where the opinion is written."""
    if task.assignee_user_id is not None and task.assignee_user.role == Role.CITY:
        name = case_page(CITY_CASE_PAGES.get(case._meta.model_name, ""))
        if name:
            return reverse(name, args=[case.public_id]) + "#city-review"
    return reverse("applications:review_task_list")


def review_task_assignee_users(task):
    """Who is told about the task: the assigned person, or the active users of the assigned organisation."""
    if task.assignee_user_id is not None:
        return [task.assignee_user]
    return list(task.assignee_organisation.users.filter(is_active=True))


@transaction.atomic
def review_task_assign(*, case, actor, kind, assignee, due_on, note="", request=None) -> ReviewTask:
    """Assign a task of ``kind`` on ``case`` to ``assignee`` (a user, or an organisation for an evaluation
    commission), due on ``due_on``, and tell the assignee.

    Raises PermissionDenied when the actor may not ask for this kind of task on the case (the city any kind the case
    offers, a district official expert reviews and on-site checks of its district's cases, the applicant its
    evaluator commission); TransitionConflict (409) when the case is no longer in a state in which it may be assigned;
    ValidationError for an assignee who cannot take the kind of task, a due date in the past, a note too long, or an
    open task of the same kind already with the same assignee."""
    if kind not in access.review_task_kinds_for(actor, case):
        raise PermissionDenied(_("您无权指派该任务。"))
    # The case's state is read under its lock, so a decision made meanwhile cannot slip in between.
    case = lock(case)
    states = getattr(type(case), "review_task_states", None)
    if isinstance(states, dict):  # declared per kind
        states = states.get(kind, ())
    if states is not None and case.status not in states:
        raise state_conflict(case)
    if not _assignee_fits(kind, assignee, case):
        raise ValidationError({"assignee": _("所选承办人或单位不能承担此类任务。")})
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": _("完成期限不能早于今天。")})
    note = (note or "").strip()
    if len(note) > COMMENT_MAX_LENGTH:
        raise ValidationError({"note": _("任务说明最多 %(limit)d 个字符，您填写了 %(count)d 个，请精简后再提交。")
                               % {"limit": COMMENT_MAX_LENGTH, "count": len(note)}})
    task = ReviewTask(
        case=case, kind=kind, due_on=due_on, note=note, assigned_by=actor,
        district_id=case_district_id(case), applicant_id=case_applicant_id(case),
        assignee_user=assignee if isinstance(assignee, User) else None,
        assignee_organisation=assignee if isinstance(assignee, Organisation) else None,
    )
    try:
        with transaction.atomic():
            task.save()
    except IntegrityError:
        # The partial unique constraints: one open task of a kind per case and assignee.
        raise ValidationError({"assignee": _("该事项已向所选承办人或单位指派了同类任务，尚未完成。")}) from None
    # The assignee's clock: reminded before the due date and chased after it; declining or completing stops it.
    url = task_page_url(task, case)
    deadline_open(subject=task, kind=DeadlineKind.REVIEW_TASK, user=task.assignee_user,
                  organisation=task.assignee_organisation, due_on=due_on,
                  label=f"{task.get_kind_display()}：{case}", url=url)
    audit_record(action=AuditAction.CREATED, actor=actor, obj=task, request=request, detail={
        "kind": kind, "case": f"{case._meta.label}:{getattr(case, 'public_id', case.pk)}",
        "assignee": str(assignee), "due_on": due_on.isoformat()})
    with portal_language():
        notification_send(
            recipients=review_task_assignee_users(task),
            title=_("新的评审任务：%(kind)s") % {"kind": task.get_kind_display()},
            body=_("%(case)s：%(kind)s，请于 %(due)s 前完成。%(note)s") % {
                "case": case, "kind": task.get_kind_display(), "due": due_on.isoformat(), "note": note},
            url=url,
        )
    return task


def _to_assigner(title, body=""):
    """The message to whoever assigned the task, built in the portal's language after the change."""
    return lambda row: [Message(recipients=[row.assigned_by], title=_(title) % {"kind": row.get_kind_display(),
                                                                                "assignee": row.assignee},
                                body=_(body) % {"reason": row.decline_reason} if body else "")]


def _fire(task, name, *, actor, request, comment="", messages=()):
    with portal_language():
        return fire(task, name, actor=actor, comment=comment, request=request, messages=messages,
                    related=("assigned_by",))


def review_task_accept(*, task, actor, request=None) -> ReviewTask:
    """The assignee takes the task on. PermissionDenied for anyone else, TransitionConflict when it is no longer
    waiting to be accepted."""
    return _fire(task, "accept", actor=actor, request=request,
                 messages=_to_assigner(gettext_noop("%(assignee)s 已接受%(kind)s任务")))


def review_task_decline(*, task, actor, reason, request=None) -> ReviewTask:
    """The assignee declines the task, before it is done, with a reason (stored on the task and in its history);
    the assigner is told and may assign someone else. ValidationError without a reason.

    A case that declares ``review_task_decline_fires`` (kind → transition) moves with it, in the same transaction: a
    certification application whose evaluator declines goes back to its applicant to choose another."""
    reason = reason_required(reason, _("请填写谢绝原因。"))
    with transaction.atomic():
        declined = _fire(task, "decline", actor=actor, request=request, comment=reason,
                         messages=_to_assigner(gettext_noop("%(assignee)s 谢绝了%(kind)s任务"),
                                               gettext_noop("原因：%(reason)s")))
        model = ContentType.objects.get_for_id(declined.content_type_id).model_class()
        follows = getattr(model, "review_task_decline_fires", {}).get(declined.kind)
        if follows:
            with portal_language():
                fire(model._default_manager.get(pk=declined.object_id), follows, actor=actor, comment=reason,
                     request=request)
    return declined


def review_task_withdraw(*, task, actor, reason, request=None, messages=()) -> ReviewTask:
    """Whoever asked takes the task back before it is done, with a reason (an applicant's evaluator commission;
    ``applications.access.can_withdraw_review_task``): the assignee no longer sees the case and its clock stops."""
    reason = reason_required(reason, _("请填写撤回原因。"))
    return _fire(task, "withdraw", actor=actor, request=request, comment=reason, messages=messages)


def completed_by_its_case(task) -> bool:
    """A task on a kind of case that declares ``review_tasks_completed_by_case`` (its scored work, kept by the app
    that owns it, completes the task when it is submitted) is not completed by hand."""
    model = ContentType.objects.get_for_id(task.content_type_id).model_class()
    return bool(getattr(model, "review_tasks_completed_by_case", False))


def review_task_complete(*, task, actor, comment="", request=None, by_case=False) -> ReviewTask:
    """The assignee reports the accepted task done (the scored work itself is stored by the app that owns it and
    passed down as facts). A task whose case completes it (``completed_by_its_case``) is completed only by that work
    (``by_case``): by hand it is a conflict, so an assessment cannot be closed without its scores."""
    if not by_case and completed_by_its_case(task):
        raise TransitionConflict(_("该任务在提交评分后自动完成，请先完成现场评分。"))
    return _fire(task, "complete", actor=actor, request=request, comment=comment,
                 messages=_to_assigner(gettext_noop("%(assignee)s 已完成%(kind)s任务")))

