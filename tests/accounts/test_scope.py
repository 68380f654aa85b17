"""Scope in one place (accounts.scope): every scoped model, every role, from both sides — the owner, the same and
the other district, the other enterprise, the park, the assigned and the unassigned expert, the evaluator
organisation's staff, the department, the public. Outside scope is 404."""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.access import allowed, is_active_applicant_member
from accounts.choices import Role
from accounts.models import District, IdentityChange, Organisation, OrganisationKind, User
from accounts.scope import ScopedQuerySet, is_applicant_member
from applications import selectors, workflows
from applications.choices import ReviewTaskKind, ReviewTaskStatus
from applications.models import (
    CultivationCampaign,
    IntakeApplication,
    IntakeStatus,
    LibraryEntry,
    ReviewTask,
)
from tests.factories import UserFactory, district

pytestmark = pytest.mark.django_db


@dataclass
class World:
    """Two enterprises in two districts, a park beside the first, each with a case of every kind; tasks that give
    the expert, the evaluator organisation and the department one case each (and the expert a declined one)."""

    users: dict
    records: dict


def _application(campaign, enterprise, **fields):
    return IntakeApplication.objects.create(
        campaign=campaign, enterprise=enterprise, district=enterprise.district, company_name=enterprise.name,
        credit_code=enterprise.credit_code, status=fields.pop("status", IntakeStatus.SUBMITTED),
        submitted_at=timezone.now(), **fields)


def _task(case, *, kind=ReviewTaskKind.EXPERT_REVIEW, assigned_by, status=ReviewTaskStatus.ASSIGNED, **assignee):
    return ReviewTask.objects.create(case=case, kind=kind, due_on=date(2030, 1, 1), assigned_by=assigned_by,
                                     district_id=case.district_id, applicant_id=case.enterprise_id, status=status,
                                     **assignee)


@pytest.fixture
def world(people):
    ent1 = people.enterprise.organisation.enterprise
    ent2 = people.enterprise_2.organisation.enterprise
    evaluator_org = people.evaluator.organisation
    other_evaluator_org = Organisation.objects.create(kind=OrganisationKind.EVALUATOR, name="另一评价机构")
    users = dict(people.all())
    users.update(
        expert_unassigned=UserFactory(username="expert-2", role=Role.EXPERT, organisation=people.expert.organisation),
        evaluator_colleague=UserFactory(username="evaluator-2", role=Role.EVALUATOR, organisation=evaluator_org),
        evaluator_other=UserFactory(username="evaluator-3", role=Role.EVALUATOR, organisation=other_evaluator_org),
        public=AnonymousUser(),
    )
    city_wide = CultivationCampaign.objects.create(year=2026, title="全市", opens_on=date(2026, 1, 1),
                                                   deadline=date(2026, 12, 31), created_by=people.city)
    changshou = CultivationCampaign.objects.create(year=2025, title="长寿", district=district("长寿区"),
                                                   opens_on=date(2025, 1, 1), deadline=date(2025, 12, 31),
                                                   created_by=people.district)
    yubei = CultivationCampaign.objects.create(year=2025, title="渝北", district=district("渝北区"),
                                               opens_on=date(2025, 1, 1), deadline=date(2025, 12, 31),
                                               created_by=people.district_2)
    a1 = _application(city_wide, ent1)
    a2 = _application(city_wide, ent2)
    l1 = LibraryEntry.objects.create(application=a1, campaign=city_wide, enterprise=ent1, district=ent1.district,
                                     industry=ent1.industry, sector="chemicals")
    l2 = LibraryEntry.objects.create(application=a2, campaign=city_wide, enterprise=ent2, district=ent2.district,
                                     industry=ent2.industry, sector="chemicals")
    change = {"reason": "更名", "old_credit_code": "x", "new_credit_code": "y"}
    ic1 = IdentityChange.objects.create(enterprise=ent1, old_name=ent1.name, new_name="新一", **change,
                                        requested_by=people.enterprise)
    ic2 = IdentityChange.objects.create(enterprise=ent2, old_name=ent2.name, new_name="新二", **change,
                                        requested_by=people.enterprise_2)
    records = {
        "a1": a1, "a2": a2, "l1": l1, "l2": l2, "ic1": ic1, "ic2": ic2,
        "c_city": city_wide, "c_changshou": changshou, "c_yubei": yubei,
        "t_expert": _task(a1, assigned_by=people.district, assignee_user=people.expert),
        "t_evaluator": _task(a1, kind=ReviewTaskKind.EVALUATION, assigned_by=people.enterprise,
                             assignee_organisation=evaluator_org),
        "t_department": _task(l2, kind=ReviewTaskKind.DEPARTMENT_OPINION, assigned_by=people.city,
                              assignee_user=people.department),
        "t_declined": _task(a2, assigned_by=people.district_2, assignee_user=people.expert,
                            status=ReviewTaskStatus.DECLINED),
        "o_ent1": ent1, "o_ent2": ent2, "o_park": people.park.organisation,
        "o_evaluator": evaluator_org, "o_department": people.department.organisation,
        "o_expert": people.expert.organisation,
    }
    return World(users=users, records=records)


