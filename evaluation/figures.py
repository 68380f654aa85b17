"""The per-unit indicators computed from a unit's yearly raw figures (年度绿色绩效数据): the formulas, once. Every
score, gap and report reads a computed indicator from here; nobody types one.

The formulas are the conventional definitions (GB/T 36132-2018 Annex A and the 2025 edition's Annex B as far as
they are public; GB/T 2589-2020 for 综合能耗): a value is ``None`` when a figure it needs is missing or a divisor is
zero, never a guess.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

HUNDRED = Decimal(100)
THOUSAND = Decimal(1000)


def _div(numerator, denominator, scale=Decimal(1)):
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator * scale / denominator


def _sum(*values):
    if any(v is None for v in values):
        return None
    return sum(values, Decimal(0))


@dataclass(frozen=True)
class ComputedIndicator:
    key: str
    label: str
    unit: str
    formula: str
    compute: Callable[[dict], Decimal | None]
    # A rate (in %) cannot exceed 100 when the figures are right.
    rate: bool = False


def _v(key):
    return lambda f: f.get(key)


COMPUTED = (
    ComputedIndicator("energy_total", _("综合能源消费量"), "tce", _("Σ 各能源品种消费量 × 折标准煤系数"),
                      _v("energy_total")),
    ComputedIndicator("energy_per_product", _("单位产品综合能耗"), "tce/产品单位", _("综合能源消费量 ÷ 产品产量"),
                      lambda f: _div(f.get("energy_total"), f.get("product_output"))),
    ComputedIndicator("energy_per_output", _("单位产值综合能耗"), "kgce/万元", _("综合能源消费量 × 1000 ÷ 工业总产值"),
                      lambda f: _div(f.get("energy_total"), f.get("output_value"), THOUSAND)),
    ComputedIndicator("carbon_per_output", _("单位产值碳排放量"), "kgCO₂/万元", _("二氧化碳排放量 × 1000 ÷ 工业总产值"),
                      lambda f: _div(f.get("co2"), f.get("output_value"), THOUSAND)),
    ComputedIndicator("carbon_per_product", _("单位产品碳排放量"), "tCO₂/产品单位", _("二氧化碳排放量 ÷ 产品产量"),
                      lambda f: _div(f.get("co2"), f.get("product_output"))),
    ComputedIndicator("renewable_share", _("可再生能源利用率"), "%",
                      _("可再生能源消费量 ÷ 综合能源消费量 × 100"),
                      lambda f: _div(f.get("renewable_energy"), f.get("energy_total"), HUNDRED), rate=True),
    ComputedIndicator("water_per_output", _("单位产值取水量"), "m³/万元", _("取水量 ÷ 工业总产值"),
                      lambda f: _div(f.get("water_withdrawal"), f.get("output_value"))),
    ComputedIndicator("water_per_product", _("单位产品取水量"), "m³/产品单位", _("取水量 ÷ 产品产量"),
                      lambda f: _div(f.get("water_withdrawal"), f.get("product_output"))),
    ComputedIndicator("water_reuse_rate", _("工业用水重复利用率"), "%",
                      _("重复利用水量 ÷ (重复利用水量 + 取水量) × 100"),
                      lambda f: _div(f.get("water_reused"), _sum(f.get("water_reused"), f.get("water_withdrawal")),
                                     HUNDRED), rate=True),
    ComputedIndicator("wastewater_reuse_rate", _("废水处理回用率"), "%", _("废水处理回用量 ÷ 废水产生量 × 100"),
                      lambda f: _div(f.get("wastewater_reused"), f.get("wastewater_generated"), HUNDRED), rate=True),
    ComputedIndicator("solid_waste_use_rate", _("一般工业固体废物综合利用率"), "%",
                      _("综合利用量 ÷ (产生量 + 综合利用往年贮存量) × 100"),
                      lambda f: _div(f.get("solid_waste_used"),
                                     _sum(f.get("solid_waste_generated"), f.get("solid_waste_stored_used")), HUNDRED),
                      rate=True),
    ComputedIndicator("green_material_rate", _("绿色物料使用率"), "%", _("绿色物料使用量 ÷ 主要原材料消耗量 × 100"),
                      lambda f: _div(f.get("green_material"), f.get("raw_material"), HUNDRED), rate=True),
    ComputedIndicator("material_per_product", _("单位产品主要原材料消耗量"), "t/产品单位",
                      _("主要原材料消耗量 ÷ 产品产量"),
                      lambda f: _div(f.get("raw_material"), f.get("product_output"))),
    ComputedIndicator("pollutants_per_product", _("单位产品主要污染物产生量"), "t/产品单位",
                      _("(SO₂ + NOx + COD + 氨氮 + 颗粒物) ÷ 产品产量"),
                      lambda f: _div(_sum(f.get("so2"), f.get("nox"), f.get("cod"), f.get("ammonia_nitrogen"),
                                          f.get("particulates")), f.get("product_output"))),
    ComputedIndicator("waste_gas_per_product", _("单位产品废气产生量"), "万m³/产品单位", _("废气产生量 ÷ 产品产量"),
                      lambda f: _div(f.get("waste_gas"), f.get("product_output"))),
    ComputedIndicator("wastewater_per_product", _("单位产品废水产生量"), "t/产品单位", _("废水产生量 ÷ 产品产量"),
                      lambda f: _div(f.get("wastewater_generated"), f.get("product_output"))),
    ComputedIndicator("floor_area_ratio", _("容积率"), "", _("总(计容)建筑面积 ÷ 用地面积"),
                      lambda f: _div(f.get("floor_area"), f.get("site_area"))),
    ComputedIndicator("building_density", _("建筑密度"), "%", _("建筑物、构筑物及露天堆场占地面积 ÷ 用地面积 × 100"),
                      lambda f: _div(f.get("footprint"), f.get("site_area"), HUNDRED), rate=True),
    ComputedIndicator("output_per_area", _("单位用地面积产值"), "万元/m²", _("工业总产值 ÷ 用地面积"),
                      lambda f: _div(f.get("output_value"), f.get("site_area"))),
    # A park's productivity (绿色园区评价要求 EG1, RG1, RG2): output per unit of energy, water and land.
    ComputedIndicator("energy_productivity", _("能源产出率"), "万元/tce", _("工业总产值 ÷ 综合能源消费量"),
                      lambda f: _div(f.get("output_value"), f.get("energy_total"))),
    ComputedIndicator("water_productivity", _("水资源产出率"), "元/m³", _("工业总产值 × 10000 ÷ 取水量"),
                      lambda f: _div(f.get("output_value"), f.get("water_withdrawal"), Decimal(10000))),
    ComputedIndicator("land_productivity", _("土地资源产出率"), "亿元/km²", _("工业总产值 × 100 ÷ 用地面积"),
                      lambda f: _div(f.get("output_value"), f.get("site_area"), HUNDRED)),
    ComputedIndicator("qualified_rate", _("产品合格率"), "%", _("合格品产量 ÷ 产品产量 × 100"),
                      lambda f: _div(f.get("qualified_output"), f.get("product_output"), HUNDRED), rate=True),
)
COMPUTED_BY_KEY = {c.key: c for c in COMPUTED}
COMPUTED_CHOICES = [(c.key, c.label) for c in COMPUTED]

# The per-unit indicators compared with last year's at entry: a value this many times larger or smaller asks the
# enterprise to check its figures.
PER_UNIT_KEYS = ("energy_per_product", "energy_per_output", "carbon_per_output", "carbon_per_product",
                 "water_per_output", "water_per_product", "material_per_product", "pollutants_per_product",
                 "waste_gas_per_product", "wastewater_per_product")
FAR_FROM_LAST_YEAR = Decimal(3)


def computed_values(values: dict) -> dict[str, Decimal | None]:
    """Every computed indicator from a dict of raw figures (plus ``energy_total`` and ``renewable_energy`` in tce)."""
    return {c.key: c.compute(values) for c in COMPUTED}


def far_from_last_year(current: dict, previous: dict) -> list[str]:
    """The per-unit indicators at least FAR_FROM_LAST_YEAR times larger or smaller than last year's."""
    far = []
    for key in PER_UNIT_KEYS:
        now, before = current.get(key), previous.get(key)
        if now is None or before is None or now <= 0 or before <= 0:
            continue
        if now / before >= FAR_FROM_LAST_YEAR or before / now >= FAR_FROM_LAST_YEAR:
            far.append(key)
    return far
