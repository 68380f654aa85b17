"""The evaluation indicator system (评价指标体系) as versioned data: GB/T 36132-2018 and -2025 and their sector
variants, each a header (``IndicatorSystem``) with first-level areas (``IndicatorArea``, with a weight) and
indicators (``Indicator``: a veto, a qualitative item scored in points, or a quantitative item scored linearly
between its 基准值 and 引领值). The scoring rules are in ``evaluation.scoring``; what is shipped is in
``fixtures/indicator_systems.json``.

A version that an assessment has used is frozen: its figures are what that assessment was scored against, so a change
to it makes a new version (``evaluation.services.indicators``) and never edits the old one.
"""

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Industry
from evaluation.figures import COMPUTED_CHOICES


class ScoringMethod(models.TextChoices):
    # GB/T 36132-2018: 基本要求 vetoes, then items worth points, 必选 items to be met in full, 可选 items for extra.
    POINTS = "points", _("逐项评分（GB/T 36132-2018）")
    # GB/T 36132-2025 §5: quantitative indicators scored linearly between 基准值 and 引领值, weighted by area.
    LINEAR = "linear", _("基准值—引领值线性评分（GB/T 36132-2025）")


class IndicatorKind(models.TextChoices):
    VETO = "veto", _("基本要求（一票否决）")
    QUALITATIVE = "qualitative", _("定性指标")
    QUANTITATIVE = "quantitative", _("定量指标")


class Direction(models.TextChoices):
    HIGHER = "higher", _("正向（越高越好）")
    LOWER = "lower", _("逆向（越低越好）")


class Subject(models.TextChoices):
    """What a system evaluates: a factory (GB/T 36132) or a park (绿色园区评价要求)."""

    FACTORY = "factory", _("绿色工厂")
    PARK = "park", _("绿色园区")


class IndicatorSystemQuerySet(models.QuerySet):
    def in_force(self, on):
        return self.filter(active=True, in_force_from__lte=on)


