"""The cultivation library and its export."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.access import rule_required
from accounts.scope import sees_everything
from applications import selectors, services
from applications.forms import (
    LibraryFilterForm,
)
from applications.views.intake import PAGE_SIZE
from greenfactory.spreadsheet import xlsx_response


def _library_queryset(request):
    city_wide = sees_everything(request.user)
    form = LibraryFilterForm(request.GET or None, district_choice=city_wide)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.library_list_for_user(
        request.user, year=filters.get("year"), district=filters.get("district"), sector=filters.get("sector"),
        industry=filters.get("industry"), status=filters.get("status"),
    )
    return form, filters, qs


@rule_required("applications.view_library")
def library(request):
    form, filters, qs = _library_queryset(request)
    # Only the columns the page shows: each row joins its application (about 40 columns, JSON and decimals) only for
    # its link, and its enterprise only for its name.
    qs = qs.only("public_id", "sector", "status", "entered_at", "campaign__year", "district__name",
                 "enterprise__name", "industry__name", "application__public_id")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    summary = selectors.library_summary_for_user(request.user, year=filters.get("year"),
                                                 district=filters.get("district"))
    return render(request, "applications/library/library.html", {"form": form, "page": page, "summary": summary})


@rule_required("applications.view_library")
def library_export(request):
    _form, filters, qs = _library_queryset(request)
    content = services.library_export(actor=request.user, entries=qs, filters=filters, request=request)
    return xlsx_response(content, _("绿色工厂培育库.xlsx"))
