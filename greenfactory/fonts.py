"""Chinese fonts for the PDFs: a cut of Noto CJK to GB 2312's characters, built once, the full font behind it.

Why a cut: WeasyPrint embeds only the glyphs a document uses, but it asks HarfBuzz to subset the whole font to get
there, and Noto CJK carries 65,000 glyphs. Measured on the development machine (2 CPUs, WeasyPrint 70, HarfBuzz 6)
with a one-page A4 form in the portal's templates: with the system's Noto CJK alone, a median of 0.14-0.29 s a
page, and 0.52-0.53 s when three renders compete for the CPUs (first render of a process up to 0.86 s); with the
cuts below declared first, 0.07-0.10 s, and 0.31-0.34 s under the same contention; the PDF is a third of the size
(133 kB against 387 kB). The cut keeps the 7,540 characters of GB 2312 (the 6,763 hanzi in everyday use, their
punctuation, ASCII) and a few symbol blocks; every other character (㐀, 堃, an emoji, "₂", ☑) falls through the CSS
font stack to the full system font (or DejaVu), so nothing is lost: only a page that needs such a character pays for
subsetting the full font.

Three faces are cut: Noto Serif CJK SC Regular for running text (宋体's role), Noto Sans CJK SC Regular and Bold for
titles, labels and emphasis (黑体's role: Chinese official documents bold in 黑体 rather than in a bold 宋体, and that
saves building a fourth face).

The cuts are built from the fonts fontconfig finds on this machine (Debian's ``fonts-noto-cjk``), never committed:
``scripts/build_font_subset.py`` builds them at install time, otherwise the first PDF builds them (3-8 s a face,
14 s for the three, once per machine) into ``settings.PDF_FONT_DIR`` (default ``var/fonts/``). A build writes a
temporary file in that folder and renames it into place under an exclusive ``flock``, so concurrent workers neither
build the same face twice at the same time nor read half a file. If a build fails (no Noto CJK, read-only folder,
fontTools error) the failure is logged once per process and the PDFs use the system fonts: slower, same text.

Each file name carries a digest of the source font (path, size, mtime) and of the recipe, so an upgraded
``fonts-noto-cjk`` or a changed character list gives a new file; older cuts of the same face are removed.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

logger = logging.getLogger(__name__)

# Bump when the recipe (characters, options, names) changes: the file names change and the fonts are rebuilt.
RECIPE_VERSION = "1"

# The scheme of the URLs the @font-face rules use; greenfactory.pdf's fetcher resolves only these keys.
FONT_URL_SCHEME = "gf-font"


@dataclass(frozen=True)
class Face:
    key: str
    family: str  # the CSS family of the cut; not the system font's name, so that name still finds the full font
    weight: int
    source_family: str
    source_style: str


FACES = (
    Face("serif-regular", "Noto Serif CJK SC GB2312", 400, "Noto Serif CJK SC", "Regular"),
    Face("sans-regular", "Noto Sans CJK SC GB2312", 400, "Noto Sans CJK SC", "Regular"),
    Face("sans-bold", "Noto Sans CJK SC GB2312", 700, "Noto Sans CJK SC", "Bold"),
)
_FACES_BY_KEY = {face.key: face for face in FACES}

# Blocks kept beside GB 2312 when the font has them: Latin-1, general punctuation (—…‰), super/subscripts,
# letterlike symbols (℃ №), number forms (Ⅰ Ⅻ), arrows, maths (≤ ≥ √), enclosed numbers (① ⑳), box drawing,
# geometric shapes (□ ■ ○ ●), CJK symbols and punctuation, full-width forms.
_EXTRA_RANGES = (
    (0x00A0, 0x00FF), (0x2000, 0x209F), (0x2100, 0x218F), (0x2190, 0x21FF), (0x2200, 0x22FF),
    (0x2460, 0x24FF), (0x2500, 0x25FF), (0x3000, 0x303F), (0xFF00, 0xFFEF),
)


def gb2312_codepoints() -> set[int]:
    """ASCII and every character GB 2312 encodes (7,445 two-byte characters: 6,763 hanzi and 682 symbols)."""
    codepoints = set(range(0x20, 0x7F))
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                codepoints.add(ord(bytes((high, low)).decode("gb2312")))
    return codepoints


def font_dir() -> Path:
    configured = getattr(settings, "PDF_FONT_DIR", None)
    if configured:
        return Path(configured)
    return Path(getattr(settings, "VAR_DIR", Path(settings.BASE_DIR) / "var")) / "fonts"


def find_source(face: Face) -> tuple[Path, int] | None:
    """The system font file (and its index in a collection) for the face, or None.

    fontconfig's own choice when its ``fc-match`` is installed (Debian's ``fontconfig`` package), else a look
    through the usual font folders (``fonts-noto-cjk`` needs only the library).
    """
    return _fc_match(face) or _scan_font_folders(face)


def _fc_match(face: Face) -> tuple[Path, int] | None:
    fc_match = shutil.which("fc-match")
    if not fc_match:
        return None
    pattern = f"{face.source_family}:style={face.source_style}"
    # A fixed executable and a pattern built from the constants above: nothing from a user reaches the command.
    result = subprocess.run(  # noqa: S603
        [fc_match, "--format=%{file}\n%{index}\n%{family}\n%{style}", pattern],
        capture_output=True, text=True, timeout=10, check=False,
    )
    lines = result.stdout.split("\n")
    if result.returncode != 0 or len(lines) < 4:
        return None
    path, index, families, styles = lines[:4]
    # fc-match always answers with something (DejaVu if need be): accept only the face asked for.
    if face.source_family not in families.split(",") or face.source_style not in styles.split(","):
        return None
    return Path(path), int(index or 0)


_FONT_FOLDERS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts")


def _scan_font_folders(face: Face) -> tuple[Path, int] | None:
    for folder in _FONT_FOLDERS:
        root = Path(folder).expanduser()
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("Noto*CJK*")):
            suffix = path.suffix.lower()
            try:
                if suffix in (".ttc", ".otc"):
                    members = TTCollection(path, lazy=True).fonts
                elif suffix in (".otf", ".ttf"):
                    members = [TTFont(path, lazy=True)]
                else:
                    continue
            except Exception:  # noqa: S112 - an unreadable file is simply not the font we look for
                continue
            for index, member in enumerate(members):
                names = member["name"]
                family = names.getDebugName(16) or names.getDebugName(1)
                style = names.getDebugName(17) or names.getDebugName(2)
                if (family, style) == (face.source_family, face.source_style):
                    return path, index
    return None


def _target_name(face: Face, source: Path, index: int) -> str:
    stat = source.stat()
    recipe = f"{RECIPE_VERSION}|{source}|{index}|{stat.st_size}|{stat.st_mtime_ns}"
    digest = hashlib.sha256(recipe.encode()).hexdigest()[:12]
    return f"{face.key}-gb2312-{digest}.otf"


def build_subset(face: Face, source: Path, index: int, target: Path) -> None:
    """Cut ``source`` to GB 2312 and write it to ``target`` (atomically; the caller holds the face's lock)."""
    with _quiet("fontTools"):  # at INFO, fontTools.subset logs every glyph id it keeps: megabytes per face
        # recalcBBoxes=False: recomputing the bounding boxes of 8,000 CFF glyphs is most of the build time, and the
        # full font's boxes are a correct (if loose) bound for the cut.
        font = TTFont(source, fontNumber=index, recalcBBoxes=False, recalcTimestamp=False)
        options = subset.Options()
        # 'locl' maps the SC glyphs to their Japanese, Korean and traditional forms; following it would pull all
        # of them into the cut (35,000 glyphs instead of 8,000). Simplified Chinese never applies it to the SC face.
        options.layout_features = [feature for feature in options.layout_features if feature != "locl"]
        options.notdef_outline = True
        subsetter = subset.Subsetter(options)
        unicodes = gb2312_codepoints()
        for first, last in _EXTRA_RANGES:
            unicodes.update(range(first, last + 1))
        subsetter.populate(unicodes=sorted(unicodes))
        subsetter.subset(font)
        _rename(font, face)

        target.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{face.key}-", suffix=".tmp")
        try:
            with os.fdopen(descriptor, "wb") as handle:
                font.save(handle)
            os.chmod(temporary, 0o644)  # mkstemp's 0600 would hide the cut from workers running as another user
            os.replace(temporary, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise


@contextlib.contextmanager
def _quiet(name: str):
    library_logger = logging.getLogger(name)
    previous = library_logger.level
    library_logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        library_logger.setLevel(previous)


def _rename(font, face: Face) -> None:
    """Give the cut its own names: fontconfig must not mistake it for the full font the stack falls back to."""
    style = "Bold" if face.weight >= 700 else "Regular"
    postscript = face.family.replace(" ", "") + "-" + style
    names = {1: face.family, 2: style, 3: f"{postscript};{RECIPE_VERSION}", 4: f"{face.family} {style}", 6: postscript}
    table = font["name"]
    for record in list(table.names):
        if record.nameID in (16, 17):
            table.removeNames(nameID=record.nameID)
    for name_id, value in names.items():
        table.setName(value, name_id, 3, 1, 0x409)
        table.setName(value, name_id, 1, 0, 0)


@contextlib.contextmanager
def _exclusive(lock_path: Path):
    """An exclusive flock: it excludes other processes, and other threads too (each opens its own descriptor)."""
    import fcntl

    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure_subset(face: Face, directory: Path | None = None) -> Path:
    """The path of the face's cut, building it if it is missing. Raises if it cannot be found or built."""
    directory = directory or font_dir()
    source = find_source(face)
    if source is None:
        raise FileNotFoundError(f"fontconfig finds no {face.source_family} {face.source_style}")
    target = directory / _target_name(face, *source)
    if target.is_file():
        return target
    with _exclusive(directory / f".{face.key}.lock"):
        if target.is_file():  # another worker built it while this one waited for the lock
            return target
        build_subset(face, *source, target)
        for stale in directory.glob(f"{face.key}-gb2312-*.otf"):
            if stale != target:
                with contextlib.suppress(OSError):
                    stale.unlink()
    logger.info("Built the PDF font %s at %s", face.key, target)
    return target


# Per process: the path of each face's cut, or None once building it has failed (retried at the next start).
_available: dict[str, Path | None] = {}
_available_lock = threading.Lock()


def subset_path(key: str) -> Path | None:
    """The cut for ``key`` if it exists or can be built; None (logged once) if the system font must do."""
    face = _FACES_BY_KEY.get(key)
    if face is None:
        return None
    with _available_lock:
        if key not in _available:
            try:
                _available[key] = ensure_subset(face)
            except Exception:
                logger.warning("PDF font %s unavailable, using the system font instead", key, exc_info=True)
                _available[key] = None
        return _available[key]


def font_face_css() -> str:
    """@font-face rules for the cuts that are available, to put before the templates' styles."""
    rules = []
    for face in FACES:
        if subset_path(face.key) is not None:
            rules.append(
                f'@font-face {{ font-family: "{face.family}"; font-weight: {face.weight}; font-style: normal; '
                f'src: url("{FONT_URL_SCHEME}:{face.key}") format("opentype"); }}'
            )
    return "\n".join(rules)


def clear_cache() -> None:
    """Forget which cuts exist (tests; a process that changed PDF_FONT_DIR)."""
    with _available_lock:
        _available.clear()


# --- What the printed forms can show --------------------------------------------------------------------------------
#
# The font stacks of templates/pdf/_styles.css, after the GB 2312 cuts (which hold nothing their source lacks): Noto
# CJK for everyday Chinese, WenQuanYi Zen Hei where it is installed, 花园明朝 (Debian's fonts-hanazono) for the rare
# hanzi of CJK Extensions A to F (HanaMinA: the BMP, HanaMinB: Extension B and beyond, 𠀀 U+20000), DejaVu for
# symbols. A character that none of them has prints as an empty box or ☒ on a form that is signed and stamped, so
# the forms refuse it (greenfactory.forms). tests/greenfactory/test_print_fonts.py keeps this list and the CSS in step.
PRINT_FAMILIES = (
    ("Noto Serif CJK SC", "Regular"),
    ("Noto Sans CJK SC", "Regular"),
    ("WenQuanYi Zen Hei", None),
    ("HanaMinA", None),
    ("HanaMinB", None),
    ("DejaVu Serif", None),
    ("DejaVu Sans", None),
)
# Without one of these the machine has no Chinese font at all: refusing every hanzi would be worse than printing
# boxes, so the check is off (and says so in the log) until the set-up has installed them.
_CJK_FAMILIES = ("Noto Serif CJK SC", "Noto Sans CJK SC", "WenQuanYi Zen Hei")


def _family_file(family: str, style: str | None) -> tuple[Path, int] | None:
    fc_match = shutil.which("fc-match")
    if not fc_match:
        return None
    pattern = f"{family}:style={style}" if style else family
    # A fixed executable and a pattern built from the constants above: nothing from a user reaches the command.
    result = subprocess.run(  # noqa: S603
        [fc_match, "--format=%{file}\n%{index}\n%{family}", pattern],
        capture_output=True, text=True, timeout=10, check=False,
    )
    lines = result.stdout.split("\n")
    if result.returncode != 0 or len(lines) < 3 or family not in lines[2].split(","):
        return None  # fontconfig substituted another family: this one is not installed
    return Path(lines[0]), int(lines[1] or 0)


class Coverage:
    """A set of code points as a bitmap: 139 kB per process, where a set of 110,000 ints would take megabytes."""

    def __init__(self, codepoints):
        self._bits = bytearray(0x110000 // 8)
        self._count = 0
        for codepoint in codepoints:
            if 0 <= codepoint < 0x110000 and codepoint not in self:
                self._bits[codepoint >> 3] |= 1 << (codepoint & 7)
                self._count += 1

    def __contains__(self, codepoint) -> bool:
        return 0 <= codepoint < 0x110000 and bool(self._bits[codepoint >> 3] & (1 << (codepoint & 7)))

    def __len__(self) -> int:
        return self._count


_coverage: Coverage | None = None
_coverage_known = False
_coverage_lock = threading.Lock()


def printable_codepoints() -> Coverage | None:
    """Every code point some font of the PDF stacks has a glyph for (read from their cmaps once per process), or
    None when no Chinese font is installed (then nothing is refused for want of a font)."""
    global _coverage, _coverage_known
    with _coverage_lock:
        if _coverage_known:
            return _coverage
        codepoints: set[int] = set()
        found = set()
        for family, style in PRINT_FAMILIES:
            located = _family_file(family, style)
            if located is None:
                continue
            try:
                font = TTFont(located[0], fontNumber=located[1], lazy=True)
                codepoints.update(font.getBestCmap() or {})
                font.close()
            except Exception:
                logger.warning("cannot read the character map of %s", located[0], exc_info=True)
                continue
            found.add(family)
        if found.intersection(_CJK_FAMILIES):
            _coverage = Coverage(codepoints)
        else:
            logger.warning("no Chinese font of the PDF stack is installed: characters are not checked for printing")
            _coverage = None
        _coverage_known = True
        return _coverage


def clear_coverage_cache() -> None:
    global _coverage, _coverage_known
    with _coverage_lock:
        _coverage, _coverage_known = None, False
