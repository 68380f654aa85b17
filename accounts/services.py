"""Writes for accounts: registration and its review, officials' accounts, the inbox and the audit trail.

Every service that changes data takes a keyword-only ``actor`` (or is the actor's own registration), runs in one
transaction, and sends its side effects (e-mail) only after commit.
"""

import secrets
import string

import rules
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import access_denied_record, audit_record, client_ip  # noqa: F401  (re-exported)
from accounts.choices import MessageKind, OrganisationStatus, Role
from accounts.clocks import registration_review_open
from accounts.inbox import district_officials, notification_mark_read, notification_send  # noqa: F401
from accounts.models import (
    ROLE_ORGANISATION_KIND,
    AuditAction,
    Enterprise,
    IdentityChange,
    IdentityChangeStatus,
    Organisation,
    OrganisationKind,
    PendingRegistration,
    User,
)
from greenfactory.language import in_portal_language, portal_language
from greenfactory.text import clause
from greenfactory.workflow import Message, TransitionConflict, fire, lock, messages_send

# --- Registration (企业注册) ------------------------------------------------------------------------------------------


# Why a registration is not told on the page whether a user name, e-mail or credit code is taken (SECURITY.md:
# "the same answer for known and unknown users"): the page always says "check your mailbox", and the mailbox's owner
# reads the outcome — a confirmation link, or the conflict that stops the registration. Only the owner of the
# address learns anything, one message per try, with registrations limited per IP (REGISTRATION_RATE).
REGISTRATION_SALT = "accounts.registration.confirm"


def _registration_conflicts(*, credit_code: str, username: str, email: str) -> list[str]:
    conflicts = []
    if User.objects.filter(email__iexact=email).exists():
        conflicts.append("email")
    if Organisation.objects.filter(credit_code=credit_code).exists():
        conflicts.append("credit_code")
    if User.objects.filter(username__iexact=username).exists():
        conflicts.append("username")
    return conflicts


def _registration_mail(*, to: str, subject: str, template: str, context: dict) -> None:
    send_mail(subject, render_to_string(template, context), None, [to])


def registration_token(pending) -> str:
    return signing.dumps(str(pending.public_id), salt=REGISTRATION_SALT)


def registration_request(*, enterprise_data: dict, user_data: dict, password: str, request=None):
    """Take a registration form: either keep it and mail a signed confirmation link to its address, or mail the
    address's owner why it cannot go on (the address, credit code or user name is taken). The caller shows the
    same page in every case. Nothing is reserved and the district is not told until the link is followed."""
    email = user_data["email"].strip()
    conflicts = _registration_conflicts(credit_code=enterprise_data["credit_code"],
                                        username=user_data["username"], email=email)
    context = {"name": enterprise_data["name"], "credit_code": enterprise_data["credit_code"],
               "username": user_data["username"], "conflicts": conflicts, "request": request}
    pending = None
    # Hashed in every case, so the answer takes as long whether or not something was taken.
    password_hash = make_password(password)
    if conflicts:
        _registration_mail(to=email, subject=_("【绿色工厂培育与认定平台】企业注册未能完成"),
                           template="accounts/email/registration_conflict.txt", context=context)
    else:
        data = {key: (value.pk if hasattr(value, "pk") else value) for key, value in enterprise_data.items()}
        data.update(user_data)
        pending = PendingRegistration.objects.create(email=email, data=data, password_hash=password_hash)
        path = reverse("accounts:register_confirm", args=[registration_token(pending)])
        # The configured address, never the request's Host header (a forged host would mail a link to itself).
        context["link"] = settings.PORTAL_BASE_URL.rstrip("/") + path
        context["hours"] = settings.REGISTRATION_LINK_MAX_AGE // 3600
        _registration_mail(to=email, subject=_("【绿色工厂培育与认定平台】请确认您的电子邮箱以完成企业注册"),
                           template="accounts/email/registration_confirm.txt", context=context)
    audit_record(action=AuditAction.REGISTER_REQUESTED, username=user_data["username"][:150],
                 result="failure" if conflicts else "success", request=request,
                 detail={"enterprise": enterprise_data["name"], "email": email, "conflicts": conflicts})
    return pending


