"""The project's benchmark: every page a role works through, at city scale, on a throw-away test database.

    .venv/bin/python scripts/bench.py [--enterprises 10000] [--applications 2000] [--repeat 30]

Runs in-process through Django's test client (no network), on whatever DATABASE_URL points to (a separate test
database is created and dropped). It builds a small data set (a few enterprises, each page's sample record made
through the services, as users make them), measures every page's query count, then adds the city-scale data set
with bulk inserts (enterprises over the 41 districts, their users, one campaign with intake applications in every
state, criteria results, scans, library entries, history, audit events, notifications) and measures again: median,
p95, query count, and each page's throughput relative to a minimal login-required page measured in the same run (a
view registered here only: 50 rows of one query in a small template, the floor every page checking a session pays).

Exits non-zero when a page's query count differs between the small and the large data set, when a page's p95 is over
150 ms, or when a PDF's median is over 300 ms. Numbers go into each issue's closing note.
"""

import argparse
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greenfactory.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789")

P95_TARGET_MS = 150
PDF_MEDIAN_TARGET_MS = 300
BENCH_DISTRICT = "长寿区"
# The bench district is a busy one: this share of all enterprises (and so of all applications) is registered there.
BENCH_DISTRICT_SHARE = 0.15
# Intake applications by state, as shares of --applications (the rest of the year's states, half admitted).
STATE_SHARES = (("accepted", 0.50), ("submitted", 0.20), ("draft", 0.15), ("returned", 0.05), ("rejected", 0.05),
                ("withdrawn", 0.05))
PENDING_SHARE = 0.02  # enterprises whose registration waits for the district
IDENTITY_CHANGE_SHARE = 0.01  # enterprises with an open change of name
AUDIT_PER_ENTERPRISE = 5
NOTIFICATIONS_PER_USER = 3
BATCH = 2000


def _reference_urls():
    """A URLconf with the portal's own patterns plus the two references: a bare view (the ceiling) and a minimal
    login-required page (the floor), both under the portal's middleware and session settings."""
    from django.http import HttpResponse
    from django.shortcuts import render
    from django.template import engines
    from django.urls import include, path

    from accounts.models import Enterprise

    template = engines["django"].from_string(
        "<!doctype html><html><body><table>{% for e in rows %}<tr><td>{{ e.name }}</td><td>{{ e.credit_code }}"
        "</td></tr>{% endfor %}</table></body></html>")

    def minimal(request):
        rows = list(Enterprise.objects.only("name", "credit_code").order_by("id")[:50])
        return HttpResponse(template.render({"rows": rows}))  # no context processors: the floor

    from django.contrib.auth.decorators import login_not_required

    @login_not_required
    def bare(request):
        return HttpResponse(b"ok")

    del render
    return [path("bench/bare/", bare), path("bench/minimal/", minimal), path("", include("greenfactory.urls"))]


