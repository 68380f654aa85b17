"""Each role's home page, navigation and to-do list; pages refused to roles that must not use them."""

import pytest
from django.urls import reverse

from accounts.choices import OrganisationStatus
from tests.factories import EnterpriseFactory, district

pytestmark = pytest.mark.django_db

NAV = {
    "enterprise": {"年度培育工作", "入库申请", "年度绩效数据", "绿色培育", "认定申报", "培训交流", "单位账号"},
    "park": {"年度绩效数据", "认定申报", "单位账号"},
    "district": {"注册审核", "信息变更审核", "企业名录", "年度培育工作", "入库审核", "培育库", "年度认定工作",
                 "认定审核", "提升方案进展", "培训交流", "评价机构名录"},
    "city": {"企业名录", "账号管理", "审计日志", "年度培育工作", "培育库", "年度认定工作", "认定审核", "提升方案进展",
             "培育总览", "培训交流", "评价机构名录", "拟认定名单"},
    "admin": {"企业名录", "账号管理", "审计日志", "系统管理", "年度培育工作", "培育库", "年度认定工作", "认定审核",
              "培育总览", "评价机构名录"},
    # They see cases through review tasks assigned to them (applications.ReviewTask).
    "expert": {"评审任务"},
    "evaluator": {"评审任务", "技术帮扶"},
    # 第十一条: a department answers on the proposed lists it was asked about.
    "department": {"评审任务", "拟认定名单"},
}
# Titles, certificates and the national recommendation (第十二条): the city's.
NAV["city"] = NAV["city"] | {"称号与证书"}
ALL_NAV = set().union(*NAV.values())


@pytest.mark.parametrize("role", sorted(NAV))
def test_each_role_sees_its_home_and_only_its_navigation(client, people, role):
    client.force_login(getattr(people, role))
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "工作台" in html
    labels = {item["item"].label for item in response.context["portal_nav"]}
    assert {str(label) for label in labels} - {"工作台"} == NAV[role]
    for hidden in ALL_NAV - NAV[role]:
        assert f">{hidden}<" not in html.replace("\n", "").replace("  ", "")


def test_the_district_to_do_list_holds_its_pending_registrations_with_a_count(client, people):
    EnterpriseFactory(status=OrganisationStatus.PENDING, name="待审A")
    EnterpriseFactory(status=OrganisationStatus.PENDING, name="待审B")
    EnterpriseFactory(status=OrganisationStatus.PENDING, name="外区待审", district=district("渝北区"))
    client.force_login(people.district)
    response = client.get(reverse("home"))
    html = response.content.decode()
    assert "待审A" in html
    assert "待审B" in html
    assert "外区待审" not in html
    assert response.context["todo_total"] == 2


def test_an_enterprise_with_nothing_waiting_sees_an_empty_to_do_list(client, people):
    client.force_login(people.enterprise)
    response = client.get(reverse("home"))
    assert response.context["todo_total"] == 0
    assert "暂无待办事项" in response.content.decode()


@pytest.mark.parametrize(
    ("url_name", "allowed"),
    [
        ("accounts:registration_queue", {"district"}),
        ("accounts:enterprise_list", {"district", "city", "admin"}),
        ("accounts:account_list", {"city", "admin"}),
        ("accounts:account_create", {"city", "admin"}),
        ("accounts:audit_log", {"city", "admin"}),
    ],
)
def test_official_pages_refuse_every_other_role(client, people, url_name, allowed):
    for role, user in people.all().items():
        client.force_login(user)
        status = client.get(reverse(url_name)).status_code
        if user.role in allowed:
            assert status == 200, (role, url_name)
        else:
            assert status == 403, (role, url_name)


def test_the_enterprise_directory_is_scoped_to_the_district(client, people):
    client.force_login(people.district)
    html = client.get(reverse("accounts:enterprise_list")).content.decode()
    assert people.enterprise.organisation.name in html
    assert people.enterprise_2.organisation.name not in html
    client.force_login(people.city)
    html = client.get(reverse("accounts:enterprise_list")).content.decode()
    assert people.enterprise.organisation.name in html
    assert people.enterprise_2.organisation.name in html


