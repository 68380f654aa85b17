"""Reminders about accounts: registrations waiting for their district (a clock, swept with every other clock by
``accounts.deadline_reminders``), and the holiday calendar for next year."""

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.choices import DeadlineKind, MessageKind, Role
from accounts.deadline_reminders import deadlines_sweep
from accounts.inbox import notification_send
from accounts.models import User
from greenfactory.reminders import run_all  # noqa: F401  (the task imports it from here)


def remind_pending_registrations(today=None) -> int:
    """The clock sweep for registration reviews only: the district's officials are chased after each of
    ``REGISTRATION_REMINDER_WORKING_DAYS`` working days of waiting (each once), then when the review is overdue."""
    return deadlines_sweep(today=today, kinds=[DeadlineKind.REGISTRATION_REVIEW])


def remind_calendar_years(today=None) -> int:
    """Tell administrators once per year when the official holiday schedule of this or next year is missing."""
    from greenfactory.checks import calendar_unknown_years

    sent = 0
    admins = list(User.objects.filter(role=Role.ADMIN, is_active=True))
    for year in calendar_unknown_years(today=today):
        sent += len(notification_send(
            recipients=admins,
            key=f"calendar-unknown:{year}",
            title=_("请录入%(year)d年法定节假日安排") % {"year": year},
            body=_("平台按国务院公布的节假日安排计算工作日期限。%(year)d年的安排尚未录入，涉及该年的期限将无法计算。")
            % {"year": year},
            url=reverse("admin:greenfactory_calendaryear_changelist"),
            kind=MessageKind.REMINDER,
        ))
    return sent
