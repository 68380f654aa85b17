"""The clocks of accounts' own workflow: a registration waits for its district's review (注册审核)."""

from django.urls import reverse

from accounts.choices import DeadlineKind
from accounts.deadline_reminders import registration_review_working_days
from accounts.deadlines import deadline_open
from accounts.models import Organisation, OrganisationKind


def registration_review_open(*, enterprise, start=None):
    """Start the district's review clock of a submitted (or resubmitted) registration: due
    ``max(REGISTRATION_REMINDER_WORKING_DAYS)`` working days after ``start`` (now when omitted), stopped by
    approve/refuse. None when the enterprise's district has no economy and IT department in the portal."""
    authority = Organisation.objects.filter(kind=OrganisationKind.DISTRICT, district_id=enterprise.district_id).first()
    if authority is None:
        return None
    return deadline_open(subject=enterprise, kind=DeadlineKind.REGISTRATION_REVIEW, organisation=authority,
                         working_days=registration_review_working_days(), start=start, label=enterprise.name,
                         url=reverse("accounts:registration_detail", args=[enterprise.public_id]))
