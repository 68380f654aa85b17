"""The PDF helper: Chinese that renders (and is embedded), a fetcher that loads only our static files, speed.

Text extraction alone passes even when a page shows boxes instead of hanzi (FIELD-NOTES, "PDFs"), so every test
that checks Chinese also checks which embedded font draws it: ``pdffonts`` for the embedded fonts, and the fonts'
ToUnicode maps (pypdf) for which font draws a given character.
"""

import copy
import io
import re
import shutil
import socket
import statistics
import subprocess
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser
from pypdf import PdfReader

from greenfactory import fonts, pdf

TEST_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
SAMPLE = "pdf/test_sample_form.html"
CARELESS = "pdf/test_careless_markup.html"

SSRF_IMAGE = '<img src="http://169.254.169.254/">'
FILE_ATTACHMENT = '<link rel=attachment href="file:///etc/passwd">'

ROWS = [
    (("企业名称", "重庆长寿一号化工有限公司"), ("统一社会信用代码", "91500115MA5U8K2X4B")),
    (("所属区县", "长寿区"), ("所在园区", "重庆长寿经济技术开发区")),
    (("法定代表人", "张伟"), ("联系人", "李娜")),
    (("联系电话", "138****1234"), ("成立日期", "2008年6月18日")),
    (("所属行业", "化学原料和化学制品制造业"), ("从业人数", "1,286")),
    (("营业收入（万元）", "125,360.50"), ("利润总额（万元）", "8,932.10")),
    (("综合能耗（吨标准煤）", "56,780"), ("单位产值能耗", "0.453")),
    (("质量管理体系认证", "是（GB/T 19001）"), ("环境管理体系认证", "是（GB/T 24001）")),
]


def sample_context(**overrides):
    context = {
        "number": "CQ-2025-00172",
        "filled_on": "2025年10月15日",
        "rows": ROWS,
        "products": "聚氯乙烯树脂、烧碱、液氯、盐酸",
        "description": "公司位于长寿经开区，主营氯碱化工。\n近三年实施余热回收、光伏发电等节能改造项目。",
        "pledge": "本企业承诺所填报信息真实、准确、完整，如有不实，愿承担相应法律责任。",
        "signatory": "张伟",
        "signed_on": "2025年10月15日",
    }
    context.update(overrides)
    return context


@pytest.fixture(autouse=True)
def _test_templates(settings):
    """The test templates under tests/templates/pdf/ come first; the portal's pdf/base.html is still found."""
    templates = copy.deepcopy(django_settings.TEMPLATES)
    templates[0]["DIRS"] = [TEST_TEMPLATES, *templates[0]["DIRS"]]
    settings.TEMPLATES = templates


@pytest.fixture(scope="session", autouse=True)
def _gb2312_cuts_built():
    """Builds the font cuts once (seconds on a fresh machine, nothing afterwards) so no timing includes it."""
    fonts.clear_cache()
    for face in fonts.FACES:
        assert fonts.subset_path(face.key) is not None, f"could not build the {face.key} cut; see the log"


@pytest.fixture
def fetches(monkeypatch):
    """Every URL WeasyPrint asks the portal's fetcher for, with what the fetcher did: 'loaded' or 'refused'."""
    calls = []
    original = pdf.PortalURLFetcher.fetch

    def spy(self, url, headers=None):
        try:
            response = original(self, url, headers)
        except pdf.URLRefusedError:
            calls.append((url, "refused"))
            raise
        calls.append((url, "loaded"))
        return response

    monkeypatch.setattr(pdf.PortalURLFetcher, "fetch", spy)
    return calls


def _tool(name):
    path = shutil.which(name)
    assert path, f"{name} (poppler-utils) is needed by these tests"
    return path


