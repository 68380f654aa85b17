"""Writes for accounts: registration and its review, officials' accounts, the inbox and the audit trail.

Every service that changes data takes a keyword-only ``actor`` (or is the actor's own registration), runs in one
transaction, and sends its side effects (e-mail) only after commit.
"""

import secrets
import string

import rules
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import OrganisationStatus, Role
from accounts.models import (
    ROLE_ORGANISATION_KIND,
    AuditAction,
    AuditEvent,
    EmailStatus,
    Enterprise,
    Notification,
    Organisation,
    OrganisationKind,
    User,
)
from greenfactory.middleware import current_request_id
from greenfactory.text import single_line
from greenfactory.workflow import transition_fire

# --- Audit -----------------------------------------------------------------------------------------------------------


def client_ip(request) -> str | None:
    if request is None:
        return None
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or None


def audit_record(*, action, actor=None, username="", obj=None, result="success", request=None, detail=None):
    """Append one audit record. Never raises on a missing request; never updates an earlier record. A transition's
    record names the state it left and the state it reached (``transition_fire`` leaves them on the object)."""
    if action == AuditAction.TRANSITION and getattr(obj, "last_transition", None):
        detail = {**obj.last_transition, **(detail or {})}
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        username=username or (getattr(actor, "username", "") or ""),
        action=action,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(getattr(obj, "public_id", None) or getattr(obj, "pk", "") or "") if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        result=result,
        ip_address=client_ip(request),
        request_id=current_request_id() if current_request_id() != "-" else "",
        detail=detail or {},
    )


# Refusals of one kind from one user and address are recorded at most once in this many seconds.
ACCESS_DENIED_RATE_SECONDS = 60


def access_denied_record(*, request, kind: str, status: int):
    """Record a refused request (``kind``: forbidden, not_found on a record's URL, csrf) with user, address, path
    and method. At most one record per user, address and kind a minute (a cache key claims the minute), so a flood
    of refused requests cannot flood the trail. Returns the record, or None when the minute was already claimed."""
    user = getattr(request, "user", None)
    actor = user if user is not None and user.is_authenticated else None
    address = client_ip(request) or ""
    if not cache.add(f"access-denied:{getattr(actor, 'pk', 'anonymous')}:{address}:{kind}", 1,
                     timeout=ACCESS_DENIED_RATE_SECONDS):
        return None
    return audit_record(
        action=AuditAction.ACCESS_DENIED, actor=actor, result="failure", request=request,
        detail={"kind": kind, "status": status, "method": request.method, "path": request.path[:300]},
    )


# --- Inbox -----------------------------------------------------------------------------------------------------------


def notification_send(*, recipients, title, body="", url="", key="", email=True) -> list[Notification]:
    """Put a message in each recipient's inbox and, after commit, mail it.

    With a ``key``, a recipient gets the message once however often this is called (a reminder per person, item and
    threshold); the unique constraint decides, so two workers racing still send one.
    """
    # A title is one line (the inbox shows it, the mail uses it as subject): control characters and line breaks from
    # user-typed names become spaces here, for every sender.
    title = single_line(str(title), max_length=Notification._meta.get_field("title").max_length)
    created = []
    for recipient in recipients:
        if not recipient.is_active:
            continue
        status = EmailStatus.PENDING if email and recipient.email else EmailStatus.NONE
        try:
            with transaction.atomic():
                created.append(
                    Notification.objects.create(
                        recipient=recipient, key=key, title=title, body=body, url=url, email_status=status
                    )
                )
        except IntegrityError:
            if not key:
                raise
    if email:
        from accounts.tasks import send_notification_email

        for notification in created:
            if notification.email_status == EmailStatus.PENDING:
                send_notification_email.delay_on_commit(notification.pk)
    return created


def notification_mark_read(*, user, notification_ids=None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=timezone.now())


# --- Registration (企业注册) ------------------------------------------------------------------------------------------


def district_officials(district_id):
    return User.objects.filter(
        role=Role.DISTRICT,
        is_active=True,
        organisation__kind=OrganisationKind.DISTRICT,
        organisation__district_id=district_id,
    )


@transaction.atomic
def enterprise_register(*, enterprise_data: dict, user_data: dict, password: str, request=None) -> User:
    """Create a pending enterprise and its first user. The credit code is unique: a second registration with the
    same code raises ValidationError naming the field. The district's officials are told after commit."""
    code = enterprise_data["credit_code"]
    if Organisation.objects.filter(credit_code=code).exists():
        raise ValidationError(
            {"credit_code": _(
                "该统一社会信用代码已注册。如您是该企业员工，请联系本单位已注册的账号或所在区县经信部门。"
            )}
        )
    if User.objects.filter(username__iexact=user_data["username"]).exists():
        raise ValidationError({"username": _("该用户名已被使用，请换一个。")})
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
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(action=AuditAction.REGISTER, actor=user, obj=enterprise, request=request)
    notification_send(
        recipients=district_officials(enterprise.district_id),
        title=_("新企业注册待审核：%(name)s") % {"name": enterprise.name},
        body=_("%(name)s（%(code)s）在平台注册，请审核。") % {"name": enterprise.name, "code": code},
        url=reverse("accounts:registration_detail", args=[enterprise.public_id]),
    )
    return user


