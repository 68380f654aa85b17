"""Races of certification on PostgreSQL's row locks: two district officials deciding one application at once (one wins,
the other is told the case has moved on, the history has one decision); two applicants taking an evaluator's last
place of the round (one gets it)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django_fsm_log.models import StateLog

from accounts.models import AuditAction, AuditEvent, Role
from applications import services
from applications.models import CertificationApplication, CertificationStatus
from evaluation import services as evaluation_services
from tests.applications.certification_setup import all_ok, make_round, ready_entry, register, started, submitted
from tests.factories import UserFactory, district_authority
from tests.helpers import race

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def test_two_officials_recommending_and_rejecting_at_once_have_one_winner(people):
    ready_entry(people)
    application = submitted(people, make_round(people))
    services.district_review_save(application=application, actor=people.district, items=all_ok(application))
    colleague = UserFactory(role=Role.DISTRICT, organisation=district_authority("长寿区"))
    outcomes = race(
        recommend=lambda: services.certification_recommend(application=application, actor=people.district),
        reject=lambda: services.certification_reject(application=application, actor=colleague, reason="不予推荐"),
    )
    assert sorted(result for result, _name in outcomes) == ["conflict", "won"]
    winner = next(name for result, name in outcomes if result == "won")
    status = CertificationApplication.objects.get(pk=application.pk).status
    assert status == (CertificationStatus.RECOMMENDED if winner == "recommend" else CertificationStatus.REJECTED)
    assert StateLog.objects.for_(application).filter(source_state="submitted").count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.TRANSITION, object_id=str(application.public_id),
                                     detail__from="submitted").count() == 1


def test_two_applicants_taking_an_organisations_last_place_have_one_winner(people):
    ready_entry(people)
    certification_round = make_round(people, evaluator_cap=1)
    factory, park = started(people, certification_round), started(people, certification_round, park=True)
    entry = register(people)
    due = timezone.localdate() + datetime.timedelta(days=10)
    results = []

    def commission(application, user):
        def run():
            try:
                evaluation_services.commission_evaluator(application=application, actor=user, register=entry,
                                                         due_on=due)
                results.append("won")
            except ValidationError:
                results.append("full")
        return run

    race(factory=commission(factory, people.enterprise), park=commission(park, people.park))
    assert sorted(results) == ["full", "won"]
    assert services.evaluations_in_round(entry.organisation_id, certification_round.pk) == 1