def registration_pending_from_token(token: str):
    """The pending registration a link names, or None if the link is forged, expired or unknown."""
    try:
        public_id = signing.loads(token, salt=REGISTRATION_SALT, max_age=settings.REGISTRATION_LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    return PendingRegistration.objects.filter(public_id=public_id).first()


@transaction.atomic
def registration_confirm(*, pending, request=None) -> User:
    """The address's owner followed the link: create the pending enterprise and its first user, and tell the
    district. A conflict found now (someone registered the code, name or address meanwhile) is told to this
    verified owner as a ValidationError. A link is good once (TransitionConflict on a second use)."""
    pending = PendingRegistration.objects.select_for_update().get(pk=pending.pk)
    if pending.confirmed_at is not None:
        raise TransitionConflict(_("该确认链接已经使用过，注册信息已提交，请等待区县经信部门审核。"))
    data = dict(pending.data)
    user_data = {key: data.pop(key) for key in ("full_name", "phone", "email", "username")}
    enterprise_data = {key: value for key, value in data.items() if key not in ("district", "industry")}
    enterprise_data["district_id"] = data["district"]
    enterprise_data["industry_id"] = data["industry"]
    user = enterprise_register(enterprise_data=enterprise_data, user_data=user_data,
                               password_hash=pending.password_hash, request=request)
    pending.confirmed_at = timezone.now()
    pending.password_hash = ""  # the account holds it now
    pending.save(update_fields=["confirmed_at", "password_hash"])
    return user


def pending_registrations_purge(*, now=None) -> int:
    """Forget registrations whose link has expired, confirmed or not: their contact data and password hash serve
    no purpose once the link is dead (个人信息保护法第十九条: kept no longer than needed). Safe to run twice."""
    now = now or timezone.now()
    cutoff = now - timezone.timedelta(seconds=settings.REGISTRATION_LINK_MAX_AGE)
    deleted, _by_model = PendingRegistration.objects.filter(created_at__lt=cutoff).delete()
    return deleted


@transaction.atomic
def enterprise_register(*, enterprise_data: dict, user_data: dict, password: str = "", password_hash: str = "",
                        request=None) -> User:
    """Create a pending enterprise and its first user (their e-mail address confirmed). The credit code, the user
    name and the address are unique: a clash raises ValidationError naming the field, also when two registrations
    race (the unique indexes decide). The district's officials are told after commit."""
    code = enterprise_data["credit_code"]
    if Organisation.objects.filter(credit_code=code).exists():
        raise ValidationError(
            {"credit_code": _(
                "该统一社会信用代码已注册。如您是该企业员工，请联系本单位已注册的账号或所在区县经信部门。"
            )}
        )
    if User.objects.filter(username__iexact=user_data["username"]).exists():
        raise ValidationError({"username": _("该用户名已被使用，请换一个。")})
    if User.objects.filter(email__iexact=user_data["email"]).exists():
        raise ValidationError({"email": _("该电子邮箱已被其他账号使用。如您已有账号，请使用“忘记密码”找回。")})
    try:
        with transaction.atomic():
            # A self-registered enterprise waits for its district (the state field is protected: set it at birth).
            enterprise = Enterprise(
                **enterprise_data, kind=OrganisationKind.ENTERPRISE, status=OrganisationStatus.PENDING
            )
            enterprise.full_clean(exclude=["status"])
            enterprise.save()
    except IntegrityError as exc:
        # Two registrations of the same code at once: the unique index decides.
        raise ValidationError({"credit_code": _("该统一社会信用代码已注册。")}) from exc
    user = User(role=Role.ENTERPRISE, organisation=enterprise, **user_data)
    if password_hash:
        user.password = password_hash
    else:
        user.set_password(password)
    user.full_clean(exclude=["password"])
    _save_new_user(user)
    audit_record(action=AuditAction.REGISTER, actor=user, obj=enterprise, request=request)
    registration_review_open(enterprise=enterprise)
    with portal_language():
        notification_send(
            recipients=district_officials(enterprise.district_id),
            title=_("新企业注册待审核：%(name)s") % {"name": enterprise.name},
            body=_("%(name)s（%(code)s）在平台注册，请审核。") % {"name": enterprise.name, "code": code},
            url=reverse("accounts:registration_detail", args=[enterprise.public_id]), kind=MessageKind.TASK,
        )
    return user


def _save_new_user(user) -> None:
    """Insert a user; two accounts racing for one user name or e-mail address (case-insensitive unique indexes)
    end with one, and the other gets a message naming the field."""
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        if User.objects.filter(email__iexact=user.email).exists():
            raise ValidationError({"email": _("该电子邮箱已被其他账号使用。每个账号须使用自己的邮箱。")}) from exc
        raise ValidationError({"username": _("该用户名已被使用，请换一个。")}) from exc


def _registration_url(organisation) -> str:
    return reverse("accounts:registration_detail", args=[organisation.public_id])


def _require(reason: str, message) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": message})
    return reason


@in_portal_language
def _registration_decided_message(organisation, *, approved: bool, reason: str = "") -> Message:
    # The enterprise reads it: in the portal's language, whoever decided.
    if approved:
        return Message(recipients=lambda: organisation.users.all(), title=_("注册已通过审核"), url=reverse("home"),
                       body=_("%(name)s 的注册已由区县经信部门审核通过，现在可以登录使用平台。")
                       % {"name": organisation.name}, kind=MessageKind.DECISION)
    return Message(recipients=lambda: organisation.users.all(), title=_("注册未通过审核"),
                   body=_("%(name)s 的注册未通过审核，原因：%(reason)s。请修改后重新提交。")
                   % {"name": organisation.name, "reason": clause(reason)},
                   url=reverse("accounts:registration_status"), kind=MessageKind.DECISION)


def registration_approve(*, organisation, actor, request=None) -> Organisation:
    """Approve a pending registration. Raises TransitionConflict if it was decided meanwhile (one winner),
    PermissionDenied if ``actor`` is not an official of its district."""
    return fire(organisation, "approve", actor=actor, request=request, url=_registration_url(organisation),
                messages=lambda row: [_registration_decided_message(row, approved=True)])


def registration_refuse(*, organisation, actor, reason: str, request=None) -> Organisation:
    """Refuse a pending registration; a reason is required and shown to the enterprise."""
    reason = _require(reason, _("请填写未通过的原因。"))
    return fire(organisation, "refuse", actor=actor, comment=reason, request=request, detail={"reason": reason},
                url=_registration_url(organisation),
                messages=lambda row: [_registration_decided_message(row, approved=False, reason=reason)])


@transaction.atomic
def registration_resubmit(*, enterprise, actor, changes: dict, request=None) -> Enterprise:
    """A refused enterprise corrects its profile and asks again. The credit code stays unique."""
    enterprise = lock(enterprise, url=reverse("accounts:registration_status"))

    def apply_changes(row):
        for field, value in changes.items():
            setattr(row, field, value)
        row.full_clean(exclude=["status"])

    with portal_language():  # stored in the history the district reads
        comment = _("企业修改信息后重新提交")
        message = Message(recipients=lambda: district_officials(enterprise.district_id),
                          title=_("企业重新提交注册：%(name)s") % {"name": changes.get("name", enterprise.name)},
                          url=_registration_url(enterprise), kind=MessageKind.TASK)
    enterprise = fire(enterprise, "resubmit", actor=actor, comment=comment, request=request, locked=True,
                      prepare=apply_changes, url=reverse("accounts:registration_status"), messages=[message])
    registration_review_open(enterprise=enterprise)
    return enterprise


# --- Officials' accounts ---------------------------------------------------------------------------------------------


def initial_password() -> str:
    """A random password that passes the complexity rules; the user must change it at first login."""
    alphabet = string.ascii_letters + string.digits
    while True:
        body = "".join(secrets.choice(alphabet) for _ in range(12))
        if any(c.islower() for c in body) and any(c.isupper() for c in body) and any(c.isdigit() for c in body):
            return f"{body}-{secrets.choice('#%+=@')}"


@transaction.atomic
def account_create(*, actor, role, username, full_name, email, phone="", organisation=None, request=None):
    """Create an account for an official, expert, evaluator, department liaison or park (by the city or an
    administrator). Returns the user and a one-time initial password to hand over; it must be changed at first
    login."""
    if not rules.has_perm("accounts.manage_accounts", actor):
        raise PermissionDenied(_("您无权创建账号。"))
    if role == Role.ENTERPRISE:
        raise ValidationError({"role": _("企业账号由企业自行注册，经区县经信部门审核。")})
    if role == Role.ADMIN and actor.role != Role.ADMIN:
        raise ValidationError({"role": _("只有系统管理员可以创建系统管理员账号。")})
    expected_kind = ROLE_ORGANISATION_KIND.get(role)
    if expected_kind and (organisation is None or organisation.kind != expected_kind):
        raise ValidationError({"organisation": _("所选单位与角色不符。")})
    return _user_with_initial_password(actor=actor, role=role, username=username, full_name=full_name,
                                       email=email, phone=phone, organisation=organisation, request=request)


def _user_with_initial_password(*, actor, role, username, full_name, email, phone, organisation, request):
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("该用户名已被使用，请换一个。")})
    password = initial_password()
    user = User(username=username, full_name=full_name, email=email, phone=phone, role=role,
                organisation=organisation, must_change_password=True, is_staff=role == Role.ADMIN,
                is_superuser=role == Role.ADMIN)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    _save_new_user(user)
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
    if not (own_unit or _manages_account(actor, account)):
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
    unit named on the form. Administrators belong to none."""
    if role == Role.DISTRICT:
        return Organisation.objects.get(kind=OrganisationKind.DISTRICT, district=district)
    if role == Role.CITY:
        return Organisation.objects.get(kind=OrganisationKind.CITY)
    if role == Role.ADMIN:
        return None
    if organisation is not None:
        return organisation
    if role in _NAMED_UNIT_KINDS:
        return organisation_get_or_create(kind=_NAMED_UNIT_KINDS[role], name=organisation_name)
    return None


def organisation_get_or_create(*, kind, name, district=None) -> Organisation:
    """Authorities, evaluators, departments and experts' units are found by kind and name."""
    organisation, _created = Organisation.objects.get_or_create(
        kind=kind, name=name.strip(), defaults={"district": district}
    )
    return organisation


