"""Certification at city scale (``manage.py seed_scale``): this year's round; an evaluator register of forty
organisations; an application for every ready library entry and for a share of the parks, spread over the states of
part 1 with their conditions answered, commissions and district clocks; and, through the services as users act, the
bench accounts' cases: bench-enterprise's application submitted and waiting in bench-district's queue (its report
issued by bench-evaluator's organisation), bench-park's commissioned to bench-evaluator, whose report is open."""

import datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.choices import DeadlineKind
from accounts.models import Deadline, Organisation, OrganisationKind, Park, User
from applications import services as applications_services
from applications.demo import blank_pdf
from applications.models import (
    CONDITIONS,
    CertificationApplication,
    CertificationRound,
    ConditionAnswer,
    LibraryEntry,
    ReviewTask,
)
from evaluation import services
from evaluation.demo import DEMO_SYSTEM_CODE, demo_park_system
from evaluation.models import EvaluatorOrganisation, IndicatorSystem, YearlyFigures
from evaluation.scale import _figures as figures_row
from greenfactory.scale import ScaleContext

REGISTER_SIZE = 40
PARK_SHARE = 0.5
# The states of part 1 the applications are spread over (share of each).
STATES = (("draft", 0.25), ("evaluator_commissioned", 0.2), ("evaluated", 0.1), ("submitted", 0.2),
          ("supplementing", 0.05), ("recommended", 0.15), ("returned", 0.03), ("rejected", 0.02))


def _round(context: ScaleContext, city) -> CertificationRound:
    found = CertificationRound.objects.filter(year=context.current_year).first()
    return found or applications_services.round_create(actor=city, data={
        "year": context.current_year, "title": f"{context.current_year}年度绿色工厂、绿色园区认定（基准）",
        "document_number": f"渝经信节能〔{context.current_year}〕8号", "opens_on": context.today
        - datetime.timedelta(days=10), "application_deadline": context.today + datetime.timedelta(days=40),
        "recommendation_deadline": context.today + datetime.timedelta(days=60), "evaluator_cap": 500})


def _register(context: ScaleContext, evaluator) -> list[EvaluatorOrganisation]:
    if not EvaluatorOrganisation.objects.filter(organisation_id=evaluator.organisation_id).exists():
        EvaluatorOrganisation.objects.create(organisation_id=evaluator.organisation_id, legal_representative="基准",
                                             contact_name="基准", contact_phone="023-60000000",
                                             qualifications="CMA", staff_count=20, status="recommended")
    for number in range(EvaluatorOrganisation.objects.count(), REGISTER_SIZE):
        organisation = Organisation.objects.create(kind=OrganisationKind.EVALUATOR, name=f"基准评价机构{number:02d}")
        EvaluatorOrganisation.objects.create(organisation=organisation, legal_representative=f"代表{number}",
                                             contact_name=f"联系{number}", contact_phone="023-61000000",
                                             qualifications="CMA", staff_count=5 + number % 20,
                                             status="recommended" if number % 5 == 0 else "active")
    return list(EvaluatorOrganisation.objects.order_by("id"))


def _items(system):
    items = {}
    for indicator in system.indicators.all():
        if indicator.kind == "veto":
            items[indicator.pk] = {"passed": True}
        elif indicator.kind == "qualitative":
            items[indicator.pk] = {"points": indicator.points * Decimal("0.8")}
        elif not indicator.figure:
            items[indicator.pk] = {"value": Decimal(70)}
    return items


def _applied(certification_round, user):
    application = applications_services.certification_start(certification_round=certification_round, actor=user)
    applications_services.certification_save(
        application=application, actor=user, data={"contact_name": user.full_name, "contact_phone": "13800138000"},
        answers={a.item: {"met": True, "statement": "符合，证明材料见附件。"} for a in application.answers.all()})
    sheet = services.self_evaluation_start(application=application, actor=user)
    services.self_evaluation_save(sheet=sheet, actor=user, items=_items(sheet.system), complete=True)
    return CertificationApplication.objects.get(pk=application.pk)


