"""The intake application (入库申请) with its entry-criteria results and stamped scans."""

import uuid
from decimal import Decimal

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField

from accounts.choices import DeadlineKind
from accounts.models import District, Enterprise, EnterpriseRecordQuerySet, Industry, OwnershipType
from applications.access import can_decide_intake, can_edit_intake
from applications.choices import ReviewTaskKind
from applications.models.campaigns import CultivationCampaign
from greenfactory.documents import StoredDocument
from greenfactory.uploads import GeneratedName
from greenfactory.validators import (
    phone_validator,
    postal_code_validator,
    validate_money,
    validate_not_in_future,
    validate_signed_money,
)
from greenfactory.workflow import ReloadableStateMixin, transition

# 入库标准 2: annual output over 5000万元.
OUTPUT_THRESHOLD = Decimal("5000")


class CaseQuerySet(EnterpriseRecordQuerySet):
    """A case file of this app: the enterprise record scope, and experts, evaluators and department users see the
    cases a review task of theirs is on (``ReviewTask``, through each case's ``review_tasks`` relation)."""

    assignment_path = "review_tasks"


class IntakeStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交待审核")
    ACCEPTED = "accepted", _("已入库")
    RETURNED = "returned", _("已退回修改")
    REJECTED = "rejected", _("未通过")
    WITHDRAWN = "withdrawn", _("已撤回")


class GreenInvestmentArea(models.TextChoices):
    """入库标准 5."""

    ENERGY_WATER = "energy_water", _("节能节水")
    LOW_CARBON = "low_carbon", _("低碳环保")
    CLEANER_PRODUCTION = "cleaner_production", _("清洁生产")
    COMPREHENSIVE_UTILISATION = "comprehensive_utilisation", _("综合利用")


def _money(label, *, signed=False, **kwargs):
    validator = validate_signed_money if signed else validate_money
    return models.DecimalField(label, max_digits=13, decimal_places=2, validators=[validator], **kwargs)


