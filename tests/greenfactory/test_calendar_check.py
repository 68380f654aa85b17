from datetime import UTC, datetime

import pytest
import time_machine
from django.core import checks
from django.db import OperationalError, ProgrammingError, connection

from greenfactory import checks as calendar_checks
from greenfactory.models import CalendarYear
from greenfactory.workdays import SHANGHAI

pytestmark = pytest.mark.django_db

# 2026 is in chinese-calendar 1.11.0; 2027 is not.
late_2026 = time_machine.travel(datetime(2026, 11, 21, 10, 0, tzinfo=SHANGHAI), tick=False)


def calendar_warnings(**kwargs):
    return [message for message in checks.run_checks(**kwargs) if message.id == "greenfactory.W001"]


@late_2026
def test_the_check_warns_in_chinese_that_next_year_is_unknown():
    warnings = calendar_warnings(databases=["default"])
    assert len(warnings) == 1
    (warning,) = warnings
    assert warning.level == checks.WARNING
    assert "2027年的法定节假日安排尚未录入" in warning.msg
    assert "节假日安排" in warning.hint


@late_2026
def test_the_check_is_quiet_once_next_year_is_entered():
    CalendarYear.objects.create(year=2027, note="国务院办公厅关于2027年部分节假日安排的通知")
    assert calendar_warnings(databases=["default"]) == []


@time_machine.travel(datetime(2025, 11, 21, 10, 0, tzinfo=SHANGHAI), tick=False)
def test_the_check_is_quiet_when_the_package_knows_next_year():
    assert calendar_warnings(databases=["default"]) == []


@time_machine.travel(datetime(2027, 3, 1, 10, 0, tzinfo=SHANGHAI), tick=False)
def test_the_check_names_this_year_too_when_it_is_unknown():
    messages = [warning.msg for warning in calendar_warnings(databases=["default"])]
    assert len(messages) == 2
    assert messages[0].startswith("2027年")
    assert messages[1].startswith("2028年")


@time_machine.travel(datetime(2026, 12, 31, 16, 30, tzinfo=UTC), tick=False)
def test_the_check_takes_the_years_from_the_date_in_shanghai():
    # Still 2026 in UTC, but already 1 January 2027 in Shanghai: this year is 2027 and next year 2028.
    messages = [warning.msg for warning in calendar_warnings(databases=["default"])]
    assert [message[:5] for message in messages] == ["2027年", "2028年"]


@late_2026
def test_the_check_does_not_run_without_databases_so_check_deploy_stays_about_settings():
    assert calendar_warnings() == []
    assert calendar_warnings(include_deployment_checks=True) == []


@late_2026
def test_the_check_is_registered_under_the_database_tag():
    assert calendar_warnings(tags=[checks.Tags.database], databases=["default"]) != []


@late_2026
def test_a_missing_table_gives_no_warning_instead_of_a_crash(monkeypatch):
    real_table_names = connection.introspection.table_names
    monkeypatch.setattr(
        connection.introspection,
        "table_names",
        lambda *args, **kwargs: [
            name for name in real_table_names(*args, **kwargs) if name != "greenfactory_calendaryear"
        ],
    )
    assert calendar_checks.check_calendar_years(databases=["default"]) == []


@late_2026
@pytest.mark.parametrize("error", [OperationalError, ProgrammingError])
def test_a_database_error_gives_no_warning_instead_of_a_crash(monkeypatch, error):
    def failing(*args, **kwargs):
        raise error("no such table: greenfactory_calendaryear")

    monkeypatch.setattr(calendar_checks, "calendar_unknown_years", failing)
    assert calendar_checks.check_calendar_years(databases=["default"]) == []