EVERYONE = frozenset({"city", "admin"})
ROLES = ("enterprise", "enterprise_2", "park", "district", "district_2", "city", "admin", "expert",
         "expert_unassigned", "evaluator", "evaluator_colleague", "evaluator_other", "department", "public")

# Who sees which records of the world, model by model. The city and administrators see every one.
SEES = {
    IntakeApplication: {
        "enterprise": {"a1"}, "enterprise_2": {"a2"}, "district": {"a1"}, "district_2": {"a2"},
        # The expert's task on a2 was declined: a declined task no longer opens the case.
        "expert": {"a1"}, "evaluator": {"a1"}, "evaluator_colleague": {"a1"},
    },
    LibraryEntry: {
        "enterprise": {"l1"}, "enterprise_2": {"l2"}, "district": {"l1"}, "district_2": {"l2"}, "department": {"l2"},
    },
    IdentityChange: {"enterprise": {"ic1"}, "enterprise_2": {"ic2"}, "district": {"ic1"}, "district_2": {"ic2"}},
    CultivationCampaign: {
        **{role: {"c_city"} for role in ("expert", "expert_unassigned", "evaluator", "evaluator_colleague",
                                          "evaluator_other", "department")},
        "enterprise": {"c_city", "c_changshou"}, "park": {"c_city", "c_changshou"},
        "district": {"c_city", "c_changshou"}, "enterprise_2": {"c_city", "c_yubei"},
        "district_2": {"c_city", "c_yubei"},
    },
    ReviewTask: {
        # The applicant sees the evaluator it commissioned, not who reviews its case.
        "enterprise": {"t_evaluator"}, "district": {"t_expert", "t_evaluator"},
        "district_2": {"t_department", "t_declined"}, "expert": {"t_expert", "t_declined"},
        "evaluator": {"t_evaluator"}, "evaluator_colleague": {"t_evaluator"}, "department": {"t_department"},
    },
    Organisation: {
        "enterprise": {"o_ent1"}, "enterprise_2": {"o_ent2"}, "park": {"o_park"}, "district": {"o_ent1", "o_park"},
        "district_2": {"o_ent2"}, "expert": {"o_expert"}, "expert_unassigned": {"o_expert"},
        "evaluator": {"o_evaluator"}, "evaluator_colleague": {"o_evaluator"}, "department": {"o_department"},
    },
}


def _keys_of(model, world):
    return {key for key, record in world.records.items() if isinstance(record, model)}


def _seen(model, user, world):
    mine = _keys_of(model, world)
    pks = set(model.objects.visible_to(user).values_list("pk", flat=True))
    return {key for key in mine if world.records[key].pk in pks}


