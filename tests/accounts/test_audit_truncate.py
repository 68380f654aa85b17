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