def content_type_for(model):
    return ContentType.objects.get_for_model(model)


def _manages_account(actor, user) -> bool:
    """The city and administrators manage accounts they can see; only an administrator manages administrators."""
    if user.pk == actor.pk:
        # Oneself: the colleague rules and the services' own checks decide (never the account list's buttons).
        if not rules.has_perm("accounts.manage_accounts", actor):
            return False
    elif not rules.has_perm("accounts.manage_account", actor, user):
        return False
    return User.objects.visible_to(actor).filter(pk=user.pk).exists()


@transaction.atomic
def account_reset_password(*, actor, user, request=None):
    """A new one-time initial password for a user who lost theirs and cannot use e-mail; it must be changed at the
    next login, and every open session of the user ends."""
    if not _manages_account(actor, user) or user.pk == actor.pk:
        raise PermissionDenied(_("您无权重置该账号的密码。"))
    user = User.objects.select_for_update().get(pk=user.pk)
    password = initial_password()
    user.set_password(password)
    user.must_change_password = True
    user.rotate_session_stamp()
    user.save(update_fields=["password", "password_changed_at", "must_change_password", "session_stamp"])
    lockout_lift(username=user.username)
    audit_record(action=AuditAction.PASSWORD_RESET, actor=actor, obj=user, request=request)
    return password


