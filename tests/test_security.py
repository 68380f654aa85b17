"""Controls from SECURITY.md that the foundation owns: deny by default, headers, deploy settings, error pages."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parent.parent

# The pages a visitor reaches without logging in, each with why. Everything else — every other URL the portal
# resolves, today's and tomorrow's — answers an anonymous visitor with a redirect to the login page (302), never a 404
# or a page: a new URL is closed until it is listed here.
PUBLIC_URL_NAMES = {
    "accounts:login": "the login page itself",
    "accounts:register": "an enterprise registers before it has an account",
    "accounts:register_sent": "after registering: check your mailbox",
    "accounts:register_confirm": "the link mailed to the registrant",
    "accounts:register_done": "after confirming: wait for the district",
    "accounts:password_reset": "a user who forgot the password",
    "accounts:password_reset_done": "after asking for a reset",
    "accounts:password_reset_confirm": "the link mailed for a reset",
    "accounts:password_reset_complete": "after the reset",
    "health": "the load balancer's and the monitor's check",
    "set_language": "the language switch on the login page",
    "admin:login": "the admin site's own login page",
    "admin:logout": "the admin site's logout (it redirects to the admin login)",
    "applications:campaign_notices": "the published campaigns: announcements to every enterprise",
    "applications:round_notices": "the published certification rounds (第三条: 公开)",
    # 第十一条: the notices of proposed lists (with the objection form) and the certification decisions.
    "applications:notice_list": "the public notices of proposed lists (第十一条: 公示)",
    "applications:notice_detail": "a notice with its units and, during its period, the objection form",
    "applications:decision_detail": "a certification decision with its list (第十一条: 发文认定)",
    "applications:decision_document": "a certification decision as its official document (PDF)",
    # Titles: the public directory and verification (第三条 公开, 第十二条); revocation announcements (第十八条)
    "applications:title_directory": "the directory of certified titles (第三条: 公开)",
    "applications:title_directory_csv": "the directory's rows as CSV, with its filters",
    "applications:title_directory_json": "the directory's rows as JSON, with its filters",
    "applications:title_verify": "certificate verification by number",
    "applications:title_verify_number": "certificate verification at the address the QR code holds",
    "supervision:announcement_list": "the revocation announcements (第十八条: 发文公告)",
    "supervision:announcement_detail": "one revocation announcement",
    "supervision:announcement_pdf": "one revocation announcement as an official document",
}


def _walk(resolver, prefix="", namespace=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), f"{namespace}{pattern.name}" if pattern.name else None


def _concrete(route: str) -> str:
    # Regular-expression routes (the admin's): a named group becomes its first alternative, or "x".
    route = re.sub(r"\(\?P<[^>]+>([\w-]+)(?:\|[^)]*)?\)", r"\1", route)
    route = re.sub(r"\(\?P<[^>]+>[^)]*\)", "x", route)
    route = re.sub(r"<uuid:[^>]+>", "00000000-0000-0000-0000-000000000000", route)
    route = re.sub(r"<int:[^>]+>", "1", route)
    route = re.sub(r"<(?:str:|slug:|path:)?[^>]+>", "x", route)
    route = route.replace("^", "").replace("$", "").replace("\\Z", "")
    return "/" + route


def _is_admin(route, name):
    return (name or "").startswith("admin:") or route.startswith("admin/")


def test_every_url_needs_login_unless_it_is_on_the_public_list(client):
    """Deny by default: a 302 to the login page that brings the visitor back (``next``). A 404 does not pass — it
    would hide a page whose login check is missing behind a lookup that happens to fail first."""
    checked = 0
    for route, name in _walk(get_resolver()):
        if name in PUBLIC_URL_NAMES:
            continue
        url = _concrete(route)
        response = client.get(url)
        # The admin site sends a visitor to its own login page, or the portal's login middleware sends them to the
        # portal's first; either way a login comes first.
        logins = [reverse("accounts:login")] + ([reverse("admin:login")] if _is_admin(route, name) else [])
        assert response.status_code == 302, (url, name, response.status_code)
        location = response["Location"]
        assert any(location.startswith(f"{login}?next=") for login in logins), (url, name, location)
        checked += 1
    assert checked > 15


def test_the_public_list_names_only_urls_that_exist_and_are_open():
    """The list stays true: each name resolves, and each answers an anonymous visitor without the login page."""
    client = Client()
    names = {name for _route, name in _walk(get_resolver())}
    assert set(PUBLIC_URL_NAMES) <= names, set(PUBLIC_URL_NAMES) - names
    for route, name in _walk(get_resolver()):
        if name in PUBLIC_URL_NAMES:
            response = client.get(_concrete(route))
            assert not response.get("Location", "").startswith(reverse("accounts:login")), name
            # A public record's page (a notice, a decision, an announcement) answers 404 for an id nobody published.
            answers = (200, 302, 400, 404) if "<uuid:" in route else (200, 302, 400)
            assert response.status_code in answers, (name, response.status_code)


def test_admin_pages_need_staff_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_plain_http_is_redirected_to_https_except_the_health_check(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 301
    assert response["Location"].startswith("https://")
    assert client.get(reverse("health")).status_code == 200
    response = client.get(reverse("accounts:login"), secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def _assert_security_headers(response):
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Request-ID"]


def test_security_headers_on_a_public_page(client):
    _assert_security_headers(client.get(reverse("accounts:login")))


def test_security_headers_on_a_logged_in_page(client, people):
    client.force_login(people.city)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    _assert_security_headers(response)


def test_security_headers_on_a_json_endpoint(client):
    _assert_security_headers(client.get(reverse("health")))


def test_no_inline_script_or_style_in_rendered_pages(client, people):
    client.force_login(people.district)
    for url in (reverse("home"), reverse("accounts:registration_queue"), reverse("accounts:enterprise_list")):
        html = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert " style=" not in html, url
        assert " onclick=" not in html, url


def test_csrf_is_enforced_on_login_and_registration(people):
    client = Client(enforce_csrf_checks=True)
    for url in (reverse("accounts:login"), reverse("accounts:register")):
        response = client.post(url, {"username": "x", "password": "y"})
        assert response.status_code == 403
        assert "页面已过期" in response.content.decode()


@pytest.mark.parametrize("debug", [False, True])
def test_a_csrf_refusal_explains_in_chinese_and_never_shows_djangos_reason(people, settings, debug):
    settings.DEBUG = debug
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.district)
    url = reverse("accounts:registration_approve", args=[people.enterprise.organisation.public_id])
    response = client.post(url)
    assert response.status_code == 403
    html = response.content.decode()
    assert "表单已经失效" in html and "另一个窗口" in html and "刷新页面后重新填写并提交" in html
    for reason in ("CSRF", "csrf", "token", "Referer", "Origin", "missing", "incorrect"):
        assert reason not in html.replace('name="csrfmiddlewaretoken"', ""), reason


def test_production_settings_pass_check_deploy():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "DEMO_"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "greenfactory.settings",
        "DJANGO_DEBUG": "false",
        "SECRET_KEY": "x7Qp2!vT9#mLw4$zR8^nB1&cY6*hJ3@kF5%dG0+sA2-eU9_iO4=rN7~tW1pZ3qX8",
        "ALLOWED_HOSTS": "lvse.cqjxw.gov.cn",
    })
    result = subprocess.run(  # noqa: S603  (our own manage.py with a fixed argument list)
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_without_a_secret_key_production_settings_refuse_to_start():
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DJANGO_DEBUG")}
    env["DJANGO_DEBUG"] = "false"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.urls("tests.urls_with_error")
def test_a_server_error_shows_a_chinese_message_and_the_request_id(client, people, settings):
    settings.PROXY_COUNT = 1  # the proxy's request id is kept; without a proxy the portal makes its own
    client.raise_request_exception = False
    client.force_login(people.city)
    response = client.get("/boom/", HTTP_X_REQUEST_ID="abcdef12-3456")
    assert response.status_code == 500
    body = response.content.decode()
    assert "系统繁忙" in body
    assert "abcdef12-3456" in body
    assert "secret internal detail" not in body
    assert "Traceback" not in body


@pytest.mark.parametrize("role", ["city", "district", "enterprise"])
def test_a_nul_byte_in_any_url_of_the_portal_answers_400_never_500(client, people, role):
    """Every route, GET with a NUL in its query and POST with a NUL in a field: 400, whatever the view reads."""
    client.force_login(getattr(people, role))
    checked = 0
    for route, _name in _walk(get_resolver()):
        url = _concrete(route)
        assert client.get(url + "?q=%00&page=%00").status_code == 400, url
        assert client.post(url, {"reason": "x\x00", "q": "a"}).status_code == 400, url
        checked += 1
    assert checked > 30


def test_signed_in_pages_and_downloads_are_not_cached_but_public_pages_may_be(client, people):
    assert "no-store" not in client.get(reverse("accounts:register")).get("Cache-Control", "")
    client.force_login(people.city)
    for url_name in ("home", "accounts:enterprise_list", "accounts:audit_log", "accounts:inbox"):
        assert "no-store" in client.get(reverse(url_name))["Cache-Control"], url_name
