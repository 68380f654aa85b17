"""Registration (企业注册): a self-registration's request and its e-mailed confirmation, the district's review
(approve, refuse), the enterprise's corrected resubmission, and forgetting expired requests.

Every service that changes data takes a keyword-only ``actor`` (or is the registrant's own request), runs in one
transaction, and sends its side effects (e-mail, inbox) only after commit.
"""

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_record
from accounts.choices import MessageKind, OrganisationStatus, Role
from accounts.clocks import registration_review_open
from accounts.inbox import district_officials, notification_send
from accounts.models import AuditAction, Enterprise, Organisation, OrganisationKind, PendingRegistration, User
from accounts.selectors import user_email_taken, username_taken
from accounts.services.common import user_insert, user_validate
from greenfactory.language import in_portal_language, portal_language
from greenfactory.text import clause
from greenfactory.workflow import Message, TransitionConflict, fire, lock, reason_required

# Why a registration is not told on the page whether a user name, e-mail or credit code is taken (SECURITY.md:
# "the same answer for known and unknown users"): the page always says "check your mailbox", and the mailbox's owner
# reads the outcome — a confirmation link, or the conflict that stops the registration. Only the owner of the
# address learns anything, one message per try, with registrations limited per IP (REGISTRATION_RATE).
REGISTRATION_SALT = "accounts.registration.confirm"


def _registration_conflicts(*, credit_code: str, username: str, email: str) -> list[str]:
    conflicts = []
    if user_email_taken(email):
        conflicts.append("email")
    if Organisation.objects.filter(credit_code=credit_code).exists():
        conflicts.append("credit_code")
    if username_taken(username):
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
    if username_taken(user_data["username"]):
        raise ValidationError({"username": _("该用户名已被使用，请换一个。")})
    if user_email_taken(user_data["email"]):
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
    user_validate(user)
    user_insert(user)
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


def _registration_url(organisation) -> str:
    return reverse("accounts:registration_detail", args=[organisation.public_id])


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
    reason = reason_required(reason, _("请填写未通过的原因。"))
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
