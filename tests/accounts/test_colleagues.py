"""Several users per enterprise: a user adds and switches off colleagues in its own unit only."""

import pytest
from django.urls import reverse

from accounts.models import AuditAction, AuditEvent, User

pytestmark = pytest.mark.django_db


def test_an_enterprise_user_adds_a_colleague_who_must_change_the_password(client, people):
    client.force_login(people.enterprise)
    response = client.post(reverse("accounts:colleague_create"), {
        "full_name": "赵同事", "phone": "13700001111", "email": "colleague@example.com", "username": "zhao-colleague",
    })
    assert response.status_code == 200
    colleague = User.objects.get(username="zhao-colleague")
    assert colleague.organisation_id == people.enterprise.organisation_id
    assert colleague.role == "enterprise"
    assert colleague.must_change_password
    assert colleague.check_password(response.context["password"])
    assert AuditEvent.objects.filter(action=AuditAction.ACCOUNT_CREATED, actor=people.enterprise).exists()


def test_the_colleague_list_shows_only_the_own_unit(client, people):
    client.force_login(people.enterprise)
    html = client.get(reverse("accounts:colleagues")).content.decode()
    assert people.enterprise.username in html
    assert people.enterprise_2.username not in html


def test_switching_a_colleague_off_ends_their_session_and_another_units_user_gets_404(client, people):
    from django.test import Client

    from tests.factories import UserFactory

    colleague = UserFactory(username="to-disable", organisation=people.enterprise.organisation)
    their_browser = Client()
    their_browser.force_login(colleague)
    assert their_browser.get(reverse("home")).status_code == 200

    client.force_login(people.enterprise_2)
    assert client.post(reverse("accounts:colleague_toggle", args=[colleague.public_id]),
                       {"active": "0"}).status_code == 404
    colleague.refresh_from_db()
    assert colleague.is_active

    client.force_login(people.enterprise)
    client.post(reverse("accounts:colleague_toggle", args=[colleague.public_id]), {"active": "0"})
    colleague.refresh_from_db()
    assert not colleague.is_active
    assert their_browser.get(reverse("home")).status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.ACCOUNT_DISABLED, object_id=str(colleague.public_id)).exists()


def test_nobody_switches_themselves_off(client, people):
    client.force_login(people.enterprise)
    response = client.post(reverse("accounts:colleague_toggle", args=[people.enterprise.public_id]), {"active": "0"},
                           follow=True)
    assert "不能停用自己的账号" in response.content.decode()
    people.enterprise.refresh_from_db()
    assert people.enterprise.is_active


@pytest.mark.parametrize("role", ["district", "city", "expert", "evaluator", "department", "admin"])
def test_other_roles_do_not_manage_unit_colleagues(client, people, role):
    client.force_login(getattr(people, role))
    assert client.get(reverse("accounts:colleagues")).status_code == 403
    assert client.post(reverse("accounts:colleague_create"), {"username": "x"}).status_code == 403
