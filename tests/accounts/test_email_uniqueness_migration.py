"""The migration that makes e-mail addresses unique (case-insensitive) first names the accounts sharing one, instead
of failing on the database's bare error (issue 6, item 19)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("accounts", "0006_refuse_truncate_reason_length")]
AFTER = [("accounts", "0007_identity_sessions_email")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_duplicate_addresses_stop_the_migration_with_their_names(reference_data):
    old_apps = migrate(BEFORE)
    try:
        User = old_apps.get_model("accounts", "User")
        Organisation = old_apps.get_model("accounts", "Organisation")
        city = Organisation.objects.get(kind="city")
        for name, email in (("first", "Same@Example.com"), ("second", "same@example.com"), ("third", "x@y.cn")):
            User.objects.create(username=name, email=email, role="city", organisation=city, full_name=name,
                                password="!")
        with pytest.raises(RuntimeError, match=r"same@example\.com: first, second"):
            migrate(AFTER)
        User.objects.filter(username="second").update(email="second@example.com")
    finally:
        executor = MigrationExecutor(connection)
        migrate(executor.loader.graph.leaf_nodes())
    from accounts.models import User as CurrentUser

    assert CurrentUser.objects.filter(username__in=["first", "second", "third"]).count() == 3


USERNAME_BEFORE = [("accounts", "0010_constraint_messages")]
USERNAME_AFTER = [("accounts", "0011_admin_fit_username_ci")]


def test_accounts_the_new_constraints_would_reject_stop_the_migration_with_their_names(reference_data):
    old_apps = migrate(USERNAME_BEFORE)
    try:
        User = old_apps.get_model("accounts", "User")
        Organisation = old_apps.get_model("accounts", "Organisation")
        city = Organisation.objects.get(kind="city")
        for number, name in enumerate(("Zhang", "zhang", "li")):
            User.objects.create(username=name, email=f"person{number}@example.com", role="city",
                                organisation=city, full_name=name, password="!")
        User.objects.create(username="staffer", email="staffer@example.com", role="city", organisation=city,
                            full_name="staffer", password="!", is_staff=True)
        User.objects.create(username="unit-admin", email="unit-admin@example.com", role="admin", organisation=city,
                            full_name="unit-admin", password="!")
        with pytest.raises(RuntimeError) as error:
            migrate(USERNAME_AFTER)
        assert "zhang: Zhang, zhang" in str(error.value)
        assert "staff or superuser flag on a non-administrator: staffer" in str(error.value)
        assert "administrator role on an account of a unit: unit-admin" in str(error.value)
        User.objects.filter(username="zhang").update(username="zhang2")
        User.objects.filter(username="staffer").update(is_staff=False)
        User.objects.filter(username="unit-admin").update(organisation=None)
    finally:
        executor = MigrationExecutor(connection)
        migrate(executor.loader.graph.leaf_nodes())
    from accounts.models import User as CurrentUser

    assert CurrentUser.objects.filter(username__in=["Zhang", "zhang2", "li"]).count() == 3
