"""The pages of certified titles: the city's (titles, a title, a decision's certificates with their progress and
downloads, the national recommendation) refused to every other role with nothing changed; the public ones — the
directory with its CSV and JSON, the certificate verification — open to anyone, rate-limited where they answer a
look-up, and showing nothing personal; the directory's queries pinned."""

import csv
import io
import json
import re
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AuditEvent
from applications.models import Certificate, CertificateBatch, Title
from applications.services import certificates as certificate_services
from applications.services import titles as services
from tests.applications.certification_setup import make_round
from tests.applications.titles_setup import CONTACT_NAMES, CONTACT_PHONES, granted

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_clock")]

PHONE = re.compile(r"(?<![0-9a-fA-F])1[3-9]\d{9}(?![0-9a-fA-F])")  # not digits inside the request id
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def decision(people):
    decision, _titles = granted(people, factories=2)
    return decision


def _title(people):
    return Title.objects.get(organisation=people.enterprise.organisation)


def city_pages(decision, title):
    return [reverse("applications:title_list"), reverse("applications:title_detail", args=[title.public_id]),
            reverse("applications:decision_certificates", args=[decision.public_id]),
            reverse("applications:certificates_status", args=[decision.public_id]),
            reverse("applications:national_export") + "?year=2026"]


# --- The city's pages ------------------------------------------------------------------------------------------------


def test_the_city_reads_its_pages(client, people, decision):
    title = _title(people)
    client.force_login(people.city)
    for url in city_pages(decision, title):
        assert client.get(url).status_code == 200, url
    page = client.get(reverse("applications:title_list"))
    assert "称号与证书" in page.content.decode() and title.number in page.content.decode()
    detail = client.get(reverse("applications:title_detail", args=[title.public_id])).content.decode()
    assert "择优推荐申报国家级" in detail and reverse("supervision:revocation_create", args=[title.public_id]) in detail


@pytest.mark.parametrize("role", ["district", "district_2", "enterprise", "park", "expert", "evaluator", "department",
                                  "admin"])
def test_every_other_role_is_refused_the_citys_pages_and_changes_nothing(client, people, decision, role):
    title = _title(people)
    client.force_login(getattr(people, role))
    for url in city_pages(decision, title) + [
            reverse("applications:certificates_zip", args=[decision.public_id]),
            reverse("applications:certificate_download", args=[title.public_id])]:
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("applications:certificates_start", args=[decision.public_id])).status_code == 403
    assert client.post(reverse("applications:title_national", args=[title.public_id]),
                       {"recommended": "on", "note": "x"}).status_code == 403
    assert not CertificateBatch.objects.exists()
    assert not Title.objects.filter(national_recommended=True).exists()


def test_anonymous_visitors_are_sent_to_the_login_page(client, people, decision):
    for url in city_pages(decision, _title(people)):
        assert client.get(url)["Location"].startswith(reverse("accounts:login"))


def test_an_unknown_title_or_decision_is_not_found(client, people, decision):
    client.force_login(people.city)
    missing = "00000000-0000-0000-0000-000000000000"
    for name in ("title_detail", "certificate_download", "decision_certificates", "certificates_zip", "decision_pdf"):
        assert client.get(reverse(f"applications:{name}", args=[missing])).status_code == 404, name


