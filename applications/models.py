"""Campaigns, intake applications with their entry-criteria results, the cultivation library and the application ban.

The intake application is the district notice's attachment 绿色工厂培育入库申请表, field for field, plus what the entry
criteria (入库标准) need and the form lacks: independent legal personality and the planned green investment.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField

from accounts.choices import DeadlineKind
from accounts.models import District, Enterprise, EnterpriseRecordQuerySet, Industry, OwnershipType, Sector
from accounts.scope import ScopedQuerySet
from applications.access import can_decide_intake, can_edit_intake
from applications.review_choices import ReviewTaskKind
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
DEFAULT_LIBRARY_TARGET = 10  # 一、培育对象: "不少于10家"


class CampaignQuerySet(ScopedQuerySet):
    """Everyone signed in sees the city's campaigns; a district's campaign is seen by its district's officials and
    enterprises, and by the city."""

    audience_path = "district_id"

    def published(self, day=None):
        """The announcements the public may read: campaigns that have opened (until then officials may still correct
        the dates, so nothing is announced that may change) and were not called off before opening."""
        day = day or timezone.localdate()
        return self.filter(opens_on__lte=day).exclude(closed_at__isnull=False, closed_at__date__lt=models.F("opens_on"))

    def open_on(self, day):
        return self.filter(opens_on__lte=day, deadline__gte=day, closed_at__isnull=True)


class CaseQuerySet(EnterpriseRecordQuerySet):
    """A case file of this app: the enterprise record scope, and experts, evaluators and department users see the
    cases a review task of theirs is on (``ReviewTask``, through each case's ``review_tasks`` relation)."""

    assignment_path = "review_tasks"


class CampaignPhase(models.TextChoices):
    NOT_STARTED = "not_started", _("尚未开始")
    OPEN = "open", _("申报中")
    CLOSED_EARLY = "closed_early", _("已提前结束")
    ENDED = "ended", _("已截止")


class TargetState(models.TextChoices):
    NOT_STARTED = "not_started", _("尚未开始")
    IN_PROGRESS = "in_progress", _("进行中")
    MET = "met", _("已达目标")
    MISSED = "missed", _("未达目标")
    # Closed (cancelled) before it opened: there was nothing to reach.
    CANCELLED = "cancelled", _("未开展")


class CultivationCampaign(models.Model):
    """An annual cultivation campaign (年度绿色工厂培育工作), opened by the city (all districts) or one district."""

    public_id = models.UUIDField(_("编号"), default=uuid.uuid4, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(_("培育年度"),
                                            validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    title = models.CharField(_("名称"), max_length=100)
    district = models.ForeignKey(District, verbose_name=_("区县"), on_delete=models.PROTECT, null=True, blank=True,
                                 help_text=_("留空表示全市各区县。"))
    document_number = models.CharField(_("通知文号"), max_length=50, blank=True,
                                       help_text=_("如：长经信发〔2023〕12号"))
    opens_on = models.DateField(_("开始日期"))
    deadline = models.DateField(_("截止日期"), help_text=_("截止日当天24时前可提交。"))
    key_sectors = models.JSONField(_("重点行业"), default=list, blank=True)
    default_target = models.PositiveSmallIntegerField(_("各区县入库目标（家）"), default=DEFAULT_LIBRARY_TARGET,
                                                      validators=[MinValueValidator(1), MaxValueValidator(1000)])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("创建人"))
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    # Closed early by an official (submissions refused from then on); the reason is required and shown.
    closed_at = models.DateTimeField(_("提前结束时间"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
                                  blank=True, verbose_name=_("提前结束人"))
    closed_reason = models.TextField(_("提前结束原因"), max_length=500, blank=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-opens_on", "-id"]
        verbose_name = _("年度培育工作")
        verbose_name_plural = _("年度培育工作")
        constraints = [
            models.CheckConstraint(condition=models.Q(deadline__gte=models.F("opens_on")),
                                   name="campaign_deadline_after_opening",
                                   violation_error_message=_("截止日期不能早于开始日期。")),
        ]

    def __str__(self):
        return self.title

    @property
    def profit_years(self) -> list[int]:
        """利润总额 is asked for the three years before the campaign year (the notice's 2020–2022 for 2023)."""
        return [self.year - 3, self.year - 2, self.year - 1]

    @property
    def output_year(self) -> int:
        return self.year - 1

    def deadline_ends_at(self):
        from datetime import datetime, time

        from greenfactory.workdays import SHANGHAI

        return datetime.combine(self.deadline, time.max, tzinfo=SHANGHAI)

    def closes_at(self):
        """The end of the deadline day in Shanghai, or the moment an official closed the campaign early."""
        end = self.deadline_ends_at()
        return self.closed_at if self.closed_at and self.closed_at < end else end

    def phase(self, now=None) -> str:
        now = now or timezone.now()
        if self.closed_at and self.closed_at <= now and self.closed_at < self.deadline_ends_at():
            return CampaignPhase.CLOSED_EARLY
        if now > self.deadline_ends_at():
            return CampaignPhase.ENDED
        if timezone.localdate(now) < self.opens_on:
            return CampaignPhase.NOT_STARTED
        return CampaignPhase.OPEN

    def get_phase_display(self, now=None) -> str:
        return str(CampaignPhase(self.phase(now)).label)

    def is_open(self, now=None) -> bool:
        return self.phase(now) == CampaignPhase.OPEN

    def closed_before_opening(self) -> bool:
        """Closed early before its opening day began (in Shanghai): a campaign that never ran."""
        return bool(self.closed_at) and timezone.localdate(self.closed_at) < self.opens_on

    def is_over(self, now=None) -> bool:
        return self.phase(now) in (CampaignPhase.CLOSED_EARLY, CampaignPhase.ENDED)

    def target_progress(self, count: int, target: int, now=None) -> dict:
        """A district's admissions against its target. Nothing is "missed" before the campaign is over: before it
        opens it reads 尚未开始, while open 进行中 (or 已达目标 once reached)."""
        phase = self.phase(now)
        if self.closed_before_opening():
            state = TargetState.CANCELLED
        elif phase == CampaignPhase.NOT_STARTED:
            state = TargetState.NOT_STARTED
        elif count >= target:
            state = TargetState.MET
        elif phase == CampaignPhase.OPEN:
            state = TargetState.IN_PROGRESS
        else:
            state = TargetState.MISSED
        return {"count": count, "target": target, "state": state, "label": str(TargetState(state).label),
                "percent": min(100, round(100 * count / target)) if target else 100}

    def key_sector_labels(self) -> list[str]:
        labels = dict(Sector.choices)
        return [str(labels.get(value, value)) for value in self.key_sectors]

    def target_for(self, district) -> int:
        override = next((t for t in self.targets.all() if t.district_id == district.pk), None)
        return override.target if override else self.default_target


class CampaignTarget(models.Model):
    """A district's library target when it differs from the campaign's default."""

    campaign = models.ForeignKey(CultivationCampaign, on_delete=models.CASCADE, related_name="targets",
                                 verbose_name=_("年度培育工作"))
    district = models.ForeignKey(District, on_delete=models.PROTECT, verbose_name=_("区县"))
    target = models.PositiveSmallIntegerField(_("入库目标（家）"))

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["campaign", "district"], name="one_target_per_district",
            violation_error_message=_("该区县在本年度培育工作中已有入库目标，请直接修改原有目标。"))]
        verbose_name = _("区县入库目标")
        verbose_name_plural = _("区县入库目标")

    def __str__(self):
        return f"{self.district}: {self.target}"


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
        indexes = [models.Index(fields=["district", "status"])]

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


class ApplicationBanQuerySet(models.QuerySet):
    def in_force_on(self, day):
        return self.filter(starts_on__lte=day, ends_on__gt=day)


class ApplicationBan(models.Model):
    """第十八条: a unit whose title was revoked may not apply again for three years. Written by the revocation
    (supervision); enforced at intake and certification."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="bans",
                                     verbose_name=_("单位"))
    starts_on = models.DateField(_("撤销日期"))
    ends_on = models.DateField(_("禁止申报截止（不含）"), blank=True, help_text=_("留空则为撤销日期起三年。"))
    reason = models.CharField(_("撤销原因"), max_length=300)
    document_number = models.CharField(_("撤销文号"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    objects = ApplicationBanQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("申报限制")
        verbose_name_plural = _("申报限制")

    def __str__(self):
        return f"{self.organisation} {self.starts_on}–{self.ends_on}"

    @staticmethod
    def end_for(starts_on):
        """Three years from the revocation (第十八条), to the same calendar day; 29 February falls to 1 March."""
        try:
            return starts_on.replace(year=starts_on.year + 3)
        except ValueError:
            return starts_on.replace(year=starts_on.year + 3, month=3, day=1)

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.starts_on and not self.ends_on:
            self.ends_on = self.end_for(self.starts_on)
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            raise ValidationError({"ends_on": _("截止日期应晚于撤销日期。")})


class LibraryStatus(models.TextChoices):
    CULTIVATING = "cultivating", _("培育中")
    READY = "ready", _("成熟（可申报）")


class LibraryEntry(models.Model):
    """An enterprise in a district's cultivation library (培育库), from its accepted intake application."""

    public_id = models.UUIDField(_("编号"), default=uuid.uuid4, unique=True, editable=False)
    application = models.OneToOneField(IntakeApplication, on_delete=models.PROTECT, related_name="library_entry",
                                       verbose_name=_("入库申请"))
    campaign = models.ForeignKey(CultivationCampaign, on_delete=models.PROTECT, related_name="library_entries",
                                 verbose_name=_("年度培育工作"))
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="library_entries",
                                   verbose_name=_("企业"))
    district = models.ForeignKey(District, on_delete=models.PROTECT, verbose_name=_("区县"))
    industry = models.ForeignKey(Industry, on_delete=models.PROTECT, verbose_name=_("所属行业"))
    sector = models.CharField(_("重点行业"), max_length=20, choices=Sector.choices)
    status = models.CharField(_("培育状态"), max_length=12, choices=LibraryStatus.choices,
                              default=LibraryStatus.CULTIVATING)
    entered_at = models.DateTimeField(_("入库时间"), default=timezone.now)
    review_tasks = GenericRelation("applications.ReviewTask", related_query_name="library_entry")

    objects = CaseQuerySet.as_manager()

    # Cultivation: experts assess the entry on the six areas of the evaluation system (DESIGN.md, "Cultivation").
    review_task_kinds = (ReviewTaskKind.EXPERT_REVIEW, ReviewTaskKind.ON_SITE)

    class Meta:
        ordering = ["district__position", "-entered_at"]
        verbose_name = _("培育库企业")
        verbose_name_plural = _("培育库企业")
        indexes = [models.Index(fields=["campaign", "district", "status"])]

    def __str__(self):
        return f"{self.enterprise}（{self.campaign.year}）"


# Review assignments live in their own module (applications will become packages by topic); importing it here
# registers the model with the app.
from applications.review_models import ReviewTask  # noqa: E402, F401
