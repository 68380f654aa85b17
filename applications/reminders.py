"""Reminders about intake: an enterprise whose application is still a draft (or was returned) is told before the
campaign's deadline (四（三）资料报送); each threshold once per person and application."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.inbox import notification_send
from applications.models import IntakeApplication, IntakeStatus

# Calendar days before the deadline (the notice states the deadline as a date, not in working days).
DEADLINE_REMINDER_DAYS = (7, 2)


def remind_intake_deadlines(today=None) -> int:
    today = today or timezone.localdate()
    sent = 0
    waiting = (
        IntakeApplication.objects.filter(status__in=[IntakeStatus.DRAFT, IntakeStatus.RETURNED],
                                         campaign__opens_on__lte=today, campaign__deadline__gte=today,
                                         campaign__closed_at__isnull=True)
        .select_related("campaign", "enterprise")
        .prefetch_related("enterprise__users")
    )
    for application in waiting:
        days_left = (application.campaign.deadline - today).days
        reached = [d for d in DEADLINE_REMINDER_DAYS if days_left <= d]
        if not reached:
            continue
        threshold = min(reached)
        sent += len(notification_send(
            recipients=[u for u in application.enterprise.users.all() if u.is_active],
            key=f"intake-deadline:{application.public_id}:{threshold}",
            title=_("提醒：入库申请将于%(date)s截止，尚未提交") % {"date": application.campaign.deadline},
            body=_("%(title)s的入库申请尚未提交，请在截止日前完成填报并提交。")
            % {"title": application.campaign.title},
            url=reverse("applications:intake_detail", args=[application.public_id]),
        ))
    return sent
