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
from greenfactory.paging import page_number
from greenfactory.portal import kept
from greenfactory.spreadsheet import xlsx_response
from greenfactory.widgets import filter_fields

# A row of the library's table (applications/library/library.html), written once a row in Python (``html_rows``).
LIBRARY_ROW = ('<tr><td>{year}</td><td>{district}</td><td><a href="{url}">{name}</a></td>\n'
               '    <td>{industry}</td><td>{sector}</td><td>{status}</td><td>{entered}</td></tr>\n')


def _library_queryset(request):
    form = LibraryFilterForm(request.GET or None, district_choice=sees_everything(request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.library_list_for_user(
        request.user, year=filters.get("year"), district=filters.get("district"), sector=filters.get("sector"),
        industry=filters.get("industry"), status=filters.get("status"),
    )
    return form, filters, qs


@rule_required("applications.view_library")
def library(request):
    form, filters, qs = _library_queryset(request)
    # Only the columns the page shows, as values; the labels and links are made once a page.
    one_district = not sees_everything(request.user) or filters.get("district") is not None
    paginator = Paginator(selectors.library_page_rows(qs, one_district=one_district), PAGE_SIZE)
    paginator.count = qs.count()  # the total without the rows' subqueries and join
    page = paginator.get_page(page_number(request) or 1)
    sectors, states = display.choice_labels(Sector), display.choice_labels(LibraryStatus)
    detail_url = display.url_with_public_id("applications:intake_detail")
    page.object_list = display.html_rows(LIBRARY_ROW, ({
        "year": e["year"], "district": e["district_name"], "name": e["enterprise_name"],
        "industry": e["industry_name"], "url": detail_url(e["application_public_id"]),
        "sector": sectors.get(e["sector"], e["sector"]), "status": states.get(e["status"], e["status"]),
        "entered": display.local_date(e["entered_at"])} for e in page.object_list))
    year, district = filters.get("year"), filters.get("district")

    def summary_of_year():
        summary = selectors.library_summary_for_user(request.user, year=year, district=district)
        if summary:
            summary["rows_html"] = rows_display.target_rows(summary["rows"])
        return summary

    # The year's targets by district change only through the portal (an admission, a corrected target).
    # The key holds the day: a target's wording (尚未开始, 进行中, 未达目标) follows the date.
    key = f"{request.user.pk}:{get_language()}:{timezone.localdate()}:{year}:{getattr(district, 'pk', district)}"
    summary = kept(f"library-summary:{key}", summary_of_year)
    return render(request, "applications/library/library.html",
                  {"form": form, "filter_fields": filter_fields(form), "page": page, "summary": summary})


@rule_required("applications.view_library")
def library_export(request):
    _form, filters, qs = _library_queryset(request)
    content = services.library_export(actor=request.user, entries=qs, filters=filters, request=request)
    return xlsx_response(content, _("绿色工厂培育库.xlsx"))
