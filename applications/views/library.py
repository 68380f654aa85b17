"""The cultivation library and its export."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.access import rule_required
from accounts.models import Sector
from accounts.scope import sees_everything
from applications import selectors, services
from applications.forms import (
    LibraryFilterForm,
)
from applications.models import LibraryStatus
from applications.views import rows as rows_display
from applications.views.intake import PAGE_SIZE
from greenfactory import display
from greenfactory.case_pages import case_page
from greenfactory.paging import KeptTotal, listing_key_of, page_number
from greenfactory.portal import expect_kept, kept, shell_scopes_for
from greenfactory.spreadsheet import xlsx_response
from greenfactory.widgets import filter_fields

# A row of the library's table (applications/library/library.html), written once a row in Python (``html_rows``).
LIBRARY_ROW = ('<tr><td>{year}</td><td>{district}</td><td><a href="{url}">{name}</a></td>\n'
               '    <td>{industry}</td><td>{sector}</td><td>{status}</td><td class="text-end">{score}</td>'
               '<td>{entered}</td></tr>\n')


def _library_filters(request):
    form = LibraryFilterForm(request.GET or None, district_choice=sees_everything(request.user))
    return form, (form.cleaned_data if form.is_valid() else {})


def _library_queryset(request):
    form, filters = _library_filters(request)
    return form, filters, selectors.library_list_for_user(request.user, **_chosen(filters))


def _chosen(filters):
    return {name: filters.get(name) for name in ("year", "district", "sector", "industry", "status", "score")}


@rule_required("applications.view_library")
def library(request):
    user = request.user
    # The list's total and the year's targets by district are counted over the whole library: kept (``kept``) until
    # a change the user may see, and asked from the cache with the request's first kept value.
    total, reads = KeptTotal(request, "library"), shell_scopes_for(user).reads
    # The targets' wording (尚未开始, 进行中, 未达目标) follows the date.
    summary_key = (f"library-summary:{user.pk}:{get_language()}:{timezone.localdate()}:"
                   f"{listing_key_of(request, 'year', 'district')}")
    expect_kept(summary_key, reads=reads)
    form, filters = _library_filters(request)
    chosen = _chosen(filters)
    # Only the columns the page shows, as values; the labels and links are made once a page.
    one_district = not sees_everything(user) or filters.get("district") is not None
    paginator = Paginator(selectors.library_page_rows(user, one_district=one_district, **chosen), PAGE_SIZE)
    # The total without the rows' subqueries and join.
    paginator.count = total(lambda: selectors.library_entries_for_user(user, **chosen).count())
    page = paginator.get_page(page_number(request) or 1)
    page.object_list = display.kept_rows("library", page.object_list, _library_rows)
    year, district = filters.get("year"), filters.get("district")

    def summary_of_year():
        summary = selectors.library_summary_for_user(user, year=year, district=district)
        if summary:
            summary["rows_html"] = rows_display.target_rows(summary["rows"])
        return summary

    summary = kept(summary_key, summary_of_year, reads=reads)
    return render(request, "applications/library/library.html",
                  {"form": form, "filter_fields": filter_fields(form, reference="library"), "page": page,
                   "summary": summary})


def _library_rows(rows):
    districts, industries, years = selectors.reference_names()
    sectors, states = display.choice_labels(Sector), display.choice_labels(LibraryStatus)
    # The entry's cultivation page where an app above registered one (greenfactory.case_pages.case_page), else its
    # intake application.
    entry_url = case_page("library_entry")
    if entry_url is None:
        intake_url = display.url_with_public_id("applications:intake_detail")
    else:
        entry_url = display.url_with_public_id(entry_url)
    day = display.local_date_formatter()
    return display.html_rows(LIBRARY_ROW, ({
        "year": years.get(e["campaign_id"], ""), "district": districts.get(e["district_id"], ""),
        "name": e["enterprise_name"], "industry": industries.get(e["industry_id"], ""),
        "url": entry_url(e["public_id"]) if entry_url else intake_url(e["application_public_id"]),
        "sector": sectors.get(e["sector"], e["sector"]),
        "score": "" if e["assessed_score"] is None else f"{e['assessed_score']:.2f}",
        "status": states.get(e["status"], e["status"]), "entered": day(e["entered_at"])} for e in rows))


@rule_required("applications.view_library")
def library_export(request):
    _form, filters, qs = _library_queryset(request)
    content = services.library_export(actor=request.user, entries=qs, filters=filters, request=request)
    return xlsx_response(content, _("绿色工厂培育库.xlsx"))
