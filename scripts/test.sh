#!/usr/bin/env bash
# `make test`: set up (including Chromium for the browser tests), collect static files, run the whole suite.
# Runs on SQLite unless DATABASE_URL is set; REDIS_URL switches the broker and cache to Redis.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh --test

# Tests run production-like: debug off (so the manifest static storage and secure defaults are in force).
export DJANGO_DEBUG=false
export SECRET_KEY=${SECRET_KEY:-test-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz}
# Playwright's sync API runs an event loop in the test thread; the ORM must be allowed beside it.
export DJANGO_ALLOW_ASYNC_UNSAFE=true
.venv/bin/python manage.py collectstatic --noinput -v0
exec .venv/bin/pytest "$@"
