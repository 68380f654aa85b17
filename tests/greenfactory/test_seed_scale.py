"""``manage.py seed_scale``: city-scale data built by the seeders the apps register (greenfactory.scale), at small
sizes."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from accounts.choices import DeadlineKind, OrganisationStatus, Role
from accounts.models import (
    AuditEvent,
    Deadline,
    District,
    Enterprise,
    IdentityChange,
    Notification,
    Organisation,
    OrganisationKind,
    Park,
    PendingRegistration,
    User,
)
from accounts.scale import ALWAYS_PENDING
from applications.models import (
    CultivationCampaign,
    EntryCriterionResult,
    IntakeApplication,
    IntakeStatus,
    LibraryEntry,
    ReviewTask,
    StampedScan,
)
from greenfactory import credit_code
from greenfactory.scale import register_scale_seeder, scale_seeders, spread, unregister_scale_seeder

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

BENCH_USERS = {"bench-district": Role.DISTRICT, "bench-district-2": Role.DISTRICT, "bench-city": Role.CITY,
               "bench-enterprise": Role.ENTERPRISE, "bench-drafter": Role.ENTERPRISE,
               "bench-identity": Role.ENTERPRISE, "bench-expert": Role.EXPERT, "bench-evaluator": Role.EVALUATOR,
               "bench-department": Role.DEPARTMENT, "bench-park": Role.PARK, "bench-admin": Role.ADMIN}
TABLES = (Organisation, Enterprise, User, IdentityChange, PendingRegistration, CultivationCampaign, IntakeApplication,
          EntryCriterionResult, StampedScan, LibraryEntry, ReviewTask, Deadline, AuditEvent, Notification)


def seed(settings, enterprises=200, years=2, **options):
    settings.DEMO_LOGIN_ENABLED = True
    out = StringIO()
    call_command("seed_scale", enterprises=enterprises, years=years, stdout=out, **options)
    return out.getvalue()


def counts():
    return {model.__name__: model.objects.count() for model in TABLES}


def scale_enterprises():
    return Enterprise.objects.filter(credit_code__isnull=False, organisation_ptr__users__username__startswith="scale-e")


def test_the_current_campaign_is_open_with_applications_in_every_state(settings):
    seed(settings)
    today = timezone.localdate()
    city = CultivationCampaign.objects.filter(district__isnull=True)
    assert sorted(city.values_list("year", flat=True)) == [today.year - 1, today.year]
    current = city.get(year=today.year)
    assert current.is_open() and current.deadline > today
    assert not city.get(year=today.year - 1).is_open()
    states = set(IntakeApplication.objects.filter(campaign=current).values_list("status", flat=True))
    assert states == set(IntakeStatus.values)
    assert IntakeApplication.objects.filter(campaign=current, status=IntakeStatus.SUBMITTED,
                                            district__name="长寿区").count() >= 2
    # Past years are decided: nothing left as a draft or waiting for the district.
    past = IntakeApplication.objects.filter(campaign__year__lt=today.year)
    assert past.exists()
    assert not past.filter(status__in=[IntakeStatus.DRAFT, IntakeStatus.SUBMITTED]).exists()
    # Two years: the city's campaigns alone (districts' own come in the oldest years of four or more).
    assert not CultivationCampaign.objects.filter(district__isnull=False).exists()


def test_each_application_has_what_its_state_implies(settings):
    seed(settings)
    accepted = IntakeApplication.objects.filter(status=IntakeStatus.ACCEPTED)
    assert LibraryEntry.objects.count() == accepted.count() > 0
    assert not LibraryEntry.objects.exclude(application__status=IntakeStatus.ACCEPTED).exists()
    submitted = IntakeApplication.objects.filter(submitted_at__isnull=False)
    assert EntryCriterionResult.objects.count() == 5 * submitted.count()
    assert StampedScan.objects.filter(application__in=submitted).count() == submitted.count()
    assert not StampedScan.objects.filter(application__submitted_at__isnull=True).exists()
    # Whose turn it is: drafts and returned cases of the open campaign run their submission clock.
    waiting = IntakeApplication.objects.filter(campaign__year=timezone.localdate().year, campaign__deadline__gte=
                                               timezone.localdate(), status__in=["draft", "returned"])
    clocks = Deadline.objects.filter(kind=DeadlineKind.INTAKE_SUBMISSION, closed_at__isnull=True)
    assert set(clocks.values_list("object_id", flat=True)) == set(waiting.values_list("pk", flat=True))
    pending = scale_enterprises().filter(status=OrganisationStatus.PENDING)
    reviews = Deadline.objects.filter(kind=DeadlineKind.REGISTRATION_REVIEW, closed_at__isnull=True)
    assert set(reviews.values_list("object_id", flat=True)) == set(pending.values_list("pk", flat=True))
    open_tasks = ReviewTask.objects.filter(status__in=["assigned", "accepted"])
    assert Deadline.objects.filter(kind=DeadlineKind.REVIEW_TASK, closed_at__isnull=True).count() == \
        open_tasks.count() > 0
    # Each decided application has its history.
    case = accepted.exclude(enterprise__users__username="bench-enterprise").first()
    assert AuditEvent.objects.filter(object_id=str(case.public_id), action="transition").count() == 2


def test_every_scan_names_a_stored_file_and_downloads(settings, client):
    seed(settings)
    stored = StampedScan.objects.get(application__enterprise__users__username="bench-enterprise",
                                     application__campaign__year=timezone.localdate().year)
    scans = StampedScan.objects.exclude(pk=stored.pk)
    assert scans.count() > 10
    assert set(scans.values_list("file", "sha256", "size")) == {(stored.file.name, stored.sha256, stored.size)}
    scan = scans.select_related("application").filter(application__district__name="长寿区").first()
    client.force_login(User.objects.get(username="bench-district"))
    response = client.get(reverse("applications:scan_download", args=[scan.application.public_id, scan.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_enterprises_cover_the_41_districts_unevenly_with_valid_credit_codes(settings):
    seed(settings)
    enterprises = scale_enterprises()
    assert enterprises.count() == 200 + len(ALWAYS_PENDING)  # the two registrations always waiting in 长寿区
    by_district = {d.name: d.organisation_set.filter(kind=OrganisationKind.ENTERPRISE,
                                                     users__username__startswith="scale-e").count()
                   for d in District.objects.all()}
    assert len(by_district) == 41 and min(by_district.values()) >= 1
    assert by_district["长寿区"] == 30 + len(ALWAYS_PENDING)  # 15 %, and the two always waiting
    assert max(n for name, n in by_district.items() if name != "长寿区") < 30
    for code in enterprises.values_list("credit_code", flat=True):
        assert credit_code.validate(code) == code
    assert 2 <= enterprises.filter(status=OrganisationStatus.PENDING).count() <= 12
    assert IdentityChange.objects.filter(status="pending").count() >= 2
    users = User.objects.filter(username__startswith="scale-e")
    assert users.count() == 200 + len(ALWAYS_PENDING) and not any(u.has_usable_password() for u in users)


def test_the_bench_accounts_exist_with_unusable_passwords_and_their_records(settings):
    seed(settings)
    users = {u.username: u for u in User.objects.filter(username__in=BENCH_USERS).select_related(
        "organisation__district")}
    assert {name: u.role for name, u in users.items()} == BENCH_USERS
    assert not any(u.has_usable_password() for u in users.values())
    for name in ("bench-district", "bench-enterprise", "bench-drafter", "bench-identity", "bench-park"):
        assert users[name].organisation.district.name == "长寿区", name
    assert users["bench-district"].organisation.kind == OrganisationKind.DISTRICT
    assert users["bench-district-2"].organisation.district.name != "长寿区"
    assert users["bench-city"].organisation.kind == OrganisationKind.CITY
    assert Park.objects.filter(pk=users["bench-park"].organisation_id).exists()
    assert users["bench-admin"].is_superuser and users["bench-admin"].organisation_id is None
    current = timezone.localdate().year
    mine = IntakeApplication.objects.filter(enterprise_id=users["bench-enterprise"].organisation_id)
    case = mine.get(campaign__year=current, campaign__district__isnull=True)
    assert case.status == IntakeStatus.ACCEPTED and case.scans.count() == 1 and case.criteria.count() == 5
    assert LibraryEntry.objects.filter(application=case).exists()
    assert mine.filter(campaign__year=current - 1).exists()
    assert IntakeApplication.objects.get(enterprise_id=users["bench-drafter"].organisation_id).status == "draft"
    assert IdentityChange.objects.filter(enterprise_id=users["bench-identity"].organisation_id,
                                         status="pending").exists()
    tasks = ReviewTask.objects.filter(assignee_user=users["bench-expert"])
    assert set(tasks.values_list("status", flat=True)) == {"assigned", "accepted", "done", "declined"}
    # Its cultivation tasks are bench-district's; its expert review in the city's review is wherever the case is.
    assert set(tasks.exclude(content_type__model="certificationapplication").values_list(
        "district__name", flat=True)) == {"长寿区"}
    assert tasks.filter(content_type__model="certificationapplication", kind="expert_review",
                        status="assigned").count() == 1
    bench = District.objects.get(name="长寿区").pk
    assert sum(p.data["district"] == bench for p in PendingRegistration.objects.all()) >= 3
    assert Notification.objects.filter(recipient=users["bench-district"]).count() >= 500
    assert Notification.objects.filter(recipient=users["bench-enterprise"]).count() >= 500
    assert AuditEvent.objects.filter(actor=users["bench-city"], request_id="scale-seed").count() == 5


def test_a_rerun_creates_nothing_and_a_larger_run_adds_what_is_missing(settings):
    seed(settings)
    before = counts()
    first = IntakeApplication.objects.order_by("pk").values_list("pk", "status").first()
    output = seed(settings)
    assert counts() == before
    assert output.count("nothing new") == len(scale_seeders())
    seed(settings, enterprises=260, years=3)
    after = counts()
    assert scale_enterprises().count() == 260 + len(ALWAYS_PENDING)
    assert CultivationCampaign.objects.filter(district__isnull=True).count() == 3
    assert all(after[name] >= n for name, n in before.items())
    assert after["IntakeApplication"] > before["IntakeApplication"]
    assert IntakeApplication.objects.order_by("pk").values_list("pk", "status").first() == first
    # A smaller number removes nothing.
    seed(settings, enterprises=100, years=1)
    assert counts() == after



def test_a_year_has_the_citys_campaign_or_districts_own_never_both(settings):
    seed(settings, enterprises=300, years=4)
    this_year = timezone.localdate().year
    by_year = {}
    for year, district in CultivationCampaign.objects.values_list("year", "district_id"):
        by_year.setdefault(year, []).append(district)
    assert sorted(by_year) == list(range(this_year - 3, this_year + 1))
    for year, districts in by_year.items():
        assert districts == [None] if year > this_year - 2 else None not in districts and len(districts) == 3, year
    # Enterprises of those districts applied to their district's campaign in those years.
    assert IntakeApplication.objects.filter(campaign__year=this_year - 3, campaign__district__isnull=False).exists()

def test_refused_when_demo_login_is_off_unless_forced(settings):
    settings.DEMO_LOGIN_ENABLED = False
    with pytest.raises(CommandError, match="规模测试数据.*refused"):
        call_command("seed_scale", enterprises=5, years=1, stdout=StringIO())
    assert not User.objects.filter(username__startswith="bench-").exists()
    call_command("seed_scale", enterprises=5, years=1, force=True, stdout=StringIO())
    assert User.objects.filter(username__startswith="bench-").count() == len(BENCH_USERS)


def test_a_registered_seeder_runs_in_order_with_the_context(settings):
    seen = {}

    def later_workflow(context):
        seen.update(enterprises=context.enterprises, years=context.years, year_list=context.year_list,
                    indexes=[e.index for e in context.shared["enterprises"]],
                    campaigns=len(context.shared["campaigns"]), bench="bench-enterprise" in context.shared["bench"])
        return {"annual reports": 7}

    register_scale_seeder(later_workflow, order=50, name="later workflow")
    try:
        names = [name for name, _seeder in scale_seeders()]
        assert names.index("later workflow") > names.index("applications: bench intake records")
        assert names.index("later workflow") < names.index("accounts: inboxes and audit history")
        output = seed(settings, enterprises=12, years=2)
    finally:
        unregister_scale_seeder(later_workflow)
    this_year = timezone.localdate().year
    assert seen == {"enterprises": 12, "years": 2, "year_list": [this_year - 1, this_year],
                    "indexes": [*range(12), *ALWAYS_PENDING], "campaigns": 2, "bench": True}
    assert "later workflow: annual reports 7" in output
    assert "later workflow" not in [name for name, _seeder in scale_seeders()]


def test_spread_is_deterministic_and_roughly_even():
    values = [spread(i, 2026, 100) for i in range(10000)]
    assert values == [spread(i, 2026, 100) for i in range(10000)]
    assert 1800 < sum(v < 20 for v in values) < 2200
    assert values != [spread(i, 2027, 100) for i in range(10000)]
