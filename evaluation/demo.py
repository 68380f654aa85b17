"""Demo data of evaluation (``seed_demo``): the demo enterprise's figures for the last two years, entered through the
service as an enterprise would, so its record pages and its district's view have something to show; and a library
entry in cultivation (demo-enterprise-2 in 渝北区, admitted through the intake services) whose district has assigned
demo-expert to assess it, on a small demo indicator system clearly labelled as such, so the whole cultivation path can
be tried: the expert scores, the district confirms, the enterprise downloads the report and carries out the plan, the
district marks it ready."""

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
    figures = YearlyFigures.objects.filter(unit_id=user.organisation_id).count()
    return f"Demo yearly figures: {figures} year(s). " + seed_cultivation(carriers)


def seed_cultivation(carriers) -> str:
    from datetime import timedelta

    from django.core.files.uploadedfile import SimpleUploadedFile

    from applications import services as applications_services
    from applications.demo import blank_pdf
    from applications.models import CultivationCampaign, IntakeApplication, LibraryEntry
    from evaluation.models import Assessment, IndicatorSystem
    from evaluation.services import assessment_assign_expert

    enterprise_user = User.objects.get(username="demo-enterprise-2", role=Role.ENTERPRISE)
    official = User.objects.get(username="demo-district-2", role=Role.DISTRICT)
    unit = enterprise_user.organisation
    entry = LibraryEntry.objects.filter(enterprise_id=unit.pk).first()
    if entry is None:
        campaign = CultivationCampaign.objects.filter(year=timezone.localdate().year, district__isnull=True).first()
        if campaign is None or not campaign.is_open() or IntakeApplication.objects.filter(
                campaign=campaign, enterprise_id=unit.pk).exists():
            return "Demo cultivation: skipped (no open campaign for the demo entry)."
        application = applications_services.intake_start(campaign=campaign, actor=enterprise_user)
        application = applications_services.intake_save(application=application, actor=enterprise_user, data={
            "output_value": Decimal("32800.00"), "total_profit_1": Decimal("1630.00"),
            "total_profit_2": Decimal("1785.00"), "total_profit_3": Decimal("2012.00"),
            "quality_management_certified": True, "environmental_management_certified": True,
            "occupational_health_safety_certified": True, "energy_management_certified": True,
            "major_accident": False, "independent_legal_person": True,
            "green_investment_amount": Decimal("2600.00"), "green_investment_areas": ["energy_water"],
            "profile_text": "公司主要生产印制电路板，已建成屋顶光伏，计划实施废水深度处理回用改造。",
            "commitment_accepted": True, "commitment_signatory": "李建华", "commitment_date": timezone.localdate(),
        })
        application = applications_services.intake_submit(application=application, actor=enterprise_user,
                                                          acknowledged_criteria=set("12345"))
        applications_services.scan_upload(application=application, actor=enterprise_user,
                                          uploaded_file=SimpleUploadedFile("盖章扫描件.pdf", blank_pdf()))
        applications_services.intake_accept(application=application, actor=official,
                                            comment="演示：纳入培育库")
        entry = LibraryEntry.objects.get(application=application)
    year = timezone.localdate().year - 1
    if not YearlyFigures.objects.filter(unit_id=unit.pk, year=year).exists():
        figures_save(unit=unit, year=year, actor=enterprise_user, data={
            **DEMO_FIGURES, "output_value": Decimal("32800"), "product_name": "印制电路板", "product_unit": "万m²",
            "product_output": Decimal("120"), "qualified_output": Decimal("118")},
            energy={carriers["electricity"]: Decimal("42"), carriers["onsite_renewable_power"]: Decimal("6")})
    system = IndicatorSystem.objects.filter(code=DEMO_SYSTEM_CODE).first()
    if system is None:
        system = demo_indicator_system([entry.industry])
    else:
        system.industries.add(entry.industry)
    if not Assessment.objects.filter(entry=entry).exists():
        assessment_assign_expert(entry=entry, actor=official, expert=User.objects.get(username="demo-expert"),
                                 due_on=timezone.localdate() + timedelta(days=30), note="演示：请完成现场评估并评分")
    return f"Demo cultivation: {entry} assessed by demo-expert."


