"""The audit log's count stops at a cap (the trail only grows), while every page stays reachable."""

import re

import pytest
from django.urls import reverse

from accounts import services
from accounts.models import AuditAction, AuditEvent, User
from accounts.views import inbox
from accounts.views.common import CappedPaginator

pytestmark = pytest.mark.django_db


def _page_line(html: str) -> str:
    return re.search(r"第 \S+ / \S+ 页", html).group(0)


@pytest.fixture
def small_pages(monkeypatch):
    """Pages of 2 events, counted up to 4: two pages within the cap."""
    monkeypatch.setattr(inbox, "PAGE_SIZE", 2)
    monkeypatch.setattr(inbox, "AUDIT_COUNT_CAP", 4)


def _events(people, n):
    """``n`` log-outs, listed by the log's action filter (signing in records events of its own)."""
    for _ in range(n):
        services.audit_record(action=AuditAction.LOGOUT, actor=people.district)
    return AuditEvent.objects.filter(action=AuditAction.LOGOUT).order_by("-timestamp", "-id")


def test_the_audit_log_says_its_pages_exactly_up_to_the_cap(client, people, small_pages):
    client.force_login(people.city)
    _events(people, 4)
    html = client.get(reverse("accounts:audit_log"), {"action": "logout"}).content.decode()
    assert _page_line(html) == "第 1 / 2 页"


def test_past_the_cap_the_audit_log_says_more_pages_and_every_page_stays_reachable(client, people, small_pages):
    client.force_login(people.city)
    newest = list(_events(people, 7).values_list("pk", flat=True))
    url = reverse("accounts:audit_log")
    shown = []
    response = client.get(url, {"action": "logout"})
    for number, line in ((1, "第 1 / 2+ 页"), (2, "第 2 / 2+ 页"), (3, "第 3 / 4 页"), (4, "第 4 / 4 页")):
        html = response.content.decode()
        assert _page_line(html) == line
        shown += [row["event"].id for row in _rows(response)]
        if number < 4:
            assert f"action=logout&amp;page={number + 1}" in html  # 下一页, also from the last page within the cap
            response = client.get(url, {"action": "logout", "page": number + 1})
        else:
            assert "下一页" not in html
    assert shown == newest
    # A page past the end gives the last page, as everywhere else.
    response = client.get(url, {"action": "logout", "page": 99})
    assert response.context["page"].number == 4
    assert _page_line(response.content.decode()) == "第 4 / 4 页"


def test_the_capped_paginator_counts_at_most_the_cap_and_everything_only_past_it(people):
    events = _events(people, 7)
    paginator = CappedPaginator(events, 2, cap=4)
    page = paginator.get_page(2)
    assert (paginator.count, paginator.exact, paginator.pages_shown, page.has_next()) == (5, False, "2+", True)
    assert paginator.get_page(3).object_list[0] == events[4]
    assert (paginator.count, paginator.exact, paginator.pages_shown) == (7, True, "4")
    assert CappedPaginator(events, 2, cap=10).pages_shown == "4"
    # Below the first page Django gives the last page: the real last one.
    assert CappedPaginator(events, 2, cap=4).get_page(0).number == 4
    assert CappedPaginator(User.objects.none().order_by("pk"), 2, cap=4).get_page(1).paginator.pages_shown == "1"


def _rows(response):
    """The rows of the audit log page a response shows (its markup is kept; the rows are what it was written from)."""
    from accounts.selectors import audit_rows

    return audit_rows(response.context["page"].object_list)
