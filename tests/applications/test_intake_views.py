"""The intake pages for every role: who sees what, who may act, 404 outside scope, fixed query counts."""

import io
from datetime import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AuditAction, AuditEvent
from applications import services
from applications.models import CultivationCampaign, IntakeApplication, IntakeStatus, LibraryEntry
from tests.factories import EnterpriseFactory, UserFactory, district
from tests.helpers import GOOD, SHANGHAI, filled, submitted

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_clock")]


def test_an_enterprise_fills_saves_and_submits_the_form(client, people, campaign):
    client.force_login(people.enterprise)
    response = client.post(reverse("applications:intake_start", args=[campaign.public_id]))
    application = IntakeApplication.objects.get()
    assert response["Location"] == reverse("applications:intake_edit", args=[application.public_id])
    page = client.get(response["Location"]).content.decode()
    assert "2025年产值（万元）" in page
    assert "2023年利润总额（万元）" in page
    assert ">请选择所属行业（国民经济行业分类）</option>" in page and "---------" not in page
    data = {k: ("True" if v is True else "False" if v is False else v) for k, v in GOOD.items()}
    data["green_investment_areas"] = GOOD["green_investment_areas"]
    form = {**{f: getattr(application, f) for f in ("company_name", "address", "ownership_type", "credit_code",
                                                    "postal_code", "main_products")},
            "industry": application.industry_id, "founded_on": "2010-01-01", "registered_capital": "5000",
            **data, "commitment_accepted": "on", "commitment_date": "2026-03-01"}
    response = client.post(reverse("applications:intake_edit", args=[application.public_id]), {**form, "save": "1"})
    assert response.status_code == 302
    response = client.post(reverse("applications:intake_edit", args=[application.public_id]),
                           {**form, "submit": "1"})
    assert response["Location"] == reverse("applications:intake_detail", args=[application.public_id])
    application.refresh_from_db()
    assert application.status == IntakeStatus.SUBMITTED
    assert application.criteria.count() == 5


def test_bad_form_input_is_refused_field_by_field_in_chinese(client, people, campaign):
    application = services.intake_start(campaign=campaign, actor=people.enterprise)
    client.force_login(people.enterprise)
    response = client.post(reverse("applications:intake_edit", args=[application.public_id]), {
        "credit_code": "91350100M000100Y44", "postal_code": "abc", "output_value": "-5",
        "registered_capital": "1.234", "founded_on": "2999-01-01", "preparer_phone": "123", "save": "1",
    })
    assert response.status_code == 200
    html = response.content.decode()
    for message in ("邮编应为6位数字", "金额不能为负数", "“注册资本（万元）”最多保留2位小数。",
                    "“成立日期”应在1900-01-01至今天（2026-03-02）之间。", "请输入有效的联系电话"):
        assert message in html
    application.refresh_from_db()
    assert application.postal_code != "abc"


def test_another_enterprise_and_another_district_get_404(client, people, campaign):
    application = submitted(campaign, people.enterprise)
    for user in (people.enterprise_2, people.district_2, people.expert, people.evaluator, people.department,
                 people.park):
        client.force_login(user)
        for name in ("applications:intake_detail", "applications:intake_pdf", "applications:intake_edit"):
            assert client.get(reverse(name, args=[application.public_id])).status_code == 404, (user, name)
        response = client.post(reverse("applications:intake_action", args=[application.public_id, "accept"]))
        assert response.status_code == 404
        scan = application.scans.get()
        url = reverse("applications:scan_download", args=[application.public_id, scan.pk])
        assert client.get(url).status_code == 404
    application.refresh_from_db()
    assert application.status == IntakeStatus.SUBMITTED


def test_the_enterprise_posting_the_districts_accept_url_is_refused(client, people, campaign):
    application = submitted(campaign, people.enterprise)
    client.force_login(people.enterprise)
    response = client.post(reverse("applications:intake_action", args=[application.public_id, "accept"]))
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == IntakeStatus.SUBMITTED


def test_the_city_may_read_but_not_decide(client, people, campaign):
    application = submitted(campaign, people.enterprise)
    client.force_login(people.city)
    assert client.get(reverse("applications:intake_detail", args=[application.public_id])).status_code == 200
    response = client.post(reverse("applications:intake_action", args=[application.public_id, "reject"]),
                           {"reason": "x"})
    assert response.status_code == 403


