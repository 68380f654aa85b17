"""Every factory builds a valid record, and every trait gives the state it names: the factories stay true as the
models change (a new required field, a new state, a new constraint fails here first)."""

import pytest
from django.utils import timezone

from accounts.choices import OrganisationStatus, Role
from accounts.models import ROLE_ORGANISATION_KIND, EmailStatus, IdentityChangeStatus, OrganisationKind
from applications.models import (
    CampaignPhase,
    CriterionResult,
    EntryCriterion,
    IntakeStatus,
    LibraryEntry,
    LibraryStatus,
)
from applications.services import REQUIRED_FOR_SUBMISSION
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data", "pinned_clock")]


def valid(record):
    """The record passes the model's own validation as it is stored (a protected state field cannot be cleaned:
    cleaning assigns it again, which django-fsm refuses; its value is checked by the trait tests)."""
    protected = [field.name for field in record._meta.fields if getattr(field, "protected", False)]
    record.full_clean(exclude=protected)
    return record


# --- One build of each factory ---------------------------------------------------------------------------------------

PLAIN = [
    f.DistrictFactory, f.IndustryFactory, f.OrganisationFactory, f.DistrictAuthorityFactory, f.CityAuthorityFactory,
    f.EnterpriseFactory, f.ParkFactory, f.UserFactory, *f.ROLE_USER_FACTORIES.values(), f.PendingRegistrationFactory,
    f.IdentityChangeFactory, f.CampaignFactory, f.CampaignTargetFactory, f.IntakeApplicationFactory,
    f.EntryCriterionResultFactory, f.StampedScanFactory, f.LibraryEntryFactory, f.ApplicationBanFactory,
    f.NotificationFactory, f.AuditEventFactory, f.DeadlineFactory, f.EmailPreferenceFactory, f.ReviewTaskFactory,
]


