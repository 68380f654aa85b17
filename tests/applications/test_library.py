"""The city's 培育库 page and its Excel export: the enterprise list first, a one-year target summary that follows the
district filter, the columns officials use, user text written as text, and query counts that do not grow with rows."""

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AuditAction, AuditEvent
from applications.models import CultivationCampaign, LibraryEntry
from tests.factories import EnterpriseFactory, UserFactory, district
from tests.helpers import SHANGHAI, admit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_clock")]


def sheet(response):
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content)).active


# --- The page ------------------------------------------------------------------------------------------------------


def test_the_enterprise_list_comes_before_the_target_summary(client, people, campaign):
    admit(campaign, people.enterprise, people.district)
    client.force_login(people.city)
    html = client.get(reverse("applications:library")).content.decode()
    assert html.index('id="library"') < html.index('id="library-progress"')


def test_the_summary_covers_one_year_and_follows_the_district_filter(client, people, campaign):
    CultivationCampaign.objects.create(year=2025, title="2025年培育", opens_on=date(2025, 2, 20),
                                       deadline=date(2025, 3, 15), created_by=people.city)
    admit(campaign, people.enterprise, people.district)
    client.force_login(people.city)
    summary = client.get(reverse("applications:library")).context["summary"]
    # The latest year only: one row per district, never districts × years.
    assert summary["year"] == 2026
    assert len(summary["rows"]) == 41
    assert summary["totals"] == {"districts": 41, "count": 1, "target": 410, "met": 0}
    changshou = district("长寿区")
    summary = client.get(reverse("applications:library") + f"?district={changshou.pk}").context["summary"]
    assert [(r["district"].name, r["count"], r["target"]) for r in summary["rows"]] == [("长寿区", 1, 10)]
    assert summary["totals"]["count"] == 1
    summary = client.get(reverse("applications:library") + "?year=2025").context["summary"]
    assert summary["year"] == 2025 and summary["totals"]["count"] == 0
    # A district sees its own row only.
    client.force_login(people.district_2)
    summary = client.get(reverse("applications:library")).context["summary"]
    assert [r["district"].name for r in summary["rows"]] == ["渝北区"]


def test_the_summary_never_reads_missed_before_or_during_the_campaign(client, people, campaign):
    client.force_login(people.district)
    html = client.get(reverse("applications:library")).content.decode()
    assert "进行中" in html and "未达目标" not in html
    with time_machine.travel(datetime(2026, 2, 10, 9, 0, tzinfo=SHANGHAI), tick=False):
        client.force_login(people.district)
        html = client.get(reverse("applications:library")).content.decode()
        assert "尚未开始" in html and "未达目标" not in html
    with time_machine.travel(datetime(2026, 3, 16, 9, 0, tzinfo=SHANGHAI), tick=False):
        client.force_login(people.district)  # the idle session has expired by then
        assert "未达目标" in client.get(reverse("applications:library")).content.decode()


def test_a_bad_filter_value_is_ignored_not_an_error(client, people, campaign):
    client.force_login(people.city)
    for query in ("?year=abc", "?year=99999", "?district=x"):
        assert client.get(reverse("applications:library") + query).status_code == 200
        assert client.get(reverse("applications:library_export") + query).status_code == 200
    # A NUL byte is refused for the whole portal (greenfactory.middleware.NulByteMiddleware), in Chinese.
    for name in ("applications:library", "applications:library_export"):
        response = client.get(reverse(name) + "?year=2026%00")
        assert response.status_code == 400
        assert "请求" in response.content.decode()


def test_the_district_and_industry_filters_check_the_listed_options_without_reading_them_again(
        client, people, campaign, django_assert_num_queries, settings):
    from accounts.models import District, Industry
    from applications.forms import LibraryFilterForm

    admit(campaign, people.enterprise, people.district)
    district, industry = people.enterprise.organisation.district, people.enterprise.organisation.enterprise.industry
    other = District.objects.exclude(pk=district.pk).first()
    settings.PORTAL_SHELL_CACHE_SECONDS = 60
    assert LibraryFilterForm({"district": str(district.pk), "industry": str(industry.pk)}).is_valid()
    form = LibraryFilterForm({"district": str(district.pk), "industry": str(industry.pk)})
    with django_assert_num_queries(0):  # the option lists kept; the rows chosen not read
        assert form.is_valid()
    assert form.cleaned_data["district"].pk == district.pk and form.cleaned_data["industry"].pk == industry.pk
    for value in ("999999", "x", "1.5", "-1"):
        bad = LibraryFilterForm({"district": value})
        assert not bad.is_valid() and "district" in bad.errors
    client.force_login(people.city)
    name = people.enterprise.organisation.name
    assert name in client.get(reverse("applications:library"), {"district": district.pk}).content.decode()
    assert name not in client.get(reverse("applications:library"), {"district": other.pk}).content.decode()
    assert name in client.get(reverse("applications:library"), {"industry": industry.pk}).content.decode()
    assert name not in client.get(reverse("applications:library"), {
        "industry": Industry.objects.exclude(pk=industry.pk).first().pk}).content.decode()


# --- The export ----------------------------------------------------------------------------------------------------


