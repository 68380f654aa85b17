from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("入库与认定")

    def ready(self):
        from applications import demo, navigation
        from greenfactory.portal import register_demo_seeder

        navigation.register()
        register_demo_seeder(demo.seed)
