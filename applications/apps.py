from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("入库与认定")

    def ready(self):
        from applications import demo, navigation, panels, workflows  # noqa: F401  (workflows registers the declarations)
        from greenfactory.portal import register_demo_seeder

        navigation.register()
        panels.register()
        register_demo_seeder(demo.seed)
        # The intake deadline is a clock (applications.clocks): the one sweep of accounts reminds it.
