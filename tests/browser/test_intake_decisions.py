"""Issue 6 in Chromium: the enterprise is warned that a criterion is not met before it submits; it withdraws, the
district reopens, the enterprise submits again; the district admits the failing case only with a reason, which the
case page then shows."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applications import services
from applications.models import CultivationCampaign, IntakeApplication, IntakeStatus
from tests.factories import PASSWORD
from tests.helpers import filled, log_in, pdf_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def _confirming(page, seen):
    """Accept the next confirmation dialog and keep its text."""
    def accept(dialog):
        seen.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)


def _log_out(page):
    page.get_by_role("button", name="退出").click()


def test_warned_before_submitting_withdrawn_reopened_and_admitted_only_with_a_reason(page, people, tmp_path):
    today = timezone.localdate()
    campaign = CultivationCampaign.objects.create(
        year=today.year, title=f"{today.year}年绿色工厂培育工作", opens_on=today - timedelta(days=3),
        deadline=today + timedelta(days=10), key_sectors=["chemicals"], created_by=people.city,
    )
    # A draft saved with an output under 5000万元: criterion 2 fails.
    application = filled(campaign, people.enterprise, output_value=Decimal("3200"), commitment_date=today)
    dialogs = []

    log_in(page, people.enterprise.username, PASSWORD)
    page.goto(f"/applications/intake/{application.public_id}/")
    expect(page.get_by_role("button", name="撤回申请")).to_have_count(0)  # a draft is deleted, not withdrawn
    expect(page.get_by_role("button", name="删除草稿")).to_be_visible()
    page.get_by_role("link", name="继续填报").click()
    warning = page.locator("#criteria-warnings")
    expect(warning).to_contain_text("年产值超过5000万元")
    expect(warning).to_contain_text("3200.00")
    _confirming(page, dialogs)
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_text("入库申请已提交")).to_be_visible()
    assert "2. 年产值超过5000万元" in dialogs[-1]

    # Withdrawing says what it costs; the district reopens it.
    _confirming(page, dialogs)
    page.get_by_role("button", name="撤回申请").click()
    expect(page.get_by_text("入库申请已撤回")).to_be_visible()
    assert "只有区县经信部门可以在截止日期" in dialogs[-1]
    expect(page.locator("#withdrawn-note")).to_be_visible()
    _log_out(page)

    log_in(page, people.district.username, PASSWORD)
    page.goto(f"/applications/intake/{application.public_id}/")
    page.get_by_label("恢复原因").fill("企业来电说明误操作，申请恢复")
    _confirming(page, dialogs)
    page.get_by_role("button", name="恢复申请").click()
    expect(page.get_by_text("申请已恢复为草稿")).to_be_visible()
    expect(page.locator("#intake-status")).to_have_text("草稿")
    expect(page.locator(".history")).to_contain_text("企业来电说明误操作，申请恢复")
    _log_out(page)

    log_in(page, people.enterprise.username, PASSWORD)
    page.goto(f"/applications/intake/{application.public_id}/")
    page.get_by_role("link", name="继续填报").click()
    _confirming(page, dialogs)
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_text("入库申请已提交")).to_be_visible()
    scan = tmp_path / "盖章扫描件.pdf"
    scan.write_bytes(pdf_bytes())
    page.locator("#id_scan").set_input_files(str(scan))
    page.get_by_role("button", name="上传").click()
    expect(page.get_by_text("盖章扫描件已上传")).to_be_visible()
    _log_out(page)

    # The district: the failing criterion is named, and admitting needs a reason.
    log_in(page, people.district.username, PASSWORD)
    page.get_by_role("link", name=re.compile("入库审核")).click()
    page.locator("#intake-queue").get_by_role("link", name="审核", exact=True).first.click()
    expect(page.locator("#accept-warning")).to_contain_text("年产值超过5000万元")
    _confirming(page, dialogs)
    page.get_by_role("button", name="说明理由并纳入培育库").click()
    assert "入库标准第2项不符合" in dialogs[-1]
    expect(page.locator("#accept-form .invalid-feedback")).to_contain_text(
        "该申请入库标准第2项不符合或需人工判断，纳入培育库须填写理由")
    application.refresh_from_db()
    assert application.status == IntakeStatus.SUBMITTED
    page.get_by_label("纳入理由").fill("新建产线达产后产值将超过5000万元，区重点培育")
    _confirming(page, dialogs)
    page.get_by_role("button", name="说明理由并纳入培育库").click()
    expect(page.get_by_text("已纳入培育库")).to_be_visible()
    page.goto(f"/applications/intake/{application.public_id}/")
    expect(page.locator("#current-decision")).to_contain_text(
        "不符合入库标准第2项，纳入理由：新建产线达产后产值将超过5000万元，区重点培育")
    expect(page.locator(".history")).to_contain_text("新建产线达产后产值将超过5000万元")
    assert IntakeApplication.objects.get(pk=application.pk).status == IntakeStatus.ACCEPTED
    assert services.criteria_not_met(IntakeApplication.objects.get(pk=application.pk))[0].criterion == "2"
