"""Two officials deciding the same registration at once: one wins, one audit record, one e-mail."""


import pytest
from django.db import connection
from django_fsm_log.models import StateLog

from accounts import services
from accounts.choices import OrganisationStatus
from accounts.models import AuditAction, AuditEvent, Notification
from tests.factories import EnterpriseFactory, UserFactory, district_authority
from tests.helpers import filled, pdf_bytes, race

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def test_simultaneous_decisions_have_one_winner(people, mailoutbox):
    pending = EnterpriseFactory(status=OrganisationStatus.PENDING)
    applicant = UserFactory(organisation=pending, username="applicant")
    colleague = UserFactory(username="district-colleague", role="district", organisation=district_authority("长寿区"))
    outcomes = race(
        approve=lambda: services.registration_approve(organisation=pending, actor=people.district),
        refuse=lambda: services.registration_refuse(organisation=pending, actor=colleague, reason="材料不全"),
    )

    assert sorted(o[0] for o in outcomes) == ["conflict", "won"]
    winner = next(action for result, action in outcomes if result == "won")
    pending.refresh_from_db()
    assert pending.status == (OrganisationStatus.ACTIVE if winner == "approve" else OrganisationStatus.REFUSED)
    assert StateLog.objects.for_(pending).count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.TRANSITION, object_id=str(pending.public_id)).count() == 1
    assert Notification.objects.filter(recipient=applicant).count() == 1
    assert len([m for m in mailoutbox if m.to == [applicant.email]]) == 1


def test_simultaneous_intake_decisions_have_one_winner(people, mailoutbox):
    from datetime import timedelta

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from applications import services as intake
    from applications.models import CultivationCampaign, IntakeStatus, LibraryEntry
    today = timezone.localdate()
    campaign = CultivationCampaign.objects.create(year=today.year, title="并发测试", opens_on=today,
                                                  deadline=today + timedelta(days=5), created_by=people.city)
    application = intake.intake_submit(application=filled(campaign, people.enterprise), actor=people.enterprise)
    intake.scan_upload(application=application, actor=people.enterprise,
                       uploaded_file=SimpleUploadedFile("scan.pdf", pdf_bytes()))
    colleague = UserFactory(username="intake-colleague", role="district", organisation=district_authority("长寿区"))
    outcomes = race(
        accept=lambda: intake.intake_accept(application=application, actor=people.district),
        reject=lambda: intake.intake_reject(application=application, actor=colleague, reason="不符合入库标准"),
    )
    assert sorted(o[0] for o in outcomes) == ["conflict", "won"]
    application.refresh_from_db()
    winner = next(action for result, action in outcomes if result == "won")
    assert application.status == (IntakeStatus.ACCEPTED if winner == "accept" else IntakeStatus.REJECTED)
    assert StateLog.objects.for_(application).filter(source_state="submitted").count() == 1
    assert LibraryEntry.objects.filter(application=application).count() == (1 if winner == "accept" else 0)


def test_two_sweeps_at_once_remind_and_chase_once(people):
    from datetime import date

    from accounts.choices import DeadlineKind
    from accounts.deadline_reminders import deadlines_sweep
    from accounts.deadlines import deadline_open

    enterprise = people.enterprise.organisation
    deadline = deadline_open(subject=enterprise, kind=DeadlineKind.INTAKE_SUBMISSION, organisation=enterprise,
                             due_on=date(2026, 3, 13), start=date(2026, 3, 2))
    outcomes = race(first=lambda: deadlines_sweep(today=date(2026, 3, 18)),
                    second=lambda: deadlines_sweep(today=date(2026, 3, 18)))
    assert sorted(o[0] for o in outcomes) == ["won", "won"]
    assert Notification.objects.filter(recipient=people.enterprise, key__endswith=":overdue").count() == 1
    assert Notification.objects.filter(recipient=people.district, key__endswith=":escalated").count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.ESCALATED).count() == 1
    deadline.refresh_from_db()
    assert deadline.escalated_at is not None
