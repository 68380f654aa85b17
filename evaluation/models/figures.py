"""A unit's yearly raw figures (年度绿色绩效数据): typed once a year, read by the cultivation assessment, the
self-evaluation, the evaluator's report and the annual key-indicator report (DESIGN.md, "Seams"). Every per-unit
indicator is computed from them (``evaluation.figures``); none is typed."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from accounts.scope import ScopedQuerySet
from evaluation.figures import computed_values
from greenfactory.documents import StoredDocument
from greenfactory.uploads import GeneratedName

NOT_NEGATIVE = [MinValueValidator(Decimal(0), message=_("数值不能为负数。"))]


def _figure(label, unit, **kwargs):
    return models.DecimalField(label, max_digits=18, decimal_places=4, null=True, blank=True,
                               validators=NOT_NEGATIVE, help_text=unit, **kwargs)


class EnergyCarrier(models.Model):
    """An energy carrier and its conversion to tonnes of standard coal (GB/T 2589-2020 附录A reference
    coefficients; an administrator corrects them to measured calorific values where the unit has them)."""

    code = models.CharField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("能源品种"), max_length=40)
    unit = models.CharField(_("计量单位"), max_length=20)
    tce_per_unit = models.DecimalField(_("折标准煤系数（tce/计量单位）"), max_digits=12, decimal_places=6)
    renewable = models.BooleanField(_("可再生能源"), default=False)
    position = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("能源品种")
        verbose_name_plural = _("能源品种")

    def __str__(self):
        return f"{self.name}（{self.unit}）"


class FiguresQuerySet(ScopedQuerySet):
    """The unit's own users, its district's officials, the city and administrators."""

    district_path = "unit__district_id"
    applicant_path = "unit_id"


class YearlyFigures(models.Model):
    public_id = models.UUIDField(_("编号"), default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="yearly_figures",
                             verbose_name=_("单位"))
    year = models.PositiveIntegerField(_("年度"))
    # Output (产值与产量)
    output_value = _figure(_("工业总产值"), "万元")
    product_name = models.CharField(_("主要产品"), max_length=60, blank=True)
    product_unit = models.CharField(_("产品计量单位"), max_length=20, blank=True, help_text=_("例如 t、台、件。"))
    product_output = _figure(_("产品产量"), _("产品计量单位"))
    qualified_output = _figure(_("合格品产量"), _("产品计量单位"))
    # Carbon (碳排放)
    co2 = _figure(_("二氧化碳排放量"), "tCO₂")
    # Water (水资源)
    water_withdrawal = _figure(_("取水量"), "m³")
    water_reused = _figure(_("重复利用水量"), "m³")
    wastewater_generated = _figure(_("废水产生量"), "t")
    wastewater_reused = _figure(_("废水处理回用量"), "t")
    # Materials (原材料)
    raw_material = _figure(_("主要原材料消耗量"), "t")
    green_material = _figure(_("绿色物料使用量"), "t")
    # Solid waste (一般工业固体废物)
    solid_waste_generated = _figure(_("一般工业固体废物产生量"), "t")
    solid_waste_used = _figure(_("一般工业固体废物综合利用量"), "t")
    solid_waste_stored_used = _figure(_("综合利用往年贮存量"), "t")
    # Emissions (污染物)
    so2 = _figure(_("二氧化硫"), "t")
    nox = _figure(_("氮氧化物"), "t")
    cod = _figure(_("化学需氧量"), "t")
    ammonia_nitrogen = _figure(_("氨氮"), "t")
    particulates = _figure(_("颗粒物"), "t")
    waste_gas = _figure(_("废气产生量"), "万m³")
    # Land (用地)
    site_area = _figure(_("用地面积"), "m²")
    floor_area = _figure(_("总（计容）建筑面积"), "m²")
    footprint = _figure(_("建筑物、构筑物及露天堆场占地面积"), "m²")
    # The enterprise confirmed figures far from last year's (evaluation.figures.far_from_last_year).
    checked_note = models.CharField(_("数据变化说明"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now, editable=False)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   editable=False, verbose_name=_("填报人"))

    objects = FiguresQuerySet.as_manager()

    class Meta:
        ordering = ["unit", "-year"]
        verbose_name = _("年度绿色绩效数据")
        verbose_name_plural = _("年度绿色绩效数据")
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="one_figures_record_per_unit_year",
                                               violation_error_message=_("该单位该年度的绩效数据已经存在。"))]

    def __str__(self):
        return f"{self.unit}（{self.year}年度）"

    def raw_values(self, energy_uses=None) -> dict:
        """The raw figures and the energy totals in tce (from ``energy_uses``, or the stored lines)."""
        values = {field.name: getattr(self, field.name) for field in self._meta.get_fields()
                  if isinstance(field, models.DecimalField)}
        uses = list(energy_uses if energy_uses is not None else self.energy_uses.select_related("carrier"))
        if uses:
            values["energy_total"] = sum((use.tce for use in uses), Decimal(0))
            values["renewable_energy"] = sum((use.tce for use in uses if use.carrier.renewable), Decimal(0))
        else:
            values["energy_total"] = values["renewable_energy"] = None
        return values

    def computed(self, energy_uses=None) -> dict:
        return computed_values(self.raw_values(energy_uses))


class YearlyEnergyUse(models.Model):
    """One energy carrier's consumption in the year (实物量), converted to tce by its carrier's coefficient."""

    figures = models.ForeignKey(YearlyFigures, on_delete=models.CASCADE, related_name="energy_uses",
                                verbose_name=_("年度绿色绩效数据"))
    carrier = models.ForeignKey(EnergyCarrier, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("能源品种"))
    quantity = models.DecimalField(_("消费量（实物量）"), max_digits=18, decimal_places=4, validators=NOT_NEGATIVE)
    # The coefficient used, kept: a later correction of the carrier does not change this year's total.
    tce_per_unit = models.DecimalField(_("折标准煤系数"), max_digits=12, decimal_places=6)

    class Meta:
        ordering = ["carrier__position", "id"]
        verbose_name = _("能源消费")
        verbose_name_plural = _("能源消费")
        constraints = [models.UniqueConstraint(fields=["figures", "carrier"], name="one_energy_line_per_carrier",
                                               violation_error_message=_("同一能源品种只能填写一行。"))]

    def __str__(self):
        return f"{self.carrier}：{self.quantity}"

    @property
    def tce(self) -> Decimal:
        return self.quantity * self.tce_per_unit


class FiguresSection(models.TextChoices):
    OUTPUT = "output", _("产值与产量")
    ENERGY = "energy", _("能源消费与碳排放")
    WATER = "water", _("水资源")
    MATERIALS = "materials", _("原材料")
    WASTE = "waste", _("一般工业固体废物")
    EMISSIONS = "emissions", _("污染物排放")
    LAND = "land", _("用地与建筑")


class FiguresEvidence(StoredDocument):
    """A supporting document for one section of the figures (统计报表、能源利用状况报告、排污许可执行报告、
    规划许可…)."""

    owner_field = "figures"

    figures = models.ForeignKey(YearlyFigures, on_delete=models.CASCADE, related_name="evidence",
                                verbose_name=_("年度绿色绩效数据"))
    section = models.CharField(_("数据类别"), max_length=12, choices=FiguresSection.choices)
    file = models.FileField(_("证明材料"), upload_to=GeneratedName("figures-evidence"), max_length=200)

    class Meta(StoredDocument.Meta):
        verbose_name = _("证明材料")
        verbose_name_plural = _("证明材料")
        constraints = [models.UniqueConstraint(fields=["figures", "version"], name="one_figures_evidence_per_version",
                                               violation_error_message=_("该证明材料版本已经存在。"))]


# The raw figures of each section, in the order the form shows them.
SECTION_FIELDS = {
    FiguresSection.OUTPUT: ("output_value", "product_name", "product_unit", "product_output", "qualified_output"),
    FiguresSection.ENERGY: ("co2",),
    FiguresSection.WATER: ("water_withdrawal", "water_reused", "wastewater_generated", "wastewater_reused"),
    FiguresSection.MATERIALS: ("raw_material", "green_material"),
    FiguresSection.WASTE: ("solid_waste_generated", "solid_waste_used", "solid_waste_stored_used"),
    FiguresSection.EMISSIONS: ("so2", "nox", "cod", "ammonia_nitrogen", "particulates", "waste_gas"),
    FiguresSection.LAND: ("site_area", "floor_area", "footprint"),
}
