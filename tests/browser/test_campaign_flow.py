"""The city opens a campaign's page, corrects a district's target, extends the deadline and closes another campaign
early with a reason; a district official reaches only its own campaign's page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import District
from applications.models import CampaignTarget, CultivationCampaign
from tests.factories import PASSWORD
from tests.helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_city_corrects_extends_and_closes_and_a_district_sees_only_its_own(page, people):
    today = timezone.localdate()
    city_campaign = CultivationCampaign.objects.create(
        year=today.year, title=f"{today.year}年全市绿色工厂培育工作", opens_on=today - timedelta(days=3),
        deadline=today + timedelta(days=10), created_by=people.city,
    )
    changshou = District.objects.get(name="长寿区")
    yubei = District.objects.get(name="渝北区")
    changshou_campaign = CultivationCampaign.objects.create(
        year=today.year + 1, title="长寿区下一年度培育工作", district=changshou, opens_on=today - timedelta(days=1),
        deadline=today + timedelta(days=20), created_by=people.district,
    )
    yubei_campaign = CultivationCampaign.objects.create(
        year=today.year + 1, title="渝北区下一年度培育工作", district=yubei, opens_on=today + timedelta(days=5),
        deadline=today + timedelta(days=30), created_by=people.district_2,
    )

    log_in(page, people.city.username, PASSWORD)
    page.get_by_role("link", name="年度培育工作").first.click()
    page.get_by_role("link", name=city_campaign.title).click()
    # 41 districts: folded, the totals in view.
    expect(page.locator("#campaign-targets summary")).to_contain_text("41 个区县 · 已入库 0 家 / 目标 410 家")
    page.locator("#campaign-targets summary").click()
    expect(page.locator("#targets")).to_contain_text("长寿区")
    expect(page.locator("#targets tr[data-district=渝北区]")).to_contain_text("进行中")
    expect(page.get_by_text("未达目标")).to_have_count(0)

    # Correct 渝北区's target.
    page.get_by_role("link", name="修改", exact=True).click()
    page.get_by_label("渝北区").fill("15")
    page.get_by_role("button", name="保存修改").click()
    expect(page.get_by_text("修改已保存")).to_be_visible()
    expect(page.locator("#campaign-targets summary")).to_contain_text("目标 415 家")
    expect(page.locator("#targets tr[data-district=渝北区]")).to_contain_text("15")
    assert CampaignTarget.objects.get(campaign=city_campaign, district=yubei).target == 15

    # Extend the deadline: asked first (it cannot be moved back); said no, nothing changes; then yes.
    dialogs = []

    def accept(dialog):
        dialogs.append(dialog.message)
        dialog.accept()

    new_deadline = (today + timedelta(days=17)).isoformat()
    page.locator("#extend-form #id_deadline").fill(new_deadline)
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.locator("#extend-form").get_by_role("button", name="延长截止日期").click()
    expect(page.locator("#campaign-dates")).not_to_contain_text(new_deadline)
    page.once("dialog", accept)
    page.locator("#extend-form").get_by_role("button", name="延长截止日期").click()
    expect(page.get_by_text("截止日期已延至")).to_be_visible()
    expect(page.locator("#campaign-dates")).to_contain_text(new_deadline)
    assert dialogs and "不能再改回更早的日期" in dialogs.pop()

    # Close 长寿区's campaign early; the confirmation is accepted.
    page.get_by_role("link", name="年度培育工作").first.click()
    page.get_by_role("link", name=changshou_campaign.title).click()
    page.locator("#close-form textarea").fill("本年度培育名额已满")
    page.once("dialog", accept)
    page.locator("#close-form").get_by_role("button", name="提前结束").click()
    expect(page.get_by_text("已提前结束，此后不再接受提交")).to_be_visible()
    expect(page.locator("#campaign-closing")).to_contain_text("本年度培育名额已满")
    assert dialogs and "不可撤销" in dialogs[0]
    changshou_campaign.refresh_from_db()
    assert changshou_campaign.closed_at is not None
    page.get_by_role("button", name="退出").click()

    # 渝北区's official: its own campaign (not yet open), never 长寿区's.
    log_in(page, people.district_2.username, PASSWORD)
    page.get_by_role("link", name="年度培育工作").first.click()
    expect(page.get_by_role("link", name=changshou_campaign.title)).to_have_count(0)
    page.get_by_role("link", name=yubei_campaign.title).click()
    expect(page.locator("#campaign-facts")).to_contain_text("尚未开始")
    expect(page.get_by_text("未达目标")).to_have_count(0)
    response = page.goto(f"/applications/campaigns/{changshou_campaign.public_id}/")
    assert response.status == 404
    expect(page).to_have_title(re.compile(".+"))
