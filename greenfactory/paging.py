"""Pagination: the page number read from the query string, a wrong one giving the first or the last page."""

import re

from django.core.paginator import Paginator

MAX_PAGE = 1_000_000
_DIGITS = re.compile(r"[0-9]{1,7}")


def page_number(request) -> int | None:
    """The ``page`` parameter as a number from 1 to MAX_PAGE, else None (missing, malformed, out of range): what an
    IntegerField(min_value=1, max_value=MAX_PAGE) accepts of digits, read without building a form on every list."""
    value = request.GET.get("page", "").strip()
    if not _DIGITS.fullmatch(value):
        return None
    number = int(value)
    return number if 1 <= number <= MAX_PAGE else None


def page_of(request, queryset, per_page):
    """The requested page of ``queryset``; a missing, malformed or out-of-range page number gives the first or the
    last page, never an error."""
    return Paginator(queryset, per_page).get_page(page_number(request) or 1)