def pdftotext(data: bytes) -> str:
    # A fixed poppler tool reading our own PDF from stdin.
    result = subprocess.run(  # noqa: S603
        [_tool("pdftotext"), "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
    )
    return result.stdout.decode()


def pdffonts(data: bytes) -> list[dict]:
    result = subprocess.run(  # noqa: S603
        [_tool("pdffonts"), "-"], input=data, capture_output=True, check=True
    )
    fonts_found = []
    for line in result.stdout.decode().splitlines()[2:]:
        tokens = line.split()
        # name, type (several words), encoding, emb, sub, uni, object number, generation
        fonts_found.append({"name": tokens[0], "emb": tokens[-5], "sub": tokens[-4], "uni": tokens[-3]})
    return fonts_found


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def fonts_drawing(data: bytes) -> dict[str, set[str]]:
    """For each character drawn, the base names of the embedded fonts whose glyphs draw it (their ToUnicode)."""
    drawn: dict[str, set[str]] = {}
    reader = PdfReader(io.BytesIO(data))
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
            for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
                for _glyph, unicode_hex in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
                    character = bytes.fromhex(unicode_hex).decode("utf-16-be")
                    drawn.setdefault(character, set()).add(str(font["/BaseFont"]))
    return drawn


def test_a_chinese_form_shows_its_labels_and_values_as_text():
    text = compact(pdftotext(pdf.render_pdf(SAMPLE, sample_context())))

    for expected in ["绿色工厂培育入库申请表", "编号：CQ-2025-00172", "一、企业基本情况", "二、绿色发展情况",
                     "法定代表人（签字）：张伟", "（盖章）", "日期：2025年10月15日"]:
        assert expected in text
    for (left_label, left_value), (right_label, right_value) in ROWS:
        for expected in (left_label, left_value, right_label, right_value):
            assert compact(expected) in text
    assert "聚氯乙烯树脂、烧碱、液氯、盐酸" in text
    assert "近三年实施余热回收、光伏发电等节能改造项目。" in text


def test_the_chinese_is_drawn_with_an_embedded_cjk_font_from_the_gb2312_cut():
    data = pdf.render_pdf(SAMPLE, sample_context())

    embedded = pdffonts(data)
    cjk = [font for font in embedded if re.search("Noto|CJK|WenQuanYi", font["name"])]
    assert cjk and all(font["emb"] == "yes" for font in cjk), embedded
    drawn = fonts_drawing(data)
    # Body text in the serif cut, titles and labels in the sans cut (bold for the title).
    assert any("Noto-Serif-CJK-SC-GB2312" in name for name in drawn["聚"])
    assert any("Noto-Sans-CJK-SC-GB2312-Bold" in name for name in drawn["申"])
    assert any("Noto-Sans-CJK-SC-GB2312" in name for name in drawn["称"])  # 企业名称, a label cell


def test_the_footer_numbers_pages_in_chinese_with_the_cjk_font_set_on_the_margin_box():
    many_rows = ROWS * 4
    data = pdf.render_pdf(SAMPLE, sample_context(rows=many_rows))

    pages = [compact(page.extract_text()) for page in PdfReader(io.BytesIO(data)).pages]
    assert len(pages) >= 2
    for number, page_text in enumerate(pages, start=1):
        assert f"第{number}页共{len(pages)}页" in page_text
    # None of 第, 页, 共 appears in the form itself: only the footer draws them, in the serif cut.
    assert all(character not in compact(str(sample_context(rows=many_rows))) for character in "第页共")
    for character in "第页共":
        assert any("Noto-Serif-CJK-SC-GB2312" in name for name in fonts_drawing(data)[character])


def test_the_sample_form_fits_on_one_a4_portrait_page():
    reader = PdfReader(io.BytesIO(pdf.render_pdf(SAMPLE, sample_context())))

    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # 210 × 297 mm in points


def test_rare_characters_and_emoji_outside_the_cut_fall_back_to_fonts_that_have_them():
    description = "扩展A区：㐀；常用但不在GB2312：堃；表情：😀；二氧化碳：CO₂；扩展B区：𠀀"
    data = pdf.render_pdf(SAMPLE, sample_context(description=description))

    assert "扩展A区：㐀；常用但不在GB2312：堃；表情：😀；二氧化碳：CO₂；扩展B区：𠀀" in compact(pdftotext(data))
    drawn = fonts_drawing(data)
    # Not in the GB 2312 cut, drawn by the full Noto Serif CJK SC behind it.
    for character in "㐀堃":
        assert drawn[character] and not any("GB2312" in name for name in drawn[character]), drawn[character]
        assert any("Noto-Serif-CJK-SC" in name for name in drawn[character])
    # Noto CJK has neither the emoji nor "₂": a later font of the stack (花园明朝 or DejaVu) draws them.
    assert any("DejaVu" in name or "HanaMin" in name for name in drawn["😀"])
    assert any("DejaVu" in name or "HanaMin" in name for name in drawn["₂"])
    # 𠀀 (CJK Extension B): 花园明朝 (fonts-hanazono), declared in the stack after Noto, draws it.
    assert any("HanaMin" in name for name in drawn["𠀀"]), drawn["𠀀"]


def test_markup_in_user_text_is_printed_literally_and_nothing_is_fetched_for_it(fetches):
    description = f"我们的网站：{SSRF_IMAGE}\n附件：{FILE_ATTACHMENT}"
    data = pdf.render_pdf(SAMPLE, sample_context(description=description, products=SSRF_IMAGE))

    text = compact(pdftotext(data))
    assert compact(SSRF_IMAGE) in text
    assert compact(FILE_ATTACHMENT) in text
    requested = [url for url, _ in fetches]
    assert not [url for url in requested if "169.254" in url or "passwd" in url or url.startswith("file:")]
    reader = PdfReader(io.BytesIO(data))
    assert reader.attachments == {}
    assert "/EmbeddedFiles" not in str(reader.trailer["/Root"].get("/Names", {}))


def test_our_own_static_image_is_loaded_through_the_fetcher_from_disk(fetches, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the PDF helper opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    pdf.render_pdf(SAMPLE, sample_context())

    static = [(url, outcome) for url, outcome in fetches if "/static/portal/favicon" in url]
    assert static and all(outcome == "loaded" for _, outcome in static), fetches
    assert all(url.startswith(django_settings.PORTAL_BASE_URL.rstrip("/") + "/static/") for url, _ in static)


def test_a_careless_template_still_cannot_reach_the_network_or_the_disk(fetches, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the PDF helper opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    markup = (
        '<img src="http://169.254.169.254/latest/meta-data/">'
        '<link rel="attachment" href="file:///etc/passwd">'
        '<a rel="attachment" href="file:///etc/hostname">附件</a>'
        '<link rel="stylesheet" href="https://cdn.example.com/x.css">'
        '<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGA'
        'WjR9awAAAABJRU5ErkJggg==">'
        '<img src="/static/../greenfactory/settings.py">'
        '<img src="/static/%2e%2e/%2e%2e/etc/passwd">'
    )
    data = pdf.render_pdf(CARELESS, {"markup": markup})

    outcomes = dict(fetches)
    for url_part in ("169.254.169.254", "file:///etc/passwd", "file:///etc/hostname", "cdn.example.com", "data:",
                     "%2e%2e"):
        matching = [outcome for url, outcome in outcomes.items() if url_part in url]
        assert matching == ["refused"], (url_part, fetches)
    # "/static/../greenfactory/settings.py" is normalised by URL joining to /greenfactory/settings.py: outside
    # STATIC_URL, refused.
    assert outcomes[django_settings.PORTAL_BASE_URL.rstrip("/") + "/greenfactory/settings.py"] == "refused"
    reader = PdfReader(io.BytesIO(data))
    assert reader.attachments == {}
    assert not [name for name, obj in reader.pages[0]["/Resources"].get("/XObject", {}).items()
                if obj.get_object().get("/Subtype") == "/Image"]


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/",
        "https://example.com/static/portal/favicon.svg",
        "file:///etc/passwd",
        "data:image/png;base64,iVBORw0KGgo=",
        "ftp://example.com/x.png",
        "gf-font:../../etc/passwd",
        "gf-font:no-such-face",
        "{base}static/%2e%2e/%2e%2e/etc/passwd",
        "{base}static/portal/%2e%2e/%2e%2e/greenfactory/settings.py",
        "{base}static/..%2f..%2fgreenfactory/settings.py",
        "{base}static/portal%5c..%5c..%5cmanage.py",
        "{base}static/%00favicon.svg",
        "{base}static/portal/no-such-file.png",
        "{base}media/upload.pdf",
        "/static/portal/favicon.svg",
    ],
)
def test_the_fetcher_refuses_everything_but_our_static_files_and_fonts(url):
    fetcher = pdf.PortalURLFetcher()

    with pytest.raises(pdf.URLRefusedError):
        fetcher.fetch(url.format(base=fetcher.base_url))


def test_the_fetcher_reads_a_static_file_and_a_font_cut_from_disk():
    fetcher = pdf.PortalURLFetcher()

    response = fetcher.fetch(fetcher.base_url + "static/portal/favicon.svg")
    assert response.read() == (Path(django_settings.BASE_DIR) / "static/portal/favicon.svg").read_bytes()
    assert response.content_type == "image/svg+xml"
    font = fetcher.fetch("gf-font:serif-regular")
    assert font.read()[:4] == b"OTTO"


@pytest.mark.parametrize("template_name", ["home.html", "pdf/../home.html", "../templates/pdf/base.html"])
def test_only_templates_under_pdf_can_be_rendered(template_name):
    with pytest.raises(ValueError, match="pdf/"):
        pdf.render_pdf(template_name, {})


def test_a_request_brings_its_context_processors(rf):
    request = rf.get("/")
    request.user = AnonymousUser()

    data = pdf.render_pdf(SAMPLE, sample_context(), request=request)

    assert "绿色工厂培育入库申请表" in compact(pdftotext(data))


def test_the_font_configuration_is_built_once_per_process_and_again_after_a_fork(monkeypatch):
    pdf.render_pdf(SAMPLE, sample_context())
    first = pdf.font_configuration()
    pdf.render_pdf(SAMPLE, sample_context())
    assert pdf.font_configuration() is first

    monkeypatch.setattr(pdf.os, "getpid", lambda: -1)
    assert pdf.font_configuration() is not first


def _no_source_font(monkeypatch, tmp_path):
    monkeypatch.setattr(fonts, "find_source", lambda face: None)


def _build_fails(monkeypatch, tmp_path):
    def read_only_folder(face, source, index, target):
        raise PermissionError(f"read-only: {target.parent}")

    monkeypatch.setattr(fonts, "build_subset", read_only_folder)
    monkeypatch.setattr(django_settings, "PDF_FONT_DIR", tmp_path, raising=False)


@pytest.mark.parametrize("failure", [_no_source_font, _build_fails], ids=["no Noto CJK", "build fails"])
def test_without_the_cut_the_full_system_font_still_draws_the_chinese(failure, monkeypatch, tmp_path):
    failure(monkeypatch, tmp_path)
    fonts.clear_cache()
    monkeypatch.setattr(pdf, "_font_config", None)  # a fresh process: no cut registered with fontconfig yet
    try:
        data = pdf.render_pdf(SAMPLE, sample_context())
    finally:
        monkeypatch.undo()
        fonts.clear_cache()

    names = [font["name"] for font in pdffonts(data)]
    assert not [name for name in names if "GB2312" in name]
    assert [name for name in names if "Noto-Serif-CJK-SC" in name]
    assert "重庆长寿一号化工有限公司" in compact(pdftotext(data))
    assert not list(tmp_path.glob("*.otf"))


def test_the_gb2312_cut_covers_gb2312_under_its_own_family_name():
    from fontTools.ttLib import TTFont

    cut = TTFont(fonts.subset_path("serif-regular"), lazy=True)

    covered = set(cut.getBestCmap())
    assert fonts.gb2312_codepoints() <= covered
    assert 0x3400 not in covered  # 㐀 is left to the full font
    assert cut["name"].getDebugName(1) == "Noto Serif CJK SC GB2312"


@pytest.mark.parametrize("face", fonts.FACES, ids=lambda face: face.key)
def test_the_font_folder_scan_finds_the_same_source_as_fontconfig(face):
    if not shutil.which("fc-match"):
        pytest.skip("fc-match (Debian's fontconfig package) is not installed: nothing to compare with")

    assert fonts._scan_font_folders(face) == fonts._fc_match(face)


def test_concurrent_first_uses_build_a_face_once_and_leave_no_temporary_file(tmp_path, monkeypatch):
    builds = []

    def slow_build(face, source, index, target):
        builds.append(face.key)
        time.sleep(0.3)
        target.write_bytes(b"OTTO cut")

    monkeypatch.setattr(fonts, "build_subset", slow_build)
    stale = tmp_path / "sans-regular-gb2312-000000000000.otf"
    stale.write_bytes(b"an older cut")
    face = fonts.FACES[1]
    results = []
    threads = [threading.Thread(target=lambda: results.append(fonts.ensure_subset(face, tmp_path))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert builds == ["sans-regular"]
    assert len(set(results)) == 1 and results[0].read_bytes() == b"OTTO cut"
    assert not stale.exists()
    assert not list(tmp_path.glob("*.tmp"))


def test_the_median_of_five_renders_of_a_one_page_form_is_at_most_half_a_second():
    context = sample_context()
    started = time.perf_counter()
    pdf.render_pdf(SAMPLE, context)  # warm-up: template compilation, the process's FontConfiguration
    warm_up = time.perf_counter() - started
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        data = pdf.render_pdf(SAMPLE, context)
        timings.append(time.perf_counter() - started)

    median = statistics.median(timings)
    print(f"\nPDF one-page form: median {median:.3f} s over 5 renders "
          f"({', '.join(f'{t:.3f}' for t in timings)}; warm-up {warm_up:.3f} s; {len(data)} bytes)")
    assert len(PdfReader(io.BytesIO(data)).pages) == 1
    assert median <= 0.5