@pytest.mark.parametrize("model", list(SEES), ids=lambda m: m.__name__)
@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_exactly_its_records_of_every_scoped_model(world, model, role):
    expected = _keys_of(model, world) if role in EVERYONE else SEES[model].get(role, set())
    assert _seen(model, world.users[role], world) == expected


USER_SEES = {
    "enterprise": {"enterprise"}, "enterprise_2": {"enterprise_2"}, "park": {"park"},
    "district": {"enterprise", "park", "district"}, "district_2": {"enterprise_2", "district_2"},
    "expert": {"expert", "expert_unassigned"}, "expert_unassigned": {"expert", "expert_unassigned"},
    "evaluator": {"evaluator", "evaluator_colleague"}, "evaluator_colleague": {"evaluator", "evaluator_colleague"},
    "evaluator_other": {"evaluator_other"}, "department": {"department"},
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_the_accounts_of_its_unit_and_a_district_those_of_its_district(world, role):
    named = {name: user for name, user in world.users.items() if name != "public"}
    visible = set(User.objects.visible_to(world.users[role]).values_list("pk", flat=True))
    expected = set(named) if role in EVERYONE else USER_SEES.get(role, set())
    assert {name for name, user in named.items() if user.pk in visible} == expected


@pytest.mark.parametrize("role", ROLES)
def test_a_district_official_answers_for_its_own_district_only(world, role):
    names = set(District.objects.visible_to(world.users[role]).values_list("name", flat=True))
    if role in EVERYONE:
        assert len(names) == District.objects.count()
    else:
        assert names == {"district": {"长寿区"}, "district_2": {"渝北区"}}.get(role, set())


def test_the_public_reads_campaigns_that_have_opened_and_were_not_called_off(world, people):
    today = timezone.localdate()
    future = CultivationCampaign.objects.create(year=2031, title="未开始", opens_on=today + timedelta(days=3),
                                                deadline=today + timedelta(days=30), created_by=people.city)
    called_off = CultivationCampaign.objects.create(
        year=2032, title="未开展", opens_on=today + timedelta(days=3), deadline=today + timedelta(days=30),
        created_by=people.city, closed_at=timezone.now(), closed_by=people.city, closed_reason="取消")
    published = set(CultivationCampaign.objects.published())
    assert {world.records[key] for key in ("c_city", "c_changshou", "c_yubei")} <= published
    assert future not in published and called_off not in published
    assert future in CultivationCampaign.objects.published(today + timedelta(days=3))
    # Published is for the public's pages; it opens nothing signed-in scope does not.
    assert not CultivationCampaign.objects.visible_to(AnonymousUser()).exists()


def test_the_public_notice_page_lists_the_published_campaigns_in_one_query(client, world, people,
                                                                           django_assert_num_queries):
    today = timezone.localdate()
    CultivationCampaign.objects.create(year=2031, title="尚未开始的培育工作", opens_on=today + timedelta(days=3),
                                       deadline=today + timedelta(days=30), created_by=people.city)
    url = reverse("applications:campaign_notices")
    # One query: the published campaigns with their districts (no session, no user: the public page).
    with django_assert_num_queries(1):
        response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert all(world.records[key].title in page for key in ("c_city", "c_changshou", "c_yubei"))
    assert "尚未开始的培育工作" not in page
    assert url in client.get(reverse("accounts:login")).content.decode()


# --- 404 outside scope --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "case", "status"), [
    ("expert", "a1", 200), ("expert_unassigned", "a1", 404), ("expert", "a2", 404),
    ("evaluator", "a1", 200), ("evaluator_colleague", "a1", 200), ("evaluator_other", "a1", 404),
    ("department", "a1", 404), ("department", "a2", 404), ("park", "a1", 404),
    ("enterprise", "a1", 200), ("enterprise_2", "a1", 404), ("district", "a1", 200), ("district_2", "a1", 404),
])
def test_the_case_page_opens_for_those_in_scope_and_is_404_for_everyone_else(client, world, role, case, status):
    client.force_login(world.users[role])
    response = client.get(reverse("applications:intake_detail", args=[world.records[case].public_id]))
    assert response.status_code == status


