"""The Django admin cannot change what the portal manages by its rules, and what it may change is audited (issue 6,
item 14, second round): campaigns, applications (their state, criteria results, scan hashes, decision reasons) and
library entries are shown only; bans, reference data, organisations and the holiday calendar are changed with an
audit record naming each field from → to; an enterprise's registered name and credit code are not changed here."""

import re
from datetime import date

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.forms.models import model_to_dict
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import AuditAction, AuditEvent, Enterprise, Industry
from applications.models import ApplicationBan, CampaignTarget, CultivationCampaign, IntakeApplication, LibraryEntry
from greenfactory.models import CalendarDay, CalendarYear
from tests.helpers import submitted, user_form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_clock")]


@pytest.fixture
def campaign(campaign, people):
    """The shared campaign, with a target of its own for the district."""
    CampaignTarget.objects.create(campaign=campaign, district=people.district.organisation.district, target=12)
    return campaign


def admin_url(obj, view="change"):
    info = f"{obj._meta.app_label}_{obj._meta.model_name}"
    return reverse(f"admin:{info}_{view}", args=[obj.pk] if view in ("change", "delete") else [])


def form_data(obj, request, **changes):
    """What the admin's change form posts for ``obj`` as it stands, with ``changes``."""
    model_admin = admin.site._registry[type(obj)]
    form_class = model_admin.get_form(request, obj)
    data = {}
    for name, value in model_to_dict(obj, fields=list(form_class.base_fields)).items():
        if value is None:
            continue
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    data.update(changes)
    return data


def admin_request(people):
    request = RequestFactory().get("/")
    request.user = people.admin
    return request


def admin_events():
    return AuditEvent.objects.filter(action=AuditAction.ADMIN_CHANGE)


# --- Shown only -------------------------------------------------------------------------------------------------------


def test_a_campaign_cannot_be_added_changed_or_deleted_in_the_admin(client, people, campaign):
    default_target = campaign.default_target
    client.force_login(people.admin)
    page = client.get(admin_url(campaign))
    assert page.status_code == 200
    html = page.content.decode()
    for field in ("deadline", "opens_on", "default_target", "closed_reason", "closed_at", "targets-0-target"):
        assert f'name="{field}"' not in html, field
    assert "2026-03-15" in html or "2026年3月15日" in html  # shown, read-only
    response = client.post(admin_url(campaign), {
        "year": 2026, "title": "改了", "opens_on": "2026-02-20", "deadline": "2027-12-31", "key_sectors": "[]",
        "default_target": 99, "closed_reason": "后台关闭", "closed_at_0": "2026-03-01", "closed_at_1": "10:00:00",
        "targets-TOTAL_FORMS": 1, "targets-INITIAL_FORMS": 1, "targets-0-id": campaign.targets.get().pk,
        "targets-0-campaign": campaign.pk, "targets-0-target": 999})
    assert response.status_code == 403
    assert client.get(admin_url(campaign, "add")).status_code == 403
    assert client.post(admin_url(campaign, "delete"), {"post": "yes"}).status_code == 403
    campaign.refresh_from_db()
    assert (campaign.title, campaign.deadline, campaign.default_target, campaign.closed_at) == (
        "2026年绿色工厂培育工作", date(2026, 3, 15), default_target, None)
    assert campaign.targets.get().target == 12
    assert not admin_events().exists()


def test_an_application_its_criteria_scans_and_library_entry_are_shown_only(client, people, campaign):
    from applications import services

    application = submitted(campaign, people.enterprise)
    services.intake_accept(application=application, actor=people.district)
    entry = LibraryEntry.objects.get()
    client.force_login(people.admin)
    html = client.get(admin_url(application)).content.decode()
    scan = application.scans.get()
    assert scan.sha256 in html  # shown to the administrator
    for field in ("status", "decision_reason", "criteria-0-result", "criteria-0-reason", "scans-0-sha256"):
        assert f'name="{field}"' not in html, field
    assert client.post(admin_url(application), {"status": "draft", "decision_reason": "后台改写",
                                                "scans-0-sha256": "0" * 64}).status_code == 403
    assert client.post(admin_url(entry), {"status": "mature"}).status_code == 403
    application = IntakeApplication.objects.get(pk=application.pk)
    assert application.status == "accepted"
    assert application.scans.get().sha256 == scan.sha256
    for model_admin in (admin.site._registry[IntakeApplication], admin.site._registry[CultivationCampaign]):
        request = admin_request(people)
        for inline in model_admin.get_inline_instances(request, application):
            assert not inline.has_add_permission(request, application)
            assert not inline.has_change_permission(request, application)
            assert not inline.has_delete_permission(request, application)


# --- Changed, and audited --------------------------------------------------------------------------------------------


