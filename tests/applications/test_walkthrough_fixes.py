"""Issue 6, second walk-through: what an outside user found on the intake, campaign and library pages."""

import re
from datetime import date, datetime
from html import unescape

import pytest
import time_machine
from django.urls import reverse

from applications import services
from applications.models import CultivationCampaign, IntakeApplication
from tests.helpers import SHANGHAI, admit, edit_url, filled, intake_form_data, run_pdf_tool, submitted, upload_scan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_clock")]


def detail_url(application):
    return reverse("applications:intake_detail", args=[application.public_id])


def action_url(application, action):
    return reverse("applications:intake_action", args=[application.public_id, action])


def _textarea(html, name):
    match = re.search(rf'<textarea name="{re.escape(name)}"[^>]*>(.*?)</textarea>', html, re.S)
    return unescape(match.group(1)).strip() if match else None


# --- A. Nothing the district typed is lost ---------------------------------------------------------------------------


def test_a_refused_admission_keeps_the_reason_typed_and_says_why_on_the_page(client, people, campaign):
    application = services.intake_submit(application=filled(campaign, people.enterprise), actor=people.enterprise)
    application.criteria.filter(criterion="3").update(result="not_met", reason="2024年利润总额不为正。")
    client.force_login(people.district)
    html = client.get(detail_url(application)).content.decode()
    # Said before typing: no current scan, so the button is disabled.
    assert 'id="accept-no-scan"' in html
    assert re.search(r'id="accept-button"[^>]*disabled', html)
    response = client.post(action_url(application, "accept"), {"accept-reason": "企业承诺整改，区县跟踪。"})
    assert response.status_code == 200  # the page again, not a redirect
    html = response.content.decode()
    assert "企业尚未上传本次提交的盖章扫描件，不能入库。" in html
    assert _textarea(html, "accept-reason") == "企业承诺整改，区县跟踪。"
    application.refresh_from_db()
    assert application.status == "submitted"


