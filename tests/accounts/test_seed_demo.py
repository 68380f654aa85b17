"""Reference data and demo data."""

import pytest
from django.core.management import CommandError, call_command

from accounts.choices import Role
from accounts.models import District, Enterprise, Industry, Organisation, OrganisationKind, User

pytestmark = pytest.mark.django_db

DEMO_USERS = {
    "demo-enterprise", "demo-park", "demo-district", "demo-city", "demo-expert", "demo-evaluator", "demo-department",
    "demo-admin", "demo-enterprise-2", "demo-district-2", "demo-enterprise-3", "demo-applicant", "demo-applicant-2",
}


def test_every_database_has_the_41_competent_departments_and_the_industries():
    assert District.objects.count() == 41
    assert District.objects.filter(kind="zone").count() == 3
    assert District.objects.get(code="500115").name == "长寿区"
    assert Organisation.objects.filter(kind=OrganisationKind.DISTRICT).count() == 41
    assert Organisation.objects.filter(kind=OrganisationKind.CITY).count() == 1
    assert Industry.objects.count() == 34
    assert Industry.objects.get(code="36").get_sector_display() == "汽车"


def test_seed_demo_is_idempotent_and_creates_one_user_per_role(settings):
    settings.DEMO_LOGIN_ENABLED = True
    call_command("seed_demo")
    counts = (User.objects.count(), Enterprise.objects.count(), Organisation.objects.count())
    call_command("seed_demo")
    assert (User.objects.count(), Enterprise.objects.count(), Organisation.objects.count()) == counts
    users = {u.username: u for u in User.objects.filter(is_demo=True).select_related("organisation__district")}
    assert set(users) == DEMO_USERS
    assert {u.role for u in users.values()} == set(Role.values)
    assert users["demo-district"].organisation.district.name != users["demo-district-2"].organisation.district.name
    assert users["demo-enterprise"].organisation.district == users["demo-district"].organisation.district
    assert users["demo-enterprise-2"].organisation.district == users["demo-district-2"].organisation.district
    assert all(u.check_password("GreenFactory-2026") for u in users.values())
    # Each demo district has a registration waiting, so the district's to-do list is not empty.
    for name in ("demo-district", "demo-district-2"):
        district = users[name].organisation.district
        assert Enterprise.objects.filter(district=district, status="pending").exists()


def test_an_administrator_keeps_an_edited_sector_when_reference_data_is_reloaded(settings):
    settings.DEMO_LOGIN_ENABLED = True
    Industry.objects.filter(code="41").update(sector="equipment")
    call_command("seed_demo")
    assert Industry.objects.get(code="41").sector == "equipment"


def test_seed_demo_is_refused_when_demo_login_is_off(settings):
    settings.DEMO_LOGIN_ENABLED = False
    with pytest.raises(CommandError, match="演示"):
        call_command("seed_demo")
    assert not User.objects.filter(is_demo=True).exists()
