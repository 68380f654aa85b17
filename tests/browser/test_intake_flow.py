"""An enterprise fills and submits the intake form, downloads the PDF, uploads the stamped scan, and the district
official accepts it into the cultivation library."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applications.models import CultivationCampaign, IntakeApplication, IntakeStatus, LibraryEntry
from tests.factories import PASSWORD
from tests.helpers import log_in, pdf_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def test_fill_submit_print_upload_and_accept(page, people, tmp_path):
    today = timezone.localdate()
    campaign = CultivationCampaign.objects.create(
        year=today.year, title=f"{today.year}年绿色工厂培育工作", opens_on=today - timedelta(days=3),
        deadline=today + timedelta(days=10), key_sectors=["chemicals"], created_by=people.city,
    )
    log_in(page, people.enterprise.username, PASSWORD)
    page.get_by_role("link", name="年度培育工作").click()
    expect(page.get_by_text("还剩 10 天")).to_be_visible()
    page.get_by_role("button", name="填报入库申请").click()
    expect(page.get_by_role("heading", name="绿色工厂培育入库申请表")).to_be_visible()
    # Pre-filled from the profile.
    # The identity comes from the verified registration and is shown, not an input.
    expect(page.locator("#identity_name")).to_have_text(people.enterprise.organisation.name)
    expect(page.locator("#id_company_name")).to_have_count(0)
    page.locator("#id_output_value").fill("8600.50")
    for n, value in ((1, "150"), (2, "210.2"), (3, "305")):
        page.locator(f"#id_total_profit_{n}").fill(value)
    for name in ("quality_management_certified", "environmental_management_certified"):
        page.locator(f"input[name={name}][value=True]").check()
    for name in ("occupational_health_safety_certified", "energy_management_certified", "major_accident"):
        page.locator(f"input[name={name}][value=False]").check()
    page.locator("input[name=independent_legal_person][value=True]").check()
    page.locator("#id_green_investment_amount").fill("800")
    page.get_by_label("节能节水").check()
    page.get_by_label("清洁生产").check()
    page.locator("#id_profile_text").fill("本公司主要生产聚乙烯醇等化工产品，重视节能降碳和清洁生产。" * 2)
    page.locator("#id_commitment_accepted").check()
    page.locator("#id_commitment_signatory").fill("王总经理")
    page.locator("#id_commitment_date").fill(today.isoformat())
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_text("草稿已保存")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_text("入库申请已提交")).to_be_visible()
    expect(page.locator("#criteria .criterion-met")).to_have_count(5)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载申请表（PDF）").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    saved = tmp_path / "form.pdf"
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-")

    scan = tmp_path / "盖章扫描件.pdf"
    scan.write_bytes(pdf_bytes())
    page.locator("#id_scan").set_input_files(str(scan))
    page.get_by_role("button", name="上传").click()
    expect(page.get_by_text("盖章扫描件已上传")).to_be_visible()
    page.get_by_role("button", name="退出").click()

    log_in(page, people.district.username, PASSWORD)
    page.get_by_role("link", name=re.compile("入库审核")).click()
    page.locator("#intake-queue").get_by_role("link", name="审核", exact=True).first.click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="纳入培育库").click()
    expect(page.get_by_text("已纳入培育库")).to_be_visible()
    application = IntakeApplication.objects.get(campaign=campaign)
    assert application.status == IntakeStatus.ACCEPTED
    assert LibraryEntry.objects.filter(application=application).exists()
    page.get_by_role("link", name="培育库").click()
    expect(page.locator("#library")).to_contain_text(people.enterprise.organisation.name)
