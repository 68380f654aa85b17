"""The rules that moved out of the views and forms into accounts' services: a password change and a self-service
reset (one transaction with their audit), an account created in the unit its role needs, and one account per
mailbox whatever the case of the address — a clear message on the field, also when two requests race."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.urls import reverse

from accounts.models import AuditAction, AuditEvent, Organisation, OrganisationKind, User
from accounts.services import officials, passwords
from tests.factories import PASSWORD, UserFactory, district

pytestmark = pytest.mark.django_db

TAKEN = "该电子邮箱已被其他账号使用。每个账号须使用自己的邮箱，以便找回密码。"


def _events(action, user):
    return AuditEvent.objects.filter(action=action, object_id=str(user.public_id))


def test_a_password_change_clears_the_must_change_flag_and_is_audited_once(people):
    user = UserFactory(role="city", organisation=people.city.organisation, must_change_password=True)
    changed = passwords.password_change(actor=user, password="Brand-New-Pass-77")
    user.refresh_from_db()
    assert user.check_password("Brand-New-Pass-77")
    assert not user.must_change_password
    assert changed.password == user.password
    assert _events(AuditAction.PASSWORD_CHANGED, user).count() == 1


def test_the_password_change_page_keeps_its_own_session_and_ends_the_others(client, people):
    other = type(client)()
    other.force_login(people.city)
    client.force_login(people.city)
    response = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "Brand-New-Pass-77", "new_password2": "Brand-New-Pass-77",
    })
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert other.get(reverse("home"))["Location"].startswith(reverse("accounts:login"))
    assert _events(AuditAction.PASSWORD_CHANGED, people.city).count() == 1


def test_a_self_service_reset_sets_the_password_ends_every_session_and_is_audited(people):
    user = UserFactory(role="city", organisation=people.city.organisation, must_change_password=True)
    stamp = user.session_stamp
    passwords.password_reset_complete(actor=user, password="Reset-Pass-2026x")
    user.refresh_from_db()
    assert user.check_password("Reset-Pass-2026x")
    assert not user.must_change_password
    assert user.session_stamp != stamp
    assert _events(AuditAction.PASSWORD_RESET, user).count() == 1


def test_a_district_account_needs_its_district_named_on_the_field(people):
    with pytest.raises(ValidationError) as error:
        officials.account_create(actor=people.city, role="district", username="no-district", full_name="某人",
                                 email="no-district@example.com")
    assert error.value.message_dict == {"district": ["请选择区县。"]}
    assert not User.objects.filter(username="no-district").exists()


def test_an_evaluators_account_is_opened_with_its_named_unit_in_one_transaction(people):
    user, password = officials.account_create(
        actor=people.city, role="evaluator", username="new-evaluator", full_name="孙八",
        email="sunba@example.com", organisation_name="重庆某评价中心")
    assert user.organisation.kind == OrganisationKind.EVALUATOR
    assert user.organisation.name == "重庆某评价中心"
    assert user.must_change_password and user.check_password(password)
    with pytest.raises(ValidationError):
        officials.account_create(actor=people.city, role="evaluator", username="second-evaluator",
                                 full_name="孙九", email="SUNBA@example.com", organisation_name="另一评价中心")
    # The refused account's new unit went with it.
    assert not Organisation.objects.filter(name="另一评价中心").exists()


@pytest.mark.parametrize("address", ["qianqi@example.com", "QianQi@Example.COM"])
def test_an_address_another_account_has_is_refused_whatever_its_case(people, address):
    UserFactory(role="city", organisation=people.city.organisation, email="qianqi@example.com")
    with pytest.raises(ValidationError) as error:
        officials.account_create(actor=people.city, role="district", district=district("江北区"),
                                 username="jiangbei-2", full_name="钱七", email=address)
    assert error.value.message_dict == {"email": [TAKEN]}
    with pytest.raises(ValidationError) as error:
        officials.colleague_create(actor=people.enterprise, username="colleague-2", full_name="钱八", email=address)
    assert error.value.message_dict == {"email": [TAKEN]}


def test_the_account_page_shows_a_taken_address_on_its_field(client, people):
    client.force_login(people.city)
    response = client.post(reverse("accounts:account_create"), {
        "role": "district", "district": district("江北区").pk, "full_name": "钱七", "phone": "023-67001234",
        "email": people.district.email.upper(), "username": "jiangbei-official",
    })
    assert response.status_code == 200
    assert response.context["form"].errors == {"email": [TAKEN]}
    assert not User.objects.filter(username="jiangbei-official").exists()


def test_the_account_page_names_the_missing_unit_on_its_field(client, people):
    client.force_login(people.city)
    response = client.post(reverse("accounts:account_create"), {
        "role": "park", "full_name": "园区人员", "phone": "023-67001234", "email": "park-2@example.com",
        "username": "park-two",
    })
    assert response.status_code == 200
    assert response.context["form"].errors == {"organisation": ["请选择园区（园区须先由管理员登记）。"]}


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a race needs PostgreSQL's row locks")
def test_two_colleagues_racing_for_one_address_end_with_one_account_and_a_clear_message(people):
    barrier = threading.Barrier(2)
    outcomes = []

    def create(n, address):
        try:
            barrier.wait(timeout=10)
            officials.colleague_create(actor=people.enterprise, username=f"racer-{n}", full_name="赛跑者",
                                       email=address)
            outcomes.append("ok")
        except ValidationError as error:
            outcomes.append(error.message_dict)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=create, args=(n, address))
               for n, address in enumerate(["same@example.com", "Same@Example.com"])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    # The loser learns it on the e-mail field: from the check before saving, or, when both passed it at once, from
    # the unique index (never a 500).
    assert "ok" in outcomes and len(outcomes) == 2
    refused = next(outcome for outcome in outcomes if outcome != "ok")
    assert list(refused) == ["email"]
    assert refused["email"][0].startswith("该电子邮箱已被其他账号使用。")
    assert User.objects.filter(email__iexact="same@example.com").count() == 1
