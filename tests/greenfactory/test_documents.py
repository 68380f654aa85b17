"""One document store: save_upload is the only write path (checked, hashed, generated name, numbered, audited as an
upload); every download re-hashes the stored file, refuses a changed or missing one in Chinese, is audited, and is
sent as an attachment; a document out of the user's scope is 404."""

import hashlib
import io
import logging
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models
from django.test.utils import isolate_apps
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfWriter

from accounts.models import AuditAction, AuditEvent
from accounts.selectors import audit_row
from applications import services
from applications.models import CultivationCampaign, StampedScan
from greenfactory import documents
from greenfactory.documents import StoredDocument
from greenfactory.uploads import GeneratedName, save_upload
from tests.helpers import filled

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def pdf_bytes(pages=1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def upload(content=None, name="盖章扫描件.pdf"):
    return SimpleUploadedFile(name, content if content is not None else pdf_bytes(), content_type="application/pdf")


@pytest.fixture
def campaign(people):
    today = timezone.localdate()
    return CultivationCampaign.objects.create(year=today.year, title="文件存储测试", opens_on=today,
                                              deadline=today + timedelta(days=5), created_by=people.city)


@pytest.fixture
def submitted(people, campaign, media):
    return services.intake_submit(application=filled(campaign, people.enterprise), actor=people.enterprise)


def stored_files(media):
    return sorted(path for path in Path(media).rglob("*") if path.is_file())


def download_url(scan):
    return reverse("applications:scan_download", args=[scan.application.public_id, scan.pk])


# --- The only write path ----------------------------------------------------------------------------------------------

SOURCE_PACKAGES = ("accounts", "applications", "evaluation", "supervision", "greenfactory")
# Writes to file storage that are not documents, each with its reason.
# Code that creates stored document records without save_upload, and why.
RECORD_CREATORS_ALLOWED = {
    "applications/scale.py": "city-scale benchmark data (seed_scale): its scan records name the one file that "
                             "bench-enterprise's scan stored through save_upload, with its size and SHA-256",
}
STORAGE_WRITERS_ALLOWED = {
    "greenfactory/uploads.py": "save_upload itself",
    "greenfactory/backup.py": "restore_portal puts stored files back byte for byte, each checked against the SHA-256 "
                              "the archive's manifest recorded",
    "greenfactory/views.py": "the health check writes and deletes a throwaway file to prove storage is writable",
}
STORAGE_WRITES = [
    re.compile(r"\.file\.save\("),  # FieldFile.save: stores a file under the field's name
    re.compile(r"storages?(\[[^\]]*\])?\.save\("),  # default_storage.save, field.storage.save, storages["x"].save
    re.compile(r"storages?(\[[^\]]*\])?\.open\([^)]*[\"'][wax]"),  # a storage file opened for writing
    re.compile(r"\b(store_checked|_store)\("),  # save_upload's own primitives
]


def _app_sources():
    for package in SOURCE_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" not in relative:
                yield relative, path.read_text(encoding="utf-8")


def test_the_patterns_catch_each_way_of_writing_a_file():
    for line in ("scan.file.save(name, handle, save=False)", "default_storage.save(name, ContentFile(b''))",
                 "field.storage.save(name, content)", 'storages["default"].save(name, content)',
                 'default_storage.open(name, "wb")', "store_checked(handle, checked, prefix='x')"):
        assert any(pattern.search(line) for pattern in STORAGE_WRITES), line
    assert not any(pattern.search('default_storage.open(name, "rb")') for pattern in STORAGE_WRITES)


def test_no_app_code_writes_a_file_to_storage_except_save_upload():
    offenders = [
        f"{relative}:{number}: {line.strip()}"
        for relative, text in _app_sources() if relative not in STORAGE_WRITERS_ALLOWED
        for number, line in enumerate(text.splitlines(), start=1)
        if any(pattern.search(line) for pattern in STORAGE_WRITES)
    ]
    assert offenders == [], "store documents with greenfactory.uploads.save_upload:\n" + "\n".join(offenders)
    for relative in STORAGE_WRITERS_ALLOWED:
        assert (ROOT / relative).exists(), f"{relative} is gone: take it off the list"


def test_no_app_code_creates_a_stored_document_record_except_save_upload():
    from django.apps import apps

    names = [model.__name__ for model in apps.get_models() if issubclass(model, StoredDocument)]
    assert "StampedScan" in names
    creating = re.compile(rf"\b({'|'.join(names)})\.(objects|_base_manager|_default_manager)\."
                          r"(create|bulk_create|get_or_create|update_or_create)\(")
    offenders = [f"{relative}:{number}: {line.strip()}" for relative, text in _app_sources()
                 if relative not in RECORD_CREATORS_ALLOWED
                 for number, line in enumerate(text.splitlines(), start=1) if creating.search(line)]
    assert offenders == []
    for relative in RECORD_CREATORS_ALLOWED:
        assert creating.search((ROOT / relative).read_text()), f"{relative} creates none: take it off the list"


def test_every_stored_document_in_the_portal_passes_the_system_check():
    assert documents.check_stored_documents() == []


@isolate_apps("greenfactory")
def test_a_stored_document_without_owner_generated_name_or_version_constraint_fails_the_system_check():
    class Owner(models.Model):
        class Meta:
            app_label = "greenfactory"

        def __str__(self):
            return str(self.pk)

    class Loose(StoredDocument):
        owner_field = "parent"
        parent = models.ForeignKey(Owner, on_delete=models.CASCADE)
        file = models.FileField(upload_to="loose/%Y/")

        class Meta:
            app_label = "greenfactory"

    class NoOwner(StoredDocument):
        file = models.FileField(upload_to=GeneratedName("no-owner"))

        class Meta:
            app_label = "greenfactory"

    class Proper(StoredDocument):
        owner_field = "parent"
        parent = models.ForeignKey(Owner, on_delete=models.CASCADE)
        file = models.FileField(upload_to=GeneratedName("proper"))

        class Meta(StoredDocument.Meta):
            app_label = "greenfactory"
            constraints = [models.UniqueConstraint(fields=["parent", "version"], name="proper_one_per_version")]

    assert {error.id for error in documents.document_model_problems(Loose)} == {"greenfactory.E011",
                                                                                 "greenfactory.E012"}
    assert [error.id for error in documents.document_model_problems(NoOwner)] == ["greenfactory.E010"]
    assert documents.document_model_problems(Proper) == []


def test_the_scan_is_stored_checked_named_and_hashed(people, submitted, media):
    content = pdf_bytes()
    scan = services.scan_upload(application=submitted, actor=people.enterprise, uploaded_file=upload(content))
    scan.refresh_from_db()
    assert re.fullmatch(r"intake-scans/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", scan.file.name)
    assert (scan.original_name, scan.content_type, scan.size) == ("盖章扫描件.pdf", "application/pdf", len(content))
    assert scan.sha256 == hashlib.sha256(content).hexdigest()
    assert (scan.uploaded_by, scan.version) == (people.enterprise, 1)
    with default_storage.open(scan.file.name, "rb") as handle:
        assert handle.read() == content


def test_versions_count_per_owner_record_and_earlier_versions_are_kept(people, submitted, campaign, media):
    scans = [services.scan_upload(application=submitted, actor=people.enterprise, uploaded_file=upload(pdf_bytes(n)))
             for n in (1, 2, 3)]
    assert [scan.version for scan in scans] == [1, 2, 3]
    assert len({scan.file.name for scan in scans}) == 3
    assert len(stored_files(media)) == 3
    # The newest counts; the list is newest first.
    assert submitted.current_scan() == scans[-1]
    assert [scan.version for scan in submitted.scans.all()] == [3, 2, 1]
    other = services.intake_submit(application=filled(campaign, people.enterprise_2), actor=people.enterprise_2)
    assert services.scan_upload(application=other, actor=people.enterprise_2, uploaded_file=upload()).version == 1


def test_a_document_the_portal_generates_goes_through_the_same_path(people, submitted, media):
    from django.core.files.base import ContentFile

    from accounts.models import OwnershipType
    from greenfactory.pdf import render_pdf

    pdf = render_pdf("pdf/intake_form.html", {"application": submitted, "ownership_domestic": [],
                                              "ownership_other": [(c, c.label) for c in OwnershipType]})
    document = save_upload(ContentFile(pdf, name="入库申请表.pdf"), StampedScan(application=submitted),
                           actor=people.district)
    assert (document.version, document.original_name, document.size) == (1, "入库申请表.pdf", len(pdf))
    assert document.sha256 == hashlib.sha256(pdf).hexdigest()
    assert AuditEvent.objects.get(action=AuditAction.UPLOADED).actor == people.district


def test_a_refused_file_leaves_neither_a_file_nor_a_record_nor_an_audit_event(people, submitted, media):
    with pytest.raises(ValidationError) as error:
        services.scan_upload(application=submitted, actor=people.enterprise,
                             uploaded_file=upload(b"MZ\x90\x00" + b"\x00" * 200))
    assert error.value.code == "unsupported_type"
    assert stored_files(media) == []
    assert not StampedScan.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.UPLOADED).exists()


