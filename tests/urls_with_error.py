"""The real URLconf plus one view that fails, to see the 500 page a user would get."""

from django.urls import path

from greenfactory.urls import handler500  # noqa: F401
from greenfactory.urls import urlpatterns as real_patterns


def boom(request):
    raise RuntimeError("secret internal detail")


urlpatterns = [*real_patterns, path("boom/", boom)]
