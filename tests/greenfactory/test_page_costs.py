"""What the pages the benchmark (bench/run) found costly cost now: a fixed number of queries for one row and
for many, and long queues cut into pages with their total."""


import pytest
from django.urls import reverse

from accounts.choices import OrganisationStatus
from accounts.models import IdentityChange
from applications.models import IntakeApplication, IntakeStatus
from tests.factories import EnterpriseFactory, UserFactory, district
from tests.helpers import submitted

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_clock")]


def _more_waiting(campaign, template, n):
    """``n`` more submitted applications in the district, copied from a real one (each with its own enterprise)."""
    fields = {f.attname: getattr(template, f.attname) for f in IntakeApplication._meta.concrete_fields
              if f.attname not in ("id", "public_id", "enterprise_id")}
    for enterprise in EnterpriseFactory.create_batch(n, district=district("长寿区")):
        IntakeApplication.objects.create(**{**fields, "enterprise_id": enterprise.pk})


def _more_pending(people, n):
    """``n`` waiting registrations and ``n`` waiting changes of name in the district."""
    EnterpriseFactory.create_batch(n, district=district("长寿区"), status=OrganisationStatus.PENDING)
    for enterprise in EnterpriseFactory.create_batch(n, district=district("长寿区")):
        IdentityChange.objects.create(enterprise=enterprise, old_name=enterprise.name,
                                      old_credit_code=enterprise.credit_code, new_name=f"{enterprise.name}集团",
                                      new_credit_code=enterprise.credit_code, reason="工商变更",
                                      requested_by=UserFactory(organisation=enterprise))


def _district_home(client, django_assert_num_queries):
    # 1 session, 2 user with organisation, 3–6 one COUNT per to-do source (registrations, changes of name, intake
    # queue, certification queue) — once, shared by the home page and the navigation badges (it was twice), 7–9 ten
    # rows of each source with rows (the intake rows with their campaign, without the queue page's criteria and
    # scans: two queries fewer; no certification application waits here), 10 the open clocks of the user and their
    # organisation (the deadlines panel; none here), 11 the unread count, 12 the recent notifications (the session
    # is not written: at most once a minute).
    with django_assert_num_queries(12):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_district_home_counts_each_todo_source_once_for_one_row_and_many(client, people, campaign,
                                                                             django_assert_num_queries):
    client.force_login(people.district)
    first = submitted(campaign, people.enterprise)
    _more_pending(people, 1)
    _district_home(client, django_assert_num_queries)
    _more_waiting(campaign, first, 30)
    _more_pending(people, 30)
    page = _district_home(client, django_assert_num_queries)
    assert "共 31 项，此处列出其中 10 项。" in page


def _queue(client, url, django_assert_num_queries, queries, **params):
    with django_assert_num_queries(queries):
        response = client.get(url, params)
    assert response.status_code == 200
    return response


def test_the_intake_queue_is_paged_with_its_total_for_one_row_and_many(client, people, campaign,
                                                                       django_assert_num_queries):
    client.force_login(people.district)
    first = submitted(campaign, people.enterprise)
    url = reverse("applications:intake_queue")
    # 1 session, 2 user with organisation, 3 the page's rows, whether the current submission's scan is in and the
    # queue's total, 4 their criteria, 5–6 the industries' names and the campaigns' years (reference data: with a
    # cache, kept in each process), 7–10 the to-do counts of the navigation, 11 unread count.
    assert len(_queue(client, url, django_assert_num_queries, 11).context["rows"]) == 1
    _more_waiting(campaign, first, 55)
    response = _queue(client, url, django_assert_num_queries, 11)
    page = response.content.decode()
    assert len(response.context["rows"]) == 50
    assert "共 56 件，按提交时间先后排列。" in page
    assert "第 1 / 2 页" in page
    # Oldest first across pages: the first submission heads page 1, page 2 holds the last six.
    assert response.context["rows"][0]["public_id"] == first.public_id
    second = _queue(client, url, django_assert_num_queries, 11, page=2)
    assert len(second.context["rows"]) == 6
    assert IntakeApplication.objects.filter(status=IntakeStatus.SUBMITTED).count() == 56


