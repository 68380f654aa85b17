"""Issue 6 on the intake pages, for every role: the registered identity, the criteria warning before submission, the
override reason, deleting a draft, withdrawing and reopening, the current round's decision, 403 before 409, and 409
with a link back to the record."""

import re
from datetime import datetime
from decimal import Decimal
from html import unescape

import pytest
import time_machine
from django.urls import reverse
from django_fsm_log.models import StateLog

from accounts.models import Notification
from applications import services
from applications.models import IntakeApplication, IntakeStatus
from tests.factories import EnterpriseFactory, district
from tests.helpers import SHANGHAI, edit_url, filled, intake_form_data, submitted

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_clock")]


ROLES = ["enterprise", "enterprise_2", "district", "district_2", "city", "expert", "anonymous"]


def detail_url(application):
    return reverse("applications:intake_detail", args=[application.public_id])


def action_url(application, action):
    return reverse("applications:intake_action", args=[application.public_id, action])


def log_in_as(client, people, role):
    if role != "anonymous":
        client.force_login(getattr(people, role))


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# --- 1. Identity ----------------------------------------------------------------------------------------------------


def test_posting_another_companys_name_and_credit_code_changes_nothing(client, people, campaign):
    other = EnterpriseFactory(district=district("长寿区"), name="重庆冒名顶替化工有限公司")
    application = services.intake_start(campaign=campaign, actor=people.enterprise)
    registered = people.enterprise.organisation.enterprise
    client.force_login(people.enterprise)
    forged = intake_form_data(application, company_name=other.name, credit_code=other.credit_code)
    assert client.post(edit_url(application), {**forged, "save": "1"}).status_code == 302
    application.refresh_from_db()
    assert (application.company_name, application.credit_code) == (registered.name, registered.credit_code)
    response = client.post(edit_url(application), {**forged, "submit": "1", "criteria_acknowledged": ""})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == IntakeStatus.SUBMITTED
    assert (application.company_name, application.credit_code) == (registered.name, registered.credit_code)
    for user in (people.district, people.enterprise):
        client.force_login(user)
        html = page(client, detail_url(application))
        assert other.name not in html and other.credit_code not in html
        assert registered.credit_code in html
    client.force_login(people.district)
    assert other.name not in page(client, reverse("applications:intake_queue"))


def test_the_district_sees_when_the_registration_changed_after_submission(client, people, campaign):
    application = submitted(campaign, people.enterprise)
    enterprise = people.enterprise.organisation.enterprise
    type(enterprise).objects.filter(pk=enterprise.pk).update(name="重庆长寿更名化工有限公司")
    client.force_login(people.district)
    html = page(client, detail_url(application))
    assert "重庆长寿更名化工有限公司" in html and "按提交时的登记信息审核" in html


# --- 2. Criteria: warned before submitting, a reason to admit against them -----------------------------------------


def test_the_form_warns_of_failing_criteria_by_the_submit_button_and_in_its_confirmation(client, people, campaign):
    application = filled(campaign, people.enterprise, output_value=Decimal("3000"))
    client.force_login(people.enterprise)
    html = page(client, edit_url(application))
    warning = re.search(r'<div class="alert alert-warning mt-3" id="criteria-warnings".*?</div>', html, re.S).group()
    assert "年产值超过5000万元" in warning and "3000.00" in warning
    confirm = unescape(re.search(r'id="submit-button" data-confirm="([^"]*)"', html).group(1))
    assert "2. 年产值超过5000万元" in confirm
    assert 'name="criteria_acknowledged" value="2"' in html
    # A compliant draft: no warning, the plain confirmation.
    client.force_login(people.enterprise_2)
    html = page(client, edit_url(filled(campaign, people.enterprise_2)))
    assert 'id="criteria-warnings"' not in html
    assert 'name="criteria_acknowledged" value=""' in html


