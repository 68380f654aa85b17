"""What the outside probe found, on the screen (issue 6 follow-up): a district official's stale decision on an
identity change answers a page that leads back to the request; an emoji in the new company name is refused with a
message naming the field."""

import re

import pytest
from playwright.sync_api import expect

from accounts import services
from accounts.models import IdentityChange
from tests.factories import PASSWORD, credit_code_for
from tests.helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_emoji_in_the_new_company_name_is_refused_on_the_form(page, people):
    log_in(page, people.enterprise.username, PASSWORD)
    page.goto("/accounts/profile/identity-change/")
    page.get_by_label("新公司名称").fill("新公司😀有限公司")
    page.get_by_label("变更原因").fill("2026年10月完成工商变更登记")
    page.get_by_role("button", name="提交变更申请").click()
    expect(page.get_by_text("“新公司名称”中的表情符号“😀”（U+1F600）无法打印在申请表上，请删除。").first).to_be_visible()
    assert not IdentityChange.objects.exists()


def test_a_stale_decision_on_an_identity_change_leads_back_to_the_request(page, people):
    change = services.identity_change_request(actor=people.enterprise, new_name="重庆长寿一号新材料有限公司",
                                              new_credit_code=credit_code_for("500115", 626262), reason="更名")
    log_in(page, people.district.username, PASSWORD)
    page.goto(f"/accounts/identity-changes/{change.public_id}/")
    # Meanwhile a colleague refuses it.
    services.identity_change_refuse(change=change, actor=people.district, reason="材料不全")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="通过", exact=True).click()
    expect(page.get_by_text("可能已由他人处理")).to_be_visible()
    page.get_by_role("link", name="返回查看该事项").click()
    expect(page).to_have_url(re.compile(f"/accounts/identity-changes/{change.public_id}/$"))
    expect(page.get_by_text("材料不全").first).to_be_visible()
