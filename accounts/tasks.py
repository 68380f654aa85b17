"""Background work for accounts: mailing inbox messages, and the reminder sweep that beat runs.

Tasks take ids and are safe to run twice: a mail is claimed with a conditional UPDATE before it is sent, and a
reminder is a Notification unique per (recipient, key)."""

import logging
from datetime import timedelta
from urllib.parse import urlsplit

from celery import shared_task
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from accounts.models import EmailStatus, Notification
from greenfactory.language import in_portal_language
from greenfactory.reminders import run_all
from greenfactory.text import single_line

logger = logging.getLogger(__name__)

MAX_EMAIL_ATTEMPTS = 4


@shared_task(bind=True, max_retries=MAX_EMAIL_ATTEMPTS - 1, default_retry_delay=60, acks_late=True)
@in_portal_language  # the mail goes to someone else: not in the language of whoever's request ran it eagerly
def send_notification_email(self, notification_id):
    claimed = Notification.objects.filter(pk=notification_id, email_status=EmailStatus.PENDING).update(
        email_status=EmailStatus.SENDING, email_updated_at=timezone.now()
    )
    if not claimed:
        return "skipped"
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    body = notification.body
    if notification.url:
        body = f"{body}\n\n{settings.PORTAL_BASE_URL.rstrip('/')}{notification.url}"
    try:
        send_mail(
            # A company name with CR/LF (typed or pasted) must not inject a header or make the mail fail for good.
            subject=single_line(f"[{_('绿色工厂培育与认定平台')}] {notification.title}"),
            message=body,
            from_email=None,
            recipient_list=[notification.recipient.email],
        )
    except Exception as exc:
        attempts = notification.email_attempts + 1
        final = attempts >= MAX_EMAIL_ATTEMPTS
        Notification.objects.filter(pk=notification_id).update(
            email_status=EmailStatus.FAILED if final else EmailStatus.PENDING,
            email_attempts=attempts,
            email_error=str(exc)[:300],
            email_updated_at=timezone.now(),
        )
        logger.warning("mail for notification %s failed (attempt %s): %s", notification_id, attempts, exc)
        if final:
            return "failed"
        raise self.retry(exc=exc, countdown=60 * attempts) from exc
    Notification.objects.filter(pk=notification_id).update(
        email_status=EmailStatus.SENT, email_attempts=notification.email_attempts + 1, email_error="",
        email_updated_at=timezone.now(),
    )
    return "sent"


@shared_task(bind=True, max_retries=MAX_EMAIL_ATTEMPTS - 1, default_retry_delay=60, acks_late=True)
def send_plain_email(self, subject, body, address):
    """Mail someone without an account (an objector who gave an address): the text is written by the caller in the
    portal's language; retried with the inbox mail's backoff, then logged as failed."""
    try:
        send_mail(subject=single_line(f"[{_('绿色工厂培育与认定平台')}] {subject}"), message=body, from_email=None,
                  recipient_list=[address])
    except Exception as exc:
        logger.warning("plain mail failed (attempt %s): %s", self.request.retries + 1, exc)
        if self.request.retries >= MAX_EMAIL_ATTEMPTS - 1:
            return "failed"
        raise self.retry(exc=exc, countdown=60 * (self.request.retries + 1)) from exc
    return "sent"


RESET_MAIL_SUBJECT_TEMPLATE = "accounts/email/password_reset_subject.txt"
RESET_MAIL_BODY_TEMPLATE = "accounts/email/password_reset.txt"


@shared_task(bind=True, max_retries=MAX_EMAIL_ATTEMPTS - 1, default_retry_delay=60, acks_late=True)
@in_portal_language  # as every mail of the portal, whoever's request ran it eagerly
def send_password_reset_email(self, email):
    """Mail a password-reset link to each active account with this address (none for an unknown address). The web
    request only queued this task, after commit, for every address alike: known and unknown addresses answer in the
    same time, however slow the mail server. The link is built from the configured address, never a request's Host
    header, and the token here, so it is never stored (not in the inbox, not in the queue). A failing mail server is
    retried, then logged."""
    base = urlsplit(settings.PORTAL_BASE_URL)
    for user in PasswordResetForm().get_users(email):
        context = {"email": user.email, "domain": base.netloc, "site_name": base.netloc, "user": user,
                   "uid": urlsafe_base64_encode(force_bytes(user.pk)), "protocol": base.scheme or "https",
                   "token": default_token_generator.make_token(user)}
        subject = single_line(render_to_string(RESET_MAIL_SUBJECT_TEMPLATE, context))
        try:
            send_mail(subject, render_to_string(RESET_MAIL_BODY_TEMPLATE, context), None, [user.email])
        except Exception as exc:
            logger.warning("password reset mail for user %s failed (attempt %s): %s", user.pk,
                           self.request.retries + 1, exc)
            if self.request.retries >= self.max_retries:
                return "failed"
            raise self.retry(exc=exc, countdown=60 * (self.request.retries + 1)) from exc
    return "done"


def requeue_stalled_emails(now=None) -> int:
    """Mail that was never handed to a worker (broker down at commit) or whose worker died is sent again."""
    now = now or timezone.now()
    Notification.objects.filter(email_status=EmailStatus.SENDING,
                                email_updated_at__lt=now - timedelta(hours=1)).update(
        email_status=EmailStatus.PENDING, email_updated_at=now)
    stalled = list(
        Notification.objects.filter(email_status=EmailStatus.PENDING, created_at__lt=now - timedelta(minutes=10))
        .filter(email_updated_at__isnull=True) .values_list("pk", flat=True)[:500]
    ) + list(
        Notification.objects.filter(email_status=EmailStatus.PENDING,
                                    email_updated_at__lt=now - timedelta(minutes=30)).values_list("pk", flat=True)[:500]
    )
    for pk in stalled:
        send_notification_email.delay(pk)
    return len(stalled)


@shared_task
def run_reminders():
    """The beat entry: every reminder sweep of every app (registered with greenfactory.reminders), each
    idempotent."""
    results = run_all()
    results["requeued_emails"] = requeue_stalled_emails()
    return results