class IntakeApplication(ReloadableStateMixin, models.Model):
    """绿色工厂培育入库申请表: one per enterprise per campaign."""

    public_id = models.UUIDField(_("编号"), default=uuid.uuid4, unique=True, editable=False)
    campaign = models.ForeignKey(CultivationCampaign, on_delete=models.PROTECT, related_name="applications",
                                 verbose_name=_("年度培育工作"))
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="intake_applications",
                                   verbose_name=_("企业"))
    # The district that screens it: the enterprise's district when the application was started.
    district = models.ForeignKey(District, on_delete=models.PROTECT, verbose_name=_("区县"))
    status = FSMField(_("状态"), max_length=12, choices=IntakeStatus.choices, default=IntakeStatus.DRAFT,
                      protected=True)

    # The form, field for field.
    company_name = models.CharField(_("公司名称"), max_length=200)
    # Every answer may be empty in a draft (the form says drafts may be saved incomplete); what the submission needs
    # is services.REQUIRED_FOR_SUBMISSION.
    industry = models.ForeignKey(Industry, on_delete=models.PROTECT, verbose_name=_("所属行业"), null=True,
                                 blank=True)
    address = models.CharField(_("通讯地址"), max_length=200, blank=True)
    ownership_type = models.CharField(_("单位性质"), max_length=20, choices=OwnershipType.choices, blank=True)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18)
    postal_code = models.CharField(_("邮编"), max_length=6, blank=True, validators=[postal_code_validator])
    founded_on = models.DateField(_("成立日期"), null=True, blank=True, validators=[validate_not_in_future])
    registered_capital = _money(_("注册资本（万元）"), null=True, blank=True)
    main_products = models.CharField(_("主要产品"), max_length=500, blank=True)
    output_value = _money(_("产值（万元）"), null=True, blank=True)
    total_profit_1 = _money(_("利润总额（万元）"), signed=True, null=True, blank=True)
    total_profit_2 = _money(_("利润总额（万元）"), signed=True, null=True, blank=True)
    total_profit_3 = _money(_("利润总额（万元）"), signed=True, null=True, blank=True)
    quality_management_certified = models.BooleanField(_("质量管理体系"), null=True, blank=True)
    environmental_management_certified = models.BooleanField(_("环境管理体系"), null=True, blank=True)
    occupational_health_safety_certified = models.BooleanField(_("职业健康安全管理体系"), null=True, blank=True)
    energy_management_certified = models.BooleanField(_("能源管理体系"), null=True, blank=True)
    other_certifications = models.CharField(_("其他"), max_length=300, blank=True)
    major_accident = models.BooleanField(_("近三年是否发生质量、安全、环保等较大事故"), null=True, blank=True)
    preparer_name = models.CharField(_("填报人"), max_length=50, blank=True)
    preparer_phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[phone_validator])
    profile_text = models.TextField(_("单位简介（100字左右）"), max_length=500, blank=True)
    commitment_accepted = models.BooleanField(_("已阅读并接受承诺"), default=False)
    commitment_signatory = models.CharField(_("法人或单位负责人"), max_length=50, blank=True)
    commitment_date = models.DateField(_("承诺日期"), null=True, blank=True, validators=[validate_not_in_future])

    # What the entry criteria need and the form lacks.
    independent_legal_person = models.BooleanField(_("是否具有独立法人资格"), null=True, blank=True)
    green_investment_amount = _money(_("计划绿色化改造投资（万元）"), null=True, blank=True)
    green_investment_areas = models.JSONField(_("改造投资方向"), default=list, blank=True)

    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_reason = models.TextField(_("审核意见"), max_length=1000, blank=True)
    review_tasks = GenericRelation("applications.ReviewTask", related_query_name="intake_application")

    objects = CaseQuerySet.as_manager()

    # The district may ask an expert to review a submitted application, or to check on site, before it decides.
    review_task_kinds = (ReviewTaskKind.EXPERT_REVIEW, ReviewTaskKind.ON_SITE)
    review_task_states = (IntakeStatus.SUBMITTED,)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("入库申请")
        verbose_name_plural = _("入库申请")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "enterprise"], name="one_intake_per_enterprise_and_campaign",
                                    violation_error_message=_(
                                        "该企业在本年度培育工作中已有入库申请，每家企业每年只能提交一份。")),
        ]
        # The district's queue; a district's list on a campaign's page, by company name (selectors.campaigns).
        indexes = [models.Index(fields=["district", "status"]),
                   models.Index(fields=["campaign", "district", "company_name", "id"])]

    def __str__(self):
        return f"{self.company_name}（{self.campaign.year}）"

    @property
    def profits(self) -> list[tuple[int, Decimal | None]]:
        return list(zip(self.campaign.profit_years,
                        [self.total_profit_1, self.total_profit_2, self.total_profit_3], strict=True))

    def current_scan(self):
        """The stamped scan of the latest submission: one uploaded before it was returned no longer counts."""
        if self.submitted_at is None:
            return None
        return next((s for s in self.scans.all() if s.uploaded_at >= self.submitted_at), None)

    # The applicant's identity as the screens and the printed form show it: a draft always shows the enterprise's
    # registered identity (a change approved since the draft was last saved included); from submission on, the
    # snapshot that was submitted and judged.
    @property
    def applicant_name(self) -> str:
        return self.enterprise.name if self.status == IntakeStatus.DRAFT else self.company_name

    @property
    def applicant_credit_code(self) -> str:
        return self.enterprise.credit_code if self.status == IntakeStatus.DRAFT else self.credit_code

    @property
    def identity_changed_since_submission(self) -> bool:
        """The registration was changed (through the profile, with the district's approval) after submission."""
        return self.status != IntakeStatus.DRAFT and (
            self.company_name != self.enterprise.name or self.credit_code != self.enterprise.credit_code)

    def green_investment_area_labels(self) -> list[str]:
        labels = dict(GreenInvestmentArea.choices)
        return [str(labels.get(value, value)) for value in self.green_investment_areas]

    # --- Transitions. Guards are in applications.access; services fire them. ---------------------------------------

    @transition(source=IntakeStatus.DRAFT, target=IntakeStatus.SUBMITTED,
                permission=lambda instance, user: can_edit_intake(user, instance),
                stops=(DeadlineKind.INTAKE_SUBMISSION,))
    def submit(self, by=None, description=None):
        self.submitted_at = timezone.now()
        # A new round: the previous decision's reasons stay in the history, not on top of the case.
        self.decided_at = None
        self.decision_reason = ""

    @transition(source=IntakeStatus.SUBMITTED, target=IntakeStatus.ACCEPTED,
                permission=lambda instance, user: can_decide_intake(user, instance))
    def accept(self, by=None, description=None):
        self.decided_at = timezone.now()
        self.decision_reason = description or ""

    @transition(source=IntakeStatus.SUBMITTED, target=IntakeStatus.RETURNED,
                permission=lambda instance, user: can_decide_intake(user, instance))
    def return_for_changes(self, by=None, description=None):
        self.decided_at = timezone.now()
        self.decision_reason = description or ""

    @transition(source=IntakeStatus.SUBMITTED, target=IntakeStatus.REJECTED,
                permission=lambda instance, user: can_decide_intake(user, instance))
    def reject(self, by=None, description=None):
        self.decided_at = timezone.now()
        self.decision_reason = description or ""

    @transition(source=IntakeStatus.RETURNED, target=IntakeStatus.DRAFT,
                permission=lambda instance, user: can_edit_intake(user, instance))
    def reopen(self, by=None, description=None):
        pass

    @transition(source=[IntakeStatus.DRAFT, IntakeStatus.SUBMITTED], target=IntakeStatus.WITHDRAWN,
                conditions=[lambda instance: instance.has_been_submitted],
                permission=lambda instance, user: can_edit_intake(user, instance),
                stops=(DeadlineKind.INTAKE_SUBMISSION,))
    def withdraw(self, by=None, description=None):
        """A draft that was never submitted is deleted instead (``intake_delete``): only a case the district has
        seen is withdrawn, so that its record stays."""

    @transition(source=IntakeStatus.WITHDRAWN, target=IntakeStatus.DRAFT,
                permission=lambda instance, user: can_decide_intake(user, instance))
    def reinstate(self, by=None, description=None):
        """The district reopens a withdrawn application (before the deadline, checked by the service) as a draft:
        submitting is the enterprise's own declaration (its commitment, signature and stamp), so the district gives
        the application back rather than submitting it on the enterprise's behalf."""

    @property
    def has_been_submitted(self) -> bool:
        return self.submitted_at is not None


