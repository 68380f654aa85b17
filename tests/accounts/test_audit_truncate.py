"""TRUNCATE cannot empty the append-only tables on PostgreSQL; a deliberate flush (test databases) still can."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django_fsm_log.models import StateLog

from accounts import services
from accounts.models import AuditAction, AuditEvent

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="database triggers are installed on PostgreSQL"),
]


@pytest.mark.django_db
def test_the_database_refuses_to_truncate_the_audit_trail_and_the_transition_log(people):
    services.audit_record(action=AuditAction.LOGIN, actor=people.city)
    with connection.cursor() as cursor:
        # The test's own transaction holds deferred foreign-key checks, which would block any TRUNCATE.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for table in (AuditEvent._meta.db_table, StateLog._meta.db_table):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {table}")
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {table} CASCADE")
    assert AuditEvent.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_deliberate_flush_by_the_owner_still_empties_the_database(people):
    services.audit_record(action=AuditAction.LOGIN, actor=people.city)
    call_command("flush", interactive=False, verbosity=0)
    assert AuditEvent.objects.count() == 0
    # The trigger is back in force after the flush's transaction.
    services.audit_record(action=AuditAction.LOGIN, username="x")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {AuditEvent._meta.db_table}")


WEB_ROLE = "gf_h5_web_role_test"


@pytest.fixture
def web_role(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [WEB_ROLE])
        if cursor.fetchone() is None:
            cursor.execute(f"CREATE ROLE {WEB_ROLE} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE")
    call_command("grant_web_role", WEB_ROLE, verbosity=0)
    yield WEB_ROLE
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
        cursor.execute(f"DROP OWNED BY {WEB_ROLE}")


def _as_web_role(statement, params=None):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {WEB_ROLE}")
        cursor.execute(statement, params)
        # A failed statement's savepoint rollback undoes the SET LOCAL; a successful one must undo it itself.
        cursor.execute("RESET ROLE")


def test_the_web_role_writes_the_trail_but_cannot_truncate_alter_or_switch_off_its_triggers(people, web_role):
    event = services.audit_record(action=AuditAction.LOGIN, actor=people.city)
    table = AuditEvent._meta.db_table
    # Fixed table names throughout (S608 does not apply).
    _as_web_role(f"SELECT count(*) FROM {table}")  # noqa: S608
    _as_web_role(f"INSERT INTO {table} (timestamp, username, action, object_type, object_id, object_repr, "  # noqa: S608
                 "result, request_id, detail) VALUES (now(), 'x', 'login', '', '', '', 'success', '', '{}')")
    _as_web_role("UPDATE accounts_user SET full_name = full_name WHERE id = %s", [people.city.pk])
    for refused in (
        f"TRUNCATE {table}",
        f"UPDATE {table} SET username = 'x' WHERE id = {event.pk}",  # noqa: S608
        f"DELETE FROM {table}",  # noqa: S608
        f"ALTER TABLE {table} DISABLE TRIGGER ALL",
        f"DROP TRIGGER {table}_no_truncate ON {table}",
        f"DROP TABLE {table}",
        "SET session_replication_role = replica",
        f"TRUNCATE {StateLog._meta.db_table}",
    ):
        with pytest.raises(DatabaseError):
            _as_web_role(refused)
    assert AuditEvent.objects.filter(pk=event.pk, username=people.city.username).exists()
