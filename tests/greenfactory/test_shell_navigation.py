"""The side navigation written in Python (greenfactory.context_processors.nav_html): the entry for the current page
is marked, the home entry only on the home page, each entry with its to-do count."""

import re

import pytest
from django.urls import reverse

from tests.helpers import submitted

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_clock")]


def _sidebar(html):
    return html.split('<nav class="portal-sidebar"', 1)[1].split("</nav>", 1)[0]


def _current(html):
    """The addresses of the entries marked as the current page."""
    return re.findall(r'<a class="nav-link active" href="([^"]+)" aria-current="page">', _sidebar(html))


def test_the_entry_of_the_current_page_is_marked_and_the_home_entry_only_at_home(client, people, campaign):
    submitted(campaign, people.enterprise)
    client.force_login(people.district)
    queue = reverse("applications:intake_queue")
    html = client.get(queue + "?page=2").content.decode()
    assert _current(html) == [queue]
    entry = _sidebar(html).split(f'href="{queue}"', 1)[1].split("</a>", 1)[0]
    assert '<span class="badge rounded-pill" title="待办数量">1</span>' in entry
    home = client.get(reverse("home")).content.decode()
    assert _current(home) == [reverse("home")]


def test_a_page_outside_the_navigation_marks_no_entry(client, people):
    client.force_login(people.district)
    assert _current(client.get(reverse("accounts:profile")).content.decode()) == []


def test_a_case_page_marks_the_entry_each_role_reached_it_from(client, people, campaign):
    application = submitted(campaign, people.enterprise)
    case = reverse("applications:intake_detail", args=[application.public_id])
    for user, entry in ((people.district, "applications:intake_queue"), (people.city, "applications:library"),
                        (people.enterprise, "applications:my_applications")):
        client.force_login(user)
        response = client.get(case)
        assert response.status_code == 200, user
        assert _current(response.content.decode()) == [reverse(entry)], user
