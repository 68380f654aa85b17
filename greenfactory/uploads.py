"""Checking and storing uploaded and generated documents (stamped scans, evaluation reports, evidence,
certificates): ``save_upload`` is the one write path; ``greenfactory.documents`` holds the record and the download.

The OWASP File Upload cheat sheet is the anchor: the type is decided by content (magic bytes), never by the name or
the content type the browser sent; the file must then open with the library that understands the format; files are
stored under generated names, never overwriting an older version; the user's name is kept only for display and for
the download header; a SHA-256 taken at upload is checked again on download (GB/T 22239-2019 8.1.4.6, 数据完整性).
"""

import hashlib
import hmac
import re
import unicodedata
import uuid
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.storage import Storage, default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from greenfactory.content_checks import _check_image, _check_pdf, _rewind
from greenfactory.text import join_list

KINDS = ("pdf", "jpeg", "png")
CONTENT_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}
EXTENSIONS = {"pdf": "pdf", "jpeg": "jpg", "png": "png"}
# Extensions a user's name may already carry for each kind; anything else gets the canonical one for display.
_NAME_EXTENSIONS = {"pdf": {"pdf"}, "jpeg": {"jpg", "jpeg", "jpe", "jfif"}, "png": {"png"}}
_LABELS = {"pdf": "PDF", "jpeg": "JPG", "png": "PNG"}

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MAX_NAME_LENGTH = 100
_CHUNK_SIZE = 64 * 1024
# Acrobat accepts a file whose %%EOF marker lies within the last 1024 bytes; a cut-off upload has none there.
_EOF_WINDOW = 1024

_SIGNATURES = (
    (b"%PDF-", "pdf"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
)
_HEAD_LENGTH = max(len(magic) for magic, _kind in _SIGNATURES)

_WINDOWS_ILLEGAL = re.compile(r'[<>:"/\\|?*]')
_WINDOWS_RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|CONIN\$|CONOUT\$|COM[0-9¹²³]|LPT[0-9¹²³])$", re.IGNORECASE)
_EXTENSION = re.compile(r"^[A-Za-z0-9]{1,10}$")
_PREFIX = re.compile(r"^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*$")
_SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class CheckedUpload:
    """What check_upload found out about a file; store `sha256` beside the stored name."""

    kind: str  # 'pdf' | 'jpeg' | 'png'
    content_type: str
    extension: str  # without the dot: 'pdf' | 'jpg' | 'png'
    size: int
    sha256: str  # lower-case hex
    original_name: str  # safe for display and for the download header; never used as a storage path


def check_upload(
    uploaded_file, *, allowed: tuple[str, ...] = KINDS, max_bytes: int = DEFAULT_MAX_BYTES
) -> CheckedUpload:
    """Decide by content whether an uploaded file is an intact PDF, JPEG or PNG of acceptable size.

    Reads the file once in chunks (size, SHA-256, signature, tail), then opens it with pypdf or Pillow.
    Leaves the file positioned at its start so the caller can store it.
    Raises ValidationError with a Chinese message and one of the codes: empty, too_large, unsupported_type,
    pdf_corrupt, pdf_encrypted, pdf_no_pages, pdf_active_content, pdf_embedded_file, image_corrupt, image_too_large.
    """
    unknown = set(allowed) - set(KINDS)
    if unknown or not allowed:
        raise ValueError(f"allowed must be a non-empty subset of {KINDS}, got {allowed!r}")

    declared_size = getattr(uploaded_file, "size", None)
    if declared_size is not None and declared_size > max_bytes:
        raise _too_large(max_bytes)

    hasher = hashlib.sha256()
    size = 0
    head = b""
    tail = b""
    for chunk in _chunks(uploaded_file):
        size += len(chunk)
        if size > max_bytes:
            _rewind(uploaded_file)
            raise _too_large(max_bytes)
        hasher.update(chunk)
        if len(head) < _HEAD_LENGTH:
            head = (head + chunk)[:_HEAD_LENGTH]
        tail = (tail + chunk)[-_EOF_WINDOW:]
    _rewind(uploaded_file)

    if size == 0:
        raise ValidationError(_("文件为空。"), code="empty")

    kind = _sniff(head)
    if kind is None or kind not in allowed:
        raise _unsupported(allowed)

    try:
        if kind == "pdf":
            _check_pdf(uploaded_file, tail)
        else:
            _check_image(uploaded_file, kind)
    finally:
        _rewind(uploaded_file)

    name = _name_for_kind(safe_display_name(getattr(uploaded_file, "name", None) or ""), kind)
    return CheckedUpload(
        kind=kind,
        content_type=CONTENT_TYPES[kind],
        extension=EXTENSIONS[kind],
        size=size,
        sha256=hasher.hexdigest(),
        original_name=name,
    )


