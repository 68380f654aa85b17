#!/usr/bin/env bash
# `make run`: set up, migrate, load demo data, start the web server and a Celery worker with embedded beat.
# With nothing configured: SQLite (db.sqlite3) and the filesystem broker under var/celery.
# With DATABASE_URL / REDIS_URL (or CELERY_BROKER_URL) set, the same commands use PostgreSQL and Redis.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh

export DJANGO_DEBUG=${DJANGO_DEBUG:-true}
host=${HOST:-127.0.0.1}
port=${PORT:-8000}

.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py seed_demo
# Reminders due now are sent at once (then by beat every 15 minutes); mail goes out through the worker.
.venv/bin/python manage.py run_reminders

# A beat killed mid-write can leave a corrupt schedule file; it holds nothing that must survive a restart.
rm -f var/celerybeat-schedule var/celerybeat-schedule.*
.venv/bin/celery -A greenfactory worker -B --pool=solo -s var/celerybeat-schedule --loglevel=INFO \
  > var/celery.log 2>&1 &
worker=$!
trap 'kill "$worker" 2>/dev/null || true; wait "$worker" 2>/dev/null || true' EXIT INT TERM

cat <<MSG

  绿色工厂培育与认定平台 is starting at  http://$host:$port/
  Demo accounts (password GreenFactory-2026, demo only):
    demo-enterprise, demo-enterprise-2, demo-park, demo-district, demo-district-2,
    demo-city, demo-expert, demo-evaluator, demo-department, demo-admin
  Celery worker + beat (reminders): log in var/celery.log
  Stop with Ctrl-C.

MSG
.venv/bin/python manage.py runserver "$host:$port"
