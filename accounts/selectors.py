"""Reads for accounts, always scoped to the user asking (``visible_to``): outside scope means 404."""

import functools

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q, Value
from django.db.models.functions import Lower
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.utils.text import Truncator
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts.access import account_manage_test
from accounts.choices import OrganisationStatus, Role
from accounts.models import (
    AuditAction,
    AuditEvent,
    District,
    Enterprise,
    IdentityChange,
    IdentityChangeStatus,
    Notification,
    Organisation,
    Sector,
    User,
)
from greenfactory import credit_code, text
from greenfactory.display import choice_labels, local_minute, local_second, url_with_pk, url_with_public_id
from greenfactory.portal import kept


def registration_queue_for_user(user):
    """Pending enterprise registrations of the user's district (2 queries for the page: the rows with their
    industry and district, and the district codes for the credit-code check), with the columns the queue and the
    to-do list show."""
    return (
        Enterprise.objects.visible_to(user)
        .filter(status=OrganisationStatus.PENDING)
        .select_related("industry", "district")
        .only("public_id", "name", "credit_code", "created_at", "district", "industry__name", "district__code",
              "district__name")
        .order_by("created_at", "pk")
    )


def registration_queue_rows(page) -> list[dict]:
    """A page of the registration queue as its cells, with each row's credit-code warnings (one read of the
    district codes for the page)."""
    codes = district_codes()
    url = url_with_public_id("accounts:registration_detail")
    return [{"enterprise": e, "warnings": credit_code_warnings(e, codes), "url": url(e.public_id),
             "submitted": local_minute(e.created_at)} for e in page]


def registration_get_for_user(user, public_id) -> Enterprise:
    return get_object_or_404(
        Enterprise.objects.visible_to(user).select_related("industry", "district"), public_id=public_id
    )


def enterprise_list_for_user(user, *, status=None, district=None, query=""):
    """The directory for the paginator (``DirectoryRows``): the columns it shows (``enterprise_rows`` adds the labels
    and the link)."""
    qs = Enterprise.objects.visible_to(user)
    if status:
        qs = qs.filter(status=status)
    if district:
        qs = qs.filter(district=district)
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(credit_code__icontains=query.upper()))
    return DirectoryRows(qs, one_district=bool(district) or user.role == Role.DISTRICT)


class DirectoryRows:
    """The directory in its order — district (by position), then name — for the paginator: the count of the
    enterprises alone, and each page's rows as values of the columns shown (three model instances a row cost more
    than the page's query).

    One district (the filter's, or a district official's scope) is listed by name, read in the
    ``organisation_district_name`` index up to the page (0.5 ms against 5 ms for sorting the district's 1,500).
    Across the city: an enterprise's district may be empty (only the admin can leave it so), so ordering by it joins
    the district as an outer join, and PostgreSQL then joins and sorts every enterprise of the city for fifty rows.
    The enterprises with a district are read here through an inner join instead, which PostgreSQL walks district by
    district in the ``district_position`` index and stops after the page (0.8 ms against 10 ms at 10,000
    enterprises); those without one come after them, by name, as PostgreSQL sorts them. Queries: the count (the
    paginator's), across the city how many have no district, the page's rows (and the rows without a district on
    the page that reaches them)."""

    COLUMNS = ("public_id", "name", "credit_code", "status", "district__name", "industry__name", "industry__sector")

    def __init__(self, queryset, *, one_district=False):
        self.queryset = queryset
        self.one_district = one_district

    def count(self) -> int:
        return self._total

    @cached_property
    def _total(self) -> int:
        return self.queryset.count()

    @cached_property
    def _with_district(self) -> int:
        return self._total - self.queryset.filter(district__isnull=True).count()

    def __getitem__(self, window: slice) -> list[dict]:
        start, stop = window.start or 0, window.stop
        if self.one_district:
            return list(self.queryset.order_by("name", "pk").values(*self.COLUMNS)[start:stop])
        placed = self._with_district
        rows = []
        if start < placed:
            # A condition on the district's own column: the join becomes an inner one.
            rows += self.queryset.filter(district__position__isnull=False).order_by("district__position", "name") \
                .values(*self.COLUMNS)[start:min(stop, placed)]
        if stop > placed:
            rows += self.queryset.filter(district__isnull=True).order_by("name", "pk") \
                .values(*self.COLUMNS)[max(start - placed, 0):stop - placed]
        return rows


