"""Characters the printed form must show: 𠀀 (CJK Extension B) is drawn by 花园明朝 B, declared in the set-up and
the PDF font stack; what no font of the stack has, and emoji, are refused by the forms (greenfactory/forms.py)."""

import io
import re
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader

from applications.models import CultivationCampaign
from greenfactory import fonts
from greenfactory.forms import unprintable
from tests.helpers import filled

SHANGHAI = ZoneInfo("Asia/Shanghai")
ROOT = Path(settings.BASE_DIR)


def css_families() -> set[str]:
    css = (ROOT / "templates" / "pdf" / "_styles.css").read_text()
    families = set()
    for stack in re.findall(r"font-family:\s*([^;]+);", css):
        families.update(name.strip().strip('"') for name in stack.split(","))
    return families


def test_the_css_stacks_and_the_coverage_check_name_the_same_fonts():
    checked = {family for family, _style in fonts.PRINT_FAMILIES}
    cuts = {face.family for face in fonts.FACES}
    generic = {"serif", "sans-serif"}
    assert css_families() - checked - cuts - generic == set()
    # Every stack ends with the Extension-B font before the generic family, the page-margin boxes' too.
    css = (ROOT / "templates" / "pdf" / "_styles.css").read_text()
    stacks = [stack for stack in re.findall(r"font-family:\s*([^;]+);", css) if "CJK" in stack]
    assert len(stacks) >= 3
    for stack in stacks:
        assert '"HanaMinA", "HanaMinB"' in stack, stack
    assert '"HanaMinB"' in css.split("@bottom-center", 1)[1].split("}", 1)[0]


def test_the_set_up_installs_the_extension_b_font():
    bootstrap = (ROOT / "scripts" / "bootstrap.sh").read_text()
    packages = re.search(r"^packages=\(([^)]*)\)", bootstrap, re.M).group(1).split()
    assert "fonts-hanazono" in packages
    assert "fontconfig" in packages


def test_coverage_comes_from_the_installed_fonts_cmaps():
    fonts.clear_coverage_cache()
    coverage = fonts.printable_codepoints()
    assert coverage is not None, "no Chinese font of the PDF stack is installed (scripts/bootstrap.sh installs them)"
    assert ord("中") in coverage and ord("㐀") in coverage
    assert 0x20000 in coverage  # 𠀀, from 花园明朝
    assert 0x2A6D6 in coverage and 0x2B740 in coverage  # the ends of Extensions B and D: HanaMinB only
    assert 0x10FFFD not in coverage  # private use: no font has it
    assert unprintable("重庆𠀀㐀堃化工①℃®") is None
    assert unprintable("产品😀") == "😀"
    assert unprintable("☺️") == "\ufe0f"  # the emoji presentation selector
    assert unprintable("\U000f0001") == "\U000f0001"


@pytest.fixture
def application(people):
    with time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI), tick=False):
        campaign = CultivationCampaign.objects.create(
            year=2026, title="2026年绿色工厂培育工作", opens_on=date(2026, 2, 20), deadline=date(2026, 3, 15),
            created_by=people.city)
        return filled(campaign, people.enterprise, address="重庆市长寿区𠀀街8号", main_products="𠀀牌聚乙烯醇")


def test_an_extension_b_character_is_drawn_by_an_embedded_font_that_has_its_glyph(client, people, application):
    client.force_login(people.enterprise)
    response = client.get(reverse("applications:intake_pdf", args=[application.public_id]))
    assert response.status_code == 200
    data = response.content

    pdffonts = shutil.which("pdffonts")
    assert pdffonts, "pdffonts (poppler-utils) is needed by this test"
    listed = subprocess.run([pdffonts, "-"], input=data, capture_output=True, check=True).stdout.decode()  # noqa: S603
    hana = [line for line in listed.splitlines() if "HanaMin" in line]
    assert hana, listed
    assert " yes " in hana[0]  # embedded

    # The font that draws 𠀀 (its ToUnicode maps a glyph to U+20000) is 花园明朝 (HanaMinA has the first Extension-B
    # characters, HanaMinB all of them), and that glyph is a real one, not glyph 0, the .notdef box.
    reader = PdfReader(io.BytesIO(data))
    found = False
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if "HanaMin" not in str(font["/BaseFont"]):
                continue
            cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
            glyphs = [int(glyph, 16) for glyph, code in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", cmap)
                      if bytes.fromhex(code).decode("utf-16-be") == "𠀀"]
            if glyphs:
                assert all(glyph != 0 for glyph in glyphs), cmap
                found = True
    assert found


def test_an_emoji_in_the_products_is_refused_on_the_intake_form_with_its_field_named(client, people, application):
    client.force_login(people.enterprise)
    with time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI), tick=False):
        response = client.post(reverse("applications:intake_edit", args=[application.public_id]), {
            "main_products": "聚乙烯醇😀", "address": application.address, "save": "1"})
    assert response.status_code == 200
    assert "“主要产品”中的表情符号“😀”（U+1F600）无法打印在申请表上，请删除。" in response.content.decode()
    application.refresh_from_db()
    assert application.main_products == "𠀀牌聚乙烯醇"
