"""The company page (scoped, with its applications and library status), the directory and the audit log (forms for
their parameters, constant queries, from → to on transitions), auth page titles."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import selectors, services
from accounts.choices import OrganisationStatus
from accounts.models import AuditAction, AuditEvent, Enterprise
from tests.factories import EnterpriseFactory
from tests.helpers import filled, pdf_bytes

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


# --- The company page ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "status"), [
    ("district", 200), ("city", 200), ("admin", 200),
    ("district_2", 404),
    ("enterprise", 403), ("enterprise_2", 403), ("park", 403), ("expert", 403), ("evaluator", 403),
    ("department", 403),
])
def test_the_company_page_is_open_to_its_district_and_the_city_only(client, people, role, status):
    company = people.enterprise.organisation
    client.force_login(getattr(people, role))
    response = client.get(reverse("accounts:enterprise_detail", args=[company.public_id]))
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert company.name in html
        assert company.credit_code in html
        assert "入库申请与培育库" in html


def test_the_company_page_shows_its_applications_and_library_status(client, people):
    from applications import services as intake
    from applications.models import CultivationCampaign
    with time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI), tick=False):
        campaign = CultivationCampaign.objects.create(
            year=2026, title="2026年绿色工厂培育工作", opens_on=date(2026, 2, 20), deadline=date(2026, 3, 15),
            key_sectors=["chemicals"], created_by=people.city)
        application = intake.intake_submit(application=filled(campaign, people.enterprise), actor=people.enterprise)
        client.force_login(people.city)
        url = reverse("accounts:enterprise_detail", args=[people.enterprise.organisation.public_id])
        html = client.get(url).content.decode()
        assert "2026年绿色工厂培育工作" in html
        assert "已提交待审核" in html
        assert "尚未纳入培育库" in html
        assert reverse("applications:intake_detail", args=[application.public_id]) in html

        from django.core.files.uploadedfile import SimpleUploadedFile

        intake.scan_upload(application=application, actor=people.enterprise,
                           uploaded_file=SimpleUploadedFile("scan.pdf", pdf_bytes()))
        intake.intake_accept(application=application, actor=people.district)
        html = client.get(url).content.decode()
        assert "已入库" in html
        assert "培育中" in html
        # Another enterprise's records are not on this company's page.
        other = client.get(reverse("accounts:enterprise_detail", args=[people.enterprise_2.organisation.public_id]))
        assert "2026年绿色工厂培育工作" not in other.content.decode()


def test_the_directory_links_to_the_company_page_and_the_navigation_highlights_the_directory(client, people):
    company = people.enterprise.organisation
    client.force_login(people.district)
    html = client.get(reverse("accounts:enterprise_list")).content.decode()
    detail = reverse("accounts:enterprise_detail", args=[company.public_id])
    assert detail in html
    page = client.get(detail).content.decode()
    active = [line for line in page.splitlines() if "nav-link" in line and " active" in line]
    assert len(active) == 1
    assert reverse("accounts:enterprise_list") in active[0]


def test_the_company_page_costs_the_same_queries_with_1_or_20_applications(client, people):
    from applications.models import CultivationCampaign, IntakeApplication

    company = people.enterprise.organisation
    client.force_login(people.city)
    url = reverse("accounts:enterprise_detail", args=[company.public_id])

    def add(year):
        campaign = CultivationCampaign.objects.create(year=year, title=f"{year}年", opens_on=date(year, 1, 1),
                                                      deadline=date(year, 2, 1), created_by=people.city)
        IntakeApplication.objects.create(
            campaign=campaign, enterprise=company, district=company.district, company_name=company.name,
            industry=company.industry, address="x", ownership_type=company.ownership_type,
            credit_code=company.credit_code, postal_code="400000", founded_on=date(2000, 1, 1),
            registered_capital=Decimal("100"), main_products="x")

    add(2020)
    one = _queries(client, url)
    for year in range(2021, 2040):
        add(year)
    assert _queries(client, url) == one


# --- The directory ---------------------------------------------------------------------------------------------------


def test_the_directory_filters_through_its_form_and_ignores_wrong_values(client, people):
    EnterpriseFactory(district=people.enterprise.organisation.district, name="甲乙丙化工",
                      status=OrganisationStatus.PENDING)
    client.force_login(people.city)
    url = reverse("accounts:enterprise_list")
    assert client.get(url, {"q": "甲乙丙"}).context["page"].paginator.count == 1
    assert client.get(url, {"status": "pending"}).context["page"].paginator.count == 1
    everyone = client.get(url).context["page"].paginator.count
    for junk in ({"status": "nonsense"}, {"district": "abc"}, {"district": "999999"}, {"page": "-3"},
                 {"page": "x" * 500}, {"q": "长" * 500}):
        response = client.get(url, junk)
        assert response.status_code == 200, junk
        assert response.context["page"].paginator.count == everyone, junk


def test_a_district_cannot_widen_the_directory_with_a_district_parameter(client, people):
    client.force_login(people.district)
    other = people.enterprise_2.organisation
    html = client.get(reverse("accounts:enterprise_list"), {"district": other.district_id}).content.decode()
    assert other.name not in html


def test_the_directory_costs_the_same_queries_for_1_and_50_rows(client, people):
    client.force_login(people.city)
    url = reverse("accounts:enterprise_list")
    one = _queries(client, url)
    EnterpriseFactory.create_batch(49)
    assert _queries(client, url) == one


def test_the_directory_lists_by_district_then_name_and_those_without_a_district_last_across_pages(people):
    changshou, yubei = people.enterprise.organisation.district, people.enterprise_2.organisation.district
    for name in ("丙公司", "甲公司", "乙公司"):
        EnterpriseFactory(district=changshou, name=name)
        EnterpriseFactory(district=yubei, name=f"渝{name}")
    homeless = [EnterpriseFactory(district=changshou, name=name) for name in ("无区县乙", "无区县甲")]
    Enterprise.objects.filter(pk__in=[e.pk for e in homeless]).update(district=None)
    rows = selectors.enterprise_list_for_user(people.city)
    everything = [e["name"] for e in rows[0:rows.count()]]
    expected = [e.name for e in Enterprise.objects.exclude(district=None).order_by("district__position", "name")]
    assert everything == [*expected, *sorted(e.name for e in homeless)]
    # Any window gives the same rows as the whole list cut there (a page may straddle the enterprises without one).
    total = rows.count()
    for start in range(total):
        for stop in range(start, total + 1):
            assert [e["name"] for e in selectors.enterprise_list_for_user(people.city)[start:stop]] == \
                everything[start:stop], (start, stop)


# --- The audit log ---------------------------------------------------------------------------------------------------


def test_a_transition_row_says_from_and_to_and_its_reason(client, people):
    pending = EnterpriseFactory(district=people.enterprise.organisation.district, status=OrganisationStatus.PENDING)
    services.registration_refuse(organisation=pending, actor=people.district, reason="营业执照照片不清晰")
    event = AuditEvent.objects.get(action=AuditAction.TRANSITION)
    assert event.detail["from"] == "pending"
    assert event.detail["to"] == "refused"
    client.force_login(people.city)
    html = client.get(reverse("accounts:audit_log")).content.decode()
    assert "待审核 → 注册未通过" in html
    row = _rows(client.get(reverse("accounts:audit_log"), {"action": "transition"}))[0]
    assert row["change"].split(" → ")[0] != "…"
    assert row["note"] == "营业执照照片不清晰"
    # The result and the time do not wrap one character per line.
    assert '<td class="text-nowrap"><span class="badge' in html


def test_a_refusal_row_names_its_kind_method_and_path(client, people):
    client.force_login(people.enterprise)
    client.get(reverse("accounts:audit_log"))
    client.force_login(people.city)
    row = _rows(client.get(reverse("accounts:audit_log"), {"action": "access_denied"}))[0]
    assert row["event"].action == AuditAction.ACCESS_DENIED
    assert row["change"] == "无权操作"
    assert row["note"] == "GET /accounts/audit/"


def test_the_audit_log_filters_through_its_form_and_ignores_wrong_values(client, people):
    services.audit_record(action=AuditAction.LOGIN, actor=people.district)
    services.audit_record(action=AuditAction.LOGOUT, actor=people.city)
    client.force_login(people.city)
    url = reverse("accounts:audit_log")
    assert [r["event"].action for r in _rows(client.get(url, {"action": "logout"}))] == ["logout"]
    assert {r["event"].username for r in _rows(client.get(url, {"username": "district"}))} == {
        "district-user"}
    for junk in ({"action": "drop table"}, {"username": "x" * 500}, {"page": "9999"}):
        assert client.get(url, junk).status_code == 200


def test_the_audit_log_costs_the_same_queries_for_1_and_50_rows(client, people):
    client.force_login(people.city)
    url = reverse("accounts:audit_log")
    pending = EnterpriseFactory(district=people.enterprise.organisation.district, status=OrganisationStatus.PENDING)
    services.registration_approve(organisation=pending, actor=people.district)
    one = _queries(client, url)
    for _ in range(49):
        services.audit_record(action=AuditAction.LOGIN, actor=people.district)
    assert _queries(client, url) == one


# --- Titles of the account pages -------------------------------------------------------------------------------------


def test_the_password_reset_result_is_titled_as_a_reset_not_a_new_account(client, people):
    client.force_login(people.city)
    response = client.post(reverse("accounts:account_reset_password", args=[people.district_2.public_id]))
    html = response.content.decode()
    assert "<title>密码已重置" in html
    assert "账号已创建" not in html


@pytest.mark.parametrize(("url_name", "title"), [
    ("accounts:login", "登录"), ("accounts:password_reset", "找回密码"), ("accounts:password_reset_done", "邮件已发送"),
    ("accounts:password_reset_complete", "密码已重设"), ("accounts:register", "企业注册"),
])
def test_each_public_account_page_has_its_own_title(client, url_name, title):
    assert f"<title>{title} - " in client.get(reverse(url_name)).content.decode()


def test_the_account_list_and_the_inbox_parse_their_parameters(client, people):
    client.force_login(people.city)
    url = reverse("accounts:account_list")
    assert {u["role"] for u in client.get(url, {"role": "district"}).context["page"]} == {"district"}
    for junk in ({"role": "root"}, {"q": "x" * 500}, {"page": "1e9"}, {"page": "-1"}):
        assert client.get(url, junk).status_code == 200, junk
        assert client.get(reverse("accounts:inbox"), junk).status_code == 200, junk


def _rows(response):
    """The rows of the audit log page a response shows (its markup is kept; the rows are what it was written from)."""
    from accounts.selectors import audit_rows

    return audit_rows(response.context["page"].object_list)
