"""Issue 6, second walk-through, in Chromium: the district's reason survives a refused admission and the missing
scan is said before typing; the submit confirmation is honest about unsaved changes; an open campaign's dates are
not inputs of the correction form."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applications import services
from applications.models import CultivationCampaign, IntakeApplication, IntakeStatus
from tests.factories import PASSWORD
from tests.helpers import filled, log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def open_campaign(people):
    today = timezone.localdate()
    return CultivationCampaign.objects.create(
        year=today.year, title=f"{today.year}年绿色工厂培育工作", opens_on=today - timedelta(days=3),
        deadline=today + timedelta(days=10), key_sectors=["chemicals"], created_by=people.city,
    )


def test_the_accept_form_says_the_scan_is_missing_and_a_refusal_keeps_the_reason(page, people, open_campaign):
    application = filled(open_campaign, people.enterprise, total_profit_2=Decimal("-30"),
                         commitment_date=timezone.localdate())
    application = services.intake_submit(application=application, actor=people.enterprise)
    log_in(page, people.district.username, PASSWORD)
    page.goto(f"/applications/intake/{application.public_id}/")
    expect(page.locator("#accept-no-scan")).to_contain_text("尚未上传本次提交的盖章扫描件")
    expect(page.locator("#accept-button")).to_be_disabled()
    # The reason box stays usable: the return and rejection forms are not affected.
    expect(page.locator("textarea[name=reason]")).to_be_editable()


def test_the_submit_confirmation_is_honest_about_unsaved_changes(page, people, open_campaign):
    # Saved with a loss in the middle year: criterion 3 fails and the page says so.
    application = filled(open_campaign, people.enterprise, total_profit_2=Decimal("-30"),
                         commitment_date=timezone.localdate())
    year = open_campaign.profit_years[1]
    log_in(page, people.enterprise.username, PASSWORD)
    page.goto(f"/applications/intake/{application.public_id}/edit/")
    expect(page.locator("#criteria-warnings")).to_contain_text("近三年处于盈利状态")
    expect(page.locator("#criteria-warnings-stale")).to_be_hidden()
    page.get_by_label(f"{year}年利润总额（万元）").fill("10")
    expect(page.locator("#criteria-warnings-stale")).to_be_visible()
    seen = []

    def accept(dialog):
        seen.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_text("入库申请已提交")).to_be_visible()
    assert "尚未保存的修改" in seen[0] and "近三年处于盈利状态" not in seen[0]
    application = IntakeApplication.objects.get(pk=application.pk)
    assert application.status == IntakeStatus.SUBMITTED
    assert application.criteria.get(criterion="3").result == "met"


def test_an_open_campaigns_dates_are_not_inputs_of_the_correction_form(page, people, open_campaign):
    log_in(page, people.city.username, PASSWORD)
    page.goto(f"/applications/campaigns/{open_campaign.public_id}/edit/")
    expect(page.get_by_label("开始日期")).to_be_disabled()
    expect(page.get_by_label("截止日期")).to_be_disabled()
    expect(page.get_by_text("已开始申报，开始日期不能再修改。")).to_be_visible()
