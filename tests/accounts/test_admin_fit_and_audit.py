"""What the outside probe found in the Django admin (issue 6 follow-up): an administrator's role and the admin flags
fit only an administrator's account, an enterprise's registered identity is read-only there, and every other admin
change of a unit is audited from and to."""

import pytest
from django.urls import reverse

from accounts.models import AuditAction, AuditEvent, Enterprise, Organisation, OrganisationKind, Park, User
from tests.factories import district
from tests.helpers import user_form_data

pytestmark = pytest.mark.django_db


def _post_user(client, people, user, **changes):
    client.force_login(people.admin)
    return client.post(reverse("admin:accounts_user_change", args=[user.pk]), user_form_data(user, **changes))


@pytest.mark.parametrize("member", ["expert", "enterprise", "district", "department"])
def test_the_admin_refuses_the_administrator_role_for_an_account_of_a_unit(client, people, member):
    user = getattr(people, member)
    response = _post_user(client, people, user, role="admin")
    assert response.status_code == 200
    assert "“系统管理员”账号不属于任何单位" in response.content.decode()
    user.refresh_from_db()
    assert user.role == member
    assert not AuditEvent.objects.filter(action=AuditAction.ACCOUNT_CHANGED).exists()


@pytest.mark.parametrize("flag", ["is_staff", "is_superuser"])
@pytest.mark.parametrize("member", ["enterprise", "city", "district"])
def test_the_admin_refuses_staff_and_superuser_flags_for_a_non_administrator(client, people, member, flag):
    user = getattr(people, member)
    response = _post_user(client, people, user, **{flag: "on"})
    assert response.status_code == 200
    assert "只有“系统管理员”角色的账号可以登录管理后台" in response.content.decode()
    user.refresh_from_db()
    assert not user.is_staff and not user.is_superuser


def test_an_enterprise_account_refused_the_staff_flag_cannot_log_into_the_admin(client, people):
    _post_user(client, people, people.enterprise, is_staff="on", is_superuser="on")
    client.force_login(people.enterprise)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_an_administrator_without_a_unit_still_saves_in_the_admin(client, people):
    other = User.objects.create(username="admin-two", role="admin", email="admin-two@example.com",
                                full_name="管理员二", is_staff=True, is_superuser=True)
    response = _post_user(client, people, other, full_name="管理员贰")
    assert response.status_code == 302, response.content.decode()[:2000]
    other.refresh_from_db()
    assert other.full_name == "管理员贰"


