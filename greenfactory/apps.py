from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GreenFactoryConfig(AppConfig):
    name = "greenfactory"
    verbose_name = _("平台基础")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.core.signals import request_finished, request_started

        from greenfactory import (
            checks,  # noqa: F401  (registers the system checks)
            portal,
        )
        from greenfactory.middleware import session_renewed_on_login

        user_logged_in.connect(session_renewed_on_login, dispatch_uid="greenfactory.session_renewed_on_login")
        # The generations of kept values are read once per request (greenfactory.portal.kept).
        request_started.connect(portal.request_began, dispatch_uid="greenfactory.kept_request_began")
        request_finished.connect(portal.request_ended, dispatch_uid="greenfactory.kept_request_ended")
        from greenfactory.models import CalendarDay, CalendarYear

        portal.register_reference_models(CalendarDay, CalendarYear)  # the official calendar (workdays)
