"""City-scale data for benchmarks and load tests: ``manage.py seed_scale --enterprises 10000 --years 10``.

Runs the seeders the apps register (``greenfactory.scale.register_scale_seeder``) in order, each in its own
transaction, and prints what each created and how long it took. Idempotent: a rerun with the same numbers creates
nothing; a rerun with larger numbers adds what is missing. Refused when demo login is off (the data set is for
development and benchmark databases), unless ``--force``. Ends with ``VACUUM ANALYZE`` on PostgreSQL: statistics for
the planner, and the visibility map a running database keeps through autovacuum (without it a count over a freshly
loaded table reads the table instead of its index).
"""

import random
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from greenfactory.scale import ScaleContext, scale_seeders


class Command(BaseCommand):
    help = ("Create city-scale data (enterprises over the 41 districts, campaigns for each year, applications in "
            "every state, history) for benchmarks; only what is missing. Refused when demo login is off.")

    def add_arguments(self, parser):
        parser.add_argument("--enterprises", type=int, default=10000, help="enterprises over the 41 districts")
        parser.add_argument("--years", type=int, default=10, help="campaign years, ending with the current one")
        parser.add_argument("--batch-size", type=int, default=2000, help="rows per bulk insert")
        parser.add_argument("--seed", type=int, default=2026, help="seed of the random choices (timestamps)")
        parser.add_argument("--force", action="store_true", help="run even when demo login is off")

    def handle(self, *args, **options):
        if not settings.DEMO_LOGIN_ENABLED and not options["force"]:
            raise CommandError(
                "规模测试数据只能在演示或测试环境中创建（DJANGO_DEBUG=true 或 DEMO_LOGIN_ENABLED=true），"
                "或使用 --force。 Scale data is refused when debug/demo login is off (use --force on a benchmark "
                "database).")
        if options["enterprises"] < 0 or not 1 <= options["years"] <= 50:
            raise CommandError("--enterprises must be ≥ 0 and --years between 1 and 50.")
        now = timezone.now()
        context = ScaleContext(enterprises=options["enterprises"], years=options["years"],
                               rng=random.Random(options["seed"]),  # noqa: S311  (data, not secrets)
                               now=now, today=timezone.localdate(now), batch_size=options["batch_size"])
        started = time.perf_counter()
        for name, seeder in scale_seeders():
            began = time.perf_counter()
            with transaction.atomic():
                counts = seeder(context) or {}
            made = ", ".join(f"{label} {n}" for label, n in counts.items() if n) or "nothing new"
            self.stdout.write(f"{name}: {made} ({time.perf_counter() - began:.1f} s)")
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")  # outside a transaction (autocommit): VACUUM cannot run inside one
        elif connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS(
            f"Scale data ready: {context.enterprises} enterprises, {context.years} years "
            f"({time.perf_counter() - started:.1f} s)."))
