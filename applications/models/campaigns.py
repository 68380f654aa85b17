"""Cultivation campaigns (年度培育工作): the year's call with its deadline, key sectors and district targets."""

import uuid
from datetime import datetime, time

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import District, Sector
from accounts.scope import ScopedQuerySet
from greenfactory.workdays import SHANGHAI

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
