"""The energy carriers and the indicator systems (GB/T 36132-2018 and -2025): every database needs them, so they are
loaded here from fixtures/."""

from django.db import migrations


def load(apps, schema_editor):
    from evaluation.reference import load_energy_carriers, load_indicator_systems

    load_energy_carriers(apps.get_model("evaluation", "EnergyCarrier"))
    load_indicator_systems(apps.get_model("evaluation", "IndicatorSystem"),
                           apps.get_model("evaluation", "IndicatorArea"), apps.get_model("evaluation", "Indicator"))


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
