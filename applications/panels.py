"""What applications shows on the enterprise's home page and on a company's page (registered in the portal shell,
which accounts' company page asks: accounts cannot import applications)."""

import uuid
from datetime import date
from typing import NamedTuple

from django.utils import timezone
from django.utils.translation import get_language, gettext

from accounts.access import allowed
from accounts.choices import Role
from applications import selectors
from applications.models import IntakeApplication, IntakeStatus, LibraryStatus
from greenfactory.display import choice_labels, html_rows, local_minute, url_with_public_id
from greenfactory.portal import Panel, kept, reference_data, register_home_panel, register_organisation_panel


class OpenCampaign(NamedTuple):
    """A campaign as the apply-now panel shows it."""

    pk: int
    public_id: uuid.UUID
    title: str
    deadline: date


def _enterprise_home(user, subject):
    """Each campaign open to the enterprise today: "apply now" with its deadline and the days left, or the state of
    the enterprise's application to it. Without an open campaign, its latest application. Two queries."""
    if not allowed("applications.apply", user):
        return None
    today = timezone.localdate()
    # The campaigns open today to the enterprise's district (the city's and its district's: an enterprise sees no
    # other, CampaignQuerySet), kept for the day like reference data: only an official's change moves them.
    campaigns = reference_data(f"open-campaigns:{user.organisation.district_id}:{today}", lambda: [
        OpenCampaign(c.pk, c.public_id, c.title, c.deadline)
        for c in selectors.open_campaigns_for_user(user).select_related(None).only(
            "public_id", "title", "deadline").order_by("deadline", "id")])
    applications = {a.campaign_id: a for a in IntakeApplication.objects.filter(
        enterprise_id=user.organisation_id).select_related("campaign").only(  # what the panel shows
            "public_id", "status", "campaign__title").order_by("-created_at", "-id")}
    rows = [{"campaign": c, "application": applications.get(c.pk), "days_left": (c.deadline - today).days}
            for c in campaigns]
    latest = next(iter(applications.values()), None)
    if not rows and latest is None:
        return None
    return {"rows": rows, "latest": None if rows else latest}


# A company page's rows (applications/panels/company_records.html), written in Python with the labels, link and
# times made once for the panel.
COMPANY_ENTRY = '<p class="mb-1"><span class="badge text-bg-success">{admitted}</span> {title} · {status}</p>\n'
COMPANY_APPLICATION = ('<tr><td><a href="{url}">{title}</a></td><td class="text-nowrap">{status}</td>'
                       '<td class="text-nowrap">{submitted}</td><td class="text-nowrap">{decided}</td></tr>\n')


def _company_records(user, organisation):
    """``_company_records_read``, kept across requests per user, company and language (applications and library
    entries change only through the portal: a transition, a posted form, both of which move the generations ``kept``
    compares)."""
    return kept(f"company-records:{user.pk}:{get_language()}:{organisation.pk}",
                lambda: _company_records_read(user, organisation))


def _company_records_read(user, organisation):
    """A company's intake applications and library entries, in the asking user's scope. Two queries, read as the
    values the rows show (model instances with deferred fields cost more to make than the rows)."""
    # Not its drafts: an official reads an application once it is submitted (``selectors.openable_by``).
    applications = list(selectors.openable_by(user).filter(enterprise_id=organisation.pk).order_by("-created_at", "-id")
                        .values_list("public_id", "status", "submitted_at", "decided_at", "campaign__title"))
    # The library's order less the enterprise's name (one enterprise here), so the enterprise is not joined.
    entries = list(selectors.library_entries_for_user(user).filter(enterprise_id=organisation.pk)
                   .order_by("district__position", "id").values_list("status", "campaign__title"))
    statuses, entry_statuses = choice_labels(IntakeStatus), choice_labels(LibraryStatus)
    url = url_with_public_id("applications:intake_detail")
    admitted, status_word = gettext("已入库"), gettext("培育状态：%(status)s")
    return {
        "applications": applications, "entries": entries,
        "entries_html": html_rows(COMPANY_ENTRY, [
            {"admitted": admitted, "title": title,
             "status": status_word % {"status": entry_statuses.get(status, status)}} for status, title in entries]),
        "applications_html": html_rows(COMPANY_APPLICATION, [
            {"url": url(public_id), "title": title, "status": statuses.get(status, status),
             "submitted": local_minute(submitted_at) or "—", "decided": local_minute(decided_at) or "—"}
            for public_id, status, submitted_at, decided_at, title in applications])}


def register():
    register_home_panel(Panel("applications.apply_now", "applications/panels/apply_now.html",
                              frozenset({Role.ENTERPRISE}), _enterprise_home, order=5))
    register_organisation_panel(Panel("applications.company_records", "applications/panels/company_records.html",
                                      frozenset({Role.DISTRICT, Role.CITY, Role.ADMIN}), _company_records, order=10))

