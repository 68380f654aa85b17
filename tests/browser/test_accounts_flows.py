"""Refusal and resubmission; the city opening an official's account; the forced first password change."""

import re

import pytest
from playwright.sync_api import expect

from accounts.choices import OrganisationStatus
from accounts.models import Enterprise, User
from tests.factories import PASSWORD, EnterpriseFactory, UserFactory
from tests.helpers import fill_registration, log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_refused_registration_is_corrected_and_resubmitted(page, people):
    pending = EnterpriseFactory(status=OrganisationStatus.PENDING, name="需更正的企业")
    UserFactory(username="to-correct", organisation=pending)

    log_in(page, people.district.username, PASSWORD)
    page.goto(f"/accounts/registrations/{pending.public_id}/")
    page.get_by_label("未通过原因").fill("通讯地址与营业执照不一致，请更正")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="不通过").click()
    expect(page.get_by_text("已退回 需更正的企业 的注册")).to_be_visible()
    page.get_by_role("button", name="退出").click()

    log_in(page, "to-correct", PASSWORD)
    expect(page).to_have_url(re.compile("/accounts/registration/$"))
    expect(page.get_by_text("通讯地址与营业执照不一致，请更正").first).to_be_visible()
    page.get_by_label("通讯地址").fill("重庆市长寿区更正后的地址9号")
    page.get_by_role("button", name="修改并重新提交审核").click()
    expect(page.get_by_text("已重新提交，请等待区县经信部门审核")).to_be_visible()
    pending = Enterprise.objects.get(pk=pending.pk)
    assert pending.status == OrganisationStatus.PENDING
    assert pending.address == "重庆市长寿区更正后的地址9号"


def test_bad_registration_input_is_explained_in_chinese(page, people):
    page.goto("/accounts/register/")
    fill_registration(page, credit_code="91350100M000100Y44", postal_code="4012", founded_on="2999-01-01",
                      password2="Something-Else-1")
    page.get_by_role("button", name="提交注册").click()
    # Each message at its field, and all of them in the summary at the top.
    summary = page.locator(".portal-error-summary")
    for message in ("统一社会信用代码校验位不正确", "邮编应为6位数字", "“成立日期”应在1900-01-01至今天",
                    "两次输入的密码不一致"):
        expect(page.locator(".invalid-feedback").get_by_text(message)).to_be_visible()
        expect(summary.get_by_text(message)).to_be_visible()
    # What was typed is kept (except passwords), so nothing has to be entered again.
    expect(page.locator("#id_name")).to_have_value("重庆浏览器测试新材料有限公司")
    assert not Enterprise.objects.filter(name="重庆浏览器测试新材料有限公司").exists()


def test_the_city_opens_a_district_account_whose_first_login_changes_the_password(page, people):
    log_in(page, people.city.username, PASSWORD)
    page.get_by_role("link", name="账号管理").click()
    page.get_by_role("link", name="创建账号").click()
    page.get_by_label("角色").select_option(label="区县经信部门")
    page.get_by_label("区县（区县经信部门账号）").select_option(label="江北区")
    page.get_by_label("姓名").fill("江北新官员")
    page.get_by_label("联系电话").fill("023-67001234")
    page.get_by_label("电子邮箱").fill("jiangbei@example.com")
    page.get_by_label("用户名").fill("jiangbei-new")
    page.get_by_role("button", name="创建账号").click()
    expect(page.get_by_role("heading", name="账号已创建")).to_be_visible()
    initial = page.locator("#initial-password").inner_text()
    assert User.objects.get(username="jiangbei-new").organisation.district.name == "江北区"
    page.get_by_role("button", name="退出").click()

    log_in(page, "jiangbei-new", initial)
    expect(page).to_have_url(re.compile("/accounts/password/change/$"))
    expect(page.get_by_text("首次登录")).to_be_visible()
    page.locator("#id_old_password").fill(initial)
    page.locator("#id_new_password1").fill("Qingshan-Road-77x")
    page.locator("#id_new_password2").fill("Qingshan-Road-77x")
    page.get_by_role("button", name="修改密码").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
    expect(page.get_by_role("link", name="注册审核")).to_be_visible()
