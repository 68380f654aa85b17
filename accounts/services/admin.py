"""Saves made in the Django admin, and their audit: accounts field by field (role, unit, flags, the user name
and the address a reset link goes to), a password an administrator set, and every other record an administrator
adds, changes or deletes (each field from → to)."""

from django.db import transaction

from accounts.audit import audit_record
from accounts.models import AuditAction, User
from accounts.services.passwords import lockout_lift

# Changes in the Django admin that decide what an account may do, or who can take it over (the user name it logs in
# with, the address its password-reset link is mailed to): audited field by field.
ADMIN_AUDITED_FIELDS = ("role", "organisation", "is_active", "is_staff", "is_superuser", "username", "email")


def _field_value(user, name):
    value = getattr(user, f"{name}_id" if name == "organisation" else name)
    return value if value is None or isinstance(value, bool | int) else str(value)


@transaction.atomic
def user_admin_password_set(*, actor, user, request=None) -> User:
    """After an administrator set a user's password in the Django admin: like a reset by the city, the user must
    change it at the next login, every session of the user ends and the lockout is lifted (an administrator's own
    password change keeps the session Django has just renewed)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    fields = []
    if user.pk != actor.pk:
        user.must_change_password = True
        user.rotate_session_stamp()
        fields = ["must_change_password", "session_stamp"]
        user.save(update_fields=fields)
    lockout_lift(username=user.username)
    audit_record(action=AuditAction.PASSWORD_RESET, actor=actor, obj=user, request=request, detail={"via": "admin"})
    return user


def user_admin_save(*, actor, user, created: bool, request=None) -> User:
    """Save an account edited in the Django admin. The model's ``clean`` has checked role against organisation
    kind; here each change of role, organisation, active, staff, superuser, user name or e-mail address is audited
    with from and to, and switching an account off rotates its session stamp (its sessions end for good, as in the
    portal)."""
    with transaction.atomic():
        before = None if created else User.objects.select_for_update().filter(pk=user.pk).first()
        changes = {}
        if before is not None:
            for name in ADMIN_AUDITED_FIELDS:
                old, new = _field_value(before, name), _field_value(user, name)
                if old != new:
                    changes[name] = {"from": old, "to": new}
            if "organisation" in changes:
                changes["organisation"].update(from_name=str(before.organisation or ""),
                                               to_name=str(user.organisation or ""))
            if before.is_active and not user.is_active:
                user.rotate_session_stamp()
        user.save()
        if created:
            audit_record(action=AuditAction.ACCOUNT_CREATED, actor=actor, obj=user, request=request,
                         detail={"role": user.role, "via": "admin"})
        elif changes:
            audit_record(action=AuditAction.ACCOUNT_CHANGED, actor=actor, obj=user, request=request,
                         detail={"changes": changes, "via": "admin"})
    return user


# --- Other records changed in the Django admin ---------------------------------------------------------------------


def _admin_value(obj, field):
    """A field's value as the audit trail stores it (JSON): related records by name, dates as ISO text."""
    if field.is_relation:
        related = getattr(obj, field.name, None)
        return None if related is None else str(related)
    value = field.value_from_object(obj)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [item if isinstance(item, bool | int | float | str) or item is None else str(item) for item in value]
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items()}
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _admin_fields(obj):
    # The record's own fields, not its keys or the timestamps Django sets by itself.
    return [f for f in obj._meta.concrete_fields
            if not f.primary_key and not getattr(f, "auto_now", False) and f.name != "public_id"]


def admin_changes(before, after) -> dict:
    """name → {"from", "to"} for each field that differs (``before`` None: every field the new record fills)."""
    changes = {}
    for field in _admin_fields(after):
        new = _admin_value(after, field)
        old = None if before is None else _admin_value(before, field)
        if old != new and not (before is None and new in (None, "", [], {})):
            changes[field.name] = {"from": old, "to": new}
    return changes


def admin_save(*, actor, obj, created: bool, request=None):
    """Save a record edited in the Django admin, and audit it: added, or changed with each field from and to. The
    row before the change is read under a lock, so the record names what the administrator replaced. A save that
    changes nothing writes no record."""
    with transaction.atomic():
        before = None if created else type(obj).objects.select_for_update().filter(pk=obj.pk).first()
        obj.save()
        changes = admin_changes(before, obj)
        if created or changes:
            audit_record(action=AuditAction.ADMIN_CHANGE, actor=actor, obj=obj, request=request,
                         detail={"operation": "added" if created else "changed", "changes": changes,
                                 "via": "admin"})
    return obj


def admin_related_record(*, actor, obj, changes: dict, request=None):
    """After the admin saved a record's many-to-many fields (a group's permissions): name → {"from", "to"}, each
    the sorted labels of the related records. Nothing is written when they did not change."""
    changes = {name: change for name, change in changes.items() if change["from"] != change["to"]}
    if changes:
        audit_record(action=AuditAction.ADMIN_CHANGE, actor=actor, obj=obj, request=request,
                     detail={"operation": "changed", "changes": changes, "via": "admin"})


def admin_delete(*, actor, obj, request=None) -> None:
    """Delete a record in the Django admin; the audit record keeps what it was."""
    with transaction.atomic():
        audit_record(action=AuditAction.ADMIN_CHANGE, actor=actor, obj=obj, request=request,
                     detail={"operation": "deleted", "changes": {
                         name: {"from": value["to"], "to": None}
                         for name, value in admin_changes(None, obj).items()}, "via": "admin"})
        obj.delete()
