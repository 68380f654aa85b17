"""The data migrations open the clocks of cases already running when the clocks arrived."""

import importlib
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps

from accounts.choices import DeadlineKind, OrganisationStatus
from accounts.models import Deadline
from applications.models import CultivationCampaign, IntakeApplication, IntakeStatus
from tests.factories import EnterpriseFactory, district

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _migration(app, name):
    return importlib.import_module(f"{app}.migrations.{name}")


def test_a_waiting_registration_gets_its_districts_review_clock_once(people):
    with time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI), tick=False):
        waiting = EnterpriseFactory(status=OrganisationStatus.PENDING, district=district("长寿区"))
    EnterpriseFactory(status=OrganisationStatus.ACTIVE, district=district("长寿区"))
    migration = _migration("accounts", "0014_clock_open_registration_reviews")
    migration.open_review_clocks(apps, None)
    migration.open_review_clocks(apps, None)
    clock = Deadline.objects.get()
    assert (clock.kind, clock.object_id, clock.organisation_id) == (
        DeadlineKind.REGISTRATION_REVIEW, waiting.pk, people.district.organisation_id)
    assert clock.due_on == date(2026, 3, 9)  # 5 working days after Monday 03-02
    assert clock.opened_at == waiting.created_at


def test_an_open_draft_gets_its_submission_clock_and_a_closed_campaigns_does_not(people):
    with time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI), tick=False):
        campaign = CultivationCampaign.objects.create(year=2026, title="培育", opens_on=date(2026, 2, 20),
                                                      deadline=date(2026, 3, 15), created_by=people.city)
        enterprise = people.enterprise.organisation.enterprise
        draft = IntakeApplication.objects.create(campaign=campaign, enterprise=enterprise,
                                                 district=enterprise.district, company_name=enterprise.name,
                                                 credit_code=enterprise.credit_code)
        over = CultivationCampaign.objects.create(year=2025, title="往年", opens_on=date(2025, 2, 20),
                                                  deadline=date(2025, 3, 15), created_by=people.city)
        IntakeApplication.objects.create(campaign=over, enterprise=enterprise, district=enterprise.district,
                                         company_name=enterprise.name, credit_code=enterprise.credit_code)
        _migration("applications", "0013_clock_open_intake_deadlines").open_intake_clocks(apps, None)
    clock = Deadline.objects.get()
    assert (clock.object_id, clock.organisation_id, clock.due_on) == (draft.pk, enterprise.pk, date(2026, 3, 15))
    assert draft.status == IntakeStatus.DRAFT
