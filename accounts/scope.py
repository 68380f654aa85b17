"""Scope in one place: which records a user may see (DESIGN.md, "People and what they may see").

Every scoped model's queryset derives from ``ScopedQuerySet`` and declares, as class attributes, how its rows
reach the people who may see them; ``visible_to(user)`` reads the declarations and nothing else:

- the city and administrators see everything;
- ``district_path``: a district official sees the records of its district (the lookup names the record's district);
- ``applicant_path``: enterprise and park users — the applicant is an organisation, one branch for both — see the
  records their organisation applied with (the lookup names the applicant organisation);
- ``assignment_path``: experts, evaluators and department users see a case because an assignment on it is theirs
  (the lookup is the reverse relation to the assignment table, ``applications.ReviewTask``; its queryset says which
  assignments count, through ``assigned_to(user)``);
- ``member_path``: the directory records of a user's own unit (the unit itself, its colleagues), for every role;
- ``audience_path``: notices addressed to a district (or, when empty, to all districts), for everyone signed in;
- everyone else sees nothing. Outside scope is 404: selectors use ``get_object_or_404(Model.objects.visible_to(user),
  public_id=...)``.

What the public sees, not signed in, is a separate ``published()`` queryset on the model that has one.

This module imports no model: the assignment table lives in ``applications`` (which may import accounts, not the
other way), so the assignment branch finds it through the declared relation.
"""

from django.contrib.contenttypes.fields import GenericRelation
from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.choices import Role

SEES_EVERYTHING = frozenset({Role.CITY, Role.ADMIN})
# The applicant is an organisation: an enterprise (green factory) or a park (green park) — one branch, one predicate.
APPLICANT_ROLES = frozenset({Role.ENTERPRISE, Role.PARK})
# Who sees a case only through an assignment on it.
ASSIGNEE_ROLES = frozenset({Role.EXPERT, Role.EVALUATOR, Role.DEPARTMENT})
# Whose whole organisation takes an assignment: a commission goes to the evaluation firm (第二十一条), not a person.
ORGANISATION_ASSIGNEE_ROLES = frozenset({Role.EVALUATOR})

# No row matches: the branch a role without a declared path takes.
NOTHING = Q(pk__in=[])


def signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def sees_everything(user) -> bool:
    return signed_in(user) and user.role in SEES_EVERYTHING


def is_applicant_role(user) -> bool:
    return signed_in(user) and user.role in APPLICANT_ROLES


def is_applicant_member(user, organisation) -> bool:
    """The user works for the applicant organisation (an enterprise or a park; accepts the organisation or its id).
    Whether the user may act (active, unit approved) is the access rules' business; this says whose record it is."""
    organisation_id = getattr(organisation, "pk", organisation)
    return is_applicant_role(user) and organisation_id is not None and user.organisation_id == organisation_id


def path_value(instance, path: str):
    """The value a declared lookup reaches from one record (``"enterprise__district_id"`` → the district's id), so
    that code which copies a case's district or applicant reads the same declaration the scope filters by."""
    value = instance
    for part in path.split("__"):
        if value is None:
            return None
        value = getattr(value, part)
    return value


def _declared_path(case, name):
    queryset_class = getattr(type(case)._default_manager, "_queryset_class", None)
    return getattr(queryset_class, name, None)


def case_district_id(case):
    """The district a case belongs to, by the path its queryset declares (None when it declares none)."""
    path = _declared_path(case, "district_path")
    return path_value(case, path) if path else None


def case_applicant_id(case):
    """The applicant organisation of a case, by the path its queryset declares (None when it declares none)."""
    path = _declared_path(case, "applicant_path")
    return path_value(case, path) if path else None


class ScopedQuerySet(QuerySet):
    """The one scoped queryset base. Subclasses declare the paths; a branch may be narrowed by overriding its
    ``*_scope`` method (each returns a ``Q`` or ``None`` for "this branch adds nothing")."""

    district_path: str | None = None
    applicant_path: str | None = None
    assignment_path: str | None = None
    member_path: str | None = None
    audience_path: str | None = None

    def visible_to(self, user):
        if not signed_in(user):
            return self.none()
        if user.role in SEES_EVERYTHING:
            return self.all()
        scope = self.scope_for(user)
        return self.filter(scope) if scope is not None else self.none()

    def scope_for(self, user) -> Q | None:
        """The condition for a signed-in user who does not see everything: the union of the branches declared."""
        parts = [part for part in (self.district_scope(user), self.applicant_scope(user),
                                   self.assignment_scope(user), self.member_scope(user), self.audience_scope(user))
                 if part is not None]
        if not parts:
            return None
        scope = parts[0]
        for part in parts[1:]:
            scope |= part
        return scope

    # --- The branches ----------------------------------------------------------------------------------------------

    def district_scope(self, user) -> Q | None:
        if self.district_path is None or user.role != Role.DISTRICT:
            return None
        # An official whose unit has no district (a misconfigured account) sees no district's records.
        district_id = user.district_id
        return Q(**{self.district_path: district_id}) if district_id is not None else NOTHING

    def applicant_scope(self, user) -> Q | None:
        if self.applicant_path is None or user.role not in APPLICANT_ROLES or user.organisation_id is None:
            return None
        return Q(**{self.applicant_path: user.organisation_id})

    def assignment_scope(self, user) -> Q | None:
        if self.assignment_path is None or user.role not in ASSIGNEE_ROLES:
            return None
        relation = self.model._meta.get_field(self.assignment_path)
        tasks = relation.related_model._default_manager.assigned_to(user)
        if isinstance(relation, GenericRelation):
            opts = self.model._meta.concrete_model._meta
            # The content type by its natural key, inside the subquery: no query of its own, cache or not.
            tasks = tasks.filter(**{f"{relation.content_type_field_name}__app_label": opts.app_label,
                                    f"{relation.content_type_field_name}__model": opts.model_name,
                                    relation.object_id_field_name: OuterRef("pk")})
        else:
            tasks = tasks.filter(**{relation.field.name: OuterRef("pk")})
        # EXISTS, not a join: two assignments of one person on one case still give the case once.
        return Q(Exists(tasks))

    def member_scope(self, user) -> Q | None:
        if self.member_path is None or user.organisation_id is None:
            return None
        return Q(**{self.member_path: user.organisation_id})

    def audience_scope(self, user) -> Q | None:
        if self.audience_path is None:
            return None
        everywhere = Q(**{f"{self.audience_path}__isnull": True})
        district_id = user.district_id
        return everywhere | Q(**{self.audience_path: district_id}) if district_id is not None else everywhere