def test_a_failure_after_storing_deletes_the_stored_file(people, submitted, media, monkeypatch):
    def broken_trail(*args, **kwargs):
        raise RuntimeError("audit trail unavailable")

    monkeypatch.setattr("accounts.audit.document_event_record", broken_trail)
    with pytest.raises(RuntimeError):
        save_upload(upload(), StampedScan(application=submitted), actor=people.enterprise)
    assert stored_files(media) == []
    assert not StampedScan.objects.exists()


def test_nothing_is_stored_when_no_audit_recorder_is_configured(people, submitted, media, settings):
    del settings.DOCUMENT_EVENT_RECORDER
    with pytest.raises(ImproperlyConfigured):
        save_upload(upload(), StampedScan(application=submitted), actor=people.enterprise)
    assert stored_files(media) == []
    assert not StampedScan.objects.exists()


def test_a_stored_document_is_never_saved_again_through_save_upload(people, submitted, media):
    scan = save_upload(upload(), StampedScan(application=submitted), actor=people.enterprise)
    with pytest.raises(TypeError):
        save_upload(upload(), scan, actor=people.enterprise)
    with pytest.raises(TypeError):
        save_upload(upload(), submitted, actor=people.enterprise)
    assert StampedScan.objects.count() == 1


def test_an_upload_is_audited_as_an_upload_not_as_a_transition(people, submitted, media):
    transitions = AuditEvent.objects.filter(action=AuditAction.TRANSITION).count()
    scan = services.scan_upload(application=submitted, actor=people.enterprise, uploaded_file=upload())
    event = AuditEvent.objects.get(action=AuditAction.UPLOADED)
    assert (event.actor, event.result, event.object_type, event.object_id) == (
        people.enterprise, "success", "applications.IntakeApplication", str(submitted.public_id))
    assert event.detail == {"document": "applications.StampedScan", "document_id": scan.pk, "version": 1,
                            "name": "盖章扫描件.pdf", "sha256": scan.sha256}
    assert AuditEvent.objects.filter(action=AuditAction.TRANSITION).count() == transitions
    row = audit_row(event)
    assert row["change"] == "盖章扫描件 第1版"
    assert row["note"] == "盖章扫描件.pdf"


