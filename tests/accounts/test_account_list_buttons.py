"""The account list shows only the buttons the user may use (the services' own rule), and the 403 page does not send
the city to itself (issue 6, second walk-through)."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _row(html, username):
    return re.search(rf"<tr><td>{re.escape(username)}</td>.*?</tr>", html, re.S).group(0)


def test_the_city_sees_no_buttons_on_an_administrators_row_or_its_own(client, people):
    client.force_login(people.city)
    html = client.get(reverse("accounts:account_list")).content.decode()
    for username in (people.admin.username, people.city.username):
        row = _row(html, username)
        assert "停用" not in row.split("</td>", 5)[-1] and "重置密码" not in row
    row = _row(html, people.district.username)
    assert "重置密码" in row and 'name="active" value="0"' in row


def test_an_administrator_sees_the_buttons_on_another_administrators_row(client, people):
    from tests.factories import UserFactory

    other = UserFactory(username="admin-2", role="admin", organisation=None)
    client.force_login(people.admin)
    html = client.get(reverse("accounts:account_list")).content.decode()
    assert "重置密码" in _row(html, other.username)


def test_the_403_does_not_send_the_city_to_itself(client, people):
    client.force_login(people.city)
    response = client.post(reverse("accounts:account_reset_password", args=[people.admin.public_id]))
    assert response.status_code == 403
    html = response.content.decode()
    assert "市经济信息委" not in html
    assert "系统管理员" in html
    client.force_login(people.enterprise)
    html = client.get(reverse("accounts:account_list")).content.decode()
    assert "联系本单位管理员" in html


def test_in_english_the_status_is_a_state_and_the_button_an_action(client, people, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(people.city)
    row = _row(client.get(reverse("accounts:account_list")).content.decode(), people.district.username)
    assert "<td>Enabled</td>" in row and ">Disable</button>" in row


def test_the_inbox_offers_to_mark_all_read_only_when_something_is_unread(client, people):
    from accounts.inbox import notification_mark_read, notification_send

    client.force_login(people.district)
    notification_send(recipients=[people.district], title="新的待办", email=False)
    assert "全部标为已读" in client.get(reverse("accounts:inbox")).content.decode()
    notification_mark_read(user=people.district)
    assert "全部标为已读" not in client.get(reverse("accounts:inbox")).content.decode()


def test_marking_every_message_read_says_so(client, people):
    from accounts.inbox import notification_send

    client.force_login(people.district)
    notification_send(recipients=[people.district], title="新的待办", email=False)
    response = client.post(reverse("accounts:inbox_mark_read"), {"notification": ""}, follow=True)
    page = response.content.decode()
    assert "全部消息已标为已读。" in page and "全部标为已读" not in page
