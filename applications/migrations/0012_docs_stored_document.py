"""The stamped scan becomes a stored document: it gains a version number per application (1, 2, … in the order the
scans were uploaded, earlier ones kept), unique per application."""

from django.conf import settings
from django.db import migrations, models


def number_existing_scans(apps, schema_editor):
    """Scans stored before versions were counted are numbered in the order they were uploaded (the order the case
    page has always used: time, then id)."""
    StampedScan = apps.get_model("applications", "StampedScan")
    changed, application_id, version = [], None, 0
    for scan in StampedScan.objects.order_by("application_id", "uploaded_at", "id").only("id", "application_id"):
        version = version + 1 if scan.application_id == application_id else 1
        application_id = scan.application_id
        if version != 1:
            scan.version = version
            changed.append(scan)
    StampedScan.objects.bulk_update(changed, ["version"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0011_constraint_messages'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='stampedscan',
            name='version',
            field=models.PositiveIntegerField(default=1, verbose_name='版本'),
        ),
        migrations.RunPython(number_existing_scans, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name='stampedscan',
            constraint=models.UniqueConstraint(fields=('application', 'version'), name='one_scan_per_version', violation_error_message='该申请的这一版扫描件已经存在。'),
        ),
    ]
