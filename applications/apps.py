from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("入库与认定")

    def ready(self):
        from applications import (  # noqa: F401  (workflows registers the declarations)
            demo,
            navigation,
            panels,
            scale,
            scale_bench,
            scale_publicity,
            workflows,
        )
        from applications.models import CultivationCampaign
        from greenfactory.portal import register_demo_seeder, register_reference_models
        from greenfactory.scale import register_scale_seeder

        navigation.register()
        panels.register()
        register_reference_models(CultivationCampaign)  # its titles, years and dates (reference_data)
        register_demo_seeder(demo.seed)
        register_scale_seeder(scale.seed_intake, order=20, name="applications: campaigns and intake")
        register_scale_seeder(scale_bench.seed_bench_intake, order=25, name="applications: bench intake records")
        register_scale_seeder(scale_publicity.seed_city_review, order=65,
                              name="applications: the city's review, proposed lists and notices")
        # The intake deadline is a clock (applications.clocks): the one sweep of accounts reminds it.