def safe_display_name(name: str, *, fallback: str = "文件") -> str:
    """The user's file name made safe to show and to send back in a header; never a storage path.

    Drops any directory part, control and format characters (CR, LF, NUL, bidi overrides), characters Windows
    forbids, leading dots and trailing dots or spaces; keeps CJK and private-use characters (rare characters in
    names); truncates to MAX_NAME_LENGTH characters keeping a short extension. Never returns an empty string.
    """
    text = unicodedata.normalize("NFC", name or "")
    # Both separators, whatever the server's OS: a name from a Windows browser may carry C:\Users\...
    text = re.split(r"[/\\]", text)[-1]
    cleaned = []
    for char in text:
        category = unicodedata.category(char)
        if category in ("Cc", "Cf", "Cs"):
            continue
        if category in ("Zs", "Zl", "Zp"):
            char = " "
        cleaned.append(char)
    text = re.sub(r" {2,}", " ", _WINDOWS_ILLEGAL.sub("_", "".join(cleaned))).strip()

    # Leading dots hide a file on Unix (.htaccess); they go before the extension is looked for.
    text = text.lstrip(". ")
    stem, dot, extension = text.rpartition(".")
    if not dot or not _EXTENSION.match(extension):
        stem, extension = text, ""
    stem = stem.rstrip(". ")
    # Windows reserves CON, NUL, COM1 … whatever follows the first dot (CON.tar.gz too).
    # "CON .txt" is the device too, and "ＣＯＮ" turns into it wherever the name is transliterated (NFKC).
    if _WINDOWS_RESERVED.match(unicodedata.normalize("NFKC", stem.split(".")[0]).rstrip(" ")):
        stem = f"_{stem}"
    if extension:
        stem = stem[: MAX_NAME_LENGTH - len(extension) - 1].rstrip(". ") or fallback
        return f"{stem}.{extension}"
    return stem[:MAX_NAME_LENGTH].rstrip(". ") or fallback


def storage_name(prefix: str, checked: CheckedUpload) -> str:
    """A fresh name such as `applications/scans/2025/03/<uuid4 hex>.pdf`: never derived from the user's name, and
    different on every call, so a new version never replaces an old one."""
    prefix = prefix.rstrip("/")
    if not _PREFIX.match(prefix):
        raise ValueError(f"storage prefix must be slash-separated [A-Za-z0-9_-] segments, got {prefix!r}")
    today = timezone.localdate()
    return f"{prefix}/{today:%Y}/{today:%m}/{uuid.uuid4().hex}.{EXTENSIONS[checked.kind]}"


@deconstructible
class GeneratedName:
    """A FileField's ``upload_to``: ``<prefix>/<year>/<month>/<uuid4 hex>.<extension>``, whatever name the caller
    passes to ``FieldFile.save`` (a name from ``storage_name`` or the user's). A plain ``upload_to="prefix/%Y/%m/"``
    is joined to the name it is given, so a name that was already generated came out twice
    (``intake-scans/2026/11/intake-scans/2026/11/…``). Names stored before keep working: they are read as stored."""

    def __init__(self, prefix: str):
        if not _PREFIX.match(prefix.rstrip("/")):
            raise ValueError(f"storage prefix must be slash-separated [A-Za-z0-9_-] segments, got {prefix!r}")
        self.prefix = prefix.rstrip("/")

    def __call__(self, instance, filename: str) -> str:
        extension = filename.rpartition(".")[2].lower() if "." in filename else ""
        extension = extension if _EXTENSION.match(extension) else "bin"
        today = timezone.localdate()
        return f"{self.prefix}/{today:%Y}/{today:%m}/{uuid.uuid4().hex}.{extension}"

    def __eq__(self, other):
        return isinstance(other, GeneratedName) and other.prefix == self.prefix

    def __hash__(self):
        return hash(self.prefix)


