"""The cultivation pages for every role: who sees the entry's cultivation page, the assessment, the scoring sheet,
the report and the measures (404 outside scope, 403 for the wrong role in scope); the forms through the views; the
library's score filter; queries pinned on the district's plan overview and the expert's queue."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from applications.models import LibraryStatus, ReviewTask
from evaluation.models import Assessment, EnergyCarrier, ExpertScoring, ImprovementMeasure
from evaluation.services import assessment_confirm, figures_save, plan_draft_from_gaps, scoring_save
from tests.evaluation.test_assessments import assign, due, items_of, scored
from tests.evaluation.test_assessments import entry as entry  # noqa: F401,PLC0414  (the fixture)
from tests.evaluation.test_figures import RAW
from tests.factories import EnterpriseUserFactory, ExpertUserFactory, LibraryEntryFactory, pdf_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_clock")]

ROLES = ("district", "district_2", "city", "enterprise", "enterprise_2", "expert", "evaluator", "department")


def status_of(client, user, url):
    client.force_login(user)
    status = client.get(url).status_code
    client.logout()
    return status


def test_the_cultivation_page_for_every_role(client, people, entry):
    url = reverse("evaluation:cultivation", args=[entry.public_id])
    outsider = ExpertUserFactory(organisation=people.expert.organisation)
    assign(people, entry)
    expected = {"district": 200, "district_2": 404, "city": 200, "enterprise": 200, "enterprise_2": 404,
                "expert": 200, "evaluator": 404, "department": 404}
    assert {role: status_of(client, getattr(people, role), url) for role in ROLES} == expected
    assert status_of(client, outsider, url) == 404
    assert client.get(url).status_code == 302  # signed out: to the login page


def test_the_assessment_page_scope_and_what_the_enterprise_sees_before_confirmation(client, people, entry):
    assessment = scored(people, entry)
    url = reverse("evaluation:assessment_detail", args=[assessment.public_id])
    outsider = ExpertUserFactory(organisation=people.expert.organisation)
    assert status_of(client, outsider, url) == 404
    assert status_of(client, people.district_2, url) == 404
    assert status_of(client, people.enterprise_2, url) == 404
    client.force_login(people.district)
    page = client.get(url).content.decode()
    assert "评估结果（按已提交的专家评分计算，尚未确认）" in page and "<svg" in page
    client.force_login(people.enterprise)
    page = client.get(url).content.decode()
    assert 'id="total"' not in page and people.expert.username not in page  # no scores, no experts before it is done
    assessment_confirm(assessment=assessment, actor=people.district)
    page = client.get(url).content.decode()
    assert 'id="total"' in page and "评估结果（已确认）" in page and "report.pdf" in page


def test_the_scoring_sheet_is_only_the_assigned_experts(client, people, entry):
    sheet = assign(people, entry)
    url = reverse("evaluation:scoring_edit", args=[sheet.assessment.public_id])
    outsider = ExpertUserFactory(organisation=people.expert.organisation)
    assert status_of(client, outsider, url) == 404
    assert status_of(client, people.district, url) == 404
    assert status_of(client, people.enterprise, url) == 404
    assert status_of(client, people.expert, url) == 200


def sheet_data(system, **overrides):
    data = {"visited_on": timezone.localdate().isoformat(), "opinion": "现场管理规范"}
    for indicator in system.indicators.all():
        if indicator.kind == "veto":
            data[f"passed_{indicator.pk}"] = "pass"
        elif indicator.kind == "qualitative":
            data[f"points_{indicator.pk}"] = str(indicator.points)
        data[f"comment_{indicator.pk}"] = "查阅记录"
    data.update(overrides)
    return data


def test_the_expert_saves_is_told_what_is_wrong_then_submits_through_the_page(client, people, entry):
    sheet = assign(people, entry)
    system = sheet.assessment.system
    url = reverse("evaluation:scoring_edit", args=[sheet.assessment.public_id])
    client.force_login(people.expert)
    e2 = system.indicators.get(code="E2")
    response = client.post(url, {**sheet_data(system), f"points_{e2.pk}": "30", "save": "1"})
    assert response.status_code == 400
    assert "20" in response.content.decode()  # the bound is said at the field
    response = client.post(url, {**sheet_data(system), "save": "1"})
    assert response.status_code == 302
    assert ExpertScoring.objects.get(pk=sheet.pk).items.count() == system.indicators.count()
    response = client.post(url, {**sheet_data(system), "submit": "1"})
    assert response.status_code == 302
    assert ExpertScoring.objects.get(pk=sheet.pk).submitted_at is not None
    assert ReviewTask.objects.get(pk=sheet.task_id).status == "done"
    # Submitted: the sheet leads back to the assessment.
    assert client.get(url).status_code == 302


def test_assigning_through_the_page_for_each_role(client, people, entry):
    url = reverse("evaluation:assign_expert", args=[entry.public_id])
    data = {"expert": people.expert.pk, "due_on": due().isoformat(), "note": "请于月底前完成"}
    client.force_login(people.district_2)
    assert client.post(url, data).status_code == 404
    client.force_login(people.enterprise)
    assert client.post(url, data).status_code == 403
    client.force_login(people.district)
    assert client.post(url, {**data, "due_on": "2000-01-01"}).status_code == 400
    assert client.post(url, data).status_code == 302
    assert Assessment.objects.filter(entry=entry).count() == 1


def test_confirming_and_marking_ready_through_the_actions(client, people, entry):
    assessment = scored(people, entry)
    confirm = reverse("evaluation:assessment_action", args=[assessment.public_id, "confirm"])
    for user, status in ((people.district_2, 404), (people.expert, 403), (people.enterprise, 403)):
        client.force_login(user)
        assert client.post(confirm, {"reason": "同意"}).status_code == status
    assert Assessment.objects.get(pk=assessment.pk).status == "scoring"
    report = reverse("evaluation:report_pdf", args=[assessment.public_id])
    client.force_login(people.district)
    assert client.get(report).status_code == 409
    assert client.post(confirm, {"reason": "同意"}).status_code == 302
    response = client.get(report)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    ready = reverse("evaluation:entry_action", args=[entry.public_id, "mark_ready"])
    client.force_login(people.city)
    assert client.post(ready, {"ready-reason": ""}).status_code == 403
    client.force_login(people.district)
    assert client.post(ready, {"ready-reason": "具备申报条件"}).status_code == 302
    entry.refresh_from_db()
    assert entry.status == LibraryStatus.READY and entry.readiness_note == "具备申报条件"
    assert client.post(ready, {"ready-reason": "再次"}).status_code == 409


def test_the_enterprise_reports_progress_with_evidence_and_the_district_only_reads(client, people, entry):
    assessment = scored(people, entry)
    measure = plan_draft_from_gaps(assessment=assessment, actor=people.expert)[0]
    assessment_confirm(assessment=assessment, actor=people.district)
    detail = reverse("evaluation:measure_detail", args=[measure.public_id])
    progress = reverse("evaluation:measure_progress", args=[measure.public_id])
    evidence = reverse("evaluation:measure_evidence_upload", args=[measure.public_id])
    client.force_login(people.district)
    assert client.get(detail).status_code == 200
    assert client.post(progress, {"progress": "区县代填"}).status_code == 403
    client.force_login(people.enterprise_2)
    assert client.get(detail).status_code == 404
    client.force_login(people.enterprise)
    assert client.post(progress, {"progress": ""}).status_code == 400
    assert client.post(progress, {"progress": "设备已到货"}).status_code == 302
    client.post(evidence, {"file": SimpleUploadedFile("到货单.pdf", pdf_bytes(), "application/pdf")})
    page = client.get(detail).content.decode()
    assert "设备已到货" in page and "到货单.pdf" in page
    finish = reverse("evaluation:measure_action", args=[measure.public_id, "finish"])
    assert client.post(finish, {"finish-reason": "已投运"}).status_code == 302
    assert ImprovementMeasure.objects.get(pk=measure.pk).status == "done"


def test_the_library_filters_by_score_band(client, people, entry):
    other = LibraryEntryFactory(application__district=entry.district)
    assessment_confirm(assessment=scored(people, entry), actor=people.district)
    client.force_login(people.district)
    url = reverse("applications:library")
    name, other_name = entry.enterprise.name, other.enterprise.name
    page = client.get(url, {"score": "60to80"}).content.decode()
    assert name in page and other_name not in page
    page = client.get(url, {"score": "none"}).content.decode()
    assert name not in page and other_name in page
    assert name not in client.get(url, {"score": "80up"}).content.decode()
    # The row links to the entry's cultivation page and shows the score.
    page = client.get(url).content.decode()
    assert reverse("evaluation:cultivation", args=[entry.public_id]) in page and "71.11" in page


# --- Queries pinned --------------------------------------------------------------------------------------------------


def confirmed_plans(people, count):
    """``count`` library entries of the district with confirmed assessments and a measure each."""
    for _ in range(count):
        made = LibraryEntryFactory(application__district=people.district.organisation.district)
        from evaluation.demo import demo_indicator_system

        if not Assessment.objects.exists():
            demo_indicator_system([made.industry])
        system_industries = made.industry
        from evaluation.models import IndicatorSystem

        IndicatorSystem.objects.get(code="演示体系").industries.add(system_industries)
        electricity = EnergyCarrier.objects.get(code="electricity").pk
        figures_save(unit=made.enterprise, year=timezone.localdate().year - 1, data=RAW,
                     energy={electricity: 1000},
                     actor=EnterpriseUserFactory(organisation=made.enterprise))
        sheet = assign(people, made)
        scoring_save(expert_scoring=sheet, actor=people.expert, visited_on=timezone.localdate(), opinion="",
                     items=items_of(sheet.assessment.system, E2=10), submit=True)
        plan_draft_from_gaps(assessment=sheet.assessment, actor=people.expert, limit=1)
        assessment_confirm(assessment=sheet.assessment, actor=people.district)


@pytest.mark.parametrize("rows", [1, 12])
def test_the_plan_overview_costs_the_same_queries_for_1_and_12_rows(client, people, rows, django_assert_num_queries):
    confirmed_plans(people, rows)
    client.force_login(people.district)
    url = reverse("evaluation:plan_overview")
    client.get(url)
    # session, user, the count, the rows (the enterprise's name a subquery), the district names (reference data, kept
    # in each process with a cache), the district's four to-do counts (registrations, identity changes, intake,
    # certification), the unread count.
    with django_assert_num_queries(10):
        response = client.get(url)
    assert response.content.decode().count('href="/evaluation/measures/') == rows


@pytest.mark.parametrize("rows", [1, 12])
def test_the_experts_queue_costs_the_same_queries_for_1_and_12_assignments(
        client, people, rows, django_assert_num_queries):
    from evaluation.demo import demo_indicator_system

    for index in range(rows):
        made = LibraryEntryFactory()
        if index == 0:
            demo_indicator_system([made.industry])
        assign(people, made, actor=people.city)
    client.force_login(people.expert)
    url = reverse("applications:review_task_list")
    client.get(url)
    # session, user, the tasks with their assigners, the library entries with campaign and enterprise (one query for
    # every entry), the to-do count of open tasks, the unread count.
    with django_assert_num_queries(6):
        response = client.get(url)
    assert response.content.decode().count('href="/evaluation/cultivation/') == rows


def test_the_city_overview_counts_each_districts_library(client, people, entry):
    assessment_confirm(assessment=scored(people, entry), actor=people.district)
    LibraryEntryFactory(application__district=entry.district)
    client.force_login(people.district)
    assert client.get(reverse("evaluation:cultivation_overview")).status_code == 403
    client.force_login(people.city)
    page = client.get(reverse("evaluation:cultivation_overview")).content.decode()
    row = page.split(f"<td>{entry.district.name}</td>", 1)[1].split("</tr>", 1)[0]
    # 2 entries, 1 assessed, mean 71.11, 0 ready.
    cells = [cell.split("</td>")[0] for cell in row.split('<td class="text-end">')[1:]]
    assert cells[:4] == ["2", "1", "71.11", "0"]
    assert "<svg" in page


def test_the_enterprise_home_shows_its_cultivation(client, people, entry):
    assessment = scored(people, entry)
    plan_draft_from_gaps(assessment=assessment, actor=people.expert)
    assessment_confirm(assessment=assessment, actor=people.district)
    client.force_login(people.enterprise)
    page = client.get("/").content.decode()
    panel = page.split('id="home-cultivation"', 1)[1]
    assert "71.11" in panel and "report.pdf" in panel and "2 个改造项目进行中" in panel
    client.force_login(people.enterprise_2)
    assert 'id="home-cultivation"' not in client.get("/").content.decode()


# --- Found by outside testers --------------------------------------------------------------------------------------


def test_a_saved_date_comes_back_in_the_date_input_in_chinese(client, people, entry):
    sheet = assign(people, entry)
    url = reverse("evaluation:scoring_edit", args=[sheet.assessment.public_id])
    client.force_login(people.expert)
    client.post(url, {**sheet_data(sheet.assessment.system, visited_on="2026-02-27"), "save": "1"})
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'value="2026-02-27"' in page


def test_uploading_evidence_keeps_the_scores_typed_beside_it(client, people, entry):
    sheet = assign(people, entry)
    system = sheet.assessment.system
    e2 = system.indicators.get(code="E2")
    client.force_login(people.expert)
    response = client.post(reverse("evaluation:scoring_edit", args=[sheet.assessment.public_id]), {
        **sheet_data(system), f"points_{e2.pk}": "13", "upload": "1",
        "file": SimpleUploadedFile("现场照片.pdf", pdf_bytes(), "application/pdf")})
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.items.get(indicator=e2).points == 13 and sheet.evidence.count() == 1


def test_a_bad_number_in_the_scoring_table_is_said_at_its_row(client, people, entry):
    sheet = assign(people, entry)
    system = sheet.assessment.system
    e2 = system.indicators.get(code="E2")
    client.force_login(people.expert)
    response = client.post(reverse("evaluation:scoring_edit", args=[sheet.assessment.public_id]),
                           {**sheet_data(system), f"points_{e2.pk}": "abc", "save": "1"})
    assert response.status_code == 400
    row = response.content.decode().split(f'id="error-item-{e2.pk}"', 1)[1].split("</div>", 1)[0]
    assert "数" in row  # the number field's own message, in Chinese


def test_an_assessment_task_is_not_completed_from_the_task_list(client, people, entry):
    sheet = assign(people, entry)
    client.force_login(people.expert)
    client.post(reverse("applications:review_task_action", args=[sheet.task.public_id, "accept"]))
    page = client.get(reverse("applications:review_task_list")).content.decode()
    assert "完成任务" not in page
    response = client.post(reverse("applications:review_task_action", args=[sheet.task.public_id, "complete"]),
                           {"reason": "未评分"})
    assert response.status_code == 409
    assert ReviewTask.objects.get(pk=sheet.task_id).status == "accepted"


def test_each_progress_report_is_kept(client, people, entry):
    assessment = scored(people, entry)
    measure = plan_draft_from_gaps(assessment=assessment, actor=people.expert)[0]
    assessment_confirm(assessment=assessment, actor=people.district)
    client.force_login(people.enterprise)
    url = reverse("evaluation:measure_progress", args=[measure.public_id])
    client.post(url, {"progress": "设备已招标"})
    client.post(url, {"progress": "设备已安装"})
    client.force_login(people.district)
    page = client.get(reverse("evaluation:measure_detail", args=[measure.public_id])).content.decode()
    assert "设备已招标" in page and "设备已安装" in page


def test_a_required_item_cannot_be_marked_not_applicable(people, entry):
    from django.core.exceptions import ValidationError

    sheet = assign(people, entry)
    e1 = sheet.assessment.system.indicators.get(code="E1")   # 必选
    with pytest.raises(ValidationError) as error:
        scoring_save(expert_scoring=sheet, actor=people.expert, visited_on=None, opinion="",
                     items={e1.pk: {"applicable": False}})
    assert "必选" in str(error.value)


def test_an_enterprise_outside_the_library_is_told_so(client, people):
    client.force_login(people.enterprise_2)
    response = client.get(reverse("evaluation:my_cultivation"))
    assert response.status_code == 200 and "尚未纳入绿色工厂培育库" in response.content.decode()
    client.force_login(people.district)
    assert client.get(reverse("evaluation:my_cultivation")).status_code == 403


def test_the_expert_adds_and_edits_a_measure_with_its_checks(client, people, entry):
    sheet = assign(people, entry)
    assessment = sheet.assessment
    client.force_login(people.expert)
    add = reverse("evaluation:measure_add", args=[assessment.public_id])
    assert client.get(add).status_code == 200
    data = {"category": "energy_mix", "title": "空压机余热回收", "indicator": "", "expected_effect": "节电5%",
            "investment": "120", "owner": "设备部", "due_on": "2026-12-31"}
    response = client.post(add, {**data, "investment": "-1", "due_on": "2020-01-01"})
    assert response.status_code == 400 and "空压机余热回收" in response.content.decode()
    assert client.post(add, data).status_code == 302
    measure = ImprovementMeasure.objects.get(title="空压机余热回收")
    edit = reverse("evaluation:measure_edit", args=[measure.public_id])
    assert 'value="2026-12-31"' in client.get(edit).content.decode()
    client.force_login(people.enterprise)
    assert client.get(edit).status_code == 403


def test_user_text_is_never_taken_for_the_tokens_place(client, people, entry, settings):
    settings.PORTAL_SHELL_CACHE_SECONDS = 60
    assessment = scored(people, entry)
    measure = plan_draft_from_gaps(assessment=assessment, actor=people.expert)[0]
    assessment_confirm(assessment=assessment, actor=people.district)
    client.force_login(people.enterprise)
    typed = "进展 csrf-token-of-the-view-7f3e1c 完"
    client.post(reverse("evaluation:measure_progress", args=[measure.public_id]), {"progress": typed})
    client.force_login(people.district)
    url = reverse("evaluation:measure_detail", args=[measure.public_id])
    client.get(url)
    assert typed in client.get(url).content.decode()
