"""Every page bench/run measures (bench/pages.py: the same list) costs a pinned number of SQL queries, the same on a
small data set and on a larger one made by ``manage.py seed_scale``. A page whose count changes fails here, with
both counts; the pin is then updated on purpose (and a count that grows with the data is a bug, not a new pin).
The queries themselves are named, for the pages that matter most, in test_query_pins.py."""

from io import StringIO

import pytest
from django.core.management import call_command

from bench import pages as catalogue
from bench.driver import query_counts

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_clock", "media")]

# Each page's queries on its second request (the first fills per-process caches), with the session's update.
PINNED = {
    "reference: minimal login-required page": 6,
    "reference: bare view (anonymous)": 0,
    "login page (anonymous)": 0,
    "registration confirmation (anonymous)": 1,
    "home: district (to-do)": 13,
    "home: city": 8,
    "home: enterprise (admitted)": 11,
    "home: enterprise with a draft": 13,
    "home: expert": 11,
    "home: evaluator": 9,
    "home: department": 9,
    "home: park": 8,
    "registration queue (district)": 11,
    "identity-change queue (district)": 11,
    "identity-change request (district)": 11,
    "intake queue (district)": 13,
    "intake case page (district)": 13,
    "intake case page (enterprise)": 11,
    "intake edit form (enterprise)": 12,
    "my applications (enterprise)": 10,
    "campaign list (district)": 10,
    "campaign list (enterprise)": 9,
    "campaign page (district)": 16,
    "campaign page (city)": 13,
    "campaign edit (city)": 9,
    "library (district)": 17,
    "library (city, page of 50)": 15,
    "library (city, filtered)": 16,
    "enterprise directory (district)": 11,
    "enterprise directory (city)": 9,
    "enterprise directory (city, search)": 9,
    "company page (district)": 14,
    "company page (city)": 11,
    "account list (city)": 8,
    "audit log (city)": 8,
    "audit log (city, filtered)": 8,
    "profile (enterprise)": 9,
    "colleagues (enterprise)": 8,
    "inbox (district)": 12,
    "inbox (enterprise)": 10,
    "review tasks (expert)": 9,
    "campaign notices (public)": 1,
    "intake form PDF (one A4 page)": 9,
}

SMALL = {"enterprises": 12, "years": 2}
LARGER = {"enterprises": 40, "years": 3}


@pytest.fixture
def bench_settings(settings):
    """bench/settings.py's changes: the URLconf with the two references; seed_scale allowed."""
    settings.ROOT_URLCONF = "bench.urls"
    settings.DEMO_LOGIN_ENABLED = True
    return settings


def counts_at(size):
    call_command("seed_scale", stdout=StringIO(), **size)
    accounts = catalogue.users()
    counts, failures = query_counts(catalogue.PAGES, accounts, catalogue.samples(accounts))
    assert not failures, failures
    return counts


def test_every_bench_page_costs_the_pinned_queries_on_a_small_and_a_larger_data_set(bench_settings):
    small = counts_at(SMALL)
    larger = counts_at(LARGER)
    changed = {label: (PINNED.get(label), small[label], larger[label]) for label in small
               if not PINNED.get(label) == small[label] == larger[label]}
    assert not changed, "pinned, small, larger: " + "; ".join(f"{k}: {v}" for k, v in changed.items())
    assert set(PINNED) == {page.label for page in catalogue.PAGES}
