"""The portal's own 404 page even with debug on.

With ``DEBUG`` on (``make run``), Django answers a missing or out-of-scope record with its English technical page,
which also lists every URL pattern: a user trying the portal locally sees "Page not found (404) No
IntakeApplication matches the given query". This middleware puts the portal's Chinese 404 page in its place.
A developer who wants Django's page sets ``DJANGO_TECHNICAL_404=true`` (settings ``TECHNICAL_404``).
"""

from django.conf import settings
from django.template.response import TemplateResponse


class PortalNotFoundMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (response.status_code == 404 and settings.DEBUG and not getattr(settings, "TECHNICAL_404", False)
                and response.get("Content-Type", "").startswith("text/html")
                and not getattr(response, "portal_page", False)):
            page = TemplateResponse(request, "404.html", status=404).render()
            page.portal_page = True
            return page
        return response
