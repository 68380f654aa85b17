from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GreenFactoryConfig(AppConfig):
    name = "greenfactory"
    verbose_name = _("平台基础")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from greenfactory import checks  # noqa: F401  (registers the system checks)
        from greenfactory.middleware import session_renewed_on_login

        user_logged_in.connect(session_renewed_on_login, dispatch_uid="greenfactory.session_renewed_on_login")
