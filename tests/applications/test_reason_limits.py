"""Reasons have one limit and the user is told it exactly (issue 6, items 2 and 15, second round): every reason form
refuses a 1001-character reason with a message naming the limit; the reason to admit against a failing criterion
leaves room for the prefix stored before it; the transition kernel refuses an over-long comment whatever the form."""


import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from accounts import services as account_services
from accounts.choices import OrganisationStatus
from accounts.models import Enterprise, IdentityChange, IdentityChangeStatus
from applications import services
from applications.models import IntakeApplication, IntakeStatus
from greenfactory.workflow import COMMENT_MAX_LENGTH, fire
from tests.factories import EnterpriseFactory, credit_code_for
from tests.helpers import submitted

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_clock")]

TOO_LONG = "长" * (COMMENT_MAX_LENGTH + 1)


def action_url(application, action):
    return reverse("applications:intake_action", args=[application.public_id, action])


def failing(application, *criteria):
    application.criteria.filter(criterion__in=criteria).update(result="not_met", reason="不符合。")
    return application


# --- The reason to admit against a failing criterion ----------------------------------------------------------------


def test_the_accept_reason_limit_leaves_room_for_the_prefix_stored_before_it(client, people, campaign):
    application = failing(submitted(campaign, people.enterprise), "2", "3")
    with translation.override("zh-hans"):
        prefix = "不符合入库标准第2、3项，纳入理由："
        limit = services.accept_reason_limit(list(application.criteria.filter(criterion__in=["2", "3"])))
    assert limit == COMMENT_MAX_LENGTH - len(prefix)
    client.force_login(people.district)
    page = client.get(reverse("applications:intake_detail", args=[application.public_id])).content.decode()
    # The counter on the page counts against the same limit.
    assert f'data-maxchars="{limit}"' in page
    response = client.post(action_url(application, "accept"), {"accept-reason": "理" * (limit + 1)})
    html = response.content.decode()
    assert f"“纳入理由”最多{limit}个字，现有{limit + 1}个字" in html
    assert "1000" not in html.split('id="accept-form"')[1].split("</form>")[0]
    application.refresh_from_db()
    assert application.status == IntakeStatus.SUBMITTED
    response = client.post(action_url(application, "accept"), {"accept-reason": "理" * limit})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == IntakeStatus.ACCEPTED
    assert application.decision_reason == prefix + "理" * limit
    assert len(application.decision_reason) == COMMENT_MAX_LENGTH


def test_the_service_refuses_an_accept_reason_past_its_limit_with_the_officials_own_count(people, campaign):
    application = failing(submitted(campaign, people.enterprise), "3")
    limit = services.accept_reason_limit(services.criteria_not_met(application))
    with pytest.raises(ValidationError) as error:
        services.intake_accept(application=application, actor=people.district, comment="理" * (limit + 5))
    assert f"最多{limit}个字，现有{limit + 5}个字" in str(error.value)
    assert IntakeApplication.objects.get(pk=application.pk).status == IntakeStatus.SUBMITTED


def test_a_compliant_case_keeps_the_whole_limit_for_its_comment(people, campaign):
    assert services.accept_reason_limit([]) == COMMENT_MAX_LENGTH
    application = submitted(campaign, people.enterprise)
    services.intake_accept(application=application, actor=people.district, comment="理" * COMMENT_MAX_LENGTH)
    application.refresh_from_db()
    assert application.status == IntakeStatus.ACCEPTED


# --- A 1001-character reason on every reason form -------------------------------------------------------------------


def _assert_refused_naming_the_limit(response, label, limit=COMMENT_MAX_LENGTH, count=COMMENT_MAX_LENGTH + 1):
    assert response.status_code in (200, 400)
    html = response.content.decode()
    assert f"“{label}”最多{limit}个字，现有{count}个字" in html, html[:2000]


