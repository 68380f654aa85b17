"""Clocks as data (办理期限): every clock of every workflow is one ``Deadline`` row.

- The service that starts a clock opens it (``deadline_open``); the transition that stops it closes it: a transition
  declares ``@transition(stops=(DeadlineKind...,))`` and the recorder registered in ``AccountsConfig.ready``
  (``deadline_stops_record``) closes the record's open clocks of those kinds inside the transition's transaction.
  What is not a transition (a draft deleted, a campaign closed) closes its clocks with ``deadline_close``.
- A due date is a fixed date (a campaign's deadline) or a number of working days on the official calendar
  (``greenfactory.workdays``), counted from the day the clock starts.
- One sweep (``accounts.deadline_reminders``) reminds whoever's turn it is and chases the supervising level.

Infrastructure: the apps import this module; it imports no app but accounts.
"""

from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.choices import DeadlineKind, Role
from accounts.inbox import city_officials, district_officials
from accounts.models import Deadline, Organisation, OrganisationKind, User
from greenfactory import workdays
from greenfactory.display import choice_labels


def _content_type(model_or_instance) -> ContentType:
    """The subject's root model: an enterprise's clock is found whether a service holds it as an ``Enterprise`` or
    as its ``Organisation`` (multi-table inheritance shares the key). Cached by Django: no query after the first."""
    model = model_or_instance if isinstance(model_or_instance, type) else type(model_or_instance)
    parents = model._meta.get_parent_list()
    return ContentType.objects.get_for_model(parents[-1] if parents else model)


def _start_date(start) -> date:
    if start is None:
        return workdays.shanghai_today()
    if isinstance(start, datetime):
        return workdays.shanghai_date(start)
    return start


def deadline_due_on(*, due_on: date | None = None, working_days: int | None = None, start=None,
                    calendar: workdays.WorkingCalendar | None = None) -> date:
    """A fixed ``due_on``, or the ``working_days``-th working day after ``start`` (a date or an aware datetime;
    today in Asia/Shanghai when omitted). Raises ValueError when neither or both are given, and
    ``UnknownCalendarYear`` when the count runs into a year nobody has entered."""
    if (due_on is None) == (working_days is None):
        raise ValueError("give either due_on or working_days")
    if due_on is not None:
        return due_on
    return (calendar or workdays.WorkingCalendar()).add_working_days(_start_date(start), working_days)


def _subject_label(subject) -> str:
    return str(subject)[:200]


def _subject_url(subject) -> str:
    get_url = getattr(subject, "get_absolute_url", None)
    return get_url() if get_url else ""


@transaction.atomic
def deadline_open(*, subject, kind, user=None, organisation=None, due_on=None, working_days=None, start=None,
                  label: str = "", url: str = "") -> Deadline:
    """Start the clock ``kind`` on ``subject`` for ``user`` or ``organisation`` (exactly one), due ``due_on`` or
    ``working_days`` working days after ``start`` (a date, or an aware datetime: the clock started then).
    ``label`` and ``url`` name the case on to-do lists and in reminders (``str(subject)`` and its
    ``get_absolute_url()`` when omitted).

    A subject has at most one open clock of a kind: opening it again (a double click, a retried task) restarts that
    one with the new turn and due date instead of adding a second. Raises ValueError (no or two turns; no or two due
    dates)."""
    if (user is None) == (organisation is None):
        raise ValueError("a deadline is a user's or an organisation's turn, exactly one of them")
    due = deadline_due_on(due_on=due_on, working_days=working_days, start=start)
    content_type = _content_type(subject)
    # A clock started at a past moment (a registration submitted before the clocks existed) started then.
    opened_at = start if isinstance(start, datetime) else timezone.now()
    values = {"user": user, "organisation": organisation, "due_on": due, "label": label or _subject_label(subject),
              "url": url or _subject_url(subject), "opened_at": opened_at, "escalated_at": None,
              "escalated_to": None}
    open_deadlines = Deadline.objects.select_for_update().filter(
        content_type=content_type, object_id=subject.pk, kind=kind, closed_at__isnull=True)
    deadline = open_deadlines.first()
    if deadline is None:
        try:
            with transaction.atomic():
                return Deadline.objects.create(content_type=content_type, object_id=subject.pk, kind=kind, **values)
        except IntegrityError:
            # Opened at the same moment by another request: the partial unique index kept one; restart that one.
            deadline = open_deadlines.get()
    for field, value in values.items():
        setattr(deadline, field, value)
    deadline.save()
    return deadline


def _open_of(*, subject=None, subjects=None, kinds):
    if (subject is None) == (subjects is None):
        raise ValueError("give either subject or subjects")
    if subject is not None:
        found = Deadline.objects.filter(content_type=_content_type(subject), object_id=subject.pk)
    else:
        found = Deadline.objects.filter(content_type=_content_type(subjects.model),
                                        object_id__in=subjects.values("pk"))
    return found.filter(kind__in=list(kinds), closed_at__isnull=True)


def deadline_close(*, subject=None, subjects=None, kinds, by: str) -> int:
    """Stop the open clocks of ``kinds`` on ``subject`` (or on every record of the queryset ``subjects``); ``by``
    names what stopped them (a transition's or a service's name). Returns how many were open; safe to call twice."""
    return _open_of(subject=subject, subjects=subjects, kinds=kinds).update(closed_at=timezone.now(),
                                                                           closed_by=by[:60])


