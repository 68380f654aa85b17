"""The bench accounts' intake records (``manage.py seed_scale``), made through the services so that their pages
and PDF render as users' do: ``bench-enterprise``'s application accepted in the current campaign (with its history)
and its decided applications of earlier years, ``bench-drafter``'s draft, and ``bench-expert``'s review tasks on
长寿区 applications (assigned, accepted, done, declined).
"""

from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.scale import ScaleEnterprise
from applications import services
from applications.choices import ReviewTaskKind
from applications.demo import blank_pdf
from applications.models import IntakeApplication, IntakeStatus, ReviewTask
from applications.scale import build_applications
from applications.services import review
from greenfactory.scale import ScaleContext

BENCH_INDEX = 900_000  # the bench enterprise's index in the deterministic choices of its past years
PAST_STATES = (IntakeStatus.ACCEPTED, IntakeStatus.REJECTED, IntakeStatus.ACCEPTED, IntakeStatus.WITHDRAWN,
               IntakeStatus.RETURNED)
REVIEW_TASKS = 4


def form_data(today) -> dict:
    return {"output_value": Decimal("18600.00"), "total_profit_1": Decimal("830.00"),
            "total_profit_2": Decimal("910.50"), "total_profit_3": Decimal("1022.00"),
            "quality_management_certified": True, "environmental_management_certified": True,
            "occupational_health_safety_certified": True, "energy_management_certified": True,
            "major_accident": False, "preparer_name": "张明", "preparer_phone": "13800138000",
            "profile_text": "公司主要生产聚乙烯醇和醋酸乙烯，已建成余热发电和中水回用系统，计划实施精馏系统节能改造。",
            "independent_legal_person": True, "green_investment_amount": Decimal("2600.00"),
            "green_investment_areas": ["energy_water", "cleaner_production"], "commitment_accepted": True,
            "commitment_signatory": "王建国", "commitment_date": today}


def _current(context, user, *, accept):
    campaign = context.shared["campaigns"][(context.current_year, None)]
    if IntakeApplication.objects.filter(campaign=campaign, enterprise_id=user.organisation_id).exists():
        return 0
    application = services.intake_start(campaign=campaign, actor=user)
    application = services.intake_save(application=application, actor=user, data=form_data(context.today))
    if accept:
        application = services.intake_submit(application=application, actor=user)
        services.scan_upload(application=application, actor=user,
                             uploaded_file=SimpleUploadedFile("盖章扫描件.pdf", blank_pdf()))
        services.intake_accept(application=application, actor=context.shared["bench"]["bench-district"],
                               comment="符合入库标准，同意入库。")
    return 1


def _past(context, user) -> dict[str, int]:
    organisation = user.organisation
    record = ScaleEnterprise(index=BENCH_INDEX, organisation_id=organisation.pk, user_id=user.pk,
                             username=user.username, district_id=organisation.district_id,
                             industry_id=organisation.enterprise.industry_id, status=organisation.status,
                             name=organisation.name, credit_code=organisation.credit_code,
                             created_at=organisation.created_at)
    done = set(IntakeApplication.objects.filter(enterprise_id=organisation.pk).values_list("campaign_id", flat=True))
    past_years = [y for y in reversed(context.year_list) if y != context.current_year]
    plans = [(record, context.shared["campaigns"][(year, None)], PAST_STATES[k % len(PAST_STATES)])
             for k, year in enumerate(past_years)
             if context.shared["campaigns"][(year, None)].pk not in done]
    return build_applications(context, plans) if plans else {}


def _review_tasks(context) -> int:
    """Four expert reviews on waiting 长寿区 applications of the current campaign, in four states."""
    bench = context.shared["bench"]
    expert, official = bench["bench-expert"], bench["bench-district"]
    if ReviewTask.objects.filter(assignee_user=expert).exists():
        return 0
    campaign = context.shared["campaigns"][(context.current_year, None)]
    cases = list(IntakeApplication.objects.filter(
        campaign=campaign, district_id=official.organisation.district_id,
        status=IntakeStatus.SUBMITTED).order_by("id")[:REVIEW_TASKS])
    for k, case in enumerate(cases):
        task = review.review_task_assign(case=case, actor=official, kind=ReviewTaskKind.EXPERT_REVIEW,
                                           assignee=expert, due_on=context.today + timedelta(days=10 - k),
                                           note="请核查企业能源管理与清洁生产情况。")
        if k in (1, 2):
            task = review.review_task_accept(task=task, actor=expert)
        if k == 2:
            review.review_task_complete(task=task, actor=expert, comment="经核查，符合入库标准。")
        if k == 3:
            review.review_task_decline(task=task, actor=expert, reason="与该企业存在利害关系，申请回避。")
    return len(cases)


def seed_bench_intake(context: ScaleContext) -> dict[str, int]:
    bench = context.shared["bench"]
    counts = {"bench accepted": _current(context, bench["bench-enterprise"], accept=True),
              "bench drafts": _current(context, bench["bench-drafter"], accept=False)}
    for label, value in _past(context, bench["bench-enterprise"]).items():
        counts[f"bench {label}"] = value
    counts["bench review tasks"] = _review_tasks(context)
    return counts
