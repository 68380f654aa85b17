#!/usr/bin/env bash
# `make check`: lint, Django's system checks and missing migrations.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
.venv/bin/ruff check .
DJANGO_DEBUG=true .venv/bin/python manage.py check --fail-level WARNING
DJANGO_DEBUG=true .venv/bin/python manage.py makemigrations --check --dry-run
