"""Building blocks of the city review tests: a recommended application, the city's review with its three kinds of
task done, a list sent to a department and answered, a published notice."""

import datetime
from decimal import Decimal

from django.utils import timezone

from applications import services
from applications.models import CertificationApplication, ReviewTask
from applications.services import publicity
from applications.services.review import review_task_assign
from tests.applications.certification_setup import all_ok, submitted
from tests.factories import UserFactory


def recommended(people, certification_round, *, park=False):
    application = submitted(people, certification_round, park=park)
    services.district_review_save(application=application, actor=people.district, items=all_ok(application))
    return services.certification_recommend(application=application, actor=people.district)


def city_staff(people, username="city-staff"):
    return UserFactory(username=username, role="city", organisation=people.city.organisation)


def expert(people, username):
    return UserFactory(username=username, role="expert", organisation=people.expert.organisation)


def in_days(days):
    return timezone.localdate() + datetime.timedelta(days=days)


def assign(people, application, kind, assignee):
    return review_task_assign(case=application, actor=people.city, kind=kind, assignee=assignee, due_on=in_days(10))


def reviewed(people, application, *, scores=(Decimal("86"), Decimal("90"))):
    """The city's review done: materials and on-site 符合 by the city's staff, one expert review per score."""
    application = services.city_review_start(application=application, actor=people.city)
    staff = city_staff(people, f"city-staff-{application.pk}")
    for kind in ("materials_review", "on_site"):
        task = assign(people, application, kind, staff)
        services.task_opinion_write(task=task, actor=staff, conclusion="met", findings="材料齐全、与现场一致",
                                    visited_on=timezone.localdate() if kind == "on_site" else None)
    for number, score in enumerate(scores):
        reviewer = people.expert if number == 0 else expert(people, f"expert-{application.pk}-{number}")
        task = assign(people, application, "expert_review", reviewer)
        services.task_opinion_write(task=task, actor=reviewer, conclusion="met", findings="同意认定", score=score)
    return CertificationApplication.objects.get(pk=application.pk)


def proposed(people, application, **kwargs):
    reviewed(people, application, **kwargs)
    return services.certification_propose(application=application, actor=people.city, comment="审查通过")


def consulted(people, proposed_list, *, objection=False):
    """The list sent to the department fixture's liaison, and answered for every unit."""
    proposed_list = publicity.proposed_list_send(proposed_list=proposed_list, actor=people.city,
                                                 departments=[people.department], due_on=in_days(5))
    task = ReviewTask.objects.get(proposed_list=proposed_list, assignee_user=people.department)
    answers = {a.pk: (objection, "存在未整改的安全隐患" if objection else "") for a in publicity.members(proposed_list)}
    publicity.department_opinions_save(task=task, actor=people.department, answers=answers, submit=True)
    return proposed_list


def published(people, proposed_list, starts_on=None):
    return publicity.notice_publish(proposed_list=proposed_list, actor=people.city, title="拟认定名单公示",
                                    body="现将拟认定名单予以公示。", contact="市经济信息委节能处，电话023-63899999",
                                    starts_on=starts_on or timezone.localdate())