class CriterionResult(models.TextChoices):
    MET = "met", _("符合")
    NOT_MET = "not_met", _("不符合")
    JUDGEMENT = "judgement", _("需人工判断")


class EntryCriterion(models.TextChoices):
    """二、入库标准 1–5."""

    REGISTERED_LEGAL_PERSON = "1", _("在本区登记注册，具有独立法人资格")
    OUTPUT = "2", _("年产值超过5000万元")
    PROFITABLE = "3", _("近三年处于盈利状态")
    NO_MAJOR_ACCIDENT = "4", _("近三年未发生质量、安全、环保等较大事故")
    INVESTMENT_WILLINGNESS = "5", _("有节能节水、低碳环保、清洁生产、综合利用改造投资意愿")


class EntryCriterionResult(models.Model):
    application = models.ForeignKey(IntakeApplication, on_delete=models.CASCADE, related_name="criteria",
                                    verbose_name=_("入库申请"))
    criterion = models.CharField(_("入库标准"), max_length=2, choices=EntryCriterion.choices)
    result = models.CharField(_("结果"), max_length=10, choices=CriterionResult.choices)
    reason = models.CharField(_("依据"), max_length=300)
    evaluated_at = models.DateTimeField(_("判定时间"), default=timezone.now)

    class Meta:
        ordering = ["criterion"]
        verbose_name = _("入库标准判定")
        verbose_name_plural = _("入库标准判定")
        constraints = [models.UniqueConstraint(
            fields=["application", "criterion"], name="one_result_per_criterion",
            violation_error_message=_("该申请的这一项入库标准已有判定结果。"))]

    def __str__(self):
        return f"{self.criterion} {self.get_result_display()}"


class StampedScan(StoredDocument):
    """The printed, signed and stamped form, scanned. Versions are kept; the newest counts. Stored only through
    ``greenfactory.uploads.save_upload``, downloaded only through ``greenfactory.documents.document_response``."""

    owner_field = "application"

    application = models.ForeignKey(IntakeApplication, on_delete=models.CASCADE, related_name="scans",
                                    verbose_name=_("入库申请"))
    file = models.FileField(_("盖章扫描件"), upload_to=GeneratedName("intake-scans"), max_length=200)

    class Meta(StoredDocument.Meta):
        verbose_name = _("盖章扫描件")
        verbose_name_plural = _("盖章扫描件")
        constraints = [
            models.UniqueConstraint(fields=["application", "version"], name="one_scan_per_version",
                                    violation_error_message=_("该申请的这一版扫描件已经存在。")),
        ]
