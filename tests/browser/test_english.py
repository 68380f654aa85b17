"""The portal in English, as an official reads it: the interface switches, and the longer English labels fit."""

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD
from tests.helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_district_official_switches_to_english_and_the_navigation_fits(page, people):
    log_in(page, people.district.username, PASSWORD)
    page.select_option("#language-select", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    nav = page.locator(".portal-nav")
    expect(nav.get_by_role("link", name="Annual cultivation campaigns")).to_be_visible()
    sidebar = page.locator(".portal-sidebar").bounding_box()
    # Each label stays inside the sidebar (wrapping if need be) instead of running over the page.
    for link in nav.locator(".nav-link").all():
        box = link.bounding_box()
        text_right = link.evaluate("el => { const r = document.createRange(); r.selectNodeContents(el);"
                                   " return r.getBoundingClientRect().right; }")
        assert text_right <= sidebar["x"] + sidebar["width"], link.inner_text()
        assert box["x"] + box["width"] <= sidebar["x"] + sidebar["width"] + 1
    page.goto("/applications/library/")
    expect(page.get_by_role("heading", name="Green factory cultivation library")).to_be_visible()
