#!/usr/bin/env bash
# `make run`: set up, migrate, load the demo data, then start the web server and one Celery worker with embedded beat.
#
# With nothing configured: debug on, SQLite (db.sqlite3) and kombu's filesystem broker under var/celery/.
# With DATABASE_URL / REDIS_URL (or CELERY_BROKER_URL) set, the same commands use PostgreSQL and Redis (the settings
# read them). HOST and PORT change the address (default 127.0.0.1:8000). Ctrl-C stops both processes.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/bootstrap.sh

# Debug on unless the caller decided otherwise (an exported variable wins over .env, as in the settings).
export DJANGO_DEBUG="${DJANGO_DEBUG:-true}"
host="${HOST:-127.0.0.1}"
port="${PORT:-8000}"
# Links in e-mails point at this server, unless the environment or .env says otherwise.
if [[ -z "${PORTAL_BASE_URL:-}" ]] && ! grep -qs '^[[:space:]]*PORTAL_BASE_URL=' .env; then
  export PORTAL_BASE_URL="http://$host:$port"
fi
# Quiet set-up steps (Django logs at INFO by default); the web server and the worker keep LOG_LEVEL.
setup_log_level=WARNING
py=.venv/bin/python

# What the settings made of the environment (and .env): debug, demo accounts, database, broker.
if ! flags=$(LOG_LEVEL="$setup_log_level" "$py" -c '
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greenfactory.settings")
from django.conf import settings
print(int(settings.DEBUG), int(settings.DEMO_LOGIN_ENABLED), settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
      settings.CELERY_BROKER_URL.split("://", 1)[0])
'); then
  echo "!! the settings did not load (see above); with DJANGO_DEBUG=false, SECRET_KEY must be set" >&2
  exit 1
fi
read -r debug demo database broker <<<"$flags"

echo ">> migrating the database ($database)"
LOG_LEVEL="$setup_log_level" "$py" manage.py migrate --noinput -v0
if [[ "$demo" == 1 ]]; then
  echo ">> loading the demo data"
  LOG_LEVEL="$setup_log_level" "$py" manage.py seed_demo
else
  echo ">> demo accounts are off (DJANGO_DEBUG / DEMO_LOGIN_ENABLED): no demo data loaded"
fi
if [[ "$debug" != 1 ]]; then
  # With debug off, whitenoise serves the hashed files of the manifest from STATIC_ROOT.
  echo ">> collecting static files"
  LOG_LEVEL="$setup_log_level" "$py" manage.py collectstatic --noinput -v0
fi

running() {  # running PID: the process exists and is not a zombie waiting to be reaped
  local state
  state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
  [[ "$state" != Z* ]]
}
stop_group() {  # stop_group PID: TERM to PID's process group, ten seconds for a warm shutdown, then KILL
  local pid=$1 target=$1
  if [[ "$(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ')" == "$pid" ]]; then
    target="-$pid"
  fi
  kill -TERM -- "$target" 2>/dev/null || return 0
  for _ in $(seq 1 20); do
    running "$pid" || break
    sleep 0.5
  done
  kill -KILL -- "$target" 2>/dev/null || true
}

# A worker left over from an earlier `make run` that was killed hard would make a second beat: stop it first.
pidfile=var/celery-worker.pid
if [[ -f "$pidfile" ]]; then
  previous=$(cat "$pidfile")
  if [[ "$previous" =~ ^[0-9]+$ ]] && grep -qs celery "/proc/$previous/cmdline"; then
    echo ">> stopping the Celery worker left over from an earlier run (pid $previous)"
    stop_group "$previous"
  fi
  rm -f "$pidfile"
fi

# One worker with the beat embedded (-B): with the filesystem broker there must be exactly one. The schedule file
# holds nothing that must survive a restart, and a kill mid-write can corrupt it: start from a fresh one.
# The worker runs in its own session (setsid): the terminal's Ctrl-C and hang-up reach only this script (Celery
# restarts itself on SIGHUP), and stopping its process group stops the embedded beat process with it.
rm -f var/celerybeat-schedule var/celerybeat-schedule.*
echo ">> starting the Celery worker with embedded beat ($broker broker), log in var/celery.log"
setsid .venv/bin/celery -A greenfactory worker -B --pool=solo -s var/celerybeat-schedule --loglevel=INFO \
  >var/celery.log 2>&1 </dev/null &
worker=$!
echo "$worker" >"$pidfile"

stop_worker() {
  if running "$worker"; then
    echo ">> stopping the Celery worker"
    stop_group "$worker"
  fi
  wait "$worker" 2>/dev/null || true
  rm -f "$pidfile"
}
trap stop_worker EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# Reminders already due go out now (the beat runs them every 15 minutes; each is sent once per person, item and
# threshold, so running them again is harmless). The e-mails are sent by the worker.
if ! LOG_LEVEL="$setup_log_level" "$py" manage.py run_reminders; then
  echo "!! run_reminders failed (see above); starting the portal anyway" >&2
fi

if ! running "$worker"; then
  echo "!! the Celery worker stopped at start-up; the end of var/celery.log:" >&2
  tail -n 30 var/celery.log >&2
  exit 1
fi

cat <<MSG

  绿色工厂培育与认定平台 — http://$host:$port/
MSG
if [[ "$demo" == 1 ]]; then
  echo
  echo "  Demo accounts (password GreenFactory-2026; demo only, refused when debug is off):"
  # Listed from the database, so accounts added to seed_demo show up here too.
  LOG_LEVEL="$setup_log_level" "$py" -c '
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greenfactory.settings")
import django
django.setup()
from django.contrib.auth import get_user_model
users = get_user_model().objects.filter(username__startswith="demo-").select_related("organisation")
for user in users.order_by("username"):
    organisation = str(user.organisation) if user.organisation else ""
    print("    %-20s %s  %s" % (user.username, user.get_role_display(), organisation))
' || echo "    (could not list them: see above)"
fi
cat <<MSG

  Celery worker + beat (reminders, e-mail): log in var/celery.log. Stop both with Ctrl-C.

MSG

# The development server answers each request in a thread of its own: a connection kept for the next request (the
# production default of DATABASE_CONN_MAX_AGE) would stay open with its finished thread, and PostgreSQL would run out
# of connections in a long session. Each request closes its own, unless the caller decided otherwise.
DATABASE_CONN_MAX_AGE="${DATABASE_CONN_MAX_AGE:-0}" "$py" manage.py runserver "$host:$port"
