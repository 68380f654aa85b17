"""A backup restores into an empty database: migrations clean, row counts and file hashes equal."""

import hashlib
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from greenfactory.backup import row_counts
from tests.helpers import filled, pdf_bytes

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    return settings.MEDIA_ROOT


def _portal_with_a_case(people):
    from applications import services
    from applications.models import CultivationCampaign
    today = timezone.localdate()
    campaign = CultivationCampaign.objects.create(year=today.year, title="备份测试", opens_on=today,
                                                  deadline=today + timedelta(days=3), created_by=people.city)
    application = services.intake_submit(application=filled(campaign, people.enterprise), actor=people.enterprise)
    services.scan_upload(application=application, actor=people.enterprise,
                         uploaded_file=SimpleUploadedFile("scan.pdf", pdf_bytes()))
    services.intake_accept(application=application, actor=people.district)
    return application


def test_backup_and_restore_into_an_empty_database_give_the_same_rows_and_files(people, media, tmp_path):
    from accounts.models import District, Industry, Organisation
    from accounts.reference import load_reference_data

    application = _portal_with_a_case(people)
    scan = application.scans.get()
    with default_storage.open(scan.file.name, "rb") as handle:
        scan_hash = hashlib.sha256(handle.read()).hexdigest()
    before = row_counts()
    assert before["applications.libraryentry"] == 1
    archive = tmp_path / "portal.tar.gz"
    call_command("backup_portal", str(archive))

    # An empty database as `migrate` leaves it (with its reference data), and empty file storage.
    call_command("flush", interactive=False, verbosity=0)
    load_reference_data(District, Industry, Organisation)
    default_storage.delete(scan.file.name)
    assert row_counts()["applications.intakeapplication"] == 0

    call_command("restore_portal", str(archive))
    assert row_counts() == before
    with default_storage.open(scan.file.name, "rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == scan_hash == scan.sha256
    call_command("makemigrations", check=True, dry_run=True, verbosity=0)


def test_restore_refuses_a_database_that_is_not_empty(people, media, tmp_path):
    _portal_with_a_case(people)
    archive = tmp_path / "portal.tar.gz"
    call_command("backup_portal", str(archive))
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore_portal", str(archive))
