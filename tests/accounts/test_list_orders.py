"""The orders the long lists are read in: the account list (by role, unit, user name) and one district's directory
(by name)."""

import pytest

from accounts import selectors
from accounts.choices import Role
from accounts.models import User
from tests.factories import EnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db


# --- The account list ------------------------------------------------------------------------------------------------


def test_the_account_list_is_by_role_then_unit_in_creation_order_then_user_name(people):
    first, second = people.enterprise.organisation, people.enterprise_2.organisation
    UserFactory(username="ent-a", role=Role.ENTERPRISE, organisation=second)
    UserFactory(username="ent-z", role=Role.ENTERPRISE, organisation=first)
    listed = selectors.user_list_for_user(people.city)
    rows = [User.objects.get(pk=row["id"]) for row in listed[0:listed.count()]]
    assert rows == sorted(rows, key=lambda u: (u.role, u.organisation_id or 0, u.username))
    enterprise_users = [u.username for u in rows if u.role == Role.ENTERPRISE]
    # A unit's accounts together, the unit created first before the other, whatever their names.
    assert enterprise_users == ["ent-user", "ent-z", "ent-a", "ent-user-2"]


# --- One district's directory ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["district", "city"])
def test_one_districts_directory_is_by_name_across_pages(people, who):
    changshou = people.enterprise.organisation.district
    for name in ("丙公司", "甲公司", "乙公司", "丁公司"):
        EnterpriseFactory(district=changshou, name=name)
        EnterpriseFactory(district=people.enterprise_2.organisation.district, name=f"渝{name}")
    user = getattr(people, who)
    rows = selectors.enterprise_list_for_user(user, district=changshou if who == "city" else None)
    names = [e["name"] for e in rows[0:rows.count()]]
    assert names == sorted(e.name for e in changshou.organisation_set.filter(kind="enterprise"))
    assert [e["name"] for e in rows[2:4]] == names[2:4]


def test_the_account_search_finds_a_user_name_a_full_name_or_a_units_name_within_scope(people):
    UserFactory(username="ent-search-a", full_name="王某某", role=Role.ENTERPRISE,
                organisation=people.enterprise.organisation)
    UserFactory(username="zhang-wei", full_name="张伟明", role=Role.ENTERPRISE,
                organisation=people.enterprise_2.organisation)

    def found(query):
        rows = selectors.user_list_for_user(people.city, query=query)
        return {row["username"] for row in rows[0:rows.count()]}

    assert found("search") == {"ent-search-a"}
    assert found("张伟明") == {"zhang-wei"}
    assert found("长寿一号") == {"ent-user", "ent-search-a"}  # the unit 重庆长寿一号化工有限公司
    assert found("没有这个") == set()
    assert selectors.user_list_for_user(people.city, query="渝北二号", role=Role.ENTERPRISE).count() == 2
