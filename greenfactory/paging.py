"""Pagination: the page number read from the query string, a wrong one giving the first or the last page."""

import hashlib
import re

from django.core.paginator import Page, Paginator
from django.db.models import Count, Window

from greenfactory.portal import expect_kept, kept, shell_scopes_for

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


def listing_key(request) -> str:
    """What names a list's filters in a cache key: a digest of the query string without the page number (two
    spellings of one filter are two keys of one value)."""
    return _digest(key for key in request.GET if key != "page")(request)


def listing_key_of(request, *names: str) -> str:
    """As ``listing_key``, of the parameters ``names`` only (what a part of the page depends on)."""
    return _digest(names)(request)


def _digest(names):
    def of(request):
        asked = sorted((name, value) for name in set(names) for value in request.GET.getlist(name))
        return hashlib.blake2b(repr(asked).encode(), digest_size=12).hexdigest()
    return of


class KeptTotal:
    """A long list's total (the library's, the directory's, the accounts'), kept across requests like the
    navigation's counts (``greenfactory.portal.kept``: until a transition, a message or a form posted in a scope
    the user reads or in ``also_reads``, and for at most PORTAL_SHELL_CACHE_SECONDS), per user and filters: counting
    reads every row the filters let through, the page's rows only fifty. Made before anything else is kept in the
    request, it is asked for with the first kept value (``expect_kept``)."""

    def __init__(self, request, name: str, *, also_reads: tuple[str, ...] = ()):
        user = request.user
        self.reads = (*shell_scopes_for(user).reads, *also_reads)
        self.key = f"list-total:{name}:{user.pk}:{listing_key(request)}"
        expect_kept(self.key, reads=self.reads)

    def __call__(self, count):
        """``count()``, or the value kept for it."""
        return kept(self.key, count, reads=self.reads)


def page_of(request, queryset, per_page, *, total: KeptTotal | None = None):
    """The requested page of ``queryset``; a missing, malformed or out-of-range page number gives the first or the
    last page, never an error. With ``total``, the list's count is the one kept for it."""
    paginator = Paginator(queryset, per_page)
    if total is not None:
        paginator.count = total(queryset.count)
    return paginator.get_page(page_number(request) or 1)


def counted_page_of(request, queryset, per_page):
    """``page_of`` for a list that is short by nature (a district's waiting cases), in one query instead of two: the
    page's rows carry the total of the list (``COUNT(*) OVER ()``), which PostgreSQL computes while it reads them.
    Only a page past the end (or an empty list) asks for the count on its own, and then reads the last page. A long
    list (the library, the audit log) keeps ``page_of``: its count reads an index, where the window would read every
    row to count them."""
    number = page_number(request) or 1
    rows = _rows_with_total(queryset, number, per_page)
    if rows:
        total = _total_of(rows[0])
    else:
        total = queryset.count()
        if total:
            number = (total + per_page - 1) // per_page
            rows = _rows_with_total(queryset, number, per_page)
        else:
            number = 1
    paginator = Paginator(queryset, per_page)
    paginator.__dict__["count"] = total  # Paginator.count is a cached property: the total the rows carried
    return Page(rows, number, paginator)


_TOTAL = "list_total"


def _rows_with_total(queryset, number, per_page):
    start = (number - 1) * per_page
    return list(queryset.annotate(**{_TOTAL: Window(Count("pk"))})[start:start + per_page])


def _total_of(row) -> int:
    return row[_TOTAL] if isinstance(row, dict) else getattr(row, _TOTAL)


class QueryOnly:
    """What a kept page body's pagination reads of the request (``{% pagination %}``): its query string alone, so
    that the body written for one user's request holds nothing else of it."""

    def __init__(self, request):
        self.GET = request.GET.copy()
