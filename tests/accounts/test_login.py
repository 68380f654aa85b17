"""Login, lockout, idle timeout, forced password change and demo accounts."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditAction, AuditEvent
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def login(client, username, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_login_succeeds_rotates_the_session_and_is_audited(client, people):
    client.get(reverse("accounts:login"))
    before = client.session.session_key
    response = login(client, people.city.username)
    assert response.status_code == 302
    assert client.session.session_key != before
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, actor=people.city).count() == 1


def test_known_and_unknown_users_get_the_same_answer(client, people):
    known = login(client, people.city.username, "wrong-password").content.decode()
    unknown = login(client, "nobody-at-all", "wrong-password").content.decode()
    message = "用户名或密码不正确"
    assert message in known
    assert message in unknown
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).count() == 2


def test_repeated_failures_lock_the_account_even_for_the_right_password(client, people, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, people.city.username, "wrong-password")
    response = login(client, people.city.username)
    assert response.status_code == 429
    assert "已暂时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action=AuditAction.LOCKED_OUT).exists()


def test_the_lockout_is_per_username_so_others_can_still_log_in(client, people, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, people.city.username, "wrong-password")
    assert login(client, people.district.username).status_code == 302


def test_an_idle_session_expires(client, people, settings):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.force_login(people.city)
        assert client.get(reverse("home")).status_code == 200
        traveller.shift(timedelta(seconds=settings.SESSION_COOKIE_AGE - 60))
        assert client.get(reverse("home")).status_code == 200  # activity renews the session
        traveller.shift(timedelta(seconds=settings.SESSION_COOKIE_AGE + 60))
        response = client.get(reverse("home"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_logout_is_post_only_and_ends_the_session(client, people):
    client.force_login(people.city)
    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("home")).status_code == 302


def test_deactivating_a_user_ends_their_session(client, people):
    client.force_login(people.city)
    people.city.is_active = False
    people.city.save()
    assert client.get(reverse("home")).status_code == 302


def test_a_new_account_must_change_its_password_first(client, people):
    user = UserFactory(role="city", organisation=people.city.organisation, must_change_password=True)
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response["Location"] == reverse("accounts:password_change")
    response = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "Brand-New-Pass-77", "new_password2": "Brand-New-Pass-77",
    })
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password
    assert client.get(reverse("home")).status_code == 200


def test_an_expired_password_must_be_changed(client, people, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    people.city.password_changed_at = timezone.now() - timedelta(days=91)
    people.city.save()
    client.force_login(people.city)
    assert client.get(reverse("home"))["Location"] == reverse("accounts:password_change")


def test_password_complexity_is_enforced(client, people):
    client.force_login(people.city)
    response = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "alllowercaseletters", "new_password2": "alllowercaseletters",
    })
    assert response.status_code == 200
    assert "至少3类" in response.content.decode()


def test_demo_accounts_are_refused_when_demo_login_is_off(client, people, settings):
    demo = UserFactory(username="demo-x", role="city", organisation=people.city.organisation, is_demo=True)
    settings.DEMO_LOGIN_ENABLED = False
    response = login(client, demo.username)
    assert response.status_code == 200
    assert "演示账号在正式环境中不可登录" in response.content.decode()
    settings.DEMO_LOGIN_ENABLED = True
    assert login(client, demo.username).status_code == 302


def test_password_reset_mails_a_working_link(client, people, mailoutbox, settings,
                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the mail task is queued after commit
        client.post(reverse("accounts:password_reset"), {"email": people.city.email})
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    assert "重设" in mailoutbox[0].subject
    link = next(line for line in body.splitlines() if "/password/reset/" in line).strip()
    # The link is built from the configured address (PORTAL_BASE_URL), never from the request's Host header.
    assert link.startswith(settings.PORTAL_BASE_URL.rstrip("/") + "/")
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    response = client.get(path, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "Reset-Pass-2026x", "new_password2": "Reset-Pass-2026x"})
    assert response.status_code == 302
    people.city.refresh_from_db()
    assert people.city.check_password("Reset-Pass-2026x")


def test_password_reset_gives_the_same_answer_for_unknown_addresses(client, people, mailoutbox,
                                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mailoutbox == []


def test_the_initial_password_cannot_be_kept(client, people):
    user = UserFactory(role="city", organisation=people.city.organisation, must_change_password=True)
    client.force_login(user)
    response = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD,
    })
    assert response.status_code == 200
    assert "新密码不能与原密码相同" in response.content.decode()
    user.refresh_from_db()
    assert user.must_change_password


def test_password_rule_messages_are_chinese(client, people):
    client.force_login(people.city)
    response = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "Ab1!", "new_password2": "Ab1!",
    })
    html = response.content.decode()
    assert "密码至少需要10个字符" in html
    assert "too short" not in html
