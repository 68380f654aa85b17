"""The city opens a company from 企业名录 and reads its page with its applications; roles without their workflow yet
read what they will do; the enterprise is invited to apply."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import PASSWORD
from tests.helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def _open_campaign(people):
    from applications.models import CultivationCampaign

    today = timezone.localdate()
    return CultivationCampaign.objects.create(year=today.year, title="浏览器测试培育工作", opens_on=today,
                                              deadline=today + timedelta(days=10), created_by=people.city)


def test_the_city_opens_a_company_from_the_directory_and_sees_its_applications(page, people):
    from tests.helpers import submitted

    campaign = _open_campaign(people)
    submitted(campaign, people.enterprise)  # a draft never submitted is the enterprise's alone: not listed here
    company = people.enterprise.organisation

    log_in(page, people.city.username, PASSWORD)
    page.get_by_role("link", name="企业名录").click()
    page.get_by_role("link", name=company.name).click()
    expect(page).to_have_url(re.compile(f"/accounts/enterprises/{company.public_id}/$"))
    expect(page.get_by_role("heading", name=re.compile(company.name))).to_be_visible()
    expect(page.locator("#company-registration")).to_contain_text(company.credit_code)
    applications = page.locator("#company-applications")
    expect(applications).to_contain_text("浏览器测试培育工作")
    expect(applications).to_contain_text("已提交待审核")
    expect(applications).to_contain_text("尚未纳入培育库")
    # The navigation highlights the directory, nothing else.
    active = page.locator(".portal-nav .nav-link.active")
    expect(active).to_have_count(1)
    expect(active).to_contain_text("企业名录")


@pytest.mark.parametrize(("role", "article"), [("expert", "第十一条"), ("evaluator", "第九条"),
                                               ("department", "第十一条"), ("park", "第六条")])
def test_a_role_without_its_workflow_reads_what_it_will_do_on_its_home(page, people, role, article):
    log_in(page, getattr(people, role).username, PASSWORD)
    introduction = page.locator("#role-introduction")
    expect(introduction).to_be_visible()
    expect(introduction).to_contain_text(article)


def test_the_enterprise_is_invited_to_apply_and_starts_from_its_home(page, people):
    _open_campaign(people)
    log_in(page, people.enterprise.username, PASSWORD)
    panel = page.locator("#apply-now")
    expect(panel).to_contain_text("浏览器测试培育工作")
    expect(panel).to_contain_text("还剩 10 天")
    panel.get_by_role("button", name="立即申报").click()
    expect(page).to_have_url(re.compile("/applications/intake/.+/edit/$"))
    page.goto("/")
    expect(page.locator("#apply-now")).to_contain_text("本单位申请：草稿")
