from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("监督管理")

    def ready(self):
        from greenfactory.portal import register_demo_seeder
        from greenfactory.scale import register_scale_seeder
        from supervision import demo, scale

        register_demo_seeder(demo.seed)

        # Titles of past years, some revoked, for the directory, the verification and the announcements' benchmark.
        register_scale_seeder(scale.seed_titles, order=60, name="supervision: certified titles and revocations")