@pytest.mark.parametrize(("action", "field", "label", "state"), [
    ("return", "reason", "原因", IntakeStatus.SUBMITTED),
    ("reject", "reason", "原因", IntakeStatus.SUBMITTED),
    ("accept", "accept-reason", "纳入理由", IntakeStatus.SUBMITTED),
    ("reinstate", "reinstate-reason", "恢复原因", IntakeStatus.WITHDRAWN),
])
def test_every_intake_reason_form_refuses_1001_characters_naming_the_limit(client, people, campaign, action, field,
                                                                          label, state):
    application = submitted(campaign, people.enterprise)
    limit = COMMENT_MAX_LENGTH
    if state == IntakeStatus.WITHDRAWN:
        services.intake_withdraw(application=application, actor=people.enterprise)
    if action == "accept":  # the reason field is there when a criterion fails
        failing(application, "3")
        limit = services.accept_reason_limit(services.criteria_not_met(application))
    client.force_login(people.district)
    _assert_refused_naming_the_limit(client.post(action_url(application, action), {field: TOO_LONG}), label,
                                     limit=limit)
    application.refresh_from_db()
    assert application.status == state


def test_the_registration_refusal_refuses_1001_characters_naming_the_limit(client, people):
    pending = EnterpriseFactory(status=OrganisationStatus.PENDING)
    client.force_login(people.district)
    response = client.post(reverse("accounts:registration_refuse", args=[pending.public_id]), {"reason": TOO_LONG})
    _assert_refused_naming_the_limit(response, "未通过原因")
    assert Enterprise.objects.get(pk=pending.pk).status == OrganisationStatus.PENDING


def test_the_identity_change_request_and_refusal_refuse_1001_characters_naming_the_limit(client, people):
    client.force_login(people.enterprise)
    response = client.post(reverse("accounts:identity_change_create"), {
        "new_name": "重庆长寿一号新材料有限公司", "new_credit_code": credit_code_for("500115", 818181),
        "reason": TOO_LONG})
    _assert_refused_naming_the_limit(response, "变更原因")
    assert not IdentityChange.objects.exists()
    change = account_services.identity_change_request(
        actor=people.enterprise, new_name="重庆长寿一号新材料有限公司",
        new_credit_code=credit_code_for("500115", 818181), reason="工商变更")
    client.force_login(people.district)
    response = client.post(reverse("accounts:identity_change_refuse", args=[change.public_id]), {"reason": TOO_LONG})
    _assert_refused_naming_the_limit(response, "未通过原因")
    change.refresh_from_db()
    assert change.status == IdentityChangeStatus.PENDING


def test_the_campaign_closing_refuses_1001_characters_naming_its_limit(client, people, campaign):
    client.force_login(people.city)
    response = client.post(reverse("applications:campaign_close", args=[campaign.public_id]), {"reason": TOO_LONG})
    _assert_refused_naming_the_limit(response, "提前结束原因", limit=services.CLOSING_REASON_MAX)
    campaign.refresh_from_db()
    assert campaign.closed_at is None


# --- The transition kernel ------------------------------------------------------------------------------------------


def test_the_transition_kernel_refuses_an_over_long_comment_and_changes_nothing(people, campaign):
    application = submitted(campaign, people.enterprise)
    application = IntakeApplication.objects.get(pk=application.pk)
    with pytest.raises(ValidationError) as error:
        fire(application, "return_for_changes", actor=people.district, comment=TOO_LONG)
    assert f"最多 {COMMENT_MAX_LENGTH} 个字符" in str(error.value)
    assert application.status == IntakeStatus.SUBMITTED
    assert IntakeApplication.objects.get(pk=application.pk).status == IntakeStatus.SUBMITTED
    # The same comment within the limit passes.
    fire(application, "return_for_changes", actor=people.district,
         comment=TOO_LONG[:COMMENT_MAX_LENGTH])
    assert IntakeApplication.objects.get(pk=application.pk).status == IntakeStatus.RETURNED