def save_upload(uploaded_file, document, *, actor, request=None):
    """The one way a document reaches storage. ``document`` is an unsaved instance of a concrete
    ``greenfactory.documents.StoredDocument`` with its owner (and any field of its own) set.

    Checks the content (check_upload, with the model's ``allowed_kinds`` and ``max_bytes``), stores the file under a
    generated name (the model's ``GeneratedName``), makes sure what was stored has the checked SHA-256, numbers the
    version (one more than the owner's latest, counted under a lock on the owner's row), saves the record with its
    name, type, size, hash, uploader and time, and audits the upload (``document_event_record("stored", …)``), all in
    one transaction. If anything after the store fails, the stored copy is deleted: a record never lacks its file.
    Raises ValidationError (the codes of check_upload) for a refused file, ValueError when the stored copy does not
    match the checked upload, TypeError when ``document`` is not an unsaved stored document. Returns the document.
    """
    owner_field = getattr(document, "owner_field", "")
    if not owner_field or not getattr(document, "_state", None) or not document._state.adding:
        raise TypeError("save_upload takes an unsaved instance of a concrete StoredDocument")
    checked = check_upload(uploaded_file, allowed=document.allowed_kinds, max_bytes=document.max_bytes)
    field = document._meta.get_field("file")
    # The field's upload_to (a GeneratedName) decides the name; the user's name only gives way to the extension.
    name = _store(uploaded_file, checked, field.generate_filename(document, f"upload.{checked.extension}"),
                  field.storage)
    owner = document._meta.get_field(owner_field)
    try:
        with transaction.atomic():
            owner_id = getattr(document, owner.attname)
            # Two uploads for one owner at once must not both take the same number: the owner's row is the lock.
            list(owner.related_model._base_manager.select_for_update().filter(pk=owner_id).values_list("pk"))
            latest = type(document)._base_manager.filter(**{owner.attname: owner_id}).aggregate(
                latest=Max("version"))["latest"]
            document.file.name = name
            document.original_name = checked.original_name
            document.content_type = checked.content_type
            document.size = checked.size
            document.sha256 = checked.sha256
            document.version = (latest or 0) + 1
            document.uploaded_by = actor
            document.uploaded_at = timezone.now()
            document.save(force_insert=True)
            document_event_record("stored", document=document, actor=actor, request=request)
    except BaseException:
        field.storage.delete(name)
        raise
    return document


def store_checked(uploaded_file, checked: CheckedUpload, *, prefix: str, storage: Storage | None = None) -> str:
    """Store a file that check_upload accepted under a generated name and return the name the storage used; no
    record, no version, no audit. Only save_upload (and tests of the storing itself) call it: apps store documents
    with save_upload.

    Guarantees that what was stored has the checked SHA-256 (the file object could have been replaced or changed
    between the check and the save). Raises ValueError if it does not, after deleting the stored copy.
    """
    return _store(uploaded_file, checked, storage_name(prefix, checked), storage or default_storage)


def _store(uploaded_file, checked: CheckedUpload, name: str, storage: Storage) -> str:
    _rewind(uploaded_file)
    name = storage.save(name, uploaded_file)
    with storage.open(name, "rb") as stored:
        intact = verify_sha256(stored, checked.sha256)
    if not intact:
        storage.delete(name)
        raise ValueError("the stored file does not match the checked upload")
    return name