def _bench_cases(context: ScaleContext, certification_round, register) -> int:
    bench = context.shared["bench"]
    enterprise, park, evaluator = bench["bench-enterprise"], bench["bench-park"], bench["bench-evaluator"]
    official = bench["bench-district"]
    entry = LibraryEntry.objects.filter(enterprise_id=enterprise.organisation_id).order_by("-entered_at").first()
    made = 0
    due = context.today + datetime.timedelta(days=20)
    if entry is not None and not CertificationApplication.objects.filter(applicant_id=enterprise.organisation_id,
                                                                         round=certification_round).exists():
        if entry.status != "ready":
            applications_services.library_entry_mark_ready(entry=entry, actor=official, reason="具备申报条件")
        factory = _applied(certification_round, enterprise)
        services.commission_evaluator(application=factory, actor=enterprise, register=register, due_on=due)
        report = services.report_start(application=factory, actor=evaluator)
        services.report_document_upload(report=report, actor=evaluator, signed=True,
                                        uploaded_file=SimpleUploadedFile("评价报告.pdf", blank_pdf()))
        services.report_save(report=report, actor=evaluator, visited_from=context.today, visited_to=context.today,
                             evaluators="基准评价员", passed=True, opinion="达到要求。", items=_items(report.system),
                             issue=True)
        applications_services.certification_submit(application=factory, actor=enterprise)
        made += 1
    if not CertificationApplication.objects.filter(applicant_id=park.organisation_id,
                                                   round=certification_round).exists():
        if not YearlyFigures.objects.filter(unit_id=park.organisation_id).exists():
            YearlyFigures.objects.bulk_create([figures_row(context, park.organisation_id, context.current_year - back,
                                                        park.pk) for back in (1, 2, 3)])
        application = _applied(certification_round, park)
        services.commission_evaluator(application=application, actor=park, register=register, due_on=due)
        services.report_start(application=application, actor=evaluator)
        made += 1
    district_id = official.organisation.district_id
    if not CertificationApplication.objects.filter(round=certification_round, district_id=district_id,
                                                   status="recommended").exists():
        # bench-district's recommended list (its Excel and its letter) has one unit at least, whatever the size.
        unit = Organisation.objects.filter(kind=OrganisationKind.PARK, name="长寿推荐园区（基准）").first() or \
            Park.objects.create(name="长寿推荐园区（基准）", district_id=district_id, park_type="industrial_cluster",
                                approval_level="municipal", managing_body="管委会", address="长寿区")
        CertificationApplication.objects.create(
            round=certification_round, applicant=unit, unit_kind="park", district_id=district_id, status="recommended",
            unit_name=unit.name, evaluator_id=register.organisation_id, evaluation_score=Decimal("86.50"),
            evaluation_passed=True, self_score=Decimal("88.00"), submitted_at=context.now, decided_at=context.now,
            created_by=official)
        made += 1
    return made


