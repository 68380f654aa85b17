#!/usr/bin/env bash
# Set-up shared by `make run`, `make test` and `make check`; safe to run again, and quick the second time.
#
#   bash scripts/bootstrap.sh          system packages for the portal, .venv, front-end assets, translations
#   bash scripts/bootstrap.sh --test   the same, plus the packages only the tests need (Chromium, poppler-utils)
#
# 1. Debian packages: installed with apt-get when missing and running as root (one `apt-get update` first, only
#    then); otherwise the exact `sudo apt-get install ...` line is printed and the script fails.
# 2. Python: .venv/ with the pinned requirements.txt (plus requirements-s3.txt when S3_BUCKET is set). A stamp in
#    .venv/ holds the hash of what was installed, so pip runs only when the requirements change.
# 3. Front-end assets: scripts/vendor_static.sh (npm ci --ignore-scripts only when package-lock.json changed, then
#    copies the files into static/vendor/). Nothing is ever loaded from a CDN.
# 4. Translations: compilemessages when locale/ exists (it skips catalogues whose .mo is newer than the .po).
# 5. PDF fonts: scripts/build_font_subset.py, when present, cuts the CJK fonts once per machine.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

with_tests=false
for arg in "$@"; do
  case "$arg" in
    --test) with_tests=true ;;
    *) echo "bootstrap: unknown option $arg (only --test)" >&2; exit 2 ;;
  esac
done

say() { printf '>> %s\n' "$*"; }
die() { printf '!! %s\n' "$*" >&2; exit 1; }

# --- 1. System packages ---------------------------------------------------------------------------------------------
# Pango + HarfBuzz-subset: WeasyPrint (fast font subsetting); Noto CJK: Chinese PDFs; hanazono: the rare hanzi of
# CJK Extensions A-F (𠀀) in PDFs; fontconfig (fc-match): finds them for the PDF font cuts and the forms' printable-
# character check; gettext: compilemessages.
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk fonts-hanazono fontconfig gettext)
# Only the tests: Chromium for the Playwright tests, poppler-utils (pdffonts, pdftotext) to inspect PDFs.
test_packages=(chromium poppler-utils)
if [[ "$with_tests" == true ]]; then
  packages+=("${test_packages[@]}")
fi

if command -v dpkg-query >/dev/null 2>&1; then
  missing=()
  for package in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    [[ "$status" == "install ok installed" ]] || missing+=("$package")
  done
  # Node.js and npm bring the front-end assets; Debian's npm package pulls in nodejs.
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  if ((${#missing[@]} > 0)); then
    if [[ "$(id -u)" -eq 0 ]]; then
      say "installing system packages: ${missing[*]}"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq
      apt-get install -y -qq -o Dpkg::Use-Pty=0 --no-install-recommends "${missing[@]}" </dev/null
    else
      printf '!! missing system packages: %s\n' "${missing[*]}" >&2
      printf '   install them with:\n\n     sudo apt-get install -y --no-install-recommends %s\n\n' "${missing[*]}" >&2
      exit 1
    fi
  fi
else
  printf '!! not a Debian system (no dpkg-query): make sure these are installed: %s, and Node.js with npm\n' \
    "${packages[*]}" >&2
fi

# --- 2. Python virtualenv -------------------------------------------------------------------------------------------
python=${PYTHON:-python3}
command -v "$python" >/dev/null 2>&1 || die "$python not found: install Python 3.11 (or set PYTHON=/path/to/python3.11)"
"$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' \
  || die "Python 3.11 or newer is required (found $("$python" --version 2>&1)); set PYTHON=/path/to/python3.11"

# A virtualenv whose interpreter is gone (Python upgraded or removed) is rebuilt from scratch.
if [[ ! -x .venv/bin/python ]] || ! .venv/bin/python -c 'import sys' >/dev/null 2>&1; then
  say "creating .venv with $("$python" --version 2>&1)"
  "$python" -m venv --clear .venv
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
  rm -f .venv/.requirements.sha256
fi

# requirements-s3.txt includes requirements.txt and adds the object-storage client.
requirements="requirements.txt"
if [[ -n "${S3_BUCKET:-}" ]]; then
  requirements="requirements-s3.txt"
fi
stamp=.venv/.requirements.sha256
wanted=$( { .venv/bin/python --version; cat requirements.txt "$requirements"; } | sha256sum | cut -d' ' -f1)
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$wanted" ]]; then
  say "installing Python packages from $requirements"
  .venv/bin/python -m pip install -q --disable-pip-version-check -r "$requirements"
  echo "$wanted" >"$stamp"
fi

# --- 3. Front-end assets (npm, never a CDN) -------------------------------------------------------------------------
bash scripts/vendor_static.sh

# --- 4. Translations ------------------------------------------------------------------------------------------------
if [[ -d locale ]]; then
  # Debug on only so that settings load without a SECRET_KEY; compilemessages touches no database.
  DJANGO_DEBUG=true LOG_LEVEL=WARNING .venv/bin/python manage.py compilemessages -v0 \
    --ignore=.venv --ignore=node_modules --ignore=var --ignore=static
fi

mkdir -p var

# --- 5. PDF fonts ---------------------------------------------------------------------------------------------------
# The GB 2312 cuts of the CJK fonts that make PDFs fast (greenfactory/fonts.py): built once per machine (about 15 s),
# kept afterwards. Not fatal: without them PDFs use the full system fonts, slower but with the same text.
if [[ -f scripts/build_font_subset.py ]]; then
  compgen -G "var/fonts/*.otf" >/dev/null || say "building the PDF font subsets (once per machine)"
  if ! LOG_LEVEL=WARNING .venv/bin/python scripts/build_font_subset.py >/dev/null; then
    printf '!! the PDF font subsets could not be built (see above); PDFs will use the full fonts\n' >&2
  fi
fi
