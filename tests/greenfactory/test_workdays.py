from datetime import UTC, date, datetime, timedelta

import chinese_calendar
import pytest
import time_machine
from django.core.exceptions import ValidationError

from greenfactory.models import CalendarDay, CalendarYear
from greenfactory.workdays import (
    SHANGHAI,
    UnknownCalendarYear,
    WorkingCalendar,
    add_working_days,
    calendar_unknown_years,
    calendar_year_is_known,
    deadline_end,
    is_working_day,
    shanghai_today,
    working_days_between,
)

pytestmark = pytest.mark.django_db

HOLIDAY = CalendarDay.Kind.HOLIDAY
WORKDAY = CalendarDay.Kind.WORKDAY


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def package_add_working_days(start: date, n: int) -> date:
    # An independent count straight on chinese-calendar, to check the reasoned answers against.
    day = start
    while n:
        day += timedelta(days=1)
        if chinese_calendar.is_workday(day):
            n -= 1
    return day


@pytest.fixture
def year_2027():
    """A 2027 schedule as an administrator might enter it (dates chosen for the test, not the real notice)."""
    calendar_year = CalendarYear.objects.create(
        year=2027, note="国务院办公厅关于2027年部分节假日安排的通知（测试数据）"
    )
    CalendarDay.objects.bulk_create(
        [
            CalendarDay(calendar_year=calendar_year, date=date(2027, 1, 1), kind=HOLIDAY, name="元旦"),
            CalendarDay(calendar_year=calendar_year, date=date(2027, 2, 8), kind=HOLIDAY, name="春节"),
            CalendarDay(calendar_year=calendar_year, date=date(2027, 2, 9), kind=HOLIDAY, name="春节"),
            CalendarDay(calendar_year=calendar_year, date=date(2027, 2, 6), kind=WORKDAY, name="春节"),
        ]
    )
    return calendar_year


# --- Spring Festival 2026 and National Day 2025 on the package's data ---------------------------------------------


@pytest.mark.parametrize("day", days(date(2026, 2, 15), date(2026, 2, 23)), ids=str)
def test_spring_festival_2026_days_off_are_not_working_days(day):
    assert is_working_day(day) is False


@pytest.mark.parametrize("day", [date(2026, 2, 14), date(2026, 2, 28)], ids=str)
def test_spring_festival_2026_make_up_saturdays_are_working_days(day):
    assert day.weekday() == 5
    assert is_working_day(day) is True


@pytest.mark.parametrize("day", days(date(2025, 10, 1), date(2025, 10, 8)), ids=str)
def test_national_day_2025_days_off_are_not_working_days(day):
    assert is_working_day(day) is False


def test_national_day_2025_make_up_sunday_and_saturday_are_working_days():
    assert (date(2025, 9, 28).weekday(), date(2025, 10, 11).weekday()) == (6, 5)
    assert is_working_day(date(2025, 9, 28)) is True
    assert is_working_day(date(2025, 10, 11)) is True


def test_an_ordinary_weekend_is_not_a_working_day_and_an_ordinary_weekday_is():
    assert is_working_day(date(2025, 11, 15)) is False  # Saturday
    assert is_working_day(date(2025, 11, 17)) is True  # Monday


# --- Counting -------------------------------------------------------------------------------------------------------


def test_five_working_days_after_30_september_2025_end_on_14_october():
    # After 9-30: 10-01…08 off, then 10-09, 10-10, 10-11 (make-up Saturday), 10-13, 10-14.
    assert add_working_days(date(2025, 9, 30), 5) == date(2025, 10, 14)
    assert package_add_working_days(date(2025, 9, 30), 5) == date(2025, 10, 14)


def test_counting_from_the_friday_before_spring_festival_2026_takes_the_make_up_saturday_then_skips_the_break():
    assert add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert add_working_days(date(2026, 2, 13), 2) == date(2026, 2, 24)


def test_counting_from_a_friday_before_national_day_2025_takes_the_make_up_sunday():
    assert add_working_days(date(2025, 9, 26), 1) == date(2025, 9, 28)
    assert add_working_days(date(2025, 9, 26), 2) == date(2025, 9, 29)


@pytest.mark.parametrize("n", [1, 3, 10, 20, 60])
@pytest.mark.parametrize("start", [date(2025, 9, 27), date(2026, 1, 30), date(2026, 2, 14)], ids=str)
def test_add_working_days_agrees_with_chinese_calendar_across_both_holidays(start, n):
    assert add_working_days(start, n) == package_add_working_days(start, n)


def test_zero_working_days_leave_the_start_date_even_on_a_holiday():
    assert add_working_days(date(2025, 10, 1), 0) == date(2025, 10, 1)