def seed_certification(context: ScaleContext) -> dict[str, int]:
    city = User.objects.filter(role="city").order_by("id").first()
    if not IndicatorSystem.objects.filter(code=DEMO_SYSTEM_CODE, subject="park").exists():
        demo_park_system()
    certification_round = _round(context, city)
    registers = _register(context, context.shared["bench"]["bench-evaluator"])
    bench_register = next(r for r in registers if r.organisation_id
                          == context.shared["bench"]["bench-evaluator"].organisation_id)
    made = _bench_cases(context, certification_round, bench_register)
    if CertificationApplication.objects.filter(round=certification_round).count() > made:
        return {"bench certification cases": made}
    rng = context.rng
    taken = set(CertificationApplication.objects.values_list("applicant_id", flat=True))
    # One application per unit: an enterprise ready in several years' libraries applies from its latest entry.
    latest = {}
    for e in LibraryEntry.objects.filter(status="ready").order_by("entered_at", "id").values(
            "pk", "enterprise_id", "district_id", "industry_id", "enterprise__name"):
        latest[e["enterprise_id"]] = e
    units = [(e["enterprise_id"], e["district_id"], e["industry_id"], e["enterprise__name"], "factory", e["pk"])
             for e in latest.values() if e["enterprise_id"] not in taken]
    units += [(p["pk"], p["district_id"], None, p["name"], "park", None)
              for p in Organisation.objects.filter(kind=OrganisationKind.PARK).exclude(pk__in=taken).values(
                  "pk", "district_id", "name") if rng.random() < PARK_SHARE]
    states = [state for state, share in STATES for _ in range(int(share * 100))]
    districts = dict(Organisation.objects.filter(kind=OrganisationKind.DISTRICT).values_list("district_id", "pk"))
    content_type = ContentType.objects.get_for_model(CertificationApplication)
    created = 0
    for start in range(0, len(units), context.batch_size):
        batch = units[start:start + context.batch_size]
        rows = []
        for unit_id, district_id, industry_id, name, kind, entry_id in batch:
            status = rng.choice(states)
            commissioned = status != "draft"
            evaluator = rng.choice(registers).organisation_id if commissioned else None
            evaluated = status not in ("draft", "evaluator_commissioned")
            rows.append(CertificationApplication(
                round=certification_round, applicant_id=unit_id, unit_kind=kind, district_id=district_id,
                industry_id=industry_id, library_entry_id=entry_id, status=status, unit_name=name,
                contact_name="联系人", contact_phone="13800138000", self_score=Decimal(rng.randint(6000, 9500)) / 100,
                self_vetoed=False, self_evaluated_at=context.now if commissioned else None, evaluator_id=evaluator,
                evaluation_score=Decimal(rng.randint(6000, 9500)) / 100 if evaluated else None,
                evaluation_passed=True if evaluated else None, evaluated_at=context.now if evaluated else None,
                submitted_at=context.now if status in ("submitted", "supplementing", "recommended", "returned",
                                                       "rejected") else None, created_by=city))
        CertificationApplication.objects.bulk_create(rows, batch_size=context.batch_size)
        saved = list(CertificationApplication.objects.filter(
            round=certification_round, applicant_id__in=[unit[0] for unit in batch]).values(
            "pk", "unit_kind", "status", "evaluator_id", "district_id", "applicant_id"))
        ConditionAnswer.objects.bulk_create([
            ConditionAnswer(application_id=a["pk"], item=item.value, met=True, statement="符合")
            for a in saved for item in CONDITIONS[a["unit_kind"]]], batch_size=context.batch_size)
        ReviewTask.objects.bulk_create([
            ReviewTask(content_type=content_type, object_id=a["pk"], district_id=a["district_id"],
                       applicant_id=a["applicant_id"], kind="evaluation", assignee_organisation_id=a["evaluator_id"],
                       due_on=context.today + datetime.timedelta(days=rng.randint(-10, 40)), assigned_by=city,
                       status="accepted" if a["status"] == "evaluator_commissioned" else "done")
            for a in saved if a["evaluator_id"]], batch_size=context.batch_size)
        # Each commission still open has its clock, as review_task_assign opens it.
        open_tasks = ReviewTask.objects.filter(content_type=content_type, object_id__in=[a["pk"] for a in saved],
                                               status="accepted").values("pk", "assignee_organisation_id", "due_on")
        task_type = ContentType.objects.get_for_model(ReviewTask)
        Deadline.objects.bulk_create([
            Deadline(content_type=task_type, object_id=t["pk"], kind=DeadlineKind.REVIEW_TASK,
                     organisation_id=t["assignee_organisation_id"], due_on=t["due_on"], label="第三方评价委托",
                     url="/applications/review-tasks/") for t in open_tasks], batch_size=context.batch_size)
        Deadline.objects.bulk_create([
            Deadline(content_type=content_type, object_id=a["pk"], kind=DeadlineKind.CERTIFICATION_RECOMMENDATION,
                     organisation_id=districts.get(a["district_id"]),
                     due_on=certification_round.recommendation_deadline,
                     label="认定申报", url="")
            for a in saved if a["status"] == "submitted" and districts.get(a["district_id"])],
            batch_size=context.batch_size)
        created += len(saved)
    return {"bench certification cases": made, "certification applications": created,
            "evaluator register": len(registers)}
