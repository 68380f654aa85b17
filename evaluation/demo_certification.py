"""Demo data of certification (``seed_demo``), made through the services as each role would, so every role has
something to do on the first visit:

- the city's round of this year, announced on the public site;
- demo-enterprise (长寿区) taken through cultivation to 成熟 (intake, an expert's assessment, confirmation, ready),
  then through its application: conditions, self-evaluation, a commission of demo-evaluator's organisation, the
  report (符合), submission — waiting in demo-district's queue for the checklist and the recommendation;
- demo-park's application, self-evaluated and commissioned to demo-evaluator's organisation, whose staff can carry out
  the on-site evaluation and issue the report;
- the evaluator register: demo-evaluator's organisation (recommended) and a second organisation.

All on the demo indicator systems labelled 演示 (the official versions ship their values empty)."""

from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Organisation, OrganisationKind, User
from applications import services as applications_services
from applications.demo import blank_pdf
from applications.models import (
    CertificationApplication,
    CertificationRound,
    CultivationCampaign,
    IntakeApplication,
    LibraryEntry,
    LibraryStatus,
)
from evaluation import services
from evaluation.demo import DEMO_FIGURES, DEMO_SYSTEM_CODE, demo_indicator_system, demo_park_system
from evaluation.models import EnergyCarrier, EvaluatorOrganisation, IndicatorSystem, YearlyFigures


def _user(username):
    return User.objects.select_related("organisation").get(username=username)


def _figures(user, years, scale=Decimal(1)):
    carriers = {c.code: c.pk for c in EnergyCarrier.objects.all()}
    for year in years:
        if not YearlyFigures.objects.filter(unit_id=user.organisation_id, year=year).exists():
            services.figures_save(unit=user.organisation, year=year, actor=user, checked_note="演示数据",
                                  data={name: value * scale if isinstance(value, Decimal) else value
                                        for name, value in DEMO_FIGURES.items()},
                                  energy={carriers["raw_coal"]: Decimal("95000") * scale,
                                          carriers["electricity"]: Decimal("8600") * scale,
                                          carriers["onsite_renewable_power"]: Decimal("4100") * scale})


def _ready_entry(enterprise_user, official, expert):
    """demo-enterprise through cultivation to 成熟, each step by its role."""
    entry = LibraryEntry.objects.filter(enterprise_id=enterprise_user.organisation_id).first()
    if entry is not None and entry.status == LibraryStatus.READY:
        return entry
    if entry is None:
        campaign = CultivationCampaign.objects.filter(year=timezone.localdate().year, district__isnull=True).first()
        if campaign is None or not campaign.is_open():
            return None
        application = IntakeApplication.objects.filter(campaign=campaign,
                                                       enterprise_id=enterprise_user.organisation_id).first()
        if application is None:
            application = applications_services.intake_start(campaign=campaign, actor=enterprise_user)
        application = applications_services.intake_save(application=application, actor=enterprise_user, data={
            "output_value": Decimal("18600.00"), "total_profit_1": Decimal("1210.00"),
            "total_profit_2": Decimal("1302.00"), "total_profit_3": Decimal("1456.00"),
            "quality_management_certified": True, "environmental_management_certified": True,
            "occupational_health_safety_certified": True, "energy_management_certified": True,
            "major_accident": False, "independent_legal_person": True,
            "green_investment_amount": Decimal("3200.00"), "green_investment_areas": ["energy_water", "low_carbon"],
            "profile_text": "公司主要生产精细化工产品，已建成余热回收和中水回用系统。",
            "commitment_accepted": True, "commitment_signatory": "张明", "commitment_date": timezone.localdate()})
        application = applications_services.intake_submit(application=application, actor=enterprise_user,
                                                          acknowledged_criteria=set("12345"))
        applications_services.scan_upload(application=application, actor=enterprise_user,
                                          uploaded_file=SimpleUploadedFile("盖章扫描件.pdf", blank_pdf()))
        applications_services.intake_accept(application=application, actor=official, comment="演示：纳入培育库")
        entry = LibraryEntry.objects.get(application=application)
    system = IndicatorSystem.objects.filter(code=DEMO_SYSTEM_CODE, subject="factory").first()
    if system is None:
        demo_indicator_system([entry.industry])
    else:
        system.industries.add(entry.industry)
    sheet = services.assessment_assign_expert(entry=entry, actor=official, expert=expert,
                                              due_on=timezone.localdate() + timedelta(days=20))
    items = _items(sheet.assessment.system)
    services.scoring_save(expert_scoring=sheet, actor=expert, visited_on=timezone.localdate(), opinion="演示：总体较好",
                          items=items, submit=True)
    services.assessment_confirm(assessment=sheet.assessment, actor=official, comment="演示：确认")
    return applications_services.library_entry_mark_ready(entry=entry, actor=official, reason="演示：评估达到要求")


