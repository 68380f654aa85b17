"""Accounts to a government standard, on the screen (issue 6, items 1, 12 and 13): a change of company name or
credit code through the profile and the district; a stale 停用 answered with a clear page; a re-enabled account's
old browser stays logged out."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Enterprise
from tests.factories import PASSWORD, UserFactory, credit_code_for
from tests.helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_enterprise_changes_its_name_with_its_districts_approval(page, people):
    new_code = credit_code_for("500115", 515151)
    log_in(page, people.enterprise.username, PASSWORD)
    page.goto("/accounts/profile/")
    expect(page.locator("#registered-identity")).to_contain_text("重庆长寿一号化工有限公司")
    page.get_by_role("link", name="申请变更公司名称或信用代码").click()
    page.get_by_label("新公司名称").fill("重庆长寿一号新材料有限公司")
    page.get_by_label("新统一社会信用代码").fill(new_code)
    page.get_by_label("变更原因").fill("2026年10月完成工商变更登记")
    page.get_by_role("button", name="提交变更申请").click()
    expect(page.get_by_text("变更申请已提交")).to_be_visible()
    expect(page.get_by_text("正在等待区县经信部门审核")).to_be_visible()
    page.get_by_role("button", name="退出").click()

    log_in(page, people.district.username, PASSWORD)
    expect(page.get_by_text("待审核的企业信息变更")).to_be_visible()
    page.get_by_role("link", name="信息变更审核").first.click()
    page.get_by_role("link", name="重庆长寿一号化工有限公司").click()
    dialogs = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="通过", exact=True).click()
    expect(page.get_by_text("已通过 重庆长寿一号化工有限公司 的变更申请")).to_be_visible()
    assert dialogs == ["确认通过该变更？通过后企业的登记名称和信用代码立即变更。"]
    enterprise = Enterprise.objects.get(pk=people.enterprise.organisation_id)
    assert (enterprise.name, enterprise.credit_code) == ("重庆长寿一号新材料有限公司", new_code)


def test_a_stale_disable_is_answered_409_and_a_re_enabled_account_starts_logged_out(page, browser, live_server,
                                                                                    people):
    colleague = UserFactory(username="colleague-b", organisation=people.enterprise.organisation, full_name="同事乙")
    their = browser.new_context(locale="zh-CN", base_url=live_server.url)
    their_page = their.new_page()
    log_in(their_page, "colleague-b", PASSWORD)

    log_in(page, people.enterprise.username, PASSWORD)
    page.goto("/accounts/colleagues/")
    stale = page.context.new_page()
    stale.goto("/accounts/colleagues/")
    row = page.get_by_role("row", name=re.compile("colleague-b"))
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="停用").click()
    expect(page.get_by_text("已停用 同事乙 的账号")).to_be_visible()
    # The second tab still shows 停用: clicking it does not switch the account back on.
    stale.once("dialog", lambda dialog: dialog.accept())
    stale.get_by_role("row", name=re.compile("colleague-b")).get_by_role("button", name="停用").click()
    expect(stale.get_by_text("已经是停用状态")).to_be_visible()
    stale.get_by_role("link", name="返回账号列表").click()
    expect(stale).to_have_url(re.compile("/accounts/colleagues/$"))
    colleague.refresh_from_db()
    assert not colleague.is_active

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("row", name=re.compile("colleague-b")).get_by_role("button", name="启用").click()
    expect(page.get_by_text("已启用 同事乙 的账号")).to_be_visible()
    their_page.goto("/")
    expect(their_page).to_have_url(re.compile("/accounts/login/"))
    their.close()
