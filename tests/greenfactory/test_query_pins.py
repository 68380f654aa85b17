"""Literal query pins: every list page and every to-do source costs a fixed number of queries, the same for one row
as for many, and each query is named.

Each pin is a list of ``(what, why)``: ``what`` is checked against the query actually run in that place (its table,
``COUNT table``, ``UPDATE table``, ``savepoint`` or ``release``), ``why`` says what it is for. A page that starts to
cost more — a query per row, a to-do source counted twice — fails here with the queries it ran, numbered; so does
one that got cheaper, so that the pin and its comments stay true. Pages are measured on the second visit (the first
fills per-process caches: content types, the calendar).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from greenfactory import portal
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_clock", "private_media")]

MANY = 12  # more than the ten rows a to-do source lists, enough to show a query per row


@pytest.fixture
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def what(sql: str) -> str:
    """The query's kind and main table, as the pins name it."""
    words = sql.split()
    if words[0] == "SAVEPOINT":
        return "savepoint"
    if words[:2] == ["RELEASE", "SAVEPOINT"]:
        return "release"
    if words[0] in ("UPDATE", "INSERT", "DELETE"):
        table = re.search(r'(?:UPDATE|INTO|FROM) "(\w+)"', sql).group(1)
        return f"{words[0]} {table}"
    table = re.search(r'FROM "(\w+)"', sql).group(1)
    return f"COUNT {table}" if re.match(r"SELECT COUNT\(\*\)", sql) else table


def assert_pinned(context, pin, label):
    ran = [what(q["sql"]) for q in context.captured_queries]
    expected = [name for name, _why in pin]
    if ran != expected:
        listing = "\n".join(f"  {n:2} {kind:45} {q['sql'][:160]}"
                            for n, (kind, q) in enumerate(zip(ran, context.captured_queries, strict=True), 1))
        pytest.fail(f"{label}: {len(ran)} queries, pinned {len(expected)}\n{listing}")


# --- What every page costs ---------------------------------------------------------------------------------------

SESSION = [("django_session", "the session")]
USER = [("accounts_user", "the user with organisation and district (PortalModelBackend)")]
# The session is written at most once a minute (greenfactory.middleware.SessionRenewalMiddleware), and a login
# leaves it renewed: none of these pages writes it.
SAVE_SESSION = []
UNREAD = [("COUNT accounts_notification", "the navigation's unread count")]
# The home page's clocks panel: the user's and their organisation's open deadlines in one query (none in these rows:
# the factories write states as data, and only services start clocks; the calendar is read only for rows shown).
CLOCKS = [("accounts_deadline", "panel: the open clocks of the user and their organisation")]
EMAIL_CHOICES = [("accounts_emailpreference", "the user's e-mail choices per kind of message (the inbox's form)")]
# The district's to-do sources, each counted once per request (the navigation badges and the home page share them).
DISTRICT_TODO_COUNTS = [
    ("COUNT accounts_enterprise", "to-do count: registrations waiting for review"),
    ("COUNT accounts_identitychange", "to-do count: changes of name or credit code waiting"),
    ("COUNT applications_intakeapplication", "to-do count: intake applications submitted"),
    ("COUNT applications_certificationapplication", "to-do count: certification applications submitted"),
]
ENTERPRISE_TODO_COUNTS = [("COUNT applications_intakeapplication", "to-do count: its own applications to act on"),
                          ("COUNT applications_certificationapplication",
                           "to-do count: its certification applications to act on")]
# Everything waiting for the city (cases to review, its staff's own tasks, objections, lists to decide) in one query.
CITY_TODO_COUNTS = [("applications_certificationapplication",
                     "to-do count: what waits for the city, four counts as subqueries of one query")]
ASSIGNEE_TODO_COUNTS = [("COUNT applications_reviewtask", "to-do count: its review tasks to accept or complete")]
ADMIN_TODO_COUNTS = [("greenfactory_calendarday", "to-do: next year's holidays entered? (days)"),
                     ("greenfactory_calendaryear", "to-do: next year's calendar confirmed?")]


# --- Rows: each adds ``n`` rows the page lists ---------------------------------------------------------------------


def _pending_registrations(people, n):
    f.EnterpriseFactory.create_batch(n, pending=True)


def _identity_changes(people, n):
    f.IdentityChangeFactory.create_batch(n)


def _enterprises(people, n):
    f.EnterpriseFactory.create_batch(n)