def _enterprise_form(enterprise, **changes):
    data = {
        "name": enterprise.name, "district": enterprise.district_id, "credit_code": enterprise.credit_code,
        "industry": enterprise.industry_id, "ownership_type": enterprise.ownership_type,
        "address": enterprise.address, "postal_code": enterprise.postal_code,
        "founded_on": enterprise.founded_on.isoformat(), "registered_capital": str(enterprise.registered_capital),
        "main_products": enterprise.main_products,
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("admin_name", ["accounts_enterprise", "accounts_organisation"])
def test_the_admin_cannot_rename_an_enterprise_or_move_its_district_or_credit_code(client, people, admin_name):
    enterprise = Enterprise.objects.get(pk=people.enterprise.organisation_id)
    before = (enterprise.name, enterprise.credit_code, enterprise.district_id, enterprise.status)
    client.force_login(people.admin)
    url = reverse(f"admin:{admin_name}_change", args=[enterprise.pk])
    page = client.get(url).content.decode()
    assert 'name="name"' not in page and 'name="credit_code"' not in page and 'name="district"' not in page
    response = client.post(url, _enterprise_form(enterprise, name="冒名顶替有限公司", credit_code="91500000MA5U7G2K1X",
                                                 district=district("渝北区").pk, status="refused", kind="city"))
    assert response.status_code == 302, response.content.decode()[:3000]
    enterprise.refresh_from_db()
    assert (enterprise.name, enterprise.credit_code, enterprise.district_id, enterprise.status) == before
    assert enterprise.kind == OrganisationKind.ENTERPRISE


def test_other_admin_changes_of_an_enterprise_are_audited_from_and_to(client, people):
    enterprise = Enterprise.objects.get(pk=people.enterprise.organisation_id)
    client.force_login(people.admin)
    url = reverse("admin:accounts_enterprise_change", args=[enterprise.pk])
    response = client.post(url, _enterprise_form(enterprise, address="重庆市长寿区新地址1号", postal_code="401221"))
    assert response.status_code == 302, response.content.decode()[:3000]
    event = AuditEvent.objects.get(action=AuditAction.ADMIN_CHANGE)
    assert event.actor == people.admin and event.object_id == str(enterprise.public_id)
    assert event.detail["operation"] == "changed"
    assert event.detail["changes"] == {
        "address": {"from": enterprise.address, "to": "重庆市长寿区新地址1号"},
        "postal_code": {"from": enterprise.postal_code, "to": "401221"},
    }
    # Saving again without a change writes nothing more.
    enterprise.refresh_from_db()
    client.post(url, _enterprise_form(enterprise))
    assert AuditEvent.objects.filter(action=AuditAction.ADMIN_CHANGE).count() == 1


def test_admin_changes_creations_and_deletions_of_other_units_are_audited(client, people):
    client.force_login(people.admin)
    park = Park.objects.get(pk=people.park.organisation_id)
    response = client.post(reverse("admin:accounts_park_change", args=[park.pk]), {
        "name": "测试园区（更名）", "district": park.district_id, "credit_code": "", "park_type": park.park_type,
        "approval_level": park.approval_level, "managing_body": park.managing_body, "address": park.address})
    assert response.status_code == 302, response.content.decode()[:3000]
    changed = AuditEvent.objects.get(action=AuditAction.ADMIN_CHANGE)
    assert changed.detail["changes"] == {"name": {"from": "测试园区", "to": "测试园区（更名）"}}

    response = client.post(reverse("admin:accounts_organisation_add"),
                           {"kind": "evaluator", "name": "新评价机构", "credit_code": ""})
    assert response.status_code == 302, response.content.decode()[:3000]
    created = Organisation.objects.get(name="新评价机构")
    event = AuditEvent.objects.get(action=AuditAction.ADMIN_CHANGE, detail__operation="added")
    assert event.object_id == str(created.public_id) and event.detail["changes"]["kind"]["to"] == "evaluator"

    response = client.post(reverse("admin:accounts_organisation_delete", args=[created.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Organisation.objects.filter(pk=created.pk).exists()
    deleted = AuditEvent.objects.get(action=AuditAction.ADMIN_CHANGE, detail__operation="deleted")
    assert deleted.detail["changes"]["name"]["from"] == "新评价机构"


def test_the_admin_offers_no_enterprise_or_park_kind_for_a_bare_unit_and_no_enterprise_add(client, people):
    client.force_login(people.admin)
    page = client.get(reverse("admin:accounts_organisation_add")).content.decode()
    assert 'value="evaluator"' in page
    assert 'value="enterprise"' not in page and 'value="park"' not in page
    assert client.get(reverse("admin:accounts_enterprise_add")).status_code == 403


def test_user_names_are_unique_whatever_the_case_in_the_database(people):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="ENT-USER", role="admin", email="other@example.com", full_name="大写")


def test_the_admin_says_clearly_that_a_user_name_differing_only_in_case_is_taken(client, people):
    response = _post_user(client, people, people.enterprise_2, username="Ent-User")
    assert response.status_code == 200
    assert "该用户名已被使用（不区分大小写）" in response.content.decode()
    people.enterprise_2.refresh_from_db()
    assert people.enterprise_2.username == "ent-user-2"


def test_the_admin_applies_the_portal_character_rules_to_printed_fields(client, people):
    enterprise = Enterprise.objects.get(pk=people.enterprise.organisation_id)
    client.force_login(people.admin)
    response = client.post(reverse("admin:accounts_enterprise_change", args=[enterprise.pk]),
                           _enterprise_form(enterprise, address="重庆市长寿区\ufeff化北路1号", main_products="乙烯😀"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "U+FEFF" in page and "U+1F600" in page
    response = _post_user(client, people, people.district, full_name="赵\u00ad丽")
    assert response.status_code == 200 and "U+00AD" in response.content.decode()
    assert not AuditEvent.objects.filter(action__in=[AuditAction.ADMIN_CHANGE,
                                                     AuditAction.ACCOUNT_CHANGED]).exists()


@pytest.mark.parametrize(("changes", "name"), [
    ({"role": "admin"}, "user_admin_belongs_to_no_organisation"),
    ({"is_staff": True}, "user_staff_and_superuser_only_admin"),
    ({"is_superuser": True}, "user_staff_and_superuser_only_admin"),
])
def test_the_database_refuses_a_misfit_administrator_whatever_the_path(people, changes, name):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError, match=name), transaction.atomic():
        User.objects.filter(pk=people.expert.pk).update(**changes)


def test_createsuperuser_makes_a_system_administrator_of_no_unit(reference_data):
    from django.core.management import call_command

    call_command("createsuperuser", interactive=False, username="root-admin", email="root@example.com", verbosity=0)
    user = User.objects.get(username="root-admin")
    assert (user.role, user.organisation_id, user.is_staff, user.is_superuser) == ("admin", None, True, True)
