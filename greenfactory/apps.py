from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GreenFactoryConfig(AppConfig):
    name = "greenfactory"
    verbose_name = _("平台基础")

    def ready(self):
        from greenfactory import checks  # noqa: F401  (registers the system checks)
