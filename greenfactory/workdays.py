"""Working days on the official Chinese calendar (法定节假日与调休).

The rule for a date, in order:

1. a ``CalendarDay`` an administrator entered for that date decides (a correction wins even in a year
   chinese-calendar knows);
2. otherwise chinese-calendar decides, for the years it carries;
3. otherwise, if a ``CalendarYear`` row says the year's schedule has been entered, Monday to Friday are working days
   and weekends are not (the entered days already said which of them differ);
4. otherwise ``UnknownCalendarYear`` is raised. Counting weekends only would quietly shorten or lengthen legal
   deadlines around the Spring Festival and National Day, so a missing year must stop the computation.

Deadlines end at the end of the day in Asia/Shanghai, whatever the server's or the user's time zone.

Each public function reads the entered days of a year at most once per call. A caller that computes many dates in
one go (a reminder scan) can share one ``WorkingCalendar`` across them; it never outlives that unit of work, so an
administrator's edit is seen by the next one.
"""

import functools
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
from django.utils import timezone
from django.utils.translation import gettext

from greenfactory.models import CalendarDay, CalendarYear

SHANGHAI = ZoneInfo("Asia/Shanghai")


class UnknownCalendarYear(Exception):  # noqa: N818  (named after the situation, as Django's DoesNotExist is)
    """Neither chinese-calendar nor an administrator knows the official schedule of ``year``.

    A plain ``Exception`` rather than ``ImproperlyConfigured``: nothing in the settings is wrong, and an administrator
    fixes it at run time by entering the year. ``message`` is the translated text to show a user; ``str()`` adds an
    English hint for the logs.
    """

    def __init__(self, year: int):
        self.year = year
        self.message = gettext(
            "%(year)d年的法定节假日安排尚未录入：请系统管理员在“节假日安排”中录入该年的放假和调休上班日期。"
        ) % {"year": year}
        super().__init__(
            f"{self.message} (No official holiday schedule for {year}: chinese-calendar does not carry that year "
            f"and no greenfactory.CalendarYear row exists. Enter it in the admin or upgrade chinese-calendar.)"
        )


@functools.cache
def package_knows_year(year: int) -> bool:
    """Whether the installed chinese-calendar carries the State Council's schedule for ``year``."""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


@functools.cache
def _package_working_days(year: int) -> frozenset[date]:
    """The working days of a year the package carries, asked once per process (each of the package's own calls checks
    the date against its whole table: thousands of calls on a page of deadlines added up to milliseconds)."""
    day, days = date(year, 1, 1), set()
    while day.year == year:
        if chinese_calendar.is_workday(day):
            days.add(day)
        day += timedelta(days=1)
    return frozenset(days)


def _as_date(value: date) -> date:
    # A datetime is a date subclass; its calendar day depends on the time zone, so it is converted explicitly.
    if isinstance(value, datetime):
        if timezone.is_naive(value):
            raise TypeError("Pass a date, or an aware datetime (converted to its date in Asia/Shanghai).")
        return shanghai_date(value)
    return value


class _Year:
    # known: the package carries the year or an administrator entered it; entered_days: date -> is a working day.
    __slots__ = ("entered_days", "known")

    def __init__(self, entered_days: dict[date, bool], known: bool):
        self.entered_days = entered_days
        self.known = known


class WorkingCalendar:
    """The official calendar for one unit of work: each year's entered days are read once, on first use."""

    def __init__(self):
        self._years: dict[int, _Year] = {}

    def _year(self, year: int) -> _Year:
        loaded = self._years.get(year)
        if loaded is None:
            loaded = self._years[year] = self._load(year)
        return loaded

    @staticmethod
    def _load(year: int) -> _Year:
        """The year's entered days, kept across requests like other reference data (``greenfactory.portal.kept``:
        an administrator's or official's change moves it; a change outside the portal counts after the keeping
        time)."""
        from greenfactory.portal import reference_data

        return reference_data(f"calendar:{year}", lambda: WorkingCalendar._read(year))

    @staticmethod
    def _read(year: int) -> _Year:
        # By date rather than by parent row, so a day filed under the wrong year still counts where it falls.
        rows = CalendarDay.objects.filter(date__range=(date(year, 1, 1), date(year, 12, 31))).values_list(
            "date", "kind"
        )
        entered_days = {day: kind == CalendarDay.Kind.WORKDAY for day, kind in rows}
        known = package_knows_year(year) or CalendarYear.objects.filter(year=year).exists()
        return _Year(entered_days, known)

    def year_is_known(self, year: int) -> bool:
        """Whether working days can be computed in ``year`` (by the package or from entered data)."""
        return package_knows_year(year) or self._year(year).known

    def is_working_day(self, day: date) -> bool:
        day = _as_date(day)
        year = self._year(day.year)
        entered = year.entered_days.get(day)
        if entered is not None:
            return entered
        if package_knows_year(day.year):
            return day in _package_working_days(day.year)
        if year.known:
            return day.weekday() < 5
        raise UnknownCalendarYear(day.year)

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after ``start`` (``start`` itself is not counted); ``start`` when n is 0."""
        if n < 0:
            raise ValueError(f"n must be zero or more, got {n}.")
        day = _as_date(start)
        remaining = n
        while remaining:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end``; 0 when ``end`` is not after ``start``."""
        start, end = _as_date(start), _as_date(end)
        count = 0
        day = start + timedelta(days=1)
        while day <= end:
            if self.is_working_day(day):
                count += 1
            day += timedelta(days=1)
        return count

    def deadline_end(self, start: date, n: int) -> datetime:
        """The last instant (23:59:59.999999, Asia/Shanghai) of the n-th working day after ``start``."""
        return datetime.combine(self.add_working_days(start, n), time.max, tzinfo=SHANGHAI)


def shanghai_today() -> date:
    """Today's date in Asia/Shanghai, the calendar deadlines are counted in."""
    return timezone.now().astimezone(SHANGHAI).date()


def shanghai_date(moment: datetime) -> date:
    """The Asia/Shanghai calendar date of an aware datetime (a submission time, for instance)."""
    return moment.astimezone(SHANGHAI).date()


def is_working_day(d: date) -> bool:
    """Whether ``d`` is a working day on the official calendar. Raises ``UnknownCalendarYear``."""
    return WorkingCalendar().is_working_day(d)


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after ``start``, not counting ``start``; n == 0 gives ``start``.

    Raises ``ValueError`` for a negative n and ``UnknownCalendarYear`` when the count runs into an unknown year.
    """
    return WorkingCalendar().add_working_days(start, n)


def working_days_between(start: date, end: date) -> int:
    """How many working days lie after ``start`` up to and including ``end`` (never negative)."""
    return WorkingCalendar().working_days_between(start, end)


def deadline_end(start: date, n: int) -> datetime:
    """The aware end (23:59:59.999999 in Asia/Shanghai) of the n-th working day after ``start``."""
    return WorkingCalendar().deadline_end(start, n)


def calendar_year_is_known(year: int) -> bool:
    """Whether working days in ``year`` can be computed: chinese-calendar carries it or an administrator entered it."""
    return WorkingCalendar().year_is_known(year)


def calendar_unknown_years(today: date | None = None) -> list[int]:
    """This year and next year (in Asia/Shanghai), those of them whose official schedule nobody knows yet."""
    today = today or shanghai_today()
    calendar = WorkingCalendar()
    return [year for year in (today.year, today.year + 1) if not calendar.year_is_known(year)]