def _accounts(people, n):
    f.EnterpriseUserFactory.create_batch(n)


def _colleagues(people, n):
    f.EnterpriseUserFactory.create_batch(n, organisation=people.enterprise.organisation)


def _notifications_of(role):
    def rows(people, n):
        f.NotificationFactory.create_batch(n, recipient=getattr(people, role))
    return rows


def _audit_events(people, n):
    f.AuditEventFactory.create_batch(n)


def _campaigns(people, n):
    for campaign in f.CampaignFactory.create_batch(n, created_by=people.city):
        f.IntakeApplicationFactory(campaign=campaign, enterprise=people.enterprise.organisation, submitted=True)


def _own_applications(people, n):
    for campaign in f.CampaignFactory.create_batch(n, created_by=people.city):
        f.IntakeApplicationFactory(campaign=campaign, enterprise=people.enterprise.organisation, returned=True,
                                   scan=True, criteria=True)


def _submitted_applications(people, n):
    f.IntakeApplicationFactory.create_batch(n, submitted=True, scan=True, criteria=True)


def _certifications(people, n, *, status, applicant=None):
    """``n`` certification applications in ``status``, one per round (a unit applies once a round)."""
    from applications.models import CertificationApplication, CertificationRound

    start = 2000 + CertificationRound.objects.count()
    for year in range(start, start + n):
        certification_round = CertificationRound.objects.create(
            year=year, title=f"{year}", opens_on=f"{year}-01-01", application_deadline=f"{year}-06-30",
            recommendation_deadline=f"{year}-07-31", created_by=people.city)
        unit = applicant or f.EnterpriseFactory(district=people.district.organisation.district)
        CertificationApplication.objects.create(round=certification_round, applicant=unit, unit_kind="factory",
                                                district=unit.district, unit_name=unit.name, status=status,
                                                created_by=people.city)


def _submitted_certifications(people, n):
    _certifications(people, n, status="submitted")


def _own_certifications(people, n):
    _certifications(people, n, status="supplementing", applicant=people.enterprise.organisation)


def _city_review_cases(people, n):
    _certifications(people, n, status="recommended")


def _expert_tasks(people, n):
    f.ReviewTaskFactory.create_batch(n, assignee_user=people.expert)


def _library_entries(people, n):
    f.LibraryEntryFactory.create_batch(n)


def _district_work(people, n):
    _pending_registrations(people, n)
    _identity_changes(people, n)
    _submitted_applications(people, n)
    _notifications_of("district")(people, n)


def _enterprise_work(people, n):
    _own_applications(people, n)
    _notifications_of("enterprise")(people, n)


def _nothing(people, n):
    """The page lists nothing that grows (the city's and the administrator's home: messages only)."""
    _notifications_of("city")(people, n)
    _notifications_of("admin")(people, n)


@dataclass(frozen=True)
class Page:
    role: str
    url_name: str
    rows: Callable
    queries: list


