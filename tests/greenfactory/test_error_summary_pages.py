"""Every page with a form that can fail lists the wrong fields at the top, each linked to its field (issue 6,
item 4, second round): not only the intake form. Each case posts what a user gets wrong and looks for the summary
with a link to the field."""

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts import services as account_services
from accounts.choices import OrganisationStatus, Role
from applications import services
from tests.factories import EnterpriseFactory, UserFactory, credit_code_for
from tests.helpers import submitted

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_clock")]


def summary_of(response) -> str:
    html = response.content.decode()
    match = re.search(r'<div class="alert alert-danger portal-error-summary".*?</div>', html, re.S)
    assert match, f"no error summary on the page ({response.status_code}): {html[:1500]}"
    return match.group()


def assert_summary_links(response, *anchors):
    summary = summary_of(response)
    for anchor in anchors:
        assert f'href="#{anchor}"' in summary, summary
    # One summary on the page, not one per form.
    assert response.content.decode().count("portal-error-summary") == 1


def _login(client, user):
    if user is not None:
        client.force_login(user)


# (who, url, posted data, anchors the summary links to), built from the fixtures.
def _cases(people, campaign):
    refused = EnterpriseFactory(status=OrganisationStatus.REFUSED)
    refused_user = UserFactory(role=Role.ENTERPRISE, organisation=refused)
    pending = EnterpriseFactory(status=OrganisationStatus.PENDING)
    change = account_services.identity_change_request(
        actor=people.enterprise, new_name="重庆长寿一号新材料有限公司",
        new_credit_code=credit_code_for("500115", 818181), reason="工商变更")
    return {
        "login": (None, reverse("accounts:login"), {"username": "", "password": ""}, ["id_username"]),
        "register": (None, reverse("accounts:register"), {"name": ""}, ["id_name"]),
        "registration resubmit": (refused_user, reverse("accounts:registration_status"), {"name": ""},
                                  ["id_name"]),
        "registration refusal": (people.district, reverse("accounts:registration_refuse", args=[pending.public_id]),
                                 {"reason": ""}, ["id_reason"]),
        "identity change": (people.enterprise_2, reverse("accounts:identity_change_create"), {"new_name": ""},
                            ["id_new_name"]),
        "identity change refusal": (people.district, reverse("accounts:identity_change_refuse",
                                                             args=[change.public_id]), {"reason": ""},
                                    ["id_reason"]),
        "password change": (people.city, reverse("accounts:password_change"), {"old_password": ""},
                            ["id_old_password"]),
        "password reset": (None, reverse("accounts:password_reset"), {"email": "不是邮箱"}, ["id_email"]),
        "account creation": (people.city, reverse("accounts:account_create"), {"username": ""}, ["id_username"]),
        "colleague creation": (people.enterprise, reverse("accounts:colleague_create"), {"username": ""},
                               ["id_username"]),
        "campaign creation": (people.city, reverse("applications:campaign_create"), {"title": ""}, ["id_title"]),
        "campaign correction": (people.city, reverse("applications:campaign_edit", args=[campaign.public_id]),
                                {"title": "", "initial-title": campaign.title}, ["id_title"]),
        "campaign extension": (people.city, reverse("applications:campaign_extend", args=[campaign.public_id]),
                               {"deadline": "下周"}, ["id_deadline"]),
        "campaign closing": (people.city, reverse("applications:campaign_close", args=[campaign.public_id]),
                             {"reason": ""}, ["id_reason"]),
    }


CASES = ["login", "register", "registration resubmit", "registration refusal", "identity change",
         "identity change refusal", "password change", "password reset", "account creation", "colleague creation",
         "campaign creation", "campaign correction", "campaign extension", "campaign closing"]


@pytest.mark.parametrize("case", CASES)
def test_a_failing_post_shows_the_error_summary_at_the_top(client, people, campaign, case):
    user, url, data, anchors = _cases(people, campaign)[case]
    _login(client, user)
    response = client.post(url, data)
    assert response.status_code in (200, 400)
    assert_summary_links(response, *anchors)
    html = response.content.decode()
    # At the top: before the form it speaks of.
    assert html.index("portal-error-summary") < html.index(f'id="{anchors[0]}"')


def test_the_password_reset_link_page_shows_the_summary(client, people):
    user = people.enterprise
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    response = client.get(reverse("accounts:password_reset_confirm", args=[uid, token]))
    assert response.status_code == 302  # Django moves the token into the session
    response = client.post(response.url, {"new_password1": "Reset-Pass-2026x", "new_password2": "Other-Pass-2026y"})
    assert_summary_links(response, "id_new_password2")


@pytest.mark.parametrize(("action", "field", "anchor"), [
    ("return", "reason", "id_reason"),
    ("accept", "accept-reason", "id_accept-reason"),
    ("reinstate", "reinstate-reason", "id_reinstate-reason"),
])
def test_the_intake_decision_forms_show_the_summary(client, people, campaign, action, field, anchor):
    application = submitted(campaign, people.enterprise)
    if action == "reinstate":
        services.intake_withdraw(application=application, actor=people.enterprise)
    if action == "accept":
        application.criteria.filter(criterion="3").update(result="not_met", reason="利润为负。")
    client.force_login(people.district)
    response = client.post(reverse("applications:intake_action", args=[application.public_id, action]),
                           {field: ""})
    assert_summary_links(response, anchor)


def test_a_page_without_errors_shows_no_summary(client, people, campaign):
    client.force_login(people.city)
    for url in (reverse("applications:campaign_detail", args=[campaign.public_id]),
                reverse("applications:campaign_create"), reverse("accounts:account_create")):
        assert "portal-error-summary" not in client.get(url).content.decode()
