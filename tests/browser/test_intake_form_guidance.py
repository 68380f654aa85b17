"""The intake form guides in the browser (issue 6, items 4 and 5): an enterprise pastes a too-long 单位简介, types a
13-digit amount and an emoji, leaves fields empty, submits, and sees the summary at the top in form order with links
that work, the fields highlighted, the counter, the messages, and everything it typed still there."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from applications import services
from applications.models import CultivationCampaign, IntakeStatus
from tests.factories import PASSWORD
from tests.helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_badly_filled_form_is_explained_at_the_top_and_keeps_what_was_typed(page, people):
    today = timezone.localdate()
    campaign = CultivationCampaign.objects.create(
        year=today.year, title=f"{today.year}年绿色工厂培育工作", opens_on=today - timedelta(days=3),
        deadline=today + timedelta(days=10), created_by=people.city)
    application = services.intake_start(campaign=campaign, actor=people.enterprise)
    log_in(page, people.enterprise.username, PASSWORD)
    page.goto(reverse("applications:intake_edit", args=[application.public_id]))
    expect(page.get_by_role("heading", name="绿色工厂培育入库申请表")).to_be_visible()

    # Required fields carry an asterisk though the draft may leave them empty.
    output_label = page.locator("#div_id_output_value > label")
    assert output_label.evaluate("element => getComputedStyle(element, '::after').content") == '"*"'
    other_label = page.locator("#div_id_other_certifications > label")
    assert other_label.evaluate("element => getComputedStyle(element, '::after').content") in ("none", "normal")

    # A pasted 单位简介 of 610 characters is kept whole (no maxlength cut) and the counter says it is too long.
    profile = "本公司重视节能降碳，" * 61
    field = page.locator("#id_profile_text")
    field.focus()
    field.fill(profile)
    assert field.input_value() == profile
    counter = page.locator("#id_profile_text_counter")
    expect(counter).to_have_text("已输入 610 / 500 个字，超出 110 个字，请删减后再保存。")
    expect(counter).to_have_class("form-text portal-counter text-danger fw-semibold")

    page.locator("#id_output_value").fill("1234567890123")
    products = page.locator("#id_main_products")
    products.fill(products.input_value() + "😀")
    typed_products = products.input_value()
    page.locator("#id_commitment_signatory").fill("王总经理")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="提交申请").click()

    summary = page.locator(".portal-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    # The summary comes before the form, and lists the fields in the form's order.
    assert page.evaluate("""() => {
        const summary = document.querySelector('.portal-error-summary');
        const form = document.querySelector('form[method=post] #id_output_value').form;
        return !!(summary.compareDocumentPosition(form) & Node.DOCUMENT_POSITION_FOLLOWING);
    }""")
    fields = summary.locator("a").evaluate_all("links => links.map(link => link.dataset.errorField)")
    for earlier, later in (("main_products", "output_value"), ("output_value", "total_profit_1"),
                           ("total_profit_1", "major_accident"), ("major_accident", "profile_text"),
                           ("profile_text", "commitment_accepted")):
        assert fields.index(earlier) < fields.index(later), fields
    expect(summary.locator("a[data-error-field=main_products]")).to_have_text(
        "“主要产品”中的表情符号“😀”（U+1F600）无法打印在申请表上，请删除。")
    expect(summary.locator("a[data-error-field=output_value]")).to_have_text(
        f"“{campaign.output_year}年产值（万元）”不能超过99999999999.99万元，请核对数值和单位。")
    expect(summary.get_by_role("link", name="“单位简介”最多500个字，现有610个字，请删减后再保存。")).to_be_visible()
    expect(summary.locator("a[data-error-field=major_accident]")).to_have_text(
        "请选择“近三年是否发生质量、安全、环保等较大事故”。")

    # The fields are highlighted, with their messages beside them.
    for name in ("main_products", "output_value", "profile_text", "total_profit_1"):
        expect(page.locator(f"#id_{name}")).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.locator("#id_profile_text_error")).to_contain_text("最多500个字")

    # A link moves the focus to its field; a group of radio buttons gets its first button focused.
    summary.locator("a[data-error-field=profile_text]").click()
    expect(page.locator("#id_profile_text")).to_be_focused()
    expect(page.locator("#id_profile_text")).to_be_in_viewport()
    summary.locator("a[data-error-field=major_accident]").click()
    expect(page.locator("#id_major_accident_0")).to_be_focused()

    # Nothing typed is lost, and the counter is there again after the reload.
    assert page.locator("#id_profile_text").input_value() == profile
    assert page.locator("#id_output_value").input_value() == "1234567890123"
    assert page.locator("#id_main_products").input_value() == typed_products
    assert page.locator("#id_commitment_signatory").input_value() == "王总经理"
    expect(page.locator("#id_profile_text_counter")).to_contain_text("已输入 610 / 500 个字")
    application.refresh_from_db()
    assert application.status == IntakeStatus.DRAFT
    assert "😀" not in application.main_products
