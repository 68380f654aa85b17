"""Reminders about intake: an enterprise whose application is still a draft (or was returned) is reminded before
the campaign's deadline (四（三）资料报送). The intake deadline is a clock (``DeadlineKind.INTAKE_SUBMISSION``, opened
by ``applications.clocks``), swept with every other clock by ``accounts.deadline_reminders``."""

from accounts.choices import DeadlineKind
from accounts.deadline_reminders import deadlines_sweep


def remind_intake_deadlines(today=None) -> int:
    """The clock sweep for intake submissions only (each threshold once per person and application)."""
    return deadlines_sweep(today=today, kinds=[DeadlineKind.INTAKE_SUBMISSION])
