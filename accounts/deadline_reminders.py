"""The one reminder sweep over every open clock (``accounts.models.Deadline``), run by beat every 15 minutes.

- It reminds whoever's turn it is when the working days left reach a threshold (``DEADLINE_REMINDER_WORKING_DAYS``,
  default 5, 2 and 1 before the due date; a kind may set its own), then once when it is overdue. Each threshold is
  sent once per recipient, clock and due date: the inbox's unique key decides, so the sweep can run any number of
  times, and two workers racing still send one. A threshold that had already passed when the clock started is not
  sent (a case opened with 3 days left is not told it has 5), and on one run only the tightest threshold reached is
  sent (a sweep that did not run for a week sends one message, not three).
- It chases (催办): a clock overdue by ``DEADLINE_ESCALATION_WORKING_DAYS`` working days is escalated once to the
  supervising level (``accounts.deadlines.supervising_level``), recorded on the clock (``escalated_at``) and in the
  audit trail, and shown on that level's to-do list.
- ``deadlines_plan`` says what a run would send without sending or recording it (``run_reminders --dry-run``).
"""

import logging
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.audit import audit_record
from accounts.choices import DeadlineKind, MessageKind
from accounts.deadlines import deadline_days, supervising_level, turn_organisation, turn_recipients
from accounts.inbox import notification_send
from accounts.models import AuditAction, Deadline, Notification, User
from greenfactory import workdays
from greenfactory.language import portal_language

OVERDUE = "overdue"

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Wording:
    """What a reminder says, as message ids translated when sent (in the portal's language: it goes to others).
    Placeholders: what, label, date (due), left, overdue (working days), waited (working days since the start)."""

    reminder: str = gettext_noop("提醒：%(what)s（%(label)s）将于%(date)s截止，还剩%(left)d个工作日")
    reminder_body: str = gettext_noop("“%(what)s”（%(label)s）应于%(date)s前办理，请及时办理。")
    overdue: str = gettext_noop("逾期：%(what)s（%(label)s）已于%(date)s截止，尚未办理")
    overdue_body: str = gettext_noop("“%(what)s”（%(label)s）应于%(date)s前办理，现已逾期，请尽快办理。")
    escalation: str = gettext_noop("催办：%(turn)s的“%(what)s”（%(label)s）已逾期%(overdue)d个工作日")
    escalation_body: str = gettext_noop("“%(what)s”（%(label)s）应由%(turn)s于%(date)s前办理，已逾期%(overdue)d个"
                                        "工作日仍未办理，请督促办理。")


def _registration_review_thresholds() -> list[int]:
    # The registration review is due when the last of REGISTRATION_REMINDER_WORKING_DAYS has passed; the district is
    # chased after each of those waits, i.e. with (due − wait) working days left.
    waits = sorted(set(settings.REGISTRATION_REMINDER_WORKING_DAYS))
    return [waits[-1] - wait for wait in waits]


def registration_review_working_days() -> int:
    """How many working days a district has to review a registration (the last reminder falls on the due day)."""
    return max(settings.REGISTRATION_REMINDER_WORKING_DAYS)


@dataclass(frozen=True)
class KindRule:
    wording: Wording = field(default_factory=Wording)
    thresholds: object = None  # a callable returning the working days left to remind at; the setting otherwise


KIND_RULES = {
    DeadlineKind.INTAKE_SUBMISSION: KindRule(wording=Wording(
        reminder=gettext_noop("提醒：入库申请将于%(date)s截止，尚未提交"),
        reminder_body=gettext_noop("%(label)s的入库申请尚未提交，请在截止日前完成填报并提交（还剩%(left)d个工作日）。"),
        overdue=gettext_noop("逾期：入库申请已于%(date)s截止，尚未提交"),
        overdue_body=gettext_noop("%(label)s的入库申请未在截止日%(date)s前提交。如有特殊情况，请联系所在区县经信部门。"),
    )),
    DeadlineKind.REGISTRATION_REVIEW: KindRule(thresholds=_registration_review_thresholds, wording=Wording(
        reminder=gettext_noop("催办：%(label)s 的注册已等待%(waited)d个工作日"),
        reminder_body=gettext_noop("%(label)s 于 %(start)s 提交注册，尚未审核，请于%(date)s前审核。"),
        overdue=gettext_noop("催办：%(label)s 的注册审核已逾期"),
        overdue_body=gettext_noop("%(label)s 于 %(start)s 提交注册，应于%(date)s前审核，现已逾期，请尽快审核。"),
    )),
}


def kind_rule(kind) -> KindRule:
    return KIND_RULES.get(kind, KindRule())


def thresholds_for(kind) -> list[int]:
    rule = kind_rule(kind)
    values = rule.thresholds() if rule.thresholds else settings.DEADLINE_REMINDER_WORKING_DAYS
    return sorted({int(v) for v in values if int(v) >= 0})


@dataclass(frozen=True)
class Planned:
    """One message a run sends (a reminder to whoever's turn it is, or a chase to the level above)."""

    deadline: Deadline
    recipient: User
    key: str
    threshold: str
    title: str
    body: str
    url: str
    kind: str


@dataclass
class Plan:
    reminders: list[Planned] = field(default_factory=list)
    escalations: list[tuple[Deadline, object, list[Planned]]] = field(default_factory=list)
    # Clocks that run into a year whose holidays are not entered: left out of this run (the others go on), logged,
    # and reminded as soon as the administrator enters the year (the administrator's to-do already asks for it).
    skipped: list[tuple[Deadline, int]] = field(default_factory=list)

    @property
    def messages(self) -> list[Planned]:
        return self.reminders + [p for _deadline, _level, planned in self.escalations for p in planned]


