"""Public pages that show a person's data are never cached (issue 6 follow-up): the registration confirmation page
shows the registrant's name, e-mail address and user name; a public form answered after a post shows what was typed."""

import pytest
from django.urls import reverse

from tests.helpers import confirmation_link, registration_data

pytestmark = pytest.mark.django_db


def test_the_registration_confirmation_page_is_not_cached(client, people):
    data = registration_data()
    client.post(reverse("accounts:register"), data)
    response = client.get(confirmation_link(data["email"]))
    assert response.status_code == 200
    assert data["email"] in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_a_forged_confirmation_link_is_not_cached_either(client, people):
    response = client.get(reverse("accounts:register_confirm", args=["forged"]))
    assert response.status_code == 400
    assert "no-store" in response["Cache-Control"]


def test_public_forms_answered_after_a_post_are_not_cached_but_their_empty_form_may_be(client, people):
    data = registration_data(password2="Different-2026x")
    response = client.post(reverse("accounts:register"), data)
    assert response.status_code == 200 and data["email"] in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    response = client.post(reverse("accounts:login"), {"username": "someone-typed", "password": "wrong"})
    assert "someone-typed" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert "no-store" not in client.get(reverse("accounts:register")).get("Cache-Control", "")
