"""Certification, part 2 (第十一条、第十二条) through its services: the city's review with its tasks and opinions,
the proposed list and the departments' opinions, the five-working-day notice on the official calendar, objections,
and the decision that grants the titles."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django_fsm_log.models import StateLog

from accounts.models import Deadline
from applications import services
from applications.models import (
    CertificationApplication,
    CertificationStatus,
    Objection,
    ProposedList,
    ReviewTask,
    TaskOpinion,
    Title,
)
from applications.services import publicity
from applications.services.review import review_task_assign
from greenfactory.workdays import SHANGHAI
from greenfactory.workflow import TransitionConflict
from tests.applications.certification_setup import make_round, ready_entry
from tests.applications.city_review_setup import (
    assign,
    city_staff,
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


def state(application):
    return CertificationApplication.objects.get(pk=application.pk).status


def objection(notice, application, **changes):
    values = {"notice": notice, "application": CertificationApplication.objects.get(pk=application.pk),
              "name": "王某某", "phone": "13800001111", "email": "objector@example.cn",
              "content": "该企业去年发生环境事故"}
    values.update(changes)
    return publicity.objection_file(**values)


def decide(people, proposed_list, number="渝经信节能〔2026〕12号", issued_on=None):
    return publicity.decision_issue(
        proposed_list=ProposedList.objects.get(pk=proposed_list.pk), actor=people.city,
        title="关于认定2026年度重庆市绿色工厂的通知",
        document_number=number, issuer="重庆市经济和信息化委员会", issued_on=issued_on or datetime.date(2026, 3, 9),
        body="经审查、公示，认定以下单位为重庆市绿色工厂。")


# --- The path -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("park", [False, True], ids=["factory", "park"])
def test_the_path_from_recommended_to_certified(people, certification_round, pinned_clock, park):
    application = proposed(people, recommended(people, certification_round, park=park))
    assert state(application) == CertificationStatus.PROPOSED
    proposed_list = CertificationApplication.objects.get(pk=application.pk).proposed_list
    consulted(people, proposed_list)
    notice = published(people, proposed_list)
    assert (notice.starts_on, notice.ends_on) == (datetime.date(2026, 3, 2), datetime.date(2026, 3, 6))
    assert state(application) == CertificationStatus.IN_PUBLICITY
    pinned_clock.move_to(datetime.datetime(2026, 3, 9, 9, 0, tzinfo=SHANGHAI))
    decision = decide(people, proposed_list)
    assert state(application) == CertificationStatus.CERTIFIED
    title = Title.objects.get(application=application)
    assert (title.decision, title.year, title.unit_kind) == (decision, 2026, "park" if park else "factory")
    assert ProposedList.objects.get(pk=proposed_list.pk).status == "decided"
    steps = list(StateLog.objects.filter(object_id=application.pk, content_type__model="certificationapplication")
                 .order_by("timestamp", "id").values_list("transition", flat=True))
    assert steps[-4:] == ["start_city_review", "propose", "publicise", "certify"]
    # Every clock of the way is closed at the end.
    assert not Deadline.objects.filter(object_id=application.pk, closed_at__isnull=True,
                                       kind__in=["city_review", "certification_recommendation"]).exists()


def test_the_experts_scores_give_mean_and_spread(people, certification_round):
    application = reviewed(people, recommended(people, certification_round),
                           scores=(Decimal("80"), Decimal("90"), Decimal("85")))
    stats = services.expert_scores(services.city_review_tasks(application))
    assert (stats["count"], stats["mean"], stats["low"], stats["high"], stats["spread"]) == (
        3, Decimal("85.0"), Decimal("80"), Decimal("90"), Decimal("10"))
    assert stats["deviation"] == Decimal("4.1")


# --- The opinions ---------------------------------------------------------------------------------------------------


def test_an_opinion_names_what_its_kind_needs(people, certification_round):
    application = services.city_review_start(application=recommended(people, certification_round), actor=people.city)
    staff = city_staff(people)
    on_site = assign(people, application, "on_site", staff)
    with pytest.raises(ValidationError) as refused:
        services.task_opinion_write(task=on_site, actor=staff, conclusion="met", findings="现场一致")
    assert "visited_on" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.task_opinion_write(task=on_site, actor=staff, conclusion="met", findings="现场一致",
                                    visited_on=datetime.date(2026, 3, 3))
    assert "不能晚于今天" in refused.value.message_dict["visited_on"][0]
    review = assign(people, application, "expert_review", people.expert)
    for score in (None, Decimal("100.5"), Decimal("-1")):
        with pytest.raises(ValidationError) as refused:
            services.task_opinion_write(task=review, actor=people.expert, conclusion="met", findings="同意",
                                        score=score)
        assert "score" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.task_opinion_write(task=review, actor=people.expert, conclusion="", findings="", score=Decimal(80))
    assert {"conclusion", "findings"} <= set(refused.value.message_dict)
    assert not TaskOpinion.objects.exists()


def test_only_the_assignee_writes_the_opinion_and_it_completes_the_task(people, certification_round):
    application = services.city_review_start(application=recommended(people, certification_round), actor=people.city)
    task = assign(people, application, "expert_review", people.expert)
    other = expert(people, "other-expert")
    for actor in (other, people.city, people.district, people.enterprise, people.department):
        with pytest.raises(PermissionDenied):
            services.task_opinion_write(task=task, actor=actor, conclusion="met", findings="同意", score=Decimal(80))
    photo = SimpleUploadedFile("签字意见.pdf", pdf_bytes(), content_type="application/pdf")
    opinion = services.task_opinion_write(task=task, actor=people.expert, conclusion="met", findings="同意",
                                          score=Decimal("88.5"), files=[photo])
    assert ReviewTask.objects.get(pk=task.pk).status == "done" and opinion.files.count() == 1
    with pytest.raises(TransitionConflict):
        services.task_opinion_write(task=task, actor=people.expert, conclusion="met", findings="再写", score=Decimal(1))


def test_the_district_and_the_applicant_cannot_ask_for_city_review_tasks(people, certification_round):
    application = services.city_review_start(application=recommended(people, certification_round), actor=people.city)
    for actor in (people.district, people.enterprise):
        with pytest.raises(PermissionDenied):
            review_task_assign(case=application, actor=actor, kind="expert_review", assignee=people.expert,
                               due_on=datetime.date(2026, 3, 20))


def test_tasks_are_asked_only_during_the_city_review(people, certification_round):
    application = recommended(people, certification_round)
    with pytest.raises(TransitionConflict):
        assign(people, application, "expert_review", people.expert)


# --- The city's decision on the case --------------------------------------------------------------------------------


def test_propose_is_refused_until_the_review_is_complete(people, certification_round):
    application = services.city_review_start(application=recommended(people, certification_round), actor=people.city)
    with pytest.raises(ValidationError) as refused:
        services.certification_propose(application=application, actor=people.city)
    text = " ".join(refused.value.messages)
    assert "材料审查" in text and "现场核实" in text and "专家评审" in text
    assert state(application) == CertificationStatus.CITY_REVIEW


def test_a_dissenting_opinion_needs_the_citys_reason(people, certification_round):
    application = services.city_review_start(application=recommended(people, certification_round), actor=people.city)
    staff = city_staff(people)
    for kind in ("materials_review", "on_site"):
        services.task_opinion_write(task=assign(people, application, kind, staff), actor=staff, conclusion="met",
                                    findings="符合", visited_on=datetime.date(2026, 3, 2))
    services.task_opinion_write(task=assign(people, application, "expert_review", people.expert), actor=people.expert,
                                conclusion="not_met", findings="能效指标不足", score=Decimal(55))
    with pytest.raises(ValidationError) as refused:
        services.certification_propose(application=application, actor=people.city)
    assert "reason" in refused.value.message_dict
    services.certification_propose(application=application, actor=people.city,
                                   comment="其余专家意见均为符合，指标已整改")
    assert state(application) == CertificationStatus.PROPOSED


CITY_STEPS = [
    ("city_review_start", CertificationStatus.RECOMMENDED, {}),
    ("certification_city_return", CertificationStatus.RECOMMENDED, {"reason": "材料不全"}),
    ("certification_city_reject", CertificationStatus.RECOMMENDED, {"reason": "不符合条件"}),
]


@pytest.mark.parametrize("step,expected,kwargs", CITY_STEPS, ids=[s[0] for s in CITY_STEPS])
@pytest.mark.parametrize("role", ["enterprise", "district", "expert", "evaluator", "department", "park"])
def test_only_the_city_takes_the_city_steps(people, certification_round, step, expected, kwargs, role):
    application = recommended(people, certification_round)
    with pytest.raises(PermissionDenied):
        getattr(services, step)(application=application, actor=getattr(people, role), **kwargs)
    assert state(application) == expected


@pytest.mark.parametrize("role", ["enterprise", "district", "expert", "evaluator", "department"])
def test_only_the_city_proposes(people, certification_round, role):
    application = reviewed(people, recommended(people, certification_round))
    with pytest.raises(PermissionDenied):
        services.certification_propose(application=application, actor=getattr(people, role), comment="x")
    assert state(application) == CertificationStatus.CITY_REVIEW


def test_returned_to_the_district_it_is_recommended_again_after_the_deadline(people, certification_round,
                                                                            pinned_clock):
    application = services.city_review_start(application=recommended(people, certification_round), actor=people.city)
    task = assign(people, application, "expert_review", people.expert)
    services.certification_city_return(application=application, actor=people.city, reason="第三方报告缺签章页")
    assert state(application) == CertificationStatus.SUBMITTED
    assert ReviewTask.objects.get(pk=task.pk).status == "withdrawn"
    clock = Deadline.objects.get(object_id=application.pk, kind="certification_recommendation", closed_at__isnull=True)
    assert clock.due_on > certification_round.recommendation_deadline or clock.due_on > datetime.date(2026, 3, 2)
    pinned_clock.move_to(datetime.datetime.combine(certification_round.recommendation_deadline
                                                   + datetime.timedelta(days=2), datetime.time(10), tzinfo=SHANGHAI))
    from tests.applications.certification_setup import all_ok

    application = CertificationApplication.objects.get(pk=application.pk)
    services.district_review_save(application=application, actor=people.district, items=all_ok(application))
    services.certification_recommend(application=application, actor=people.district)
    assert state(application) == CertificationStatus.RECOMMENDED


def test_not_certified_by_the_city_is_final(people, certification_round):
    application = services.city_review_start(application=recommended(people, certification_round), actor=people.city)
    services.certification_city_reject(application=application, actor=people.city, reason="近三年发生较大环境事故")
    assert state(application) == CertificationStatus.NOT_CERTIFIED
    with pytest.raises(TransitionConflict):
        services.city_review_start(application=application, actor=people.city)


# --- The proposed list and the departments --------------------------------------------------------------------------


def test_a_sent_list_takes_no_new_unit_and_the_next_one_starts_the_next_list(people, certification_round):
    first = proposed(people, recommended(people, certification_round))
    proposed_list = CertificationApplication.objects.get(pk=first.pk).proposed_list
    publicity.proposed_list_send(proposed_list=proposed_list, actor=people.city, departments=[people.department],
                                 due_on=datetime.date(2026, 3, 6))
    second = proposed(people, recommended(people, certification_round, park=True))
    second_list = CertificationApplication.objects.get(pk=second.pk).proposed_list
    assert second_list.pk != proposed_list.pk and second_list.number == proposed_list.number + 1


def test_the_department_sees_only_the_lists_it_was_asked_about(people, certification_round):
    application = proposed(people, recommended(people, certification_round))
    proposed_list = CertificationApplication.objects.get(pk=application.pk).proposed_list
    assert not ProposedList.objects.visible_to(people.department).exists()
    consulted(people, proposed_list)
    assert list(ProposedList.objects.visible_to(people.department)) == [proposed_list]
    for role in ("district", "enterprise", "expert", "evaluator", "park"):
        assert not ProposedList.objects.visible_to(getattr(people, role)).exists()


def test_a_department_objection_needs_reasons_and_every_unit_an_answer(people, certification_round):
    application = proposed(people, recommended(people, certification_round))
    proposed_list = publicity.proposed_list_send(
        proposed_list=CertificationApplication.objects.get(pk=application.pk).proposed_list, actor=people.city,
        departments=[people.department], due_on=datetime.date(2026, 3, 6))
    task = ReviewTask.objects.get(proposed_list=proposed_list)
    with pytest.raises(ValidationError) as refused:
        publicity.department_opinions_save(task=task, actor=people.department, answers={application.pk: (True, "")})
    assert f"reasons_{application.pk}" in refused.value.message_dict
    with pytest.raises(ValidationError):
        publicity.department_opinions_save(task=task, actor=people.department, answers={}, submit=True)
    with pytest.raises(PermissionDenied):
        publicity.department_opinions_save(task=task, actor=people.city, answers={application.pk: (False, "")})
    publicity.department_opinions_save(task=task, actor=people.department, submit=True,
                                       answers={application.pk: (True, "2025年受到行政处罚")})
    row = publicity.opinions_matrix(proposed_list)[0]
    assert row["objections"] == 1 and row["cells"][0].reasons == "2025年受到行政处罚"
    assert ReviewTask.objects.get(pk=task.pk).status == "done"


def test_publishing_waits_for_the_departments_until_their_deadline(people, certification_round, pinned_clock):
    application = proposed(people, recommended(people, certification_round))
    proposed_list = publicity.proposed_list_send(
        proposed_list=CertificationApplication.objects.get(pk=application.pk).proposed_list, actor=people.city,
        departments=[people.department], due_on=datetime.date(2026, 3, 4))
    with pytest.raises(ValidationError) as refused:
        published(people, proposed_list)
    assert "重庆市应急管理局" in refused.value.messages[0]
    pinned_clock.move_to(datetime.datetime(2026, 3, 5, 9, 0, tzinfo=SHANGHAI))
    notice = published(people, proposed_list)
    assert notice.ends_on == datetime.date(2026, 3, 11)
    assert ReviewTask.objects.get(proposed_list=proposed_list).status == "withdrawn"


# --- The five working days ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("starts_on,ends_on", [
    # National Day 2025: 1–8 October off; Sunday 28 September and Saturday 11 October are working days.
    (datetime.date(2025, 9, 29), datetime.date(2025, 10, 11)),
    (datetime.date(2025, 9, 28), datetime.date(2025, 10, 10)),
    (datetime.date(2025, 9, 30), datetime.date(2025, 10, 13)),
    # Spring Festival 2026: 15–23 February off; Saturdays 14 and 28 February are working days.
    (datetime.date(2026, 2, 12), datetime.date(2026, 2, 25)),
    (datetime.date(2026, 2, 13), datetime.date(2026, 2, 26)),
    (datetime.date(2026, 2, 24), datetime.date(2026, 2, 28)),
    # An ordinary week.
    (datetime.date(2026, 3, 2), datetime.date(2026, 3, 6)),
])
def test_the_notice_lasts_five_working_days_on_the_official_calendar(starts_on, ends_on):
    assert publicity.notice_end(starts_on) == ends_on


@pytest.mark.parametrize("day", [datetime.date(2025, 10, 1), datetime.date(2026, 2, 16), datetime.date(2026, 3, 7)])
def test_a_notice_does_not_start_on_a_day_off(day):
    with pytest.raises(ValidationError) as refused:
        publicity.notice_end(day)
    assert "不是工作日" in refused.value.message_dict["starts_on"][0]


# --- Objections -----------------------------------------------------------------------------------------------------


@pytest.fixture
def notice(people, certification_round):
    application = proposed(people, recommended(people, certification_round))
    proposed_list = consulted(people, CertificationApplication.objects.get(pk=application.pk).proposed_list)
    return published(people, proposed_list)


def _member(notice):
    return CertificationApplication.objects.get(proposed_list=notice.proposed_list)


def test_an_objection_at_the_last_second_is_taken_and_one_second_later_refused(people, notice, pinned_clock):
    last = datetime.datetime(2026, 3, 6, 23, 59, 59, tzinfo=SHANGHAI)
    pinned_clock.move_to(last)
    assert objection(notice, _member(notice)).status == "pending"
    pinned_clock.move_to(last + datetime.timedelta(seconds=1))
    with pytest.raises(ValidationError) as refused:
        objection(notice, _member(notice))
    assert "公示期已于2026-03-06结束，不再受理异议" in refused.value.messages[0]
    assert Objection.objects.count() == 1


def test_an_objection_needs_a_name_a_contact_and_its_content(people, notice):
    with pytest.raises(ValidationError) as refused:
        objection(notice, _member(notice), name="", phone="", email="", content="")
    assert {"name", "phone", "content"} <= set(refused.value.message_dict)
    files = [SimpleUploadedFile(f"{n}.pdf", pdf_bytes(), content_type="application/pdf") for n in range(4)]
    with pytest.raises(ValidationError) as refused:
        objection(notice, _member(notice), files=files)
    assert "files" in refused.value.message_dict
    assert not Objection.objects.exists()


def test_an_upheld_objection_leaves_the_unit_not_certified_and_mails_the_objector(
        people, notice, mailoutbox, django_capture_on_commit_callbacks):
    filed = objection(notice, _member(notice))
    publicity.objection_investigate(objection=filed, actor=people.city, comment="已转区县核实")
    with django_capture_on_commit_callbacks(execute=True):  # the mail is queued after commit
        publicity.objection_uphold(objection=Objection.objects.get(pk=filed.pk), actor=people.city,
                                   reason="经核实，该企业2025年发生较大环境污染事故")
    assert state(_member(notice)) == CertificationStatus.NOT_CERTIFIED
    assert Objection.objects.get(pk=filed.pk).status == "upheld"
    assert any("objector@example.cn" in m.to for m in mailoutbox)
    assert any("较大环境污染事故" in m.body for m in mailoutbox if "objector@example.cn" in m.to)


def test_the_decision_is_refused_while_an_objection_is_pending(people, notice, pinned_clock):
    filed = objection(notice, _member(notice))
    pinned_clock.move_to(datetime.datetime(2026, 3, 9, 9, 0, tzinfo=SHANGHAI))
    with pytest.raises(ValidationError) as refused:
        decide(people, notice.proposed_list)
    assert "异议未处理" in " ".join(refused.value.messages)
    assert state(_member(notice)) == CertificationStatus.IN_PUBLICITY
    publicity.objection_dismiss(objection=filed, actor=people.city, reason="经核实，事故发生于2019年，不在三年内")
    decide(people, notice.proposed_list)
    assert state(_member(notice)) == CertificationStatus.CERTIFIED


def test_the_decision_waits_for_the_end_of_the_notice(people, notice):
    with pytest.raises(ValidationError) as refused:
        decide(people, notice.proposed_list, issued_on=datetime.date(2026, 3, 2))
    assert "2026-03-06" in " ".join(refused.value.messages)


def test_the_decision_number_is_an_official_one(people, notice, pinned_clock):
    pinned_clock.move_to(datetime.datetime(2026, 3, 9, 9, 0, tzinfo=SHANGHAI))
    for bad in ("12号", "渝经信节能2026第12号"):
        with pytest.raises(ValidationError) as refused:
            decide(people, notice.proposed_list, number=bad)
        assert "document_number" in refused.value.message_dict
    decision = decide(people, notice.proposed_list, number="渝经信节能[2026] 12号")
    assert decision.document_number == "渝经信节能〔2026〕12号"


@pytest.mark.parametrize("role", ["enterprise", "district", "expert", "department"])
def test_only_the_city_decides(people, notice, pinned_clock, role):
    pinned_clock.move_to(datetime.datetime(2026, 3, 9, 9, 0, tzinfo=SHANGHAI))
    with pytest.raises(PermissionDenied):
        publicity.decision_issue(proposed_list=notice.proposed_list, actor=getattr(people, role), title="x",
                                 document_number="渝经信节能〔2026〕12号", issuer="x",
                                 issued_on=datetime.date(2026, 3, 9), body="x")
    assert state(_member(notice)) == CertificationStatus.IN_PUBLICITY


# --- From the outside try-out ---------------------------------------------------------------------------------------


def test_on_site_verification_of_a_certification_is_the_citys_own_staffs(people, certification_round):
    application = services.city_review_start(application=recommended(people, certification_round), actor=people.city)
    for kind in ("on_site", "materials_review"):
        with pytest.raises(ValidationError) as refused:
            assign(people, application, kind, people.expert)
        assert "assignee" in refused.value.message_dict
    with pytest.raises(ValidationError):
        assign(people, application, "expert_review", city_staff(people))
    assert not ReviewTask.objects.filter(certification_application=application, kind__in=["on_site",
                                                                                           "materials_review",
                                                                                           "expert_review"]).exists()


def test_the_city_reads_a_departments_answer_once_it_is_submitted(people, certification_round):
    application = proposed(people, recommended(people, certification_round))
    proposed_list = publicity.proposed_list_send(
        proposed_list=CertificationApplication.objects.get(pk=application.pk).proposed_list, actor=people.city,
        departments=[people.department], due_on=datetime.date(2026, 3, 6))
    task = ReviewTask.objects.get(proposed_list=proposed_list)
    publicity.department_opinions_save(task=task, actor=people.department,
                                       answers={application.pk: (True, "草稿：尚在核实")})
    assert publicity.opinions_matrix(proposed_list, submitted_only=True)[0]["cells"] == [None]
    assert publicity.opinions_matrix(proposed_list)[0]["cells"][0].reasons == "草稿：尚在核实"
    publicity.department_opinions_save(task=task, actor=people.department, answers={}, submit=True)
    assert publicity.opinions_matrix(proposed_list, submitted_only=True)[0]["objections"] == 1


def test_a_published_text_carries_no_mobile_number(people, notice_ready):
    with pytest.raises(ValidationError) as refused:
        publicity.notice_publish(proposed_list=notice_ready, actor=people.city, title="公示", body="现予公示",
                                 contact="联系人张三 13912345678", starts_on=datetime.date(2026, 3, 2))
    assert "contact" in refused.value.message_dict
    assert publicity.notice_publish(proposed_list=notice_ready, actor=people.city, title="公示", body="现予公示",
                                    contact="节能处 023-63899999", starts_on=datetime.date(2026, 3, 2))


@pytest.fixture
def notice_ready(people, certification_round):
    application = proposed(people, recommended(people, certification_round))
    return consulted(people, CertificationApplication.objects.get(pk=application.pk).proposed_list)


def test_the_decisions_number_is_of_its_year_and_names_no_other_document(people, notice, pinned_clock):
    from applications.models import ApplicationBan

    pinned_clock.move_to(datetime.datetime(2026, 3, 9, 9, 0, tzinfo=SHANGHAI))
    with pytest.raises(ValidationError) as refused:
        decide(people, notice.proposed_list, number="渝经信节能〔2025〕12号")
    assert "年份（2025）" in refused.value.message_dict["document_number"][0]
    ApplicationBan.objects.create(organisation=people.enterprise_2.organisation, starts_on=datetime.date(2026, 1, 5),
                                  ends_on=datetime.date(2029, 1, 5), reason="撤销",
                                  document_number="渝经信节能〔2026〕12号")
    with pytest.raises(ValidationError) as refused:
        decide(people, notice.proposed_list, number="渝经信节能〔2026〕12号")
    assert "已被其他文件使用" in refused.value.message_dict["document_number"][0]


def test_an_objectors_phone_must_be_a_phone_number(people, notice):
    with pytest.raises(ValidationError) as refused:
        objection(notice, _member(notice), phone="abc", email="")
    assert "phone" in refused.value.message_dict


def test_a_withdrawn_review_task_tells_its_assignee(people, certification_round):
    from accounts.models import Notification

    application = services.city_review_start(application=recommended(people, certification_round), actor=people.city)
    assign(people, application, "expert_review", people.expert)
    services.certification_city_return(application=application, actor=people.city, reason="材料不全，退回区县")
    assert Notification.objects.filter(recipient=people.expert, title__contains="任务已撤回").exists()


@pytest.mark.parametrize("contact", ["联系人 +8613912345678", "139 1234 5678", "＋86 139-1234-5678",
                                     "身份证500101199001011234"])
def test_a_personal_number_is_refused_however_it_is_written(contact):
    from applications.services.certification_rounds import personal_data_error

    assert personal_data_error(contact)
    assert personal_data_error("市经济信息委节能处，电话023-63899999，传真023-63899998") is None


def test_a_second_objection_to_a_unit_already_taken_off_may_be_upheld(people, notice, mailoutbox,
                                                                      django_capture_on_commit_callbacks):
    first = objection(notice, _member(notice))
    second = objection(notice, _member(notice), name="李某", email="li@example.cn")
    publicity.objection_uphold(objection=first, actor=people.city, reason="经核实，发生较大环境污染事故")
    with django_capture_on_commit_callbacks(execute=True):
        publicity.objection_uphold(objection=Objection.objects.get(pk=second.pk), actor=people.city,
                                   reason="同一事故，异议成立")
    assert Objection.objects.get(pk=second.pk).status == "upheld"
    assert state(_member(notice)) == CertificationStatus.NOT_CERTIFIED
    assert any("li@example.cn" in m.to and "异议成立" in m.body for m in mailoutbox)
