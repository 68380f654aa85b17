"""What a file's content must not be, by kind: a PDF that cannot be read, is encrypted or has no page, or carries a
script, an action other than a jump inside the document, or an embedded file; an image that cannot be decoded or is
too large to decode safely. ``greenfactory.uploads.check_upload`` calls these after sniffing the kind."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image
from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError

# A3 scanned at 600 dpi is 7016 × 9921 px (70 megapixels); nothing legitimate is larger. Kept under Pillow's own
# decompression-bomb threshold (89 478 485 px) so our message is the one users see.
MAX_IMAGE_SIDE = 20_000

MAX_IMAGE_PIXELS = 80_000_000

def _check_pdf(uploaded_file, tail: bytes) -> None:
    if b"%%EOF" not in tail:
        raise _pdf_corrupt()
    try:
        reader = PdfReader(uploaded_file, strict=False)
        encrypted = reader.is_encrypted
        page_count = 0 if encrypted else len(reader.pages)
        active = None if encrypted else _active_content(reader)
    except (DependencyError, FileNotDecryptedError):
        # pypdf needs a crypto library only to open an encrypted file (AES); without one it raises here.
        encrypted = True
    except Exception as error:
        # Hostile or broken input can make a parser raise anything; the user gets a message, never a 500.
        raise _pdf_corrupt() from error
    if encrypted:
        raise ValidationError(_("PDF 文件已加密，请上传未加密的扫描件。"), code="pdf_encrypted")
    if page_count < 1:
        raise ValidationError(_("PDF 文件没有任何页面。"), code="pdf_no_pages")
    if active == "script":
        raise ValidationError(
            _("PDF 文件含有脚本（JavaScript）、自动执行的动作或链接到文档以外的动作（网址、其他文件、提交表单等），"
              "不能作为扫描件上传。请用扫描仪扫描盖章后的纸质表格，或用“打印为 PDF”重新生成后上传。"),
            code="pdf_active_content")
    if active == "embedded":
        raise ValidationError(
            _("PDF 文件内嵌了其他文件（附件），不能作为扫描件上传。请只上传盖章表格的扫描件。"),
            code="pdf_embedded_file")

# What a scan of a stamped paper form never holds: scripts, actions of any kind but a jump inside the document,
# embedded files (OWASP File Upload cheat sheet: active content). An action does not need a script to do harm:
# /GoToR to \\host\share leaks the reader's NTLM credentials, /SubmitForm and /URI reach out to the network,
# /Launch, /ImportData, /Rendition, /Sound and /Movie open or play something. Looked for in every dictionary
# reachable from the document's root, so names hidden in compressed object streams or spelt with #-escapes (pypdf
# decodes both) are found too.
_SCRIPT_KEYS = {"/JS", "/JavaScript", "/RichMedia", "/XFA"}

# Actions that run by themselves (on opening the file, a page, a field): a scan needs none.
_AUTOMATIC_ACTION_KEYS = {"/AA"}

# Keys whose dictionary value is an action (annotations and outline items: /A; chained actions: /Next).
_ACTION_KEYS = {"/A", "/Next", "/OpenAction", "/PA"}

# Every action type of ISO 32000-2 (12.6.4) but /GoTo, so an action is recognised whatever key holds it; none of
# these names is also the /S of a transition, a group, a soft mask, a border style or a page-label style.
_OTHER_ACTIONS = {
    "/GoToR", "/GoToE", "/GoToDp", "/Launch", "/Thread", "/URI", "/Sound", "/Movie", "/Hide", "/Named",
    "/SubmitForm", "/ResetForm", "/ImportData", "/SetOCGState", "/Rendition", "/Trans", "/GoTo3DView",
    "/JavaScript", "/RichMediaExecute",
}

_INTERNAL_JUMP = "/GoTo"

_EMBEDDED_KEYS = {"/EmbeddedFiles", "/EmbeddedFile", "/EF"}

_EMBEDDED_TYPES = {"/EmbeddedFile", "/FileAttachment"}

# A scan has a few objects per page; a file with more than this many is not a scan (and would cost too much to walk).
MAX_PDF_OBJECTS = 200_000

def _is_refused_action(node, reached_by: str | None) -> bool:
    """An action dictionary whose type is anything but a jump inside the document."""
    kind = node.get("/S")
    if kind in _OTHER_ACTIONS:
        return True
    is_action = node.get("/Type") == "/Action" or reached_by in _ACTION_KEYS
    return is_action and kind is not None and kind != _INTERNAL_JUMP

def _active_content(reader) -> str | None:
    """'script' when the PDF holds a script or an action (other than a jump inside the document), or actions that
    run by themselves (/OpenAction as an action, /AA); 'embedded' when it embeds files; else None.

    An /OpenAction that is only a destination (an array: open at this page, at this zoom) is not an action and is
    left alone: scanning software writes it."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen: set[tuple[int, int]] = set()
    stack: list[tuple[str | None, object]] = [(None, reader.trailer)]
    visited = 0
    while stack:
        reached_by, node = stack.pop()
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation)
            if key in seen:
                continue
            seen.add(key)
            node = node.get_object()
        visited += 1
        if visited > MAX_PDF_OBJECTS:
            raise _pdf_corrupt()
        if isinstance(node, DictionaryObject):
            keys = set(node.keys())
            if keys & (_SCRIPT_KEYS | _AUTOMATIC_ACTION_KEYS):
                return "script"
            if "/OpenAction" in keys and not isinstance(_resolved(node["/OpenAction"]), ArrayObject):
                return "script"
            if _is_refused_action(node, reached_by):
                return "script"
            if keys & _EMBEDDED_KEYS or node.get("/Type") in _EMBEDDED_TYPES or node.get("/Subtype") in _EMBEDDED_TYPES:
                return "embedded"
            stack.extend((name, value) for name, value in node.items() if name != "/Parent")
        elif isinstance(node, ArrayObject):
            # An array's items keep the key that led to it (/Next may hold an array of actions).
            stack.extend((reached_by, value) for value in node)
    return None

