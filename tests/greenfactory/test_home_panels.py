"""Home pages: roles whose workflow has not arrived read what they will do here and when; the enterprise is told to
apply while a campaign is open to it, and otherwise sees its application's state."""

from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse

from accounts.choices import OrganisationStatus
from tests.helpers import SHANGHAI

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_clock")]


@pytest.mark.parametrize(("role", "words"), [
    ("expert", ["专家", "培育库内企业", "第十一条", "分配给您"]),
    ("evaluator", ["第三方评价报告", "第九条", "委托贵机构"]),
    ("department", ["拟认定名单", "第十一条", "征求意见"]),
    ("park", ["绿色园区", "第六条", "第九条", "第十六条"]),
])
def test_a_role_without_its_workflow_yet_reads_what_it_will_do_and_when(client, people, role, words):
    client.force_login(getattr(people, role))
    html = client.get(reverse("home")).content.decode()
    assert 'id="role-introduction"' in html
    for word in words:
        assert word in html, word


@pytest.mark.parametrize("role", ["enterprise", "district", "city", "admin"])
def test_roles_with_work_of_their_own_get_no_introduction(client, people, role):
    client.force_login(getattr(people, role))
    assert 'id="role-introduction"' not in client.get(reverse("home")).content.decode()


def _campaign(people, **changes):
    from applications.models import CultivationCampaign

    values = {"year": 2026, "title": "2026年绿色工厂培育工作", "opens_on": date(2026, 2, 20),
              "deadline": date(2026, 3, 15), "created_by": people.city, **changes}
    return CultivationCampaign.objects.create(**values)


def test_an_enterprise_is_told_to_apply_with_the_deadline_and_the_days_left(client, people):
    campaign = _campaign(people)
    client.force_login(people.enterprise)
    html = client.get(reverse("home")).content.decode()
    assert 'id="apply-now"' in html
    assert "立即申报" in html
    assert "2026年3月15日" in html
    assert "还剩 13 天" in html
    assert reverse("applications:intake_start", args=[campaign.public_id]) in html


def test_after_applying_the_enterprise_sees_its_applications_state_instead(client, people):
    from applications import services

    campaign = _campaign(people)
    application = services.intake_start(campaign=campaign, actor=people.enterprise)
    client.force_login(people.enterprise)
    html = client.get(reverse("home")).content.decode()
    assert "立即申报" not in html
    assert "本单位申请：草稿" in html
    assert reverse("applications:intake_detail", args=[application.public_id]) in html


def test_on_the_last_day_the_panel_says_it_closes_today(client, people):
    _campaign(people, deadline=date(2026, 3, 2))
    client.force_login(people.enterprise)
    assert "今天截止" in client.get(reverse("home")).content.decode()


def test_no_apply_panel_without_an_open_campaign_or_for_another_districts_campaign(client, people):
    from accounts.models import District

    _campaign(people, opens_on=date(2026, 4, 1), deadline=date(2026, 4, 30))  # not open yet
    _campaign(people, year=2025, deadline=date(2026, 2, 25))  # closed
    _campaign(people, district=District.objects.get(name="渝北区"))  # not the enterprise's district
    client.force_login(people.enterprise)
    assert 'id="apply-now"' not in client.get(reverse("home")).content.decode()


def test_with_no_open_campaign_the_enterprise_sees_its_latest_application(client, people):
    from applications import services

    campaign = _campaign(people, year=2025, opens_on=date(2026, 2, 1), deadline=date(2026, 3, 1))
    with time_machine.travel(datetime(2026, 2, 10, 10, 0, tzinfo=SHANGHAI), tick=False):
        services.intake_start(campaign=campaign, actor=people.enterprise)
    client.force_login(people.enterprise)
    html = client.get(reverse("home")).content.decode()
    assert "目前没有正在受理的培育入库申报" in html
    assert "本单位申请：草稿" in html


def test_a_pending_enterprise_is_not_invited_to_apply(client, people):
    _campaign(people)
    organisation = people.enterprise.organisation
    type(organisation).objects.filter(pk=organisation.pk).update(status=OrganisationStatus.PENDING)
    client.force_login(people.enterprise)
    response = client.get(reverse("home"), follow=True)
    assert "立即申报" not in response.content.decode()
