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


def test_a_rerun_keeps_a_renamed_demo_enterprise_and_its_user_and_resets_no_password(settings):
    """Issue 6 follow-up: an approved identity change renamed the demo enterprise; a restarted `make run` must not
    create it again under the old code nor move its user (whose draft would then answer 404)."""
    from accounts import services
    from tests.factories import credit_code_for

    settings.DEMO_LOGIN_ENABLED = True
    call_command("seed_demo")
    user = User.objects.get(username="demo-enterprise")
    enterprise_id = user.organisation_id
    new_code = credit_code_for("500115", 424242)
    change = services.identity_change_request(actor=user, new_name="重庆长江绿源新材料集团有限公司",
                                              new_credit_code=new_code, reason="2026年工商变更登记")
    services.identity_change_approve(change=change, actor=User.objects.get(username="demo-district"))
    city = User.objects.get(username="demo-city")
    city.set_password("Changed-By-Owner-2026")
    city.save()
    counts = (User.objects.count(), Enterprise.objects.count(), Organisation.objects.count())

    call_command("seed_demo")

    assert (User.objects.count(), Enterprise.objects.count(), Organisation.objects.count()) == counts
    assert not Enterprise.objects.filter(credit_code="91500115MA5U7G2K1M").exists()
    assert Enterprise.objects.filter(name__startswith="重庆长江绿源").count() == 1
    user.refresh_from_db()
    assert user.organisation_id == enterprise_id
    assert user.organisation.name == "重庆长江绿源新材料集团有限公司"
    city.refresh_from_db()
    assert city.check_password("Changed-By-Owner-2026")


def test_a_rerun_creates_a_missing_demo_user_and_leaves_the_others_where_they_are(settings):
    settings.DEMO_LOGIN_ENABLED = True
    call_command("seed_demo")
    expert = User.objects.get(username="demo-expert")
    other_unit = Organisation.objects.create(kind=OrganisationKind.EXPERT, name="另一专家库")
    User.objects.filter(pk=expert.pk).update(organisation=other_unit, full_name="周静（调任）")
    # A demo user nothing of the demo points at (the department's liaison now holds a task on a proposed list).
    User.objects.filter(username="demo-applicant-2").delete()

    call_command("seed_demo")

    expert.refresh_from_db()
    assert (expert.organisation_id, expert.full_name) == (other_unit.pk, "周静（调任）")
    registrant = User.objects.get(username="demo-applicant-2")
    assert registrant.organisation.kind == OrganisationKind.ENTERPRISE
    assert registrant.check_password("GreenFactory-2026")


def test_the_demo_has_a_library_entry_waiting_for_demo_experts_scores(settings):
    from applications.models import LibraryEntry
    from evaluation.models import Assessment, ExpertScoring

    settings.DEMO_LOGIN_ENABLED = True
    call_command("seed_demo")
    call_command("seed_demo")
    entry = LibraryEntry.objects.get(enterprise__users__username="demo-enterprise-2")
    assessment = Assessment.objects.get(entry=entry)
    assert assessment.system.code == "演示体系" and assessment.figures is not None
    assert ExpertScoring.objects.get(assessment=assessment).expert.username == "demo-expert"