def test_the_city_starts_the_batch_watches_it_and_downloads_one_and_all(client, people, decision,
                                                                       django_capture_on_commit_callbacks):
    client.force_login(people.city)
    page = client.get(reverse("applications:decision_certificates", args=[decision.public_id])).content.decode()
    assert "portal/js/certificate_batch." in page and "<script>" not in page
    with django_capture_on_commit_callbacks(execute=True):  # the task is queued after commit (run eagerly here)
        response = client.post(reverse("applications:certificates_start", args=[decision.public_id]), follow=True)
    assert "证书正在生成" in response.content.decode()
    page = client.get(reverse("applications:decision_certificates", args=[decision.public_id])).content.decode()
    assert page.count("certificate-link") == 3 and "decision-pdf" in page
    status = client.get(reverse("applications:certificates_status", args=[decision.public_id])).json()
    assert status == {"status": "done", "label": "已完成", "done": 3, "total": 3, "percent": 100, "finished": True,
                      "error": ""}
    title = _title(people)
    one = client.get(reverse("applications:certificate_download", args=[title.public_id]))
    assert one.status_code == 200 and one["Content-Type"] == "application/pdf"
    assert b"".join(one.streaming_content).startswith(b"%PDF")
    archive = client.get(reverse("applications:certificates_zip", args=[decision.public_id]))
    assert len(zipfile.ZipFile(io.BytesIO(b"".join(archive.streaming_content))).namelist()) == 3
    document = client.get(reverse("applications:decision_pdf", args=[decision.public_id]))
    assert document.status_code == 200
    assert AuditEvent.objects.filter(action="download", object_type="applications.Title").exists()


def test_the_archive_before_any_certificate_says_so(client, people, decision):
    client.force_login(people.city)
    response = client.get(reverse("applications:certificates_zip", args=[decision.public_id]), follow=True)
    assert "尚未生成证书" in response.content.decode()


def test_the_city_marks_a_title_for_the_national_level_on_its_page(client, people, decision):
    title = _title(people)
    client.force_login(people.city)
    url = reverse("applications:title_national", args=[title.public_id])
    response = client.post(url, {"recommended": "on", "note": "单位产品能耗全国领先"}, follow=True)
    assert "择优推荐已保存" in response.content.decode()
    title.refresh_from_db()
    assert title.national_recommended and title.national_note == "单位产品能耗全国领先"
    assert client.post(url, {"recommended": "on", "note": "长" * 201}).status_code == 400
    export = client.get(reverse("applications:national_export") + "?year=2026")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


# --- The public directory ------------------------------------------------------------------------------------------


def test_the_directory_is_public_and_filters(client, people, decision):
    response = client.get(reverse("applications:title_directory"))
    body = response.content.decode()
    assert response.status_code == 200 and "CQGF-2026-0001" in body and "CQGP-2026-0001" in body
    park_only = client.get(reverse("applications:title_directory") + "?kind=park").content.decode()
    assert "CQGP-2026-0001" in park_only and "CQGF-2026-0001" not in park_only
    by_name = client.get(reverse("applications:title_directory"), {"q": people.enterprise_2.organisation.name[-6:]})
    assert people.enterprise_2.organisation.name in by_name.content.decode()
    assert people.enterprise.organisation.name not in by_name.content.decode()
    ignored = client.get(reverse("applications:title_directory") + "?year=abc&district=999999&status=x")
    assert ignored.status_code == 200 and "CQGP-2026-0001" in ignored.content.decode()


def test_the_downloads_hold_exactly_the_filtered_rows(client, people, decision):
    query = "?kind=factory&district=" + str(people.enterprise.organisation.district_id)
    shown = client.get(reverse("applications:title_directory") + query).content.decode()
    rows = list(csv.reader(io.StringIO(b"".join(client.get(
        reverse("applications:title_directory_csv") + query).streaming_content).decode("utf-8-sig"))))
    data = client.get(reverse("applications:title_directory_json") + query).json()
    assert rows[0][0] == "证书编号" and len(rows) == 2
    assert [row[0] for row in rows[1:]] == [t["number"] for t in data["titles"]] == [_title(people).number]
    assert data["count"] == 1 and _title(people).number in shown
    exports = AuditEvent.objects.filter(action="export", detail__list="title_directory")
    assert sorted(exports.values_list("detail__format", flat=True)) == ["csv", "json"]