def test_an_enterprise_cannot_open_another_enterprises_record(client, people):
    client.force_login(people.enterprise)
    other = people.enterprise_2.organisation
    assert client.get(reverse("accounts:registration_detail", args=[other.public_id])).status_code == 404


def test_the_city_creates_a_district_official_who_must_change_the_password(client, people):
    client.force_login(people.city)
    response = client.post(reverse("accounts:account_create"), {
        "role": "district", "district": district("江北区").pk, "full_name": "钱七", "phone": "023-67001234",
        "email": "qianqi@example.com", "username": "jiangbei-official",
    })
    assert response.status_code == 200
    password = response.context["password"]
    from accounts.models import User

    user = User.objects.get(username="jiangbei-official")
    assert user.organisation.district.name == "江北区"
    assert user.must_change_password
    assert user.check_password(password)


def test_the_city_cannot_create_an_administrator_or_an_enterprise_account(client, people):
    client.force_login(people.city)
    for role in ("admin", "enterprise"):
        response = client.post(reverse("accounts:account_create"), {
            "role": role, "full_name": "某人", "phone": "13800000000", "email": "a@example.com",
            "username": f"bad-{role}",
        })
        assert response.status_code == 200
        assert response.context["form"].errors
    from accounts.models import User

    assert not User.objects.filter(username__startswith="bad-").exists()


def test_list_pages_cost_the_same_queries_for_1_and_50_rows(client, people, django_assert_num_queries):
    def count_queries(url):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    client.force_login(people.district)
    EnterpriseFactory(status=OrganisationStatus.PENDING)
    queue_1 = count_queries(reverse("accounts:registration_queue"))
    directory_1 = count_queries(reverse("accounts:enterprise_list"))
    EnterpriseFactory.create_batch(49, status=OrganisationStatus.PENDING)
    queue_50 = count_queries(reverse("accounts:registration_queue"))
    directory_50 = count_queries(reverse("accounts:enterprise_list"))
    assert queue_1 == queue_50
    assert directory_1 == directory_50
    # The queue: session, user with organisation, to-do count, unread count, rows, district codes (+ savepoints).
    with django_assert_num_queries(queue_50):
        client.get(reverse("accounts:registration_queue"))


def test_the_city_disables_and_re_enables_an_account_and_resets_a_password(client, people):
    from django.test import Client

    their_browser = Client()
    their_browser.force_login(people.district_2)
    client.force_login(people.city)
    client.post(reverse("accounts:account_toggle", args=[people.district_2.public_id]), {"active": "0"})
    people.district_2.refresh_from_db()
    assert not people.district_2.is_active
    assert their_browser.get(reverse("home")).status_code == 302
    client.post(reverse("accounts:account_toggle", args=[people.district_2.public_id]), {"active": "1"})
    people.district_2.refresh_from_db()
    assert people.district_2.is_active
    # Re-enabling does not bring the old session back (issue 6, item 12).
    assert their_browser.get(reverse("home")).status_code == 302

    response = client.post(reverse("accounts:account_reset_password", args=[people.district_2.public_id]))
    password = response.context["password"]
    people.district_2.refresh_from_db()
    assert people.district_2.check_password(password)
    assert people.district_2.must_change_password


def test_the_city_cannot_touch_an_administrator_and_a_district_cannot_touch_anyone(client, people):
    client.force_login(people.city)
    assert client.post(reverse("accounts:account_toggle", args=[people.admin.public_id]),
                       {"active": "0"}).status_code == 403
    client.force_login(people.district)
    assert client.post(reverse("accounts:account_toggle", args=[people.enterprise.public_id]),
                       {"active": "0"}).status_code == 403
    assert client.post(
        reverse("accounts:account_reset_password", args=[people.enterprise.public_id])).status_code == 403
    people.admin.refresh_from_db()
    people.enterprise.refresh_from_db()
    assert people.admin.is_active
    assert people.enterprise.is_active