PAGES = {
    "registration queue": Page("district", "accounts:registration_queue", _pending_registrations, [
        *SESSION, *USER,
        ("accounts_enterprise", "the page's rows as values, and the queue's total "
                                "(greenfactory.paging.counted_page_of)"),
        ("accounts_district", "the districts' names and division codes, for the credit-code check of each row "
                              "(reference data, kept with a cache)"),
        ("accounts_industry", "the industries' names (reference data)"),
        *DISTRICT_TODO_COUNTS, *UNREAD, *SAVE_SESSION]),
    "identity change queue": Page("district", "accounts:identity_change_queue", _identity_changes, [
        *SESSION, *USER,
        ("accounts_identitychange", "the page's rows: the columns shown, with the requester's name, and the queue's "
                                    "total (greenfactory.paging.counted_page_of)"),
        *DISTRICT_TODO_COUNTS, *UNREAD,
        *SAVE_SESSION]),
    "directory, district": Page("district", "accounts:enterprise_list", _enterprises, [
        *SESSION, *USER,
        ("COUNT accounts_organisation", "the page's total (paginator), on the units' table"),
        # One district: by name alone, no enterprise without a district to place after the others.
        ("accounts_enterprise", "the page's rows: the columns shown, with district and industry names"),
        *DISTRICT_TODO_COUNTS, *UNREAD,
        *SAVE_SESSION]),
    "directory, city": Page("city", "accounts:enterprise_list", _enterprises, [
        *SESSION, *USER,
        ("COUNT accounts_organisation", "the page's total (paginator), on the units' table, and in the same query "
                                        "how many have a district (those without come after the others)"),
        ("accounts_enterprise", "the page's rows: the columns shown, with district and industry names"),
        *CITY_TODO_COUNTS, *UNREAD,
        ("accounts_district", "the district filter's choices (kept across requests with a cache)"),
        *SAVE_SESSION]),
    "account list": Page("city", "accounts:account_list", _accounts, [
        *SESSION, *USER,
        ("COUNT accounts_user", "the page's total (paginator)"),
        ("accounts_user", "the page's rows: the columns shown, with the organisation's name"),
        *CITY_TODO_COUNTS, *UNREAD,
        *SAVE_SESSION]),
    "colleagues": Page("enterprise", "accounts:colleagues", _colleagues, [
        *SESSION, *USER, *ENTERPRISE_TODO_COUNTS, *UNREAD,
        ("accounts_user", "the organisation's members"),
        *SAVE_SESSION]),
    "inbox, district": Page("district", "accounts:inbox", _notifications_of("district"), [
        *SESSION, *USER,
        ("COUNT accounts_notification", "the page's total (paginator)"),
        ("accounts_notification", "the page's messages (the columns shown)"),
        *EMAIL_CHOICES, *DISTRICT_TODO_COUNTS, *UNREAD,
        *SAVE_SESSION]),
    "inbox, enterprise": Page("enterprise", "accounts:inbox", _notifications_of("enterprise"), [
        *SESSION, *USER,
        ("COUNT accounts_notification", "the page's total (paginator)"),
        ("accounts_notification", "the page's messages (the columns shown)"),
        *EMAIL_CHOICES, *ENTERPRISE_TODO_COUNTS, *UNREAD,
        *SAVE_SESSION]),
    "audit log, city": Page("city", "accounts:audit_log", _audit_events, [
        *SESSION, *USER,
        ("COUNT accounts_auditevent", "the page's total, counted up to its cap (paginator)"),
        ("accounts_auditevent", "the page's events (the user name recorded with each, no join)"),
        *CITY_TODO_COUNTS, *UNREAD, *SAVE_SESSION]),
    "audit log, administrator": Page("admin", "accounts:audit_log", _audit_events, [
        *SESSION, *USER,
        ("COUNT accounts_auditevent", "the page's total, counted up to its cap (paginator)"),
        ("accounts_auditevent", "the page's events (the user name recorded with each, no join)"),
        *ADMIN_TODO_COUNTS, *UNREAD, *SAVE_SESSION]),
    "campaign list, city": Page("city", "applications:campaign_list", _campaigns, [
        *SESSION, *USER,
        ("applications_cultivationcampaign", "the campaigns with their district"),
        *CITY_TODO_COUNTS, *UNREAD, *SAVE_SESSION]),
    "campaign list, district": Page("district", "applications:campaign_list", _campaigns, [
        *SESSION, *USER,
        ("applications_cultivationcampaign", "the campaigns with their district"),
        *DISTRICT_TODO_COUNTS, *UNREAD, *SAVE_SESSION]),
    "campaign list, enterprise": Page("enterprise", "applications:campaign_list", _campaigns, [
        *SESSION, *USER,
        ("applications_cultivationcampaign", "the campaigns with their district"),
        ("applications_intakeapplication", "the enterprise's applications, one per campaign (state only)"),
        *ENTERPRISE_TODO_COUNTS, *UNREAD, *SAVE_SESSION]),
    "my applications": Page("enterprise", "applications:my_applications", _own_applications, [
        *SESSION, *USER,
        ("applications_intakeapplication", "the applications with their campaign (all the list shows)"),
        *ENTERPRISE_TODO_COUNTS, *UNREAD, *SAVE_SESSION]),
    "intake queue": Page("district", "applications:intake_queue", _submitted_applications, [
        *SESSION, *USER,
        # The rows are read by the view (their display values computed there), before the shell's counts.
        ("applications_stampedscan", "the page's rows, whether the stamped scan of the current submission is in "
                                     "(an EXISTS on the scans: the first FROM), and the queue's total "
                                     "(greenfactory.paging.counted_page_of)"),
        ("applications_entrycriterionresult", "their entry-criterion results (values, one query)"),
        ("accounts_industry", "the industries' names (reference data, kept in each process with a cache)"),
        ("applications_cultivationcampaign", "the campaigns' years (reference data)"),
        *DISTRICT_TODO_COUNTS, *UNREAD,
        *SAVE_SESSION]),
    "library, city": Page("city", "applications:library", _library_entries, [
        *SESSION, *USER,
        ("COUNT applications_libraryentry", "the page's total (paginator, without the rows' joins; kept)"),
        ("accounts_organisation", "the page's rows as values, newest first, with the enterprise's name and the "
                                  "application's id as one-row subqueries (the first FROM)"),
        ("accounts_district", "the districts' names the rows show (reference data, kept in each process)"),
        ("accounts_industry", "the industries' names (reference data)"),
        ("applications_cultivationcampaign", "the campaigns' years (reference data)"),
        ("accounts_district", "the districts of the target summary"),
        ("applications_cultivationcampaign", "the latest campaign year"),
        ("applications_cultivationcampaign", "that year's campaigns with their district"),
        ("applications_campaigntarget", "their targets (prefetched)"),
        ("applications_libraryentry", "admissions per district (grouped)"),
        ("accounts_district", "the district filter's choices (its fields written by the view)"),
        ("accounts_industry", "the industry filter's choices"),
        *CITY_TODO_COUNTS, *UNREAD,
        *SAVE_SESSION]),
    "library, district": Page("district", "applications:library", _library_entries, [
        *SESSION, *USER,
        ("COUNT applications_libraryentry", "the page's total (paginator, without the rows' joins; kept)"),
        ("accounts_organisation", "the page's rows as values, newest first, with the enterprise's name and the "
                                  "application's id as one-row subqueries (the first FROM)"),
        ("accounts_district", "the districts' names the rows show (reference data, kept in each process)"),
        ("accounts_industry", "the industries' names (reference data)"),
        ("applications_cultivationcampaign", "the campaigns' years (reference data)"),
        ("accounts_district", "the district of the target summary"),
        ("applications_cultivationcampaign", "the latest campaign year"),
        ("applications_cultivationcampaign", "that year's campaigns with their district"),
        ("applications_campaigntarget", "their targets (prefetched)"),
        ("applications_libraryentry", "admissions in the district (grouped)"),
        ("accounts_industry", "the industry filter's choices (its fields written by the view)"),
        *DISTRICT_TODO_COUNTS, *UNREAD,
        *SAVE_SESSION]),
    "home, district": Page("district", "home", _district_work, [
        # The navigation's counts and the unread messages are counted together, before the to-do rows.
        *SESSION, *USER, *DISTRICT_TODO_COUNTS, *UNREAD,
        ("accounts_enterprise", "to-do rows: ten registrations"),
        ("accounts_identitychange", "to-do rows: ten changes of name"),
        ("applications_intakeapplication", "to-do rows: ten submitted applications with their campaign"),
        *CLOCKS,
        ("accounts_notification", "the recent messages"),
        *SAVE_SESSION]),
    "home, enterprise": Page("enterprise", "home", _enterprise_work, [
        *SESSION, *USER, *ENTERPRISE_TODO_COUNTS, *UNREAD,
        ("applications_intakeapplication", "to-do rows: its applications to act on, with their campaign"),
        *CLOCKS,
        ("applications_cultivationcampaign", "panel: the campaigns open to apply to"),
        ("applications_intakeapplication", "panel: which of them it has applied to"),
        ("applications_certificationapplication", "panel: its latest certification application (none: no history)"),
        ("applications_libraryentry", "panel: its cultivation (not in the library: nothing more)"),
        ("accounts_notification", "the recent messages"),
        *SAVE_SESSION]),
    "review tasks, expert": Page("expert", "applications:review_task_list", _expert_tasks, [
        *SESSION, *USER,
        ("applications_reviewtask", "the tasks with their assigners' names"),
        ("applications_intakeapplication", "the intake cases they are on, with their campaigns (kept where the "
                                           "cache is on)"),
        *ASSIGNEE_TODO_COUNTS, *UNREAD, *SAVE_SESSION]),
    "home, city": Page("city", "home", _nothing, [
        *SESSION, *USER, *CITY_TODO_COUNTS, *UNREAD, *CLOCKS,
        ("accounts_notification", "the recent messages"),
        *SAVE_SESSION]),
    "home, administrator": Page("admin", "home", _nothing, [
        *SESSION, *USER,
        # The calendar to-do is listed once a request, and counted by that list (it was read twice: count, rows).
        *ADMIN_TODO_COUNTS, *UNREAD, *CLOCKS,
        ("accounts_notification", "the recent messages"),
        *SAVE_SESSION]),
}


