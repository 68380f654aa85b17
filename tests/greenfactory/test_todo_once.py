"""Each to-do source runs once per request: the navigation's badges and the home page's list read the same counts,
and a source counted by listing its few items (the administrator's unknown holiday years) is not listed again."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from accounts.choices import OrganisationStatus, Role
from accounts.models import Organisation
from greenfactory import portal
from greenfactory.portal import TodoItem, TodoSource

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _pinned_clock():
    with time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        yield


def test_the_administrators_home_lists_the_unknown_holiday_years_once(client, people, django_assert_num_queries):
    client.force_login(people.admin)
    # 1 session, 2 user, 3 next year's entered days, 4 whether next year's schedule was entered (this year's the
    # calendar library knows) — the calendar source, listed once for the badge and the home page (it was twice),
    # 5 the open clocks panel, 6 the unread count, 7 the recent messages (the session is not written: a login
    # leaves it renewed for a minute).
    with django_assert_num_queries(7):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    assert response.context["todo_total"] == 1
    assert "录入2027年法定节假日安排" in response.content.decode()


def test_the_enterprises_home_counts_its_applications_once(client, people, django_assert_num_queries):
    client.force_login(people.enterprise)
    # 1 session, 2 user with organisation, 3 the COUNT of its open intake applications (once, for the badge and the
    # home page; nothing open, so no rows are read), 4 the COUNT of its certification applications to act on (the
    # same), 5 the open clocks panel, 6 the open campaigns of its apply-now panel, 7 its applications to them, 8 its
    # latest certification application for the certification panel (none: no history read), 9 its library entry
    # for the cultivation panel (none: nothing more), 10 the unread count, 11 the recent messages.
    with django_assert_num_queries(11):
        response = client.get(reverse("home"))
    assert response.status_code == 200


@pytest.fixture
def spy_sources():
    calls = {"count": 0, "counted_items": 0, "listed_items": 0}

    def count(user):
        calls["count"] += 1
        return 12

    def counted_items(user, limit):
        calls["counted_items"] += 1
        return [TodoItem(title=f"计数事项{n}", url="/") for n in range(min(limit, 12))]

    def listed_items(user, limit):
        calls["listed_items"] += 1
        return [TodoItem(title=f"列出事项{n}", url="/") for n in range(3)][:limit]

    sources = [TodoSource("test.counted", "计数来源", frozenset({Role.CITY}), count, counted_items, order=1),
               TodoSource("test.listed", "列出来源", frozenset({Role.CITY}), None, listed_items, order=2)]
    for source in sources:
        portal.register_todo(source)
    yield calls
    for source in sources:
        portal._registry.todo.pop(source.key)


def test_each_source_runs_once_for_the_badges_and_the_home_page(client, people, spy_sources):
    client.force_login(people.city)
    response = client.get(reverse("home"))
    assert spy_sources == {"count": 1, "counted_items": 1, "listed_items": 1}
    assert response.context["todo_total"] == 15
    groups = {group["key"]: group for group in response.context["todo_groups"]}
    assert groups["test.counted"]["count"] == 12 and groups["test.counted"]["shown"] == 10
    assert groups["test.listed"]["count"] == 3 and groups["test.listed"]["shown"] == 3
    # The next request counts afresh.
    client.get(reverse("accounts:inbox"))
    assert spy_sources == {"count": 2, "counted_items": 1, "listed_items": 2}


def test_a_unit_whose_registration_was_refused_sees_no_navigation_to_dos_or_messages(client, people):
    # Who may use the shell is the accounts app's registered check (greenfactory names no status of accounts).
    Organisation.objects.filter(pk=people.enterprise.organisation_id).update(status=OrganisationStatus.REFUSED)
    client.force_login(people.enterprise)
    response = client.get(reverse("accounts:registration_status"))
    assert response.status_code == 200
    assert response.context["portal_nav"] == []
    assert response.context["todo_total"] == 0 and response.context["unread_count"] == 0
