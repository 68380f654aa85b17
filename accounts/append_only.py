"""The transition log (django-fsm-log's StateLog) is append-only like the audit trail: the application refuses to
change or delete a record; on PostgreSQL a trigger refuses it too (migration accounts 0003)."""

from django.core.exceptions import PermissionDenied
from django.db.models.signals import pre_delete, pre_save
from django_fsm_log.models import StateLog


def _refuse_change(sender, instance, **kwargs):
    if not instance._state.adding:
        raise PermissionDenied("Transition records are append-only.")


def _refuse_delete(sender, instance, **kwargs):
    raise PermissionDenied("Transition records are append-only.")


def protect_state_log():
    pre_save.connect(_refuse_change, sender=StateLog, dispatch_uid="statelog-append-only-save")
    pre_delete.connect(_refuse_delete, sender=StateLog, dispatch_uid="statelog-append-only-delete")