def test_a_failing_criterion_the_enterprise_was_not_shown_holds_the_submission_back_once(client, people, campaign):
    application = filled(campaign, people.enterprise)
    client.force_login(people.enterprise)
    # Output changed in the form and submitted at once: the page had shown no warning.
    data = intake_form_data(application, output_value="3000", submit="1", criteria_acknowledged="")
    response = client.post(edit_url(application), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "入库标准第2项不符合" in html
    assert 'id="criteria-warnings"' in html
    application.refresh_from_db()
    assert application.status == IntakeStatus.DRAFT
    assert application.output_value == Decimal("3000")  # the draft was saved
    response = client.post(edit_url(application), {**data, "criteria_acknowledged": "2"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == IntakeStatus.SUBMITTED


def test_the_district_admits_a_failing_case_only_with_a_reason_that_is_then_shown(client, people, campaign):
    application = submitted(campaign, people.enterprise)
    # The criteria are judged at submission; here criterion 3 failed.
    application.criteria.filter(criterion="3").update(result="not_met", reason="2024年利润总额不为正。")
    client.force_login(people.district)
    html = page(client, detail_url(application))
    assert 'id="accept-warning"' in html and "2024年利润总额不为正" in html
    assert "入库标准第3项不符合或需人工判断" in unescape(re.search(r'id="accept-form" data-confirm="([^"]*)"',
                                                                      html).group(1))
    response = client.post(action_url(application, "accept"), {"accept-reason": ""})
    assert response.status_code == 200
    assert "纳入培育库须填写理由" in response.content.decode()
    application.refresh_from_db()
    assert application.status == IntakeStatus.SUBMITTED
    response = client.post(action_url(application, "accept"), {"accept-reason": "区重点扶持的技改项目"})
    assert response.status_code == 302
    for user in (people.district, people.enterprise, people.city):
        client.force_login(user)
        html = page(client, detail_url(application))
        current = re.search(r'id="current-decision".*?</div>', html, re.S).group()
        assert "不符合入库标准第3项，纳入理由：区重点扶持的技改项目" in current
        history = html[html.index('class="card mt-3 history"'):]
        assert "区重点扶持的技改项目" in history


def test_a_compliant_case_is_admitted_with_the_plain_confirmation(client, people, campaign):
    application = submitted(campaign, people.enterprise)
    client.force_login(people.district)
    html = page(client, detail_url(application))
    assert 'id="accept-warning"' not in html
    assert client.post(action_url(application, "accept")).status_code == 302


@pytest.mark.parametrize(("reason", "status"), [("坏\x00字符", 400), ("长" * 1001, 200)])
def test_a_bad_reason_is_refused_on_the_page_never_with_a_500(client, people, campaign, reason, status):
    application = submitted(campaign, people.enterprise)
    client.force_login(people.district)
    response = client.post(action_url(application, "return"), {"reason": reason})
    # A NUL byte is refused for the whole portal (400, greenfactory.middleware); an over-long reason on the form.
    assert response.status_code == status
    if status == 200:
        assert 'class="invalid-feedback' in response.content.decode()
    application.refresh_from_db()
    assert application.status == IntakeStatus.SUBMITTED


# --- 6. Delete a draft, withdraw, reopen ----------------------------------------------------------------------------


def test_a_draft_offers_delete_not_withdraw_and_a_submitted_one_says_what_withdrawal_costs(client, people, campaign):
    draft = filled(campaign, people.enterprise)
    client.force_login(people.enterprise)
    html = page(client, detail_url(draft))
    assert "继续填报" in html and "删除草稿" in html
    assert "撤回申请" not in html
    application = services.intake_submit(application=draft, actor=people.enterprise)
    html = page(client, detail_url(application))
    assert "删除草稿" not in html and "继续填报" not in html
    confirm = unescape(re.search(r"action=\"[^\"]*/withdraw/\" data-confirm=\"([^\"]*)\"", html).group(1))
    assert "不再审核" in confirm and "只有区县经信部门可以在截止日期（2026-03-15）前恢复" in confirm


# A draft is its enterprise's alone (applications.selectors.openable_by): to an official it does not exist.
EXPECTED_DELETE = {"enterprise": 302, "enterprise_2": 404, "district": 404, "district_2": 404, "city": 404,
                   "expert": 404, "anonymous": "login"}


@pytest.mark.parametrize("role", ROLES)
def test_deleting_a_draft_by_role(client, people, campaign, role):
    application = filled(campaign, people.enterprise)
    log_in_as(client, people, role)
    response = client.post(action_url(application, "delete"))
    expected = EXPECTED_DELETE[role]
    if expected == "login":
        assert response.status_code == 302 and "/login" in response["Location"]
    else:
        assert response.status_code == expected
    deleted = not IntakeApplication.objects.filter(pk=application.pk).exists()
    assert deleted == (role == "enterprise")
    if role == "enterprise":
        assert response["Location"] == reverse("applications:my_applications")
        assert "草稿已删除" in page(client, response["Location"])
        # Started again: a fresh draft from the campaign.
        response = client.post(reverse("applications:intake_start", args=[campaign.public_id]))
        fresh = IntakeApplication.objects.get(campaign=campaign, enterprise=people.enterprise.organisation_id)
        assert fresh.public_id != application.public_id
        assert response["Location"] == edit_url(fresh)


EXPECTED_REINSTATE = {"enterprise": 403, "enterprise_2": 404, "district": 302, "district_2": 404, "city": 403,
                      "expert": 404, "anonymous": "login"}


@pytest.mark.parametrize("role", ROLES)
def test_reopening_a_withdrawn_application_by_role(client, people, campaign, role):
    application = submitted(campaign, people.enterprise)
    services.intake_withdraw(application=application, actor=people.enterprise)
    log_in_as(client, people, role)
    if role not in ("anonymous",) and EXPECTED_REINSTATE[role] != 404:
        html = page(client, detail_url(application))
        assert ('id="reinstate"' in html) == (role == "district")
    response = client.post(action_url(application, "reinstate"), {"reinstate-reason": "企业来电说明误操作"})
    expected = EXPECTED_REINSTATE[role]
    if expected == "login":
        assert response.status_code == 302 and "/login" in response["Location"]
    else:
        assert response.status_code == expected
    application.refresh_from_db()
    assert application.status == (IntakeStatus.DRAFT if role == "district" else IntakeStatus.WITHDRAWN)


def test_the_withdraw_reopen_round_trip_on_the_pages(client, people, campaign):
    application = submitted(campaign, people.enterprise)
    client.force_login(people.enterprise)
    assert client.post(action_url(application, "withdraw")).status_code == 302
    html = page(client, detail_url(application))
    assert 'id="withdrawn-note"' in html
    assert "如需恢复，请在2026-03-15前联系区县经信部门" in page(client, reverse("applications:my_applications"))
    client.force_login(people.district)
    assert 'class="badge text-bg-primary me-1">' not in page(client, reverse("home")).split("入库申请待审核")[0][-300:]
    assert not Notification.objects.filter(recipient=people.district, read_at__isnull=True).exists()
    response = client.post(action_url(application, "reinstate"), {"reinstate-reason": ""})
    assert response.status_code == 200 and "请填写原因" in response.content.decode()
    assert client.post(action_url(application, "reinstate"),
                       {"reinstate-reason": "企业来电说明误操作"}).status_code == 302
    client.force_login(people.enterprise)
    html = page(client, detail_url(application))
    assert "继续填报" in html and "企业来电说明误操作" in html
    # Once submitted, it is the district's case: a draft that was submitted is withdrawn, never deleted.
    assert "删除草稿" not in html and "撤回申请" in html


def test_after_the_deadline_the_district_is_told_it_cannot_reopen(client, people, campaign):
    application = submitted(campaign, people.enterprise)
    services.intake_withdraw(application=application, actor=people.enterprise)
    with time_machine.travel(datetime(2026, 3, 16, 9, 0, tzinfo=SHANGHAI), tick=False):
        client.force_login(people.district)  # a new session: the one of the 2nd would have timed out
        html = page(client, detail_url(application))
        assert 'id="reinstate"' not in html
        assert "撤回的申请不能再恢复" in html
        response = client.post(action_url(application, "reinstate"), {"reinstate-reason": "企业申请恢复"},
                               follow=True)
    assert "本年度入库申请已于2026-03-15截止，撤回的申请不能再恢复。" in response.content.decode()
    application.refresh_from_db()
    assert application.status == IntakeStatus.WITHDRAWN


# --- 7. The current round's decision --------------------------------------------------------------------------------


def test_the_return_reason_is_on_the_edit_form_and_leaves_the_top_after_resubmission(client, people, campaign):
    application = submitted(campaign, people.enterprise)
    services.intake_return(application=application, actor=people.district, reason="请补充2024年审计报告")
    client.force_login(people.enterprise)
    assert client.post(action_url(application, "reopen")).status_code == 302
    html = page(client, edit_url(application))
    assert "请补充2024年审计报告" in re.search(r'id="current-decision".*?</div>', html, re.S).group()
    with time_machine.travel(datetime(2026, 3, 2, 10, 5, tzinfo=SHANGHAI), tick=False):
        response = client.post(edit_url(application),
                               intake_form_data(application, submit="1", criteria_acknowledged=""))
    assert response.status_code == 302
    for user in (people.enterprise, people.district):
        client.force_login(user)
        html = page(client, detail_url(application))
        assert 'id="current-decision"' not in html
        assert "审核意见" not in html
        assert "请补充2024年审计报告" in html[html.index('class="card mt-3 history"'):]


# --- 10. What the case page shows -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["enterprise", "district", "city"])
def test_the_case_page_hides_the_scans_hash_and_labels_the_phone(client, people, campaign, role):
    application = submitted(campaign, people.enterprise)
    client.force_login(getattr(people, role))
    html = page(client, detail_url(application))
    assert "SHA-256" not in html and application.scans.get().sha256[:16] not in html
    assert re.search(r'<th scope="row">填报人</th><td>张明</td></tr>\s*<tr><th scope="row">联系电话</th>'
                     r"<td>13800138000</td>", html)


# --- 19. 403 before 409, 409 with a link back -----------------------------------------------------------------------


def test_a_stale_edit_posted_after_submission_answers_409_with_a_link_back(client, people, campaign):
    application = submitted(campaign, people.enterprise)
    client.force_login(people.enterprise)
    response = client.post(edit_url(application), intake_form_data(application, address="迟到的新地址", save="1"))
    assert response.status_code == 409
    html = response.content.decode()
    assert "您在此之前打开的表单未保存" in html
    assert f'href="{detail_url(application)}"' in html
    application.refresh_from_db()
    assert application.address != "迟到的新地址"


def test_a_repeated_decision_answers_409_with_a_link_back(client, people, campaign):
    application = submitted(campaign, people.enterprise)
    client.force_login(people.district)
    assert client.post(action_url(application, "return"), {"reason": "补充材料"}).status_code == 302
    for action in ("return", "reject", "accept"):
        response = client.post(action_url(application, action), {"reason": "再次"})
        assert response.status_code == 409, action
        assert f'href="{detail_url(application)}"' in response.content.decode()
    assert StateLog.objects.for_(application).filter(state="returned").count() == 1


@pytest.mark.parametrize(("role", "action", "state"), [
    ("city", "accept", "accepted"),
    ("city", "reinstate", "submitted"),
    ("enterprise", "reject", "draft"),
    ("enterprise", "accept", "accepted"),
    ("enterprise", "reinstate", "draft"),
    ("district", "withdraw", "accepted"),
    ("district", "delete", "submitted"),
    ("district", "submit", "submitted"),
])
def test_a_wrong_role_post_gets_403_whatever_the_state(client, people, campaign, role, action, state):
    application = filled(campaign, people.enterprise)
    if state != "draft":
        application = submitted(campaign, people.enterprise)
    if state == "accepted":
        services.intake_accept(application=application, actor=people.district)
    client.force_login(getattr(people, role))
    response = client.post(action_url(application, action), {"reason": "x", "accept-reason": "x",
                                                             "reinstate-reason": "x"})
    assert response.status_code == 403


@pytest.mark.parametrize("action", ["reopen", "accept", "return", "delete"])
def test_an_officials_post_on_a_draft_finds_no_such_application(client, people, campaign, action):
    application = filled(campaign, people.enterprise)
    for official in (people.district, people.city):
        client.force_login(official)
        response = client.post(action_url(application, action), {"reason": "x", "accept-reason": "x"})
        assert response.status_code == 404
    application.refresh_from_db()
    assert application.status == IntakeStatus.DRAFT


EXPECTED_ENTERPRISE_ACTION = {"enterprise": 302, "enterprise_2": 404, "district": 403, "district_2": 404,
                              "city": 403, "expert": 404, "anonymous": "login"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("action", "before", "after"), [
    ("withdraw", IntakeStatus.SUBMITTED, IntakeStatus.WITHDRAWN),
    ("reopen", IntakeStatus.RETURNED, IntakeStatus.DRAFT),
])
def test_withdrawing_and_reopening_a_returned_application_by_role(client, people, campaign, role, action, before,
                                                                    after):
    application = submitted(campaign, people.enterprise)
    if before == IntakeStatus.RETURNED:
        services.intake_return(application=application, actor=people.district, reason="补充材料")
    log_in_as(client, people, role)
    response = client.post(action_url(application, action))
    expected = EXPECTED_ENTERPRISE_ACTION[role]
    if expected == "login":
        assert response.status_code == 302 and "/login" in response["Location"]
    else:
        assert response.status_code == expected
    application.refresh_from_db()
    assert application.status == (after if role == "enterprise" else before)