def _key(deadline, threshold) -> str:
    # The due date is part of the key: a campaign extended starts the reminders again from its new date.
    return f"deadline:{deadline.pk}:{deadline.due_on.isoformat()}:{threshold}"


def _threshold_reached(deadline, today, calendar) -> str | None:
    if today > deadline.due_on:
        return OVERDUE
    left = calendar.working_days_between(today, deadline.due_on)
    left_at_start = calendar.working_days_between(workdays.shanghai_date(deadline.opened_at), deadline.due_on)
    reached = [t for t in thresholds_for(deadline.kind) if left <= t < left_at_start]
    return str(min(reached)) if reached else None


def _words(deadline, today, calendar, *, turn="") -> dict:
    days = deadline_days(deadline, today, calendar)
    start = workdays.shanghai_date(deadline.opened_at)
    return {"what": deadline.get_kind_display(), "label": deadline.label, "date": deadline.due_on.isoformat(),
            "left": days["left"], "overdue": days["overdue"], "start": start.isoformat(), "turn": turn,
            "waited": calendar.working_days_between(start, today)}


def _open_deadlines(kinds):
    deadlines = Deadline.objects.filter(closed_at__isnull=True).select_related(
        "user__organisation", "organisation").prefetch_related(
        Prefetch("organisation__users", queryset=User.objects.filter(is_active=True))).order_by("due_on", "id")
    return deadlines.filter(kind__in=list(kinds)) if kinds else deadlines


def deadlines_plan(today: date | None = None, kinds=None) -> Plan:
    """What a run on ``today`` would send, leaving out what has been sent already. Reads only."""
    today = today or workdays.shanghai_today()
    calendar = workdays.WorkingCalendar()
    escalate_after = settings.DEADLINE_ESCALATION_WORKING_DAYS
    plan = Plan()
    with portal_language():  # the messages go to other people: in the portal's language, whoever runs this
        for deadline in _open_deadlines(kinds):
            wording = kind_rule(deadline.kind).wording
            try:
                threshold = _threshold_reached(deadline, today, calendar)
                words = _words(deadline, today, calendar)
            except workdays.UnknownCalendarYear as unknown:
                logger.warning("clock %s (%s) left out of the sweep: the holidays of %s are not entered",
                               deadline.pk, deadline.kind, unknown.year)
                plan.skipped.append((deadline, unknown.year))
                continue
            if threshold is not None:
                title, body = ((wording.overdue, wording.overdue_body) if threshold == OVERDUE
                               else (wording.reminder, wording.reminder_body))
                for recipient in turn_recipients(deadline):
                    plan.reminders.append(Planned(
                        deadline=deadline, recipient=recipient, key=_key(deadline, threshold), threshold=threshold,
                        title=_(title) % words, body=_(body) % words, url=deadline.url, kind=MessageKind.REMINDER))
            if deadline.escalated_at is None and words["overdue"] >= escalate_after > 0:
                level, recipients = supervising_level(deadline)
                if level is None and not recipients:
                    continue  # nobody above the city
                turn = str(turn_organisation(deadline) or deadline.user)
                words = {**words, "turn": turn}
                plan.escalations.append((deadline, level, [Planned(
                    deadline=deadline, recipient=recipient, key=_key(deadline, "escalated"), threshold="escalated",
                    title=_(wording.escalation) % words, body=_(wording.escalation_body) % words, url=deadline.url,
                    kind=MessageKind.CHASE) for recipient in recipients]))
    sent = set(Notification.objects.filter(key__in={p.key for p in plan.messages})
               .values_list("recipient_id", "key"))
    plan.reminders = [p for p in plan.reminders if (p.recipient.pk, p.key) not in sent]
    return plan


def _escalate(deadline, level, planned) -> int:
    """Chase once: the conditional UPDATE claims the escalation, so two sweeps racing chase once."""
    with transaction.atomic():
        now = timezone.now()
        claimed = Deadline.objects.filter(pk=deadline.pk, escalated_at__isnull=True).update(
            escalated_at=now, escalated_to=level)
        if not claimed:
            return 0
        subject = deadline.subject
        audit_record(action=AuditAction.ESCALATED, obj=subject if subject is not None else deadline, detail={
            "deadline": deadline.pk, "kind": deadline.kind, "due_on": deadline.due_on.isoformat(),
            "to": str(level) if level is not None else "", "recipients": [p.recipient.username for p in planned]})
        return _send(planned)


def _send(planned) -> int:
    sent = 0
    for message in planned:
        sent += len(notification_send(recipients=[message.recipient], key=message.key, title=message.title,
                                      body=message.body, url=message.url, kind=message.kind))
    return sent


def deadlines_sweep(today: date | None = None, kinds=None) -> int:
    """Send what is due on ``today`` (reminders and chases) and record it; returns how many messages were sent."""
    plan = deadlines_plan(today=today, kinds=kinds)
    sent = _send(plan.reminders)
    for deadline, level, planned in plan.escalations:
        sent += _escalate(deadline, level, planned)
    return sent


def deadline_sweep_task() -> int:
    """The sweep as ``greenfactory.reminders`` runs it (no arguments: today)."""
    return deadlines_sweep()
