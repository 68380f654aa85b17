"""Build the PDF fonts' GB 2312 cuts now, so the first PDF does not wait for them (greenfactory/fonts.py).

    .venv/bin/python scripts/build_font_subset.py

Writes into settings.PDF_FONT_DIR (default var/fonts/); a cut that is already there is kept. Safe to run while the
portal runs: each face is built under a lock and renamed into place. Exits 1 if a face could not be built (the
PDFs then use the full system fonts: slower, same text). Then says how many characters the PDF fonts cover,
which the forms accept as printable, and whether CJK Extension B (𠀀, fonts-hanazono) is among them.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greenfactory.settings")
os.environ.setdefault("SECRET_KEY", "font-build-only-secret-key-not-for-serving-0123456789")


def main() -> int:
    import django

    django.setup()
    from greenfactory import fonts

    failed = 0
    for face in fonts.FACES:
        started = time.perf_counter()
        try:
            path = fonts.ensure_subset(face)
        except Exception as error:  # report every face, then fail
            failed += 1
            print(f"{face.key}: not built ({error})", file=sys.stderr)
            continue
        print(f"{face.key}: {path} ({path.stat().st_size / 1e6:.1f} MB, {time.perf_counter() - started:.1f} s)")
    # What the forms will accept as printable (greenfactory.forms): say so if the rare-hanzi font is missing.
    coverage = fonts.printable_codepoints()
    if coverage is None:
        print("printable characters: no Chinese font of the PDF stack installed; forms do not check", file=sys.stderr)
    else:
        extension_b = "yes" if 0x20000 in coverage else "NO (install fonts-hanazono)"
        print(f"printable characters: {len(coverage)}; CJK Extension B (𠀀): {extension_b}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