def test_the_export_has_a_title_row_the_officials_columns_real_dates_and_a_frozen_header(client, people, campaign):
    admit(campaign, people.enterprise, people.district, output_value=Decimal("8600.50"), preparer_name="张明",
          preparer_phone="13800138000")
    client.force_login(people.city)
    ws = sheet(client.get(reverse("applications:library_export") + "?year=2026"))
    assert ws["A1"].value == "绿色工厂培育库（2026年，导出时间2026-03-02 10:00）"
    assert [c.value for c in ws[2]] == ["培育年度", "区县", "公司名称", "统一社会信用代码", "所属行业", "重点行业",
                                        "产值（万元）", "联系人", "联系电话", "培育状态", "入库时间", "最近评估得分"]
    row = [c for c in ws[3]]
    assert row[0].value == 2026 and row[0].data_type == "n"
    assert row[2].value == people.enterprise.organisation.name
    assert row[6].value == pytest.approx(8600.5) and row[6].data_type == "n"
    assert (row[7].value, row[8].value) == ("张明", "13800138000")
    assert row[8].data_type == "s"  # a phone number stays text (no lost leading digits, no 1.38E+10)
    assert row[10].is_date and row[10].value.date() == date(2026, 3, 2)
    assert row[11].value is None  # not assessed yet
    assert ws.freeze_panes == "A3"
    assert ws.column_dimensions["C"].width >= 30
    export = AuditEvent.objects.filter(action=AuditAction.EXPORT).get()
    assert export.detail == {"rows": 1, "filters": {"year": "2026"}}


@pytest.mark.parametrize("name", ['=HYPERLINK("http://evil.example/","点击")', "+1", "-1+2", "@SUM(1)",
                                  "\t=1+1", "\r=1+1"])
def test_user_text_that_looks_like_a_formula_is_exported_as_text(client, people, campaign, name):
    enterprise = EnterpriseFactory(district=district("长寿区"), name=name)
    user = UserFactory(organisation=enterprise)
    admit(campaign, user, people.district, preparer_name=name[:50] if name[0] not in "\t\r" else "=1+1",
          profile_text="x")
    client.force_login(people.district)
    ws = sheet(client.get(reverse("applications:library_export")))
    row = [c for c in ws[3]]
    # The reader turns a stored CR into LF; the text itself is kept.
    assert row[2].value.replace("\n", "\r") == name.replace("\n", "\r")
    assert row[2].data_type == "s", "a formula cell"
    assert row[7].data_type == "s"
    assert row[2].quotePrefix


# --- Query counts --------------------------------------------------------------------------------------------------


def _fill_library(campaign, people, n):
    for _ in range(n - LibraryEntry.objects.count()):
        user = UserFactory(organisation=EnterpriseFactory(district=district("长寿区")))
        admit(campaign, user, people.district)


@pytest.mark.parametrize("rows", [1, 50])
def test_the_library_page_costs_the_same_queries_for_1_and_50_rows(
        client, people, campaign, rows, django_assert_num_queries):
    _fill_library(campaign, people, rows)
    client.force_login(people.city)
    url = reverse("applications:library")
    client.get(url)  # warm the session
    # 1 session, 2 user with organisation, 3 the page's count, 4 the latest campaign year, 5 that year's campaigns,
    # 6 their targets, 7 admissions per district, 8 the districts of the summary, 9 the city's to-do count, 10 the
    # unread inbox count, 11–12 the filter form's districts and industries, 13 the rows (enterprise and application
    # joined), 14–16 the names of districts and industries and the campaigns' years they show (reference data: with a
    # cache, kept in each process and not read again) (the session is not written again within a minute of the login).
    with django_assert_num_queries(LIBRARY_PAGE_QUERIES):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("rows", [1, 50])
def test_the_export_costs_the_same_queries_for_1_and_50_rows(
        client, people, campaign, rows, django_assert_num_queries):
    _fill_library(campaign, people, rows)
    client.force_login(people.city)
    url = reverse("applications:library_export")
    client.get(url)
    # 1 session, 2 user with organisation, 3 the rows (campaign, district, industry, enterprise, application joined,
    # streamed), 4 the audit record.
    with django_assert_num_queries(EXPORT_QUERIES):
        response = client.get(url)
    assert sheet(response).max_row == rows + 2


LIBRARY_PAGE_QUERIES = 16
EXPORT_QUERIES = 4


def test_the_page_lists_each_districts_entries_newest_first(client, people):
    from tests.factories import LibraryEntryFactory

    changshou, yubei = district("长寿区"), district("渝北区")
    entries = LibraryEntryFactory.create_batch(4)
    for entry, (where, day) in zip(entries, [(changshou, 3), (changshou, 5), (yubei, 9), (changshou, 4)],
                                   strict=True):
        LibraryEntry.objects.filter(pk=entry.pk).update(
            district=where, entered_at=datetime(2026, 3, day, 10, tzinfo=SHANGHAI))
    names = [e.enterprise.name for e in entries]

    def order(html):
        return sorted(names, key=lambda name: html.index(name) if name in html else len(html))

    # The city: the districts in their order (渝北区 before 长寿区), each newest first.
    client.force_login(people.city)
    assert yubei.position < changshou.position
    assert order(client.get(reverse("applications:library")).content.decode()) == [
        names[2], names[1], names[3], names[0]]
    assert order(client.get(reverse("applications:library") + f"?district={changshou.pk}").content.decode())[:3] == [
        names[1], names[3], names[0]]
    # A district official: its own, newest first (the order the index gives, without the district joined).
    client.force_login(people.district)
    html = client.get(reverse("applications:library")).content.decode()
    assert order(html)[:3] == [names[1], names[3], names[0]] and names[2] not in html


@pytest.mark.parametrize(("value", "number"), [("0", 1), ("-1", 1), ("abc", 1), ("2", 2), ("99", 2)])
def test_a_page_number_out_of_range_gives_the_first_or_the_last_page(client, people, campaign, value, number):
    _fill_library(campaign, people, 51)
    client.force_login(people.city)
    response = client.get(reverse("applications:library"), {"page": value})
    assert response.status_code == 200
    assert response.context["page"].number == number