# A small system for the demo and the tests, labelled as such: its values are illustrations chosen for the demo, not
# GB/T 36132's (which leaves them to the administrator, 待管理员录入). It is a sector variant of the demo industries,
# so the official systems stay as shipped.
DEMO_SYSTEM_CODE = "演示体系"


def demo_indicator_system(industries, *, in_force_from=None, variant="演示行业细则"):
    """A linear-scored system with two vetoes, three weighted areas, qualitative items and two quantitative items
    computed from the yearly figures (water reuse, higher is better; energy per product, lower is better)."""
    from datetime import date

    from evaluation.models import Indicator, IndicatorArea, IndicatorSystem

    system = IndicatorSystem.objects.create(
        code=DEMO_SYSTEM_CODE, title="演示用评价指标体系（数值为演示数据，非国家标准值）", variant=variant,
        scoring="linear", in_force_from=in_force_from or date(2020, 1, 1),
        source_note="演示与测试用；基准值、引领值、分值均为演示数据。")
    system.industries.set(industries)
    position = 0

    def add(**fields):
        nonlocal position
        position += 1
        return Indicator.objects.create(system=system, position=position, **fields)

    add(code="V1", name="依法设立，近三年无重大安全、环保、质量事故", kind="veto")
    add(code="V2", name="未使用国家明令淘汰的设备和工艺", kind="veto")
    energy = IndicatorArea.objects.create(system=system, code="E", name="能源低碳化", weight=Decimal(40), position=1)
    resources = IndicatorArea.objects.create(system=system, code="R", name="资源高效化", weight=Decimal(40),
                                             position=2)
    management = IndicatorArea.objects.create(system=system, code="M", name="管理体系", weight=Decimal(20),
                                              position=3)
    add(area=energy, code="E1", name="单位产品综合能耗", kind="quantitative", points=Decimal(20), unit="tce/t",
        base_value=Decimal("0.5"), lead_value=Decimal("0.1"), figure="energy_per_product", required=True)
    add(area=energy, code="E2", name="能源管理体系运行", kind="qualitative", points=Decimal(20))
    add(area=resources, code="R1", name="用水重复利用率", kind="quantitative", points=Decimal(20), unit="%",
        base_value=Decimal(50), lead_value=Decimal(95), figure="water_reuse_rate")
    add(area=resources, code="R2", name="资源回收利用制度", kind="qualitative", points=Decimal(20))
    add(area=management, code="M1", name="环境管理体系认证", kind="qualitative", points=Decimal(10))
    add(area=management, code="M2", name="绿色采购制度", kind="qualitative", points=Decimal(10))
    return system


def demo_park_system(*, in_force_from=None):
    """The park counterpart of ``demo_indicator_system``: a vetoing requirement, two weighted areas, a quantitative
    item computed from the park's yearly figures, one typed in, and a qualitative item (demo values, labelled)."""
    from datetime import date

    from evaluation.models import Indicator, IndicatorArea, IndicatorSystem

    system = IndicatorSystem.objects.create(
        code=DEMO_SYSTEM_CODE, title="演示用绿色园区评价指标（数值为演示数据）", subject="park", variant="",
        scoring="linear", in_force_from=in_force_from or date(2020, 1, 1), version=1,
        source_note="演示与测试用；基准值、引领值、分值均为演示数据。")
    energy = IndicatorArea.objects.create(system=system, code="EG", name="能源利用绿色化", weight=Decimal(50),
                                          position=1)
    management = IndicatorArea.objects.create(system=system, code="MG", name="运行管理绿色化", weight=Decimal(50),
                                              position=2)
    for position, fields in enumerate((
            {"code": "PV1", "name": "近三年未发生重大污染事故或重大生态破坏事件", "kind": "veto"},
            {"area": energy, "code": "EG1", "name": "能源产出率", "kind": "quantitative", "points": Decimal(25),
             "unit": "万元/tce", "direction": "higher", "base_value": Decimal(1), "lead_value": Decimal(5),
             "figure": "energy_productivity"},
            {"area": energy, "code": "EG3", "name": "清洁能源使用率", "kind": "quantitative", "points": Decimal(25),
             "unit": "%", "direction": "higher", "base_value": Decimal(50), "lead_value": Decimal(90)},
            {"area": management, "code": "MG2", "name": "编制绿色园区发展规划", "kind": "qualitative",
             "points": Decimal(50)}), start=1):
        Indicator.objects.create(system=system, position=position, **fields)
    return system
