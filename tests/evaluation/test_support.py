"""Cultivation support: training and exchange events (a district's for its library, the city's for all; sign-up by
library enterprises within the places and before the start; attendance by the organiser) and technical assistance
(an organisation of the register assigned to a library entry by its district; visits by that organisation)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, Notification, Organisation, OrganisationKind
from evaluation.models import AssistanceVisit, TechnicalAssistance, TrainingEvent
from evaluation.services import (
    assistance_assign,
    assistance_visit_record,
    event_cancel,
    event_publish,
    event_record_attendance,
    event_sign_up,
)
from tests.factories import EnterpriseUserFactory, LibraryEntryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_clock")]


def publish(actor, **fields):
    values = {"title": "绿色工厂创建培训", "place": "区经信委三楼会议室",
              "starts_at": timezone.now() + datetime.timedelta(days=7), **fields}
    return event_publish(event=TrainingEvent(**values), actor=actor)


@pytest.fixture
def entry(people):
    return LibraryEntryFactory(application__enterprise=people.enterprise.organisation)


def test_a_districts_event_is_for_its_library_and_tells_it(people, entry):
    event = publish(people.district)
    assert event.district_id == people.district.district_id
    assert Notification.objects.filter(recipient=people.enterprise, title__contains="绿色工厂创建培训").exists()
    assert TrainingEvent.objects.visible_to(people.enterprise).filter(pk=event.pk).exists()
    assert not TrainingEvent.objects.visible_to(people.enterprise_2).filter(pk=event.pk).exists()
    assert not TrainingEvent.objects.visible_to(people.district_2).filter(pk=event.pk).exists()
    city_event = publish(people.city, title="全市绿色制造交流会")
    assert city_event.district_id is None
    assert TrainingEvent.objects.visible_to(people.enterprise_2).filter(pk=city_event.pk).exists()


def test_only_officials_publish_and_not_in_the_past(people):
    for user in (people.enterprise, people.expert, people.evaluator):
        with pytest.raises(PermissionDenied):
            publish(user)
    with pytest.raises(ValidationError):
        publish(people.district, starts_at=timezone.now() - datetime.timedelta(hours=1))


def test_sign_up_is_for_library_enterprises_within_the_places_and_before_the_start(people, entry, pinned_clock):
    event = publish(people.district, capacity=1)
    with pytest.raises(PermissionDenied):
        event_sign_up(event=event, actor=people.enterprise_2, attendees="王五")   # not in a library
    event_sign_up(event=event, actor=people.enterprise, attendees="张明（能源主管）")
    with pytest.raises(ValidationError):
        event_sign_up(event=event, actor=EnterpriseUserFactory(organisation=people.enterprise.organisation),
                      attendees="再次")
    other = LibraryEntryFactory(application__district=entry.district)
    colleague = EnterpriseUserFactory(organisation=other.enterprise)
    with pytest.raises(ValidationError) as full:
        event_sign_up(event=event, actor=colleague, attendees="李四")
    assert "名额已满" in str(full.value)
    late = publish(people.district, title="第二期")
    pinned_clock.move_to(late.starts_at + datetime.timedelta(minutes=1))
    with pytest.raises(ValidationError):
        event_sign_up(event=late, actor=colleague, attendees="李四")


def test_the_organiser_records_attendance_after_the_start_and_cancels_with_reasons(people, entry, pinned_clock):
    event = publish(people.district)
    sign_up = event_sign_up(event=event, actor=people.enterprise, attendees="张明")
    with pytest.raises(ValidationError):
        event_record_attendance(event=event, actor=people.district, attended={sign_up.pk: True})
    pinned_clock.move_to(event.starts_at + datetime.timedelta(hours=2))
    with pytest.raises(PermissionDenied):
        event_record_attendance(event=event, actor=people.district_2, attended={sign_up.pk: True})
    assert event_record_attendance(event=event, actor=people.district, attended={sign_up.pk: True}) == 1
    sign_up.refresh_from_db()
    assert sign_up.attended is True
    with pytest.raises(ValidationError):
        event_cancel(event=event, actor=people.district, reason="  ")
    event_cancel(event=event, actor=people.district, reason="场地调整")
    assert Notification.objects.filter(recipient=people.enterprise, title__contains="活动已取消").exists()


def test_the_event_pages_for_each_role(client, people, entry):
    event = publish(people.district)
    url = reverse("evaluation:event_detail", args=[event.public_id])
    for user, status in ((people.enterprise, 200), (people.district, 200), (people.city, 200),
                         (people.district_2, 404), (people.enterprise_2, 404), (people.expert, 403)):
        client.force_login(user)
        assert client.get(url).status_code == status, user.username
    client.force_login(people.enterprise)
    response = client.post(reverse("evaluation:event_sign_up", args=[event.public_id]), {"attendees": ""})
    assert response.status_code == 400
    client.post(reverse("evaluation:event_sign_up", args=[event.public_id]), {"attendees": "张明"})
    assert "贵单位已报名" in client.get(url).content.decode()
    client.force_login(people.district)
    page = client.get(url).content.decode()
    assert "张明" in page and people.enterprise.organisation.name in page
    response = client.post(reverse("evaluation:event_create"), {"title": "", "kind": "training"})
    assert response.status_code == 400


def test_technical_assistance_is_assigned_by_the_district_and_visits_recorded_by_the_organisation(
        client, people, entry):
    organisation = Organisation.objects.get(kind=OrganisationKind.EVALUATOR)
    assert organisation.status == "active"
    with pytest.raises(PermissionDenied):
        assistance_assign(entry=entry, actor=people.district_2, organisation=organisation, scope="节能诊断")
    with pytest.raises(ValidationError):
        assistance_assign(entry=entry, actor=people.district,
                          organisation=Organisation.objects.get(kind=OrganisationKind.DEPARTMENT), scope="节能诊断")
    assistance = assistance_assign(entry=entry, actor=people.district, organisation=organisation, scope="节能诊断")
    assert TechnicalAssistance.objects.visible_to(people.evaluator).get() == assistance
    assert not TechnicalAssistance.objects.visible_to(people.enterprise_2).exists()
    with pytest.raises(PermissionDenied):
        assistance_visit_record(assistance=assistance, actor=people.enterprise, visited_on=timezone.localdate(),
                                content="x")
    with pytest.raises(ValidationError):
        assistance_visit_record(assistance=assistance, actor=people.evaluator,
                                visited_on=timezone.localdate() + datetime.timedelta(days=1), content="")
    client.force_login(people.evaluator)
    url = reverse("evaluation:assistance_visit", args=[assistance.public_id])
    prefix = f"visit-{assistance.pk}"
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.post(url, {f"{prefix}-visited_on": tomorrow, f"{prefix}-content": "现场节能诊断，提出3项建议"})
    assert response.status_code == 400  # shown again, what was typed kept, the message at the date
    page = response.content.decode()
    assert "现场节能诊断，提出3项建议" in page and "不晚于今天" in page
    response = client.post(url, {f"{prefix}-visited_on": timezone.localdate().isoformat(),
                                 f"{prefix}-content": "现场节能诊断，提出3项建议"})
    assert response.status_code == 302
    assert AssistanceVisit.objects.get().content == "现场节能诊断，提出3项建议"
    assert "现场节能诊断" in client.get(reverse("evaluation:assistance_list")).content.decode()
    client.force_login(people.enterprise)
    assert "现场节能诊断" in client.get(reverse("evaluation:cultivation", args=[entry.public_id])).content.decode()
    assert AuditEvent.objects.filter(object_id=str(assistance.public_id)).count() == 2
