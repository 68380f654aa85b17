"""The district and the city correct the same campaign at the same time in two browsers: different things both stand;
the same thing changed from the same starting value leaves the later one with a Chinese 409 naming the field and the
value that stands, never a silent overwrite."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import District
from applications.models import CultivationCampaign
from tests.factories import PASSWORD
from tests.helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_officials_correcting_at_once_keep_both_changes_or_the_later_is_told(browser, live_server, page, people):
    today = timezone.localdate()
    # Not yet open: every field may still be corrected (once open, the dates move only by extending or closing).
    campaign = CultivationCampaign.objects.create(
        year=today.year + 1, title="长寿区下一年度培育工作", district=District.objects.get(name="长寿区"),
        opens_on=today + timedelta(days=1), deadline=today + timedelta(days=20), created_by=people.district)
    edit_url = f"/applications/campaigns/{campaign.public_id}/edit/"
    city_context = browser.new_context(locale="zh-CN", base_url=live_server.url)
    city = city_context.new_page()
    city.set_default_timeout(15000)
    try:
        log_in(page, people.district.username, PASSWORD)
        log_in(city, people.city.username, PASSWORD)

        # Different things at once: both stand.
        page.goto(edit_url)
        city.goto(edit_url)
        page.get_by_label("通知文号").fill("长经信发〔2026〕3号")
        city.get_by_label("截止日期").fill((today + timedelta(days=25)).isoformat())
        city.get_by_label("汽车").check()
        page.get_by_role("button", name="保存修改").click()
        expect(page.get_by_text("修改已保存")).to_be_visible()
        city.get_by_role("button", name="保存修改").click()
        expect(city.get_by_text("修改已保存")).to_be_visible()
        campaign.refresh_from_db()
        assert campaign.document_number == "长经信发〔2026〕3号"
        assert campaign.deadline == today + timedelta(days=25)
        assert campaign.key_sectors == ["automotive"]

        # The same title from the same starting value: the later one is refused, told what stands, and led back.
        page.goto(edit_url)
        city.goto(edit_url)
        page.get_by_label("名称").fill("长寿区培育工作（区县更正）")
        city.get_by_label("名称").fill("长寿区培育工作（市级更正）")
        page.get_by_role("button", name="保存修改").click()
        expect(page.get_by_text("修改已保存")).to_be_visible()
        city.get_by_role("button", name="保存修改").click()
        expect(city.locator(".alert-warning")).to_contain_text("“名称”现为“长寿区培育工作（区县更正）”")
        expect(city.locator(".alert-warning")).to_contain_text("您的修改均未保存")
        city.locator("#conflict-back").click()
        expect(city.get_by_label("名称")).to_have_value("长寿区培育工作（区县更正）")
        campaign.refresh_from_db()
        assert campaign.title == "长寿区培育工作（区县更正）"
    finally:
        city_context.close()


def test_a_form_gone_stale_in_another_window_explains_in_chinese_what_to_do(page, people):
    """The official opens a form, signs out and in again in another tab (the form's token changes), then submits the
    first tab: a Chinese explanation and what to do, never Django's "CSRF token missing."."""
    today = timezone.localdate()
    campaign = CultivationCampaign.objects.create(
        year=today.year + 1, title="长寿区下一年度培育工作", district=District.objects.get(name="长寿区"),
        opens_on=today - timedelta(days=1), deadline=today + timedelta(days=20), created_by=people.district)
    log_in(page, people.city.username, PASSWORD)
    page.goto(f"/applications/campaigns/{campaign.public_id}/edit/")
    other = page.context.new_page()
    other.goto("/")
    other.get_by_role("button", name="退出").click()
    log_in(other, people.city.username, PASSWORD)
    other.close()
    page.get_by_label("名称").fill("另一个窗口里改的名称")
    page.get_by_role("button", name="保存修改").click()
    expect(page.get_by_role("heading", name="页面已过期，请刷新后重试")).to_be_visible()
    expect(page.locator("main")).to_contain_text("表单已经失效")
    expect(page.locator("main")).to_contain_text("另一个窗口")
    assert "CSRF" not in page.content() and "token" not in page.inner_text("body")
    campaign.refresh_from_db()
    assert campaign.title == "长寿区下一年度培育工作"
