"""Stored documents: one record base for every uploaded or generated file, and one way to hand a file back.

Every document the portal keeps (the stamped scan now; evaluation reports, evidence, certificates, objection evidence
later) is a concrete subclass of ``StoredDocument`` in its own app, written only by ``greenfactory.uploads.save_upload``
and served only by ``document_response``. The SHA-256 taken when the file was stored is checked again on every
download, and a file that no longer has it is not served (GB/T 22239-2019 8.1.4.6, 数据完整性); uploads and
downloads are audited through ``greenfactory.uploads.document_event_record`` (the accounts app's trail, reached
through a setting, so this module imports no app).

A concrete document declares its owner and its own storage folder::

    class EvidenceFile(StoredDocument):
        owner_field = "measure"
        measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="evidence")
        file = models.FileField(_("佐证材料"), upload_to=GeneratedName("evidence"), max_length=200)

        class Meta(StoredDocument.Meta):
            constraints = [models.UniqueConstraint(fields=["measure", "version"], name="one_evidence_per_version")]

The system check below refuses a concrete document without an owner foreign key, without a generated storage name or
without the one-version-per-owner constraint.
"""

import hashlib
import hmac
import logging
import tempfile
from typing import ClassVar

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.db import models
from django.http import FileResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from greenfactory.middleware import current_request_id
from greenfactory.uploads import DEFAULT_MAX_BYTES, KINDS, GeneratedName, content_disposition, document_event_record

logger = logging.getLogger(__name__)

# A download is copied once from storage into this spool while it is hashed, so the bytes sent are the bytes checked;
# small files stay in memory, larger ones go to a temporary file.
_SPOOL_IN_MEMORY = 1024 * 1024
_CHUNK_SIZE = 64 * 1024


class StoredDocument(models.Model):
    """A file the portal keeps: its name for display, its type and size, its SHA-256, who stored it and when, and
    its version among the documents of the same owner record (1, 2, … in the order they were stored; earlier
    versions are kept). Written only by ``save_upload``; ``version`` and the rest are never edited afterwards."""

    # The name of the foreign key to the record the document belongs to (the version counts per owner).
    owner_field: ClassVar[str] = ""
    # What save_upload accepts for this kind of document (greenfactory.uploads.check_upload).
    allowed_kinds: ClassVar[tuple[str, ...]] = KINDS
    max_bytes: ClassVar[int] = DEFAULT_MAX_BYTES

    file = models.FileField(_("文件"), upload_to=GeneratedName("documents"), max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=120)
    content_type = models.CharField(_("文件类型"), max_length=40)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256 校验值"), max_length=64)
    # 1 for a record made before versions were counted or outside save_upload (a benchmark's bulk rows).
    version = models.PositiveIntegerField(_("版本"), default=1)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["-uploaded_at", "-id"]

    def __str__(self):
        return self.original_name

    @property
    def owner(self):
        return getattr(self, self.owner_field)


def document_response(request, document, *, back_url: str = ""):
    """The stored file as an attachment (``Content-Disposition`` with an ASCII fallback and the UTF-8 name), after
    making sure it is the file that was stored; the download is audited (``downloaded``).

    The caller has already found ``document`` through a selector scoped to the user (404 out of scope). The file is
    read from storage once, hashed while it is copied into a spool, and the spool is what is sent: a file swapped
    between the check and the sending cannot slip through. A file that is missing or whose SHA-256 differs from the
    recorded one is not sent: the refusal is logged, audited (``refused``) and answered with a Chinese page (500:
    the fault is the platform's, not the user's) naming the request id and linking to ``back_url``.
    """
    try:
        spool, digest = _spooled_copy(document.file)
    except Exception:  # a lost file or an unreachable object store: the same refusal as a changed file
        logger.exception("stored document %s #%s (%s) could not be read", document._meta.label, document.pk,
                         document.file.name)
        return _refused(request, document, reason="missing", back_url=back_url)
    if not hmac.compare_digest(digest, (document.sha256 or "").strip().lower()):
        spool.close()
        logger.error("stored document %s #%s (%s) does not match its SHA-256: recorded %s, found %s",
                     document._meta.label, document.pk, document.file.name, document.sha256, digest)
        return _refused(request, document, reason="hash_mismatch", back_url=back_url, found=digest)
    document_event_record("downloaded", document=document, actor=request.user, request=request)
    response = FileResponse(spool, content_type=document.content_type)
    response["Content-Disposition"] = content_disposition(document.original_name)
    return response


def _spooled_copy(field_file):
    hasher = hashlib.sha256()
    spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY)  # noqa: SIM115  (FileResponse closes it)
    try:
        with field_file.storage.open(field_file.name, "rb") as stored:
            while chunk := stored.read(_CHUNK_SIZE):
                hasher.update(chunk)
                spool.write(chunk)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return spool, hasher.hexdigest()


def _refused(request, document, *, reason, back_url, **detail):
    document_event_record("refused", document=document, actor=request.user, request=request, reason=reason,
                          **detail)
    request_id = current_request_id()
    return render(request, "documents/refused.html", {
        "document": document, "reason": reason, "back_url": back_url,
        "request_id": request_id if request_id != "-" else "",
    }, status=500)


@checks.register(checks.Tags.models)
def check_stored_documents(app_configs=None, **kwargs):
    """greenfactory.E010–E012 for every concrete stored document (see document_model_problems)."""
    return [
        problem
        for model in apps.get_models()
        if issubclass(model, StoredDocument) and (not app_configs or model._meta.app_config in app_configs)
        for problem in document_model_problems(model)
    ]


def document_model_problems(model) -> list[checks.Error]:
    """What a concrete stored document lacks: a foreign key to its owner named by ``owner_field`` (E010), a file
    stored under a ``GeneratedName`` (E011), one version number per owner (a unique constraint on owner and
    version, E012)."""
    owner_field = model.owner_field
    field = next((f for f in model._meta.fields if f.name == owner_field), None)
    if not owner_field or not isinstance(field, models.ForeignKey):
        return [checks.Error(f"{model._meta.label}.owner_field must name a ForeignKey of the model", obj=model,
                             id="greenfactory.E010")]
    problems = []
    if not isinstance(model._meta.get_field("file").upload_to, GeneratedName):
        problems.append(checks.Error(f"{model._meta.label}.file must store under a GeneratedName", obj=model,
                                     id="greenfactory.E011"))
    if not any(isinstance(c, models.UniqueConstraint) and set(c.fields) == {owner_field, "version"}
               and c.condition is None for c in model._meta.constraints):
        problems.append(checks.Error(f"{model._meta.label} needs a UniqueConstraint on ({owner_field!r}, 'version')",
                                     obj=model, id="greenfactory.E012"))
    return problems
