"""Scored work of certification (第九条): the applicant's self-evaluation (自评价) against the indicator system in force
on the round's date, the register of third-party evaluator organisations (第三方评价机构, 第二十条至第二十二条), and the
evaluation report the commissioned organisation issues after its on-site evaluation.

The application and its state are ``applications.CertificationApplication``; these records point at it (a higher
app's record → the lower app's), and their outcome goes down to it as facts through ``applications`` services.
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField

from accounts.models import Organisation
from accounts.scope import ASSIGNEE_ROLES, ScopedQuerySet, signed_in
from applications.models import CertificationApplication, ReviewTask
from evaluation.access import can_keep_register
from evaluation.models.assessments import ScoredItem
from evaluation.models.figures import YearlyFigures
from evaluation.models.indicators import Indicator, IndicatorSystem
from greenfactory.documents import StoredDocument
from greenfactory.uploads import GeneratedName
from greenfactory.workflow import COMMENT_MAX_LENGTH, ReloadableStateMixin, transition

# --- The evaluator register (第三方评价机构名录) ----------------------------------------------------------------------


class RegisterStatus(models.TextChoices):
    ACTIVE = "active", _("正常")
    # 第二十一条: 择优形成市级绿色制造第三方服务机构名单向全社会推荐.
    RECOMMENDED = "recommended", _("推荐机构")
    # 第二十二条: 取消在本市开展绿色制造体系示范的评价资格.
    DISQUALIFIED = "disqualified", _("已取消资格")


class RegisterQuerySet(models.QuerySet):
    def visible_to(self, user):
        # The register is read by every signed-in role: applicants choose from it, officials consult it.
        return self.all() if signed_in(user) else self.none()

    def choosable(self):
        """What an applicant may commission: not disqualified, recommended organisations first."""
        return (self.exclude(status=RegisterStatus.DISQUALIFIED)
                .filter(organisation__status="active")
                .annotate(recommended_first=models.Case(
                    models.When(status=RegisterStatus.RECOMMENDED, then=0), default=1,
                    output_field=models.IntegerField()))
                .order_by("recommended_first", "organisation__name"))


class EvaluatorOrganisation(ReloadableStateMixin, models.Model):
    """An organisation of the register: the evaluator unit its staff log in with, and what the register keeps of it.
    Its status is kept by the city (recommended, disqualified with reasons), each change a recorded transition."""

    public_id = models.UUIDField(_("编号"), default=uuid.uuid4, unique=True, editable=False)
    organisation = models.OneToOneField(Organisation, on_delete=models.PROTECT, related_name="evaluator_register",
                                        verbose_name=_("评价机构"))
    legal_representative = models.CharField(_("法定代表人"), max_length=50)
    contact_name = models.CharField(_("联系人"), max_length=50)
    contact_phone = models.CharField(_("联系电话"), max_length=20)
    contact_email = models.EmailField(_("电子邮箱"), blank=True)
    address = models.CharField(_("通讯地址"), max_length=200, blank=True)
    qualifications = models.TextField(_("资质情况"), max_length=2000,
                                      help_text=_("如检验检测机构资质认定（CMA）、认证机构批准书、相关业绩等。"))
    staff_count = models.PositiveIntegerField(_("评价人员数量"))
    status = FSMField(_("状态"), max_length=12, choices=RegisterStatus.choices, default=RegisterStatus.ACTIVE,
                      protected=True)
    status_reason = models.TextField(_("状态说明"), max_length=COMMENT_MAX_LENGTH, blank=True, editable=False)
    status_changed_at = models.DateTimeField(_("状态变更时间"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = RegisterQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("第三方评价机构")
        verbose_name_plural = _("第三方评价机构名录")

    def __str__(self):
        return self.organisation.name

    def _changed(self, description):
        self.status_reason = description or ""
        self.status_changed_at = timezone.now()

    @transition(source=RegisterStatus.ACTIVE, target=RegisterStatus.RECOMMENDED, label=_("列入推荐名单"),
                permission=lambda instance, user: can_keep_register(user))
    def recommend(self, by=None, description=None):
        self._changed(description)

    @transition(source=RegisterStatus.RECOMMENDED, target=RegisterStatus.ACTIVE, label=_("移出推荐名单"),
                permission=lambda instance, user: can_keep_register(user))
    def unrecommend(self, by=None, description=None):
        self._changed(description)

    @transition(source=[RegisterStatus.ACTIVE, RegisterStatus.RECOMMENDED], target=RegisterStatus.DISQUALIFIED,
                label=_("取消评价资格"), permission=lambda instance, user: can_keep_register(user))
    def disqualify(self, by=None, description=None):
        self._changed(description)

    @transition(source=RegisterStatus.DISQUALIFIED, target=RegisterStatus.ACTIVE, label=_("恢复评价资格"),
                permission=lambda instance, user: can_keep_register(user))
    def reinstate(self, by=None, description=None):
        self._changed(description)


# --- Scope of the records of a certification case ---------------------------------------------------------------------


class CertificationRecordQuerySet(ScopedQuerySet):
    """The case's scope, read through the application: the city all; a district official its district's; the
    applicant its own; an evaluator the records of the cases a (not declined) commission of its organisation is on."""

    district_path = "application__district_id"
    applicant_path = "application__applicant_id"

    def assignment_scope(self, user):
        if user.role not in ASSIGNEE_ROLES:
            return None
        tasks = ReviewTask.objects.assigned_to(user).filter(
            content_type=ContentType.objects.get_for_model(CertificationApplication),
            object_id=OuterRef("application_id"))
        return Q(Exists(tasks))


class SelfEvaluation(models.Model):
    """第九条 自评价: the applicant scores itself on the version in force on the round's opening day, with evidence per
    item; once completed, its score goes down to the application (``self_score``)."""

    public_id = models.UUIDField(_("编号"), default=uuid.uuid4, unique=True, editable=False)
    application = models.OneToOneField(CertificationApplication, on_delete=models.PROTECT,
                                       related_name="self_evaluation", verbose_name=_("认定申报"))
    system = models.ForeignKey(IndicatorSystem, on_delete=models.PROTECT, related_name="self_evaluations",
                               verbose_name=_("评价指标体系版本"))
    figures = models.ForeignKey(YearlyFigures, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("所用年度绩效数据"))
    total = models.DecimalField(_("自评价得分"), max_digits=6, decimal_places=2, null=True, blank=True,
                                editable=False)
    vetoed = models.BooleanField(_("基本要求未通过"), null=True, blank=True, editable=False)
    result = models.JSONField(_("自评价结果"), default=dict, blank=True, editable=False)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = CertificationRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("自评价")
        verbose_name_plural = _("自评价")

    def __str__(self):
        return _("%(application)s 自评价") % {"application": self.application}


class SelfEvaluationItem(ScoredItem):
    sheet = models.ForeignKey(SelfEvaluation, on_delete=models.CASCADE, related_name="items",
                              verbose_name=_("自评价"))

    class Meta:
        ordering = ["indicator__position", "id"]
        verbose_name = _("自评价指标")
        verbose_name_plural = _("自评价指标")
        constraints = [models.UniqueConstraint(fields=["sheet", "indicator"], name="one_self_item_per_indicator",
                                               violation_error_message=_("同一指标只能评分一次。"))]


class SelfEvaluationEvidence(StoredDocument):
    """A file proving one item of the self-evaluation (or the sheet as a whole when no indicator is named)."""

    owner_field = "sheet"

    sheet = models.ForeignKey(SelfEvaluation, on_delete=models.CASCADE, related_name="evidence",
                              verbose_name=_("自评价"))
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("指标"))
    file = models.FileField(_("自评价证明材料"), upload_to=GeneratedName("self-evaluation"), max_length=200)

    class Meta(StoredDocument.Meta):
        verbose_name = _("自评价证明材料")
        verbose_name_plural = _("自评价证明材料")
        constraints = [models.UniqueConstraint(fields=["sheet", "version"], name="one_self_evidence_per_version",
                                               violation_error_message=_("该证明材料版本已经存在。"))]


# --- The evaluation report (第三方评价报告) ---------------------------------------------------------------------------


class EvaluationReport(models.Model):
    """The commissioned organisation's on-site evaluation and its report (第九条、第二十条): dates, the evaluators,
    scores per item with evidence, the conclusion (符合 / 不符合) and the signed report as a PDF. Issued once; the
    commission (``task``) is then completed and the conclusion goes down to the application."""

    public_id = models.UUIDField(_("编号"), default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(CertificationApplication, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("认定申报"))
    task = models.OneToOneField(ReviewTask, on_delete=models.PROTECT, related_name="+", verbose_name=_("评价委托"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("第三方评价机构"))
    system = models.ForeignKey(IndicatorSystem, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("评价指标体系版本"))
    figures = models.ForeignKey(YearlyFigures, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("所用年度绩效数据"))
    visited_from = models.DateField(_("现场评价开始日期"), null=True, blank=True)
    visited_to = models.DateField(_("现场评价结束日期"), null=True, blank=True)
    evaluators = models.CharField(_("评价人员"), max_length=300, blank=True,
                                  help_text=_("参加现场评价的人员姓名，以顿号分隔。"))
    passed = models.BooleanField(_("评价结论"), null=True, blank=True,
                                 help_text=_("符合：达到绿色工厂（园区）评价要求；不符合：未达到。"))
    opinion = models.TextField(_("评价意见"), max_length=COMMENT_MAX_LENGTH * 3, blank=True)
    total = models.DecimalField(_("评价得分"), max_digits=6, decimal_places=2, null=True, blank=True, editable=False)
    vetoed = models.BooleanField(_("基本要求未通过"), null=True, blank=True, editable=False)
    result = models.JSONField(_("评价结果"), default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(_("开始时间"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    issued_at = models.DateTimeField(_("出具时间"), null=True, blank=True, editable=False)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("出具人"))

    objects = CertificationRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("第三方评价报告")
        verbose_name_plural = _("第三方评价报告")

    def __str__(self):
        return _("%(organisation)s 对 %(unit)s 的评价报告") % {
            "organisation": self.organisation, "unit": self.application.unit_name}

    @property
    def issued(self) -> bool:
        return self.issued_at is not None


class ReportItem(ScoredItem):
    report = models.ForeignKey(EvaluationReport, on_delete=models.CASCADE, related_name="items",
                               verbose_name=_("评价报告"))

    class Meta:
        ordering = ["indicator__position", "id"]
        verbose_name = _("评价指标得分")
        verbose_name_plural = _("评价指标得分")
        constraints = [models.UniqueConstraint(fields=["report", "indicator"], name="one_report_item_per_indicator",
                                               violation_error_message=_("同一指标只能评分一次。"))]


class ReportDocument(StoredDocument):
    """The signed report (``signed``: the PDF the organisation signed and stamped) or on-site evidence of one item."""

    owner_field = "report"

    report = models.ForeignKey(EvaluationReport, on_delete=models.CASCADE, related_name="documents",
                               verbose_name=_("评价报告"))
    signed = models.BooleanField(_("签章报告"), default=False)
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("指标"))
    file = models.FileField(_("评价文件"), upload_to=GeneratedName("evaluation-reports"), max_length=200)

    class Meta(StoredDocument.Meta):
        verbose_name = _("评价报告文件")
        verbose_name_plural = _("评价报告文件")
        constraints = [models.UniqueConstraint(fields=["report", "version"], name="one_report_document_per_version",
                                               violation_error_message=_("该评价文件版本已经存在。"))]
