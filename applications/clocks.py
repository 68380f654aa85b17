"""The clocks of intake: an enterprise's application must be submitted by the campaign's deadline (四（三）资料报送).

Opened for the enterprise when it starts a draft, and again when its case is returned or reinstated; stopped by
``submit`` and ``withdraw`` (declared on the transitions); moved when the campaign is extended; closed when the
campaign is closed early or the draft deleted."""

from django.urls import reverse
from django.utils import timezone

from accounts.choices import DeadlineKind
from accounts.deadlines import deadline_close, deadline_move, deadline_open
from applications.models import IntakeApplication

KINDS = (DeadlineKind.INTAKE_SUBMISSION,)


def intake_clock_open(application):
    """Start (or restart) the submission clock of ``application``, due the campaign's deadline; nothing when the
    campaign is over (a case returned after the deadline cannot be submitted again: no clock to run)."""
    campaign = application.campaign
    if timezone.now() > campaign.closes_at():
        return None
    return deadline_open(subject=application, kind=DeadlineKind.INTAKE_SUBMISSION,
                         organisation=application.enterprise, due_on=campaign.deadline, label=str(application),
                         url=reverse("applications:intake_detail", args=[application.public_id]))


def intake_clock_close(application, *, by: str) -> int:
    return deadline_close(subject=application, kinds=KINDS, by=by)


def _campaign_applications(campaign):
    return IntakeApplication.objects.filter(campaign=campaign)


def intake_clocks_move(campaign) -> int:
    """The campaign was extended: every running submission clock of it is due the new deadline."""
    return deadline_move(subjects=_campaign_applications(campaign), kinds=KINDS, due_on=campaign.deadline)


def intake_clocks_close(campaign, *, by: str) -> int:
    """The campaign was closed early: nobody can submit any more, so no clock of it runs."""
    return deadline_close(subjects=_campaign_applications(campaign), kinds=KINDS, by=by)

