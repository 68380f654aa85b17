"""The 41 districts, the GB/T 4754 industries, each district's competent department and the city authority: every
database needs them, so they are loaded here from fixtures/."""

from django.db import migrations


def load(apps, schema_editor):
    from accounts.reference import load_reference_data

    load_reference_data(
        apps.get_model("accounts", "District"),
        apps.get_model("accounts", "Industry"),
        apps.get_model("accounts", "Organisation"),
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
