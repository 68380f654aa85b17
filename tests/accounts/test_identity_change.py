"""A change of the registered 公司名称 or 统一社会信用代码 goes through the profile with the district's approval
(issue 6, item 1, profile side)."""

import pytest
from django.urls import reverse
from django_fsm_log.models import StateLog

from accounts import services
from accounts.models import AuditAction, AuditEvent, Enterprise, IdentityChange, IdentityChangeStatus, Notification
from tests.factories import EnterpriseFactory, UserFactory, credit_code_for

pytestmark = pytest.mark.django_db

NEW_CODE = credit_code_for("500115", 818181)


def request_change(client, user, **overrides):
    data = {"new_name": "重庆长寿一号新材料有限公司", "new_credit_code": NEW_CODE, "reason": "2026年10月工商变更登记"}
    data.update(overrides)
    client.force_login(user)
    return client.post(reverse("accounts:identity_change_create"), data)


def test_an_enterprise_requests_a_change_and_its_district_is_told(client, people):
    enterprise = people.enterprise.organisation
    response = request_change(client, people.enterprise)
    assert response.status_code == 302
    change = IdentityChange.objects.get()
    assert (change.old_name, change.new_name, change.new_credit_code) == (enterprise.name, "重庆长寿一号新材料有限公司",
                                                                         NEW_CODE)
    enterprise.refresh_from_db()
    assert enterprise.name == "重庆长寿一号化工有限公司"  # unchanged until approved
    assert Notification.objects.filter(recipient=people.district, url__contains=str(change.public_id)).exists()
    assert not Notification.objects.filter(recipient=people.district_2).exists()
    event = AuditEvent.objects.get(action=AuditAction.IDENTITY_CHANGE_REQUESTED)
    assert event.detail["to"] == {"name": "重庆长寿一号新材料有限公司", "credit_code": NEW_CODE}
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "正在等待区县经信部门审核" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [({"new_credit_code": "91500115MA5U00000X"}, "校验"),
     ({"reason": ""}, "请填写“变更原因”。"),
     ({"new_name": "重庆长寿一号化工有限公司", "new_credit_code": "SAME"}, "无需变更")],
)
def test_a_bad_request_is_refused_with_a_message(client, people, overrides, message):
    if overrides.get("new_credit_code") == "SAME":
        overrides["new_credit_code"] = people.enterprise.organisation.credit_code
    response = request_change(client, people.enterprise, **overrides)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not IdentityChange.objects.exists()


def test_another_registered_enterprises_code_is_refused(client, people):
    response = request_change(client, people.enterprise, new_credit_code=people.enterprise_2.organisation.credit_code)
    assert "已由平台上的其他企业注册" in response.content.decode()
    assert not IdentityChange.objects.exists()


def test_one_open_request_at_a_time(client, people):
    request_change(client, people.enterprise)
    response = request_change(client, people.enterprise, new_name="另一个名字有限公司")
    assert "已有一项变更申请正在等待" in response.content.decode()
    assert IdentityChange.objects.count() == 1


def test_the_district_approves_and_the_enterprise_takes_the_new_identity(client, people):
    request_change(client, people.enterprise)
    change = IdentityChange.objects.get()
    client.force_login(people.district)
    queue = client.get(reverse("accounts:identity_change_queue")).content.decode()
    assert "重庆长寿一号新材料有限公司" in queue
    detail = client.get(reverse("accounts:identity_change_detail", args=[change.public_id])).content.decode()
    assert "data-confirm" in detail and "2026年10月工商变更登记" in detail
    response = client.post(reverse("accounts:identity_change_approve", args=[change.public_id]))
    assert response.status_code == 302
    enterprise = Enterprise.objects.get(pk=people.enterprise.organisation_id)
    assert (enterprise.name, enterprise.credit_code) == ("重庆长寿一号新材料有限公司", NEW_CODE)
    change.refresh_from_db()
    assert change.status == IdentityChangeStatus.APPROVED and change.decided_by == people.district
    log = StateLog.objects.for_(change).get()
    assert (log.by, log.source_state, log.state) == (people.district, "pending", "approved")
    event = AuditEvent.objects.get(action=AuditAction.ENTERPRISE_CHANGED)
    assert event.actor == people.district
    assert event.detail["from"] == {"name": "重庆长寿一号化工有限公司", "credit_code": change.old_credit_code}
    assert event.detail["to"] == {"name": "重庆长寿一号新材料有限公司", "credit_code": NEW_CODE}
    assert Notification.objects.filter(recipient=people.enterprise, title__contains="已通过").exists()
    # Decided once: a second decision answers 409.
    assert client.post(reverse("accounts:identity_change_approve", args=[change.public_id])).status_code == 409
    client.force_login(people.enterprise)
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert "由“重庆长寿一号化工有限公司”变更为现登记信息" in profile and NEW_CODE in profile


