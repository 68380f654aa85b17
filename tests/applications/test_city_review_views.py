"""The city's review and the proposed list's way to the decision through their pages, for every role: the review
section of the case page, the lists, the department's answer, the public notice with its objection form (CSRF, the
rate limit, the refusal after the period), the public decision; 404 out of scope, 403 for roles that never act;
no personal data on the public pages; queries pinned on the city's queue and the public notice."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from applications import services
from applications.models import (
    CertificationApplication,
    CertificationStatus,
    Objection,
    ProposedList,
    PublicNotice,
    ReviewTask,
    TaskOpinion,
)
from applications.services import publicity
from greenfactory.workdays import SHANGHAI
from tests.applications.certification_setup import make_round, ready_entry
from tests.applications.city_review_setup import (
    assign,
    consulted,
    expert,
    proposed,
    published,
    recommended,
    reviewed,
)
from tests.factories import pdf_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_clock")]


@pytest.fixture
def certification_round(people):
    ready_entry(people)
    return make_round(people)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def case_url(application, suffix=""):
    return reverse("evaluation:certification", args=[application.public_id]) + suffix


def state(application):
    return CertificationApplication.objects.get(pk=application.pk).status


# --- The case page --------------------------------------------------------------------------------------------------


def test_the_city_starts_its_review_and_asks_for_tasks_from_the_case_page(client, people, certification_round):
    application = recommended(people, certification_round)
    client.force_login(people.city)
    page = client.get(case_url(application)).content.decode()
    assert "开始市级审查" in page
    response = client.post(reverse("evaluation:certification_action", args=[application.public_id,
                                                                             "start-city-review"]))
    assert response.status_code == 302 and state(application) == CertificationStatus.CITY_REVIEW
    page = client.get(case_url(application)).content.decode()
    assert 'id="city-task-form"' in page and "材料审查尚无" in page
    response = client.post(reverse("evaluation:city_task_assign", args=[application.public_id]), {
        "kind": "expert_review", "assignee": people.expert.pk, "due_on": "2026-03-20", "note": "请重点看能效"})
    assert response.status_code == 302
    assert ReviewTask.objects.filter(certification_application=application, assignee_user=people.expert).exists()
    # A past due date comes back with the typed note kept.
    response = client.post(reverse("evaluation:city_task_assign", args=[application.public_id]), {
        "kind": "on_site", "assignee": people.city.pk, "due_on": "2026-02-01", "note": "核实产能"})
    assert response.status_code == 400 and "核实产能" in response.content.decode()


def test_the_expert_writes_an_opinion_on_the_case_page_and_sees_only_its_own(client, people, certification_round):
    application = services.city_review_start(application=recommended(people, certification_round), actor=people.city)
    task = assign(people, application, "expert_review", people.expert)
    other = expert(people, "second-expert")
    other_task = assign(people, application, "expert_review", other)
    services.task_opinion_write(task=other_task, actor=other, conclusion="not_met", findings="第二位专家的保密意见",
                                score=Decimal(60))
    client.force_login(people.expert)
    page = client.get(case_url(application)).content.decode()
    assert 'id="opinion-form"' in page and "第二位专家的保密意见" not in page
    url = reverse("evaluation:task_opinion", args=[application.public_id, task.public_id])
    response = client.post(url, {"conclusion": "met", "findings": "同意", "score": "120"})
    assert response.status_code == 400 and "同意" in response.content.decode()
    signed = SimpleUploadedFile("意见.pdf", pdf_bytes(), content_type="application/pdf")
    response = client.post(url, {"conclusion": "met", "findings": "同意认定", "score": "91.5", "files": [signed]})
    assert response.status_code == 302
    opinion = TaskOpinion.objects.get(task=task)
    assert opinion.score == Decimal("91.5") and opinion.files.count() == 1
    file_url = reverse("evaluation:opinion_file_download", args=[application.public_id, opinion.files.get().pk])
    assert client.get(file_url).status_code == 200
    client.force_login(other)
    assert client.get(file_url).status_code == 404
    client.force_login(people.city)
    page = client.get(case_url(application)).content.decode()
    assert "平均分 <strong>75.8</strong>" in page and "第二位专家的保密意见" in page


@pytest.mark.parametrize("role", ["department", "district_2", "enterprise_2"])
def test_others_do_not_reach_a_case_in_city_review(client, people, certification_round, role):
    application = services.city_review_start(application=recommended(people, certification_round), actor=people.city)
    client.force_login(getattr(people, role))
    assert client.get(case_url(application)).status_code == 404


@pytest.mark.parametrize("role", ["evaluator", "district", "enterprise"])
def test_the_citys_review_is_not_shown_to_the_units_district_and_evaluator(client, people, certification_round, role):
    application = services.city_review_start(application=recommended(people, certification_round), actor=people.city)
    assign(people, application, "expert_review", people.expert)
    client.force_login(getattr(people, role))
    page = client.get(case_url(application)).content.decode()
    assert 'id="application-status"' in page and 'id="city-review"' not in page


@pytest.mark.parametrize("role", ["district", "enterprise", "expert"])
def test_only_the_city_fires_the_city_steps_from_the_page(client, people, certification_round, role):
    application = recommended(people, certification_round)
    if role == "expert":
        application = services.city_review_start(application=application, actor=people.city)
        assign(people, application, "expert_review", people.expert)
    client.force_login(getattr(people, role))
    before = state(application)
    for slug in ("start-city-review", "propose", "city-return", "city-reject"):
        response = client.post(reverse("evaluation:certification_action", args=[application.public_id, slug]),
                               {"city-return-reason": "x", "city-reject-reason": "x"})
        assert response.status_code in (403, 404)
    assert state(application) == before
    # The district still reads its district's case, without the city's review section.
    if role == "district":
        assert 'id="city-review"' not in client.get(case_url(application)).content.decode()


def test_the_city_proposes_returns_and_rejects_from_the_page(client, people, certification_round):
    first = reviewed(people, recommended(people, certification_round))
    client.force_login(people.city)
    action = reverse("evaluation:certification_action", args=[first.public_id, "propose"])
    assert client.post(action, {"propose-reason": "审查通过"}).status_code == 302
    assert state(first) == CertificationStatus.PROPOSED
    second = services.city_review_start(application=recommended(people, certification_round, park=True),
                                        actor=people.city)
    action = reverse("evaluation:certification_action", args=[second.public_id, "city-return"])
    assert client.post(action, {"city-return-reason": ""}).status_code == 400
    assert client.post(action, {"city-return-reason": "园区边界材料不全"}).status_code == 302
    assert state(second) == CertificationStatus.SUBMITTED


# --- The proposed lists ---------------------------------------------------------------------------------------------


@pytest.fixture
def proposed_list(people, certification_round):
    application = proposed(people, recommended(people, certification_round))
    return CertificationApplication.objects.get(pk=application.pk).proposed_list


@pytest.mark.parametrize("role,status", [("city", 200), ("department", 200), ("district", 403), ("expert", 403),
                                         ("enterprise", 403), ("evaluator", 403)])
def test_the_lists_page_by_role(client, people, proposed_list, role, status):
    client.force_login(getattr(people, role))
    assert client.get(reverse("applications:proposed_lists")).status_code == status


def test_the_city_sends_the_list_and_the_department_answers(client, people, proposed_list):
    detail = reverse("applications:proposed_list_detail", args=[proposed_list.public_id])
    client.force_login(people.department)
    assert client.get(detail).status_code == 404
    client.force_login(people.city)
    response = client.post(reverse("applications:proposed_list_send", args=[proposed_list.public_id]),
                           {"departments": [people.department.pk], "due_on": "2026-03-09", "note": "请反馈"})
    assert response.status_code == 302
    client.force_login(people.department)
    page = client.get(detail).content.decode()
    assert 'id="answer-form"' in page
    unit = CertificationApplication.objects.get(proposed_list=proposed_list)
    answer = reverse("applications:department_answer", args=[proposed_list.public_id])
    response = client.post(answer, {f"answer_{unit.pk}": "objection", f"reasons_{unit.pk}": "", "submit_answer": "1"})
    assert response.status_code == 400
    response = client.post(answer, {f"answer_{unit.pk}": "objection", f"reasons_{unit.pk}": "存在安全隐患未整改",
                                    f"files_{unit.pk}": [SimpleUploadedFile("函.pdf", pdf_bytes(),
                                                                            content_type="application/pdf")],
                                    "submit_answer": "1"})
    assert response.status_code == 302
    assert ReviewTask.objects.get(proposed_list=proposed_list).status == "done"
    client.force_login(people.city)
    page = client.get(detail).content.decode()
    assert "存在安全隐患未整改" in page and "重庆市应急管理局" in page
    for role in ("district", "expert", "enterprise"):
        client.force_login(getattr(people, role))
        assert client.get(detail).status_code == 404


def test_the_city_publishes_the_notice_from_the_list_page(client, people, proposed_list):
    consulted(people, proposed_list)
    client.force_login(people.city)
    publish = reverse("applications:notice_publish", args=[proposed_list.public_id])
    response = client.post(publish, {"title": "公示", "starts_on": "2026-03-07", "contact": "节能处 023-63899999",
                                     "body": "现予公示"})
    assert response.status_code == 400 and "不是工作日" in response.content.decode()
    response = client.post(publish, {"title": "公示", "starts_on": "2026-03-02", "contact": "节能处 023-63899999",
                                     "body": "现予公示"})
    assert response.status_code == 302
    notice = PublicNotice.objects.get(proposed_list=proposed_list)
    assert notice.ends_on == datetime.date(2026, 3, 6)
    client.force_login(people.department)
    assert client.post(reverse("applications:decision_issue", args=[proposed_list.public_id]),
                       {}).status_code == 403


# --- The public notice and objections -------------------------------------------------------------------------------


@pytest.fixture
def notice(people, proposed_list):
    return published(people, consulted(people, proposed_list))


def _objection_data(notice, **changes):
    unit = CertificationApplication.objects.get(proposed_list=notice.proposed_list)
    data = {"application": str(unit.public_id), "name": "李四", "phone": "13912345678",
            "email": "lisi@example.cn", "content": "该企业存在违法排污"}
    data.update(changes)
    return data


def test_the_public_reads_the_notice_and_files_an_objection(client, people, notice):
    assert client.get(reverse("applications:notice_list")).status_code == 200
    url = reverse("applications:notice_detail", args=[notice.public_id])
    page = client.get(url).content.decode()
    assert "重庆长寿一号化工有限公司" in page and 'id="objection-form"' in page
    response = client.post(url, _objection_data(notice, name=""))
    assert response.status_code == 400 and "该企业存在违法排污" in response.content.decode()
    response = client.post(url, _objection_data(notice, files=[
        SimpleUploadedFile("证据.pdf", pdf_bytes(), content_type="application/pdf")]))
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert objection.files.count() == 1 and objection.source and objection.phone == "13912345678"


def test_the_objection_form_needs_its_csrf_token(people, notice):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("applications:notice_detail", args=[notice.public_id]), _objection_data(notice))
    assert response.status_code == 403 and not Objection.objects.exists()


def test_objections_are_rate_limited_per_address(client, people, notice, settings):
    settings.OBJECTION_RATE = "2/h"
    url = reverse("applications:notice_detail", args=[notice.public_id])
    assert [client.post(url, _objection_data(notice)).status_code for _ in range(3)] == [302, 302, 429]
    assert Objection.objects.count() == 2


def test_an_objection_after_the_last_day_is_refused_in_chinese(client, people, notice, pinned_clock):
    pinned_clock.move_to(datetime.datetime(2026, 3, 7, 0, 0, 0, tzinfo=SHANGHAI))
    url = reverse("applications:notice_detail", args=[notice.public_id])
    assert 'id="objection-form"' not in client.get(url).content.decode()
    response = client.post(url, _objection_data(notice))
    assert response.status_code == 400 and "公示期已于2026-03-06结束，不再受理异议" in response.content.decode()
    assert not Objection.objects.exists()


def test_the_city_handles_an_objection_from_the_list_page(client, people, notice):
    filed = publicity.objection_file(notice=notice, application=CertificationApplication.objects.get(
        proposed_list=notice.proposed_list), name="张三", phone="13700000000", email="", content="材料造假")
    client.force_login(people.city)
    detail = reverse("applications:proposed_list_detail", args=[notice.proposed_list.public_id])
    assert "材料造假" in client.get(detail).content.decode()
    action = reverse("applications:objection_action", args=[filed.public_id, "dismiss"])
    response = client.post(action, {f"dismiss-{filed.pk}-reason": "经核实，材料真实"})
    assert response.status_code == 302 and Objection.objects.get(pk=filed.pk).status == "dismissed"
    client.force_login(people.district)
    assert client.post(reverse("applications:objection_action", args=[filed.public_id, "uphold"]),
                       {f"uphold-{filed.pk}-reason": "x"}).status_code == 404


def test_the_decision_from_the_list_page_and_its_public_page(client, people, notice, pinned_clock, settings,
                                                            tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path / "media"
    pinned_clock.move_to(datetime.datetime(2026, 3, 9, 9, 0, tzinfo=SHANGHAI))
    client.force_login(people.city)
    with django_capture_on_commit_callbacks(execute=True):  # the certificates and the document, after commit
        response = client.post(reverse("applications:decision_issue", args=[notice.proposed_list.public_id]), {
            "title": "关于公布2026年度重庆市绿色工厂名单的通知", "document_number": "渝经信节能(2026)12号",
            "issuer": "重庆市经济和信息化委员会", "issued_on": "2026-03-09", "body": "认定以下单位。"})
    assert response.status_code == 302
    decision = ProposedList.objects.get(pk=notice.proposed_list.pk).decision
    client.logout()
    page = client.get(reverse("applications:decision_detail", args=[decision.public_id])).content.decode()
    assert "渝经信节能〔2026〕12号" in page and "重庆长寿一号化工有限公司" in page and "2026年3月9日" in page
    # The official document, generated with the certificates after commit, is public too.
    document = client.get(reverse("applications:decision_document", args=[decision.public_id]))
    assert document.status_code == 200 and document["Content-Type"] == "application/pdf"


# --- No personal data on the public pages ---------------------------------------------------------------------------


def test_the_public_pages_show_nothing_personal(client, people, notice, pinned_clock):
    unit = CertificationApplication.objects.get(proposed_list=notice.proposed_list)
    publicity.objection_file(notice=notice, application=unit, name="赵异议", phone="13598765432",
                             email="zhao@example.cn", content="异议内容")
    pinned_clock.move_to(datetime.datetime(2026, 3, 9, 9, 0, tzinfo=SHANGHAI))
    objection = Objection.objects.get()
    publicity.objection_dismiss(objection=objection, actor=people.city, reason="不成立")
    decision = publicity.decision_issue(proposed_list=notice.proposed_list, actor=people.city, title="认定通知",
                                        document_number="渝经信节能〔2026〕13号", issuer="重庆市经济和信息化委员会",
                                        issued_on=datetime.date(2026, 3, 9), body="认定。")
    personal = [unit.contact_name, unit.contact_phone, "赵异议", "13598765432", "zhao@example.cn"]
    for user in (people.enterprise, people.city, people.district, people.expert, people.department):
        personal += [user.email, user.get_full_name(), user.username]
    personal = [value for value in personal if value]
    pages = [reverse("applications:notice_list"), reverse("applications:notice_detail", args=[notice.public_id]),
             reverse("applications:decision_detail", args=[decision.public_id])]
    for url in pages:
        text = client.get(url).content.decode()
        assert not [value for value in personal if value in text], url
        # A mobile number anywhere (not a run of digits inside the request id's hex).
        assert not re.search(r"(?<![0-9a-fA-F])1[3-9]\d{9}(?![0-9a-fA-F])", text), url


# --- Queries pinned: a page costs the same for one row or many ------------------------------------------------------


def _in_review(people, count):
    """``count`` applications of this year's round in the city's review, each of its own unit."""
    from applications.models import CertificationRound
    from tests.factories import EnterpriseFactory
    from tests.helpers import district

    certification_round = CertificationRound.objects.filter(year=2026).first() or make_round(people)
    made = []
    for number in range(count):
        unit = EnterpriseFactory(district=district("渝北区"), name=f"市级审查企业{number}")
        made.append(CertificationApplication.objects.create(
            round=certification_round, applicant=unit, unit_kind="factory", district=unit.district,
            unit_name=unit.name, status="city_review", created_by=people.city))
    return made


@pytest.mark.parametrize("count", [1, 12])
def test_the_citys_review_queue_costs_the_same_queries_for_1_or_12_rows(client, people, django_assert_num_queries,
                                                                       count):
    _in_review(people, count)
    client.force_login(people.city)
    url = reverse("applications:certification_queue") + "?status=city_review"
    client.get(url)
    # 1 session, 2 user, 3 the rounds of the filter, 4 the rows with their total, 5 their open clocks, 6 the counts
    # by state, 7 the city's to-do count (one query), 8 unread messages, 9 the districts of the filter
    with django_assert_num_queries(9):
        response = client.get(url)
    assert response.content.decode().count("市级审查企业") == count


@pytest.mark.parametrize("count", [1, 12])
def test_the_public_notice_costs_the_same_queries_for_1_or_12_units(client, people, certification_round,
                                                                    django_assert_num_queries, count):
    application = proposed(people, recommended(people, certification_round))
    proposed_list = CertificationApplication.objects.get(pk=application.pk).proposed_list
    notice = published(people, consulted(people, proposed_list))
    for unit in _in_review(people, count - 1):
        CertificationApplication.objects.filter(pk=unit.pk).update(status="in_publicity", proposed_list=proposed_list)
    url = reverse("applications:notice_detail", args=[notice.public_id])
    client.get(url)
    # 1 the notice with its list and round, 2 its units with district and industry, 3 its decision (none yet)
    with django_assert_num_queries(3):
        response = client.get(url)
    assert response.status_code == 200 and response.content.decode().count("<td>") >= 5 * count
    with django_assert_num_queries(1):  # the notices with their unit counts
        client.get(reverse("applications:notice_list"))


def test_refused_objections_do_not_count_against_the_limit(client, people, notice, settings):
    settings.OBJECTION_RATE = "2/h"
    url = reverse("applications:notice_detail", args=[notice.public_id])
    refused = [client.post(url, _objection_data(notice, name="")).status_code for _ in range(4)]
    assert refused == [400] * 4
    assert [client.post(url, _objection_data(notice)).status_code for _ in range(3)] == [302, 302, 429]


def test_an_ended_notice_leads_to_its_decision(client, people, notice, pinned_clock):
    pinned_clock.move_to(datetime.datetime(2026, 3, 9, 9, 0, tzinfo=SHANGHAI))
    decision = publicity.decision_issue(proposed_list=notice.proposed_list, actor=people.city, title="认定通知",
                                        document_number="渝经信节能〔2026〕14号", issuer="重庆市经济和信息化委员会",
                                        issued_on=datetime.date(2026, 3, 9), body="认定。")
    page = client.get(reverse("applications:notice_detail", args=[notice.public_id])).content.decode()
    assert reverse("applications:decision_detail", args=[decision.public_id]) in page


def test_the_list_says_when_its_notice_has_ended(client, people, notice, pinned_clock):
    client.force_login(people.city)
    url = reverse("applications:proposed_lists")
    assert "公示中" in client.get(url).content.decode()
    pinned_clock.move_to(datetime.datetime(2026, 3, 9, 9, 0, tzinfo=SHANGHAI))
    client.force_login(people.city)  # a week later: a new session
    assert "公示期满，待发文认定" in client.get(url).content.decode()


def test_the_city_previews_a_notice_before_its_first_day(client, people, proposed_list):
    notice = published(people, consulted(people, proposed_list), starts_on=datetime.date(2026, 3, 3))
    url = reverse("applications:notice_detail", args=[notice.public_id])
    assert client.get(url).status_code == 404
    client.force_login(people.city)
    page = client.get(url).content.decode()
    assert 'id="notice-preview"' in page and 'id="objection-form"' not in page
    client.force_login(people.department)
    assert client.get(url).status_code == 404


def test_a_banned_unit_reads_its_ban_on_the_round_page(client, people, certification_round):
    from applications.models import ApplicationBan

    ApplicationBan.objects.create(organisation=people.enterprise.organisation, starts_on=datetime.date(2026, 1, 5),
                                  ends_on=datetime.date(2029, 1, 5), reason="第十七条（四）被发现提供虚假材料和数据的")
    client.force_login(people.enterprise)
    page = client.get(reverse("applications:round_detail", args=[certification_round.public_id])).content.decode()
    assert 'id="banned"' in page and "2029-01-05前不得重新申报" in page