def test_a_ban_recorded_and_corrected_in_the_admin_is_audited_and_never_deleted(client, people):
    client.force_login(people.admin)
    organisation = people.enterprise.organisation
    response = client.post(admin_url(ApplicationBan(), "add"), {
        "organisation": organisation.pk, "starts_on": "2024-05-01", "ends_on": "", "reason": "弄虚作假",
        "document_number": "渝经信〔2024〕1号"})
    assert response.status_code == 302, re.findall(r'errorlist.*?</ul>', response.content.decode(), re.S)
    ban = ApplicationBan.objects.get()
    added = admin_events().get()
    assert added.actor == people.admin and added.detail["operation"] == "added"
    assert added.detail["changes"]["reason"] == {"from": None, "to": "弄虚作假"}
    assert added.detail["changes"]["organisation"]["to"] == organisation.name
    response = client.post(admin_url(ban), form_data(ban, admin_request(people), reason="发生较大事故"))
    assert response.status_code == 302, response.content.decode()[:2000]
    changed = admin_events().latest("id")
    assert changed.detail["operation"] == "changed"
    assert changed.detail["changes"] == {"reason": {"from": "弄虚作假", "to": "发生较大事故"}}
    assert client.post(admin_url(ban, "delete"), {"post": "yes"}).status_code == 403
    assert ApplicationBan.objects.filter(pk=ban.pk).exists()


def test_an_enterprises_name_and_credit_code_are_read_only_and_other_changes_audited(client, people):
    enterprise = Enterprise.objects.get(pk=people.enterprise.organisation_id)
    client.force_login(people.admin)
    html = client.get(admin_url(enterprise)).content.decode()
    assert 'name="name"' not in html and 'name="credit_code"' not in html
    data = form_data(enterprise, admin_request(people), address="重庆市长寿区新址路8号",
                     name="后台改名有限公司", credit_code="91500115MA5U000000")
    response = client.post(admin_url(enterprise), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    enterprise.refresh_from_db()
    assert enterprise.name == "重庆长寿一号化工有限公司"
    assert enterprise.credit_code != "91500115MA5U000000"
    assert enterprise.address == "重庆市长寿区新址路8号"
    event = admin_events().get()
    assert event.object_id == str(enterprise.public_id)
    assert event.detail["changes"] == {"address": {"from": "重庆市长寿区测试路1号", "to": "重庆市长寿区新址路8号"}}
    # A save that changes nothing writes nothing.
    client.post(admin_url(enterprise), form_data(enterprise, admin_request(people)))
    assert admin_events().count() == 1


def test_reference_data_edited_in_the_changelist_is_audited(client, people):
    industry = Industry.objects.get(code="26")
    client.force_login(people.admin)
    before = industry.sector
    other = "materials" if before != "materials" else "chemicals"
    response = client.post(reverse("admin:accounts_industry_changelist") + f"?q={industry.code}", {
        "form-TOTAL_FORMS": 1, "form-INITIAL_FORMS": 1, "form-0-id": industry.pk, "form-0-sector": other,
        "_save": "保存"})
    assert response.status_code == 302, re.findall(r"errorlist.*?</ul>", response.content.decode(), re.S)
    event = admin_events().get()
    assert event.detail["changes"] == {"sector": {"from": before, "to": other}}


def test_the_holiday_calendar_and_its_inline_days_are_audited(client, people):
    client.force_login(people.admin)
    response = client.post(admin_url(CalendarYear(), "add"), {
        "year": 2027, "note": "国务院办公厅通知", "days-TOTAL_FORMS": 1, "days-INITIAL_FORMS": 0,
        "days-0-date": "2027-02-06", "days-0-kind": "holiday", "days-0-name": "春节"})
    assert response.status_code == 302, response.content.decode()[:3000]
    operations = sorted((e.object_type, e.detail["operation"]) for e in admin_events())
    assert operations == [("greenfactory.CalendarDay", "added"), ("greenfactory.CalendarYear", "added")]
    day = CalendarDay.objects.get()
    client.post(admin_url(day, "delete"), {"post": "yes"})
    assert not CalendarDay.objects.exists()
    deleted = admin_events().latest("id")
    assert deleted.detail["operation"] == "deleted"
    assert deleted.detail["changes"]["date"] == {"from": "2027-02-06", "to": None}


def test_lifting_a_lockout_in_the_admin_is_audited(client, people):
    attempt = AccessAttempt.objects.create(username="someone", ip_address="10.0.0.9", user_agent="x",
                                           http_accept="*/*", path_info="/", get_data="", post_data="",
                                           failures_since_start=5)
    client.force_login(people.admin)
    response = client.post(admin_url(attempt, "delete"), {"post": "yes"})
    assert response.status_code == 302
    event = admin_events().get()
    assert event.detail["operation"] == "deleted"
    assert event.detail["changes"]["username"] == {"from": "someone", "to": None}


def test_an_administrator_changing_a_users_email_or_user_name_is_audited(client, people):
    """The e-mail address receives the password-reset link: pointing it elsewhere would take the account over."""
    user = people.district_2
    client.force_login(people.admin)
    response = client.post(reverse("admin:accounts_user_change", args=[user.pk]),
                           user_form_data(user, email="elsewhere@example.com", username="renamed-user"))
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action=AuditAction.ACCOUNT_CHANGED)
    assert event.detail["changes"] == {"email": {"from": user.email, "to": "elsewhere@example.com"},
                                       "username": {"from": "district-user-2", "to": "renamed-user"}}


def test_a_groups_permissions_changed_in_the_admin_are_audited(client, people):
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.create(name="资料维护")
    permission = Permission.objects.get(codename="change_industry")
    client.force_login(people.admin)
    response = client.post(admin_url(group), {"name": "资料维护", "permissions": [permission.pk]})
    assert response.status_code == 302, re.findall(r"errorlist.*?</ul>", response.content.decode(), re.S)
    event = admin_events().get()
    assert event.detail["changes"] == {"permissions": {"from": [], "to": ["账号与单位 | 所属行业 | 可以修改所属行业"]}}
