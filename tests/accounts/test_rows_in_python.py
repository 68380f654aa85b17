"""The registration queue, the identity-change queue, the inbox and the filters' options are written in Python
(greenfactory.display): each cell still shows, escaped, with its link, warning, badge or empty-list line."""

import pytest
from django.urls import reverse

from accounts import services
from accounts.choices import OrganisationStatus
from accounts.models import IdentityChange, Notification
from tests.factories import EnterpriseFactory, credit_code_for

pytestmark = pytest.mark.django_db


def test_the_registration_queue_shows_each_cell_escaped_with_its_warning_or_a_dash(client, people):
    changshou = people.enterprise.organisation.district
    plain = EnterpriseFactory(status=OrganisationStatus.PENDING, district=changshou, name="<b>本区</b>待审企业")
    foreign = EnterpriseFactory(status=OrganisationStatus.PENDING, district=changshou, name="外地登记企业",
                                credit_code=credit_code_for("110105", 1))
    client.force_login(people.district)
    html = client.get(reverse("accounts:registration_queue")).content.decode()
    assert "&lt;b&gt;本区&lt;/b&gt;待审企业" in html and "<b>本区" not in html
    url = reverse("accounts:registration_detail", args=[plain.public_id])
    assert f'<a class="btn btn-sm btn-primary" href="{url}">审核</a>' in html
    row = html.split(foreign.name)[1].split("</tr>")[0]
    assert '<div class="text-warning-emphasis small"><i class="bi bi-exclamation-triangle"' in row
    assert "110105" in row and "不属于重庆市" in row
    row = html.split(plain.credit_code)[1].split("</tr>")[0]
    assert '<span class="text-muted small">—</span>' in row


def test_the_identity_change_queue_shows_each_request_with_its_link_or_says_there_is_none(client, people):
    client.force_login(people.district)
    assert "没有待审核的变更申请。" in client.get(reverse("accounts:identity_change_queue")).content.decode()
    services.identity_change_request(actor=people.enterprise, new_name="重庆<新>名称有限公司",
                                     new_credit_code=credit_code_for("500115", 700001), reason="变更登记")
    change = IdentityChange.objects.get()
    html = client.get(reverse("accounts:identity_change_queue")).content.decode()
    url = reverse("accounts:identity_change_detail", args=[change.public_id])
    assert f'<a href="{url}">{change.old_name}</a>' in html
    assert "重庆&lt;新&gt;名称有限公司" in html and change.new_credit_code in html
    assert people.enterprise.full_name in html and "没有待审核的变更申请。" not in html


def test_the_inbox_marks_unread_messages_and_shows_bodies_escaped(client, people):
    client.force_login(people.city)
    assert "暂无消息。" in client.get(reverse("accounts:inbox")).content.decode()
    services.notification_send(recipients=[people.city], title="已读的消息")
    Notification.objects.update(read_at="2026-03-01T08:00:00+08:00")
    services.notification_send(recipients=[people.city], title="新<消息>", body="正文 & <说明>")
    html = client.get(reverse("accounts:inbox")).content.decode()
    new, old = Notification.objects.get(read_at=None), Notification.objects.exclude(read_at=None).get()
    new_row = html.split(reverse("accounts:notification_open", args=[new.pk]))[1].split("</a>")[0]
    old_row = html.split(reverse("accounts:notification_open", args=[old.pk]))[1].split("</a>")[0]
    assert '<span class="badge text-bg-primary me-1">未读</span>新&lt;消息&gt;' in new_row
    assert '<div class="small text-body-secondary fw-normal">正文 &amp; &lt;说明&gt;</div>' in new_row
    assert "未读" not in old_row and "fw-normal" not in old_row
    assert 'list-group-item-action fw-semibold" href' in html.split(new_row)[0][-400:]


def test_the_filters_options_are_written_with_the_chosen_one_selected(client, people):
    client.force_login(people.city)
    html = client.get(reverse("accounts:audit_log"), {"action": "logout"}).content.decode()
    select = html.split('id="id_action">')[1].split("</select>")[0]
    assert select.startswith('<option value="">全部操作</option>')
    assert '<option value="logout" selected>退出</option>' in select
    assert select.count(" selected") == 1
    district = people.enterprise_2.organisation.district
    html = client.get(reverse("accounts:enterprise_list"), {"district": district.pk}).content.decode()
    select = html.split('id="id_district">')[1].split("</select>")[0]
    assert f'<option value="{district.pk}" selected>{district.name}</option>' in select
    assert select.count(" selected") == 1
    status = html.split('id="id_status">')[1].split("</select>")[0]
    assert status.startswith('<option value="" selected>全部状态</option>')
