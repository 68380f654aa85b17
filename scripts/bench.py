"""The project's benchmark: median time and query count of the main pages, on a throw-away test database.

    .venv/bin/python scripts/bench.py [--rows 500] [--repeat 30]

Runs in-process through Django's test client (no network), on whatever DATABASE_URL points to (a separate test
database is created and dropped). Numbers go into each issue's closing note.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greenfactory.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=500, help="pending registrations in the benchmark district")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    settings.SECURE_SSL_REDIRECT = False
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from datetime import date

        from accounts.choices import OrganisationStatus
        from greenfactory import credit_code, workdays
        from tests.factories import EnterpriseFactory, UserFactory, district, district_authority

        official = UserFactory(username="bench-district", role="district", organisation=district_authority("长寿区"))
        city = UserFactory(username="bench-city", role="city",
                           organisation=district_authority("长寿区").__class__.objects.get(kind="city"))
        EnterpriseFactory.create_batch(args.rows, status=OrganisationStatus.PENDING, district=district("长寿区"))

        rows = []

        def measure(label, user, url):
            client = Client()
            client.force_login(user)
            client.get(url)  # warm caches and templates
            timings = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            rows.append((label, statistics.median(timings), max(timings), len(queries.captured_queries)))

        measure("home (district, to-do)", official, "/")
        measure(f"registration queue ({args.rows} rows)", official, "/accounts/registrations/")
        measure("enterprise directory (page of 50)", city, "/accounts/enterprises/")
        measure("account list", city, "/accounts/users/")
        anonymous = Client()
        timings = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            anonymous.get("/accounts/login/")
            timings.append((time.perf_counter() - started) * 1000)
        rows.append(("login page (anonymous)", statistics.median(timings), max(timings), 0))

        started = time.perf_counter()
        calendar = workdays.WorkingCalendar()
        for offset in range(1000):
            calendar.add_working_days(date(2025, 1, 2), offset % 250)
        rows.append(("1000 × add_working_days (≤250 days)", (time.perf_counter() - started) * 1000, 0, 0))
        started = time.perf_counter()
        for _ in range(10000):
            credit_code.validate("91350100M000100Y43")
        rows.append(("10000 × credit-code validation", (time.perf_counter() - started) * 1000, 0, 0))

        print(f"database: {connection.vendor}; rows: {args.rows}; repeat: {args.repeat}")
        print(f"{'what':45} {'median ms':>10} {'max ms':>8} {'queries':>8}")
        for label, median, worst, queries in rows:
            print(f"{label:45} {median:10.1f} {worst:8.1f} {queries:8d}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
