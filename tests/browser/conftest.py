"""Playwright in Debian's Chromium (never a downloaded browser), against pytest-django's live server."""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium (make test does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="session", autouse=True)
def _plain_http_live_server():
    """The live server speaks plain HTTP on loopback (TLS is the proxy's job, tested in test_security.py). Its
    middleware reads these settings once, when the session-wide server starts, so they are set before it."""
    from django.conf import settings

    saved = {name: getattr(settings, name) for name in ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE",
                                                          "CSRF_COOKIE_SECURE")}
    for name in saved:
        setattr(settings, name, False)
    # Serve collected (hashed) static files from STATIC_ROOT, as production does, not through the finders, which
    # know no hashed names.
    import django.contrib.staticfiles.handlers as handlers
    from django.test.testcases import _StaticFilesHandler

    finder_handler = handlers.StaticFilesHandler
    handlers.StaticFilesHandler = _StaticFilesHandler
    yield
    handlers.StaticFilesHandler = finder_handler
    for name, value in saved.items():
        setattr(settings, name, value)


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="zh-CN", base_url=live_server.url, viewport={"width": 1280, "height": 900})
    # Nothing may be fetched from outside the portal: no CDN on a government intranet.
    outside = []

    def guard(route):
        if route.request.url.startswith(live_server.url) or route.request.url.startswith("data:"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    # A missing stylesheet or script would leave the page looking or behaving wrong without failing anything else.
    broken = []
    page.on("response", lambda response: broken.append(f"{response.status} {response.url}")
            if "/static/" in response.url and response.status >= 400 else None)
    page.set_default_timeout(15000)
    yield page
    context.close()
    assert outside == [], f"requests left the portal: {outside}"
    assert broken == [], f"static files failed to load: {broken}"
