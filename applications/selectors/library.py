"""Reads for the cultivation library: the list with its filters and the summary by year."""

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.utils import timezone

from accounts.models import Organisation
from accounts.selectors import district_names, industry_names
from applications.models import (
    SCORE_BANDS,
    CultivationCampaign,
    IntakeApplication,
    LibraryEntry,
)
from applications.selectors.campaigns import _district_rows, _districts_for, _totals, campaign_list_for_user
from greenfactory.portal import reference_data


def library_entries_for_user(user, **filters):
    """The entries in the user's scope and the filters (year, district, sector, industry, status, score band), without
    order
    or joins: the page's count and the export start here. The year is the campaigns of that year (reference data),
    so no filter joins."""
    return _filtered(LibraryEntry.objects.visible_to(user), **filters)


def library_list_for_user(user, **filters):
    """The entries with what the export and the company page read of them, by district and enterprise name."""
    return library_entries_for_user(user, **filters).select_related(
        "campaign", "district", "industry", "enterprise", "application").order_by(
        "district__position", "enterprise__name", "id")


def library_page_rows(user, *, one_district=False, **filters):
    """The library page's rows in the user's scope and the filters (``library_entries_for_user``), in its order, for
    the paginator: each page's rows as values (``LibraryPageRows``).

    The page lists each district's entries newest first (this year's admissions, the ones a district works on, open
    the list; an enterprise's earlier years follow with their year in the first column): the index on (district,
    entered_at, id) serves that order, where ordering by the enterprise's name read every name in the district
    before the sort (1,337 in the largest at city scale). ``one_district`` (a district official's page, or a filter
    on one district) leaves the district out of the order, so the index alone gives the page's rows. The export
    keeps ``library_list_for_user``'s order by name, which groups an enterprise's years."""
    rows = _PAGE_ONE_DISTRICT if one_district else _PAGE_CITY
    return LibraryPageRows(_filtered(rows.visible_to(user), **filters))


def _filtered(entries, *, year=None, district=None, sector=None, industry=None, status=None, score=None):
    conditions = {}
    if score == "none":
        conditions["assessed_at__isnull"] = True
    elif score in SCORE_BANDS:
        low, high = SCORE_BANDS[score]
        if low is not None:
            conditions["assessed_score__gte"] = low
        if high is not None:
            conditions["assessed_score__lt"] = high
        conditions["assessed_score__isnull"] = False
    if year:
        conditions["campaign_id__in"] = [pk for pk, campaign_year in campaign_years().items() if campaign_year == year]
    if district:
        conditions["district"] = district
    if sector:
        conditions["sector"] = sector
    if industry:
        conditions["industry"] = industry
    if status:
        conditions["status"] = status
    return entries.filter(**conditions) if conditions else entries


def _one(model, field, key):
    return Subquery(model.objects.filter(pk=OuterRef(key)).order_by().values(field)[:1])


# The columns of a page: the two values of each row that are not reference data are one-row subqueries PostgreSQL
# evaluates for the page's rows after the sort. Both orders are built once (a page's queryset is a copy with the
# scope and the filters: building the columns and the order again cost more than the filters).
_PAGE_FIELDS = ("sector", "status", "entered_at", "district_id", "campaign_id", "industry_id", "assessed_score",
                "public_id")
_PAGE_COLUMNS = {
    "enterprise_name": _one(Organisation, "name", "enterprise_id"),
    "application_public_id": _one(IntakeApplication, "public_id", "application_id"),
}
_PAGE_ONE_DISTRICT = LibraryEntry.objects.order_by("-entered_at", "-id").values(*_PAGE_FIELDS, **_PAGE_COLUMNS)
_PAGE_CITY = LibraryEntry.objects.order_by("district__position", "-entered_at", "-id").values(
    *_PAGE_FIELDS, **_PAGE_COLUMNS)


class LibraryPageRows:
    """A page of the library as the rows it shows, for the paginator (whose count the page gives it): each row the
    values of ``_PAGE_FIELDS`` and ``_PAGE_COLUMNS``. The enterprise's name and the application's link are one-row
    subqueries; the district's and industry's names and the campaign's year are reference data, kept in each
    process (``greenfactory.portal.reference_data``: ``reference_names``), so PostgreSQL plans two subqueries, not
    five, and no join but the district's for the city-wide order (in-process at city scale: a district's page
    1.9 → 0.6 ms, the city's 2.2 → 1.0 ms)."""

    def __init__(self, values):
        self.values = values

    def count(self) -> int:
        return self.values.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[dict]:
        return list(self.values[window])


def reference_names() -> tuple[dict, dict, dict]:
    """{district id: name}, {industry id: name}, {campaign id: year}: what the library's rows name by key."""
    return district_names(), industry_names(), campaign_years()


def campaign_years() -> dict:
    return reference_data("years:applications.cultivationcampaign",
                          lambda: dict(CultivationCampaign.objects.values_list("id", "year")))


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