def test_the_district_refuses_with_a_reason_the_enterprise_reads(client, people):
    request_change(client, people.enterprise)
    change = IdentityChange.objects.get()
    client.force_login(people.district)
    url = reverse("accounts:identity_change_refuse", args=[change.public_id])
    assert client.post(url, {"reason": ""}).status_code == 400
    client.post(url, {"reason": "未附工商变更登记通知书"})
    change.refresh_from_db()
    assert change.status == IdentityChangeStatus.REFUSED
    assert Enterprise.objects.get(pk=people.enterprise.organisation_id).name == "重庆长寿一号化工有限公司"
    client.force_login(people.enterprise)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "未附工商变更登记通知书" in page
    # And it may ask again.
    assert request_change(client, people.enterprise).status_code == 302


def test_approval_is_refused_if_the_code_was_registered_meanwhile(client, people):
    request_change(client, people.enterprise)
    change = IdentityChange.objects.get()
    EnterpriseFactory(credit_code=NEW_CODE)
    client.force_login(people.district)
    client.post(reverse("accounts:identity_change_approve", args=[change.public_id]))
    change.refresh_from_db()
    assert change.status == IdentityChangeStatus.PENDING
    assert Enterprise.objects.get(pk=people.enterprise.organisation_id).credit_code != NEW_CODE


@pytest.mark.parametrize(("role", "status"), [
    ("district_2", 404), ("enterprise_2", 404), ("park", 404), ("expert", 404), ("evaluator", 404),
    ("department", 404), ("city", 403), ("admin", 403), ("enterprise", 403),
])
def test_only_the_enterprises_own_district_decides(client, people, role, status):
    request_change(client, people.enterprise)
    change = IdentityChange.objects.get()
    client.force_login(getattr(people, role))
    for action in ("identity_change_approve", "identity_change_refuse"):
        response = client.post(reverse(f"accounts:{action}", args=[change.public_id]), {"reason": "越权"})
        assert response.status_code == status
    change.refresh_from_db()
    assert change.status == IdentityChangeStatus.PENDING


@pytest.mark.parametrize(("role", "status"), [
    ("enterprise", 403), ("park", 403), ("city", 403), ("admin", 403), ("expert", 403), ("district", 200),
])
def test_the_queue_is_the_district_officials(client, people, role, status):
    client.force_login(getattr(people, role))
    assert client.get(reverse("accounts:identity_change_queue")).status_code == status


@pytest.mark.parametrize("role", ["district", "park", "city", "admin", "expert", "evaluator", "department"])
def test_only_an_enterprise_requests_a_change(client, people, role):
    client.force_login(getattr(people, role))
    assert client.get(reverse("accounts:identity_change_create")).status_code == 403
    assert request_change(client, getattr(people, role)).status_code == 403
    assert not IdentityChange.objects.exists()


def test_the_city_may_read_a_request_but_another_district_may_not(client, people):
    request_change(client, people.enterprise)
    change = IdentityChange.objects.get()
    url = reverse("accounts:identity_change_detail", args=[change.public_id])
    client.force_login(people.city)
    page = client.get(url)
    assert page.status_code == 200 and "approve-button" not in page.content.decode()
    client.force_login(people.district_2)
    assert client.get(url).status_code == 404


def test_the_district_sees_the_request_in_its_to_do_list(client, people):
    request_change(client, people.enterprise)
    client.force_login(people.district)
    home = client.get(reverse("home")).content.decode()
    assert "待审核的企业信息变更" in home and "审核企业信息变更" in home


def test_the_queue_costs_the_same_queries_for_1_and_30_requests(client, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import district

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("accounts:identity_change_queue")).status_code == 200
        return len(ctx.captured_queries)

    def one_request(n):
        enterprise = EnterpriseFactory(district=district("长寿区"))
        user = UserFactory(username=f"ic-{n}", organisation=enterprise)
        services.identity_change_request(actor=user, new_name=f"新名称{n}有限公司",
                                         new_credit_code=credit_code_for("500115", 700000 + n), reason="变更登记")

    one_request(0)
    client.force_login(people.district)
    first = count()
    for n in range(1, 30):
        one_request(n)
    # Session, user with organisation, the to-do counts and unread count of the navigation, then one query for
    # the rows with enterprise, district and requester: the same however many rows.
    assert count() == first


def test_the_queue_reads_its_rows_in_one_query(people, django_assert_num_queries):
    from accounts import selectors

    for n in range(3):
        enterprise = EnterpriseFactory(district=people.district.organisation.district)
        user = UserFactory(username=f"pin-{n}", organisation=enterprise)
        services.identity_change_request(actor=user, new_name=f"新名{n}有限公司",
                                         new_credit_code=credit_code_for("500115", 810000 + n), reason="变更")
    # One query: the open requests with their requester's name — everything the queue's rows and the to-do list
    # show (the enterprise and its district are only the scope's condition).
    with django_assert_num_queries(1):
        rows = [(c.old_name, c.new_name, c.old_credit_code, c.new_credit_code, c.created_at, c.public_id,
                 c.requested_by.full_name) for c in selectors.identity_change_queue_for_user(people.district)]
    assert len(rows) == 3