class IndicatorSystem(models.Model):
    """One version of one indicator system: the 通则 (``variant`` empty) or a sector variant, which applies to the
    industries it lists."""

    public_id = models.UUIDField(_("编号"), default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(_("标准编号"), max_length=40, help_text=_("例如 GB/T 36132-2025。"))
    title = models.CharField(_("名称"), max_length=120)
    subject = models.CharField(_("评价对象"), max_length=10, choices=Subject.choices, default=Subject.FACTORY)
    variant = models.CharField(_("行业细则"), max_length=60, blank=True,
                               help_text=_("留空为通则；填写行业名称则为该行业的细化评价要求。"))
    industries = models.ManyToManyField(Industry, blank=True, related_name="+", verbose_name=_("适用行业"),
                                        help_text=_("行业细则适用的行业；通则适用于其他所有行业。"))
    version = models.PositiveIntegerField(_("版本"), default=1)
    scoring = models.CharField(_("评分方法"), max_length=10, choices=ScoringMethod.choices)
    in_force_from = models.DateField(_("实施日期"))
    active = models.BooleanField(_("启用"), default=True,
                                 help_text=_("停用的版本不再用于新的评估，已有评估不受影响。"))
    # Set when an assessment first uses this version (evaluation.services.indicators.indicator_system_freeze).
    frozen_at = models.DateTimeField(_("首次使用时间"), null=True, blank=True, editable=False)
    previous = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 editable=False, verbose_name=_("上一版本"))
    source_note = models.TextField(_("数据来源说明"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)

    objects = IndicatorSystemQuerySet.as_manager()

    class Meta:
        ordering = ["-in_force_from", "code", "variant", "-version"]
        verbose_name = _("评价指标体系")
        verbose_name_plural = _("评价指标体系")
        constraints = [models.UniqueConstraint(fields=["code", "variant", "version"],
                                               name="indicator_system_one_version_number",
                                               violation_error_message=_("该标准的此版本号已存在。"))]

    def __str__(self):
        name = f"{self.code} {self.title}"
        if self.variant:
            name += f"（{self.variant}）"
        return f"{name} 第{self.version}版"

    @property
    def frozen(self) -> bool:
        return self.frozen_at is not None


class IndicatorArea(models.Model):
    """A first-level area (一级指标) with its weight: the points the area contributes to the overall score."""

    system = models.ForeignKey(IndicatorSystem, on_delete=models.CASCADE, related_name="areas",
                               verbose_name=_("评价指标体系"))
    code = models.CharField(_("代码"), max_length=20)
    name = models.CharField(_("一级指标"), max_length=60)
    # Empty where the value is not public (the interface says 待管理员录入; never an invented figure).
    weight = models.DecimalField(_("权重（分）"), max_digits=6, decimal_places=2, null=True, blank=True)
    position = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["system", "position", "id"]
        verbose_name = _("一级指标")
        verbose_name_plural = _("一级指标")
        constraints = [models.UniqueConstraint(fields=["system", "code"], name="indicator_area_code_per_system",
                                               violation_error_message=_("该版本中已有相同代码的一级指标。"))]

    def __str__(self):
        return self.name


class Indicator(models.Model):
    """A scored or vetoing indicator. ``code`` stays the same across versions, so a new version's indicator is
    matched with the old one (gap analysis across years, a revision's counterpart)."""

    system = models.ForeignKey(IndicatorSystem, on_delete=models.CASCADE, related_name="indicators",
                               verbose_name=_("评价指标体系"))
    # Vetoes belong to no area (基本要求 are a gate, not points).
    area = models.ForeignKey(IndicatorArea, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="indicators", verbose_name=_("一级指标"))
    code = models.CharField(_("代码"), max_length=20)
    group = models.CharField(_("二级指标"), max_length=60, blank=True)
    name = models.CharField(_("指标"), max_length=200)
    kind = models.CharField(_("类型"), max_length=12, choices=IndicatorKind.choices)
    required = models.BooleanField(_("必选"), default=True,
                                   help_text=_("必选项须满分；可选项为加分项（GB/T 36132-2018）。"))
    points = models.DecimalField(_("分值"), max_digits=6, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("单位"), max_length=30, blank=True)
    direction = models.CharField(_("方向"), max_length=6, choices=Direction.choices, blank=True)
    base_value = models.DecimalField(_("基准值"), max_digits=16, decimal_places=6, null=True, blank=True,
                                     help_text=_("得0分的值。"))
    lead_value = models.DecimalField(_("引领值"), max_digits=16, decimal_places=6, null=True, blank=True,
                                     help_text=_("得满分的值。"))
    figure = models.CharField(_("计算指标"), max_length=40, choices=COMPUTED_CHOICES, blank=True,
                              help_text=_("由企业年度绿色绩效数据计算得出的指标。"))
    requirement = models.TextField(_("要求及证明材料"), blank=True)
    position = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["system", "position", "id"]
        verbose_name = _("评价指标")
        verbose_name_plural = _("评价指标")
        constraints = [
            models.UniqueConstraint(fields=["system", "code"], name="indicator_code_per_system",
                                    violation_error_message=_("该版本中已有相同代码的指标。")),
            models.CheckConstraint(condition=Q(kind="veto", area__isnull=True)
                                   | (~Q(kind="veto") & Q(area__isnull=False)),
                                   name="indicator_veto_has_no_area",
                                   violation_error_message=_("基本要求不属于任何一级指标；其他指标须属于一个一级指标。")),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.kind == IndicatorKind.QUANTITATIVE and not self.direction:
            errors["direction"] = _("定量指标须注明方向（正向或逆向）。")
        if (self.base_value is not None and self.lead_value is not None and self.direction
                and self.base_value != self.lead_value):
            better = self.lead_value > self.base_value
            if better != (self.direction == Direction.HIGHER):
                errors["lead_value"] = _(
                    "引领值应优于基准值：正向指标的引领值应大于基准值，逆向指标的引领值应小于基准值。")
        if self.base_value is not None and self.lead_value is not None and self.base_value == self.lead_value:
            errors["lead_value"] = _("引领值与基准值不能相同。")
        if self.points is not None and self.points < 0:
            errors["points"] = _("分值不能为负数。")
        if self.area_id and self.system_id and self.area.system_id != self.system_id:
            errors["area"] = _("一级指标须属于同一评价指标体系。")
        if errors:
            raise ValidationError(errors)

    @property
    def awaiting_values(self) -> bool:
        """A value the score needs is not entered (待管理员录入)."""
        if self.kind == IndicatorKind.VETO:
            return False
        if self.points is None:
            return True
        return self.kind == IndicatorKind.QUANTITATIVE and (self.base_value is None or self.lead_value is None)
