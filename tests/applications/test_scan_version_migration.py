"""The migration that makes the stamped scan a stored document keeps every scan and numbers them per application in
the order they were uploaded."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from pypdf import PdfWriter

from applications import services
from applications.models import CultivationCampaign, StampedScan
from tests.helpers import filled

pytestmark = pytest.mark.django_db(transaction=True)


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()

BEFORE = [("applications", "0011_constraint_messages")]
AFTER = [("applications", "0012_docs_stored_document")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_existing_scans_are_kept_and_numbered_per_application_in_upload_order(people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    today = timezone.localdate()
    campaign = CultivationCampaign.objects.create(year=today.year, title="迁移测试", opens_on=today,
                                                  deadline=today + timedelta(days=5), created_by=people.city)
    applications = [services.intake_submit(application=filled(campaign, user), actor=user)
                     for user in (people.enterprise, people.enterprise_2)]
    for application, user in zip(applications, (people.enterprise, people.enterprise_2), strict=True):
        services.scan_upload(application=application, actor=user,
                             uploaded_file=SimpleUploadedFile("scan.pdf", pdf_bytes()))
    try:
        old_apps = migrate(BEFORE)
        old_scans = old_apps.get_model("applications", "StampedScan").objects
        first = old_scans.get(application_id=applications[0].pk)
        later = timezone.now() + timedelta(hours=1)
        # Uploaded earlier than the first one but with a higher id: the time decides; then a later one.
        for name, uploaded_at in (("earliest.pdf", first.uploaded_at - timedelta(hours=1)), ("latest.pdf", later)):
            old_scans.create(application_id=first.application_id, file=f"intake-scans/old/{name}",
                                   original_name=name, content_type="application/pdf", size=1, sha256="0" * 64,
                                   uploaded_by_id=first.uploaded_by_id, uploaded_at=uploaded_at)
        migrate(AFTER)
    finally:
        executor = MigrationExecutor(connection)
        migrate(executor.loader.graph.leaf_nodes())
    numbered = {(scan.application_id, scan.original_name): scan.version for scan in StampedScan.objects.all()}
    assert numbered == {
        (applications[0].pk, "earliest.pdf"): 1, (applications[0].pk, "scan.pdf"): 2,
        (applications[0].pk, "latest.pdf"): 3, (applications[1].pk, "scan.pdf"): 1,
    }