def test_a_csv_cell_that_looks_like_a_formula_stays_text(client, people, decision):
    Title.objects.filter(pk=_title(people).pk).update(name="=HYPERLINK(\"http://x\")有限公司")
    content = b"".join(client.get(reverse("applications:title_directory_csv")).streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in content


def _directory_queries(client, url):
    client.get(url)  # the first request fills the per-process reference data (districts, industries)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_directory_costs_the_same_queries_for_1_and_many_rows(client, people):
    granted(people, factories=1, park=False)
    url = reverse("applications:title_directory")
    one = _directory_queries(client, url)
    granted(people, factories=12, park=True, certification_round=make_round(people, year=2025), number=2)
    assert Title.objects.count() > 10
    # The count for the pagination; the districts' and the industries' options of the filters (reference data, kept
    # across requests when a shared cache is configured: the tests count without it); the page's rows with their
    # history (one query: the revocation's cause and the ban's end are subqueries).
    assert _directory_queries(client, url) == one == 4
    # The downloads: the audit record of the export, then the rows.
    assert _directory_queries(client, reverse("applications:title_directory_json")) == 2
    with CaptureQueriesContext(connection) as queries:
        b"".join(client.get(reverse("applications:title_directory_csv")).streaming_content)
    assert len(queries) == 2


# --- Verification --------------------------------------------------------------------------------------------------


def test_verification_of_a_valid_a_revoked_and_an_unknown_number(client, people, decision):
    valid, revoked = Title.objects.filter(unit_kind="factory").order_by("number")
    services.title_revoke(title=revoked, actor=people.city,
                          cause="第十七条（五）发生较大及以上安全、环境、质量等事故的",
                          document_number="渝经信节能〔2026〕30号")
    page = client.get(reverse("applications:title_verify"), {"number": valid.number}).content.decode()
    assert "有效" in page and valid.name in page and "已撤销" not in page
    by_path = client.get(reverse("applications:title_verify_number", args=[valid.number.lower()])).content.decode()
    assert "有效" in by_path and valid.name in by_path
    page = client.get(reverse("applications:title_verify"), {"number": revoked.number}).content.decode()
    assert "已撤销" in page and "2026-03-02" in page and "第十七条（五）" in page and "渝经信节能〔2026〕30号" in page
    page = client.get(reverse("applications:title_verify"), {"number": "CQGF-2026-9999"}).content.decode()
    assert "未查到" in page and "有效" not in page.split("verify-result")[1]
    assert "verify-result" not in client.get(reverse("applications:title_verify")).content.decode()


def test_verification_is_rate_limited_per_address(client, people, decision, settings):
    settings.TITLE_VERIFY_RATE = "3/m"
    answers = [client.get(reverse("applications:title_verify"), {"number": f"CQGF-2026-{n:04d}"}).status_code
               for n in range(5)]
    assert answers == [200, 200, 200, 429, 429]


# --- Nothing personal on the public pages --------------------------------------------------------------------------


def test_the_public_pages_show_no_contact_phone_email_or_staff_name(client, people, decision):
    title = _title(people)
    services.title_revoke(title=Title.objects.get(unit_kind="park"), actor=people.city,
                          cause="第十七条（三）被依法终止的", document_number="渝经信节能〔2026〕31号")
    certificate_services.certificate_issue(title=title, actor=people.city)
    private = [*CONTACT_NAMES, *CONTACT_PHONES, people.city.get_full_name(), people.city.username,
               people.enterprise.get_full_name(), people.enterprise.email, people.city.email]
    pages = {
        "directory": client.get(reverse("applications:title_directory")).content.decode(),
        "csv": b"".join(client.get(reverse("applications:title_directory_csv")).streaming_content).decode(),
        "json": json.dumps(client.get(reverse("applications:title_directory_json")).json(), ensure_ascii=False),
        "verify": client.get(reverse("applications:title_verify"), {"number": title.number}).content.decode(),
        "revoked": client.get(reverse("applications:title_verify"), {"number": "CQGP-2026-0001"}).content.decode(),
    }
    for name, content in pages.items():
        assert title.name in content or "CQGP-2026-0001" in content, name
        for value in private:
            assert value not in content, (name, value)
        assert not PHONE.search(content), (name, PHONE.search(content))
        assert not EMAIL.search(content), (name, EMAIL.search(content))
    assert Certificate.objects.count() == 1
