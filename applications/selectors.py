"""Reads for campaigns, intake applications and the library, scoped to the user (404 outside scope)."""

from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone

from applications import access
from applications.models import (
    CultivationCampaign,
    EntryCriterionResult,
    IntakeApplication,
    IntakeStatus,
    LibraryEntry,
    StampedScan,
)


def campaign_list_for_user(user):
    return CultivationCampaign.objects.visible_to(user).select_related("district")


def campaign_get_for_user(user, public_id) -> CultivationCampaign:
    return get_object_or_404(campaign_list_for_user(user), public_id=public_id)


def open_campaigns_for_user(user):
    return campaign_list_for_user(user).open_on(timezone.localdate())


def _with_details(qs):
    return qs.select_related("campaign", "district", "industry", "enterprise").prefetch_related(
        Prefetch("criteria", queryset=EntryCriterionResult.objects.order_by("criterion")),
        Prefetch("scans", queryset=StampedScan.objects.order_by("-uploaded_at", "-id")),
    )


def intake_list_for_user(user):
    return _with_details(IntakeApplication.objects.visible_to(user)).order_by("-created_at", "-id")


def intake_get_for_user(user, public_id) -> IntakeApplication:
    return get_object_or_404(_with_details(IntakeApplication.objects.visible_to(user)), public_id=public_id)


# Transition names as the intake pages call the actions (the URL's last part).
_ACTION_OF_TRANSITION = {"submit": "submit", "withdraw": "withdraw", "reopen": "reopen", "accept": "accept",
                         "return_for_changes": "return", "reject": "reject", "reinstate": "reinstate"}


def intake_actions_for_user(user, application, now=None) -> frozenset[str]:
    """What the user may do to the application now, from the transitions its state offers the user (so the screen
    and the server agree), plus deleting a draft never submitted. Reopening a withdrawn application is offered only
    before the campaign's deadline."""
    actions = {_ACTION_OF_TRANSITION[t.name] for t in application.get_available_user_status_transitions(user)}
    if (application.status == IntakeStatus.DRAFT and not application.has_been_submitted
            and access.can_edit_intake(user, application)):
        actions.add("delete")
    if "reinstate" in actions and (now or timezone.now()) > application.campaign.closes_at():
        actions.discard("reinstate")
    return frozenset(actions)


def intake_queue_for_user(user):
    """Submitted applications waiting for the district (4 queries: rows, criteria, scans, and none per row)."""
    return intake_list_for_user(user).filter(status=IntakeStatus.SUBMITTED).order_by("submitted_at", "id")


def library_list_for_user(user, *, year=None, district=None, sector=None, industry=None, status=None):
    qs = LibraryEntry.objects.visible_to(user).select_related("campaign", "district", "industry", "enterprise",
                                                             "application")
    if year:
        qs = qs.filter(campaign__year=year)
    if district:
        qs = qs.filter(district=district)
    if sector:
        qs = qs.filter(sector=sector)
    if industry:
        qs = qs.filter(industry=industry)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("district__position", "enterprise__name", "id")


def library_counts(entries_qs):
    """Entries per (campaign, district), for the counts against each district's target (one query)."""
    return {
        (row["campaign"], row["district"]): row["n"]
        for row in entries_qs.order_by().values("campaign", "district").annotate(n=Count("id"))
    }


def library_progress_for_user(user, entries_qs, campaigns_shown=5):
    """Entries against each district's target for the latest campaigns, districts with none included. Three
    queries: the counts, the campaigns with their targets, the districts."""
    from accounts.models import District, Role

    counts = library_counts(entries_qs)
    campaigns = list(campaign_list_for_user(user).prefetch_related("targets")[:campaigns_shown])
    districts = District.objects.all()
    if user.role == Role.DISTRICT:
        districts = districts.filter(pk=user.district_id)
    districts = list(districts)
    return [
        {"campaign": c, "district": d, "count": counts.get((c.pk, d.pk), 0), "target": c.target_for(d)}
        for c in campaigns for d in districts if c.district_id in (None, d.pk)
    ]
