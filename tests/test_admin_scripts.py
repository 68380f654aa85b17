"""The admin's scripts speak the administrator's language too (the permission chooser on a group's page)."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_admin_script_catalogue_is_chinese(client, people):
    client.force_login(people.admin)
    response = client.get("/admin/jsi18n/")
    assert response.status_code == 200
    text = response.content.decode()
    # The catalogue is JSON: non-ASCII text may come escaped.
    assert "选择" in text or "\\u9009\\u62e9" in text


def test_make_run_starts_the_development_server_closing_each_requests_connection():
    """runserver answers each request in a thread of its own: a kept connection would outlive its thread, and a
    long session on PostgreSQL would use up the server's connections (found by a tester: 62 left open)."""
    from pathlib import Path

    script = (Path(__file__).resolve().parent.parent / "scripts" / "run.sh").read_text()
    [line] = [line for line in script.splitlines() if "manage.py runserver" in line and not line.startswith("#")]
    assert line.startswith('DATABASE_CONN_MAX_AGE="${DATABASE_CONN_MAX_AGE:-0}" ')
