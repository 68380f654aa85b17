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


# --- Cultivation at city scale -----------------------------------------------------------------------------------

ASSESSED_SHARE = 0.3      # library entries with a confirmed assessment
READY_SHARE = 0.1         # of all entries, marked ready
MEASURES_EACH = 3


def _bench_cultivation(context: ScaleContext, system) -> dict:
    """Through the services, as users do: bench-enterprise's entry assessed by bench-expert, its plan drafted from
    the gaps and confirmed by bench-district; and a second 长寿区 entry whose assessment waits for bench-expert's
    scores (the scoring sheet's page)."""
    import datetime

    from django.utils import timezone

    from evaluation.models import Assessment
    from evaluation.services import assessment_assign_expert, assessment_confirm, plan_draft_from_gaps, scoring_save

    bench = context.shared["bench"]
    expert, official, enterprise = bench["bench-expert"], bench["bench-district"], bench["bench-enterprise"]
    entry = LibraryEntry.objects.filter(enterprise_id=enterprise.organisation_id).order_by("-entered_at").first()
    made = 0
    if entry is not None and not Assessment.objects.filter(entry=entry).exists():
        due = timezone.localdate() + datetime.timedelta(days=30)
        sheet = assessment_assign_expert(entry=entry, actor=official, expert=expert, due_on=due)
        items = {}
        for indicator in system.indicators.all():
            if indicator.kind == "veto":
                items[indicator.pk] = {"passed": True}
            elif indicator.kind == "qualitative":
                items[indicator.pk] = {"points": indicator.points * Decimal("0.7"), "comment": "现场查阅记录"}
        scoring_save(expert_scoring=sheet, actor=expert, visited_on=timezone.localdate(),
                     opinion="管理规范，能效有提升空间。", items=items, submit=True)
        plan_draft_from_gaps(assessment=sheet.assessment, actor=expert)
        assessment_confirm(assessment=sheet.assessment, actor=official, comment="同意专家评估意见。")
        made += 1
    # Another 长寿区 entry waits for bench-expert's scores; on a data set too small to have one, a second round on
    # bench-enterprise's own entry (a re-assessment) does.
    waiting = LibraryEntry.objects.filter(district_id=official.organisation.district_id).exclude(
        enterprise_id=enterprise.organisation_id).order_by("id").first() or entry
    if waiting is not None and not Assessment.objects.filter(entry=waiting, status="scoring").exists() and not (
            Assessment.objects.filter(status="scoring", scorings__expert=expert).exists()):
        due = timezone.localdate() + datetime.timedelta(days=20)
        assessment_assign_expert(entry=waiting, actor=official, expert=expert, due_on=due)
        made += 1
    return {"bench assessments": made}


def seed_cultivation(context: ScaleContext) -> dict[str, int]:
    """A share of the library assessed and confirmed (the result kept as the bench entry's), with improvement
    measures in every state and due dates around today, some entries ready; a few training events with sign-ups."""
    import datetime

    from django.db.models import Q

    from accounts.models import Industry
    from evaluation.demo import DEMO_SYSTEM_CODE, demo_indicator_system
    from evaluation.models import (
        Assessment,
        ImprovementMeasure,
        IndicatorSystem,
        MeasureCategory,
        MeasureStatus,
        TrainingEvent,
        TrainingSignUp,
    )

    system = IndicatorSystem.objects.filter(code=DEMO_SYSTEM_CODE).first()
    if system is None:
        system = demo_indicator_system(list(Industry.objects.all()))
    counts = _bench_cultivation(context, system)
    template = Assessment.objects.filter(status="confirmed").order_by("id").first()
    if template is None or Assessment.objects.filter(status="confirmed").count() > 1:
        return counts
    rng = context.rng
    city = User.objects.filter(role="city").order_by("id").first()
    entries = list(LibraryEntry.objects.filter(~Q(pk=template.entry_id)).exclude(
        pk__in=Assessment.objects.values("entry_id")).order_by("id").values_list(
        "pk", "district_id", "enterprise_id"))
    chosen = [e for e in entries if rng.random() < ASSESSED_SHARE]
    now, today = context.now, context.today
    categories, states = list(MeasureCategory.values), list(MeasureStatus.values)
    assessed = 0
    for start in range(0, len(chosen), context.batch_size):
        batch = chosen[start:start + context.batch_size]
        rows = [Assessment(entry_id=pk, district_id=district_id, unit_id=unit_id, system=system,
                           status="confirmed", created_by=city, confirmed_by=city, confirmed_at=now,
                           total=Decimal(rng.randint(4000, 9500)) / 100, vetoed=rng.random() < 0.03,
                           result=template.result) for pk, district_id, unit_id in batch]
        Assessment.objects.bulk_create(rows)
        saved = {a.entry_id: a for a in Assessment.objects.filter(entry_id__in=[b[0] for b in batch])}
        measures, updates = [], []
        for pk, district_id, unit_id in batch:
            assessment = saved[pk]
            for position in range(1, MEASURES_EACH + 1):
                measures.append(ImprovementMeasure(
                    assessment=assessment, district_id=district_id, unit_id=unit_id, entry_id=pk,
                    category=rng.choice(categories), title=f"绿色化改造项目{position}", position=position,
                    expected_effect="单位产品综合能耗下降5%", investment=Decimal(rng.randint(50, 3000)),
                    owner="设备部", due_on=today + datetime.timedelta(days=rng.randint(-120, 360)),
                    status=rng.choice(states), created_by=city))
            entry = LibraryEntry(pk=pk, assessed_score=assessment.total, assessed_vetoed=assessment.vetoed,
                                 assessed_at=now)
            updates.append(entry)
        ImprovementMeasure.objects.bulk_create(measures, batch_size=context.batch_size)
        LibraryEntry.objects.bulk_update(updates, ["assessed_score", "assessed_vetoed", "assessed_at"])
        ready = [pk for pk, _d, _u in batch if rng.random() < READY_SHARE / ASSESSED_SHARE]
        LibraryEntry.objects.filter(pk__in=ready, assessed_vetoed=False).update(status="ready")
        assessed += len(batch)
    events = 0
    if not TrainingEvent.objects.exists():
        districts = list(LibraryEntry.objects.order_by("district_id").values_list(
            "district_id", flat=True).distinct()[:10])
        for k, district_id in enumerate([None, *districts]):
            event = TrainingEvent.objects.create(
                title=f"绿色工厂创建培训（第{k + 1}期）", district_id=district_id, created_by=city,
                starts_at=now + datetime.timedelta(days=7 + k), place="会议中心", capacity=80)
            units = LibraryEntry.objects.filter(**({"district_id": district_id} if district_id else {})).order_by(
                "enterprise_id").values_list("enterprise_id", flat=True).distinct()[:40]
            TrainingSignUp.objects.bulk_create([TrainingSignUp(event=event, unit_id=unit, attendees="能源主管",
                                                               signed_up_by=city) for unit in units])
            events += 1
    return {**counts, "assessments": assessed, "improvement measures": assessed * MEASURES_EACH,
            "training events": events}
