"""Review assignments on a case (DESIGN.md, "Seams": applications owns them): a commission to an evaluator
organisation, an expert review, an on-site verification, a department's opinion. Experts, evaluators and department
users see a case because a ``ReviewTask`` on it is theirs (``accounts.scope``, the assignment branch).

A task points at its case through a generic relation, so any case file of this app (an intake application, a library
entry, later the certification application) can be assigned without a column per kind of case; a case that can be
assigned declares ``review_tasks = GenericRelation(ReviewTask)``, ``review_task_kinds`` (what may be asked on it)
and, optionally, ``review_task_states`` (the states in which it may be asked).
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField

from accounts.choices import DeadlineKind
from accounts.models import District, Organisation, OrganisationKind
from accounts.scope import ASSIGNEE_ROLES, ORGANISATION_ASSIGNEE_ROLES, ScopedQuerySet
from applications.access import can_withdraw_review_task, is_review_task_assignee
from applications.choices import (  # noqa: F401  (re-exported)
    ENDED_UNDONE_STATES,
    OPEN_REVIEW_TASK_STATES,
    PERSONAL_TASK_KINDS,
    ReviewTaskKind,
    ReviewTaskStatus,
)
from greenfactory.workflow import COMMENT_MAX_LENGTH, ReloadableStateMixin, transition

# Who takes an evaluation commission: the evaluator organisation (第九条, 第二十条: the firm is commissioned and answers
# for its report); the other kinds go to one person (applications.choices.PERSONAL_TASK_KINDS).
ORGANISATION_TASK_KINDS = {ReviewTaskKind.EVALUATION: OrganisationKind.EVALUATOR}


class ReviewTaskQuerySet(ScopedQuerySet):
    """A district official sees the tasks on its district's cases; the applicant the evaluators it commissioned; an
    assignee its own tasks (declined ones too: its record of what it was asked)."""

    district_path = "district_id"
    applicant_path = "applicant_id"

    def assignee_condition(self, user) -> Q:
        mine = Q(assignee_user_id=user.pk)
        if user.role in ORGANISATION_ASSIGNEE_ROLES and user.organisation_id is not None:
            mine |= Q(assignee_organisation_id=user.organisation_id)
        return mine

    def assigned_to(self, user):
        """The tasks through which a user sees their cases: theirs (or their evaluator organisation's), not
        declined. The assignment branch of every case's scope reads this."""
        return self.filter(self.assignee_condition(user)).exclude(status__in=ENDED_UNDONE_STATES)

    def applicant_scope(self, user):
        # The applicant sees the commission it made (its evaluator and the due date), not who reviews it.
        scope = super().applicant_scope(user)
        return scope & Q(kind=ReviewTaskKind.EVALUATION) if scope is not None else None

    def assignment_scope(self, user):
        return self.assignee_condition(user) if user.role in ASSIGNEE_ROLES else None

    def open(self):
        return self.filter(status__in=OPEN_REVIEW_TASK_STATES)


class ReviewTask(ReloadableStateMixin, models.Model):
    """One assignment on one case: what is asked (kind), of whom (a user or an organisation), by when, and where it
    stands: assigned → accepted → done, or declined (with a reason) before it is done."""

    public_id = models.UUIDField(_("编号"), default=uuid.uuid4, unique=True, editable=False)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name=_("事项类型"))
    object_id = models.PositiveBigIntegerField(_("事项"))
    case = GenericForeignKey("content_type", "object_id")
    # Copied from the case when the task is made (by the paths its scope declares), so that the task's own scope
    # needs no join through the generic relation.
    district = models.ForeignKey(District, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("区县"))
    applicant = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("申报单位"))
    kind = models.CharField(_("任务类别"), max_length=20, choices=ReviewTaskKind.choices)
    assignee_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="review_tasks", verbose_name=_("承办人"))
    assignee_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True,
                                              related_name="review_tasks", verbose_name=_("承办单位"))
    due_on = models.DateField(_("完成期限"))
    note = models.TextField(_("任务说明"), max_length=COMMENT_MAX_LENGTH, blank=True)
    status = FSMField(_("状态"), max_length=10, choices=ReviewTaskStatus.choices, default=ReviewTaskStatus.ASSIGNED,
                      protected=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("指派人"))
    assigned_at = models.DateTimeField(_("指派时间"), default=timezone.now, editable=False)
    accepted_at = models.DateTimeField(_("接受时间"), null=True, blank=True, editable=False)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True, editable=False)
    declined_at = models.DateTimeField(_("谢绝时间"), null=True, blank=True, editable=False)
    decline_reason = models.TextField(_("谢绝原因"), max_length=COMMENT_MAX_LENGTH, blank=True, editable=False)

    objects = ReviewTaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("评审任务")
        verbose_name_plural = _("评审任务")
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(assignee_user__isnull=False, assignee_organisation__isnull=True)
                           | Q(assignee_user__isnull=True, assignee_organisation__isnull=False)),
                name="review_task_one_assignee",
                violation_error_message=_("评审任务须指派给一个人或一个单位，二者选其一。")),
            models.UniqueConstraint(
                fields=["content_type", "object_id", "kind", "assignee_user"],
                condition=Q(status__in=["assigned", "accepted"], assignee_user__isnull=False),
                name="review_task_one_open_per_user",
                violation_error_message=_("该事项已向此人指派了同类任务，尚未完成。")),
            models.UniqueConstraint(
                fields=["content_type", "object_id", "kind", "assignee_organisation"],
                condition=Q(status__in=["assigned", "accepted"], assignee_organisation__isnull=False),
                name="review_task_one_open_per_organisation",
                violation_error_message=_("该事项已向此单位指派了同类任务，尚未完成。")),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.assignee}"

    @property
    def assignee(self):
        return self.assignee_user or self.assignee_organisation

    # --- Transitions. Guards are in applications.access; applications.review_tasks fires them. ---------------------

    @transition(source=ReviewTaskStatus.ASSIGNED, target=ReviewTaskStatus.ACCEPTED, label=_("接受任务"),
                permission=lambda instance, user: is_review_task_assignee(user, instance))
    def accept(self, by=None, description=None):
        self.accepted_at = timezone.now()

    # Declining or completing stops the task's clock (opened by review_task_assign); accepting does not.
    @transition(source=list(OPEN_REVIEW_TASK_STATES), target=ReviewTaskStatus.DECLINED, label=_("谢绝任务"),
                stops=(DeadlineKind.REVIEW_TASK,),
                permission=lambda instance, user: is_review_task_assignee(user, instance))
    def decline(self, by=None, description=None):
        self.declined_at = timezone.now()
        self.decline_reason = description or ""

    @transition(source=list(OPEN_REVIEW_TASK_STATES), target=ReviewTaskStatus.WITHDRAWN, label=_("撤回任务"),
                stops=(DeadlineKind.REVIEW_TASK,),
                permission=lambda instance, user: can_withdraw_review_task(user, instance))
    def withdraw(self, by=None, description=None):
        self.declined_at = timezone.now()
        self.decline_reason = description or ""

    @transition(source=ReviewTaskStatus.ACCEPTED, target=ReviewTaskStatus.DONE, label=_("完成任务"),
                stops=(DeadlineKind.REVIEW_TASK,),
                permission=lambda instance, user: is_review_task_assignee(user, instance))
    def complete(self, by=None, description=None):
        self.completed_at = timezone.now()