def test_the_district_accepts_from_its_queue_into_the_library(
    client, people, campaign, django_capture_on_commit_callbacks
):
    application = submitted(campaign, people.enterprise)
    client.force_login(people.district)
    assert application.company_name in client.get(reverse("applications:intake_queue")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("applications:intake_action", args=[application.public_id, "accept"]))
    assert response.status_code == 302
    assert LibraryEntry.objects.filter(application=application).exists()
    from accounts.models import Notification

    assert Notification.objects.filter(recipient=people.enterprise, title__contains="已通过").exists()
    # A stale second decision is a conflict, not a second record.
    response = client.post(reverse("applications:intake_action", args=[application.public_id, "reject"]),
                           {"reason": "迟到"})
    assert response.status_code == 409


def test_a_scan_that_is_not_what_its_name_says_is_refused(client, people, campaign):
    application = services.intake_submit(application=filled(campaign, people.enterprise), actor=people.enterprise)
    client.force_login(people.enterprise)
    fake = SimpleUploadedFile("盖章扫描件.pdf", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")
    response = client.post(reverse("applications:scan_upload", args=[application.public_id]), {"scan": fake},
                           follow=True)
    assert "不是有效的PDF或图片" in response.content.decode()
    assert not application.scans.exists()


def test_the_scan_downloads_as_an_attachment_and_is_audited(client, people, campaign):
    application = submitted(campaign, people.enterprise)
    scan = application.scans.get()
    client.force_login(people.district)
    response = client.get(reverse("applications:scan_download", args=[application.public_id, scan.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    import hashlib

    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == scan.sha256
    assert AuditEvent.objects.filter(action=AuditAction.DOWNLOAD, actor=people.district).count() == 1


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_queue_and_library_cost_the_same_queries_for_1_and_50_rows(client, people, campaign):
    enterprises = [people.enterprise]
    client.force_login(people.district)
    submitted(campaign, people.enterprise)
    queue_1 = _queries(client, reverse("applications:intake_queue"))
    services.intake_accept(application=IntakeApplication.objects.get(), actor=people.district)
    library_1 = _queries(client, reverse("applications:library"))
    for _ in range(49):
        enterprise = EnterpriseFactory(district=district("长寿区"))
        user = UserFactory(organisation=enterprise)
        enterprises.append(user)
        submitted(campaign, user)
    queue_50 = _queries(client, reverse("applications:intake_queue"))
    for application in IntakeApplication.objects.filter(status=IntakeStatus.SUBMITTED):
        services.intake_accept(application=application, actor=people.district)
    library_50 = _queries(client, reverse("applications:library"))
    assert queue_1 == queue_50
    assert library_1 == library_50


def test_the_library_is_scoped_and_exported_exactly(client, people, campaign):
    from openpyxl import load_workbook

    services.intake_accept(application=submitted(campaign, people.enterprise), actor=people.district)
    services.intake_accept(application=submitted(campaign, people.enterprise_2), actor=people.district_2)
    client.force_login(people.district)
    html = client.get(reverse("applications:library")).content.decode()
    assert people.enterprise.organisation.name in html
    assert people.enterprise_2.organisation.name not in html
    response = client.get(reverse("applications:library_export"))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 3  # title, header, one enterprise
    assert rows[2][2] == people.enterprise.organisation.name
    client.force_login(people.city)
    response = client.get(reverse("applications:library_export") + f"?district={district('渝北区').pk}")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [r[2] for r in rows[2:]] == [people.enterprise_2.organisation.name]
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == 2


@pytest.mark.parametrize("role", ["enterprise", "park", "expert", "evaluator", "department"])
def test_the_library_is_refused_to_roles_without_need(client, people, role):
    client.force_login(getattr(people, role))
    assert client.get(reverse("applications:library")).status_code == 403
    assert client.get(reverse("applications:library_export")).status_code == 403


def test_the_city_opens_a_campaign_for_all_districts_and_a_district_only_for_its_own(client, people):
    form = {"year": 2026, "title": "2026年全市绿色工厂培育", "opens_on": "2026-02-20", "deadline": "2026-03-15",
            "key_sectors": ["chemicals", "automotive"], "default_target": 10}
    client.force_login(people.city)
    assert client.post(reverse("applications:campaign_create"), form).status_code == 302
    city_campaign = CultivationCampaign.objects.get(title="2026年全市绿色工厂培育")
    assert city_campaign.district is None
    client.force_login(people.district_2)
    # A posted district field is ignored: a district opens campaigns for itself only (another year: the city's
    # campaign already covers 2026).
    response = client.post(reverse("applications:campaign_create"),
                           {**form, "year": 2027, "title": "渝北区培育", "district": district("长寿区").pk},
                           follow=True)
    assert response.redirect_chain[-1][1] == 302
    assert CultivationCampaign.objects.get(title="渝北区培育").district == district("渝北区")
    # The other district's enterprise does not see it; its own does.
    client.force_login(people.enterprise)
    assert "渝北区培育" not in client.get(reverse("applications:campaign_list")).content.decode()
    client.force_login(people.enterprise_2)
    assert "渝北区培育" in client.get(reverse("applications:campaign_list")).content.decode()
    for role in ("enterprise", "expert", "park"):
        client.force_login(getattr(people, role))
        assert client.get(reverse("applications:campaign_create")).status_code == 403


def test_a_deadline_before_the_opening_is_refused(client, people):
    client.force_login(people.city)
    response = client.post(reverse("applications:campaign_create"), {
        "year": 2026, "title": "错误日期", "opens_on": "2026-03-20", "deadline": "2026-03-15", "default_target": 10})
    assert response.status_code == 200
    assert "截止日期不能早于开始日期" in response.content.decode()


def test_starting_after_the_deadline_shows_a_clear_message(client, people, campaign):
    with time_machine.travel(datetime(2026, 3, 16, 9, 0, tzinfo=SHANGHAI), tick=False):
        client.force_login(people.enterprise)
        response = client.post(reverse("applications:intake_start", args=[campaign.public_id]))
        assert response["Location"] == reverse("applications:campaign_list")
        page = client.get(response["Location"]).content.decode()
    assert "已于2026-03-15截止" in page
    assert not IntakeApplication.objects.exists()


XSS = '"><img src=x onerror=alert(1)><script>alert(2)</script>'


def test_posted_state_district_and_enterprise_fields_are_ignored(client, people, campaign):
    application = services.intake_start(campaign=campaign, actor=people.enterprise)
    client.force_login(people.enterprise)
    form = {f: getattr(application, f) for f in ("company_name", "ownership_type", "credit_code", "postal_code",
                                                 "main_products")}
    response = client.post(reverse("applications:intake_edit", args=[application.public_id]), {
        **form, "industry": application.industry_id, "founded_on": "2010-01-01", "registered_capital": "5000",
        "status": "accepted", "district": district("渝北区").pk, "enterprise": people.enterprise_2.organisation_id,
        "campaign": 999, "address": "新地址", "save": "1",
    })
    assert response.status_code == 302, response.context["form"].errors
    application.refresh_from_db()
    assert application.address == "新地址"
    assert application.status == IntakeStatus.DRAFT
    assert application.district == district("长寿区")
    assert application.enterprise_id == people.enterprise.organisation_id


def test_free_text_is_escaped_on_every_page_that_shows_it(client, people, campaign):
    application = filled(campaign, people.enterprise, profile_text=XSS, other_certifications=XSS,
                         main_products=XSS[:100])
    application = services.intake_submit(application=application, actor=people.enterprise)
    for user, url in ((people.enterprise, reverse("applications:intake_detail", args=[application.public_id])),
                      (people.district, reverse("applications:intake_detail", args=[application.public_id])),
                      (people.district, reverse("applications:intake_queue"))):
        client.force_login(user)
        html = client.get(url).content.decode()
        assert "<img src=x" not in html
        assert "<script>alert(2)" not in html
    assert "&lt;img src=x" in client.get(
        reverse("applications:intake_detail", args=[application.public_id])).content.decode()


def test_a_draft_is_its_enterprises_alone_until_it_is_submitted(client, people, campaign):
    draft = filled(campaign, people.enterprise)
    case, pdf = (reverse("applications:intake_detail", args=[draft.public_id]),
                 reverse("applications:intake_pdf", args=[draft.public_id]))
    client.force_login(people.enterprise)
    assert client.get(case).status_code == 200
    assert client.get(pdf).status_code == 200
    company = reverse("accounts:enterprise_detail", args=[people.enterprise.organisation.public_id])
    campaign_page = reverse("applications:campaign_detail", args=[campaign.public_id])
    for official in (people.district, people.city):
        client.force_login(official)
        assert client.get(case).status_code == 404, official
        assert client.get(pdf).status_code == 404, official
        assert case not in client.get(company).content.decode()
        page = client.get(campaign_page).content.decode()
        # The campaign page names the draft in its list, without a way into it.
        assert people.enterprise.organisation.name in page and case not in page
    services.intake_submit(application=draft, actor=people.enterprise)
    for official in (people.district, people.city):
        client.force_login(official)
        assert client.get(case).status_code == 200
        assert case in client.get(company).content.decode()
        assert case in client.get(campaign_page).content.decode()
