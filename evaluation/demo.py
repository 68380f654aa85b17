"""Demo data of evaluation (``seed_demo``): the demo enterprise's figures for the last two years, entered through the
service as an enterprise would, so its record pages and its district's view have something to show."""

from decimal import Decimal

from django.utils import timezone

from accounts.models import Role, User
from evaluation.models import EnergyCarrier, YearlyFigures
from evaluation.services import figures_save

DEMO_FIGURES = {
    "output_value": Decimal("12600"), "product_name": "水泥", "product_unit": "t", "product_output": Decimal("820000"),
    "qualified_output": Decimal("815000"), "co2": Decimal("560000"), "water_withdrawal": Decimal("210000"),
    "water_reused": Decimal("1450000"), "wastewater_generated": Decimal("36000"),
    "wastewater_reused": Decimal("30000"), "raw_material": Decimal("1050000"), "green_material": Decimal("180000"),
    "solid_waste_generated": Decimal("5200"), "solid_waste_used": Decimal("4900"),
    "solid_waste_stored_used": Decimal("0"), "so2": Decimal("38"), "nox": Decimal("210"), "cod": Decimal("2.1"),
    "ammonia_nitrogen": Decimal("0.2"), "particulates": Decimal("24"), "waste_gas": Decimal("460000"),
    "site_area": Decimal("186000"), "floor_area": Decimal("98000"), "footprint": Decimal("81000"),
}


def seed() -> str:
    user = User.objects.get(username="demo-enterprise-3", role=Role.ENTERPRISE)
    carriers = {c.code: c.pk for c in EnergyCarrier.objects.all()}
    year = timezone.localdate().year
    for back, scale in ((2, Decimal("0.96")), (1, Decimal(1))):
        if YearlyFigures.objects.filter(unit_id=user.organisation_id, year=year - back).exists():
            continue
        figures_save(unit=user.organisation, year=year - back, actor=user,
                     data={name: value * scale if isinstance(value, Decimal) else value
                           for name, value in DEMO_FIGURES.items()},
                     energy={carriers["raw_coal"]: Decimal("95000") * scale,
                             carriers["electricity"]: Decimal("8600") * scale,
                             carriers["onsite_renewable_power"]: Decimal("4100") * scale})
    return f"Demo yearly figures: {YearlyFigures.objects.filter(unit_id=user.organisation_id).count()} year(s)."
