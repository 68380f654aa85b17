"""Certification's pages for every role: the round pages, the applicant's page, the case page with each form posted
through it, the sheets, the district's queue and recommended list, the register; 404 out of scope, 403 for a role
that may never act; queries pinned on the district's queue and the evaluator's list."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation, OrganisationKind, Role
from applications import services
from applications.models import CertificationApplication, CertificationRound, CertificationStatus, ReviewTask
from evaluation.models import EvaluationReport, EvaluatorOrganisation, SelfEvaluation
from tests.applications.certification_setup import (
    all_ok,
    answer_conditions,
    commissioned,
    evaluated,
    make_round,
    ready_entry,
    register,
    sheet_items,
    started,
    submitted,
)
from tests.factories import UserFactory, pdf_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_clock")]


@pytest.fixture
def certification_round(people):
    ready_entry(people)
    return make_round(people)


def login(client, user):
    client.force_login(user)
    return client


def case_url(application, name="evaluation:certification"):
    return reverse(name, args=[application.public_id])


# --- Rounds -----------------------------------------------------------------------------------------------------------


def test_the_city_publishes_a_round_and_the_districts_are_told(client, people):
    login(client, people.city)
    today = timezone.localdate()
    response = client.post(reverse("applications:round_create"), {
        "year": today.year, "title": "2026年度认定", "opens_on": today, "application_deadline": today,
        "recommendation_deadline": today + datetime.timedelta(days=10), "evaluator_cap": 15, "notice": "通知正文"})
    certification_round = CertificationRound.objects.get(year=today.year)
    assert response.status_code == 302 and response.url == reverse("applications:round_detail",
                                                                    args=[certification_round.public_id])
    assert people.district.notifications.filter(title__contains="认定工作").exists()
    again = client.post(reverse("applications:round_create"), {
        "year": today.year, "title": "重复", "opens_on": today, "application_deadline": today,
        "recommendation_deadline": today, "evaluator_cap": 15})
    assert again.status_code == 400 and "每年认定一次" in again.content.decode()


def test_only_the_city_publishes_rounds(client, people):
    for user in (people.district, people.enterprise, people.evaluator):
        login(client, user)
        assert client.get(reverse("applications:round_create")).status_code == 403


def test_dates_out_of_order_are_refused_on_the_form(client, people):
    login(client, people.city)
    today = timezone.localdate()
    response = client.post(reverse("applications:round_create"), {
        "year": today.year, "title": "2026", "opens_on": today, "application_deadline": today
        - datetime.timedelta(days=1), "recommendation_deadline": today, "evaluator_cap": 15})
    assert response.status_code == 400 and "申报截止日期不能早于开始日期" in response.content.decode()


def test_the_public_reads_the_round_notices_without_signing_in(client, people, certification_round):
    response = client.get(reverse("applications:round_notices"))
    assert response.status_code == 200 and certification_round.title in response.content.decode()


def test_the_applicant_starts_from_the_round_page(client, people, certification_round):
    login(client, people.enterprise)
    page = client.get(reverse("applications:round_detail", args=[certification_round.public_id]))
    assert "申报绿色工厂" in page.content.decode()
    response = client.post(reverse("evaluation:certification_start", args=[certification_round.public_id]))
    application = CertificationApplication.objects.get()
    assert response.status_code == 302 and response.url == case_url(application)
    assert client.get(reverse("applications:my_certification")).status_code == 200


def test_an_enterprise_not_ready_is_told_why_it_cannot_start(client, people, certification_round):
    login(client, people.enterprise_2)
    page = client.get(reverse("applications:round_detail", args=[certification_round.public_id]))
    assert "尚未被标记为成熟" in page.content.decode()
    response = client.post(reverse("evaluation:certification_start", args=[certification_round.public_id]),
                           follow=True)
    assert "成熟" in response.content.decode() and not CertificationApplication.objects.exists()


# --- The case page for every role -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "status"), [
    ("enterprise", 200), ("district", 200), ("city", 200), ("admin", 200), ("evaluator", 200),
    ("enterprise_2", 404), ("park", 404), ("district_2", 404), ("expert", 404), ("department", 404)])
def test_the_case_page_for_every_role(client, people, certification_round, role, status):
    application = started(people, certification_round)
    commissioned(people, application)
    application = evaluated(people, application)
    login(client, getattr(people, role))
    for name in ("evaluation:certification", "evaluation:self_evaluation", "evaluation:report_sheet"):
        assert client.get(case_url(application, name)).status_code == status


def test_an_evaluator_of_another_organisation_gets_404_everywhere(client, people, certification_round):
    application = started(people, certification_round)
    commissioned(people, application)
    other = UserFactory(role=Role.EVALUATOR, organisation=Organisation.objects.create(
        kind=OrganisationKind.EVALUATOR, name="别家评价机构"))
    login(client, other)
    for name in ("evaluation:certification", "evaluation:report_sheet", "evaluation:self_evaluation"):
        assert client.get(case_url(application, name)).status_code == 404


def test_the_applicant_fills_in_its_conditions_through_the_page(client, people, certification_round):
    application = services.certification_start(certification_round=certification_round, actor=people.enterprise)
    login(client, people.enterprise)
    data = {"contact_name": "王联系", "contact_phone": "13800138000", "summary": "情况"}
    for item in "12345678":
        data[f"met_{item}"], data[f"statement_{item}"] = "yes", f"说明{item}"
    data["met_3"] = "no"
    response = client.post(case_url(application, "evaluation:conditions_save"), data)
    assert response.status_code == 302
    page = client.get(case_url(application)).content.decode()
    assert "否决项" in page and "第七条（三）不符合" in page
    bad = client.post(case_url(application, "evaluation:conditions_save"), {**data, "contact_phone": "abc"})
    assert bad.status_code == 400 and "说明1" in bad.content.decode()
    upload = client.post(case_url(application, "evaluation:condition_evidence"),
                         {"item": "1", "file": SimpleUploadedFile("营业执照.pdf", pdf_bytes())})
    assert upload.status_code == 302 and application.answers.get(item="1").evidence.count() == 1


def test_the_applicant_self_evaluates_and_commissions_through_the_pages(client, people, certification_round):
    application = services.certification_start(certification_round=certification_round, actor=people.enterprise)
    answer_conditions(application, people.enterprise)
    from tests.evaluation.test_figures import save as save_figures

    save_figures(people.enterprise, year=certification_round.year - 1)
    login(client, people.enterprise)
    # Opening the sheet's address starts nothing; the case page's button (a POST) does.
    assert client.get(case_url(application, "evaluation:self_evaluation")).status_code == 302
    assert not SelfEvaluation.objects.filter(application=application).exists()
    assert client.post(case_url(application, "evaluation:self_evaluation"), {"start": "1"}).status_code == 302
    assert client.get(case_url(application, "evaluation:self_evaluation")).status_code == 200
    sheet = SelfEvaluation.objects.get(application=application)
    data = {}
    for pk, item in sheet_items(sheet.system).items():
        if "passed" in item:
            data[f"passed_{pk}"] = "pass"
        if "points" in item:
            data[f"points_{pk}"] = str(item["points"])
    response = client.post(case_url(application, "evaluation:self_evaluation"), {**data, "complete": "1"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.self_evaluated_at is not None
    entry = register(people)
    page = client.get(case_url(application)).content.decode()
    assert "commission-form" in page and entry.organisation.name in page
    response = client.post(case_url(application, "evaluation:commission"), {
        "register": entry.pk, "due_on": (timezone.localdate() + datetime.timedelta(days=20)).isoformat()})
    assert response.status_code == 302
    assert CertificationApplication.objects.get(pk=application.pk).status == CertificationStatus.EVALUATOR_COMMISSIONED


def test_a_disqualified_organisation_is_not_offered(client, people, certification_round):
    application = started(people, certification_round)
    entry = register(people)
    EvaluatorOrganisation.objects.filter(pk=entry.pk).update(status="disqualified")
    login(client, people.enterprise)
    assert entry.organisation.name not in client.get(case_url(application)).content.decode()
    response = client.post(case_url(application, "evaluation:commission"), {
        "register": entry.pk, "due_on": (timezone.localdate() + datetime.timedelta(days=20)).isoformat()})
    assert response.status_code == 400


def test_the_evaluator_issues_its_report_through_the_sheet(client, people, certification_round):
    application = started(people, certification_round)
    commissioned(people, application)
    login(client, people.evaluator)
    assert client.get(case_url(application, "evaluation:report_sheet")).status_code == 302
    assert not EvaluationReport.objects.exists() and ReviewTask.objects.get().status == "assigned"
    assert client.post(case_url(application, "evaluation:report_sheet"), {"start": "1"}).status_code == 302
    assert ReviewTask.objects.get().status == "accepted"
    assert client.get(case_url(application, "evaluation:report_sheet")).status_code == 200
    report = EvaluationReport.objects.get(application=application)
    upload = client.post(case_url(application, "evaluation:report_sheet"), {
        "upload": "1", "item": "signed", "file": SimpleUploadedFile("报告.pdf", pdf_bytes())})
    assert upload.status_code == 302 and report.documents.filter(signed=True).count() == 1
    today = timezone.localdate().isoformat()
    data = {"visited_from": today, "visited_to": today, "evaluators": "赵一", "passed": "yes", "opinion": "符合",
            "issue": "1"}
    for pk, item in sheet_items(report.system).items():
        if "passed" in item:
            data[f"passed_{pk}"] = "pass"
        if "points" in item:
            data[f"points_{pk}"] = str(item["points"])
    response = client.post(case_url(application, "evaluation:report_sheet"), data)
    assert response.status_code == 302
    assert CertificationApplication.objects.get(pk=application.pk).status == CertificationStatus.EVALUATED
    login(client, people.enterprise)
    page = client.get(case_url(application, "evaluation:report_sheet")).content.decode()
    assert "评价报告已出具" in page


def test_the_district_reviews_asks_for_more_and_recommends_through_the_page(client, people, certification_round):
    application = submitted(people, certification_round)
    login(client, people.district)
    assert "checklist-form" in client.get(case_url(application)).content.decode()
    data = {}
    for key, _label in services.review_checks(application):
        data[f"verdict_{key}"], data[f"comment_{key}"] = "ok", ""
    data["verdict_evidence"], data["comment_evidence"] = "more", "请补充证书"
    assert client.post(case_url(application, "evaluation:checklist_save"), data).status_code == 302
    response = client.post(reverse("evaluation:certification_action", args=[application.public_id, "request-more"]),
                           {"more-working_days": "5"})
    assert response.status_code == 302
    assert CertificationApplication.objects.get(pk=application.pk).status == CertificationStatus.SUPPLEMENTING
    login(client, people.enterprise)
    page = client.get(case_url(application)).content.decode()
    assert "请补充证书" in page and "answers-form" in page
    response = client.post(case_url(application, "evaluation:answers_save"), {
        "answer_evidence": "已补充", "item": "evidence", "file": SimpleUploadedFile("证书.pdf", pdf_bytes())})
    assert response.status_code == 302
    response = client.post(reverse("evaluation:certification_action", args=[application.public_id, "answer"]))
    assert CertificationApplication.objects.get(pk=application.pk).status == CertificationStatus.SUBMITTED
    login(client, people.district)
    page = client.get(case_url(application)).content.decode()
    assert "已补充" in page
    services.district_review_save(application=application, actor=people.district, items=all_ok(application))
    response = client.post(reverse("evaluation:certification_action", args=[application.public_id, "recommend"]),
                           {"recommend-reason": "同意"})
    assert response.status_code == 302
    assert CertificationApplication.objects.get(pk=application.pk).status == CertificationStatus.RECOMMENDED
    xlsx = client.get(reverse("applications:recommended_export", args=[certification_round.public_id]))
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxml")
    pdf = client.get(reverse("applications:recommended_pdf", args=[certification_round.public_id]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


@pytest.mark.parametrize("role", ["enterprise", "park", "city", "evaluator", "expert"])
def test_only_a_district_downloads_its_recommended_list(client, people, certification_round, role):
    login(client, getattr(people, role))
    assert client.get(reverse("applications:recommended_export",
                              args=[certification_round.public_id])).status_code == 403


@pytest.mark.parametrize("role", ["enterprise", "evaluator", "expert", "department", "park"])
def test_the_queue_is_the_officials(client, people, role):
    login(client, getattr(people, role))
    assert client.get(reverse("applications:certification_queue")).status_code == 403


def test_a_district_official_cannot_decide_another_districts_application(client, people, certification_round):
    application = submitted(people, certification_round)
    login(client, people.district_2)
    response = client.post(reverse("evaluation:certification_action", args=[application.public_id, "reject"]),
                           {"reject-reason": "越权"})
    assert response.status_code == 404
    assert CertificationApplication.objects.get(pk=application.pk).status == CertificationStatus.SUBMITTED


# --- The register -----------------------------------------------------------------------------------------------------


def test_the_city_registers_recommends_and_disqualifies_an_organisation(client, people):
    login(client, people.city)
    assert client.get(reverse("evaluation:register_create")).status_code == 200
    assert client.get(reverse("applications:round_list")).status_code == 200
    response = client.post(reverse("evaluation:register_create"), {
        "name": "重庆某评价中心", "credit_code": "", "legal_representative": "张三", "contact_name": "李四",
        "contact_phone": "023-61234567", "contact_email": "", "address": "", "qualifications": "CMA",
        "staff_count": "8"})
    entry = EvaluatorOrganisation.objects.get(organisation__name="重庆某评价中心")
    assert response.status_code == 302 and entry.organisation.kind == OrganisationKind.EVALUATOR
    url = reverse("evaluation:register_action", args=[entry.public_id, "disqualify"])
    assert client.post(url, {"disqualify-reason": ""}).status_code == 400
    assert client.post(url, {"disqualify-reason": "抽查不合格"}).status_code == 302
    entry.refresh_from_db()
    assert entry.status == "disqualified" and entry.status_reason == "抽查不合格"
    assert client.get(reverse("evaluation:register_detail", args=[entry.public_id])).status_code == 200
    assert client.get(reverse("evaluation:register_list")).status_code == 200


@pytest.mark.parametrize("role", ["district", "enterprise", "evaluator"])
def test_others_cannot_keep_the_register(client, people, role):
    entry = register(people)
    login(client, getattr(people, role))
    assert client.get(reverse("evaluation:register_create")).status_code == 403
    response = client.post(reverse("evaluation:register_action", args=[entry.public_id, "recommend"]),
                           {"recommend-reason": "x"})
    assert response.status_code in (403, 404)
    assert EvaluatorOrganisation.objects.get(pk=entry.pk).status == "active"


# --- Queries pinned ---------------------------------------------------------------------------------------------------


def _applications(people, certification_round, count):
    from applications.models import ConditionAnswer  # noqa: F401  (the rows the queue reads are the applications)
    from tests.factories import EnterpriseFactory
    from tests.helpers import district

    made = []
    for number in range(count):
        unit = EnterpriseFactory(district=district("长寿区"), name=f"排队企业{number}")
        made.append(CertificationApplication.objects.create(
            round=certification_round, applicant=unit, unit_kind="factory", district=unit.district,
            industry=unit.industry, unit_name=unit.name, created_by=people.enterprise))
    return made


@pytest.mark.parametrize("count", [1, 12])
def test_the_district_queue_costs_the_same_queries_for_1_or_12_rows(client, people, certification_round,
                                                                     django_assert_num_queries, count):
    _applications(people, certification_round, count)
    login(client, people.district)
    client.get(reverse("applications:certification_queue"))  # warm the per-process caches
    # 1 session, 2 user, 3 the rounds (the filter's; the newest open one is the page's), 4 the page's rows with
    # their total, 5 the rows' open clocks, 6 the counts by state (the filter's labels); the shell: 7 registrations
    # waiting, 8 identity changes waiting, 9 intake applications waiting, 10 certification applications waiting,
    # 11 unread messages
    with django_assert_num_queries(11):
        response = client.get(reverse("applications:certification_queue"))
    assert response.status_code == 200 and response.content.decode().count("排队企业") == count


@pytest.mark.parametrize("count", [1, 12])
def test_the_evaluators_task_list_costs_the_same_queries_for_1_or_12_commissions(client, people, certification_round,
                                                                                 django_assert_num_queries, count):
    entry = register(people)
    from applications.models import ReviewTask

    for application in _applications(people, certification_round, count):
        # The rows a commission writes (its applicant, a unit made here without users, would commission it).
        ReviewTask.objects.create(case=application, kind="evaluation", assignee_organisation=entry.organisation,
                                  due_on=timezone.localdate() + datetime.timedelta(days=10), assigned_by=people.city,
                                  district_id=application.district_id, applicant_id=application.applicant_id)
    login(client, people.evaluator)
    client.get(reverse("applications:review_task_list"))
    # 1 session, 2 user, 3 the tasks with their assigners' names, 4 their cases (the applications with their
    # rounds, one query however many), the shell: 5 open tasks, 6 unread messages
    with django_assert_num_queries(6):
        response = client.get(reverse("applications:review_task_list"))
    assert response.status_code == 200


def test_the_applicant_withdraws_an_unanswered_commission_from_the_case_page(client, people, certification_round):
    application = started(people, certification_round)
    commissioned(people, application)
    login(client, people.enterprise)
    assert "撤回评价委托" in client.get(case_url(application)).content.decode()
    url = reverse("evaluation:certification_action", args=[application.public_id, "withdraw-commission"])
    assert client.post(url, {"withdraw-commission-reason": ""}).status_code == 400
    assert client.post(url, {"withdraw-commission-reason": "机构一直未答复"}).status_code == 302
    assert CertificationApplication.objects.get(pk=application.pk).status == CertificationStatus.DRAFT
    login(client, people.evaluator)
    assert client.get(case_url(application)).status_code == 404


def test_the_evaluator_does_not_read_the_districts_review(client, people, certification_round):
    application = submitted(people, certification_round)
    services.district_review_save(application=application, actor=people.district, items={
        "evidence": {"verdict": "more", "comment": "请补充证书"}})
    services.certification_request_more(application=application, actor=people.district)
    services.review_answers_save(application=application, actor=people.enterprise, answers={"evidence": "已补充"})
    services.review_answer_file_upload(application=application, actor=people.enterprise, key="evidence",
                                       uploaded_file=SimpleUploadedFile("证书.pdf", pdf_bytes()))
    login(client, people.evaluator)
    page = client.get(case_url(application)).content.decode()
    assert "请补充证书" not in page and "review-rounds" not in page
    document = application.reviews.get().items.get(key="evidence").files.get()
    assert client.get(reverse("evaluation:answer_file_download",
                              args=[application.public_id, document.pk])).status_code == 404