class Bench:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(2026)  # noqa: S311  (data, not secrets)

    # --- The small data set: sample records made through the services -------------------------------------------

    def build_small(self):
        from datetime import timedelta
        from decimal import Decimal

        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.utils import timezone

        from accounts import services as accounts_services
        from accounts.choices import OrganisationStatus
        from accounts.models import Industry, Organisation, OrganisationKind, Park
        from applications import services as intake
        from applications.demo import _blank_pdf
        from applications.models import CultivationCampaign
        from tests.factories import EnterpriseFactory, UserFactory, district, district_authority

        today = timezone.localdate()
        self.official = UserFactory(username="bench-district", role="district",
                                    organisation=district_authority(BENCH_DISTRICT))
        self.city = UserFactory(username="bench-city", role="city",
                                organisation=Organisation.objects.get(kind=OrganisationKind.CITY))
        for role, kind in (("expert", OrganisationKind.EXPERT), ("evaluator", OrganisationKind.EVALUATOR),
                           ("department", OrganisationKind.DEPARTMENT)):
            organisation = Organisation.objects.create(kind=kind, name=f"bench {role}")
            setattr(self, role, UserFactory(username=f"bench-{role}", role=role, organisation=organisation))
        park = Park.objects.create(name="bench park", district=district(BENCH_DISTRICT), park_type="high_tech",
                                   approval_level="national", managing_body="管委会", address="长寿区1号")
        self.park = UserFactory(username="bench-park", role="park", organisation=park)

        self.campaign = CultivationCampaign.objects.create(
            year=today.year, title="bench", opens_on=today - timedelta(days=10), deadline=today + timedelta(days=10),
            created_by=self.city, key_sectors=["chemicals", "materials"])
        data = {"output_value": Decimal("8000"), "total_profit_1": Decimal("1"), "total_profit_2": Decimal("2"),
                "total_profit_3": Decimal("3"), "quality_management_certified": True,
                "environmental_management_certified": True, "occupational_health_safety_certified": True,
                "energy_management_certified": True, "major_accident": False, "preparer_name": "张",
                "preparer_phone": "13800138000", "profile_text": "简介", "independent_legal_person": True,
                "green_investment_amount": Decimal("100"), "green_investment_areas": ["energy_water"],
                "commitment_accepted": True, "commitment_signatory": "王", "commitment_date": today}
        pdf = _blank_pdf()
        enterprises = EnterpriseFactory.create_batch(6, district=district(BENCH_DISTRICT))
        users = [UserFactory(organisation=e) for e in enterprises]
        applications = []
        for index, user in enumerate(users[:4]):
            application = intake.intake_save(application=intake.intake_start(campaign=self.campaign, actor=user),
                                             actor=user, data=data)
            application = intake.intake_submit(application=application, actor=user)
            intake.scan_upload(application=application, actor=user, uploaded_file=SimpleUploadedFile("s.pdf", pdf))
            if index == 0:
                application = intake.intake_accept(application=application, actor=self.official)
            applications.append(application)
        # The enterprise whose pages are measured: admitted (its case page with its history), with a draft
        # elsewhere would need a second campaign, so its edit form is measured on a second enterprise's draft.
        self.applicant, self.case = users[0], applications[0]
        self.drafter = users[4]
        self.draft = intake.intake_save(application=intake.intake_start(campaign=self.campaign, actor=self.drafter),
                                        actor=self.drafter, data=data)
        EnterpriseFactory.create_batch(3, district=district(BENCH_DISTRICT), status=OrganisationStatus.PENDING)
        self.change = accounts_services.identity_change_request(
            actor=users[5], new_name=f"{enterprises[5].name}集团",
            new_credit_code=enterprises[5].credit_code, reason="工商变更")
        pending = accounts_services.registration_request(
            enterprise_data={"name": "重庆待确认有限公司", "credit_code": "91500115MA5U0000XX",
                             "district": district(BENCH_DISTRICT), "industry": Industry.objects.get(code="26"),
                             "ownership_type": "private", "address": "重庆市长寿区1号", "postal_code": "401220",
                             "founded_on": today.replace(year=2010), "registered_capital": Decimal("100"),
                             "main_products": "化工"},
            user_data={"full_name": "李", "phone": "13800138000", "email": "pending@example.com",
                       "username": "pending-user"}, password="Bench-Password-2026")  # noqa: S106
        self.confirm_token = accounts_services.registration_token(pending)

    # --- The pages --------------------------------------------------------------------------------------------------

    def pages(self):
        """(label, user or None, url, kind): every page a role lands on or works through."""
        official, city, applicant = self.official, self.city, self.applicant
        campaign, case = self.campaign.public_id, self.case.public_id
        company = self.applicant.organisation.public_id
        search = quote(self.applicant.organisation.name[-8:])  # a name fragment: the same company in both data sets
        return [
            ("reference: minimal login-required page", official, "/bench/minimal/", "ref"),
            ("reference: bare view (anonymous)", None, "/bench/bare/", "ref"),
            ("login page (anonymous)", None, "/accounts/login/", "page"),
            ("registration confirmation (anonymous)", None, f"/accounts/register/confirm/{self.confirm_token}/",
             "page"),
            ("home: district (to-do)", official, "/", "page"),
            ("home: city", city, "/", "page"),
            ("home: enterprise (apply now)", applicant, "/", "page"),
            ("home: enterprise with a draft", self.drafter, "/", "page"),
            ("home: expert", self.expert, "/", "page"),
            ("home: evaluator", self.evaluator, "/", "page"),
            ("home: department", self.department, "/", "page"),
            ("home: park", self.park, "/", "page"),
            ("registration queue (district)", official, "/accounts/registrations/", "page"),
            ("identity-change queue (district)", official, "/accounts/identity-changes/", "page"),
            ("identity-change request (district)", official, f"/accounts/identity-changes/{self.change.public_id}/",
             "page"),
            ("intake queue (district)", official, "/applications/intake/queue/", "page"),
            ("intake case page (district)", official, f"/applications/intake/{case}/", "page"),
            ("intake case page (enterprise)", applicant, f"/applications/intake/{case}/", "page"),
            ("intake edit form (enterprise)", self.drafter, f"/applications/intake/{self.draft.public_id}/edit/",
             "page"),
            ("my applications (enterprise)", applicant, "/applications/intake/", "page"),
            ("campaign list (district)", official, "/applications/campaigns/", "page"),
            ("campaign list (enterprise)", applicant, "/applications/campaigns/", "page"),
            ("campaign page (district)", official, f"/applications/campaigns/{campaign}/", "page"),
            ("campaign page (city)", city, f"/applications/campaigns/{campaign}/", "page"),
            ("campaign edit (city)", city, f"/applications/campaigns/{campaign}/edit/", "page"),
            ("library (district)", official, "/applications/library/", "page"),
            ("library (city, page of 50)", city, "/applications/library/", "page"),
            ("library (city, filtered)", city,
             f"/applications/library/?district={self.official.district_id}&sector=chemicals", "page"),
            ("enterprise directory (district)", official, "/accounts/enterprises/", "page"),
            ("enterprise directory (city)", city, "/accounts/enterprises/", "page"),
            ("enterprise directory (city, search)", city, f"/accounts/enterprises/?q={search}", "page"),
            ("company page (district)", official, f"/accounts/enterprises/{company}/", "page"),
            ("company page (city)", city, f"/accounts/enterprises/{company}/", "page"),
            ("account list (city)", city, "/accounts/users/", "page"),
            ("audit log (city)", city, "/accounts/audit/", "page"),
            ("audit log (city, filtered)", city, "/accounts/audit/?action=transition", "page"),
            ("profile (enterprise)", applicant, "/accounts/profile/", "page"),
            ("colleagues (enterprise)", applicant, "/accounts/colleagues/", "page"),
            ("inbox (district)", official, "/accounts/inbox/", "page"),
            ("inbox (enterprise)", applicant, "/accounts/inbox/", "page"),
            ("review tasks (expert)", self.expert, "/applications/review-tasks/", "page"),
            ("campaign notices (public)", None, "/applications/notices/", "page"),
            ("intake form PDF (one A4 page)", official, f"/applications/intake/{case}/form.pdf", "pdf"),
        ]

    def clients(self):
        from django.test import Client

        clients = {}
        for _label, user, _url, _kind in self.pages():
            key = user.pk if user else None
            if key not in clients:
                client = Client()
                if user is not None:
                    client.force_login(user)
                clients[key] = client
        return clients

    def query_counts(self, show=False):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        clients = self.clients()
        counts = {}
        for label, user, url, _kind in self.pages():
            client = clients[user.pk if user else None]
            client.get(url)  # warm caches and templates
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200, (label, url, response.status_code)
            counts[label] = len(queries.captured_queries)
            if show:
                print(f"--- {label}: {url}")
                for query in queries.captured_queries:
                    print(f"    {query['time']:>6} {query['sql'][:300]}")
        return counts

    def profile(self):
        import cProfile
        import pstats

        clients = self.clients()
        for label, user, url, kind in self.pages():
            if kind == "ref":
                continue
            client = clients[user.pk if user else None]
            client.get(url)
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(5):
                client.get(url)
            profiler.disable()
            print(f"--- {label}: {url} (5 requests)")
            stats = pstats.Stats(profiler)
            stats.sort_stats("tottime").print_stats(15)
            stats.sort_stats("cumulative").print_stats(r"(accounts|applications|greenfactory|templatetags)/", 25)

    def timings(self):
        clients = self.clients()
        results = {}
        for label, user, url, kind in self.pages():
            client = clients[user.pk if user else None]
            client.get(url)
            repeat = max(5, self.args.repeat // 3) if kind == "pdf" else self.args.repeat
            samples = []
            for _ in range(repeat):
                started = time.perf_counter()
                response = client.get(url)
                samples.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (label, url, response.status_code)
            samples.sort()
            results[label] = {"median": statistics.median(samples),
                              "p95": samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]}
        return results

    # --- The city-scale data set: bulk inserts ----------------------------------------------------------------------

    def build_large(self):
        from datetime import timedelta
        from decimal import Decimal

        from django.contrib.contenttypes.models import ContentType
        from django.db import connection, transaction
        from django.utils import timezone
        from django_fsm_log.models import StateLog

        from accounts.models import (
            AuditAction,
            AuditEvent,
            District,
            Enterprise,
            IdentityChange,
            Industry,
            Notification,
            Organisation,
            OrganisationKind,
            User,
        )
        from applications.models import (
            CriterionResult,
            EntryCriterion,
            EntryCriterionResult,
            IntakeApplication,
            LibraryEntry,
            StampedScan,
        )
        from tests.factories import credit_code_for, password_hash

        rng, now, today = self.rng, timezone.now(), timezone.localdate()
        n = self.args.enterprises
        districts = list(District.objects.order_by("position"))
        bench = next(d for d in districts if d.name == BENCH_DISTRICT)
        others = [d for d in districts if d.pk != bench.pk]
        industries = list(Industry.objects.all())
        hashed = password_hash()

        def chosen_district(i):
            return bench if i < int(n * BENCH_DISTRICT_SHARE) else others[i % len(others)]

        with transaction.atomic():
            # Enterprises: the parent rows in bulk, then the child rows with the parent's key (bulk_create does not
            # do multi-table inheritance).
            parents = []
            for i in range(n):
                d = chosen_district(i)
                status = "pending" if i % int(1 / PENDING_SHARE) == 7 else "active"
                parents.append(Organisation(
                    kind=OrganisationKind.ENTERPRISE, name=f"重庆{d.name}规模制造有限公司{i:05d}", district_id=d.pk,
                    credit_code=credit_code_for(d.code or "500000", 5_000_000 + i), status=status,
                    created_at=now - timedelta(days=rng.randint(1, 3650))))
            Organisation.objects.bulk_create(parents, batch_size=BATCH)
            fields = Enterprise._meta.local_concrete_fields
            children = [Enterprise(organisation_ptr_id=p.pk, industry_id=rng.choice(industries).pk,
                                   ownership_type="private", address=f"重庆市{i}号", postal_code="401220",
                                   founded_on=today.replace(year=2005), registered_capital=Decimal("5000"),
                                   main_products="工业产品") for i, p in enumerate(parents)]
            for start in range(0, n, BATCH):
                Enterprise._base_manager._insert(children[start:start + BATCH], fields=fields, raw=True,
                                                 using=connection.alias)
            users = User.objects.bulk_create(
                [User(username=f"scale{i:05d}", full_name=f"规模用户{i}", email=f"scale{i:05d}@example.com",
                      phone="13912345678", role="enterprise", organisation_id=p.pk, password=hashed)
                 for i, p in enumerate(parents)], batch_size=BATCH)

            # Intake applications for one campaign, in every state.
            active = [(p, u) for p, u in zip(parents, users, strict=True) if p.status == "active"]
            rng.shuffle(active)
            states = [state for state, share in STATE_SHARES for _ in range(int(share * self.args.applications))]
            applications, owners = [], []
            for (parent, user), state in zip(active, states, strict=False):
                submitted = state != "draft" or rng.random() < 0.2
                created = now - timedelta(days=rng.randint(3, 9), minutes=rng.randint(0, 1440))
                applications.append(IntakeApplication(
                    campaign_id=self.campaign.pk, enterprise_id=parent.pk, district_id=parent.district_id,
                    status=state, company_name=parent.name, industry_id=rng.choice(industries).pk,
                    address="重庆市1号", ownership_type="private", credit_code=parent.credit_code,
                    postal_code="401220", founded_on=today.replace(year=2005), registered_capital=Decimal("5000"),
                    main_products="工业产品", output_value=Decimal(rng.randint(3000, 90000)),
                    total_profit_1=Decimal("10"), total_profit_2=Decimal("20"), total_profit_3=Decimal("30"),
                    quality_management_certified=True, environmental_management_certified=True,
                    occupational_health_safety_certified=False, energy_management_certified=False,
                    major_accident=False, preparer_name="张", preparer_phone="13800138000", profile_text="简介",
                    commitment_accepted=True, commitment_signatory="王", commitment_date=today,
                    independent_legal_person=True, green_investment_amount=Decimal("100"),
                    green_investment_areas=["energy_water"], created_at=created,
                    submitted_at=created + timedelta(days=1) if submitted else None,
                    decided_at=now - timedelta(days=1) if state in ("accepted", "returned", "rejected") else None,
                    decision_reason="请补充材料" if state in ("returned", "rejected") else ""))
                owners.append(user)
            IntakeApplication.objects.bulk_create(applications, batch_size=BATCH)
            EntryCriterionResult.objects.bulk_create(
                [EntryCriterionResult(application_id=a.pk, criterion=c, result=CriterionResult.MET, reason="符合")
                 for a in applications for c in EntryCriterion.values], batch_size=BATCH)
            StampedScan.objects.bulk_create(
                [StampedScan(application_id=a.pk, file=f"intake-scans/bench/{a.public_id}.pdf", original_name="s.pdf",
                             content_type="application/pdf", size=1000, sha256="0" * 64, uploaded_by_id=u.pk,
                             uploaded_at=a.submitted_at)
                 for a, u in zip(applications, owners, strict=True) if a.submitted_at], batch_size=BATCH)
            LibraryEntry.objects.bulk_create(
                [LibraryEntry(application_id=a.pk, campaign_id=self.campaign.pk, enterprise_id=a.enterprise_id,
                              district_id=a.district_id, industry_id=a.industry_id,
                              sector=rng.choice(["chemicals", "materials", "energy", "equipment"]),
                              entered_at=a.decided_at) for a in applications if a.status == "accepted"],
                batch_size=BATCH)
            content_type = ContentType.objects.get_for_model(IntakeApplication)
            logs = []
            for a, u in zip(applications, owners, strict=True):
                if a.submitted_at:
                    logs.append(StateLog(content_type=content_type, object_id=a.pk, transition="submit",
                                         source_state="draft", state="submitted", by_id=u.pk, timestamp=a.submitted_at))
                if a.decided_at:
                    logs.append(StateLog(content_type=content_type, object_id=a.pk, transition="accept",
                                         source_state="submitted", state=a.status, by_id=self.official.pk,
                                         timestamp=a.decided_at, description=a.decision_reason))
            StateLog.objects.bulk_create(logs, batch_size=BATCH)

            # Open changes of name.
            changes = [IdentityChange(enterprise_id=p.pk, old_name=p.name, old_credit_code=p.credit_code,
                                      new_name=f"{p.name}集团", new_credit_code=p.credit_code, reason="工商变更",
                                      requested_by_id=u.pk)
                       for p, u in active[-int(n * IDENTITY_CHANGE_SHARE):]]
            IdentityChange.objects.bulk_create(changes, batch_size=BATCH)

            # Audit history: logins, downloads and transitions of every user; the officials' own trail.
            actions = [AuditAction.LOGIN, AuditAction.LOGIN, AuditAction.DOWNLOAD, AuditAction.TRANSITION,
                       AuditAction.ACCESS_DENIED]
            events = []
            for i, u in enumerate(users):
                for k in range(AUDIT_PER_ENTERPRISE):
                    action = actions[(i + k) % len(actions)]
                    detail = ({"from": "draft", "to": "submitted"} if action == AuditAction.TRANSITION else
                              {"kind": "not_found", "method": "GET", "path": "/x/"}
                              if action == AuditAction.ACCESS_DENIED else {})
                    events.append(AuditEvent(
                        timestamp=now - timedelta(minutes=rng.randint(1, 60 * 24 * 365)), actor_id=u.pk,
                        username=u.username, action=action, object_type="applications.intakeapplication",
                        object_id=str(i), object_repr=parents[i].name, ip_address="10.0.0.1", detail=detail))
            AuditEvent.objects.bulk_create(events, batch_size=BATCH)

            # Notifications: a few for every user, and a long inbox for the measured official and enterprise.
            notes = [Notification(recipient_id=u.pk, title="您的入库申请状态已更新", body="详情", url="/",
                                  created_at=now - timedelta(minutes=rng.randint(1, 60 * 24 * 365)),
                                  read_at=now if k else None)
                     for u in users for k in range(NOTIFICATIONS_PER_USER)]
            notes += [Notification(recipient_id=who.pk, title=f"待办提醒{k}", body="详情", url="/",
                                   created_at=now - timedelta(minutes=k), read_at=None if k % 3 else now)
                      for who in (self.official, self.applicant) for k in range(500)]
            Notification.objects.bulk_create(notes, batch_size=BATCH)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

    def sizes(self):
        from accounts.models import AuditEvent, Enterprise, Notification, User
        from applications.models import IntakeApplication, LibraryEntry

        return {"enterprises": Enterprise.objects.count(), "users": User.objects.count(),
                "applications": IntakeApplication.objects.count(), "library": LibraryEntry.objects.count(),
                "audit events": AuditEvent.objects.count(), "notifications": Notification.objects.count()}


