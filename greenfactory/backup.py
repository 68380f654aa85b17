"""Backup and restore of the whole portal: every table's rows and every uploaded file, with a manifest of row counts
and SHA-256 hashes, in one .tar.gz. Restore goes into a freshly migrated, otherwise empty database and checks the
counts and hashes it finds against the manifest. App-free: it asks Django for the models, it imports none, and the
apps register the reference rows their migrations load (``register_reference_rows``)."""

import hashlib
import io
import json
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import router, transaction
from django.utils import timezone

# Rebuilt by migrate or by Django itself; not business data.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]
FORMAT = 1

# Per app, in the order the apps register (their AppConfig.ready), the models whose rows their migrations load.
_reference_rows: list[tuple[str, ...]] = []


def register_reference_rows(*labels: str) -> None:
    """Models (``app_label.model``) whose rows an app's migrations load as reference data, dependents first: a
    restore deletes them before it loads the backup's own rows (their keys may differ). A later app, which may refer
    to an earlier one's rows, has its own deleted first."""
    labels = tuple(label.lower() for label in labels)
    if labels not in _reference_rows:
        _reference_rows.append(labels)


def _counted_models():
    excluded_apps = {label for label in EXCLUDED if "." not in label}
    excluded_models = {label for label in EXCLUDED if "." in label}
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.app_label in excluded_apps or label in excluded_models or model._meta.proxy:
            continue
        if not model._meta.managed or not router.allow_migrate_model("default", model):
            continue
        yield label, model


def row_counts() -> dict[str, int]:
    return {label: model._default_manager.count() for label, model in _counted_models()}


def _media_files():
    def walk(prefix):
        directories, files = default_storage.listdir(prefix)
        for name in files:
            yield f"{prefix}/{name}" if prefix else name
        for directory in directories:
            yield from walk(f"{prefix}/{directory}" if prefix else directory)

    try:
        yield from walk("")
    except FileNotFoundError:
        return


def backup(path: Path) -> dict:
    """Write the archive; returns its manifest."""
    data = io.StringIO()
    call_command("dumpdata", exclude=EXCLUDED, natural_foreign=True, indent=None, stdout=data)
    payload = data.getvalue().encode("utf-8")
    files = {}
    with tarfile.open(path, "w:gz") as archive:
        for name in sorted(_media_files()):
            if name.startswith("health/"):
                continue
            with default_storage.open(name, "rb") as handle:
                content = handle.read()
            files[name] = hashlib.sha256(content).hexdigest()
            info = tarfile.TarInfo(f"media/{name}")
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
        manifest = {"format": FORMAT, "created_at": timezone.now().isoformat(), "rows": row_counts(),
                    "data_sha256": hashlib.sha256(payload).hexdigest(), "files": files}
        for name, content in (("data.json", payload), ("manifest.json", json.dumps(manifest, indent=1).encode())):
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    return manifest


class RestoreError(Exception):
    pass


def restore(path: Path) -> dict:
    """Load an archive into the current (migrated) database and storage; raise RestoreError when anything read back
    differs from the manifest. The database must hold nothing but what migrations create."""
    with tarfile.open(path, "r:gz") as archive:
        manifest = json.load(archive.extractfile("manifest.json"))
        if manifest.get("format") != FORMAT:
            raise RestoreError(f"unknown backup format {manifest.get('format')!r}")
        payload = archive.extractfile("data.json").read()
        if hashlib.sha256(payload).hexdigest() != manifest["data_sha256"]:
            raise RestoreError("data.json does not match its hash")
        busy = {label: n for label, n in row_counts().items() if n and label not in set(_migration_rows())}
        if busy:
            raise RestoreError(f"the database is not empty: {busy}")
        with tempfile.NamedTemporaryFile(suffix=".json") as handle, transaction.atomic():
            # The reference rows that migrations load are replaced by the backup's own (their keys may differ).
            for label in _migration_rows():
                apps.get_model(label)._default_manager.all().delete()
            handle.write(payload)
            handle.flush()
            call_command("loaddata", handle.name, verbosity=0)
        for name, digest in manifest["files"].items():
            member = archive.extractfile(f"media/{name}")
            content = member.read()
            if hashlib.sha256(content).hexdigest() != digest:
                raise RestoreError(f"{name} does not match its hash")
            if default_storage.exists(name):
                default_storage.delete(name)
            saved = default_storage.save(name, ContentFile(content))
            if saved != name:
                raise RestoreError(f"{name} was stored as {saved}")
    counts = row_counts()
    different = {label: (n, counts.get(label)) for label, n in manifest["rows"].items() if counts.get(label) != n}
    if different:
        raise RestoreError(f"row counts differ after restore: {different}")
    return manifest


def _migration_rows():
    # Reference data that migrations load on an empty database, in an order that deletes dependents first.
    return [label for labels in reversed(_reference_rows) for label in labels]
