"""The city's review (第十一条): the opinion each assignee of a review task writes (materials review, on-site
verification, expert review), the batch of applications the city proposes (拟认定名单), and the other city
departments' opinions on it, unit by unit."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField

from accounts.choices import DeadlineKind
from accounts.scope import ScopedQuerySet
from applications.access import can_city_review
from applications.choices import ReviewTaskKind
from applications.models.certification import CertificationApplication, CertificationRound
from applications.models.review import ReviewTask
from greenfactory.documents import StoredDocument
from greenfactory.uploads import GeneratedName
from greenfactory.workflow import COMMENT_MAX_LENGTH, ReloadableStateMixin, transition


class Conclusion(models.TextChoices):
    MET = "met", _("符合")
    NOT_MET = "not_met", _("不符合")


class TaskOpinion(models.Model):
    """What the assignee of a city review task found: the conclusion, the findings (the materials reviewed, what
    was seen on site, the expert's opinion), the visit's date for an on-site verification, the score of an expert
    review, and files (photos of the visit, signed opinions: ``TaskOpinionFile``). Writing it completes the task."""

    task = models.OneToOneField(ReviewTask, on_delete=models.PROTECT, related_name="opinion",
                                verbose_name=_("评审任务"))
    conclusion = models.CharField(_("结论"), max_length=8, choices=Conclusion.choices)
    findings = models.TextField(_("意见"), max_length=COMMENT_MAX_LENGTH)
    visited_on = models.DateField(_("核实日期"), null=True, blank=True)
    score = models.DecimalField(_("评分"), max_digits=5, decimal_places=1, null=True, blank=True,
                                validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))])
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("填写人"))
    written_at = models.DateTimeField(_("填写时间"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["task__kind", "written_at", "id"]
        verbose_name = _("审查意见")
        verbose_name_plural = _("审查意见")
        constraints = [
            models.CheckConstraint(condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100),
                                   name="task_opinion_score_range",
                                   violation_error_message=_("评分应在0至100之间。")),
        ]

    def __str__(self):
        return f"{self.task}：{self.get_conclusion_display()}"


class TaskOpinionFile(StoredDocument):
    owner_field = "opinion"

    opinion = models.ForeignKey(TaskOpinion, on_delete=models.CASCADE, related_name="files",
                                verbose_name=_("审查意见"))
    file = models.FileField(_("附件"), upload_to=GeneratedName("city-review"), max_length=200)

    class Meta(StoredDocument.Meta):
        verbose_name = _("审查意见附件")
        verbose_name_plural = _("审查意见附件")
        constraints = [models.UniqueConstraint(fields=["opinion", "version"], name="one_opinion_file_per_version",
                                               violation_error_message=_("该附件版本已经存在。"))]


# --- The proposed list (拟认定名单) and the departments' opinions ----------------------------------------------------


class ProposedListStatus(models.TextChoices):
    OPEN = "open", _("编制中")
    CONSULTING = "consulting", _("征求部门意见中")
    IN_PUBLICITY = "in_publicity", _("公示中")
    DECIDED = "decided", _("已发文认定")


class ProposedListQuerySet(ScopedQuerySet):
    """The city sees every list; a department's liaison the lists it was asked about (a task of its on the list)."""

    assignment_path = "review_tasks"


class ProposedList(ReloadableStateMixin, models.Model):
    """A batch of a round's applications the city proposes to certify (拟认定名单, 第十一条). It is compiled (the city
    puts applications on it), sent to the other city departments for their opinions, published as the public
    notice (``PublicNotice``) and certified by one decision (``CertificationDecision``)."""

    public_id = models.UUIDField(_("编号"), default=uuid.uuid4, unique=True, editable=False)
    round = models.ForeignKey(CertificationRound, on_delete=models.PROTECT, related_name="proposed_lists",
                              verbose_name=_("年度认定工作"))
    number = models.PositiveSmallIntegerField(_("批次"))
    status = FSMField(_("状态"), max_length=14, choices=ProposedListStatus.choices, default=ProposedListStatus.OPEN,
                      protected=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("编制人"))
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    sent_at = models.DateTimeField(_("征求意见时间"), null=True, blank=True, editable=False)
    opinions_due_on = models.DateField(_("部门意见反馈期限"), null=True, blank=True, editable=False)
    review_tasks = GenericRelation(ReviewTask, related_query_name="proposed_list")

    objects = ProposedListQuerySet.as_manager()

    # The departments are asked for their opinions on the whole list, by the city, once it is sent.
    review_task_kinds = (ReviewTaskKind.DEPARTMENT_OPINION,)
    review_task_states = (ProposedListStatus.CONSULTING,)
    review_task_kinds_by_role = {"city": (ReviewTaskKind.DEPARTMENT_OPINION,)}
    review_tasks_completed_by_case = True

    class Meta:
        ordering = ["-round__year", "-number"]
        verbose_name = _("拟认定名单")
        verbose_name_plural = _("拟认定名单")
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="one_proposed_list_per_number",
                                    violation_error_message=_("该批次已经存在。")),
            models.UniqueConstraint(fields=["round"], condition=Q(status="open"), name="one_open_proposed_list",
                                    violation_error_message=_("本年度已有编制中的拟认定名单。")),
        ]

    def __str__(self):
        return _("%(year)s年度第%(number)s批拟认定名单") % {"year": self.round.year, "number": self.number}

    @property
    def phase(self) -> str:
        """Its state as its users read it: a notice not yet begun, or ended and waiting for the decision, is said so
        (the notice's dates are read through ``notice``, selected with the list where pages show many)."""
        notice = getattr(self, "notice", None) if self.status == ProposedListStatus.IN_PUBLICITY else None
        if notice is not None:
            today = timezone.localdate()
            if today < notice.starts_on:
                return str(_("待公示（%(day)s起）") % {"day": notice.starts_on})
            if today > notice.ends_on:
                return str(_("公示期满，待发文认定"))
        return self.get_status_display()

    @transition(source=ProposedListStatus.OPEN, target=ProposedListStatus.CONSULTING, label=_("征求部门意见"),
                permission=lambda instance, user: can_city_review(user, instance))
    def send(self, by=None, description=None):
        self.sent_at = timezone.now()

    @transition(source=ProposedListStatus.CONSULTING, target=ProposedListStatus.IN_PUBLICITY, label=_("发布公示"),
                permission=lambda instance, user: can_city_review(user, instance))
    def publish(self, by=None, description=None):
        pass

    @transition(source=ProposedListStatus.IN_PUBLICITY, target=ProposedListStatus.DECIDED, label=_("发文认定"),
                stops=(DeadlineKind.CERTIFICATION_DECISION,),
                permission=lambda instance, user: can_city_review(user, instance))
    def decide(self, by=None, description=None):
        pass


