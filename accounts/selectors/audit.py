"""The audit trail as the city and administrators read it: the list, and each event as a readable row."""

import functools

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.text import Truncator
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts.models import AuditAction, AuditEvent
from greenfactory.display import choice_labels, local_second


def audit_list(*, action="", username=""):
    """The audit trail, newest first, for the city and administrators (2 queries a page: the count, the rows; the
log shows the user name recorded with each event, never the actor's account)."""
    qs = AuditEvent.objects.order_by("-timestamp", "-id")
    if action:
        qs = qs.filter(action=action)
    if username:
        qs = qs.filter(username__icontains=username)
    return qs


# What a row of the log shows of its event (``audit_row``, ``audit_rows``).
_AUDIT_COLUMNS = ("id", "timestamp", "username", "action", "object_type", "object_repr", "result", "ip_address",
                  "request_id", "detail")


def audit_page(**filters):
    """``audit_list`` as the columns a page of the log shows, each row a named tuple (the events never change; fifty
    model instances cost more than their query)."""
    return audit_list(**filters).values_list(*_AUDIT_COLUMNS, named=True)


# Where a record's state is not one of its model's states.
_STATE_WORDS = {"deleted": _lazy("已删除")}


@functools.cache
def _model(object_type: str):
    # The registry does not change once the apps are loaded; the log asks it three times a row.
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _field(model, name: str):
    try:
        return model._meta.get_field(name) if model is not None else None
    except FieldDoesNotExist:
        return None


def _state_label(object_type: str, value: str) -> str:
    if value in _STATE_WORDS:
        return str(_STATE_WORDS[value])
    return _state_labels(object_type, get_language()).get(value, value)


@functools.cache
def _state_labels(object_type: str, language: str) -> dict:
    # ``language`` is only the key (as greenfactory.display.choice_labels): a transition row asks twice.
    field = _field(_model(object_type), "status")
    return choice_labels(field) if field is not None else {}


def _field_label(model, name: str) -> str:
    if name.startswith("target:"):
        # A campaign's per-district target (applications.services.campaign_update).
        return _("%(district)s入库目标") % {"district": name.split(":", 1)[1]}
    field = _field(model, name)
    return str(field.verbose_name) if field is not None and hasattr(field, "verbose_name") else name


def _value_label(model, name: str, value) -> str:
    """A stored value as a reader says it: 是/否, a choice's label, a list joined, an empty value as （空）."""
    if value is None or value == "" or value == []:
        return str(_("（空）"))
    if isinstance(value, bool):
        return str(_("是") if value else _("否"))
    choices = dict(getattr(model, "audit_value_choices", {}).get(name, ()))
    field = _field(model, name)
    if not choices and field is not None and getattr(field, "choices", None):
        choices = choice_labels(field)
    if isinstance(value, list):
        return "、".join(str(choices.get(item, item)) for item in value)
    return str(choices.get(value, value))


def _change_lines(model, changes: dict) -> list[str]:
    """``changes`` as the services and the admin record them: name → [before, after] or name → {from, to} (with
    from_name / to_name for a related record)."""
    lines = []
    # In the model's field order (PostgreSQL's jsonb keeps no key order), then the per-district targets by name.
    order = {field.name: index for index, field in enumerate(model._meta.get_fields())} if model is not None else {}
    for name, change in sorted(changes.items(), key=lambda item: (order.get(item[0], len(order)), item[0])):
        if isinstance(change, dict):
            before = change.get("from_name", change.get("from"))
            after = change.get("to_name", change.get("to"))
        elif isinstance(change, list | tuple) and len(change) == 2:
            before, after = change
        else:
            continue
        lines.append(_("%(field)s：%(before)s → %(after)s") % {
            "field": _field_label(model, name), "before": _value_label(model, name, before),
            "after": _value_label(model, name, after)})
    return lines


_IDENTITY_LABELS = {"name": _lazy("公司名称"), "credit_code": _lazy("统一社会信用代码")}
_ACCESS_DENIED_KINDS = {"forbidden": _lazy("无权操作"), "not_found": _lazy("超出范围的记录"),
                        "csrf": _lazy("表单校验失败")}
_CONFLICT_LABELS = {"email": _lazy("电子邮箱"), "credit_code": _lazy("统一社会信用代码"), "username": _lazy("用户名")}
_ADMIN_OPERATIONS = {"added": _lazy("在管理后台新增"), "changed": _lazy("在管理后台修改"),
                     "deleted": _lazy("在管理后台删除")}
_DOCUMENT_REFUSALS = {"hash_mismatch": _lazy("文件校验值不符，已停止下载"), "missing": _lazy("文件缺失，已停止下载")}
_RENDERED_DOCUMENTS = {"intake_form.pdf": _lazy("绿色工厂培育入库申请表（PDF）")}
_CAMPAIGN_EVENTS = {"closed": _lazy("提前结束"), "corrected": _lazy("修改"), "extended": _lazy("延长截止日期")}


