"""A submitted application carries no decision: the reasons of an earlier round (a return before resubmission) stay
in the transition history, not on top of the case. Submission clears them from now on; this clears those left by
resubmissions before."""

from django.db import migrations


def clear_previous_round(apps, schema_editor):
    IntakeApplication = apps.get_model("applications", "IntakeApplication")  # noqa: N806
    IntakeApplication.objects.filter(status="submitted").exclude(decision_reason="", decided_at=None).update(
        decision_reason="", decided_at=None)


class Migration(migrations.Migration):

    dependencies = [
        ("applications", "0005_campaign_closing"),
    ]

    operations = [
        migrations.RunPython(clear_previous_round, migrations.RunPython.noop),
    ]
