"""Accounts the portal opens: officials', experts', evaluators', department liaisons' and parks' accounts by the
city or an administrator, colleagues' accounts by an enterprise or park, each with a one-time initial password; and
switching an account off or on."""

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.audit import audit_record
from accounts.choices import Role
from accounts.models import ROLE_ORGANISATION_KIND, AuditAction, Organisation, OrganisationKind, User
from accounts.selectors import user_email_taken, username_taken
from accounts.services.common import manages_account, user_insert, user_validate
from accounts.services.passwords import initial_password
from greenfactory.workflow import TransitionConflict


@transaction.atomic
def account_create(*, actor, role, username, full_name, email, phone="", district=None, organisation=None,
                   organisation_name="", request=None):
    """Create an account for an official, expert, evaluator, department liaison or park (by the city or an
    administrator), in the unit its role belongs to (``organisation_for_new_account``: a unit named on the form is
    created with it, in the same transaction). Returns the user and a one-time initial password to hand over; it
    must be changed at first login. Raises PermissionDenied, or ValidationError naming the field."""
    if not rules.has_perm("accounts.manage_accounts", actor):
        raise PermissionDenied(_("您无权创建账号。"))
    if role == Role.ENTERPRISE:
        raise ValidationError({"role": _("企业账号由企业自行注册，经区县经信部门审核。")})
    if role == Role.ADMIN and actor.role != Role.ADMIN:
        raise ValidationError({"role": _("只有系统管理员可以创建系统管理员账号。")})
    organisation = organisation_for_new_account(role=role, district=district, organisation=organisation,
                                                organisation_name=organisation_name)
    expected_kind = ROLE_ORGANISATION_KIND.get(role)
    if expected_kind and (organisation is None or organisation.kind != expected_kind):
        raise ValidationError({"organisation": _("所选单位与角色不符。")})
    return _user_with_initial_password(actor=actor, role=role, username=username, full_name=full_name,
                                       email=email, phone=phone, organisation=organisation, request=request)


def _user_with_initial_password(*, actor, role, username, full_name, email, phone, organisation, request):
    # One account per mailbox (the unique index user_email_ci_unique): the reset link and the notices go to one
    # person. Checked first for a message on the field; a race is decided by the index (user_insert).
    if username_taken(username):
        raise ValidationError({"username": _("该用户名已被使用，请换一个。")})
    if user_email_taken(email):
        raise ValidationError({"email": _("该电子邮箱已被其他账号使用。每个账号须使用自己的邮箱，以便找回密码。")})
    password = initial_password()
    user = User(username=username, full_name=full_name, email=email.strip(), phone=phone, role=role,
                organisation=organisation, must_change_password=True, is_staff=role == Role.ADMIN,
                is_superuser=role == Role.ADMIN)
    user.set_password(password)
    user_validate(user)
    user_insert(user)
    audit_record(action=AuditAction.ACCOUNT_CREATED, actor=actor, obj=user, request=request,
                 detail={"role": role})
    return user, password


@transaction.atomic
def colleague_create(*, actor, username, full_name, email, phone="", request=None):
    """An enterprise's or park's user adds a colleague to the same unit (several users per enterprise). The
    colleague gets the same role and a one-time initial password to change at first login."""
    if not rules.has_perm("accounts.manage_colleagues", actor):
        raise PermissionDenied(_("您无权为本单位添加账号。"))
    return _user_with_initial_password(actor=actor, role=actor.role, username=username, full_name=full_name,
                                       email=email, phone=phone, organisation=actor.organisation,
                                       request=request)


def account_check_manageable(*, actor, account) -> None:
    """Raises PermissionDenied unless ``actor`` manages ``account``: a colleague of the same enterprise or park,
    or an account the city or an administrator can see (administrators' only by an administrator)."""
    own_unit = (rules.has_perm("accounts.manage_colleagues", actor)
                and account.organisation_id == actor.organisation_id)
    if not (own_unit or manages_account(actor, account)):
        raise PermissionDenied(_("您无权管理该账号。"))


@transaction.atomic
def colleague_set_active(*, actor, colleague, active: bool, request=None):
    """Switch an account off or on, as asked (``active`` is the wanted state, never "the other one").

    The row is locked, so two clicks at once write one change and one audit record; an account already in the
    wanted state raises TransitionConflict (answered 409). Switching off rotates the session stamp: every session
    of the user ends for good, and re-enabling does not bring one back. Nobody switches themselves off.
    """
    account_check_manageable(actor=actor, account=colleague)
    if colleague.pk == actor.pk:
        raise ValidationError(_("不能停用自己的账号。"))
    colleague = User.objects.select_for_update().get(pk=colleague.pk)
    if colleague.is_active == active:
        raise TransitionConflict(
            (_("%(name)s 的账号已经是启用状态，无需再次启用。") if active
             else _("%(name)s 的账号已经是停用状态，无需再次停用。")) % {"name": colleague.full_name}
        )
    colleague.is_active = active
    fields = ["is_active"]
    if not active:
        colleague.rotate_session_stamp()
        fields.append("session_stamp")
    colleague.save(update_fields=fields)
    audit_record(action=AuditAction.ACCOUNT_ENABLED if active else AuditAction.ACCOUNT_DISABLED, actor=actor,
                 obj=colleague, request=request, detail={"from": not active, "to": active, "active": active})
    return colleague


# Units found (or created) by name when an account is opened for one of these roles.
_NAMED_UNIT_KINDS = {
    Role.EVALUATOR: OrganisationKind.EVALUATOR,
    Role.DEPARTMENT: OrganisationKind.DEPARTMENT,
    Role.EXPERT: OrganisationKind.EXPERT,
}


def organisation_for_new_account(*, role, district=None, organisation=None, organisation_name=""):
    """The unit an account of ``role`` belongs to: its district's department, the city, an existing unit, or a
    unit named on the form (found or created). Administrators belong to none. Raises ValidationError naming the
    field when the role's unit is not given."""
    if role == Role.DISTRICT:
        if district is None:
            raise ValidationError({"district": _("请选择区县。")})
        # Every district's department is reference data (migration 0002).
        return Organisation.objects.get(kind=OrganisationKind.DISTRICT, district=district)
    if role == Role.CITY:
        return Organisation.objects.get(kind=OrganisationKind.CITY)
    if role == Role.ADMIN:
        return None
    if organisation is not None:
        return organisation
    if role == Role.PARK:
        raise ValidationError({"organisation": _("请选择园区（园区须先由管理员登记）。")})
    if role in _NAMED_UNIT_KINDS:
        if not (organisation_name or "").strip():
            raise ValidationError({"organisation_name": _("请选择已有单位或填写新单位名称。")})
        return organisation_get_or_create(kind=_NAMED_UNIT_KINDS[role], name=organisation_name)
    return None


def organisation_get_or_create(*, kind, name, district=None) -> Organisation:
    """Authorities, evaluators, departments and experts' units are found by kind and name."""
    organisation, _created = Organisation.objects.get_or_create(
        kind=kind, name=name.strip(), defaults={"district": district}
    )
    return organisation
