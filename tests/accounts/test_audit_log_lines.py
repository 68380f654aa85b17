"""The audit log says what changed, one readable line each (issue 6, item 10, second round): a transition's states,
each field an administrator changed, an account switched off or on, a name or credit code changed, a campaign
corrected, extended or closed, and a refusal, with no query per row."""

import re
from datetime import date
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services
from accounts.choices import OrganisationStatus
from accounts.models import AuditAction, AuditEvent, Enterprise, User
from accounts.selectors import audit_row
from applications import services as application_services
from tests.factories import EnterpriseFactory, credit_code_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_clock")]


@pytest.fixture
def campaign(campaign):
    """The shared campaign, with a target of 20 a district."""
    campaign.default_target = 20
    campaign.save(update_fields=["default_target"])
    return campaign


def log_lines(client, **filters) -> list[str]:
    """Each row's change-and-note cell as text, newest first."""
    html = client.get(reverse("accounts:audit_log"), filters).content.decode()
    cells = re.findall(r'<td class="portal-audit-change">(.*?)</td>', html, re.S)
    return [" | ".join(unescape(t).strip() for t in re.findall(r"<div[^>]*>(.*?)</div>", cell, re.S)) for cell in cells]


def test_each_kind_of_event_reads_as_one_line_per_change(client, people, campaign):
    # A transition with its reason.
    pending = EnterpriseFactory(status=OrganisationStatus.PENDING)
    services.registration_refuse(organisation=pending, actor=people.district, reason="营业执照照片不清晰")
    # An account changed in the Django admin: role and organisation, active.
    user = User.objects.get(pk=people.district_2.pk)
    user.organisation = people.district.organisation
    user.is_active = False
    services.user_admin_save(actor=people.admin, user=user, created=False)
    # Another record changed in the Django admin.
    enterprise = Enterprise.objects.get(pk=people.enterprise_2.organisation_id)
    enterprise.address = "重庆市渝北区新址路8号"
    services.admin_save(actor=people.admin, obj=enterprise, created=False)
    # An account switched off in the portal.
    services.colleague_set_active(actor=people.city, colleague=people.expert, active=False)
    # A change of name approved.
    change = services.identity_change_request(actor=people.enterprise, new_name="重庆长寿一号新材料有限公司",
                                              new_credit_code=credit_code_for("500115", 818181), reason="工商变更")
    services.identity_change_approve(change=change, actor=people.district)
    # A campaign corrected, extended and closed.
    changshou = people.district.organisation.district
    application_services.campaign_update(campaign=campaign, actor=people.city, changes={"title": "2026年培育工作"},
                                         targets={changshou: 25})
    application_services.campaign_extend(campaign=campaign, actor=people.city, deadline=date(2026, 3, 31))
    application_services.campaign_close(campaign=campaign, actor=people.city, reason="名额已满")
    # A refusal.
    client.force_login(people.enterprise)
    client.get(reverse("accounts:audit_log"))

    client.force_login(people.city)
    lines = log_lines(client)
    expected = [
        "无权操作 | GET /accounts/audit/",
        "提前结束 | 名额已满",
        "截止日期：2026-03-15 → 2026-03-31",
        "名称：2026年绿色工厂培育工作 → 2026年培育工作 | 长寿区入库目标：20 → 25",
        "公司名称：重庆长寿一号化工有限公司 → 重庆长寿一号新材料有限公司 | 统一社会信用代码：",
        "待审核 → 已通过",
        "启用 → 停用",
        "在管理后台修改 | 通讯地址：重庆市长寿区测试路1号 → 重庆市渝北区新址路8号",
        "有效：是 → 否 | 所属单位：渝北区经信部门 → 长寿区经信部门 | 经管理后台",
        "待审核 → 注册未通过 | 营业执照照片不清晰",
    ]
    # Several changes of one record in the model's field order, whatever order the database keeps the keys in.
    for wanted in expected:
        assert any(line.startswith(wanted) for line in lines), (wanted, lines)


def test_a_registration_refused_for_a_taken_address_reads_as_such(client, people):
    services.audit_record(action=AuditAction.REGISTER_REQUESTED, username="newcomer", result="failure",
                          detail={"enterprise": "重庆某公司", "email": "x@example.com",
                                  "conflicts": ["email", "credit_code"]})
    client.force_login(people.city)
    assert [line for line in log_lines(client) if line] == ["未完成：电子邮箱、统一社会信用代码已被使用 | 重庆某公司"]


def test_the_audit_log_costs_the_same_queries_whatever_the_kinds_of_event(client, people, campaign):
    client.force_login(people.city)
    url = reverse("accounts:audit_log")
    services.audit_record(action=AuditAction.LOGIN, actor=people.district)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _round in range(3):
        application_services.campaign_update(campaign=campaign, actor=people.city,
                                             changes={"default_target": campaign.default_target + 1})
        campaign.refresh_from_db()
        enterprise = Enterprise.objects.get(pk=people.enterprise_2.organisation_id)
        enterprise.address += "甲"
        services.admin_save(actor=people.admin, obj=enterprise, created=False)
        services.colleague_set_active(actor=people.city, colleague=people.expert, active=False)
        services.colleague_set_active(actor=people.city, colleague=people.expert, active=True)
    assert AuditEvent.objects.count() > 10
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(one), [q["sql"] for q in many.captured_queries]


def test_a_rendered_form_downloaded_is_named_as_the_user_received_it_without_a_version(people):
    event = AuditEvent.objects.create(actor=people.enterprise, username=people.enterprise.username,
                                      action=AuditAction.DOWNLOAD, detail={"document": "intake_form.pdf"})
    row = audit_row(event)
    assert row["lines"] == ["绿色工厂培育入库申请表（PDF）"]
    assert "第版" not in row["change"]


def test_a_transitions_states_are_said_in_the_readers_language_whichever_was_asked_first(people):
    from django.utils import translation

    pending = EnterpriseFactory(district=people.enterprise.organisation.district, status=OrganisationStatus.PENDING)
    services.registration_refuse(organisation=pending, actor=people.district, reason="营业执照照片不清晰")
    event = AuditEvent.objects.get(action=AuditAction.TRANSITION)
    with translation.override("zh-hans"):
        assert audit_row(event)["lines"] == ["待审核 → 注册未通过"]
    with translation.override("en"):
        assert audit_row(event)["lines"] == ["Pending review → Registration rejected"]
    with translation.override("zh-hans"):
        assert audit_row(event)["lines"] == ["待审核 → 注册未通过"]
