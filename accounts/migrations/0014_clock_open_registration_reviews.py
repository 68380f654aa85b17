"""Registrations already waiting for their district get their review clock (due as if opened when submitted)."""

from datetime import timedelta

from django.conf import settings
from django.db import migrations
from django.urls import reverse


def working_days_after(start, n):
    from greenfactory import workdays

    try:
        return workdays.add_working_days(start, n)
    except workdays.UnknownCalendarYear:  # a year nobody entered: Monday to Friday, rather than no clock at all
        day = start
        while n:
            day += timedelta(days=1)
            n -= day.weekday() < 5
        return day


def open_review_clocks(apps, schema_editor):
    from greenfactory.workdays import shanghai_date

    Organisation = apps.get_model("accounts", "Organisation")
    Deadline = apps.get_model("accounts", "Deadline")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _created = ContentType.objects.get_or_create(app_label="accounts", model="organisation")
    authorities = {o.district_id: o for o in Organisation.objects.filter(kind="district")}
    days = max(settings.REGISTRATION_REMINDER_WORKING_DAYS)
    for organisation in Organisation.objects.filter(status="pending"):
        authority = authorities.get(organisation.district_id)
        if authority is None or Deadline.objects.filter(content_type=content_type, object_id=organisation.pk,
                                                        kind="registration_review", closed_at__isnull=True).exists():
            continue
        Deadline.objects.create(
            kind="registration_review", content_type=content_type, object_id=organisation.pk,
            label=organisation.name[:200], organisation=authority, opened_at=organisation.created_at,
            due_on=working_days_after(shanghai_date(organisation.created_at), days),
            url=reverse("accounts:registration_detail", args=[organisation.public_id]),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0013_clock_deadlines"),
        ("greenfactory", "0002_constraint_messages"),
    ]

    operations = [migrations.RunPython(open_review_clocks, migrations.RunPython.noop)]
