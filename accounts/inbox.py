"""Each user's inbox: messages from the portal (decisions, reminders, chases), mailed after commit to those who
have an address. Every app sends through ``notification_send``; the workflow kernel's ``Message`` arrives through
``message_send``, registered in ``AccountsConfig.ready``."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.choices import MessageKind, Role
from accounts.models import EmailPreference, EmailStatus, Notification, OrganisationKind, User
from accounts.tasks import send_notification_email
from greenfactory.portal import shell_changed
from greenfactory.text import single_line


def email_declined_by(user_ids, kind) -> set[int]:
    """Of these users, those who chose not to be mailed messages of ``kind`` (one query; none for no users)."""
    if not user_ids:
        return set()
    return set(EmailPreference.objects.filter(user_id__in=user_ids, kind=kind, email=False)
               .values_list("user_id", flat=True))


def notification_send(*, recipients, title, body="", url="", key="", email=True,
                      kind=MessageKind.OTHER) -> list[Notification]:
    """Put a message in each recipient's inbox and, after commit, mail it to those who have an address and have not
    chosen to receive messages of ``kind`` (a ``MessageKind``) in the inbox only. The inbox always gets it.

    With a ``key``, a recipient gets the message once however often this is called (a reminder per person, item and
    threshold); the unique constraint decides, so two workers racing still send one.
    """
    # A title is one line (the inbox shows it, the mail uses it as subject): control characters and line breaks from
    # user-typed names become spaces here, for every sender.
    title = single_line(str(title), max_length=Notification._meta.get_field("title").max_length)
    created = []
    recipients = [recipient for recipient in recipients if recipient.is_active]
    declined = email_declined_by([r.pk for r in recipients if r.email], kind or MessageKind.OTHER) if email else set()
    for recipient in recipients:
        status = EmailStatus.PENDING if email and recipient.email and recipient.pk not in declined \
            else EmailStatus.NONE
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
    if created:
        shell_changed()
    if email:
        for notification in created:
            if notification.email_status == EmailStatus.PENDING:
                send_notification_email.delay_on_commit(notification.pk)
    return created


def notification_mark_read(*, user, notification_ids=None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    marked = qs.update(read_at=timezone.now())
    if marked:
        shell_changed()
    return marked


def message_send(message) -> list[Notification]:
    """A ``greenfactory.workflow.Message``: its recipients may be a callable, evaluated now (after the change)."""
    recipients = message.recipients() if callable(message.recipients) else message.recipients
    return notification_send(recipients=recipients, title=message.title, body=message.body, url=message.url,
                             kind=message.kind or MessageKind.OTHER)


def district_officials(district_id):
    """The active officials of a district's economy and IT department: who screens and decides its cases."""
    return User.objects.filter(
        role=Role.DISTRICT,
        is_active=True,
        organisation__kind=OrganisationKind.DISTRICT,
        organisation__district_id=district_id,
    )


def city_officials():
    """The active officials of the city (市经济信息委): whom a district's overdue clock is chased to."""
    return User.objects.filter(role=Role.CITY, is_active=True)
