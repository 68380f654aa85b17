"""Refused requests are audited (rate-limited); NUL bytes answer 400; signed-in pages and downloads are not cached."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def _denials():
    return AuditEvent.objects.filter(action=AuditAction.ACCESS_DENIED).order_by("id")


# --- Item 16: refusals recorded ----------------------------------------------------------------------------------


def test_a_403_is_recorded_with_user_address_path_and_method(client, people):
    client.force_login(people.enterprise)
    response = client.get(reverse("accounts:enterprise_list"), REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 403
    event = _denials().get()
    assert event.actor == people.enterprise
    assert event.result == "failure"
    assert event.ip_address == "10.1.2.3"
    assert event.detail == {"kind": "forbidden", "status": 403, "method": "GET", "path": "/accounts/enterprises/"}


def test_a_404_on_a_record_outside_the_users_scope_is_recorded(client, people):
    client.force_login(people.district_2)
    url = reverse("accounts:registration_detail", args=[people.enterprise.organisation.public_id])
    assert client.get(url).status_code == 404
    event = _denials().get()
    assert event.actor == people.district_2
    assert event.detail["kind"] == "not_found"
    assert event.detail["path"] == url


def test_a_404_on_an_unknown_path_is_not_a_refusal(client, people):
    client.force_login(people.district)
    assert client.get("/no-such-page/").status_code == 404
    assert not _denials().exists()


def test_a_csrf_failure_is_recorded(people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.district)
    url = reverse("accounts:registration_approve", args=[people.enterprise.organisation.public_id])
    assert client.post(url).status_code == 403
    event = _denials().get()
    assert event.detail["kind"] == "csrf"
    assert event.detail["method"] == "POST"
    assert event.actor == people.district


def test_refusals_are_recorded_once_a_minute_per_user_address_and_kind(client, people, time_machine):
    time_machine.move_to("2026-11-20 10:00:00+08:00", tick=False)
    client.force_login(people.enterprise)
    for _ in range(30):
        client.get(reverse("accounts:enterprise_list"), REMOTE_ADDR="10.1.2.3")
    assert _denials().count() == 1
    # Another address, another kind, another user: each has its own minute.
    client.get(reverse("accounts:enterprise_list"), REMOTE_ADDR="10.9.9.9")
    client.get(reverse("accounts:registration_detail", args=[people.enterprise_2.organisation.public_id]),
               REMOTE_ADDR="10.1.2.3")
    other = Client()
    other.force_login(people.enterprise_2)
    other.get(reverse("accounts:enterprise_list"), REMOTE_ADDR="10.1.2.3")
    assert _denials().count() == 4


def test_after_the_minute_a_repeated_refusal_is_recorded_again(client, people):
    from django.core.cache import cache

    client.force_login(people.enterprise)
    client.get(reverse("accounts:enterprise_list"))
    client.get(reverse("accounts:enterprise_list"))
    assert _denials().count() == 1
    cache.clear()  # the minute's claim expires
    client.get(reverse("accounts:enterprise_list"))
    assert _denials().count() == 2


# --- Item 15: NUL bytes --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["accounts:enterprise_list", "accounts:audit_log", "accounts:account_list",
                                      "accounts:inbox", "home"])
@pytest.mark.parametrize("query", ["q=%00", "page=1%00", "status=x\x00", "action=%00&username=a"])
def test_a_nul_byte_in_any_query_parameter_answers_400_in_chinese(client, people, url_name, query):
    client.force_login(people.city)
    response = client.get(f"{reverse(url_name)}?{query}")
    assert response.status_code == 400
    assert "控制字符" in response.content.decode()


def test_a_nul_byte_in_a_posted_reason_answers_400_and_changes_nothing(client, people):
    from accounts.choices import OrganisationStatus
    from tests.factories import EnterpriseFactory

    pending = EnterpriseFactory(district=people.enterprise.organisation.district, status=OrganisationStatus.PENDING)
    client.force_login(people.district)
    response = client.post(reverse("accounts:registration_refuse", args=[pending.public_id]), {"reason": "不\x00行"})
    assert response.status_code == 400
    pending.refresh_from_db()
    assert pending.status == OrganisationStatus.PENDING


def test_a_nul_byte_on_a_public_page_answers_400(client, people):
    assert client.get(reverse("accounts:login") + "?next=%00").status_code == 400
    assert client.post(reverse("accounts:login"), {"username": "a\x00", "password": "x"}).status_code == 400


# --- Item 19: no-store ---------------------------------------------------------------------------------------------


def test_a_signed_in_page_is_not_stored(client, people):
    client.force_login(people.district)
    for url in (reverse("home"), reverse("accounts:enterprise_list"), reverse("accounts:profile")):
        assert "no-store" in client.get(url)["Cache-Control"]


def test_a_public_page_may_be_cached(client, people):
    response = client.get(reverse("accounts:register"))
    assert "no-store" not in response.get("Cache-Control", "")


# --- Issue 6 follow-up: the refusals a flood leaves out are counted; refusals are one log line; request ids --------


def test_the_next_record_after_a_flood_says_how_many_refusals_were_not_recorded(client, people, time_machine):
    from django.core.cache import cache

    time_machine.move_to("2026-11-20 10:00:00+08:00", tick=False)
    client.force_login(people.enterprise)
    for _ in range(30):
        client.get(reverse("accounts:enterprise_list"), REMOTE_ADDR="10.1.2.3")
    first = _denials().get()
    assert "suppressed" not in first.detail
    # Another user's refusals are counted apart.
    other = Client()
    other.force_login(people.enterprise_2)
    for _ in range(3):
        other.get(reverse("accounts:enterprise_list"), REMOTE_ADDR="10.1.2.3")
    cache.delete(f"access-denied:{people.enterprise.pk}:10.1.2.3:forbidden")  # the minute's claim expires
    client.get(reverse("accounts:enterprise_list"), REMOTE_ADDR="10.1.2.3")
    latest = _denials().filter(actor=people.enterprise).last()
    assert latest.detail["suppressed"] == 29
    # The count was handed over: the record after that starts again from nothing.
    cache.delete(f"access-denied:{people.enterprise.pk}:10.1.2.3:forbidden")
    client.get(reverse("accounts:enterprise_list"), REMOTE_ADDR="10.1.2.3")
    assert "suppressed" not in _denials().filter(actor=people.enterprise).last().detail
    cache.delete(f"access-denied:{people.enterprise_2.pk}:10.1.2.3:forbidden")
    other.get(reverse("accounts:enterprise_list"), REMOTE_ADDR="10.1.2.3")
    assert _denials().filter(actor=people.enterprise_2).last().detail["suppressed"] == 2


def _formatted_lines(records):
    import logging

    from django.conf import settings

    formatter = logging.Formatter(settings.LOGGING["formatters"]["plain"]["format"].replace(" [%(request_id)s]", ""))
    return [formatter.format(record) for record in records]


@pytest.mark.parametrize("refusal", ["forbidden", "out_of_scope", "csrf"])
def test_a_refused_request_is_logged_as_one_line_without_a_traceback(people, caplog, refusal):
    import logging

    caplog.set_level(logging.WARNING)
    client = Client(enforce_csrf_checks=refusal == "csrf")
    if refusal == "forbidden":
        client.force_login(people.enterprise)
        assert client.get(reverse("accounts:enterprise_list")).status_code == 403
    elif refusal == "out_of_scope":
        client.force_login(people.district_2)
        url = reverse("accounts:registration_detail", args=[people.enterprise.organisation.public_id])
        assert client.get(url).status_code == 404
    else:
        client.force_login(people.district)
        url = reverse("accounts:registration_approve", args=[people.enterprise.organisation.public_id])
        assert client.post(url).status_code == 403
    records = [record for record in caplog.records if record.name.startswith(("django.request", "django.security"))]
    assert records
    for record, line in zip(records, _formatted_lines(records), strict=True):
        assert record.exc_info is None
        assert "\n" not in line and "Traceback" not in line


@pytest.mark.urls("tests.urls_with_error")
def test_a_server_error_keeps_its_traceback_in_the_log(client, people, caplog):
    client.raise_request_exception = False
    client.force_login(people.city)
    assert client.get("/boom/").status_code == 500
    errors = [record for record in caplog.records if record.name == "django.request"]
    assert errors and errors[0].exc_info is not None


def test_without_a_proxy_a_clients_request_id_is_not_believed(client, people, settings):
    settings.PROXY_COUNT = 0
    client.force_login(people.enterprise)
    response = client.get(reverse("accounts:enterprise_list"), HTTP_X_REQUEST_ID="victim-request-0001")
    assert response["X-Request-ID"] != "victim-request-0001"
    assert _denials().get().request_id == response["X-Request-ID"]


@pytest.mark.parametrize(
    ("incoming", "kept"),
    [
        ("3f2b8c1e-9d4a-4b7e-8f00-123456789abc", True),
        ("abcdef12-3456", True),
        ("A" * 64, True),
        ("A" * 65, False),
        ("short", False),
        ("abc def 12345", False),
        ("abcdef12\r\nX-Injected: 1", False),
        ("<script>alert(1)</script>", False),
        ("abcdef12_3456", False),
        ("请求编号一二三四五六七八", False),
    ],
)
def test_behind_a_proxy_its_request_id_is_kept_only_when_it_looks_like_one(client, people, settings, incoming, kept):
    settings.PROXY_COUNT = 1
    client.force_login(people.enterprise)
    response = client.get(reverse("accounts:enterprise_list"), HTTP_X_REQUEST_ID=incoming)
    assert (response["X-Request-ID"] == incoming) is kept
    assert re.fullmatch(r"[A-Za-z0-9-]{8,64}", response["X-Request-ID"])
    assert _denials().get().request_id == response["X-Request-ID"]
