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
        from accounts.models import Enterprise

        # The intake part needs approved enterprises: a fifth of them.
        for enterprise in Enterprise.objects.filter(status=OrganisationStatus.PENDING)[: args.rows // 5]:
            Enterprise.objects.filter(pk=enterprise.pk).update(status=OrganisationStatus.ACTIVE)

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

        # Intake: one campaign, every enterprise submitted with a scan; half accepted into the library.
        from datetime import timedelta
        from decimal import Decimal

        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.utils import timezone

        from applications import services as intake
        from applications.demo import _blank_pdf
        from applications.models import CultivationCampaign, IntakeApplication

        today = timezone.localdate()
        campaign = CultivationCampaign.objects.create(year=today.year, title="bench", opens_on=today,
                                                      deadline=today + timedelta(days=10), created_by=city)
        data = {"output_value": Decimal("8000"), "total_profit_1": Decimal("1"), "total_profit_2": Decimal("2"),
                "total_profit_3": Decimal("3"), "quality_management_certified": True,
                "environmental_management_certified": True, "occupational_health_safety_certified": True,
                "energy_management_certified": True, "major_accident": False, "preparer_name": "张",
                "preparer_phone": "13800138000", "profile_text": "简介", "independent_legal_person": True,
                "green_investment_amount": Decimal("100"), "green_investment_areas": ["energy_water"],
                "commitment_accepted": True, "commitment_signatory": "王", "commitment_date": today}
        pdf = _blank_pdf()
        for index, enterprise in enumerate(Enterprise.objects.filter(district__name="长寿区")[: args.rows // 5]):
            user = UserFactory(organisation=enterprise)
            application = intake.intake_save(application=intake.intake_start(campaign=campaign, actor=user),
                                             actor=user, data=data)
            application = intake.intake_submit(application=application, actor=user)
            intake.scan_upload(application=application, actor=user,
                               uploaded_file=SimpleUploadedFile("s.pdf", pdf))
            if index % 2:
                intake.intake_accept(application=application, actor=official)
        sample = IntakeApplication.objects.first()

        measure("home (district, to-do)", official, "/")
        measure(f"intake queue ({args.rows // 10} waiting)", official, "/applications/intake/queue/")
        measure("cultivation library (city, page of 50)", city, "/applications/library/")
        measure("intake form PDF (one A4 page)", official, f"/applications/intake/{sample.public_id}/form.pdf")
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
