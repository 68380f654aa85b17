"""An enterprise sees its running clock on the home page and follows it to the case; it chooses, on its inbox
page, to receive reminders in the inbox only."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import PASSWORD
from tests.helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_enterprise_follows_its_clock_and_keeps_reminders_out_of_its_mailbox(page, people):
    from accounts.choices import MessageKind
    from accounts.preferences import email_preferences_for_user
    from applications import services
    from applications.models import CultivationCampaign

    today = timezone.localdate()
    campaign = CultivationCampaign.objects.create(year=today.year, title="浏览器测试培育工作", opens_on=today,
                                                  deadline=today + timedelta(days=20), created_by=people.city)
    application = services.intake_start(campaign=campaign, actor=people.enterprise)

    log_in(page, people.enterprise.username, PASSWORD)
    clocks = page.locator("#deadlines")
    expect(clocks).to_contain_text("提交入库申请")
    expect(clocks).to_contain_text("个工作日")
    clocks.get_by_role("link", name=str(application)).click()
    expect(page).to_have_url(re.compile(f"/{application.public_id}/$"))

    page.goto("/accounts/inbox/")
    choices = page.locator("#email-preferences")
    choices.get_by_label("期限提醒").uncheck()
    choices.get_by_role("button", name="保存邮件通知设置").click()
    expect(page.get_by_text("邮件通知设置已保存。")).to_be_visible()
    expect(page.locator("#email-preferences").get_by_label("期限提醒")).not_to_be_checked()
    expect(page.locator("#email-preferences").get_by_label("催办")).to_be_checked()
    assert email_preferences_for_user(people.enterprise)[MessageKind.REMINDER] is False
