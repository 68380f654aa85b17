"""Reads for accounts, always scoped to the user asking (``visible_to``): outside scope means 404."""

import functools

from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Lower, NullIf
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from accounts.access import account_manage_test
from accounts.choices import OrganisationStatus, Role
from accounts.models import (
    District,
    Enterprise,
    IdentityChange,
    IdentityChangeStatus,
    Industry,
    Notification,
    Organisation,
    OrganisationKind,
    Sector,
    User,
)
from accounts.selectors.audit import audit_list, audit_page, audit_row, audit_rows  # noqa: F401  (the audit trail's reads)
from greenfactory import credit_code, text
from greenfactory.display import choice_labels, local_minute, url_with_pk, url_with_public_id
from greenfactory.portal import reference_data


def registration_queue_for_user(user):
    """Pending enterprise registrations of the user's district, oldest first, with the columns the to-do list shows
    (the queue's page reads ``registration_queue_page_for_user``)."""
    return (
        Enterprise.objects.visible_to(user)
        .filter(status=OrganisationStatus.PENDING)
        .select_related("industry", "district")
        .only("public_id", "name", "credit_code", "created_at", "district", "industry__name", "district__code",
              "district__name")
        .order_by("created_at", "pk")
    )


# Built once: a page's query is a copy with the scope.
_REGISTRATION_QUEUE_PAGE = Enterprise.objects.filter(status=OrganisationStatus.PENDING).order_by(
    "created_at", "pk").values("public_id", "name", "credit_code", "created_at", "district_id", "industry_id")


def registration_queue_page_for_user(user):
    """The queue page's rows (``registration_queue_for_user``) as the values it shows: the district's name and
    code and the industry's name are reference data, not joined."""
    return _REGISTRATION_QUEUE_PAGE.visible_to(user)


def registration_queue_rows(page) -> list[dict]:
    """A page of the registration queue (``registration_queue_page_for_user``) as its cells, with each row's
    credit-code warnings (the district codes are reference data)."""
    divisions, industries = district_divisions(), industry_names()
    codes = {code: name for name, code in divisions.values() if code is not None}
    url = url_with_public_id("accounts:registration_detail")
    return [{"name": e["name"], "credit_code": e["credit_code"], "industry": industries.get(e["industry_id"], ""),
             "warnings": _credit_code_warnings(e["credit_code"], *divisions.get(e["district_id"], ("", None)), codes),
             "url": url(e["public_id"]), "submitted": local_minute(e["created_at"])} for e in page]


def registration_get_for_user(user, public_id) -> Enterprise:
    return get_object_or_404(
        Enterprise.objects.visible_to(user).select_related("industry", "district"), public_id=public_id
    )