def document_event_record(event: str, *, document, actor=None, request=None, **detail) -> None:
    """Hand an event on a stored document to the audit trail: ``stored`` (uploaded or generated), ``downloaded``,
    ``refused`` (a download stopped because the stored file is missing or no longer has its SHA-256).

    The trail is the accounts app's: settings ``DOCUMENT_EVENT_RECORDER`` names the function (as
    ``ACCESS_DENIED_RECORDER`` does for refusals), so this module imports no app. Without one, nothing is stored
    or served: a document that cannot be audited is not handled (ImproperlyConfigured).
    """
    path = getattr(settings, "DOCUMENT_EVENT_RECORDER", "")
    if not path:
        raise ImproperlyConfigured("DOCUMENT_EVENT_RECORDER must name the function that audits stored documents")
    import_string(path)(event, document=document, actor=actor, request=request, **detail)


def content_disposition(name: str) -> str:
    """`attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded>` (RFC 6266, RFC 8187).

    Django's content_disposition_header sends only one of the two parameters (filename* alone for a Chinese
    name), which older clients and some download tools ignore; both are sent here, from a name first passed
    through safe_display_name so no CR/LF or quote can reach the header.
    """
    display = safe_display_name(name)
    stem, dot, extension = display.rpartition(".")
    if not dot:
        stem, extension = display, ""
    ascii_stem = _ascii_fallback(stem) or "download"
    ascii_extension = _ascii_fallback(extension)
    ascii_name = f"{ascii_stem}.{ascii_extension}" if ascii_extension else ascii_stem
    # The fallback strips and transliterates (``_CON`` → ``CON``, ``ＣＯＮ`` → ``CON``), so the rules for a safe name
    # (no reserved device name, no leading dot, no trailing dot or space) are applied again to what comes out.
    ascii_name = safe_display_name(ascii_name, fallback="download")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(display, safe='')}"


def verify_sha256(file_obj, expected_hex: str) -> bool:
    """True when the file's content has the SHA-256 recorded at upload; read in chunks, then rewound."""
    expected = (expected_hex or "").strip().lower()
    if not _SHA256_HEX.match(expected):
        return False
    hasher = hashlib.sha256()
    for chunk in _chunks(file_obj):
        hasher.update(chunk)
    _rewind(file_obj)
    return hmac.compare_digest(hasher.hexdigest(), expected)


def _chunks(file_obj):
    if hasattr(file_obj, "chunks"):
        # Django's File.chunks() seeks to the start itself.
        yield from file_obj.chunks(_CHUNK_SIZE)
        return
    _rewind(file_obj)
    while chunk := file_obj.read(_CHUNK_SIZE):
        yield chunk


def _sniff(head: bytes) -> str | None:
    for magic, kind in _SIGNATURES:
        if head.startswith(magic):
            return kind
    return None


def _name_for_kind(name: str, kind: str) -> str:
    """A PNG uploaded as `scan.pdf` is shown and downloaded as `scan.png`, so the name never lies about the
    content."""
    stem, dot, extension = name.rpartition(".")
    if dot and extension.lower() in _NAME_EXTENSIONS[kind]:
        return name
    known = set().union(*_NAME_EXTENSIONS.values())
    if dot and extension.lower() in known:
        name = stem
    return safe_display_name(f"{name}.{EXTENSIONS[kind]}")


def _ascii_fallback(text: str) -> str:
    # NFKD splits accented letters so "é" keeps its "e"; "%" would be percent-decoded by some browsers.
    decomposed = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r'[^\x20-\x7e]|["\\%]', "_", decomposed).strip(" ._")


def _format_size(size: int) -> str:
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor:
            return f"{size / factor:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} 字节"


def _too_large(max_bytes: int) -> ValidationError:
    return ValidationError(
        _("文件超过大小上限 %(limit)s。"), code="too_large", params={"limit": _format_size(max_bytes)}
    )


def _unsupported(allowed) -> ValidationError:
    if set(allowed) == set(KINDS):
        return ValidationError(_("文件内容不是有效的PDF或图片（JPG/PNG）。"), code="unsupported_type")
    return ValidationError(
        _("文件内容不是允许的类型，只接受 %(kinds)s 文件。"),
        code="unsupported_type",
        params={"kinds": join_list(_LABELS[kind] for kind in KINDS if kind in allowed)},
    )


