"""Login, logout, failures and lockouts go to the audit trail (SECURITY.md: accounts, audit)."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from accounts.audit import audit_record
from accounts.models import AuditAction


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit_record(action=AuditAction.LOGIN, actor=user, request=request)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(action=AuditAction.LOGOUT, actor=user, request=request)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # The username as typed; the same record for known and unknown users.
    audit_record(action=AuditAction.LOGIN_FAILED, username=str(credentials.get("username", ""))[:150],
                 result="failure", request=request)


@receiver(user_locked_out)
def _locked_out(sender, request, username=None, ip_address=None, **kwargs):
    audit_record(action=AuditAction.LOCKED_OUT, username=str(username or "")[:150], result="failure",
                 request=request)
