"""The intake submission clock: opened when a draft is started (and when a case is returned or reinstated), stopped
by submitting or withdrawing, moved when the campaign is extended, closed when it is closed early or the draft
deleted."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.choices import DeadlineKind
from accounts.models import Deadline
from applications import services
from applications.models import CultivationCampaign
from tests.helpers import filled

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _pinned_clock():
    with time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI), tick=False):
        yield


@pytest.fixture
def campaign(people):
    return CultivationCampaign.objects.create(
        year=2026, title="2026年绿色工厂培育工作", opens_on=date(2026, 2, 20), deadline=date(2026, 3, 15),
        key_sectors=["chemicals", "materials"], created_by=people.city,
    )


def _clock(application):
    return Deadline.objects.filter(object_id=application.pk, kind=DeadlineKind.INTAKE_SUBMISSION).order_by("id")


def test_a_draft_runs_the_enterprises_clock_until_it_is_submitted(campaign, people):
    draft = services.intake_start(campaign=campaign, actor=people.enterprise)
    clock = _clock(draft).get()
    assert clock.organisation_id == people.enterprise.organisation_id
    assert clock.due_on == date(2026, 3, 15) and clock.closed_at is None
    assert clock.url.endswith(f"{draft.public_id}/")
    services.intake_submit(application=filled(campaign, people.enterprise), actor=people.enterprise)
    clock.refresh_from_db()
    assert clock.closed_by == "submit"


def test_a_returned_case_runs_a_new_clock_and_withdrawing_stops_it(campaign, people):
    application = services.intake_submit(application=filled(campaign, people.enterprise), actor=people.enterprise)
    services.intake_return(application=application, actor=people.district, reason="利润数据有误")
    assert [c.closed_by for c in _clock(application)] == ["submit", ""]
    services.intake_reopen(application=application, actor=people.enterprise)
    services.intake_withdraw(application=application, actor=people.enterprise)
    assert [c.closed_by for c in _clock(application)] == ["submit", "withdraw"]
    services.intake_reinstate(application=application, actor=people.district, reason="企业申请恢复")
    assert _clock(application).last().closed_at is None


def test_extending_the_campaign_moves_every_running_clock(campaign, people):
    draft = services.intake_start(campaign=campaign, actor=people.enterprise)
    submitted = services.intake_submit(application=filled(campaign, people.enterprise_2), actor=people.enterprise_2)
    services.campaign_extend(campaign=campaign, actor=people.city, deadline=date(2026, 3, 31))
    assert _clock(draft).get().due_on == date(2026, 3, 31)
    assert _clock(submitted).get().due_on == date(2026, 3, 15)  # stopped: it keeps the date it was stopped on


def test_closing_the_campaign_or_deleting_the_draft_closes_the_clock(campaign, people):
    draft = services.intake_start(campaign=campaign, actor=people.enterprise)
    other = services.intake_start(campaign=campaign, actor=people.enterprise_2)
    services.intake_delete(application=other, actor=people.enterprise_2)
    assert Deadline.objects.get(object_id=other.pk).closed_by == "intake_delete"
    services.campaign_close(campaign=campaign, actor=people.city, reason="名额已满")
    assert _clock(draft).get().closed_by == "campaign_close"
    assert not Deadline.objects.filter(closed_at__isnull=True).exists()