def lockout_lift(*, username: str) -> None:
    """A successful password reset proves the person: the failed attempts that locked the name are forgotten
    (django-axes keeps them per name and IP; every IP's are reset)."""
    from axes.utils import reset

    reset(username=username)


def password_reset_request(*, email: str) -> None:
    """Someone asked for a password-reset link for ``email``. Whether or not an account has the address, one mail
    task is queued after commit and nothing else happens here, so the answer (and its timing) is the same; the
    worker finds the account and mails the link (``accounts.tasks.send_password_reset_email``)."""
    from accounts.tasks import send_password_reset_email

    send_password_reset_email.delay_on_commit(email.strip())


@transaction.atomic
def password_reset_complete(*, user, request=None) -> User:
    """After a self-service reset (the link mailed to the owner): the new password is the user's own, every other
    session ends, and the lockout on the name is lifted."""
    user = User.objects.select_for_update().get(pk=user.pk)
    user.must_change_password = False
    user.rotate_session_stamp()
    user.save(update_fields=["must_change_password", "session_stamp"])
    lockout_lift(username=user.username)
    audit_record(action=AuditAction.PASSWORD_RESET, actor=user, obj=user, request=request)
    return user


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


# --- Change of registered name or credit code (企业名称、统一社会信用代码变更) --------------------------------------


def _credit_code_taken(code: str, *, other_than) -> bool:
    return Organisation.objects.filter(credit_code=code).exclude(pk=other_than.pk).exists()


_CODE_TAKEN = _("该统一社会信用代码已由平台上的其他企业注册。如确属本企业，请联系所在区县经信部门。")