def _locked_organisation(organisation) -> Organisation:
    # Re-read under a row lock with the caller's class, so the transition log names one content type per record.
    return type(organisation).objects.select_for_update().get(pk=organisation.pk)


@transaction.atomic
def registration_approve(*, organisation, actor, request=None) -> Organisation:
    """Approve a pending registration. Raises TransitionConflict if it was decided meanwhile (one winner),
    PermissionDenied if ``actor`` is not an official of its district."""
    organisation = _locked_organisation(organisation)
    transition_fire(instance=organisation, name="approve", actor=actor)
    audit_record(action=AuditAction.TRANSITION, actor=actor, obj=organisation, request=request,
                 detail={"transition": "approve", "to": organisation.status})
    notification_send(
        recipients=organisation.users.all(),
        title=_("注册已通过审核"),
        body=_("%(name)s 的注册已由区县经信部门审核通过，现在可以登录使用平台。") % {"name": organisation.name},
        url=reverse("home"),
    )
    return organisation


@transaction.atomic
def registration_refuse(*, organisation, actor, reason: str, request=None) -> Organisation:
    """Refuse a pending registration; a reason is required and shown to the enterprise."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写未通过的原因。")})
    organisation = _locked_organisation(organisation)
    transition_fire(instance=organisation, name="refuse", actor=actor, comment=reason)
    audit_record(action=AuditAction.TRANSITION, actor=actor, obj=organisation, request=request,
                 detail={"transition": "refuse", "to": organisation.status, "reason": reason})
    notification_send(
        recipients=organisation.users.all(),
        title=_("注册未通过审核"),
        body=_("%(name)s 的注册未通过审核，原因：%(reason)s。请修改后重新提交。")
        % {"name": organisation.name, "reason": reason},
        url=reverse("accounts:registration_status"),
    )
    return organisation


@transaction.atomic
def registration_resubmit(*, enterprise, actor, changes: dict, request=None) -> Enterprise:
    """A refused enterprise corrects its profile and asks again. The credit code stays unique."""
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    for field, value in changes.items():
        setattr(enterprise, field, value)
    enterprise.full_clean(exclude=["status"])
    transition_fire(instance=enterprise, name="resubmit", actor=actor, comment=_("企业修改信息后重新提交"))
    audit_record(action=AuditAction.TRANSITION, actor=actor, obj=enterprise, request=request,
                 detail={"transition": "resubmit", "to": enterprise.status})
    notification_send(
        recipients=district_officials(enterprise.district_id),
        title=_("企业重新提交注册：%(name)s") % {"name": enterprise.name},
        url=reverse("accounts:registration_detail", args=[enterprise.public_id]),
    )
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
    user.save()
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


@transaction.atomic
def colleague_set_active(*, actor, colleague, active: bool, request=None):
    """Switch a colleague's account off (their sessions end at once) or on again. Nobody switches themselves off."""
    own_unit = (rules.has_perm("accounts.manage_colleagues", actor)
                and colleague.organisation_id == actor.organisation_id)
    if not (own_unit or _manages_account(actor, colleague)):
        raise PermissionDenied(_("您无权管理该账号。"))
    if colleague.pk == actor.pk:
        raise ValidationError(_("不能停用自己的账号。"))
    colleague.is_active = active
    colleague.save(update_fields=["is_active"])
    audit_record(action=AuditAction.ACCOUNT_ENABLED if active else AuditAction.ACCOUNT_DISABLED, actor=actor,
                 obj=colleague, request=request, detail={"active": active})
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
    if not rules.has_perm("accounts.manage_accounts", actor):
        return False
    if user.role == Role.ADMIN and actor.role != Role.ADMIN:
        return False
    return User.objects.visible_to(actor).filter(pk=user.pk).exists()


@transaction.atomic
def account_reset_password(*, actor, user, request=None):
    """A new one-time initial password for a user who lost theirs and cannot use e-mail; it must be changed at the
    next login, and every open session of the user ends."""
    if not _manages_account(actor, user) or user.pk == actor.pk:
        raise PermissionDenied(_("您无权重置该账号的密码。"))
    password = initial_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    audit_record(action=AuditAction.PASSWORD_RESET, actor=actor, obj=user, request=request)
    return password
