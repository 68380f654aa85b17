#!/usr/bin/env bash
# Set-up shared by `make run` and `make test`: system packages, the virtualenv, front-end assets, translations.
# Idempotent and quick the second time. `--test` adds what only the tests need (Chromium, poppler-utils).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk gettext)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(chromium poppler-utils)
fi
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]]; then
    echo ">> installing system packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "!! missing system packages: ${missing[*]}"
    echo "   run: sudo apt-get install -y ${missing[*]}"
    exit 1
  fi
fi

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)'; then
  echo "!! Python 3.11 is required (found: $("$python" --version 2>&1)); set PYTHON=/path/to/python3.11"
  exit 1
fi
if [[ ! -x .venv/bin/python ]]; then
  echo ">> creating .venv"
  "$python" -m venv .venv
fi
stamp=.venv/.requirements.sha256
wanted=$(sha256sum requirements.txt | cut -d' ' -f1)
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$wanted" ]]; then
  echo ">> installing Python packages"
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q -r requirements.txt
  echo "$wanted" > "$stamp"
fi

if ! command -v npm >/dev/null 2>&1; then
  echo "!! npm is required for the offline front-end assets (Bootstrap): install Node.js 18+ with npm"
  exit 1
fi
bash scripts/vendor_static.sh

if [[ -d locale ]]; then
  DJANGO_DEBUG=true .venv/bin/python manage.py compilemessages -v0 --ignore=.venv >/dev/null
fi
mkdir -p var
