from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("入库与认定")

    def ready(self):
        from applications import demo, navigation, panels, workflows  # noqa: F401  (workflows registers the declarations)
        from applications.reminders import remind_intake_deadlines
        from greenfactory.portal import register_demo_seeder
        from greenfactory.reminders import register_sweep

        navigation.register()
        panels.register()
        register_demo_seeder(demo.seed)
        register_sweep("applications.intake_deadlines", remind_intake_deadlines)