def enterprise_list_for_user(user, *, status=None, district=None, query="", kept_counts=None):
    """The directory for the paginator (``DirectoryRows``): the columns it shows (``enterprise_rows`` adds the labels
    and the link). ``kept_counts``: where its counts are kept (``greenfactory.paging.KeptTotal``)."""
    def filtered(qs):
        if status:
            qs = qs.filter(status=status)
        if district:
            qs = qs.filter(district=district)
        if query:
            qs = qs.filter(Q(name__icontains=query) | Q(credit_code__icontains=query.upper()))
        return qs

    # Counted on the units' own table (every enterprise is a unit of that kind, its columns the unit's): the count of
    # a district's 1,500 then reads one index, where through the enterprises it hashed all 10,000 of them (0.5 ms
    # against 2.6 ms).
    counted = filtered(Organisation.objects.visible_to(user).filter(kind=OrganisationKind.ENTERPRISE))
    return DirectoryRows(filtered(Enterprise.objects.visible_to(user)), counted=counted,
                         one_district=bool(district) or user.role == Role.DISTRICT, kept_counts=kept_counts)


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
    paginator's; across the city with how many have a district, in the same query), the page's rows (and the rows
    without a district on the page that reaches them)."""

    COLUMNS = ("public_id", "name", "credit_code", "status", "district__name", "industry__name", "industry__sector")

    def __init__(self, queryset, *, counted=None, one_district=False, kept_counts=None):
        self.queryset = queryset
        self.counted = queryset if counted is None else counted
        self.one_district = one_district
        self.kept_counts = kept_counts

    def count(self) -> int:
        return self._counts[0]

    @cached_property
    def _counts(self) -> tuple[int, int]:
        return self._count() if self.kept_counts is None else self.kept_counts(self._count)

    def _count(self) -> tuple[int, int]:
        """The total and, across the city, how many have a district: one query (one district's list needs only
        the total)."""
        if self.one_district:
            return self.counted.count(), 0
        # COUNT(*) and COUNT(district_id), both answered by the index on (kind, status, district) alone.
        counts = self.counted.aggregate(total=Count("*"), placed=Count("district"))
        return counts["total"], counts["placed"]

    @cached_property
    def _with_district(self) -> int:
        return self._counts[1]

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
    """The account list for the paginator: the count of the accounts alone (``page_of`` may keep it), and each page's
    rows as values of the columns shown (an account and its unit as model instances cost more than the page's
    query)."""

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
    return reference_data("district-codes",
                          lambda: dict(District.objects.exclude(code__isnull=True).values_list("code", "name")))


def credit_code_warnings(enterprise, districts_by_code=None) -> list[str]:
    """Positions 3–8 of the credit code against the chosen district: a warning for the official, never a block
    (the code records the registering authority at the time of registration, which may predate a re-division)."""
    if not enterprise.credit_code:
        return []
    chosen = enterprise.district
    return _credit_code_warnings(enterprise.credit_code, chosen.name, chosen.code, districts_by_code)


def _credit_code_warnings(code, district_name, district_code, districts_by_code=None) -> list[str]:
    if not code:
        return []
    division = credit_code.division_code(code)
    if not division.startswith("50"):
        return [_("信用代码中的登记机关行政区划代码 %(code)s 不属于重庆市，请核实企业是否在本区登记注册。")
                % {"code": division}]
    if district_code is None:
        return []
    if division != district_code:
        # The codes of all districts only when the code names another (the form page checks every draft).
        districts_by_code = districts_by_code if districts_by_code is not None else district_codes()
        where = districts_by_code.get(division) or _("未知区县或已调整的区划")
        return [_("信用代码中的登记机关行政区划代码 %(code)s（%(where)s）与所选区县%(district)s（%(own)s）不一致。")
                % {"code": division, "where": where, "district": district_name, "own": district_code}]
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


def identity_change_page_for_user(user, public_id) -> IdentityChange:
    """The request as its page shows it: its own columns, who asked and decided by name (one-row subqueries), and
    the enterprise's district id (the review rule compares it; its name is reference data, ``district_names``) —
    not the enterprise's profile and two whole accounts (about seventy columns over six tables to plan: 1.4 → 1.1 ms
    in-process). The decision itself loads the whole request (``identity_change_get_for_user``)."""
    change = get_object_or_404(_identity_change_page().visible_to(user), public_id=public_id)
    # The enterprise as the review rule reads it (its key and district), without reading its row.
    change.enterprise = Enterprise(pk=change.enterprise_id, district_id=change.enterprise_district_id)
    return change


@functools.cache
def _identity_change_page():
    # Built once: a page's query is a copy with the scope and the key (building the subqueries cost more than
    # running them).
    return IdentityChange.objects.annotate(
        requester_name=_full_name_of("requested_by_id"), decider_name=_full_name_of("decided_by_id"),
        enterprise_district_id=F("enterprise__district_id"))


def _full_name_of(key: str):
    """A user's name as the pages show it (``User.get_full_name``: the full name, else the user name)."""
    return Subquery(User.objects.filter(pk=OuterRef(key)).order_by().annotate(
        shown=Coalesce(NullIf("full_name", Value("")), "username")).values("shown")[:1])


def district_names() -> dict:
    """{district id: name}: reference data, kept in each process (``greenfactory.portal.reference_data``)."""
    return reference_data("names:accounts.district", lambda: dict(District.objects.values_list("id", "name")))


def district_divisions() -> dict:
    """{district id: (name, administrative division code or None)}: reference data, as ``district_names``."""
    return reference_data("divisions:accounts.district", lambda: {
        pk: (name, code) for pk, name, code in District.objects.values_list("id", "name", "code")})


def industry_names() -> dict:
    """{industry id: name}: reference data, as ``district_names``."""
    return reference_data("names:accounts.industry", lambda: dict(Industry.objects.values_list("id", "name")))


def identity_change_latest_for_enterprise(enterprise):
    return enterprise.identity_changes.select_related("decided_by").order_by("-created_at", "-pk").first()