def test_a_negative_number_of_working_days_is_refused():
    with pytest.raises(ValueError, match="-1"):
        add_working_days(date(2025, 10, 1), -1)


def test_working_days_between_counts_after_the_start_up_to_and_including_the_end():
    assert working_days_between(date(2025, 9, 30), date(2025, 10, 14)) == 5
    assert working_days_between(date(2025, 9, 30), date(2025, 10, 8)) == 0
    assert working_days_between(date(2025, 10, 14), date(2025, 10, 14)) == 0


def test_working_days_between_is_zero_when_the_end_is_before_the_start():
    assert working_days_between(date(2025, 10, 14), date(2025, 9, 30)) == 0


@pytest.mark.parametrize("n", [0, 1, 5, 17])
def test_working_days_between_undoes_add_working_days(n):
    start = date(2026, 2, 10)
    assert working_days_between(start, add_working_days(start, n)) == n


def test_a_deadline_ends_at_the_last_instant_of_its_day_in_shanghai():
    end = deadline_end(date(2025, 9, 30), 5)
    assert end == datetime(2025, 10, 14, 23, 59, 59, 999999, tzinfo=SHANGHAI)
    assert end.utcoffset() == timedelta(hours=8)
    assert end.astimezone(UTC) == datetime(2025, 10, 14, 15, 59, 59, 999999, tzinfo=UTC)


def test_an_aware_datetime_counts_as_its_date_in_shanghai():
    # 16:30 UTC on 10-08 is already 00:30 on 10-09 in Shanghai, the first working day after the break.
    assert is_working_day(datetime(2025, 10, 7, 16, 30, tzinfo=UTC)) is False
    assert is_working_day(datetime(2025, 10, 8, 16, 30, tzinfo=UTC)) is True


def test_a_naive_datetime_is_refused_rather_than_guessed():
    with pytest.raises(TypeError):
        is_working_day(datetime.fromisoformat("2025-10-09T09:00"))


@time_machine.travel(datetime(2026, 11, 21, 17, 0, tzinfo=UTC), tick=False)
def test_today_is_taken_in_shanghai_not_in_utc():
    assert shanghai_today() == date(2026, 11, 22)


# --- A year the package does not know -------------------------------------------------------------------------------


def test_an_unknown_year_raises_an_error_naming_the_year_in_chinese():
    with pytest.raises(UnknownCalendarYear) as caught:
        is_working_day(date(2027, 1, 4))
    assert caught.value.year == 2027
    assert "2027年的法定节假日安排尚未录入" in caught.value.message
    assert "节假日安排" in caught.value.message
    assert "2027" in str(caught.value)


def test_counting_into_an_unknown_year_raises_instead_of_counting_weekends():
    with pytest.raises(UnknownCalendarYear, match="2027"):
        add_working_days(date(2026, 12, 25), 10)


def test_a_deadline_running_into_an_unknown_year_raises():
    with pytest.raises(UnknownCalendarYear, match="2027"):
        deadline_end(date(2026, 12, 30), 5)


def test_an_entered_year_without_any_days_counts_monday_to_friday():
    CalendarYear.objects.create(year=2027)
    assert is_working_day(date(2027, 1, 1)) is True  # a Friday: no holiday was entered
    assert is_working_day(date(2027, 1, 2)) is False  # Saturday


def test_an_entered_2027_makes_working_days_computable(year_2027):
    assert is_working_day(date(2027, 1, 1)) is False  # entered holiday on a Friday
    assert is_working_day(date(2027, 1, 2)) is False  # ordinary Saturday
    assert is_working_day(date(2027, 1, 4)) is True  # ordinary Monday
    assert is_working_day(date(2027, 2, 6)) is True  # entered make-up Saturday
    assert is_working_day(date(2027, 2, 8)) is False  # entered holiday on a Monday


def test_counting_across_new_year_2027_uses_both_the_package_and_the_entered_days(year_2027):
    # 2026-12-31 is a Thursday; 2027-01-01 (Friday) was entered as a holiday, then a weekend.
    assert add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)
    # After Friday 2027-02-05: the make-up Saturday, then Monday and Tuesday off, then Wednesday.
    assert add_working_days(date(2027, 2, 5), 2) == date(2027, 2, 10)


def test_entering_a_year_makes_it_known():
    assert calendar_year_is_known(2027) is False
    CalendarYear.objects.create(year=2027)
    assert calendar_year_is_known(2027) is True
    assert calendar_year_is_known(2026) is True


