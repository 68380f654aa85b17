import os
from dataclasses import dataclass
from pathlib import Path

import pytest
import time_machine
from django.test.signals import template_rendered

from accounts.choices import Role
from accounts.models import Organisation, OrganisationKind, Park
from applications.models import CultivationCampaign
from tests.factories import EnterpriseFactory, UserFactory, district, district_authority
from tests.helpers import CAMPAIGN_DEADLINE, CAMPAIGN_OPENS_ON, NOW, RENDERED_TEMPLATES, TEMPLATE_CHECK_KEY

# Playwright's sync API runs an event loop in the test thread; Django's ORM must be allowed to run beside it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _celery_eager(settings):
    """Tasks run in-process with the real code; broker round-trips are covered by test_celery_worker."""
    from greenfactory.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _login_through_the_portal_backend(monkeypatch):
    """force_login defaults to the first backend (axes'); a real login goes through the portal's, which loads the
    organisation with the user. Query counts must be the real ones."""
    from django.test import Client

    original = Client.force_login

    def force_login(self, user, backend="accounts.backends.PortalModelBackend"):
        return original(self, user, backend=backend)

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(autouse=True)
def _plain_http(settings):
    """The test client speaks plain HTTP; TLS redirection is tested on its own in test_security.py."""
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture(autouse=True)
def _counts_not_kept(settings):
    """Pages count their navigation badges and summaries afresh (PORTAL_SHELL_CACHE_SECONDS = 0), on SQLite and on
    Redis alike, so that query pins hold in both runs; tests/greenfactory/test_shell_cache.py turns keeping on."""
    settings.PORTAL_SHELL_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _reset_axes_cache():
    from django.core.cache import cache

    cache.clear()


@dataclass
class People:
    """One named user per role, plus a second enterprise and a second district: every rule from both sides."""

    enterprise: object
    enterprise_2: object
    park: object
    district: object
    district_2: object
    city: object
    expert: object
    evaluator: object
    department: object
    admin: object

    def all(self):
        return dict(self.__dict__)


@pytest.fixture
def reference_data(db):
    """Migrations load the reference data; a transactional test's flush removes it, so it is loaded again here
    (idempotently) for tests that run after one."""
    from accounts.models import District, Industry
    from accounts.reference import load_reference_data
    from evaluation.models import EnergyCarrier, Indicator, IndicatorArea, IndicatorSystem
    from evaluation.reference import load_energy_carriers, load_indicator_systems

    if not District.objects.exists():
        load_reference_data(District, Industry, Organisation)
    if not EnergyCarrier.objects.exists():
        load_energy_carriers(EnergyCarrier)
    if not IndicatorSystem.objects.exists():
        load_indicator_systems(IndicatorSystem, IndicatorArea, Indicator)


@pytest.fixture
def people(reference_data):
    changshou = district("长寿区")
    yubei = district("渝北区")
    ent1 = EnterpriseFactory(district=changshou, name="重庆长寿一号化工有限公司")
    ent2 = EnterpriseFactory(district=yubei, name="重庆渝北二号电子有限公司")
    park = Park.objects.create(name="测试园区", district=changshou, park_type="economic_development",
                               approval_level="national", managing_body="测试园区管委会", address="长寿区")
    city = Organisation.objects.get(kind=OrganisationKind.CITY)
    evaluator_org = Organisation.objects.create(kind=OrganisationKind.EVALUATOR, name="测试评价机构")
    department_org = Organisation.objects.create(kind=OrganisationKind.DEPARTMENT, name="重庆市应急管理局")
    expert_org = Organisation.objects.create(kind=OrganisationKind.EXPERT, name="测试专家库")
    return People(
        enterprise=UserFactory(username="ent-user", role=Role.ENTERPRISE, organisation=ent1),
        enterprise_2=UserFactory(username="ent-user-2", role=Role.ENTERPRISE, organisation=ent2),
        park=UserFactory(username="park-user", role=Role.PARK, organisation=park),
        district=UserFactory(username="district-user", role=Role.DISTRICT, organisation=district_authority("长寿区")),
        district_2=UserFactory(username="district-user-2", role=Role.DISTRICT,
                               organisation=district_authority("渝北区")),
        city=UserFactory(username="city-user", role=Role.CITY, organisation=city),
        expert=UserFactory(username="expert-user", role=Role.EXPERT, organisation=expert_org),
        evaluator=UserFactory(username="evaluator-user", role=Role.EVALUATOR, organisation=evaluator_org),
        department=UserFactory(username="department-user", role=Role.DEPARTMENT, organisation=department_org),
        admin=UserFactory(username="admin-user", role=Role.ADMIN, organisation=None, is_staff=True,
                          is_superuser=True),
    )


@pytest.fixture
def pinned_clock():
    """The clock stands still at ``tests.helpers.NOW`` (a Monday inside the campaign). A module opts in with
    ``pytestmark = [..., pytest.mark.usefixtures("pinned_clock")]``, so that its people and records are created on
    that day too."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def campaign(people):
    """The city's 2026 campaign for all districts, open from 20 February to 15 March (open on NOW)."""
    return CultivationCampaign.objects.create(
        year=2026, title="2026年绿色工厂培育工作", opens_on=CAMPAIGN_OPENS_ON, deadline=CAMPAIGN_DEADLINE,
        key_sectors=["chemicals"], created_by=people.city,
    )


# --- Every template rendered at least once ---------------------------------------------------------------------------
# Django's test environment sends ``template_rendered`` for every template it renders, includes and parents too.
# tests/test_templates_rendered.py runs last and compares what the whole run rendered with the templates on disk.


def _note_rendered_template(sender, template, **kwargs):
    if template.name:
        RENDERED_TEMPLATES.add(template.name)


def pytest_sessionstart(session):
    template_rendered.connect(_note_rendered_template, weak=False, dispatch_uid="tests.rendered_templates")


def pytest_deselected(items):
    if items:
        items[0].config.stash[TEMPLATE_CHECK_KEY] = False


def pytest_collection_modifyitems(session, config, items):
    """The check runs last, and only when the whole suite runs in one process: a subset renders a subset."""
    tests_root = Path(__file__).parent
    whole = (
        config.stash.get(TEMPLATE_CHECK_KEY, True)
        and not config.option.keyword and not config.option.markexpr
        and not hasattr(config, "workerinput")  # an xdist worker sees part of the suite
        and all(Path(arg.split("::")[0]).resolve() in (tests_root, tests_root.parent) for arg in config.args)
    )
    config.stash[TEMPLATE_CHECK_KEY] = whole
    last = [item for item in items if item.name == "test_every_template_is_rendered_by_some_test"]
    for item in last:
        items.remove(item)
        items.append(item)
