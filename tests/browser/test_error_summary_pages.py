"""The error summary is at the top of every form page, not only the intake form (issue 6, item 4, second round): an
official closing a campaign with a reason over its limit sees the summary first, with the focus on it, and its link
takes them to the field; the page's other form is untouched."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applications.models import CultivationCampaign
from applications.services import CLOSING_REASON_MAX
from tests.factories import PASSWORD
from tests.helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_over_long_closing_reason_is_summarised_at_the_top_and_linked_to_its_field(page, people):
    today = timezone.localdate()
    campaign = CultivationCampaign.objects.create(
        year=today.year, title=f"{today.year}年全市绿色工厂培育工作", opens_on=today - timedelta(days=3),
        deadline=today + timedelta(days=10), created_by=people.city,
    )
    log_in(page, people.city.username, PASSWORD)
    page.goto(f"/applications/campaigns/{campaign.public_id}/")
    page.locator("#close-form textarea").fill("满" * (CLOSING_REASON_MAX + 1))
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#close-form").get_by_role("button", name="提前结束").click()

    summary = page.locator(".portal-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(f"“提前结束原因”最多{CLOSING_REASON_MAX}个字，现有{CLOSING_REASON_MAX + 1}个字")
    # Above the forms, below the page's title.
    assert summary.bounding_box()["y"] < page.locator("#close-form").bounding_box()["y"]
    summary.get_by_role("link").click()
    expect(page.locator("#close-form textarea")).to_be_focused()
    expect(page.locator("#close-form textarea")).to_have_value("满" * (CLOSING_REASON_MAX + 1))
    campaign.refresh_from_db()
    assert campaign.closed_at is None