@pytest.mark.parametrize(("url_name", "total"), [
    ("accounts:registration_queue", "共 56 件，按提交时间先后排列。"),
    ("accounts:identity_change_queue", "共 56 件，按申请时间先后排列。"),
])
def test_the_district_review_queues_are_paged_with_their_total(client, people, campaign, url_name, total,
                                                               django_assert_num_queries):
    client.force_login(people.district)
    url = reverse(url_name)
    _more_pending(people, 1)
    # 1 session, 2 user with organisation, 3 the page's rows (or with enterprise, district and requester) and the
    # queue's total, for registrations 4 the districts' names and codes for the credit-code check and 5 the
    # industries' names (reference data, kept with a cache), then the navigation's four to-do counts and unread
    # count.
    queries = 10 if url_name == "accounts:registration_queue" else 8
    _queue(client, url, django_assert_num_queries, queries)
    _more_pending(people, 55)
    page = _queue(client, url, django_assert_num_queries, queries).content.decode()
    assert total in page
    assert "第 1 / 2 页" in page


def _case_page(client, application, django_assert_num_queries):
    # 1 session, 2 user with organisation, 3 the case with campaign, district and industry (the enterprise's name
    # and code as subqueries), 4 the history with who (one query for any number of rounds; it was one more a row),
    # 5 the current scan, 6 the criteria as values (4-6 kept across requests where the cache is on), 7 the criteria
    # as the decision's reason limit and question read them (the district decides this case), 8–11 the
    # navigation's to-do counts, 12 unread count.
    with django_assert_num_queries(12):
        response = client.get(reverse("applications:intake_detail", args=[application.public_id]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_case_page_with_a_long_history_costs_what_a_short_one_does(client, people, campaign,
                                                                     django_assert_num_queries):
    from applications import services

    client.force_login(people.district)
    application = submitted(campaign, people.enterprise)
    _case_page(client, application, django_assert_num_queries)
    for round_number in range(3):
        application = services.intake_return(application=application, actor=people.district,
                                             reason=f"第{round_number + 1}轮：请补充材料")
        application = services.intake_reopen(application=application, actor=people.enterprise)
        application = services.intake_submit(application=application, actor=people.enterprise)
    page = _case_page(client, application, django_assert_num_queries)
    assert page.count("请补充材料") >= 3  # every round's reason is in the history


def test_the_enterprises_campaign_list_does_not_load_its_applications_criteria(client, people, campaign,
                                                                               django_assert_num_queries):
    client.force_login(people.enterprise)
    submitted(campaign, people.enterprise)
    # 1 session, 2 user with organisation, 3 the campaigns with their district, 4 the enterprise's applications
    # (their state only: no criteria, no scans), 5–6 the navigation's to-do counts (intake, certification),
    # 7 unread count.
    with django_assert_num_queries(7):
        page = client.get(reverse("applications:campaign_list")).content.decode()
    assert "查看我的申请" in page


def test_a_registration_page_with_a_long_history_costs_what_a_short_one_does(client, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts import services

    enterprise = EnterpriseFactory(district=district("长寿区"), status=OrganisationStatus.PENDING)
    applicant = UserFactory(organisation=enterprise)
    client.force_login(people.district)
    url = reverse("accounts:registration_detail", args=[enterprise.public_id])

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    services.registration_refuse(organisation=enterprise, actor=people.district, reason="第1轮：请核对地址")
    enterprise = services.registration_resubmit(enterprise=enterprise, actor=applicant, changes={})
    short = queries()
    for round_number in range(2, 5):
        services.registration_refuse(organisation=enterprise, actor=people.district,
                                     reason=f"第{round_number}轮：请核对地址")
        enterprise = services.registration_resubmit(enterprise=enterprise, actor=applicant, changes={})
    assert queries() == short  # the history is one query however many rounds (it was one more a row)


def test_the_library_page_reads_only_the_columns_it_shows(client, people, campaign):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from applications import services

    services.intake_accept(application=submitted(campaign, people.enterprise), actor=people.district)
    client.force_login(people.city)
    with CaptureQueriesContext(connection) as context:
        page = client.get(reverse("applications:library")).content.decode()
    assert people.enterprise.organisation.name in page
    rows = [q["sql"] for q in context.captured_queries if 'FROM "applications_libraryentry"' in q["sql"]
            and "LIMIT" in q["sql"]]
    assert len(rows) == 1
    # The application is read for its link only, the enterprise for its name (one-row subqueries, evaluated for the
    # page's rows after the sort): not their forty-odd columns; the district's and industry's names and the
    # campaign's year come from reference data kept in the process, so no five-way join or subquery to plan.
    assert 'SELECT U0."public_id" AS "public_id" FROM "applications_intakeapplication"' in rows[0]
    assert 'SELECT U0."name" AS "name" FROM "accounts_organisation"' in rows[0]
    assert "profile_text" not in rows[0]
    assert "main_products" not in rows[0]
    assert rows[0].count(" JOIN ") == 1  # the district, for the order of the city-wide list
    assert '"accounts_industry"' not in rows[0] and '"applications_cultivationcampaign"' not in rows[0]
