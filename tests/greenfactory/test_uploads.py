"""Upload checks: content decides the type, broken or hostile files are refused in Chinese, names are made safe."""

import hashlib
import io
import re
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter
from pypdf.errors import DependencyError

from greenfactory import content_checks
from greenfactory.uploads import (
    CheckedUpload,
    check_upload,
    content_disposition,
    safe_display_name,
    storage_name,
    verify_sha256,
)
from greenfactory.uploads import store_checked as save_upload  # the storing itself; records go through save_upload


def pdf_bytes(*, pages=1, password=None):
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if password is not None:
        writer.encrypt(user_password=password, owner_password=password)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def image_bytes(image_format, size=(40, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (0, 128, 0)).save(buffer, image_format)
    return buffer.getvalue()


def png_declaring(width, height):
    """A small valid PNG whose header claims other dimensions (the CRC is recomputed so only the size lies)."""
    data = bytearray(image_bytes("PNG", (1, 1)))
    ihdr = 8 + 4  # signature, then the IHDR length field
    data[ihdr + 4 : ihdr + 12] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[ihdr : ihdr + 4 + 13]))
    data[ihdr + 4 + 13 : ihdr + 4 + 17] = struct.pack(">I", crc)
    return bytes(data)


def upload(name, content, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def refusal(uploaded_file, **kwargs):
    with pytest.raises(ValidationError) as error:
        check_upload(uploaded_file, **kwargs)
    return error.value


# Files that pass


def test_a_valid_pdf_is_accepted_with_its_kind_size_and_sha256():
    content = pdf_bytes()
    checked = check_upload(upload("盖章扫描件.pdf", content))
    assert checked == CheckedUpload(
        kind="pdf",
        content_type="application/pdf",
        extension="pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        original_name="盖章扫描件.pdf",
    )


@pytest.mark.parametrize(
    ("image_format", "name", "kind", "content_type", "extension"),
    [("PNG", "scan.png", "png", "image/png", "png"), ("JPEG", "scan.jpeg", "jpeg", "image/jpeg", "jpg")],
)
def test_a_valid_image_is_accepted_with_its_kind_and_sha256(image_format, name, kind, content_type, extension):
    content = image_bytes(image_format)
    checked = check_upload(upload(name, content, content_type="application/octet-stream"))
    assert (checked.kind, checked.content_type, checked.extension) == (kind, content_type, extension)
    assert checked.sha256 == hashlib.sha256(content).hexdigest()
    assert checked.size == len(content)
    assert checked.original_name == name


def test_the_file_is_left_at_its_start_so_it_can_be_stored():
    content = pdf_bytes()
    uploaded = upload("a.pdf", content)
    check_upload(uploaded)
    assert uploaded.read() == content


def test_a_file_larger_than_one_chunk_gets_the_sha256_of_all_its_bytes():
    content = image_bytes("PNG", (600, 600)) + b"\0" * (200 * 1024)  # trailing bytes after IEND are ignored by Pillow
    checked = check_upload(upload("big.png", content))
    assert checked.sha256 == hashlib.sha256(content).hexdigest()
    assert checked.size == len(content)


def test_an_image_uploaded_under_a_pdf_name_is_named_after_its_content():
    checked = check_upload(upload("scan.pdf", image_bytes("PNG")))
    assert checked.kind == "png"
    assert checked.original_name == "scan.png"


def test_a_name_without_extension_gets_the_extension_of_its_content():
    assert check_upload(upload("扫描件", pdf_bytes())).original_name == "扫描件.pdf"


# Files refused by content


def test_an_exe_renamed_pdf_is_refused():
    error = refusal(upload("申请表.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\0" * 200))
    assert error.code == "unsupported_type"
    assert error.messages == ["文件内容不是有效的PDF或图片（JPG/PNG）。"]


def test_a_text_file_named_scan_pdf_is_refused_whatever_content_type_the_browser_sent():
    error = refusal(upload("scan.pdf", "这不是扫描件。\n".encode(), content_type="application/pdf"))
    assert error.code == "unsupported_type"


def test_a_truncated_pdf_is_refused():
    error = refusal(upload("scan.pdf", pdf_bytes()[:200]))
    assert error.code == "pdf_corrupt"
    assert error.messages == ["PDF 文件已损坏或不完整。"]


def test_a_truncated_pdf_given_a_forged_end_marker_is_still_refused_by_the_parser():
    content = pdf_bytes(pages=3)
    error = refusal(upload("scan.pdf", content[: len(content) // 2] + b"\n%%EOF\n"))
    assert error.code == "pdf_corrupt"


def test_a_pdf_with_only_its_last_bytes_missing_is_refused():
    error = refusal(upload("scan.pdf", pdf_bytes(pages=3)[:-10]))
    assert error.code == "pdf_corrupt"


def test_garbage_after_a_pdf_header_is_refused():
    error = refusal(upload("scan.pdf", b"%PDF-1.7\n" + b"garbage " * 100 + b"\n%%EOF\n"))
    assert error.code == "pdf_corrupt"


def test_an_encrypted_pdf_is_refused():
    error = refusal(upload("scan.pdf", pdf_bytes(password="secret")))
    assert error.code == "pdf_encrypted"
    assert error.messages == ["PDF 文件已加密，请上传未加密的扫描件。"]


def test_a_pdf_encrypted_with_an_empty_user_password_is_refused_too():
    assert refusal(upload("scan.pdf", pdf_bytes(password=""))).code == "pdf_encrypted"


def test_a_pdf_without_pages_is_refused():
    error = refusal(upload("scan.pdf", pdf_bytes(pages=0)))
    assert error.code == "pdf_no_pages"


def test_an_empty_file_is_refused():
    error = refusal(upload("scan.pdf", b""))
    assert error.code == "empty"
    assert error.messages == ["文件为空。"]


def test_exactly_the_size_limit_is_accepted_and_one_byte_more_is_refused():
    content = pdf_bytes()
    assert check_upload(upload("a.pdf", content), max_bytes=len(content)).size == len(content)
    error = refusal(upload("a.pdf", content), max_bytes=len(content) - 1)
    assert error.code == "too_large"


def test_a_file_whose_declared_size_lies_is_still_stopped_at_the_limit():
    content = pdf_bytes()
    uploaded = upload("a.pdf", content)
    uploaded.size = 10
    assert refusal(uploaded, max_bytes=len(content) - 1).code == "too_large"


def test_the_size_message_states_the_limit_in_megabytes():
    uploaded = upload("a.pdf", pdf_bytes())
    uploaded.size = 20 * 1024 * 1024 + 1
    assert refusal(uploaded).messages == ["文件超过大小上限 20 MB。"]


def test_a_png_declaring_huge_dimensions_is_refused():
    error = refusal(upload("bomb.png", png_declaring(100_000, 100_000)))
    assert error.code == "image_too_large"
    assert "20000" in error.messages[0]


def test_a_png_wider_than_the_side_limit_is_refused_even_with_few_pixels():
    too_wide = image_bytes("PNG", (content_checks.MAX_IMAGE_SIDE + 1, 1))
    assert refusal(upload("strip.png", too_wide)).code == "image_too_large"


def test_a_png_with_a_damaged_chunk_is_refused():
    data = bytearray(image_bytes("PNG", (64, 64)))
    data[-20] ^= 0xFF  # inside IDAT: its CRC no longer matches
    assert refusal(upload("scan.png", bytes(data))).code == "image_corrupt"


def test_a_truncated_jpeg_is_refused():
    content = image_bytes("JPEG", (400, 300))
    error = refusal(upload("scan.jpg", content[: len(content) // 2]))
    assert error.code == "image_corrupt"
    assert error.messages == ["图片文件已损坏或不完整。"]


def test_a_kind_outside_the_allowed_ones_is_refused_naming_the_allowed_ones():
    error = refusal(upload("scan.png", image_bytes("PNG")), allowed=("pdf",))
    assert error.code == "unsupported_type"
    assert error.messages == ["文件内容不是允许的类型，只接受 PDF 文件。"]


def test_an_unknown_kind_in_allowed_is_a_programming_error():
    with pytest.raises(ValueError, match="allowed"):
        check_upload(upload("a.pdf", pdf_bytes()), allowed=("pdf", "exe"))


# Names


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\win.ini", "win.ini"),
        ("C:\\Users\\张三\\Desktop\\盖章扫描件.pdf", "盖章扫描件.pdf"),
        ("盖章扫描件.pdf", "盖章扫描件.pdf"),
        ("a\r\nb.pdf", "ab.pdf"),
        ("a\x00b.pdf", "ab.pdf"),
        (".htaccess", "htaccess"),
        ("...hidden.pdf", "hidden.pdf"),
        ('评估<报告>:"终稿"|?*.pdf', "评估_报告___终稿____.pdf"),
        ("report.pdf. . .", "report.pdf"),
        ("CON.pdf", "_CON.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),
        ("a\tb   c.pdf", "ab c.pdf"),
        ("𠮷野家申请表.pdf", "𠮷野家申请表.pdf"),
    ],
)
def test_names_are_made_safe_for_display(raw, expected):
    assert safe_display_name(raw) == expected


@pytest.mark.parametrize("raw", ["", "../", "\r\n", "\x00", "...", "/", None])
def test_a_name_with_nothing_left_gets_the_fallback(raw):
    assert safe_display_name(raw) == "文件"
    assert safe_display_name(raw, fallback="scan") == "scan"


def test_a_name_that_is_only_a_dotted_extension_loses_its_leading_dot():
    assert safe_display_name(".pdf") == "pdf"
    assert check_upload(upload(".pdf", pdf_bytes())).original_name == "pdf.pdf"


def test_a_300_character_name_is_cut_to_100_characters_keeping_its_extension():
    name = safe_display_name("申" * 296 + ".pdf")
    assert len(name) == 100
    assert name == "申" * 96 + ".pdf"


def test_a_300_character_name_without_extension_is_cut_to_100_characters():
    assert safe_display_name("a" * 300) == "a" * 100


def test_a_checked_upload_carries_the_safe_name():
    checked = check_upload(upload("../../etc/" + "x" * 300 + "\r\n.pdf", pdf_bytes()))
    assert checked.original_name == "x" * 96 + ".pdf"


# Storage


def checked_pdf(name="盖章扫描件.pdf"):
    return check_upload(upload(name, pdf_bytes()))


def test_storage_names_are_generated_under_the_prefix_never_from_the_users_name():
    checked = checked_pdf("secret-plan.pdf")
    name = storage_name("applications/scans", checked)
    assert re.fullmatch(r"applications/scans/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", name)
    assert "secret" not in name
    assert "盖章" not in storage_name("applications/scans", checked_pdf())


def test_two_storage_names_for_the_same_file_differ():
    checked = checked_pdf()
    assert storage_name("scans", checked) != storage_name("scans", checked)


def test_the_storage_extension_follows_the_content_not_the_name():
    checked = check_upload(upload("scan.pdf", image_bytes("JPEG")))
    assert storage_name("scans", checked).endswith(".jpg")


@pytest.mark.parametrize("prefix", ["../media", "scans/../../etc", "/etc", "", "scans/盖章", "a//b"])
def test_an_unsafe_prefix_is_a_programming_error(prefix):
    with pytest.raises(ValueError, match="prefix"):
        storage_name(prefix, checked_pdf())


def test_saving_twice_keeps_both_versions_and_the_stored_bytes_match_the_sha256(tmp_path):
    storage = FileSystemStorage(location=tmp_path)
    first_content, second_content = pdf_bytes(pages=1), pdf_bytes(pages=2)
    first_upload, second_upload = upload("表.pdf", first_content), upload("表.pdf", second_content)
    first = save_upload(first_upload, check_upload(first_upload), prefix="scans", storage=storage)
    second = save_upload(second_upload, check_upload(second_upload), prefix="scans", storage=storage)
    assert first != second
    with storage.open(first, "rb") as stored:
        assert stored.read() == first_content
    with storage.open(second, "rb") as stored:
        assert verify_sha256(stored, hashlib.sha256(second_content).hexdigest())


def test_saving_a_file_changed_after_the_check_is_refused_and_leaves_nothing(tmp_path):
    storage = FileSystemStorage(location=tmp_path)
    checked = checked_pdf()
    with pytest.raises(ValueError, match="does not match"):
        save_upload(upload("a.pdf", pdf_bytes(pages=2)), checked, prefix="scans", storage=storage)
    assert not [path for path in tmp_path.rglob("*") if path.is_file()]


# Downloads


def test_content_disposition_sends_an_ascii_fallback_and_the_utf8_name():
    header = content_disposition("盖章扫描件.pdf")
    assert header.startswith("attachment; ")
    assert "filename*=UTF-8''%E7%9B%96%E7%AB%A0%E6%89%AB%E6%8F%8F%E4%BB%B6.pdf" in header
    assert 'filename="download.pdf"' in header
    assert header.isascii()


def test_content_disposition_keeps_the_ascii_part_of_a_mixed_name():
    assert 'filename="2024 report.pdf"' in content_disposition("2024年度报告 report.pdf")
    assert 'filename="Cafe.pdf"' in content_disposition("Café_盖章.pdf")


@pytest.mark.parametrize(
    "name", ["a\r\nSet-Cookie: x=1.pdf", 'a"; filename="evil.exe', "a\\b.pdf", "../../etc/passwd", "100%.pdf"]
)
def test_content_disposition_cannot_be_broken_by_the_name(name):
    header = content_disposition(name)
    assert "\r" not in header and "\n" not in header
    fallback = re.fullmatch(r'attachment; filename="([^"\\%]*)"; filename\*=UTF-8\'\'([A-Za-z0-9%._~-]+)', header)
    assert fallback, header
    assert "/" not in fallback.group(1)


def test_verify_sha256_accepts_the_recorded_hash_and_refuses_any_change():
    content = pdf_bytes()
    digest = hashlib.sha256(content).hexdigest()
    assert verify_sha256(io.BytesIO(content), digest)
    assert verify_sha256(io.BytesIO(content), digest.upper())
    assert verify_sha256(SimpleUploadedFile("a.pdf", content), digest)
    assert not verify_sha256(io.BytesIO(content + b"\n"), digest)
    assert not verify_sha256(io.BytesIO(content), "")
    assert not verify_sha256(io.BytesIO(content), "not-a-hash")


def test_verify_sha256_reads_in_chunks_and_rewinds():
    content = b"x" * (3 * 64 * 1024 + 5)
    stream = io.BytesIO(content)
    stream.seek(100)
    assert verify_sha256(stream, hashlib.sha256(content).hexdigest())
    assert stream.tell() == 0


def test_an_aes_encrypted_pdf_is_refused_as_encrypted_even_when_pypdf_lacks_a_crypto_library(monkeypatch):
    # pypdf raises DependencyError while opening an AES-encrypted file when no crypto library is installed.
    def reader_without_crypto(*args, **kwargs):
        raise DependencyError("cryptography>=3.1 is required for AES algorithm")

    monkeypatch.setattr(content_checks, "PdfReader", reader_without_crypto)
    assert refusal(upload("scan.pdf", pdf_bytes())).code == "pdf_encrypted"


def test_a_truncated_jpeg_is_refused_even_after_the_pdf_helper_loosened_pillow():
    """WeasyPrint sets ImageFile.LOAD_TRUNCATED_IMAGES for the whole process when it is imported."""
    import io

    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageFile

    import greenfactory.pdf  # noqa: F401  (imports WeasyPrint)
    from greenfactory.uploads import check_upload

    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), (10, 120, 60)).save(buffer, "JPEG", quality=90)
    truncated = buffer.getvalue()[: len(buffer.getvalue()) // 2]
    with pytest.raises(ValidationError) as error:
        check_upload(SimpleUploadedFile("scan.jpg", truncated))
    assert error.value.code == "image_corrupt"


# A reserved Windows device name, a leading dot or a trailing dot or space never comes out: neither in the stored
# name nor in the ASCII fallback of the download header (which once stripped "_CON.pdf" back to "CON.pdf").
@pytest.mark.parametrize(
    ("raw", "stored", "ascii_fallback"),
    [
        ("CON.pdf", "_CON.pdf", "_CON.pdf"),
        ("_CON.pdf", "_CON.pdf", "_CON.pdf"),
        ("con.txt.pdf", "_con.txt.pdf", "_con.txt.pdf"),
        ("CON .pdf", "_CON.pdf", "_CON.pdf"),
        ("CON .txt.pdf", "_CON .txt.pdf", "_CON .txt.pdf"),
        ("PRN.pdf", "_PRN.pdf", "_PRN.pdf"),
        ("aux.png", "_aux.png", "_aux.png"),
        ("Nul.jpg", "_Nul.jpg", "_Nul.jpg"),
        ("COM1.pdf", "_COM1.pdf", "_COM1.pdf"),
        ("com9.pdf", "_com9.pdf", "_com9.pdf"),
        ("LPT1.pdf", "_LPT1.pdf", "_LPT1.pdf"),
        ("lpt9.tar.gz", "_lpt9.tar.gz", "_lpt9.tar.gz"),
        ("CONIN$.pdf", "_CONIN$.pdf", "_CONIN$.pdf"),
        ("ＣＯＮ.pdf", "_ＣＯＮ.pdf", "_CON.pdf"),
        ("CON", "_CON", "_CON"),
        ("申请表CON.pdf", "申请表CON.pdf", "_CON.pdf"),
        ("报告.CON.pdf", "报告.CON.pdf", "_CON.pdf"),
        ("._CON.pdf", "_CON.pdf", "_CON.pdf"),
        ("__.pdf", "__.pdf", "download.pdf"),
        (".hidden.pdf", "hidden.pdf", "hidden.pdf"),
        ("申请表 .pdf", "申请表.pdf", "download.pdf"),
        ("scan. .", "scan", "scan"),
        ("é.pdf.", "é.pdf", "e.pdf"),
        ("CONSOLE.pdf", "CONSOLE.pdf", "CONSOLE.pdf"),
        ("COM10.pdf", "COM10.pdf", "COM10.pdf"),
    ],
)
def test_reserved_and_dotted_names_never_come_out_stored_or_downloaded(raw, stored, ascii_fallback):
    assert safe_display_name(raw) == stored
    header = content_disposition(stored)
    assert f'filename="{ascii_fallback}"' in header
    fallback = header.split('filename="', 1)[1].split('"', 1)[0]
    stem = fallback.split(".")[0].rstrip(" ")
    assert not re.fullmatch(r"(?i)CON|PRN|AUX|NUL|CONIN\$|CONOUT\$|COM[0-9]|LPT[0-9]", stem)
    assert not fallback.startswith(".") and not fallback.endswith((".", " "))
