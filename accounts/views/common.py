"""What the account pages share: the page size, the no-store answer of a posted public form, and the 429 page of
the public forms' rate limits."""

import functools

from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from accounts.audit import client_ip

PAGE_SIZE = 50


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