def _identity_lines(detail: dict) -> list[str]:
    before, after = detail.get("from") or {}, detail.get("to") or {}
    return [_("%(field)s：%(before)s → %(after)s") % {"field": label, "before": before.get(key) or "—",
                                                      "after": after.get(key) or "—"}
            for key, label in _IDENTITY_LABELS.items() if before.get(key) != after.get(key)]


def audit_row(event) -> dict:
    """One entry of the audit log: ``lines`` say what changed, one readable line each (a transition's states from
    → to by label; each field an administrator or a campaign correction changed, from → to; an account switched
    on or off; a name or credit code from → to; the kind of a refusal), ``note`` the reason, comment or request.
    No query: labels come from the models' fields and choices, names from the record's own detail."""
    detail = event.detail if isinstance(event.detail, dict) else {}
    model = _model(event.object_type) if event.object_type else None
    lines, note = [], ""
    action = event.action
    if action == AuditAction.ACCESS_DENIED:
        lines.append(str(_ACCESS_DENIED_KINDS.get(detail.get("kind"), detail.get("kind", ""))))
        note = f"{detail.get('method', '')} {detail.get('path', '')}".strip()
    elif action in (AuditAction.ACCOUNT_ENABLED, AuditAction.ACCOUNT_DISABLED):
        active = action == AuditAction.ACCOUNT_ENABLED
        before = detail.get("from", not active)
        on, off = pgettext("account status", "启用"), pgettext("account status", "停用")
        lines.append(_("%(before)s → %(after)s") % {"before": on if before else off, "after": on if active else off})
    elif action in (AuditAction.ENTERPRISE_CHANGED, AuditAction.IDENTITY_CHANGE_REQUESTED) \
            and isinstance(detail.get("to"), dict):
        lines += _identity_lines(detail)
        note = detail.get("reason", "")
    elif action == AuditAction.REGISTER_REQUESTED and detail.get("conflicts"):
        lines.append(_("未完成：%(fields)s已被使用") % {
            "fields": "、".join(str(_CONFLICT_LABELS.get(c, c)) for c in detail["conflicts"])})
        note = detail.get("enterprise", "")
    elif "to" in detail and action in (AuditAction.TRANSITION, AuditAction.DELETED):
        target = _state_label(event.object_type, detail["to"])
        # Records written before the source state was kept say only where the record went.
        source = _state_label(event.object_type, detail["from"]) if detail.get("from") else ""
        lines.append(f"{source} → {target}" if source else f"→ {target}")
        note = detail.get("reason") or detail.get("comment") or ""
    elif detail.get("document") and action in (AuditAction.UPLOADED, AuditAction.DOWNLOAD) \
            and _model(detail["document"]) is None and "version" not in detail:
        # A document the portal renders on request (the intake form's PDF): its name, no version.
        lines.append(str(_RENDERED_DOCUMENTS.get(detail["document"], detail["document"])))
    elif detail.get("document") and action in (AuditAction.UPLOADED, AuditAction.DOWNLOAD):
        document_model = _model(detail["document"])
        lines.append(_("%(document)s 第%(version)s版") % {
            "document": document_model._meta.verbose_name if document_model else detail["document"],
            "version": detail.get("version", "")})
        if detail.get("reason"):
            lines.append(str(_DOCUMENT_REFUSALS.get(detail["reason"], detail["reason"])))
        note = detail.get("name", "")
    elif detail.get("campaign") in _CAMPAIGN_EVENTS:
        if detail["campaign"] == "closed":
            lines.append(str(_CAMPAIGN_EVENTS["closed"]))
            note = detail.get("reason", "")
    elif detail.get("created") and model is not None:
        lines.append(_("发布%(year)s年度") % {"year": detail.get("year", "")} if "year" in detail else _("创建"))
    if action == AuditAction.ADMIN_CHANGE:
        lines.insert(0, str(_ADMIN_OPERATIONS.get(detail.get("operation"), "")))
    if isinstance(detail.get("changes"), dict):
        lines += _change_lines(model, detail["changes"])
    if action == AuditAction.ACCOUNT_CREATED and detail.get("role"):
        lines.append(_("%(field)s：%(value)s") % {"field": _field_label(model, "role"),
                                                  "value": _value_label(model, "role", detail["role"])})
    if detail.get("via") == "admin" and action != AuditAction.ADMIN_CHANGE:
        lines.append(str(_("经管理后台")))
    lines = [line for line in lines if line]
    return {"event": event, "lines": lines, "change": "；".join(lines), "note": note}


def audit_rows(events) -> list[dict]:
    """The rows of a page of the audit log: ``audit_row`` with what each cell shows, labels and times computed here
    once rather than by the template per row."""
    actions, results = choice_labels(AuditAction), choice_labels(AuditEvent._meta.get_field("result"))
    rows = []
    for event in events:
        row = audit_row(event)
        note = row["note"]
        row.update(when=local_second(event.timestamp), action=actions.get(event.action, event.action),
                   result=results.get(event.result, event.result), failed=event.result == "failure",
                   note_shown=Truncator(note).chars(200) if len(note) > 200 else note,
                   request_id_short=event.request_id[:8])
        rows.append(row)
    return rows
