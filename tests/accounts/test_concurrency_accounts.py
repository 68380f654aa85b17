"""Races on accounts, on PostgreSQL: two toggles at once (issue 6, item 13) and three registrations of one address
(item 19) each end with one change."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from accounts import services
from accounts.models import AuditAction, AuditEvent, PendingRegistration, User
from greenfactory.workflow import TransitionConflict
from tests.factories import UserFactory, credit_code_for
from tests.helpers import registration_data

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def race(*actions):
    """Run each action in its own thread, released together; returns the outcome of each ("ok" or the error)."""
    barrier = threading.Barrier(len(actions))
    outcomes = []

    def run(action):
        try:
            barrier.wait(timeout=10)
            action()
            outcomes.append("ok")
        except (TransitionConflict, ValidationError) as error:
            outcomes.append(type(error).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


def test_two_officials_switching_one_account_off_at_once_write_one_change(people):
    target = people.district_2
    colleague_admin = UserFactory(username="city-2", role="city", organisation=people.city.organisation)
    outcomes = race(
        lambda: services.colleague_set_active(actor=people.city, colleague=target, active=False),
        lambda: services.colleague_set_active(actor=colleague_admin, colleague=target, active=False),
    )
    assert outcomes == ["TransitionConflict", "ok"]
    target.refresh_from_db()
    assert not target.is_active
    assert AuditEvent.objects.filter(action=AuditAction.ACCOUNT_DISABLED, object_id=str(target.public_id)).count() == 1


def test_three_confirmations_racing_for_one_address_make_one_account(people):
    for n in range(3):
        data = registration_data(username=f"racer-{n}", credit_code=credit_code_for("500115", 60000 + n),
                                 email="same@example.com", name=f"重庆竞速{n}号有限公司")
        services.registration_request(
            enterprise_data={k: data[k] for k in ("name", "credit_code", "district", "industry", "ownership_type",
                                                  "address", "postal_code", "founded_on", "registered_capital",
                                                  "main_products")},
            user_data={k: data[k] for k in ("full_name", "phone", "email", "username")},
            password=data["password1"],
        )
    pendings = list(PendingRegistration.objects.all())
    assert len(pendings) == 3
    outcomes = race(*[lambda p=p: services.registration_confirm(pending=p) for p in pendings])
    assert outcomes == ["ValidationError", "ValidationError", "ok"]
    assert User.objects.filter(email__iexact="same@example.com").count() == 1
