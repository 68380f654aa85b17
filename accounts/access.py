"""Who may do what with accounts and organisations. Scope (what a user may see) is ``visible_to`` on each model's
queryset; these predicates decide actions on what is already visible. Registered with django-rules so templates and
views ask them through ``rule_required`` and ``allowed`` below (never ``user.has_perm``, which a superuser flag
would satisfy)."""

from functools import wraps

import rules
from django.core.exceptions import PermissionDenied

from accounts.choices import OrganisationStatus, Role
from accounts.scope import APPLICANT_ROLES, is_applicant_member


def has_role(*roles):
    names = {str(r) for r in roles}

    @rules.predicate(name=f"has_role({','.join(sorted(names))})")
    def predicate(user):
        return bool(getattr(user, "is_authenticated", False)) and user.is_active and user.role in names

    return predicate


is_enterprise = has_role(Role.ENTERPRISE)
is_district = has_role(Role.DISTRICT)
is_city = has_role(Role.CITY)
is_city_or_admin = has_role(Role.CITY, Role.ADMIN)
is_official = has_role(Role.DISTRICT, Role.CITY, Role.ADMIN)
# The applicant is an organisation: enterprise and park users go down one code path.
is_applicant_role = has_role(*APPLICANT_ROLES)


def _organisation_active(user) -> bool:
    return user.organisation_id is None or user.organisation.status == OrganisationStatus.ACTIVE


@rules.predicate
def is_active_member_of_organisation(user):
    return bool(getattr(user, "is_authenticated", False)) and _organisation_active(user)


is_applicant = is_applicant_role & is_active_member_of_organisation


@rules.predicate
def is_active_applicant_member(user, organisation):
    """An active user of the applicant organisation (an enterprise or a park), whose unit is approved: who fills in,
    submits and withdraws the organisation's applications."""
    return is_applicant(user) and is_applicant_member(user, organisation)


@rules.predicate
def can_review_registration(user, organisation):
    """Only officials of the organisation's own district decide its registration."""
    return (
        is_district(user)
        and _organisation_active(user)
        and organisation is not None
        and organisation.district_id is not None
        and organisation.district_id == user.organisation.district_id
    )


@rules.predicate
def can_review_identity_change(user, change):
    """Only officials of the enterprise's own district decide a change of its name or credit code."""
    return change is not None and can_review_registration(user, change.enterprise)


@rules.predicate
def is_member(user, organisation):
    return bool(getattr(user, "is_authenticated", False)) and organisation is not None \
        and user.organisation_id == organisation.pk


@rules.predicate
def can_manage_account(user, account):
    """The city and administrators manage the accounts they can see, except their own (nobody switches themselves
    off or resets their own password here) and administrators' (only an administrator's). The services ask this
    and the account list shows only the buttons it allows (through ``account_manage_test``)."""
    return account is not None and account_manage_test(user)(account.pk, account.role)


def account_manage_test(user):
    """``can_manage_account`` for the rows of a list: what depends on the user alone asked once, the returned test
    asking each account's part from its key and role."""
    if not (is_city_or_admin(user) and _organisation_active(user)):
        return lambda pk, role: False
    return lambda pk, role: pk != user.pk and (role != Role.ADMIN or user.role == Role.ADMIN)


rules.add_perm("accounts.manage_account", can_manage_account)
rules.add_perm("accounts.review_registration", can_review_registration)
rules.add_perm("accounts.resubmit_registration", is_member & is_enterprise)
rules.add_perm("accounts.view_registration_queue", is_district & is_active_member_of_organisation)
rules.add_perm("accounts.review_identity_change", can_review_identity_change)
rules.add_perm("accounts.request_identity_change", is_enterprise & is_active_member_of_organisation)
rules.add_perm("accounts.view_enterprise_directory", is_official & is_active_member_of_organisation)
rules.add_perm("accounts.manage_accounts", is_city_or_admin & is_active_member_of_organisation)
rules.add_perm("accounts.manage_colleagues", is_applicant)
rules.add_perm("accounts.view_audit_log", is_city_or_admin & is_active_member_of_organisation)


def rule_required(perm):
    """Like ``permission_required(..., raise_exception=True)`` but asks only the rules above: a superuser flag
    (the system administrator's, for the Django admin) grants no business permission."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not rules.has_perm(perm, request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def allowed(perm, user, obj=None) -> bool:
    return rules.has_perm(perm, user, obj)
