"""Reminders about accounts: registrations waiting for their district, and the holiday calendar for next year."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import OrganisationStatus, Role
from accounts.inbox import district_officials, notification_send
from accounts.models import Enterprise, User
from greenfactory import workdays
from greenfactory.workdays import calendar_unknown_years


def remind_pending_registrations(today=None) -> int:
    """Tell a district's officials when a registration has waited N working days (each threshold once)."""
    today = today or timezone.localdate()
    thresholds = sorted(set(settings.REGISTRATION_REMINDER_WORKING_DAYS))
    sent = 0
    pending = Enterprise.objects.filter(status=OrganisationStatus.PENDING).select_related("district")
    officials_by_district: dict[int, list] = {}
    calendar = workdays.WorkingCalendar()  # one read of the entered days per year, not per enterprise
    for enterprise in pending:
        submitted = timezone.localtime(enterprise.created_at).date()
        waited = calendar.working_days_between(submitted, today)
        reached = [t for t in thresholds if waited >= t]
        if not reached:
            continue
        threshold = reached[-1]
        if enterprise.district_id not in officials_by_district:
            officials_by_district[enterprise.district_id] = list(district_officials(enterprise.district_id))
        sent += len(notification_send(
            recipients=officials_by_district[enterprise.district_id],
            key=f"registration-pending:{enterprise.public_id}:{threshold}",
            title=_("催办：%(name)s 的注册已等待%(days)d个工作日") % {"name": enterprise.name, "days": threshold},
            body=_("%(name)s 于 %(date)s 提交注册，尚未审核。") % {"name": enterprise.name, "date": submitted},
            url=reverse("accounts:registration_detail", args=[enterprise.public_id]),
        ))
    return sent


def remind_calendar_years(today=None) -> int:
    """Tell administrators once per year when the official holiday schedule of this or next year is missing."""
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
        ))
    return sent
