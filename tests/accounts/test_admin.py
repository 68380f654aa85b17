"""The Django admin (issue 6, items 10 and 14): a role must fit its organisation's kind, changes that decide what an
account may do are audited, and the administrator reads Chinese throughout."""

import re

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import AuditAction, AuditEvent, Organisation, OrganisationKind, User
from tests.helpers import user_form_data

pytestmark = pytest.mark.django_db


def test_the_model_refuses_a_role_that_does_not_fit_the_organisation(people):
    user = people.district
    user.organisation = people.enterprise.organisation
    with pytest.raises(ValidationError) as error:
        user.full_clean()
    assert "只能属于“区县经信部门”类单位" in str(error.value)


@pytest.mark.parametrize(("role", "organisation"), [("district", "enterprise"), ("enterprise", "city"),
                                                    ("city", "district"), ("park", "enterprise")])
def test_the_admin_refuses_to_give_a_user_a_role_that_does_not_fit(client, people, role, organisation):
    target = getattr(people, organisation if organisation != "city" else "city")
    organisation_id = target.organisation_id
    user = people.enterprise_2
    client.force_login(people.admin)
    response = client.post(reverse("admin:accounts_user_change", args=[user.pk]),
                           user_form_data(user, role=role, organisation=organisation_id))
    assert response.status_code == 200
    assert "类单位" in response.content.decode()
    user.refresh_from_db()
    assert (user.role, user.organisation_id) == ("enterprise", people.enterprise_2.organisation_id)
    assert not AuditEvent.objects.filter(action=AuditAction.ACCOUNT_CHANGED).exists()


def test_the_admin_adding_a_user_with_a_misfit_role_is_refused(client, people):
    client.force_login(people.admin)
    response = client.post(reverse("admin:accounts_user_add"), {
        "username": "misfit", "full_name": "错配", "email": "misfit@example.com", "role": "district",
        "organisation": people.enterprise.organisation_id, "password1": "Admin-Made-2026x",
        "password2": "Admin-Made-2026x"})
    assert response.status_code == 200
    assert not User.objects.filter(username="misfit").exists()


def test_admin_changes_to_role_organisation_and_flags_are_audited_from_and_to(client, people):
    user = people.district_2
    client.force_login(people.admin)
    changshou = people.district.organisation_id
    response = client.post(reverse("admin:accounts_user_change", args=[user.pk]),
                           user_form_data(user, organisation=changshou, is_active=""))
    assert response.status_code == 302, response.content.decode()[:3000]
    event = AuditEvent.objects.get(action=AuditAction.ACCOUNT_CHANGED, object_id=str(user.public_id))
    assert event.actor == people.admin
    assert event.detail["changes"] == {
        "organisation": {"from": user.organisation_id, "to": changshou,
                         "from_name": "渝北区经信部门", "to_name": "长寿区经信部门"},
        "is_active": {"from": True, "to": False},
    }
    # A save that changes none of them writes nothing.
    user.refresh_from_db()
    client.post(reverse("admin:accounts_user_change", args=[user.pk]), user_form_data(user, full_name="改名"))
    assert AuditEvent.objects.filter(action=AuditAction.ACCOUNT_CHANGED).count() == 1


def test_an_organisation_cannot_change_kind_under_its_users(people):
    organisation = Organisation.objects.get(pk=people.enterprise_2.organisation_id)
    organisation.kind = OrganisationKind.DISTRICT
    with pytest.raises(ValidationError) as error:
        organisation.full_clean(exclude=["status"])  # the admin shows the state read-only
    assert "单位类别不能改为" in str(error.value)


ENGLISH = re.compile(r"\b[A-Z][a-z]{2,}(?:\s+[a-z]+)*\b|\bCan (?:add|change|delete|view)\b|\b(?:access|attempt)s?\b")


def _visible_text(html):
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", html)
    # A password's hash summary shows random letters.
    return re.sub(r"(?:哈希|盐|hash|salt)\W+\S+", " ", text)


def test_the_admin_reads_chinese_for_a_chinese_administrator(client, people):
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    meta = {"user_agent": "浏览器", "ip_address": "10.0.0.1", "http_accept": "*/*", "path_info": "/"}
    AccessAttempt.objects.create(username="someone", get_data="", post_data="", failures_since_start=5, **meta)
    AccessLog.objects.create(username="someone", **meta)
    AccessFailureLog.objects.create(username="someone", locked_out=True, **meta)
    client.force_login(people.admin)
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        urls += [reverse(f"admin:{info}_changelist"), reverse(f"admin:{info}_add")]
        first = model.objects.order_by("pk").first()
        if first is not None:
            urls.append(reverse(f"admin:{info}_change", args=[first.pk]))
    found = {}
    for url in urls:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        if response.status_code == 403:  # read-only records have no add page
            continue
        assert response.status_code == 200, url
        words = set(ENGLISH.findall(_visible_text(response.content.decode())))
        if words:
            found[url] = sorted(words)
    assert found == {}
