"""Sessions die with the account (issue 6, item 12), toggles carry intent (item 13), a reset lifts a lockout and
e-mail addresses are unique in the database (item 19)."""

import re

import pytest
from django.core import mail
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse

from accounts import services
from accounts.models import AuditAction, AuditEvent, User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def logged_in(user):
    browser = Client()
    browser.force_login(user)
    assert browser.get(reverse("home")).status_code == 200
    return browser


def test_a_colleague_switched_off_and_on_again_does_not_get_the_old_session_back(client, people):
    colleague = UserFactory(username="colleague-x", organisation=people.enterprise.organisation)
    their_browser = logged_in(colleague)
    client.force_login(people.enterprise)
    url = reverse("accounts:colleague_toggle", args=[colleague.public_id])
    assert client.post(url, {"active": "0"}).status_code == 302
    assert client.post(url, {"active": "1"}).status_code == 302
    colleague.refresh_from_db()
    assert colleague.is_active
    assert their_browser.get(reverse("home")).status_code == 302
    # A fresh login works as before.
    assert logged_in(colleague)


def test_a_reset_by_the_city_ends_the_users_sessions(client, people):
    their_browser = logged_in(people.district_2)
    client.force_login(people.city)
    client.post(reverse("accounts:account_reset_password", args=[people.district_2.public_id]))
    assert their_browser.get(reverse("home")).status_code == 302


def test_the_admin_switching_an_account_off_ends_its_sessions_for_good(client, people):
    their_browser = logged_in(people.district_2)
    user = people.district_2
    user.is_active = False
    services.user_admin_save(actor=people.admin, user=user, created=False)
    user.is_active = True
    services.user_admin_save(actor=people.admin, user=user, created=False)
    assert their_browser.get(reverse("home")).status_code == 302
    events = AuditEvent.objects.filter(action=AuditAction.ACCOUNT_CHANGED, object_id=str(user.public_id))
    assert [e.detail["changes"]["is_active"] for e in events.order_by("timestamp", "id")] == [
        {"from": True, "to": False}, {"from": False, "to": True}]


def test_a_self_service_reset_ends_other_sessions_and_lifts_the_lockout(client, people, settings,
                                                                       django_capture_on_commit_callbacks):
    from axes.models import AccessAttempt

    settings.AXES_FAILURE_LIMIT = 3
    user = people.district
    their_browser = logged_in(user)
    for _ in range(3):
        client.post(reverse("accounts:login"), {"username": user.username, "password": "wrong"})
    locked = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert "_auth_user_id" not in client.session and locked.status_code in (403, 429, 200)
    assert AccessAttempt.objects.filter(username=user.username).exists()

    with django_capture_on_commit_callbacks(execute=True):  # the mail task is queued after commit
        client.post(reverse("accounts:password_reset"), {"email": user.email})
    body = mail.outbox[-1].body
    path = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", body).group(1)
    form_page = client.get(path, follow=True)
    response = client.post(form_page.request["PATH_INFO"],
                           {"new_password1": "Brand-New-Pass-2026", "new_password2": "Brand-New-Pass-2026"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username=user.username).exists()
    assert their_browser.get(reverse("home")).status_code == 302
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": "Brand-New-Pass-2026"})
    assert response.status_code == 302


@pytest.mark.parametrize(("view", "actor"), [("accounts:colleague_toggle", "enterprise"),
                                             ("accounts:account_toggle", "city")])
def test_a_repeated_or_stale_toggle_answers_409_and_changes_nothing(client, people, view, actor):
    target = (UserFactory(username="stale-x", organisation=people.enterprise.organisation) if actor == "enterprise"
              else people.district_2)
    client.force_login(getattr(people, actor))
    url = reverse(view, args=[target.public_id])
    assert client.post(url, {"active": "0"}).status_code == 302
    response = client.post(url, {"active": "0"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "已经是停用状态" in html
    assert reverse("accounts:colleagues" if actor == "enterprise" else "accounts:account_list") in html
    target.refresh_from_db()
    assert not target.is_active
    assert AuditEvent.objects.filter(object_id=str(target.public_id), action=AuditAction.ACCOUNT_DISABLED).count() == 1
    assert client.post(url, {"active": "1"}).status_code == 302
    assert client.post(url, {"active": "1"}).status_code == 409
    target.refresh_from_db()
    assert target.is_active


def test_a_toggle_without_the_wanted_state_changes_nothing(client, people):
    client.force_login(people.city)
    response = client.post(reverse("accounts:account_toggle", args=[people.district_2.public_id]))
    assert response.status_code == 400
    people.district_2.refresh_from_db()
    assert people.district_2.is_active


@pytest.mark.parametrize("role", ["enterprise_2", "district", "expert", "evaluator", "department", "park"])
def test_roles_without_the_right_cannot_toggle_an_account(client, people, role):
    client.force_login(getattr(people, role))
    response = client.post(reverse("accounts:account_toggle", args=[people.district_2.public_id]), {"active": "0"})
    assert response.status_code in (403, 404)
    people.district_2.refresh_from_db()
    assert people.district_2.is_active


def test_the_database_refuses_a_second_account_with_the_same_address_in_any_case(people):
    with pytest.raises(IntegrityError):
        User.objects.create(username="dup-mail", role="city", organisation=people.city.organisation,
                            email=people.city.email.upper(), full_name="重复")


def test_an_address_in_use_is_refused_on_the_account_forms_with_a_clear_message(client, people):
    client.force_login(people.enterprise)
    response = client.post(reverse("accounts:colleague_create"), {
        "username": "newcolleague", "full_name": "新同事", "phone": "13800001111",
        "email": people.district.email.upper()})
    assert "该电子邮箱已被其他账号使用" in response.content.decode()
    assert not User.objects.filter(username="newcolleague").exists()


def test_a_password_set_in_the_admin_ends_the_users_sessions_and_is_audited(client, people):
    their_browser = logged_in(people.district_2)
    client.force_login(people.admin)
    url = reverse("admin:auth_user_password_change", args=[people.district_2.pk])
    response = client.post(url, {"password1": "Admin-Set-Pass-2026", "password2": "Admin-Set-Pass-2026",
                                 "usable_password": "true"})
    assert response.status_code == 302
    assert their_browser.get(reverse("home")).status_code == 302
    people.district_2.refresh_from_db()
    assert people.district_2.must_change_password
    event = AuditEvent.objects.get(action=AuditAction.PASSWORD_RESET, object_id=str(people.district_2.public_id))
    assert event.actor == people.admin


def test_the_account_list_offers_the_buttons_only_for_accounts_one_may_manage(client, people):
    people.district.full_name = '<b>赵</b>"丽'
    people.district.save()
    client.force_login(people.admin)
    html = client.get(reverse("accounts:account_list")).content.decode()
    district_row = html.split(f"<td>{people.district.username}</td>", 1)[1].split("</tr>", 1)[0]
    assert "&lt;b&gt;赵&lt;/b&gt;&quot;丽" in district_row
    assert reverse("accounts:account_toggle", args=[people.district.public_id]) in district_row
    assert 'data-confirm="确认停用该账号？停用后该用户立即无法登录。"' in district_row
    assert district_row.count('name="csrfmiddlewaretoken" value="') == 2
    assert '<input type="hidden" name="active" value="0">' in district_row
    own_row = html.split(f"<td>{people.admin.username}</td>", 1)[1].split("</tr>", 1)[0]
    assert "<form" not in own_row  # not oneself
    response = client.post(reverse("accounts:account_toggle", args=[people.district.public_id]), {"active": "0"})
    assert response.status_code == 302
    people.district.refresh_from_db()
    assert not people.district.is_active
