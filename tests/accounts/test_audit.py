"""The audit trail and the transition log are append-only."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django_fsm_log.models import StateLog

from accounts import inbox, services
from accounts.choices import OrganisationStatus
from accounts.models import AuditAction, AuditEvent
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def test_audit_records_cannot_be_changed_or_deleted(people):
    event = services.audit_record(action=AuditAction.LOGIN, actor=people.city)
    event.result = "tampered"
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        event.delete()
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.filter(pk=event.pk).update(result="tampered")
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.all().delete()
    event.refresh_from_db()
    assert event.result == "success"


def test_transition_records_cannot_be_changed_or_deleted(people):
    pending = EnterpriseFactory(status=OrganisationStatus.PENDING)
    services.registration_approve(organisation=pending, actor=people.district)
    log = StateLog.objects.for_(pending).get()
    log.description = "tampered"
    with pytest.raises(PermissionDenied):
        log.save()
    with pytest.raises(PermissionDenied):
        log.delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="database triggers are installed on PostgreSQL")
def test_the_database_itself_refuses_to_rewrite_history(people):
    from django.db import DatabaseError

    pending = EnterpriseFactory(status=OrganisationStatus.PENDING)
    services.registration_approve(organisation=pending, actor=people.district)
    for table in (AuditEvent._meta.db_table, StateLog._meta.db_table):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET id = id")  # noqa: S608  (fixed table names)
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608


def test_a_failure_after_the_state_change_rolls_back_state_and_record(people, monkeypatch):
    pending = EnterpriseFactory(status=OrganisationStatus.PENDING)

    def fail(**kwargs):
        raise RuntimeError("mail queue unavailable")

    monkeypatch.setattr(inbox, "notification_send", fail)
    with pytest.raises(RuntimeError):
        services.registration_approve(organisation=pending, actor=people.district)
    pending.refresh_from_db()
    assert pending.status == OrganisationStatus.PENDING
    assert not StateLog.objects.for_(pending).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.TRANSITION).exists()