# --- The one download -------------------------------------------------------------------------------------------------


def test_the_download_is_an_attachment_with_a_safe_name_and_the_stored_bytes(client, people, submitted, media):
    content = pdf_bytes(2)
    scan = services.scan_upload(application=submitted, actor=people.enterprise,
                                uploaded_file=upload(content, name='盖章"扫描件\r\n.pdf'))
    client.force_login(people.district)
    response = client.get(download_url(scan))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"download.pdf\"; filename*=UTF-8''%E7%9B%96%E7%AB%A0_%E6%89%AB%E6%8F%8F%E4%BB%B6.pdf")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == content


def test_the_download_is_audited_with_the_document_its_version_and_hash(client, people, submitted, media):
    services.scan_upload(application=submitted, actor=people.enterprise, uploaded_file=upload(pdf_bytes(1)))
    scan = services.scan_upload(application=submitted, actor=people.enterprise, uploaded_file=upload(pdf_bytes(2)))
    client.force_login(people.city)
    assert client.get(download_url(scan)).status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.DOWNLOAD)
    assert (event.actor, event.result, event.object_id) == (people.city, "success", str(submitted.public_id))
    assert (event.detail["document"], event.detail["version"], event.detail["sha256"]) == (
        "applications.StampedScan", 2, scan.sha256)
    assert audit_row(event)["change"] == "盖章扫描件 第2版"