def test_an_assigned_expert_reads_the_case_but_is_offered_no_decision(client, world):
    client.force_login(world.users["expert"])
    application = world.records["a1"]
    response = client.get(reverse("applications:intake_detail", args=[application.public_id]))
    assert response.status_code == 200
    assert not workflows.INTAKE.buttons(application, world.users["expert"])
    posted = client.post(reverse("applications:intake_action", args=[application.public_id, "accept"]))
    assert posted.status_code == 403
    application.refresh_from_db()
    assert application.status == IntakeStatus.SUBMITTED


def test_selectors_give_404_outside_scope(world):
    from django.http import Http404

    task = world.records["t_expert"]
    assert selectors.review_task_get_for_user(world.users["expert"], task.public_id) == task
    for role in ("expert_unassigned", "evaluator", "department", "enterprise", "district_2", "public"):
        with pytest.raises(Http404):
            selectors.review_task_get_for_user(world.users[role], task.public_id)
    with pytest.raises(Http404):
        selectors.intake_get_for_user(world.users["expert_unassigned"], world.records["a1"].public_id)
    # An assignee sees its own task on a case, not its colleagues'.
    assert list(selectors.review_tasks_on_case_for_user(world.users["expert"], world.records["a1"])) == [task]


# --- One scope branch for the applicant, whatever kind of organisation ------------------------------------------


def test_the_applicant_is_an_organisation_an_enterprise_and_a_park_take_one_path(world, people):
    park = people.park.organisation
    commission = ReviewTask.objects.create(
        case=world.records["l1"], kind=ReviewTaskKind.EVALUATION, due_on=date(2030, 1, 1),
        assigned_by=people.park, district_id=park.district_id, applicant_id=park.pk,
        assignee_organisation=people.evaluator.organisation)
    assert list(ReviewTask.objects.visible_to(people.park)) == [commission]
    assert is_applicant_member(people.park, park) and is_applicant_member(people.enterprise, world.records["o_ent1"])
    assert not is_applicant_member(people.enterprise, park)
    assert not is_applicant_member(people.district, people.district.organisation)
    assert is_active_applicant_member(people.park, park.pk)
    for role in ("enterprise", "park"):
        assert allowed("accounts.manage_colleagues", getattr(people, role))
    for role in ("district", "city", "expert", "evaluator", "department"):
        assert not allowed("accounts.manage_colleagues", getattr(people, role))


# --- Cost --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["enterprise", "district", "city", "expert", "evaluator", "department", "public"])
def test_scope_costs_no_query_of_its_own(world, role):
    """Building the scope reads nothing (the user's unit comes with the login); the list is one query whatever the
    branch — the assignment branch is an EXISTS inside it, the content type matched by name, not fetched."""
    user = world.users[role]
    if role != "public":
        user = User.objects.select_related("organisation").get(pk=user.pk)
    with CaptureQueriesContext(connection) as built:
        querysets = [model.objects.visible_to(user) for model in (*SEES, User, District)]
    assert len(built.captured_queries) == 0
    for queryset in querysets:
        with CaptureQueriesContext(connection) as listed:
            list(queryset)
        # A role with no branch on a model gets ``none()``: no query at all.
        assert len(listed.captured_queries) == (0 if queryset.query.is_empty() else 1), queryset.model
        assert role != "public" or queryset.query.is_empty()


def test_every_scoped_model_declares_its_paths_on_the_one_base():
    for model in (*SEES, User, District):
        assert isinstance(model.objects.all(), ScopedQuerySet), model
        assert "visible_to" not in type(model.objects.all()).__dict__, model
