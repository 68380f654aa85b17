"""Passwords: the one-time initial password of a new account, a user's own change, the self-service reset by
e-mail, a reset by the city or an administrator, and lifting the lockout a successful reset proves unneeded.

Each change of a password runs in one transaction with its audit record; the session stamp decides which sessions
survive it (SECURITY.md: accounts)."""

import secrets
import string

from axes.utils import reset as axes_reset
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.audit import audit_record
from accounts.models import AuditAction, User
from accounts.services.common import manages_account
from accounts.tasks import send_password_reset_email


def initial_password() -> str:
    """A random password that passes the complexity rules; the user must change it at first login."""
    alphabet = string.ascii_letters + string.digits
    while True:
        body = "".join(secrets.choice(alphabet) for _ in range(12))
        if any(c.islower() for c in body) and any(c.isupper() for c in body) and any(c.isdigit() for c in body):
            return f"{body}-{secrets.choice('#%+=@')}"


@transaction.atomic
def password_change(*, actor, password: str, request=None) -> User:
    """A user changes their own password (the form has checked the old one and the rules). The must-change flag of
    an initial or expired password is cleared and the change is audited; sessions opened with the old password end
    (the session hash includes it), and the caller keeps the current one (``update_session_auth_hash``)."""
    user = User.objects.select_for_update().get(pk=actor.pk)
    user.set_password(password)
    user.must_change_password = False
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    audit_record(action=AuditAction.PASSWORD_CHANGED, actor=user, obj=user, request=request)
    return user


@transaction.atomic
def account_reset_password(*, actor, user, request=None):
    """A new one-time initial password for a user who lost theirs and cannot use e-mail; it must be changed at the
    next login, and every open session of the user ends."""
    if not manages_account(actor, user) or user.pk == actor.pk:
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
    axes_reset(username=username)


def password_reset_request(*, email: str) -> None:
    """Someone asked for a password-reset link for ``email``. Whether or not an account has the address, one mail
    task is queued after commit and nothing else happens here, so the answer (and its timing) is the same; the
    worker finds the account and mails the link (``accounts.tasks.send_password_reset_email``)."""
    send_password_reset_email.delay_on_commit(email.strip())


@transaction.atomic
def password_reset_complete(*, actor, password: str, request=None) -> User:
    """A self-service reset (the link mailed to the owner, who is ``actor``): the new password is the user's own,
    so the must-change flag is cleared; every session of the user ends, and the lockout on the name is lifted, in
    one transaction with the audit record."""
    user = User.objects.select_for_update().get(pk=actor.pk)
    user.set_password(password)
    user.must_change_password = False
    user.rotate_session_stamp()
    user.save(update_fields=["password", "password_changed_at", "must_change_password", "session_stamp"])
    lockout_lift(username=user.username)
    audit_record(action=AuditAction.PASSWORD_RESET, actor=user, obj=user, request=request)
    return user
