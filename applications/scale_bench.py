"""The bench accounts' intake records (``manage.py seed_scale``), made through the services so that their pages
and PDF render as users' do: ``bench-enterprise``'s application accepted in the current campaign (with its history;
its stamped scan, stored through ``save_upload``, is the file the mass scan records name), ``bench-drafter``'s
draft, and ``bench-expert``'s review tasks on 长寿区 applications (assigned, accepted, done, declined). Its decided
applications of earlier years are bulk-made with the mass (``applications.scale``).
"""

from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from applications import services
from applications.choices import ReviewTaskKind
from applications.demo import blank_pdf
from applications.models import IntakeApplication, IntakeStatus, ReviewTask, StampedScan
from applications.services import review
from greenfactory.scale import ScaleContext

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


def bench_application(context, user, campaign, *, accept) -> int:
    """``user``'s application in ``campaign``: saved as a draft, or submitted with its scan and accepted by
    ``bench-district``. 0 when it exists."""
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


def bench_scan(context) -> StampedScan | None:
    """The stamped scan of ``bench-enterprise``'s accepted application: a file stored through ``save_upload``."""
    user = context.shared["bench"]["bench-enterprise"]
    return StampedScan.objects.filter(application__enterprise_id=user.organisation_id).order_by("pk").first()


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
    campaign = context.shared["campaigns"][(context.current_year, None)]
    return {"bench drafts": bench_application(context, context.shared["bench"]["bench-drafter"], campaign,
                                              accept=False),
            "bench review tasks": _review_tasks(context)}
