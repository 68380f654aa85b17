"""The cultivation assessment (绿色生产水平评估, notice 三（二）): experts assigned to a library entry score it on site
against one version of the indicator system; the district or the city confirms the combined result; the improvement
plan's measures (绿色化改造项目及计划表) are tracked to done.

- ``Assessment``: one round of assessment of a library entry, with the version it used and, once confirmed, the
  combined result.
- ``ExpertScoring``: one expert's scores in that round, tied to the review assignment (``ReviewTask``) that made the
  expert an assessor; ``ItemScore``: one indicator's verdict, points or value; ``ScoringEvidence``: photos and files.
- ``ImprovementMeasure``: one measure of the plan, drafted from the gaps, with its own small state machine and a
  kernel deadline on its due date; ``MeasureEvidence``: the enterprise's proof of progress.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField

from accounts.choices import DeadlineKind
from accounts.models import District, Organisation
from accounts.scope import ASSIGNEE_ROLES, ScopedQuerySet
from applications.models import LibraryEntry, ReviewTask
from evaluation.access import can_confirm_assessment, can_work_on_measure
from evaluation.models.figures import YearlyFigures
from evaluation.models.indicators import Indicator, IndicatorSystem
from greenfactory.documents import StoredDocument
from greenfactory.uploads import GeneratedName
from greenfactory.workflow import COMMENT_MAX_LENGTH, ReloadableStateMixin, transition


class CultivationQuerySet(ScopedQuerySet):
    """The city sees all; a district official its district's; the enterprise its own; an expert the records of the
    library entries a (not declined) assignment of theirs is on."""

    district_path = "district_id"
    applicant_path = "unit_id"
    entry_path = "entry_id"

    def assignment_scope(self, user):
        if user.role not in ASSIGNEE_ROLES:
            return None
        tasks = ReviewTask.objects.assigned_to(user).filter(
            content_type=ContentType.objects.get_for_model(LibraryEntry), object_id=OuterRef(self.entry_path))
        return Q(Exists(tasks))


class AssessmentStatus(models.TextChoices):
    SCORING = "scoring", _("评估中")
    CONFIRMED = "confirmed", _("已确认")


class Assessment(ReloadableStateMixin, models.Model):
    public_id = models.UUIDField(_("编号"), default=uuid.uuid4, unique=True, editable=False)
    entry = models.ForeignKey(LibraryEntry, on_delete=models.PROTECT, related_name="+", verbose_name=_("培育库企业"))
    # Copied from the entry, so that the scope needs no join.
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+", verbose_name=_("区县"))
    unit = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("企业"))
    system = models.ForeignKey(IndicatorSystem, on_delete=models.PROTECT, related_name="assessments",
                               verbose_name=_("评价指标体系版本"))
    figures = models.ForeignKey(YearlyFigures, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("所用年度绩效数据"))
    status = FSMField(_("状态"), max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.SCORING,
                      protected=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("发起人"))
    created_at = models.DateTimeField(_("发起时间"), default=timezone.now, editable=False)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("确认人"))
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True, editable=False)
    # The combined result as confirmed (the areas' earned points, maximum and contribution; the items' mean and
    # spread): the report prints it as it was, whatever changes later.
    total = models.DecimalField(_("总分"), max_digits=6, decimal_places=2, null=True, blank=True, editable=False)
    vetoed = models.BooleanField(_("基本要求未通过"), null=True, blank=True, editable=False)
    result = models.JSONField(_("评估结果"), default=dict, blank=True, editable=False)

    objects = CultivationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("绿色生产水平评估")
        verbose_name_plural = _("绿色生产水平评估")
        constraints = [models.UniqueConstraint(fields=["entry"], condition=Q(status="scoring"),
                                               name="one_open_assessment_per_entry",
                                               violation_error_message=_("该企业已有进行中的评估。"))]

    def __str__(self):
        return _("%(entry)s 绿色生产水平评估") % {"entry": self.entry}

    @transition(source=AssessmentStatus.SCORING, target=AssessmentStatus.CONFIRMED, label=_("确认评估结果"),
                stops=(DeadlineKind.ASSESSMENT_CONFIRMATION,),
                permission=lambda instance, user: can_confirm_assessment(user, instance))
    def confirm(self, by=None, description=None):
        self.confirmed_by = by
        self.confirmed_at = timezone.now()


class ExpertScoring(models.Model):
    """One expert's scores in an assessment: the on-site visit date, an opinion, and each item (``ItemScore``).
    Submitted once; the assignment is then completed."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="scorings",
                                   verbose_name=_("评估"))
    task = models.OneToOneField(ReviewTask, on_delete=models.PROTECT, related_name="+", verbose_name=_("评审任务"))
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("专家"))
    visited_on = models.DateField(_("现场评估日期"), null=True, blank=True)
    opinion = models.TextField(_("评估意见"), max_length=COMMENT_MAX_LENGTH * 3, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("专家评分")
        verbose_name_plural = _("专家评分")

    def __str__(self):
        return f"{self.expert}：{self.assessment}"

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None


class ScoredItem(models.Model):
    """One indicator on a score sheet (an expert's, a self-evaluation, an evaluator's): a veto's verdict, a
    qualitative item's points, not applicable, a comment. The sheets differ only in whose they are."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+", verbose_name=_("指标"))
    applicable = models.BooleanField(_("适用"), default=True)
    passed = models.BooleanField(_("符合"), null=True, blank=True)
    points = models.DecimalField(_("得分"), max_digits=6, decimal_places=2, null=True, blank=True,
                                 validators=[MinValueValidator(Decimal(0))])
    # A quantitative item's value when it is not computed from the yearly figures (a park's indicators typed in).
    value = models.DecimalField(_("指标值"), max_digits=16, decimal_places=6, null=True, blank=True)
    comment = models.TextField(_("评分说明"), max_length=COMMENT_MAX_LENGTH, blank=True)

    class Meta:
        abstract = True


class ItemScore(ScoredItem):
    scoring = models.ForeignKey(ExpertScoring, on_delete=models.CASCADE, related_name="items",
                                verbose_name=_("专家评分"))

    class Meta:
        ordering = ["indicator__position", "id"]
        verbose_name = _("指标评分")
        verbose_name_plural = _("指标评分")
        constraints = [models.UniqueConstraint(fields=["scoring", "indicator"], name="one_item_score_per_indicator",
                                               violation_error_message=_("同一指标只能评分一次。"))]

    def __str__(self):
        return f"{self.indicator_id}：{self.points if self.points is not None else self.passed}"


class ScoringEvidence(StoredDocument):
    """A photo or file the expert took on site."""

    owner_field = "scoring"

    scoring = models.ForeignKey(ExpertScoring, on_delete=models.CASCADE, related_name="evidence",
                                verbose_name=_("专家评分"))
    file = models.FileField(_("现场证据"), upload_to=GeneratedName("assessment-evidence"), max_length=200)

    class Meta(StoredDocument.Meta):
        verbose_name = _("现场证据")
        verbose_name_plural = _("现场证据")
        constraints = [models.UniqueConstraint(fields=["scoring", "version"], name="one_scoring_evidence_per_version",
                                               violation_error_message=_("该证据版本已经存在。"))]


class MeasureCategory(models.TextChoices):
    """The categories of the notice's 绿色化改造项目及计划表."""

    LAYOUT = "layout", _("能量流和物质流布局")
    DESIGN = "design", _("绿色设计")
    PROCUREMENT = "procurement", _("绿色采购")
    PRODUCT = "product", _("绿色产品")
    CLEAN_PROCESS = "clean_process", _("清洁生产工艺")
    END_TREATMENT = "end_treatment", _("末端治理装备")
    OBSOLETE = "obsolete", _("淘汰落后设备")
    RECYCLING = "recycling", _("资源回收循环利用")
    ENERGY_MIX = "energy_mix", _("用能结构优化")
    OTHER = "other", _("其他")


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("计划中")
    IN_PROGRESS = "in_progress", _("实施中")
    DONE = "done", _("已完成")
    DROPPED = "dropped", _("已取消")


OPEN_MEASURE_STATES = (MeasureStatus.PLANNED, MeasureStatus.IN_PROGRESS)


class ImprovementMeasure(ReloadableStateMixin, models.Model):
    """One measure of the green production improvement plan (绿色生产水平提升方案). Drafted by the experts from the
    gaps while the assessment is open; once it is confirmed, the enterprise carries it out and reports progress, and
    its due date is a kernel deadline of the enterprise (reminded, then chased at the district)."""

    public_id = models.UUIDField(_("编号"), default=uuid.uuid4, unique=True, editable=False)
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="measures",
                                   verbose_name=_("评估"))
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+", verbose_name=_("区县"))
    unit = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("企业"))
    entry = models.ForeignKey(LibraryEntry, on_delete=models.PROTECT, related_name="+", verbose_name=_("培育库企业"))
    category = models.CharField(_("改造类别"), max_length=20, choices=MeasureCategory.choices)
    title = models.CharField(_("改造项目"), max_length=120)
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("对应指标"))
    expected_effect = models.CharField(_("预期效果"), max_length=300, blank=True)
    investment = models.DecimalField(_("计划投资（万元）"), max_digits=12, decimal_places=2, null=True, blank=True,
                                     validators=[MinValueValidator(Decimal(0), message=_("投资额不能为负数。"))])
    owner = models.CharField(_("责任人"), max_length=40, blank=True)
    due_on = models.DateField(_("完成期限"))
    status = FSMField(_("状态"), max_length=12, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED,
                      protected=True)
    progress = models.TextField(_("进展情况"), max_length=COMMENT_MAX_LENGTH, blank=True)
    drop_reason = models.TextField(_("取消原因"), max_length=COMMENT_MAX_LENGTH, blank=True, editable=False)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True, editable=False)
    position = models.PositiveIntegerField(_("排序"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("填写人"))

    objects = CultivationQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("改造项目")
        verbose_name_plural = _("改造项目")
        indexes = [models.Index(fields=["district", "status", "due_on"]), models.Index(fields=["status", "due_on"])]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_MEASURE_STATES

    def overdue_on(self, today) -> bool:
        return self.is_open and self.due_on < today

    @transition(source=MeasureStatus.PLANNED, target=MeasureStatus.IN_PROGRESS, label=_("开始实施"),
                permission=lambda instance, user: can_work_on_measure(user, instance))
    def start(self, by=None, description=None):
        pass

    @transition(source=list(OPEN_MEASURE_STATES), target=MeasureStatus.DONE, label=_("完成"),
                stops=(DeadlineKind.IMPROVEMENT_MEASURE,),
                permission=lambda instance, user: can_work_on_measure(user, instance))
    def finish(self, by=None, description=None):
        self.completed_at = timezone.now()

    @transition(source=list(OPEN_MEASURE_STATES), target=MeasureStatus.DROPPED, label=_("取消"),
                stops=(DeadlineKind.IMPROVEMENT_MEASURE,),
                permission=lambda instance, user: can_work_on_measure(user, instance))
    def drop(self, by=None, description=None):
        self.drop_reason = description or ""

    # A later assessment's plan, once confirmed, takes the place of this one: its open measures end with it.
    @transition(source=list(OPEN_MEASURE_STATES), target=MeasureStatus.DROPPED, label=_("被新的提升方案取代"),
                stops=(DeadlineKind.IMPROVEMENT_MEASURE,),
                permission=lambda instance, user: can_confirm_assessment(user, instance.assessment))
    def supersede(self, by=None, description=None):
        self.drop_reason = description or ""


class MeasureProgress(models.Model):
    """One progress report of a measure, kept: each report adds one, none replaces an earlier one."""

    measure = models.ForeignKey(ImprovementMeasure, on_delete=models.CASCADE, related_name="progress_reports",
                                verbose_name=_("改造项目"))
    text = models.TextField(_("进展情况"), max_length=COMMENT_MAX_LENGTH)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("填报人"))
    reported_at = models.DateTimeField(_("填报时间"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-reported_at", "-id"]
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")

    def __str__(self):
        return f"{self.measure}：{self.reported_at:%Y-%m-%d}"


class MeasureEvidence(StoredDocument):
    owner_field = "measure"

    measure = models.ForeignKey(ImprovementMeasure, on_delete=models.CASCADE, related_name="evidence",
                                verbose_name=_("改造项目"))
    file = models.FileField(_("进展证明"), upload_to=GeneratedName("measure-evidence"), max_length=200)

    class Meta(StoredDocument.Meta):
        verbose_name = _("进展证明")
        verbose_name_plural = _("进展证明")
        constraints = [models.UniqueConstraint(fields=["measure", "version"], name="one_measure_evidence_per_version",
                                               violation_error_message=_("该证明版本已经存在。"))]
