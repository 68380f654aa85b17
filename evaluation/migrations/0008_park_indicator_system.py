"""The green park requirements (工信厅节函〔2016〕586号 附件2) join the shipped indicator systems: loaded from
fixtures/ as 0002 loads the factory systems (a system already present is left as it is)."""

from django.db import migrations


def load(apps, schema_editor):
    from evaluation.reference import load_indicator_systems

    load_indicator_systems(apps.get_model("evaluation", "IndicatorSystem"),
                           apps.get_model("evaluation", "IndicatorArea"), apps.get_model("evaluation", "Indicator"))


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0007_certification")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
