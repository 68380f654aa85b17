from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("评价")

    def ready(self):
        from evaluation import (  # noqa: F401  (rules, workflows, seeders register)
            access,
            demo,
            demo_certification,
            demo_publicity,
            navigation,
            scale,
            scale_certification,
            workflows,
        )
        from evaluation.models import EnergyCarrier, Indicator, IndicatorArea, IndicatorSystem
        from greenfactory.case_pages import register_case_page
        from greenfactory.portal import register_demo_seeder, register_reference_models
        from greenfactory.scale import register_scale_seeder

        navigation.register()
        register_case_page("library_entry", "evaluation:cultivation")
        register_case_page("certification_application", "evaluation:certification")
        register_demo_seeder(demo.seed)
        register_demo_seeder(demo_certification.seed)
        register_demo_seeder(demo_publicity.seed)
        register_reference_models(EnergyCarrier, IndicatorSystem, IndicatorArea, Indicator)
        register_scale_seeder(scale.seed_figures, order=40, name="evaluation: yearly figures")
        register_scale_seeder(scale.seed_cultivation, order=45, name="evaluation: cultivation")
        register_scale_seeder(scale_certification.seed_certification, order=50, name="evaluation: certification")