def _visit(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return context


@pytest.mark.parametrize("name", sorted(PAGES))
def test_a_list_page_costs_its_pinned_queries_for_one_row_and_for_many(name, client, people):
    page = PAGES[name]
    url = reverse(page.url_name)
    client.force_login(getattr(people, page.role))
    page.rows(people, 1)
    client.get(url)
    assert_pinned(_visit(client, url), page.queries, f"{name}, one row")
    page.rows(people, MANY - 1)
    assert_pinned(_visit(client, url), page.queries, f"{name}, {MANY} rows")


# --- To-do sources -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    user: Callable  # people -> the user whose to-do list it is
    rows: Callable
    count: list
    items: list


def _refused_applicant(people):
    return f.EnterpriseUserFactory(organisation=f.EnterpriseFactory(refused=True))


def _role(role):
    return lambda people: getattr(people, role)


SOURCES = {
    "accounts.registrations": Source(_role("district"), _pending_registrations,
                                     [("COUNT accounts_enterprise", "pending registrations in the district")],
                                     [("accounts_enterprise", "ten of them with district and industry")]),
    "accounts.identity_changes": Source(_role("district"), _identity_changes,
                                        [("COUNT accounts_identitychange", "pending changes in the district")],
                                        [("accounts_identitychange", "ten of them with enterprise and requester")]),
    # Read from the user's organisation, which the login loads with the user: no query.
    "accounts.refused": Source(_refused_applicant, lambda people, n: None, [], []),
    "accounts.calendar": Source(_role("admin"), lambda people, n: None,
                                ADMIN_TODO_COUNTS, ADMIN_TODO_COUNTS),
    "applications.queue": Source(_role("district"), _submitted_applications,
                                 [("COUNT applications_intakeapplication", "submitted applications in the district")],
                                 [("applications_intakeapplication", "ten of them with their campaign")]),
    "applications.own": Source(_role("enterprise"), _own_applications,
                               [("COUNT applications_intakeapplication", "its applications to act on")],
                               [("applications_intakeapplication", "ten of them with their campaign")]),
    "applications.certification_queue": Source(
        _role("district"), _submitted_certifications,
        [("COUNT applications_certificationapplication", "submitted certification applications in the district")],
        [("applications_certificationapplication", "ten of them with their round")]),
    "applications.city": Source(
        _role("city"), _city_review_cases,
        [("applications_certificationapplication", "what waits for the city: four counts as subqueries of one query")],
        # The clock's date is a subquery in the select list: its FROM (the deadlines) comes first.
        [("applications_reviewtask", "the city staff's own open tasks (none here)"),
         ("accounts_deadline", "objections to handle, with their unit and list and the clock's date"),
         ("accounts_deadline", "lists whose notice has ended, with the decision clock's date"),
         ("accounts_deadline", "ten cases to review with their round and the city's clock")]),
    "applications.certification_own": Source(
        _role("enterprise"), _own_certifications,
        [("COUNT applications_certificationapplication", "its certification applications to act on")],
        # The answer date of an open review round is a subquery in the select list: its FROM comes first.
        [("applications_districtreview", "ten of them with their round and the date a review round is due")]),
    "applications.review_tasks": Source(_role("expert"), _expert_tasks,
                                        [("COUNT applications_reviewtask", "its open review tasks")],
                                        [("applications_reviewtask", "ten of them with content types and people")]),
}


def test_every_registered_to_do_source_is_pinned():
    assert set(portal._registry.todo) == set(SOURCES)


@pytest.mark.parametrize("key", sorted(SOURCES))
def test_a_to_do_source_costs_its_pinned_queries_for_one_row_and_for_many(key, people):
    source, pinned = portal._registry.todo[key], SOURCES[key]
    # As the login loads it: with its organisation and district.
    user = User.objects.select_related("organisation__district").get(pk=pinned.user(people).pk)
    for rows, label in ((1, "one row"), (MANY - 1, f"{MANY} rows")):
        pinned.rows(people, rows)
        with CaptureQueriesContext(connection) as context:
            count = portal.todo_source_count(source, user)
        assert_pinned(context, pinned.count, f"{key} count, {label}")
        with CaptureQueriesContext(connection) as context:
            items = list(source.items(user, 10))
        assert_pinned(context, pinned.items, f"{key} items, {label}")
        assert len(items) == min(count, 10)
