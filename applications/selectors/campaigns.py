"""Reads for campaigns: lists, the campaign page and the overview by district."""

import copy
from typing import NamedTuple

from django.db.models import Count, F, prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import District
from accounts.scope import sees_everything
from applications.models import (
    CultivationCampaign,
    IntakeApplication,
    IntakeStatus,
    LibraryEntry,
    TargetState,
)
from greenfactory.portal import kept, reference_data


def campaign_list_for_user(user):
    return CultivationCampaign.objects.visible_to(user).select_related("district")


def campaign_get_for_user(user, public_id) -> CultivationCampaign:
    return get_object_or_404(campaign_list_for_user(user), public_id=public_id)


def campaign_target_districts(campaign) -> list[District]:
    """The districts whose targets a campaign's correction form shows, in order: its own, or all 41 for the city's.
    Reference data (``greenfactory.portal.reference_data``); not to be changed by the caller."""
    districts = reference_data("districts:ordered", lambda: list(District.objects.order_by("position")))
    return [d for d in districts if d.pk == campaign.district_id] if campaign.district_id else districts


def campaign_to_manage_for_user(user, public_id) -> CultivationCampaign:
    """A campaign the user may see (404 otherwise), for the forms that change it: without the page's joins, its
    district (if it has one) the kept one (``campaign_target_districts``)."""
    campaign = get_object_or_404(CultivationCampaign.objects.visible_to(user), public_id=public_id)
    if campaign.district_id is not None:
        for district in campaign_target_districts(campaign):
            campaign.district = district
    return campaign


def campaign_by_id(pk) -> CultivationCampaign:
    """A campaign by its id (not scoped: for a record the user may see): reference data
    (``greenfactory.portal.reference_data``: saving a campaign moves it), a copy of its own for the caller."""
    return copy.copy(reference_data(f"campaign:{pk}", lambda: CultivationCampaign.objects.get(pk=pk)))


def campaign_target_overrides(campaign) -> dict[int, int]:
    """{district id: target} for the districts whose target differs from the campaign's default, kept across
    requests and in each process like the districts (only an official changes a campaign's targets)."""
    return kept(f"campaign-targets:{campaign.pk}",
                lambda: dict(campaign.targets.values_list("district_id", "target")), reads=(), local=True)


def campaign_notices():
    """What the public reads: the published campaigns (``CultivationCampaign.objects.published``), newest first."""
    return CultivationCampaign.objects.published().select_related("district").order_by("-opens_on", "-id")


def open_campaigns_for_user(user):
    return campaign_list_for_user(user).open_on(timezone.localdate())


class DistrictName(NamedTuple):
    """A district in a table of targets: what its row shows. The tables are kept across requests (pickled), where
    41 model instances with their campaigns cost more to load than the markup they make."""

    pk: int
    name: str


def _district_rows(districts, campaign_for, counts, now):
    rows = []
    for district in districts:
        campaign = campaign_for(district)
        if campaign is None:
            continue
        rows.append({"district": DistrictName(district.pk, district.name),
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


def campaign_detail_get_for_user(user, public_id) -> CultivationCampaign:
    """The campaign for an official's pages and forms: the city (any campaign), a district (its own and the
    city's). Its targets are read where they are used (the overview, kept between requests; the correction form)."""
    return get_object_or_404(campaign_list_for_user(user).select_related("closed_by"), public_id=public_id)


def campaign_row_get_for_user(user, public_id) -> CultivationCampaign:
    """The campaign page's campaign as its own row (the names it shows are kept with its overview)."""
    return get_object_or_404(CultivationCampaign.objects.visible_to(user), public_id=public_id)


def campaign_page_get_for_user(user, public_id) -> CultivationCampaign:
    """``campaign_detail_get_for_user`` for the campaign page, with the names it shows as columns rather than the
    district and the closing official joined and made instances (which cost more than the campaign's own query):
    ``district_name`` (None for the city's), ``closer_full_name`` and ``closer_username``."""
    return get_object_or_404(CultivationCampaign.objects.visible_to(user).annotate(
        district_name=F("district__name"), closer_full_name=F("closed_by__full_name"),
        closer_username=F("closed_by__username")), public_id=public_id)


def campaign_applications_for_user(user, campaign):
    """The campaign's applications the user may see (a district its own), unordered: the page's total."""
    return IntakeApplication.objects.visible_to(user).filter(campaign=campaign).order_by()


def campaign_application_rows(user, campaign):
    """The campaign page's list: only the columns it shows, as values, by district and company name. A district
    official sees one district: its list leaves the district out of the order, so the index on (campaign, district,
    company name) gives the page's rows without reading the district's others."""
    applications = campaign_applications_for_user(user, campaign).values(
        "public_id", "company_name", "status", "submitted_at", "district__name")
    if not sees_everything(user):
        return applications.order_by("company_name", "id")
    return applications.order_by("district__position", "company_name", "id")


def campaign_overview_for_user(user, campaign, now=None):
    """A campaign's applications counted by state and each district's target with the count admitted, limited to
    what the user may see (a district its own). Four queries: the campaign's targets, the counts by state, the
    districts, the admissions."""
    prefetch_related_objects([campaign], "targets")  # one query for every district's target_for
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