@pytest.mark.parametrize("factory_class", PLAIN, ids=lambda c: c.__name__)
def test_each_factory_builds_a_valid_record_twice(factory_class, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    first, second = factory_class(), factory_class()
    assert first.pk
    valid(second)


@pytest.mark.parametrize(("role", "factory_class"), list(f.ROLE_USER_FACTORIES.items()))
def test_each_role_factory_gives_the_role_its_kind_of_unit(role, factory_class):
    user = valid(factory_class())
    assert user.role == role
    if role == Role.ADMIN:
        assert user.organisation is None and user.is_staff and user.is_superuser
    else:
        assert user.organisation.kind == ROLE_ORGANISATION_KIND[role]
        assert not user.is_staff and not user.is_superuser
    assert user.check_password(f.PASSWORD)


@pytest.mark.parametrize(("trait", "field", "value"), [
    ("inactive", "is_active", False), ("password_expired", "must_change_password", True)])
def test_user_traits(trait, field, value):
    assert getattr(f.UserFactory(**{trait: True}), field) == value


def test_the_authority_factories_return_the_reference_data_units():
    changshou = f.district("长寿区")
    assert f.DistrictAuthorityFactory(district=changshou) == f.district_authority("长寿区")
    assert f.CityAuthorityFactory().kind == OrganisationKind.CITY
    assert f.CityAuthorityFactory() == f.CityAuthorityFactory()


@pytest.mark.parametrize("trait", ["evaluator", "department", "expert"])
def test_organisation_kind_traits(trait):
    assert valid(f.OrganisationFactory(**{trait: True})).kind == trait


# --- A trait per state -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("factory_class", [f.EnterpriseFactory, f.ParkFactory], ids=lambda c: c.__name__)
@pytest.mark.parametrize(("trait", "status", "decided"), [
    ("pending", OrganisationStatus.PENDING, False),
    ("approved", OrganisationStatus.ACTIVE, True),
    ("refused", OrganisationStatus.REFUSED, True),
])
def test_registration_traits(factory_class, trait, status, decided):
    organisation = valid(factory_class(**{trait: True}))
    organisation.refresh_from_db()
    assert organisation.status == status
    assert (organisation.decided_at is not None) == decided
    assert bool(organisation.refusal_reason) == (status == OrganisationStatus.REFUSED)


def test_a_pending_enterprise_can_be_approved_through_its_transition():
    """The trait writes a state the state machine can go on from."""
    enterprise = f.EnterpriseFactory(pending=True)
    assert {t.name for t in enterprise.get_available_status_transitions()} == {"approve", "refuse"}
    assert {t.name for t in f.EnterpriseFactory(refused=True).get_available_status_transitions()} == {"resubmit"}


@pytest.mark.parametrize(("trait", "confirmed"), [("unconfirmed", False), ("confirmed", True)])
def test_pending_registration_traits(trait, confirmed):
    registration = valid(f.PendingRegistrationFactory(**{trait: True}))
    assert (registration.confirmed_at is not None) == confirmed
    assert registration.data["email"] == registration.email


@pytest.mark.parametrize(("trait", "status"), [
    ("assigned", "assigned"), ("accepted", "accepted"), ("done", "done"), ("declined", "declined"),
])
@pytest.mark.parametrize("to_evaluator", [False, True])
def test_review_task_traits(trait, status, to_evaluator):
    task = valid(f.ReviewTaskFactory(**{trait: True, "to_evaluator": to_evaluator}))
    task.refresh_from_db()
    assert task.status == status
    assert (task.accepted_at is not None) == (status in ("accepted", "done"))
    assert (task.completed_at is not None) == (status == "done")
    assert bool(task.decline_reason) == (task.declined_at is not None) == (status == "declined")
    assert (task.district, task.applicant.pk) == (task.case.district, task.case.enterprise_id)
    assert task.assigned_by.organisation.district == task.case.district
    if to_evaluator:
        assert task.assignee_user is None and task.assignee_organisation.kind == "evaluator"
    else:
        assert task.assignee_organisation is None and task.assignee_user.role == Role.EXPERT


@pytest.mark.parametrize(("trait", "status"), [
    ("pending", IdentityChangeStatus.PENDING),
    ("approved", IdentityChangeStatus.APPROVED),
    ("refused", IdentityChangeStatus.REFUSED),
])
def test_identity_change_traits(trait, status):
    change = valid(f.IdentityChangeFactory(**{trait: True}))
    change.refresh_from_db()
    assert change.status == status
    decided = status != IdentityChangeStatus.PENDING
    assert (change.decided_by is not None, change.decided_at is not None) == (decided, decided)
    if decided:
        assert change.decided_by.role == Role.DISTRICT
        assert change.decided_by.organisation.district == change.enterprise.district
    assert change.requested_by.organisation_id == change.enterprise_id
    assert change.old_name == change.enterprise.name and change.new_credit_code != change.old_credit_code


@pytest.mark.parametrize("phase", CampaignPhase.values)
def test_campaign_phase_traits(phase):
    campaign = valid(f.CampaignFactory(**{phase: True}))
    assert campaign.phase() == phase
    assert campaign.district is None


def test_a_district_campaign_is_made_by_its_district():
    campaign = valid(f.CampaignFactory(of_district=True))
    assert campaign.district == campaign.created_by.organisation.district
    assert campaign.is_open()


def test_a_campaign_target_overrides_the_default():
    target = valid(f.CampaignTargetFactory(target=7))
    assert target.campaign.target_for(target.district) == 7


@pytest.mark.parametrize("status", IntakeStatus.values)
def test_intake_application_traits(status):
    application = valid(f.IntakeApplicationFactory(**{status: True}))
    application.refresh_from_db()
    assert application.status == status
    assert application.campaign.is_open()
    assert (application.submitted_at is not None) == (status != IntakeStatus.DRAFT)
    decided = status in (IntakeStatus.ACCEPTED, IntakeStatus.RETURNED, IntakeStatus.REJECTED)
    assert (application.decided_at is not None) == decided
    assert bool(application.decision_reason) == (status in (IntakeStatus.RETURNED, IntakeStatus.REJECTED))
    # Acceptance makes the library entry; nothing else does.
    assert LibraryEntry.objects.filter(application=application).exists() == (status == IntakeStatus.ACCEPTED)
    # The form is complete: what a submission needs is there.
    assert all(getattr(application, name) not in (None, "", []) for name in REQUIRED_FOR_SUBMISSION)


def test_an_intake_application_with_its_scan_and_criteria(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    application = f.IntakeApplicationFactory(submitted=True, scan=True, criteria=True)
    assert application.current_scan() is not None
    assert application.current_scan().uploaded_by.organisation_id == application.enterprise_id
    assert sorted(application.criteria.values_list("criterion", flat=True)) == sorted(EntryCriterion.values)
    assert f.IntakeApplicationFactory(accepted=True, library_entry=False).status == IntakeStatus.ACCEPTED


@pytest.mark.parametrize("result", CriterionResult.values)
def test_entry_criterion_result_traits(result):
    assert valid(f.EntryCriterionResultFactory(**{result: True})).result == result


@pytest.mark.parametrize("status", LibraryStatus.values)
def test_library_entry_traits(status):
    entry = valid(f.LibraryEntryFactory(**{status: True}))
    assert entry.status == status
    assert entry.application.status == IntakeStatus.ACCEPTED
    assert (entry.campaign, entry.enterprise, entry.district) == (
        entry.application.campaign, entry.application.enterprise, entry.application.district)
    assert LibraryEntry.objects.count() == 1


@pytest.mark.parametrize(("trait", "in_force"), [("in_force", True), ("expired", False)])
def test_application_ban_traits(trait, in_force):
    ban = valid(f.ApplicationBanFactory(**{trait: True}))
    assert ban.ends_on == ban.end_for(ban.starts_on)
    assert type(ban).objects.in_force_on(timezone.localdate()).filter(pk=ban.pk).exists() == in_force


@pytest.mark.parametrize("status", EmailStatus.values)
def test_notification_mail_traits(status):
    assert valid(f.NotificationFactory(**{f"mail_{status}": True})).email_status == status


@pytest.mark.parametrize(("trait", "read"), [("unread", False), ("read", True)])
def test_notification_read_traits(trait, read):
    assert (f.NotificationFactory(**{trait: True}).read_at is not None) == read


@pytest.mark.parametrize(("trait", "result"), [("success", "success"), ("failure", "failure")])
def test_audit_event_traits(trait, result):
    event = valid(f.AuditEventFactory(**{trait: True}))
    assert event.result == result and event.username == event.actor.username


# On the pinned Monday 2026-03-02: a week overdue is six working days (Saturday 02-28 was a make-up working day).
@pytest.mark.parametrize(("trait", "left", "overdue", "escalated", "open_"), [
    ("due_today", 0, 0, False, True), ("overdue", 0, 6, False, True), ("escalated", 0, 6, True, True),
    ("closed", 8, 0, False, False)])
def test_deadline_traits(trait, left, overdue, escalated, open_):
    from accounts.deadlines import deadline_days, deadlines_open_for_user
    from greenfactory.workdays import WorkingCalendar

    deadline = valid(f.DeadlineFactory(**{trait: True}))
    days = deadline_days(deadline, timezone.localdate(), WorkingCalendar())
    assert (days["left"], days["overdue"]) == (left, overdue)
    assert (deadline.escalated_to is not None) == escalated
    member = f.EnterpriseUserFactory(organisation=deadline.organisation)
    assert deadlines_open_for_user(member).exists() == open_
    assert deadline.subject == deadline.organisation.organisation_ptr
