"""Withdrawal and deletion racing a decision or a submission, on PostgreSQL's row locks: one winner, one record."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from django_fsm_log.models import StateLog

from accounts.models import AuditAction, AuditEvent
from applications import services
from applications.models import CultivationCampaign, IntakeApplication, IntakeStatus, LibraryEntry
from tests.helpers import filled, pdf_bytes, race

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


@pytest.fixture
def campaign(people):
    today = timezone.localdate()
    return CultivationCampaign.objects.create(year=today.year, title="并发测试", opens_on=today,
                                              deadline=today + timedelta(days=5), created_by=people.city)


def test_a_withdrawal_racing_the_districts_acceptance_has_one_winner(people, campaign):
    application = services.intake_submit(application=filled(campaign, people.enterprise), actor=people.enterprise)
    services.scan_upload(application=application, actor=people.enterprise,
                         uploaded_file=SimpleUploadedFile("scan.pdf", pdf_bytes()))
    outcomes = race(
        accept=lambda: services.intake_accept(application=application, actor=people.district),
        withdraw=lambda: services.intake_withdraw(application=application, actor=people.enterprise),
    )
    assert sorted(o[0] for o in outcomes) == ["conflict", "won"]
    winner = next(action for result, action in outcomes if result == "won")
    application.refresh_from_db()
    assert application.status == (IntakeStatus.ACCEPTED if winner == "accept" else IntakeStatus.WITHDRAWN)
    assert StateLog.objects.for_(application).filter(source_state="submitted").count() == 1
    assert LibraryEntry.objects.filter(application=application).count() == (1 if winner == "accept" else 0)
    transitions = AuditEvent.objects.filter(action=AuditAction.TRANSITION, object_id=str(application.public_id),
                                            detail__from="submitted")
    assert transitions.count() == 1


def test_deleting_a_draft_while_it_is_submitted_has_one_winner(people, campaign):
    application = filled(campaign, people.enterprise)
    outcomes = race(
        delete=lambda: services.intake_delete(application=application, actor=people.enterprise),
        submit=lambda: services.intake_submit(application=application, actor=people.enterprise),
    )
    assert sorted(o[0] for o in outcomes) == ["conflict", "won"]
    winner = next(action for result, action in outcomes if result == "won")
    remaining = IntakeApplication.objects.filter(pk=application.pk).first()
    if winner == "delete":
        assert remaining is None
    else:
        assert remaining.status == IntakeStatus.SUBMITTED