def _check_image(uploaded_file, kind: str) -> None:
    formats = {"jpeg": {"JPEG", "MPO"}, "png": {"PNG"}}[kind]
    if _END_MARKERS[kind] not in _tail(uploaded_file):
        raise _image_corrupt()
    try:
        with Image.open(uploaded_file, formats=sorted(formats)) as image:
            width, height = image.size
            if width > MAX_IMAGE_SIDE or height > MAX_IMAGE_SIDE or width * height > MAX_IMAGE_PIXELS:
                raise _image_too_large()
            if width < 1 or height < 1:
                raise _image_corrupt()
            image.verify()
        if kind == "jpeg":
            # verify() checks little in a JPEG; decoding at 1/8 scale finds a cut-off file at a 64th of the memory.
            _rewind(uploaded_file)
            with Image.open(uploaded_file, formats=sorted(formats)) as image:
                image.draft(image.mode, (max(1, width // 8), max(1, height // 8)))
                image.load()
    except ValidationError:
        raise
    except Image.DecompressionBombError as error:
        raise _image_too_large() from error
    except Exception as error:
        # Same reason as for PDFs: a broken image must give a message, never a 500.
        raise _image_corrupt() from error

def _pdf_corrupt() -> ValidationError:
    return ValidationError(_("PDF 文件已损坏或不完整。"), code="pdf_corrupt")

def _image_corrupt() -> ValidationError:
    return ValidationError(_("图片文件已损坏或不完整。"), code="image_corrupt")

def _image_too_large() -> ValidationError:
    return ValidationError(
        _("图片尺寸过大：每边不超过 %(side)d 像素，总计不超过 %(megapixels)d 百万像素。"),
        code="image_too_large",
        params={"side": MAX_IMAGE_SIDE, "megapixels": MAX_IMAGE_PIXELS // 1_000_000},
    )


def _rewind(file_obj) -> None:
    seekable = getattr(file_obj, "seekable", None)
    if seekable is None or seekable():
        file_obj.seek(0)


def _resolved(value):
    from pypdf.generic import IndirectObject

    return value.get_object() if isinstance(value, IndirectObject) else value


# The marker that closes a complete file, looked for near its end: Pillow's own truncation check cannot be relied
# on, because WeasyPrint sets the process-wide ImageFile.LOAD_TRUNCATED_IMAGES when the PDF helper is imported.
_END_MARKERS = {"jpeg": b"\xff\xd9", "png": b"IEND\xaeB`\x82"}


def _tail(uploaded_file, size=1024, padding_limit=1024 * 1024) -> bytes:
    """The last ``size`` bytes before any trailing NUL or white-space padding (some scanners pad their files)."""
    uploaded_file.seek(0, 2)
    end = uploaded_file.tell()
    stripped_end = end
    while stripped_end > 0 and end - stripped_end < padding_limit:
        start = max(0, stripped_end - 64 * 1024)
        uploaded_file.seek(start)
        chunk = uploaded_file.read(stripped_end - start).rstrip(b"\0 \t\r\n")
        stripped_end = start + len(chunk)
        if chunk:
            break
    uploaded_file.seek(max(0, stripped_end - size))
    tail = uploaded_file.read(stripped_end - max(0, stripped_end - size))
    _rewind(uploaded_file)
    return tail