@time_machine.travel(datetime(2026, 11, 21, 10, 0, tzinfo=SHANGHAI), tick=False)
def test_unknown_years_list_next_year_until_it_is_entered():
    assert calendar_unknown_years() == [2027]
    CalendarYear.objects.create(year=2027)
    assert calendar_unknown_years() == []


def test_unknown_years_list_this_year_and_next_year_when_neither_is_known():
    assert calendar_unknown_years(date(2027, 3, 1)) == [2027, 2028]


# --- Corrections in a year the package knows ------------------------------------------------------------------------


def test_an_entered_day_overrides_the_package_in_a_known_year():
    calendar_year = CalendarYear.objects.create(year=2026, note="更正")
    CalendarDay.objects.create(calendar_year=calendar_year, date=date(2026, 2, 14), kind=HOLIDAY, name="春节")
    CalendarDay.objects.create(calendar_year=calendar_year, date=date(2026, 2, 21), kind=WORKDAY, name="春节")
    CalendarDay.objects.create(calendar_year=calendar_year, date=date(2026, 6, 1), kind=HOLIDAY, name="更正示例")

    assert chinese_calendar.is_workday(date(2026, 2, 14)) is True
    assert is_working_day(date(2026, 2, 14)) is False
    assert chinese_calendar.is_workday(date(2026, 2, 21)) is False
    assert is_working_day(date(2026, 2, 21)) is True
    assert is_working_day(date(2026, 6, 1)) is False
    # Days without an entry still follow the package.
    assert is_working_day(date(2026, 2, 28)) is True
    assert is_working_day(date(2026, 2, 16)) is False


# --- Validation of entered days -------------------------------------------------------------------------------------


def test_a_day_outside_its_year_is_refused():
    calendar_year = CalendarYear.objects.create(year=2027)
    day = CalendarDay(calendar_year=calendar_year, date=date(2028, 1, 1), kind=HOLIDAY, name="元旦")
    with pytest.raises(ValidationError) as caught:
        day.full_clean()
    assert [error.code for error in caught.value.error_dict["date"]] == ["date_outside_year"]


def test_a_make_up_working_day_on_a_weekday_is_refused():
    calendar_year = CalendarYear.objects.create(year=2027)
    day = CalendarDay(calendar_year=calendar_year, date=date(2027, 2, 10), kind=WORKDAY, name="春节")
    with pytest.raises(ValidationError) as caught:
        day.full_clean()
    assert [error.code for error in caught.value.error_dict["date"]] == ["workday_on_weekday"]


def test_a_holiday_on_a_weekend_within_the_break_is_accepted():
    calendar_year = CalendarYear.objects.create(year=2027)
    day = CalendarDay(calendar_year=calendar_year, date=date(2027, 2, 13), kind=HOLIDAY, name="春节")
    day.full_clean()
    day.save()
    assert CalendarDay.objects.filter(date=date(2027, 2, 13), kind=HOLIDAY).exists()


def test_the_same_date_cannot_be_entered_twice():
    calendar_year = CalendarYear.objects.create(year=2027)
    CalendarDay.objects.create(calendar_year=calendar_year, date=date(2027, 1, 1), kind=HOLIDAY, name="元旦")
    duplicate = CalendarDay(calendar_year=calendar_year, date=date(2027, 1, 1), kind=HOLIDAY, name="元旦")
    with pytest.raises(ValidationError) as caught:
        duplicate.full_clean()
    assert "date" in caught.value.error_dict


def test_a_year_outside_the_supported_range_is_refused():
    with pytest.raises(ValidationError) as caught:
        CalendarYear(year=20277).full_clean()
    assert "year" in caught.value.error_dict


# --- Queries --------------------------------------------------------------------------------------------------------


def test_counting_three_hundred_days_in_known_years_reads_each_year_once(django_assert_num_queries):
    # 2025-06-02 + 250 working days is 2026-06-03: about a year of calendar days.
    with django_assert_num_queries(2):
        # 1. the days entered for 2025
        # 2. the days entered for 2026
        assert add_working_days(date(2025, 6, 2), 250) == date(2026, 6, 3)


def test_counting_into_an_entered_year_stays_bounded(year_2027, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        # 1. the days entered for 2026
        # 2. the days entered for 2027
        # 3. whether 2027 was entered at all (the package does not know it)
        end = add_working_days(date(2026, 6, 1), 200)
    assert end.year == 2027


def test_a_shared_calendar_reads_a_year_once_across_calls(django_assert_num_queries):
    calendar = WorkingCalendar()
    with django_assert_num_queries(1):
        # 1. the days entered for 2026
        results = [calendar.add_working_days(date(2026, 1, 5) + timedelta(days=i), 10) for i in range(100)]
    assert len(set(results)) > 1
