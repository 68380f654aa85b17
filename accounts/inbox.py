"""Each user's inbox: messages from the portal (decisions, reminders, chases), mailed after commit to those who
have an address. Every app sends through ``notification_send``; the workflow kernel's ``Message`` arrives through
``message_send``, registered in ``AccountsConfig.ready``."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.choices import Role
from accounts.models import EmailStatus, Notification, OrganisationKind, User
from accounts.tasks import send_notification_email
from greenfactory.text import single_line


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
        for notification in created:
            if notification.email_status == EmailStatus.PENDING:
                send_notification_email.delay_on_commit(notification.pk)
    return created


def notification_mark_read(*, user, notification_ids=None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=timezone.now())


def message_send(message) -> list[Notification]:
    """A ``greenfactory.workflow.Message``: its recipients may be a callable, evaluated now (after the change)."""
    recipients = message.recipients() if callable(message.recipients) else message.recipients
    return notification_send(recipients=recipients, title=message.title, body=message.body, url=message.url)


def district_officials(district_id):
    """The active officials of a district's economy and IT department: who screens and decides its cases."""
    return User.objects.filter(
        role=Role.DISTRICT,
        is_active=True,
        organisation__kind=OrganisationKind.DISTRICT,
        organisation__district_id=district_id,
    )
