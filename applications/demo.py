"""Demo data for campaigns and intake: an open city-wide campaign, and one application already waiting in 长寿区's
queue (from demo-enterprise-3) so the district's screening can be tried without filling a form first."""

import io
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Role, User
from applications import services
from applications.models import CultivationCampaign, IntakeApplication, IntakeStatus


def blank_pdf() -> bytes:
    """A one-page blank A4 PDF: what a stamped scan upload must at least be."""

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def seed() -> str:
    today = timezone.localdate()
    city = User.objects.get(username="demo-city")
    campaign = CultivationCampaign.objects.filter(year=today.year, district__isnull=True).first()
    if campaign is None:
        campaign = CultivationCampaign.objects.create(
            year=today.year, title=f"{today.year}年绿色工厂培育工作（演示）", opens_on=today - timedelta(days=10),
            deadline=today + timedelta(days=30), key_sectors=["electronics", "automotive", "equipment", "chemicals",
                                                               "materials", "energy", "consumer_goods"],
            document_number=f"渝经信节能〔{today.year}〕6号", created_by=city,
        )
    applicant = User.objects.get(username="demo-enterprise-3", role=Role.ENTERPRISE)
    application = IntakeApplication.objects.filter(campaign=campaign, enterprise_id=applicant.organisation_id).first()
    if application is None and campaign.is_open():
        application = services.intake_start(campaign=campaign, actor=applicant)
        application = services.intake_save(application=application, actor=applicant, data={
            "output_value": Decimal("12600.00"), "total_profit_1": Decimal("830.00"),
            "total_profit_2": Decimal("910.50"), "total_profit_3": Decimal("1022.00"),
            "quality_management_certified": True, "environmental_management_certified": True,
            "occupational_health_safety_certified": True, "energy_management_certified": False,
            "major_accident": False, "independent_legal_person": True,
            "green_investment_amount": Decimal("1500.00"), "green_investment_areas": ["energy_water",
                                                                                      "comprehensive_utilisation"],
            "profile_text": "公司主要生产新型干法水泥和商品混凝土，已建成余热发电系统，计划实施粉磨系统节能改造。",
            "commitment_accepted": True, "commitment_signatory": "何建国", "commitment_date": today,
        })
        application = services.intake_submit(application=application, actor=applicant)
        services.scan_upload(application=application, actor=applicant,
                             uploaded_file=SimpleUploadedFile("盖章扫描件.pdf", blank_pdf()))
    waiting = IntakeApplication.objects.filter(status=IntakeStatus.SUBMITTED).count()
    return f"Demo campaign: {campaign.title}; {waiting} intake application(s) waiting for a district."
