"""Reads for campaigns, intake applications and the library, scoped to the user (404 outside scope)."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import District
from applications.models import (
    CultivationCampaign,
    EntryCriterionResult,
    IntakeApplication,
    IntakeStatus,
    LibraryEntry,
    ReviewTask,
    StampedScan,
    TargetState,
)


def campaign_list_for_user(user):
    return CultivationCampaign.objects.visible_to(user).select_related("district")


def campaign_get_for_user(user, public_id) -> CultivationCampaign:
    return get_object_or_404(campaign_list_for_user(user), public_id=public_id)


def campaign_notices():
    """What the public reads: the published campaigns (``CultivationCampaign.objects.published``), newest first."""
    return CultivationCampaign.objects.published().select_related("district").order_by("-opens_on", "-id")


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


def _district_rows(districts, campaign_for, counts, now):
    rows = []
    for district in districts:
        campaign = campaign_for(district)
        if campaign is None:
            continue
        rows.append({"district": district, "campaign": campaign,
                     **campaign.target_progress(counts.get(district.pk, 0), campaign.target_for(district), now)})
    return rows


def _totals(rows):
    return {"districts": len(rows), "count": sum(r["count"] for r in rows), "target": sum(r["target"] for r in rows),
            "met": sum(1 for r in rows if r["state"] == TargetState.MET)}


def _districts_for(user, district=None):
    districts = District.objects.visible_to(user).order_by("position")
    if district is not None:
        districts = districts.filter(pk=district.pk)
    return districts


def _summary_year(campaigns, now) -> int | None:
    """The latest year with a campaign (among ``campaigns``) that has opened: a campaign not open yet, or one closed
    before it opened (cancelled), does not decide the year the library shows; before any has opened, the coming
    one does. One query."""
    today = timezone.localdate(now)
    held = campaigns.exclude(closed_at__isnull=False, closed_at__date__lt=F("opens_on"))
    # Before any has opened, the coming one (its targets read 尚未开始).
    return held.annotate(opened=Q(opens_on__lte=today)).order_by("-opened", "-year").values_list(
        "year", flat=True).first()


def library_summary_for_user(user, *, year=None, district=None, now=None):
    """The library's targets for one campaign year and the districts in scope and filter, with totals: at most one
    row per district, never districts × years. The year follows the list: the filtered one, else the latest year in
    which a campaign covering those districts has opened. Five queries: the districts, the latest year (only when
    none is filtered), the campaigns of the year, their targets, the counts."""
    now = now or timezone.now()
    districts = list(_districts_for(user, district))
    campaigns = campaign_list_for_user(user).filter(
        Q(district__isnull=True) | Q(district_id__in=[d.pk for d in districts]))
    if not year:
        year = _summary_year(campaigns, now)
        if year is None:
            return None
    campaigns = list(campaigns.filter(year=year).prefetch_related("targets"))
    if not campaigns:
        return None
    own = {c.district_id: c for c in campaigns if c.district_id}
    city_wide = next((c for c in campaigns if c.district_id is None), None)
    counts = {row["district"]: row["n"] for row in LibraryEntry.objects.visible_to(user).filter(campaign__year=year)
              .order_by().values("district").annotate(n=Count("id"))}
    rows = _district_rows(districts, lambda d: own.get(d.pk, city_wide), counts, now)
    return {"year": year, "rows": rows, "totals": _totals(rows)}


def campaign_detail_get_for_user(user, public_id) -> CultivationCampaign:
    """The campaign page is for officials: the city (any campaign), a district (its own and the city's)."""
    return get_object_or_404(campaign_list_for_user(user).select_related("closed_by").prefetch_related("targets"),
                             public_id=public_id)


def campaign_applications_for_user(user, campaign):
    return (IntakeApplication.objects.visible_to(user).filter(campaign=campaign)
            .select_related("district").order_by("district__position", "company_name", "id"))


def campaign_overview_for_user(user, campaign, now=None):
    """A campaign's applications counted by state and each district's target with the count admitted, limited to
    what the user may see (a district its own). Three queries: the counts by state, the districts, the admissions."""
    applications = IntakeApplication.objects.visible_to(user).filter(campaign=campaign).order_by()
    by_status = {row["status"]: row["n"] for row in applications.values("status").annotate(n=Count("id"))}
    states = [{"status": value, "label": label, "count": by_status.get(value, 0)}
              for value, label in IntakeStatus.choices]
    counts = {row["district"]: row["n"] for row in LibraryEntry.objects.visible_to(user).filter(campaign=campaign)
              .order_by().values("district").annotate(n=Count("id"))}
    districts = _districts_for(user)
    if campaign.district_id:
        districts = districts.filter(pk=campaign.district_id)
    rows = _district_rows(districts, lambda d: campaign, counts, now)
    return {"states": states, "targets": rows, "totals": _totals(rows)}


# --- Review assignments ----------------------------------------------------------------------------------------------


def review_task_list_for_user(user):
    """The review tasks the user may see (``ReviewTask.objects.visible_to``): one query with the people named."""
    return ReviewTask.objects.visible_to(user).select_related(
        "content_type", "assignee_user", "assignee_organisation", "assigned_by").order_by("due_on", "id")


def review_task_get_for_user(user, public_id) -> ReviewTask:
    return get_object_or_404(review_task_list_for_user(user), public_id=public_id)


def review_tasks_on_case_for_user(user, case):
    """The tasks on one case that the user may see (an assignee sees its own, not its colleagues' on the case)."""
    return review_task_list_for_user(user).filter(content_type=ContentType.objects.get_for_model(case),
                                                  object_id=case.pk)