def enterprise_rows(page) -> list[dict]:
    """A page of the directory as its cells: the company page's link, the sector's and the status's labels."""
    sectors, statuses = choice_labels(Sector), choice_labels(OrganisationStatus)
    url = url_with_public_id("accounts:enterprise_detail")
    return [{"name": e["name"], "credit_code": e["credit_code"], "url": url(e["public_id"]),
             "district": e["district__name"] or "", "industry": e["industry__name"],
             "sector": sectors.get(e["industry__sector"], e["industry__sector"]),
             "status": statuses.get(e["status"], e["status"])} for e in page]


def user_list_for_user(user, *, role=None, query=""):
    """The account list: the columns it shows (``account_rows`` adds the labels, links and the buttons allowed), by
    role, then unit — a unit's accounts together, units in the order they were created — then user name.

    Units by their key rather than by name: PostgreSQL sorts Chinese names by code point, not by pinyin, so an order
    by name helped no one find a unit (the search box does), while the key lets the ``user_list_order`` index serve
    the page without joining and sorting every account of the city."""
    qs = User.objects.visible_to(user)
    if role:
        qs = qs.filter(role=role)
    if query:
        # The three matches as a union of keys, each read in its own pg_trgm index (0016), rather than one OR across
        # the join to the unit, which no index serves: PostgreSQL joined and filtered every account (8 ms for
        # "bench" at 10,000 enterprises against 0.5 ms; a query under three characters scans either way).
        matches = User.objects.filter(username__icontains=query).values("pk").union(
            User.objects.filter(full_name__icontains=query).values("pk"),
            User.objects.filter(organisation__in=Organisation.objects.filter(name__icontains=query).values("pk"))
            .values("pk"))
        qs = qs.filter(pk__in=matches)
    return AccountRows(qs.order_by("role", "organisation_id", "username"))


class AccountRows:
    """The account list for the paginator: the count of the accounts alone, and each page's rows as values of the
    columns shown (an account and its unit as model instances cost more than the page's query)."""

    COLUMNS = ("id", "public_id", "username", "full_name", "role", "phone", "is_active", "last_login",
               "organisation__name")

    def __init__(self, queryset):
        self.queryset = queryset

    def count(self) -> int:
        return self.queryset.count()

    def __getitem__(self, window: slice) -> list[dict]:
        return list(self.queryset.values(*self.COLUMNS)[window])


def account_rows(user, page) -> list[dict]:
    """A page of the account list as its cells; ``can_manage`` is the rule the services ask (not oneself, not an
    administrator unless one is), asked here for each row rather than through the template's ``has_perm``."""
    roles, may_manage = choice_labels(Role), account_manage_test(user)
    toggle, reset = url_with_public_id("accounts:account_toggle"), url_with_public_id("accounts:account_reset_password")
    return [{"username": a["username"], "full_name": a["full_name"], "phone": text.mask_phone(a["phone"]),
             "active": a["is_active"], "role": roles.get(a["role"], a["role"]),
             "organisation": a["organisation__name"] or "", "last_login": local_minute(a["last_login"]),
             "can_manage": may_manage(a["id"], a["role"]), "toggle_url": toggle(a["public_id"]),
             "reset_url": reset(a["public_id"])} for a in page]


def user_email_taken(email: str) -> bool:
    """Whether an account has this e-mail address, compared as the unique index ``user_email_ci_unique`` compares
    (lower-cased by the database)."""
    email = (email or "").strip()
    return bool(email) and User.objects.alias(email_lower=Lower("email")).filter(
        email_lower=Lower(Value(email))).exists()


def username_taken(username: str) -> bool:
    """Whether an account has this user name, compared as the unique index ``user_username_ci_unique`` compares."""
    return User.objects.alias(username_lower=Lower("username")).filter(
        username_lower=Lower(Value(username or ""))).exists()


def user_get_for_user(user, public_id) -> User:
    return get_object_or_404(User.objects.visible_to(user).select_related("organisation"), public_id=public_id)


def organisation_members(organisation):
    """A unit's accounts, active ones first, by user name (a company's page, a unit's colleague list)."""
    return organisation.users.order_by("-is_active", "username")


def colleague_list_for_user(user):
    """The accounts of the user's own unit (an enterprise's or a park's staff)."""
    return organisation_members(user.organisation)


def own_enterprise_for_user(user) -> Enterprise:
    """The enterprise an enterprise user belongs to (its profile); 404 for anyone else."""
    if user.role != Role.ENTERPRISE or not user.organisation_id:
        raise Http404
    return get_object_or_404(Enterprise, pk=user.organisation_id)