def _micro_benchmarks():
    from datetime import date

    from greenfactory import credit_code, workdays

    lines = []
    started = time.perf_counter()
    calendar = workdays.WorkingCalendar()
    for offset in range(1000):
        calendar.add_working_days(date(2025, 1, 2), offset % 250)
    lines.append(f"1000 × add_working_days (≤250 days): {(time.perf_counter() - started) * 1000:.1f} ms")
    started = time.perf_counter()
    for _ in range(10000):
        credit_code.validate("91350100M000100Y43")
    lines.append(f"10000 × credit-code validation: {(time.perf_counter() - started) * 1000:.1f} ms")
    return lines


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, default=10000, help="enterprises over the 41 districts")
    parser.add_argument("--applications", type=int, default=2000, help="intake applications in the campaign")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--only", default="", help="measure only the pages whose label matches this regular expression")
    parser.add_argument("--keep", action="store_true", help="keep the test database (to EXPLAIN its queries)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of each measured page (large set)")
    parser.add_argument("--show-queries", action="store_true", help="print each measured page's SQL (large set)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import override_settings, setup_test_environment

    setup_test_environment()
    # The test environment instruments template rendering (a signal and a copy of every context, for
    # response.context); production does not pay that, so neither does the benchmark.
    from django.template.base import Template
    from django.test.utils import _TestState

    Template._render = _TestState.saved_data.template_render
    settings.SECURE_SSL_REDIRECT = False
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    module = type(sys)("bench_urls")
    module.urlpatterns = _reference_urls()
    sys.modules["bench_urls"] = module
    failures = []
    try:
        with override_settings(ROOT_URLCONF="bench_urls"):
            bench = Bench(args)
            bench.build_small()
            if args.only:
                pages = bench.pages
                bench.pages = lambda: [p for p in pages() if p[3] == "ref" or re.search(args.only, p[0])]
            small = bench.query_counts()
            small_sizes = bench.sizes()
            started = time.perf_counter()
            bench.build_large()
            build_seconds = time.perf_counter() - started
            large_sizes = bench.sizes()
            large = bench.query_counts(show=args.show_queries)
            if args.profile:
                bench.profile()
            timed = bench.timings()
            micro = _micro_benchmarks()
    finally:
        if args.keep:
            print(f"kept the test database {connection.settings_dict['NAME']}")
        else:
            connection.creation.destroy_test_db(old_name, verbosity=0)

    floor = timed["reference: minimal login-required page"]["median"]
    print(f"database: {connection.vendor}; repeat: {args.repeat}; data build: {build_seconds:.1f} s")
    print("small data set: " + ", ".join(f"{k} {v}" for k, v in small_sizes.items()))
    print("large data set: " + ", ".join(f"{k} {v}" for k, v in large_sizes.items()))
    print(f"{'page':42} {'median ms':>9} {'p95 ms':>7} {'vs floor':>8} {'queries':>8} {'small':>6}  verdict")
    for label, _user, _url, kind in bench.pages():
        t, queries, queries_small = timed[label], large[label], small[label]
        problems = []
        if queries != queries_small:
            problems.append(f"queries grow {queries_small}→{queries}")
        if kind == "pdf":
            if t["median"] > PDF_MEDIAN_TARGET_MS:
                problems.append(f"median over {PDF_MEDIAN_TARGET_MS} ms")
        elif kind == "page" and t["p95"] > P95_TARGET_MS:
            problems.append(f"p95 over {P95_TARGET_MS} ms")
        if problems:
            failures.append((label, problems))
        ratio = floor / t["median"] if t["median"] else 0
        print(f"{label:42} {t['median']:9.1f} {t['p95']:7.1f} {ratio:7.0%} {queries:8d} {queries_small:6d}  "
              + ("; ".join(problems) or "ok"))

    for line in micro:
        print(line)
    if failures:
        print(f"\n{len(failures)} page(s) miss a target:")
        for label, problems in failures:
            print(f"  {label}: {'; '.join(problems)}")
        sys.exit(1)


if __name__ == "__main__":
    main()
