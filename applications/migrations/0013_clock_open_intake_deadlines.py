"""Drafts and returned applications of campaigns still open get their submission clock (due the deadline)."""

from django.db import migrations
from django.urls import reverse
from django.utils import timezone


def open_intake_clocks(apps, schema_editor):
    IntakeApplication = apps.get_model("applications", "IntakeApplication")
    Deadline = apps.get_model("accounts", "Deadline")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _created = ContentType.objects.get_or_create(app_label="applications", model="intakeapplication")
    waiting = IntakeApplication.objects.filter(
        status__in=["draft", "returned"], campaign__closed_at__isnull=True,
        campaign__deadline__gte=timezone.localdate()).select_related("campaign")
    for application in waiting:
        if Deadline.objects.filter(content_type=content_type, object_id=application.pk, kind="intake_submission",
                                   closed_at__isnull=True).exists():
            continue
        Deadline.objects.create(
            kind="intake_submission", content_type=content_type, object_id=application.pk,
            label=f"{application.company_name}（{application.campaign.year}）"[:200],
            organisation_id=application.enterprise_id, due_on=application.campaign.deadline,
            opened_at=application.decided_at if application.status == "returned" and application.decided_at
            else application.created_at,
            url=reverse("applications:intake_detail", args=[application.public_id]),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0012_docs_stored_document"),
        ("accounts", "0014_clock_open_registration_reviews"),
    ]

    operations = [migrations.RunPython(open_intake_clocks, migrations.RunPython.noop)]