def deadline_move(*, subject=None, subjects=None, kinds, due_on: date) -> int:
    """Give the open clocks of ``kinds`` on ``subject`` (or every record of ``subjects``) a new due date (a campaign
    extended): reminders start again from the new date, and a chase not yet due is withdrawn with the old date."""
    return _open_of(subject=subject, subjects=subjects, kinds=kinds).update(
        due_on=due_on, escalated_at=None, escalated_to=None)


def deadline_stops_record(change) -> None:
    """The kernel's recorder: a transition that declares ``stops`` closes its record's open clocks of those kinds,
    in the transition's transaction (so a refused or rolled-back change leaves the clock running)."""
    if change.stops:
        deadline_close(subject=change.instance, kinds=change.stops, by=change.name)


# --- Selectors ---------------------------------------------------------------------------------------------------


def deadlines_open_for_user(user):
    """The open clocks that are the user's turn (their own or their organisation's), and those escalated to their
    organisation (a chase: the supervising level sees what is overdue below it)."""
    if not getattr(user, "is_authenticated", False):
        return Deadline.objects.none()
    turn = Q(user=user)
    if user.organisation_id is not None:
        turn |= Q(organisation_id=user.organisation_id) | Q(escalated_to_id=user.organisation_id)
    return Deadline.objects.filter(turn, closed_at__isnull=True).order_by("due_on", "id")


def deadline_days(deadline, today: date, calendar: workdays.WorkingCalendar) -> dict:
    """Working days left (0 on the due day) or working days overdue, on the official calendar. Raises
    ``UnknownCalendarYear`` when the count runs into a year whose holidays nobody has entered."""
    if today > deadline.due_on:
        return {"left": 0, "overdue": max(calendar.working_days_between(deadline.due_on, today), 1)}
    return {"left": calendar.working_days_between(today, deadline.due_on), "overdue": 0}


def deadline_days_shown(deadline, today: date, calendar: workdays.WorkingCalendar) -> dict:
    """``deadline_days`` for a page: a clock that runs into a year whose holidays are not entered yet (a deadline
    extended past 31 December) shows its due date with the count left unknown (``left`` None), never an error."""
    try:
        return {**deadline_days(deadline, today, calendar), "unknown_year": None}
    except workdays.UnknownCalendarYear as unknown:
        return {"left": None, "overdue": 1 if today > deadline.due_on else 0, "unknown_year": unknown.year}


class PageCalendar(workdays.WorkingCalendar):
    """The calendar of one page of clocks: each day is asked once (the clocks of a page count over the same weeks
    from today, and the official calendar's answer for one day costs tens of microseconds)."""

    def __init__(self):
        super().__init__()
        self._days: dict[date, bool | workdays.UnknownCalendarYear] = {}

    def is_working_day(self, day: date) -> bool:
        answer = self._days.get(day)
        if answer is None:
            try:
                answer = super().is_working_day(day)
            except workdays.UnknownCalendarYear as unknown:
                answer = unknown
            self._days[day] = answer
        if isinstance(answer, workdays.UnknownCalendarYear):
            raise answer
        return answer


def deadline_rows_for_user(user, *, today: date | None = None, limit: int | None = None) -> list[dict]:
    """The user's open clocks with their working days left, in one query (and one read of the calendar per year;
    each day of the span asked once)."""
    today = today or workdays.shanghai_today()
    calendar = PageCalendar()
    deadlines = deadlines_open_for_user(user).only(
        "kind", "label", "url", "due_on", "escalated_at", "escalated_to_id")
    if limit is not None:
        deadlines = deadlines[:limit]
    rows, kinds = [], choice_labels(DeadlineKind)
    for deadline in deadlines:
        days = deadline_days_shown(deadline, today, calendar)
        rows.append({"deadline": deadline, "what": kinds.get(deadline.kind, deadline.kind), "label": deadline.label,
                     "url": deadline.url, "due_on": deadline.due_on, **days,
                     "escalated": deadline.escalated_at is not None,
                     "chased_here": deadline.escalated_to_id is not None
                     and deadline.escalated_to_id == user.organisation_id})
    return rows


# --- Whose turn, and who supervises it -----------------------------------------------------------------------------


def turn_organisation(deadline) -> Organisation | None:
    if deadline.organisation_id is not None:
        return deadline.organisation
    return deadline.user.organisation if deadline.user_id is not None else None


def turn_recipients(deadline) -> list[User]:
    """The active people whose turn it is: the user, or every active user of the organisation (read from a
    prefetch of ``organisation__users`` when the sweep made one)."""
    if deadline.user_id is not None:
        return [deadline.user] if deadline.user.is_active else []
    return [u for u in deadline.organisation.users.all() if u.is_active]


def supervising_level(deadline):
    """The level a chase goes to (催办): an enterprise's or park's clock to its district's economy and IT department,
    a district's (and anyone else's) to the city (市经济信息委). Returns (organisation or None, recipients)."""
    organisation = turn_organisation(deadline)
    kind = getattr(organisation, "kind", None)
    if kind in (OrganisationKind.ENTERPRISE, OrganisationKind.PARK) and organisation.district_id:
        supervisor = Organisation.objects.filter(kind=OrganisationKind.DISTRICT,
                                                 district_id=organisation.district_id).first()
        return supervisor, list(district_officials(organisation.district_id))
    if kind == OrganisationKind.CITY or (deadline.user_id and deadline.user.role in (Role.CITY, Role.ADMIN)):
        return None, []  # nobody above the city
    return Organisation.objects.filter(kind=OrganisationKind.CITY).first(), list(city_officials())

