from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("评价")

    def ready(self):
        from evaluation import access, navigation  # noqa: F401  (access registers the rules)
        from evaluation.models import EnergyCarrier, Indicator, IndicatorArea, IndicatorSystem
        from greenfactory.portal import register_reference_models

        navigation.register()
        register_reference_models(EnergyCarrier, IndicatorSystem, IndicatorArea, Indicator)