def district_codes() -> dict[str, str]:
    """{administrative division code: district name}, for the credit-code checks: reference data, kept across
    requests and in each process (an official's or administrator's change moves it, ``greenfactory.portal.kept``
    with ``local``) as plain values; not to be changed by the caller."""
    return kept("district-codes", lambda: dict(District.objects.exclude(code__isnull=True).values_list("code", "name")),
                reads=(), local=True)


def credit_code_warnings(enterprise, districts_by_code=None) -> list[str]:
    """Positions 3–8 of the credit code against the chosen district: a warning for the official, never a block
    (the code records the registering authority at the time of registration, which may predate a re-division)."""
    if not enterprise.credit_code:
        return []
    division = credit_code.division_code(enterprise.credit_code)
    if not division.startswith("50"):
        return [_("信用代码中的登记机关行政区划代码 %(code)s 不属于重庆市，请核实企业是否在本区登记注册。")
                % {"code": division}]
    chosen = enterprise.district
    if chosen.code is None:
        return []
    if division != chosen.code:
        # The codes of all districts only when the code names another (the form page checks every draft).
        districts_by_code = districts_by_code if districts_by_code is not None else district_codes()
        where = districts_by_code.get(division) or _("未知区县或已调整的区划")
        return [_("信用代码中的登记机关行政区划代码 %(code)s（%(where)s）与所选区县%(district)s（%(own)s）不一致。")
                % {"code": division, "where": where, "district": chosen.name, "own": chosen.code}]
    return []


def inbox_for_user(user):
    return Notification.objects.filter(recipient=user)


def inbox_page_for_user(user):
    """The inbox page's messages, newest first: the columns it shows."""
    return inbox_for_user(user).only("title", "body", "created_at", "read_at").order_by("-created_at", "-id")


def inbox_rows(page) -> list[dict]:
    """A page of the inbox as its cells (the link that opens a message, its time), computed once per page."""
    url = url_with_pk("accounts:notification_open")
    return [{"title": n.title, "body": n.body, "unread": n.read_at is None, "url": url(n.pk),
             "when": local_minute(n.created_at)} for n in page]


def notification_get_for_user(user, pk) -> Notification:
    """One of the user's own messages; 404 for anyone else's."""
    return get_object_or_404(inbox_for_user(user), pk=pk)


def recent_notifications_for_user(user, limit=5):
    return inbox_for_user(user).order_by("-created_at", "-id")[:limit]


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()



# --- Audit trail -----------------------------------------------------------------------------------------------------


def audit_list(*, action="", username=""):
    """The audit trail, newest first, for the city and administrators (2 queries a page: the count, the rows; the
log shows the user name recorded with each event, never the actor's account)."""
    qs = AuditEvent.objects.order_by("-timestamp", "-id")
    if action:
        qs = qs.filter(action=action)
    if username:
        qs = qs.filter(username__icontains=username)
    return qs


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


def enterprise_get_for_user(user, public_id) -> Enterprise:
    """A company's page: a district official its district's, the city and administrators any; 404 otherwise."""
    return get_object_or_404(
        Enterprise.objects.visible_to(user).select_related("industry", "district"), public_id=public_id
    )


def identity_change_queue_for_user(user):
    """Open requests to change a name or credit code, oldest first (1 query: the rows with the requester's name;
    the enterprise and its district only in the scope's condition)."""
    return (
        IdentityChange.objects.visible_to(user)
        .filter(status=IdentityChangeStatus.PENDING)
        .select_related("requested_by")
        .only("public_id", "old_name", "old_credit_code", "new_name", "new_credit_code", "created_at",
              "requested_by__full_name")
        .order_by("created_at", "pk")
    )


def identity_change_rows(page) -> list[dict]:
    """A page of the identity-change queue as its cells (link and time computed once per page)."""
    url = url_with_public_id("accounts:identity_change_detail")
    return [{"change": c, "url": url(c.public_id), "requested": local_minute(c.created_at),
             "requester": c.requested_by.full_name} for c in page]


def identity_change_get_for_user(user, public_id) -> IdentityChange:
    return get_object_or_404(
        IdentityChange.objects.visible_to(user).select_related("enterprise", "enterprise__district",
                                                                "requested_by", "decided_by"),
        public_id=public_id,
    )


def identity_change_latest_for_enterprise(enterprise):
    return enterprise.identity_changes.select_related("decided_by").order_by("-created_at", "-pk").first()
