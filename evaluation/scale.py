"""City-scale yearly figures (``manage.py seed_scale``): every enterprise in the cultivation library reports the last
three completed years, with its energy by carrier, as the assessments and annual reports will read them."""

from decimal import Decimal

from accounts.models import User
from applications.models import LibraryEntry
from evaluation.models import EnergyCarrier, YearlyEnergyUse, YearlyFigures
from greenfactory.scale import ScaleContext

YEARS_REPORTED = 3


def _figures(context: ScaleContext, unit_id: int, year: int, user_id: int) -> YearlyFigures:
    rng = context.rng
    output = Decimal(rng.randint(2_000, 200_000))           # 万元
    products = Decimal(rng.randint(1_000, 100_000))          # t
    site = Decimal(rng.randint(10_000, 300_000))             # m²
    withdrawal = Decimal(rng.randint(5_000, 500_000))        # m³
    waste = Decimal(rng.randint(100, 20_000))
    return YearlyFigures(
        unit_id=unit_id, year=year, updated_by_id=user_id, output_value=output, product_name="主要产品",
        product_unit="t", product_output=products, qualified_output=products * Decimal("0.98"),
        co2=output * Decimal("0.4"), water_withdrawal=withdrawal, water_reused=withdrawal * Decimal(2),
        wastewater_generated=withdrawal * Decimal("0.6"), wastewater_reused=withdrawal * Decimal("0.2"),
        raw_material=products * Decimal("1.3"), green_material=products * Decimal("0.2"),
        solid_waste_generated=waste, solid_waste_used=waste * Decimal("0.8"), solid_waste_stored_used=Decimal(0),
        so2=Decimal("1.5"), nox=Decimal("2.1"), cod=Decimal("3.2"), ammonia_nitrogen=Decimal("0.3"),
        particulates=Decimal("0.8"), waste_gas=products * Decimal(2), site_area=site, floor_area=site * Decimal("1.1"),
        footprint=site * Decimal("0.45"))


def seed_figures(context: ScaleContext) -> dict[str, int]:
    years = [context.current_year - back for back in range(1, YEARS_REPORTED + 1)]
    admitted = set(LibraryEntry.objects.values_list("enterprise_id", flat=True))
    units = {}  # each unit's first user: who typed its figures
    for organisation_id, user_id in User.objects.filter(organisation_id__in=admitted).order_by(
            "organisation_id", "id").values_list("organisation_id", "pk"):
        units.setdefault(organisation_id, user_id)
    have = set(YearlyFigures.objects.filter(year__in=years).values_list("unit_id", "year"))
    missing = [(unit, year) for unit in sorted(units) for year in years if (unit, year) not in have]
    carriers = {c.code: c for c in EnergyCarrier.objects.filter(code__in=("electricity", "natural_gas",
                                                                          "green_electricity"))}
    created = 0
    for start in range(0, len(missing), context.batch_size):
        batch = [_figures(context, unit, year, units[unit]) for unit, year in missing[start:start + context.batch_size]]
        YearlyFigures.objects.bulk_create(batch)
        saved = YearlyFigures.objects.filter(unit_id__in={f.unit_id for f in batch}, year__in=years).only(
            "pk", "unit_id", "year")
        wanted = {(f.unit_id, f.year) for f in batch}
        lines = []
        for figures in saved:
            if (figures.unit_id, figures.year) not in wanted:
                continue
            for code, quantity in (("electricity", context.rng.randint(100, 20_000)),
                                   ("natural_gas", context.rng.randint(10, 2_000)),
                                   ("green_electricity", context.rng.randint(0, 2_000))):
                carrier = carriers[code]
                lines.append(YearlyEnergyUse(figures=figures, carrier=carrier, quantity=Decimal(quantity),
                                             tce_per_unit=carrier.tce_per_unit))
        YearlyEnergyUse.objects.bulk_create(lines, batch_size=context.batch_size)
        created += len(batch)
    return {"yearly figures": created}
