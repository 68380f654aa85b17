"""What the account pages share: the page size, the paginator of a list too long to count, the no-store answer of
a posted public form, and the 429 page of the public forms' rate limits."""

import functools

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.functional import cached_property

from accounts.audit import client_ip
from greenfactory.paging import page_number

PAGE_SIZE = 50


class CappedPaginator(Paginator):
    """Django's paginator for a list that only grows (the audit trail): it counts at most ``cap`` rows, so the pages
    within the cap cost a bounded count however long the list, and the page line says "第 1 / 200+ 页" when there
    are more (``pages_shown``). A page past the cap — asked by number, or reached by 下一页 from the last page within
    it — counts every row, so every page stays reachable and the last page is the last."""

    def __init__(self, object_list, per_page, *, cap, total=None):
        super().__init__(object_list, per_page)
        self.cap = cap
        self.exact = True
        self.total = total

    @cached_property
    def count(self) -> int:
        # Without the order: PostgreSQL counts the first rows of whichever index is smallest.
        def capped():
            return self.object_list.order_by()[:self.cap + 1].count()

        counted = capped() if self.total is None else self.total(capped)
        self.exact = counted <= self.cap
        return counted

    @property
    def pages_shown(self) -> str:
        """The number of pages as the page line says it: exact, or "200+" while only the cap has been counted."""
        pages = self.num_pages
        return str(pages) if self.exact else f"{self.cap // self.per_page}+"

    def validate_number(self, number):
        # A page outside the cap's pages (or below the first, which Django answers with the last page) is counted.
        try:
            outside = not 1 <= int(number) <= self.cap // self.per_page
        except (TypeError, ValueError):
            outside = False
        if outside and not ("count" in self.__dict__ and self.exact):
            self.__dict__["count"] = self.object_list.count()
            self.__dict__.pop("num_pages", None)
            self.exact = True
        return super().validate_number(number)


def capped_page_of(request, queryset, per_page, *, cap, total=None):
    """``greenfactory.paging.page_of`` with a ``CappedPaginator`` (its count up to the cap kept in ``total``, a
    ``greenfactory.paging.KeptTotal``)."""
    return CappedPaginator(queryset, per_page, cap=cap, total=total).get_page(page_number(request) or 1)


def no_store_when_posted(view):
    """A public form answered after a post shows what was typed (a name, an e-mail address, a phone number): that
    answer is not to be kept by a browser or proxy cache (GB/T 22239 residual information). The empty form may be."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method == "POST":
            add_never_cache_headers(response)
        return response

    return wrapped


def rate_limited(request, title, message):
    """429 in Chinese, the same page for every limit of the public forms (registration, password reset)."""
    return render(request, "accounts/rate_limited.html", {"title": title, "message": message}, status=429)


def client_ip_key(group, request):
    """django-ratelimit's key: the client's address as the audit trail records it."""
    return client_ip(request) or ""
