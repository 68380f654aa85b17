"""The intake form guides (issue 6, items 1 and 4): the identity shown from the registration, required fields marked,
missing and wrong fields listed at the top in form order with links and highlighted, nothing typed lost."""

import re

import pytest
from django.urls import reverse

from applications import services
from applications.models import IntakeStatus

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_clock")]


@pytest.fixture
def application(people, campaign):
    return services.intake_start(campaign=campaign, actor=people.enterprise)


def post(client, application, data):
    return client.post(reverse("applications:intake_edit", args=[application.public_id]), data)


def summary_links(html):
    summary = html.split('class="alert alert-danger portal-error-summary"', 1)[1].split("</div>", 1)[0]
    return re.findall(r'<a href="#([^"]+)"[^>]*data-error-field="([^"]+)">([^<]+)</a>', summary)


def base_data(application, **changes):
    return {"industry": application.industry_id, "ownership_type": application.ownership_type,
            "address": application.address, "postal_code": application.postal_code,
            "founded_on": application.founded_on.isoformat(), "registered_capital": application.registered_capital,
            "main_products": application.main_products, **changes}


def test_a_submission_with_empty_fields_lists_them_at_the_top_in_form_order_with_links(client, people, application):
    client.force_login(people.enterprise)
    response = post(client, application, {**base_data(application), "submit": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    links = summary_links(html)
    names = [name for _anchor, name, _text in links]
    assert names == ["output_value", "total_profit_1", "total_profit_2", "total_profit_3",
                     "quality_management_certified", "environmental_management_certified",
                     "occupational_health_safety_certified", "energy_management_certified", "major_accident",
                     "independent_legal_person", "green_investment_amount", "preparer_name", "preparer_phone",
                     "profile_text",
                     "commitment_accepted", "commitment_signatory", "commitment_date"]
    texts = dict((name, text) for _anchor, name, text in links)
    assert texts["output_value"] == "请填写“2025年产值（万元）”。"
    assert texts["major_accident"] == "请选择“近三年是否发生质量、安全、环保等较大事故”。"
    assert texts["commitment_accepted"] == "请阅读并勾选“承诺”。"
    # Every link points at an element of the page: the input, or the wrapper of a group of radio buttons.
    for anchor, _name, _text in links:
        assert f'id="{anchor}"' in html, anchor
    assert 'id="id_output_value"' in html and "is-invalid" in html.split('id="id_output_value"')[0].rsplit("<", 1)[1]
    application.refresh_from_db()
    assert application.status == IntakeStatus.DRAFT


def test_wrong_and_missing_fields_are_listed_together_and_nothing_typed_is_lost(client, people, application):
    client.force_login(people.enterprise)
    long_profile = "本公司重视节能降碳。" * 61  # 610 characters
    response = post(client, application, {
        **base_data(application, main_products="聚乙烯醇😀"), "profile_text": long_profile,
        "output_value": "1234567890123", "preparer_name": "张明", "submit": "1"})
    html = response.content.decode()
    texts = {name: text for _anchor, name, text in summary_links(html)}
    assert texts["main_products"] == "“主要产品”中的表情符号“😀”（U+1F600）无法打印在申请表上，请删除。"
    assert texts["output_value"] == "“2025年产值（万元）”不能超过99999999999.99万元，请核对数值和单位。"
    assert texts["profile_text"] == "“单位简介”最多500个字，现有610个字，请删减后再保存。"
    assert texts["total_profit_1"] == "请填写“2023年利润总额（万元）”。"  # the missing ones too, in one round
    names = list(texts)
    assert names.index("main_products") < names.index("output_value") < names.index("profile_text")
    # What was typed comes back as typed, the over-long text whole.
    assert long_profile in html
    assert 'value="1234567890123"' in html
    assert 'value="聚乙烯醇😀"' in html
    assert 'value="张明"' in html


def test_the_form_marks_required_fields_shows_the_identity_read_only_and_counts_long_text(client, people,
                                                                                          application):
    client.force_login(people.enterprise)
    html = client.get(reverse("applications:intake_edit", args=[application.public_id])).content.decode()
    assert 'name="company_name"' not in html and 'name="credit_code"' not in html
    enterprise = people.enterprise.organisation.enterprise
    assert enterprise.name in html.split('id="identity_name"')[1][:200]
    assert enterprise.credit_code in html.split('id="identity_credit_code"')[1][:200]
    assert "经区县经信部门审核后生效" in html
    assert 'id="div_id_output_value" class="mb-3 portal-required"' in html
    assert 'id="div_id_other_certifications" class="mb-3"' in html
    assert "带 * 的为提交时必填项" in html
    textarea = re.search(r"<textarea[^>]*name=\"profile_text\"[^>]*>", html).group()
    assert 'data-maxchars="500"' in textarea and "maxlength" not in textarea


def test_posted_identity_is_not_taken_from_the_form(client, people, application):
    client.force_login(people.enterprise)
    name, code = application.company_name, application.credit_code
    response = post(client, application, {**base_data(application), "company_name": "别人的公司",
                                          "credit_code": "91500000000000000X", "save": "1"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.company_name, application.credit_code) == (name, code)
