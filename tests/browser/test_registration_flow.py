"""An enterprise registers, its district approves it, and it logs in — all in Chinese, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from accounts.choices import OrganisationStatus
from accounts.models import Enterprise, User
from tests.factories import PASSWORD, credit_code_for
from tests.helpers import fill_registration, log_in

pytestmark = pytest.mark.django_db(transaction=True)


def confirmation_path(mailoutbox, address):
    """The registrant opens the mail sent to ``address`` and takes the link in it."""
    (message,) = [m for m in mailoutbox if m.to == [address]]
    return re.search(r"https?://[^/\s]+(/accounts/register/confirm/\S+/)", message.body).group(1)


def test_register_approve_and_log_in(page, people, mailoutbox):
    code = credit_code_for("500115", 909090)
    page.goto("/accounts/register/")
    expect(page).to_have_title(re.compile("企业注册"))
    # Full-width, lower-case input is accepted and normalised.
    fill_registration(page, credit_code="".join(chr(ord(c) + 0xFEE0) for c in code.lower()))
    page.get_by_role("button", name="提交注册").click()
    # Nothing is registered until the registrant confirms the address with the link mailed to it.
    expect(page.get_by_role("heading", name="请查收邮件")).to_be_visible()
    assert not Enterprise.objects.filter(name="重庆浏览器测试新材料有限公司").exists()
    page.goto(confirmation_path(mailoutbox, "browser@example.com"))
    expect(page.get_by_text("重庆浏览器测试新材料有限公司")).to_be_visible()
    page.get_by_role("button", name="确认并提交注册").click()
    expect(page.get_by_role("heading", name="注册已提交")).to_be_visible()
    enterprise = Enterprise.objects.get(name="重庆浏览器测试新材料有限公司")
    assert enterprise.credit_code == code
    assert enterprise.status == OrganisationStatus.PENDING

    # Before approval the enterprise cannot log in, and is told why.
    log_in(page, "browser-enterprise", "Browser-Pass-2026", succeeds=False)
    expect(page.get_by_text("正在等待长寿区经信部门审核")).to_be_visible()

    # The district official finds it in the to-do list and approves it (after confirming).
    log_in(page, people.district.username, PASSWORD)
    expect(page.get_by_text("待审核的企业注册")).to_be_visible()
    page.get_by_role("link", name=re.compile("重庆浏览器测试新材料有限公司")).first.click()
    expect(page.get_by_role("heading", name=re.compile("重庆浏览器测试新材料有限公司"))).to_be_visible()
    dialogs = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="通过", exact=True).click()
    expect(page.get_by_text("已通过 重庆浏览器测试新材料有限公司 的注册")).to_be_visible()
    assert dialogs == ["确认通过该企业的注册？通过后企业即可登录平台。"]
    enterprise.refresh_from_db()
    assert enterprise.status == OrganisationStatus.ACTIVE
    page.get_by_role("button", name="退出").click()

    # Now the enterprise logs in and lands on its home page.
    log_in(page, "browser-enterprise", "Browser-Pass-2026")
    expect(page.get_by_role("heading", name=re.compile("工作台|待办"))).to_be_visible()
    expect(page.get_by_text("您好，测试注册人")).to_be_visible()
    assert User.objects.get(username="browser-enterprise").last_login is not None


def test_a_taken_credit_code_gets_the_same_page_and_the_mailbox_owner_is_told(page, people, mailoutbox):
    page.goto("/accounts/register/")
    fill_registration(page, credit_code=people.enterprise.organisation.credit_code, email="someone@example.com")
    page.get_by_role("button", name="提交注册").click()
    expect(page.get_by_role("heading", name="请查收邮件")).to_be_visible()
    expect(page.get_by_text("已注册")).to_have_count(0)
    (message,) = mailoutbox
    assert message.to == ["someone@example.com"]
    assert "该统一社会信用代码已在平台注册" in message.body


def test_a_refused_confirmation_changes_nothing(page, people):
    from tests.factories import EnterpriseFactory

    pending = EnterpriseFactory(status=OrganisationStatus.PENDING, name="待确认企业")
    log_in(page, people.district.username, PASSWORD)
    page.goto(f"/accounts/registrations/{pending.public_id}/")
    dialogs = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="通过", exact=True).click()
    page.wait_for_timeout(500)
    assert dialogs, "the confirmation was not asked"
    expect(page).to_have_url(re.compile(f"/accounts/registrations/{pending.public_id}/$"))
    pending.refresh_from_db()
    assert pending.status == OrganisationStatus.PENDING