def test_a_compliant_case_refused_for_the_missing_scan_says_so_on_the_page(client, people, campaign):
    application = services.intake_submit(application=filled(campaign, people.enterprise), actor=people.enterprise)
    client.force_login(people.district)
    response = client.post(action_url(application, "accept"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "企业尚未上传本次提交的盖章扫描件，不能入库。" in html.split('id="accept-form"')[1]


def test_a_reinstatement_refused_after_the_deadline_keeps_the_reason(client, people, campaign):
    application = submitted(campaign, people.enterprise)
    services.intake_withdraw(application=application, actor=people.enterprise)
    with time_machine.travel(datetime(2026, 3, 16, 9, 0, tzinfo=SHANGHAI), tick=False):
        client.force_login(people.district)
        response = client.post(action_url(application, "reinstate"), {"reinstate-reason": "企业来电说明误操作"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "撤回的申请不能再恢复" in html
    assert 'id="reinstate-closed"' in html or _textarea(html, "reinstate-reason") == "企业来电说明误操作"


def test_the_queue_shows_a_scan_only_for_the_latest_submission(client, people, campaign):
    application = submitted(campaign, people.enterprise)
    with time_machine.travel(datetime(2026, 3, 3, 10, 0, tzinfo=SHANGHAI), tick=False):
        services.intake_return(application=application, actor=people.district, reason="请补充。")
        application = services.intake_reopen(application=IntakeApplication.objects.get(pk=application.pk),
                                             actor=people.enterprise)
        services.intake_submit(application=application, actor=people.enterprise)
    client.force_login(people.district)
    html = client.get(reverse("applications:intake_queue")).content.decode()
    row = html.split('id="intake-queue"')[1]
    assert "未上传" in row and "已上传" not in row


# --- B. A draft may be saved with pre-filled fields cleared ----------------------------------------------------------


def test_a_draft_saves_with_prefilled_fields_cleared_and_submission_lists_every_missing_one(client, people, campaign):
    application = filled(campaign, people.enterprise)
    client.force_login(people.enterprise)
    cleared = {"address": "", "postal_code": "", "founded_on": "", "registered_capital": "", "main_products": "",
               "ownership_type": "", "industry": ""}
    response = client.post(edit_url(application), intake_form_data(application, **cleared, save="1"))
    assert response.status_code == 302, response.content.decode()[:3000]
    application.refresh_from_db()
    assert (application.address, application.postal_code, application.founded_on, application.industry_id,
            application.registered_capital) == ("", "", None, None, None)
    # The case page and the PDF cope with the empty answers.
    fields = client.get(detail_url(application)).content.decode().split('intake-fields"')[1].split("</table>")[0]
    assert "None" not in fields
    assert client.get(reverse("applications:intake_pdf", args=[application.public_id])).status_code == 200
    # Submitting lists every missing field at once, each by name.
    response = client.post(edit_url(application), intake_form_data(application, **cleared, submit="1"))
    html = response.content.decode()
    for label in ("通讯地址", "邮编", "成立日期", "注册资本（万元）", "主要产品", "单位性质", "所属行业"):
        assert f"“{label}”" in html, label
    assert "此字段不能为空" not in html


def test_a_model_level_refusal_names_the_field_in_plain_chinese(people, campaign):
    from django.core.exceptions import ValidationError

    application = services.intake_start(campaign=campaign, actor=people.enterprise)
    with pytest.raises(ValidationError) as refused:
        services.intake_save(application=application, actor=people.enterprise,
                             data={"ownership_type": "martian", "address": "路" * 201})
    messages = refused.value.message_dict
    assert messages["ownership_type"] == ["“单位性质”的值无效，请检查后重新填写。"]
    assert messages["address"] == ["“通讯地址”最多200个字，请删减后再保存。"]


# --- D. The library summary follows the year of the list -------------------------------------------------------------


def test_the_library_summary_shows_the_latest_opened_year_of_the_filtered_districts(people, campaign):
    from django.utils import timezone

    from applications.models import TargetState
    from applications.selectors import campaign_overview_for_user, library_summary_for_user
    from tests.factories import district
    admit(campaign, people.enterprise, people.district)
    # A district-only campaign for the next year, not open yet, then cancelled before it opened.
    future = CultivationCampaign.objects.create(
        year=2027, title="2027年渝北区绿色工厂培育工作", district=district("渝北区"), opens_on=date(2027, 2, 1),
        deadline=date(2027, 3, 1), created_by=people.city)
    summary = library_summary_for_user(people.city)
    assert summary["year"] == 2026
    changshou = library_summary_for_user(people.city, district=district("长寿区"))
    assert changshou["year"] == 2026 and changshou["totals"]["districts"] == 1
    assert changshou["totals"]["count"] == 1
    # Filtered to 渝北区, the 2027 campaign has not opened: 2026 still.
    assert library_summary_for_user(people.city, district=district("渝北区"))["year"] == 2026
    future.closed_at = timezone.now()
    future.closed_reason = "取消"
    future.save()
    assert library_summary_for_user(people.city, district=district("渝北区"))["year"] == 2026
    # Closed before it opened: never 未达目标.
    with time_machine.travel(datetime(2027, 6, 1, 10, 0, tzinfo=SHANGHAI), tick=False):
        rows = campaign_overview_for_user(people.city, future)["targets"]
        assert [r["state"] for r in rows] == [TargetState.CANCELLED]
        assert library_summary_for_user(people.city, year=2027)["rows"][0]["label"] == "未开展"


# --- H. Small ones ---------------------------------------------------------------------------------------------------


def test_a_draft_pdf_is_marked_as_a_draft_until_submitted(client, people, campaign, tmp_path):
    application = filled(campaign, people.enterprise)
    client.force_login(people.enterprise)
    url = reverse("applications:intake_pdf", args=[application.public_id])
    path = tmp_path / "draft.pdf"
    path.write_bytes(client.get(url).content)
    text = "".join(run_pdf_tool("pdftotext", path).split())
    assert "草稿（未提交，不作为正式申报材料）" in text
    assert "Pages:           1" in run_pdf_tool("pdfinfo", path)
    services.intake_submit(application=application, actor=people.enterprise)
    path.write_bytes(client.get(url).content)
    assert "草稿" not in "".join(run_pdf_tool("pdftotext", path).split())


def test_a_planned_investment_of_zero_is_named_as_such(people, campaign):
    application = filled(campaign, people.enterprise, green_investment_amount=0, green_investment_areas=[])
    [outcome] = [o for o in services.entry_criteria_evaluate(application) if o.criterion == "5"]
    assert outcome.result == "not_met" and outcome.reason == "计划绿色化改造投资为0万元。"
    assert not outcome.incomplete


def test_a_reinstated_applications_notice_has_no_double_punctuation(people, campaign):
    from accounts.models import Notification

    application = submitted(campaign, people.enterprise)
    services.intake_withdraw(application=application, actor=people.enterprise)
    services.intake_reinstate(application=IntakeApplication.objects.get(pk=application.pk), actor=people.district,
                              reason="企业来电说明误操作，同意恢复。")
    body = Notification.objects.filter(recipient=people.enterprise).order_by("-id").first().body
    assert "（原因：企业来电说明误操作，同意恢复）。" in body
    assert "。）" not in body


def test_a_district_only_campaign_names_its_districts_target(client, people, campaign):
    from tests.factories import district

    CultivationCampaign.objects.create(year=2027, title="渝北区2027年培育", district=district("渝北区"),
                                       opens_on=date(2026, 4, 1), deadline=date(2026, 5, 30), default_target=6,
                                       created_by=people.district_2)
    client.force_login(people.city)
    html = client.get(reverse("applications:campaign_list")).content.decode()
    assert "渝北区入库目标 6 家" in html
    assert "各区县入库目标 10 家" in html  # the city's campaign


def test_the_login_page_lists_every_demo_account_and_the_reset_form_says_email_box(client, settings):
    settings.DEMO_LOGIN_ENABLED = True
    from accounts.management.commands.seed_demo import USERS

    html = client.get(reverse("accounts:login")).content.decode()
    # Every account that can log in (the two registrants wait for their district's approval).
    for username, *_rest in [u for u in USERS if not u[0].startswith("demo-applicant")]:
        assert f"<code>{username}</code>" in html, username
    html = client.get(reverse("accounts:password_reset")).content.decode()
    assert "电子邮箱" in html and "电子邮件" not in html


def test_the_identity_change_form_shows_the_pending_request_instead(client, people):
    from accounts import services as account_services

    enterprise = people.enterprise.organisation.enterprise
    client.force_login(people.enterprise)
    url = reverse("accounts:identity_change_create")
    assert "new_name" in client.get(url).content.decode()
    account_services.identity_change_request(actor=people.enterprise, new_name="重庆新名称化工有限公司",
                                             new_credit_code=enterprise.credit_code, reason="更名")
    html = client.get(url).content.decode()
    assert 'id="identity-change-pending"' in html and "重庆新名称化工有限公司" in html
    assert 'name="new_name"' not in html


def test_a_submission_without_its_stamped_scan_is_on_the_enterprises_to_do_list_until_uploaded(
        client, people, campaign):
    """Third walk-through: after resubmitting without a new scan the enterprise read 暂无待办事项 while the district
    could not admit the case."""
    application = services.intake_submit(application=filled(campaign, people.enterprise), actor=people.enterprise)
    client.force_login(people.enterprise)
    html = client.get(reverse("home")).content.decode()
    assert "请上传盖章扫描件" in html
    upload_scan(application, people.enterprise)
    html = client.get(reverse("home")).content.decode()
    assert "请上传盖章扫描件" not in html