def test_a_stored_file_that_no_longer_has_its_hash_is_refused_logged_and_audited(
    client, people, submitted, media, caplog
):
    scan = services.scan_upload(application=submitted, actor=people.enterprise, uploaded_file=upload())
    tampered = pdf_bytes(3)
    Path(default_storage.path(scan.file.name)).write_bytes(tampered)
    client.force_login(people.district)
    with caplog.at_level(logging.ERROR, logger="greenfactory.documents"):
        response = client.get(download_url(scan))
    assert response.status_code == 500
    assert "Content-Disposition" not in response
    page = response.content.decode()
    assert "校验值（SHA-256）不一致" in page and "已停止下载" in page and "盖章扫描件.pdf" in page
    assert reverse("applications:intake_detail", args=[submitted.public_id]) in page
    assert tampered not in response.content
    assert any("does not match its SHA-256" in record.getMessage() and scan.sha256 in record.getMessage()
               for record in caplog.records if record.name == "greenfactory.documents")
    event = AuditEvent.objects.get(action=AuditAction.DOWNLOAD)
    assert (event.actor, event.result, event.detail["reason"]) == (people.district, "failure", "hash_mismatch")
    assert event.detail["found"] == hashlib.sha256(tampered).hexdigest()
    assert audit_row(event)["change"] == "盖章扫描件 第1版；文件校验值不符，已停止下载"


def test_a_stored_file_that_is_missing_is_refused_the_same_way(client, people, submitted, media, caplog):
    scan = services.scan_upload(application=submitted, actor=people.enterprise, uploaded_file=upload())
    default_storage.delete(scan.file.name)
    client.force_login(people.district)
    with caplog.at_level(logging.ERROR, logger="greenfactory.documents"):
        response = client.get(download_url(scan))
    assert response.status_code == 500
    assert "找不到或无法读取" in response.content.decode()
    event = AuditEvent.objects.get(action=AuditAction.DOWNLOAD)
    assert (event.result, event.detail["reason"]) == ("failure", "missing")


def test_another_enterprises_scan_is_404_and_so_is_a_scan_under_another_application(
    client, people, submitted, campaign, media
):
    scan = services.scan_upload(application=submitted, actor=people.enterprise, uploaded_file=upload())
    other = services.intake_submit(application=filled(campaign, people.enterprise_2), actor=people.enterprise_2)
    other_scan = services.scan_upload(application=other, actor=people.enterprise_2, uploaded_file=upload())
    client.force_login(people.enterprise_2)
    assert client.get(download_url(scan)).status_code == 404
    # Its own application's URL with the other enterprise's scan id.
    url = reverse("applications:scan_download", args=[other.public_id, scan.pk])
    assert client.get(url).status_code == 404
    assert client.get(download_url(other_scan)).status_code == 200
    assert not AuditEvent.objects.filter(action=AuditAction.DOWNLOAD, object_id=str(submitted.public_id)).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_uploads_for_one_owner_at_once_get_two_versions(people, campaign, media):
    import threading

    from django.db import connections

    application = services.intake_submit(application=filled(campaign, people.enterprise), actor=people.enterprise)
    barrier, versions, errors = threading.Barrier(2), [], []

    def store(pages):
        try:
            barrier.wait(timeout=10)
            versions.append(save_upload(upload(pdf_bytes(pages)), StampedScan(application=application),
                                        actor=people.enterprise).version)
        except Exception as error:  # noqa: BLE001  (reported below)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=store, args=(pages,)) for pages in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(versions) == [1, 2]
