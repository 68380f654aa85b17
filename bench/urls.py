"""The portal's URLconf plus the two reference pages the benchmark measures every page against, under the
portal's own middleware and session settings:

- ``/bench/bare/``: a bare view, anonymous, no template, no query (the ceiling);
- ``/bench/minimal/``: a login-required page rendering 50 rows of one query in a small template, without context
  processors (the floor that every page checking a session pays).
"""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

from accounts.models import Enterprise

_TEMPLATE = engines["django"].from_string(
    "<!doctype html><html><body><table>{% for e in rows %}<tr><td>{{ e.name }}</td><td>{{ e.credit_code }}"
    "</td></tr>{% endfor %}</table></body></html>")


@login_not_required
def bare(request):
    return HttpResponse(b"ok")


def minimal(request):
    rows = list(Enterprise.objects.only("name", "credit_code").order_by("id")[:50])
    return HttpResponse(_TEMPLATE.render({"rows": rows}))


urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("bench/minimal/", minimal, name="bench_minimal"),
    path("", include("greenfactory.urls")),
]

handler500 = "greenfactory.views.server_error"
