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