def _items(system, value=Decimal(80)):
    items = {}
    for indicator in system.indicators.all():
        if indicator.kind == "veto":
            items[indicator.pk] = {"passed": True}
        elif indicator.kind == "qualitative":
            items[indicator.pk] = {"points": indicator.points * Decimal("0.8"), "comment": "演示"}
        elif not indicator.figure:
            items[indicator.pk] = {"value": value}
    return items


def _register(evaluator_user):
    entry = EvaluatorOrganisation.objects.filter(organisation_id=evaluator_user.organisation_id).first()
    if entry is None:
        entry = EvaluatorOrganisation.objects.create(
            organisation=evaluator_user.organisation, legal_representative="吴涛", contact_name="吴涛",
            contact_phone="023-67000000",
            qualifications="检验检测机构资质认定（CMA）；绿色制造第三方评价业绩30余项（演示）",
            staff_count=18)
        services.register_change(register=entry, actor=_user("demo-city"), name="recommend", reason="演示：推荐机构")
    if not EvaluatorOrganisation.objects.exclude(pk=entry.pk).exists():
        other = Organisation.objects.get_or_create(kind=OrganisationKind.EVALUATOR,
                                                   name="重庆低碳认证服务有限公司（演示）")[0]
        EvaluatorOrganisation.objects.create(organisation=other, legal_representative="郑平", contact_name="郑平",
                                             contact_phone="023-68000000", qualifications="认证机构批准书（演示）",
                                             staff_count=9)
    return EvaluatorOrganisation.objects.get(pk=entry.pk)


def _applied(certification_round, user):
    application = applications_services.certification_start(certification_round=certification_round, actor=user)
    applications_services.certification_save(
        application=application, actor=user, data={"contact_name": user.full_name, "contact_phone": "13800138000",
                                                   "summary": "演示：已建立绿色发展管理机构，完成能源管理体系认证。"},
        answers={a.item: {"met": True, "statement": "演示：符合，证明材料见附件。"} for a in application.answers.all()})
    sheet = services.self_evaluation_start(application=application, actor=user)
    services.self_evaluation_save(sheet=sheet, actor=user, items=_items(sheet.system), complete=True)
    return CertificationApplication.objects.get(pk=application.pk)


def seed() -> str:
    today = timezone.localdate()
    city, official, expert = _user("demo-city"), _user("demo-district"), _user("demo-expert")
    enterprise, park, evaluator = _user("demo-enterprise"), _user("demo-park"), _user("demo-evaluator")
    certification_round = CertificationRound.objects.filter(year=today.year).first()
    if certification_round is None:
        certification_round = applications_services.round_create(actor=city, data={
            "year": today.year, "title": f"{today.year}年度重庆市绿色工厂、绿色园区认定（演示）",
            "document_number": f"渝经信节能〔{today.year}〕8号", "opens_on": today - timedelta(days=5),
            "application_deadline": today + timedelta(days=30), "recommendation_deadline": today + timedelta(days=50),
            "notice": "各区县经信部门：请组织辖区内符合条件的园区、企业开展自评价，"
                      "委托第三方评价机构评价后申报。（演示）"})
    register = _register(evaluator)
    if CertificationApplication.objects.filter(round=certification_round).exists():
        return "Demo certification: already there."
    _figures(enterprise, range(today.year - 3, today.year))
    _figures(park, range(today.year - 3, today.year), scale=Decimal(8))
    entry = _ready_entry(enterprise, official, expert)
    if not IndicatorSystem.objects.filter(code=DEMO_SYSTEM_CODE, subject="park").exists():
        demo_park_system()
    due = today + timedelta(days=20)
    if entry is not None:
        factory = _applied(certification_round, enterprise)
        services.commission_evaluator(application=factory, actor=enterprise, register=register, due_on=due,
                                      note="演示：请开展现场评价")
        report = services.report_start(application=factory, actor=evaluator)
        services.report_document_upload(report=report, actor=evaluator, signed=True,
                                         uploaded_file=SimpleUploadedFile("绿色工厂评价报告（签章）.pdf", blank_pdf()))
        services.report_save(report=report, actor=evaluator, visited_from=today, visited_to=today,
                             evaluators="吴涛、韩雪", passed=True, opinion="演示：达到绿色工厂评价要求。",
                             items=_items(report.system), issue=True)
        applications_services.certification_submit(application=factory, actor=enterprise)
    park_application = _applied(certification_round, park)
    services.commission_evaluator(application=park_application, actor=park, register=register, due_on=due,
                                  note="演示：请开展园区现场评价")
    return (f"Demo certification: {certification_round.title}; demo-enterprise's application waits for "
            f"demo-district, demo-park's for demo-evaluator.")
