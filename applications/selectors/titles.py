"""Reads of certified titles: the public directory (第三条 公开) with each title's history, the verification of a
certificate number, a decision's titles for the city. Nothing personal is read: no contact, no staff name."""

from django.db.models import OuterRef, Q, Subquery
from django.http import Http404

from applications.models import ApplicationBan, CertificationDecision, Title

# What the directory, its CSV and its JSON show of a title: public facts only.
PUBLIC_COLUMNS = ("public_id", "number", "name", "unit_kind", "year", "certified_on", "status", "revoked_on",
                  "district__name", "industry__name")


def _ban_of(field):
    """The ban the revocation of the title started (第十八条): same unit, from the revocation's date."""
    return Subquery(ApplicationBan.objects.filter(organisation_id=OuterRef("organisation_id"),
                                                  starts_on=OuterRef("revoked_on")).order_by("-ends_on")
                    .values(field)[:1])


def with_history(queryset):
    """Titles with what their history shows beside the dates: the cause of a revocation and the end of its ban, read
    in the same query (one subquery each)."""
    return queryset.annotate(revocation_cause=_ban_of("reason"), banned_until=_ban_of("ends_on"),
                             revocation_number=_ban_of("document_number"))


def directory_rows(*, q="", year=None, kind="", district=None, industry=None, status=""):
    """The public directory's rows as filtered, newest year first: one query for a page however many rows."""
    queryset = Title.objects.published()
    if q:
        queryset = queryset.filter(Q(name__icontains=q) | Q(number__iexact=q))
    if year:
        queryset = queryset.filter(year=year)
    if kind:
        queryset = queryset.filter(unit_kind=kind)
    if district is not None:
        queryset = queryset.filter(district_id=district.pk)
    if industry is not None:
        queryset = queryset.filter(industry_id=industry.pk)
    if status:
        queryset = queryset.filter(status=status)
    return with_history(queryset.select_related("district", "industry").only(
        "public_id", "number", "name", "unit_kind", "year", "certified_on", "status", "revoked_on", "organisation_id",
        "district__name", "industry__name").order_by("-year", "number"))


def title_by_number(number: str):
    """The title a certificate number names, with its history, or None."""
    if not number:
        return None
    return with_history(Title.objects.published().filter(number=number).select_related(
        "district", "industry", "decision")).first()


def title_get_for_city(user, public_id) -> Title:
    """A title for the city's pages (the caller checked the role): 404 for an unknown id."""
    title = with_history(Title.objects.visible_to(user).filter(public_id=public_id).select_related(
        "district", "industry", "decision", "application")).first()
    if title is None:
        raise Http404
    return title


def decision_get_for_city(user, public_id) -> CertificationDecision:
    decision = CertificationDecision.objects.filter(public_id=public_id).select_related(
        "proposed_list__round").first()
    if decision is None:
        raise Http404
    return decision
