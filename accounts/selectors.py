"""Reads for accounts, always scoped to the user asking (``visible_to``): outside scope means 404."""

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.choices import OrganisationStatus
from accounts.models import (
    AuditAction,
    AuditEvent,
    District,
    Enterprise,
    IdentityChange,
    IdentityChangeStatus,
    Notification,
    Organisation,
    User,
)
from greenfactory import credit_code


def registration_queue_for_user(user):
    """Pending enterprise registrations of the user's district (2 queries for the page: the rows with their
    industry and district, and the district codes for the credit-code check)."""
    return (
        Enterprise.objects.visible_to(user)
        .filter(status=OrganisationStatus.PENDING)
        .select_related("industry", "district")
        .order_by("created_at", "pk")
    )


def registration_get_for_user(user, public_id) -> Enterprise:
    return get_object_or_404(
        Enterprise.objects.visible_to(user).select_related("industry", "district"), public_id=public_id
    )


def enterprise_list_for_user(user, *, status=None, district=None, query=""):
    qs = Enterprise.objects.visible_to(user).select_related("industry", "district")
    if status:
        qs = qs.filter(status=status)
    if district:
        qs = qs.filter(district=district)
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(credit_code__icontains=query.upper()))
    return qs.order_by("district__position", "name")


def user_list_for_user(user, *, role=None, query=""):
    qs = User.objects.visible_to(user).select_related("organisation", "organisation__district")
    if role:
        qs = qs.filter(role=role)
    if query:
        qs = qs.filter(Q(username__icontains=query) | Q(full_name__icontains=query)
                       | Q(organisation__name__icontains=query))
    return qs.order_by("role", "organisation__name", "username")


def user_get_for_user(user, public_id) -> User:
    return get_object_or_404(User.objects.visible_to(user).select_related("organisation"), public_id=public_id)


def organisation_get_for_user(user, public_id) -> Organisation:
    return get_object_or_404(Organisation.objects.visible_to(user), public_id=public_id)


def district_codes() -> dict[str, District]:
    return {d.code: d for d in District.objects.exclude(code__isnull=True)}


def credit_code_warnings(enterprise, districts_by_code=None) -> list[str]:
    """Positions 3–8 of the credit code against the chosen district: a warning for the official, never a block
    (the code records the registering authority at the time of registration, which may predate a re-division)."""
    if not enterprise.credit_code:
        return []
    districts_by_code = districts_by_code if districts_by_code is not None else district_codes()
    division = credit_code.division_code(enterprise.credit_code)
    if not division.startswith("50"):
        return [_("信用代码中的登记机关行政区划代码 %(code)s 不属于重庆市，请核实企业是否在本区登记注册。")
                % {"code": division}]
    registered_in = districts_by_code.get(division)
    chosen = enterprise.district
    if chosen.code is None:
        return []
    if division != chosen.code:
        where = registered_in.name if registered_in else _("未知区县或已调整的区划")
        return [_("信用代码中的登记机关行政区划代码 %(code)s（%(where)s）与所选区县%(district)s（%(own)s）不一致。")
                % {"code": division, "where": where, "district": chosen.name, "own": chosen.code}]
    return []


def inbox_for_user(user):
    return Notification.objects.filter(recipient=user)


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()



# --- Audit trail -----------------------------------------------------------------------------------------------------


def audit_list(*, action="", username=""):
    """The audit trail, newest first, for the city and administrators (2 queries a page: count, rows with actor)."""
    qs = AuditEvent.objects.select_related("actor").order_by("-timestamp", "-id")
    if action:
        qs = qs.filter(action=action)
    if username:
        qs = qs.filter(username__icontains=username)
    return qs


def _state_label(object_type: str, value: str) -> str:
    try:
        field = apps.get_model(object_type)._meta.get_field("status")
    except (LookupError, ValueError, FieldDoesNotExist):
        return value
    return str(dict(field.flatchoices).get(value, value))


def audit_row(event) -> dict:
    """One line of the audit log: for a transition its states from → to (by label) and its reason or comment; for a
    refusal its kind, method and path. No query: labels come from the models' choices."""
    detail = event.detail if isinstance(event.detail, dict) else {}
    change = note = ""
    if event.action == AuditAction.TRANSITION and "to" in detail:
        target = _state_label(event.object_type, detail["to"])
        # Records written before the source state was kept say only where the record went.
        source = _state_label(event.object_type, detail["from"]) if detail.get("from") else ""
        change = f"{source} → {target}" if source else f"→ {target}"
        note = detail.get("reason") or detail.get("comment") or ""
    elif event.action == AuditAction.ACCESS_DENIED:
        kinds = {"forbidden": _("无权操作"), "not_found": _("超出范围的记录"), "csrf": _("表单校验失败")}
        change = str(kinds.get(detail.get("kind"), detail.get("kind", "")))
        note = f"{detail.get('method', '')} {detail.get('path', '')}".strip()
    return {"event": event, "change": change, "note": note}


def enterprise_get_for_user(user, public_id) -> Enterprise:
    """A company's page: a district official its district's, the city and administrators any; 404 otherwise."""
    return get_object_or_404(
        Enterprise.objects.visible_to(user).select_related("industry", "district"), public_id=public_id
    )


def identity_change_queue_for_user(user):
    """Open requests to change a name or credit code, oldest first (1 query: the rows with enterprise, its
    district and the requester)."""
    return (
        IdentityChange.objects.visible_to(user)
        .filter(status=IdentityChangeStatus.PENDING)
        .select_related("enterprise", "enterprise__district", "requested_by")
        .order_by("created_at", "pk")
    )


def identity_change_get_for_user(user, public_id) -> IdentityChange:
    return get_object_or_404(
        IdentityChange.objects.visible_to(user).select_related("enterprise", "enterprise__district",
                                                                "requested_by", "decided_by"),
        public_id=public_id,
    )


def identity_change_latest_for_enterprise(enterprise):
    return enterprise.identity_changes.select_related("decided_by").order_by("-created_at", "-pk").first()
