"""Password reset (issue 6 follow-up): limited per IP and per address with the same answer for known and unknown
addresses, and the mail sent by the Celery mail task after commit, never inside the request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = "accounts:password_reset"


def test_the_mail_is_queued_after_commit_and_known_and_unknown_addresses_answer_alike(
        client, people, mailoutbox, django_capture_on_commit_callbacks):
    answers = {}
    for address in (people.city.email, "nobody@example.com"):
        with django_capture_on_commit_callbacks() as callbacks, CaptureQueriesContext(connection) as queries:
            response = client.post(reverse(URL), {"email": address})
        # Nothing is mailed inside the request; one task is queued for either address.
        assert mailoutbox == []
        answers[address] = (response.status_code, response["Location"], len(callbacks), len(queries))
    assert answers[people.city.email] == answers["nobody@example.com"]
    assert answers["nobody@example.com"][:3] == (302, reverse("accounts:password_reset_done"), 1)


def test_the_queued_task_mails_the_known_address_only(client, people, mailoutbox,
                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse(URL), {"email": people.city.email.upper()})
        client.post(reverse(URL), {"email": "nobody@example.com"})
    assert [message.to for message in mailoutbox] == [[people.city.email]]


@pytest.mark.parametrize("known", [True, False])
def test_requests_for_one_address_are_limited_whether_or_not_it_has_an_account(
        client, people, settings, mailoutbox, known, django_capture_on_commit_callbacks):
    settings.PASSWORD_RESET_RATE_PER_ADDRESS = "3/h"
    address = people.city.email if known else "nobody@example.com"
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [client.post(reverse(URL), {"email": address}, REMOTE_ADDR=f"10.0.0.{n}").status_code
                    for n in range(1, 6)]
    assert statuses == [302, 302, 302, 429, 429]
    assert len(mailoutbox) == (3 if known else 0)


def test_requests_from_one_address_are_limited_per_ip(client, people, settings, mailoutbox,
                                                      django_capture_on_commit_callbacks):
    settings.PASSWORD_RESET_RATE_PER_IP = "5/h"
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [client.post(reverse(URL), {"email": f"person{n}@example.com"}).status_code for n in range(6)]
        limited = client.post(reverse(URL), {"email": people.city.email})
    assert statuses == [302] * 5 + [429]
    assert limited.status_code == 429 and "请求过于频繁" in limited.content.decode()
    assert mailoutbox == []
    # Another network is not held back.
    assert client.post(reverse(URL), {"email": people.city.email}, REMOTE_ADDR="10.9.9.9").status_code == 302


def test_a_failing_mail_server_is_retried_then_given_up(people, settings, monkeypatch):
    from accounts import tasks

    attempts = []

    def failing(*args, **kwargs):
        attempts.append(1)
        raise OSError("mail server down")

    monkeypatch.setattr(tasks, "send_mail", failing)
    from greenfactory.celery import app

    previous = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    try:
        tasks.send_password_reset_email.apply(args=[people.city.email])
    finally:
        app.conf.task_eager_propagates = previous
    assert len(attempts) == tasks.MAX_EMAIL_ATTEMPTS
