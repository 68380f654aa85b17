# The commands people type. `make run` and `make test` do all the set-up on a fresh machine (see README.md).
#
#   make run                    set up, migrate, load the demo data, start the portal + a Celery worker with beat
#   make test [ARGS="-x -k …"]  set up (with the test-only packages), collectstatic, run pytest with ARGS
#   make check                  ruff, Django's system checks, missing migrations
#   make bench [ARGS="…"]       bench/run ARGS: the HTTP benchmark on PostgreSQL + Redis (README.md, "Benchmark")
#   make setup                  only the set-up (scripts/bootstrap.sh)
#   make diagrams               regenerate docs/workflows.md (state diagrams) from the workflow declarations
#   make messages               regenerate locale/en/LC_MESSAGES/django.po from the code (then translate what is new)

SHELL := /bin/bash
.DEFAULT_GOAL := help
PY := .venv/bin/python
ARGS ?=

.PHONY: help run test check bench setup messages diagrams

help:
	@sed -n 's/^#   make/  make/p' Makefile

run:
	@bash scripts/run.sh

# make cannot hand pytest's exit code on (it reports "Error N" and exits 2); scripts/test.sh itself does.
test:
	@bash scripts/test.sh $(ARGS)

# All three run, so one report names every problem; the target fails if any of them did.
check: setup
	@status=0; \
	echo "-- ruff check ."; $(PY) -m ruff check . || status=1; \
	echo "-- manage.py check"; \
	DJANGO_DEBUG=true LOG_LEVEL=WARNING $(PY) manage.py check --fail-level WARNING || status=1; \
	echo "-- manage.py makemigrations --check --dry-run"; \
	DJANGO_DEBUG=true LOG_LEVEL=WARNING $(PY) manage.py makemigrations --check --dry-run || status=1; \
	echo "-- manage.py workflow_diagrams --check"; \
	DJANGO_DEBUG=true LOG_LEVEL=WARNING $(PY) manage.py workflow_diagrams --check || status=1; \
	exit $$status

# bench/run seeds its own database, collects static files and starts gunicorn; it needs the set-up done first.
bench: setup
	@bench/run $(ARGS)

setup:
	@bash scripts/bootstrap.sh

diagrams: setup
	@DJANGO_DEBUG=true LOG_LEVEL=WARNING $(PY) manage.py workflow_diagrams

# The English catalogue from the Chinese msgids in the code. locale_vendor/ (third-party apps' Chinese) is not
# touched: it has no English and makemessages writes only to locale/. tests/test_language.py runs the same command
# into a temporary directory and fails when a msgid is missing or an entry is untranslated or fuzzy.
MESSAGES_IGNORE := --ignore=.venv --ignore=node_modules --ignore=var --ignore=static
messages:
	@DJANGO_DEBUG=true LOG_LEVEL=WARNING $(PY) manage.py makemessages -l en --no-obsolete $(MESSAGES_IGNORE)
	@msgfmt --check-format --statistics -o /dev/null locale/en/LC_MESSAGES/django.po