class DepartmentOpinion(models.Model):
    """A department's answer on one unit of a proposed list: no objection, or an objection with its reasons (and
    files, ``DepartmentOpinionFile``)."""

    task = models.ForeignKey(ReviewTask, on_delete=models.PROTECT, related_name="department_opinions",
                             verbose_name=_("评审任务"))
    application = models.ForeignKey(CertificationApplication, on_delete=models.PROTECT,
                                    related_name="department_opinions", verbose_name=_("认定申报"))
    objection = models.BooleanField(_("有异议"), default=False)
    reasons = models.TextField(_("意见"), max_length=COMMENT_MAX_LENGTH, blank=True)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("填写人"))
    written_at = models.DateTimeField(_("填写时间"), default=timezone.now)

    class Meta:
        ordering = ["task", "application"]
        verbose_name = _("部门意见")
        verbose_name_plural = _("部门意见")
        constraints = [
            models.UniqueConstraint(fields=["task", "application"], name="one_department_opinion_per_unit",
                                    violation_error_message=_("该单位的意见已经填写。")),
            models.CheckConstraint(condition=Q(objection=False) | ~Q(reasons=""),
                                   name="department_objection_has_reasons",
                                   violation_error_message=_("提出异议须写明理由。")),
        ]

    def __str__(self):
        return f"{self.task_id}:{self.application_id}"


class DepartmentOpinionFile(StoredDocument):
    owner_field = "opinion"

    opinion = models.ForeignKey(DepartmentOpinion, on_delete=models.CASCADE, related_name="files",
                                verbose_name=_("部门意见"))
    file = models.FileField(_("附件"), upload_to=GeneratedName("department-opinions"), max_length=200)

    class Meta(StoredDocument.Meta):
        verbose_name = _("部门意见附件")
        verbose_name_plural = _("部门意见附件")
        constraints = [models.UniqueConstraint(fields=["opinion", "version"],
                                               name="one_department_opinion_file_per_version",
                                               violation_error_message=_("该附件版本已经存在。"))]