@transaction.atomic
def identity_change_request(*, actor, new_name: str, new_credit_code: str, reason: str,
                            request=None) -> IdentityChange:
    """An enterprise asks its district to change its registered name or credit code (intake applications carry
    the registered identity, so it changes only with the district's approval). One open request at a time; the
    new code must not be another registered enterprise's. Raises ValidationError naming the field."""
    if not rules.has_perm("accounts.request_identity_change", actor):
        raise PermissionDenied(_("只有已通过注册审核的企业可以申请变更。"))
    enterprise = Enterprise.objects.select_for_update().get(pk=actor.organisation_id)
    new_name, reason = (new_name or "").strip(), (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写变更原因。")})
    if new_name == enterprise.name and new_credit_code == enterprise.credit_code:
        raise ValidationError(_("新的公司名称和统一社会信用代码与现登记的相同，无需变更。"))
    if new_credit_code != enterprise.credit_code and _credit_code_taken(new_credit_code, other_than=enterprise):
        raise ValidationError({"new_credit_code": _CODE_TAKEN})
    open_exists = _("本企业已有一项变更申请正在等待区县经信部门审核，审核完成后才能再次申请。")
    if IdentityChange.objects.filter(enterprise=enterprise, status=IdentityChangeStatus.PENDING).exists():
        raise ValidationError(open_exists)
    change = IdentityChange(enterprise=enterprise, old_name=enterprise.name, old_credit_code=enterprise.credit_code,
                            new_name=new_name, new_credit_code=new_credit_code, reason=reason, requested_by=actor)
    try:
        with transaction.atomic():
            change.save()
    except IntegrityError as exc:  # two requests at once: the partial unique index keeps one open
        raise ValidationError(open_exists) from exc
    audit_record(action=AuditAction.IDENTITY_CHANGE_REQUESTED, actor=actor, obj=change, request=request,
                 detail={"from": {"name": change.old_name, "credit_code": change.old_credit_code},
                         "to": {"name": change.new_name, "credit_code": change.new_credit_code},
                         "reason": reason})
    with portal_language():
        notification_send(
            recipients=district_officials(enterprise.district_id),
            title=_("企业申请变更名称或信用代码：%(name)s") % {"name": enterprise.name},
            body=_("%(old)s 申请变更为 %(new)s（%(code)s），请审核。")
            % {"old": enterprise.name, "new": new_name, "code": new_credit_code},
            url=reverse("accounts:identity_change_detail", args=[change.public_id]), kind=MessageKind.TASK,
        )
    return change


def _identity_change_url(change) -> str:
    return reverse("accounts:identity_change_detail", args=[change.public_id])


@transaction.atomic
def identity_change_approve(*, change, actor, request=None) -> IdentityChange:
    """Approve a change: the enterprise's registered name and code become the new ones (audited from and to).
    Raises TransitionConflict if decided meanwhile, PermissionDenied outside the district, ValidationError if the
    new code was registered by another enterprise meanwhile."""
    change = lock(change, url=_identity_change_url(change))
    enterprise = Enterprise.objects.select_for_update().get(pk=change.enterprise_id)
    before = {"name": enterprise.name, "credit_code": enterprise.credit_code}

    def code_still_free(row):
        if row.new_credit_code != enterprise.credit_code and _credit_code_taken(row.new_credit_code,
                                                                                other_than=enterprise):
            raise ValidationError(_CODE_TAKEN)

    with portal_language():
        message = Message(
            recipients=lambda: enterprise.users.all(), title=_("名称或信用代码变更已通过审核"),
            body=_("%(old)s 的登记信息已变更为 %(new)s（%(code)s）。此后提交的申请将使用新的登记信息。")
            % {"old": before["name"], "new": change.new_name, "code": change.new_credit_code},
            url=reverse("accounts:profile"), kind=MessageKind.DECISION)
    # The state first (a stale approval answers 409 before anything changes), then the enterprise, in one transaction.
    change = fire(change, "approve", actor=actor, request=request, locked=True, guards=[code_still_free],
                  url=_identity_change_url(change))
    enterprise.name, enterprise.credit_code = change.new_name, change.new_credit_code
    try:
        with transaction.atomic():
            enterprise.save(update_fields=["name", "credit_code"])
    except IntegrityError as exc:
        raise ValidationError(_CODE_TAKEN) from exc
    after = {"name": enterprise.name, "credit_code": enterprise.credit_code}
    audit_record(action=AuditAction.ENTERPRISE_CHANGED, actor=actor, obj=enterprise, request=request,
                 detail={"from": before, "to": after, "change": str(change.public_id)})
    messages_send([message])
    return change


def identity_change_refuse(*, change, actor, reason: str, request=None) -> IdentityChange:
    """Refuse a change with a reason, which the enterprise reads on its profile; nothing else changes."""
    reason = _require(reason, _("请填写未通过的原因。"))
    with portal_language():
        message = Message(recipients=lambda: change.enterprise.users.all(),
                          title=_("名称或信用代码变更未通过审核"),
                          body=_("变更为 %(new)s 的申请未通过，原因：%(reason)s")
                          % {"new": change.new_name, "reason": reason},
                          url=reverse("accounts:profile"), kind=MessageKind.DECISION)
    return fire(change, "refuse", actor=actor, comment=reason, request=request, detail={"reason": reason},
                url=_identity_change_url(change), messages=[message])

