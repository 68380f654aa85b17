"""Under ``make run`` (debug on) an out-of-scope record or a wrong address shows the portal's Chinese 404 page, not
Django's English technical page with the URL patterns; a developer can ask for the technical page explicitly."""

import uuid

import pytest
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=True)
@pytest.mark.parametrize("path", [
    lambda: reverse("applications:intake_detail", args=[uuid.uuid4()]),
    lambda: "/no-such-page/",
])
def test_a_404_shows_the_portals_page_with_debug_on(client, people, path):
    client.force_login(people.enterprise)
    response = client.get(path())
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在或您无权查看" in html
    for leak in ("Page not found", "URLconf", "matches the given query", "IntakeApplication"):
        assert leak not in html


@override_settings(DEBUG=True, TECHNICAL_404=True)
def test_a_developer_can_ask_for_djangos_technical_page(client, people):
    client.force_login(people.enterprise)
    response = client.get(reverse("applications:intake_detail", args=[uuid.uuid4()]))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
