"""The city's review at city scale (``manage.py seed_scale``, after the titles): in this year's round, recommended
applications taken into the city's review (one of them with its tasks and opinions, an expert review open for
bench-expert), a proposed list out to bench-department, a list in its public notice with objections; and a notice for
each past decision. Written as rows, as the other scale seeders do: the services' own paths are tested on their own."""

import datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from accounts.choices import DeadlineKind
from accounts.models import Deadline, Organisation, OrganisationKind, User
from applications.models import (
    CertificationApplication,
    CertificationRound,
    DepartmentOpinion,
    Objection,
    ProposedList,
    PublicNotice,
    ReviewTask,
    TaskOpinion,
)
from greenfactory.scale import ScaleContext

IN_REVIEW = 20
PER_LIST = 30
OBJECTIONS = 25


def _notice(proposed_list, city, starts_on, ends_on):
    return PublicNotice.objects.create(
        proposed_list=proposed_list,
        title=f"{proposed_list.round.year}年度重庆市绿色工厂、绿色园区拟认定名单公示（基准）",
        body="根据《重庆市绿色园区和绿色工厂认定管理办法》第十一条，现将拟认定名单予以公示。",
        contact="市经济信息委节能与综合利用处", starts_on=starts_on, ends_on=ends_on, published_by=city)


def _tasks(context, application, city, experts):
    """The review case: materials and on-site done by the city's staff, two experts' reviews done, bench-expert's
    open."""
    content_type = ContentType.objects.get_for_model(CertificationApplication)
    common = {"content_type": content_type, "object_id": application.pk, "district_id": application.district_id,
              "applicant_id": application.applicant_id, "assigned_by": city,
              "due_on": context.today + datetime.timedelta(days=10)}
    done = [("materials_review", city, None), ("on_site", city, None)]
    done += [("expert_review", expert, Decimal(80 + 5 * n)) for n, expert in enumerate(experts[1:3])]
    for kind, assignee, score in done:
        task = ReviewTask.objects.create(kind=kind, assignee_user=assignee, status="done", completed_at=context.now,
                                         **common)
        TaskOpinion.objects.create(task=task, conclusion="met", findings="基准数据：符合。", score=score,
                                   visited_on=context.today if kind == "on_site" else None, written_by=assignee)
    task = ReviewTask.objects.create(kind="expert_review", assignee_user=experts[0], **common)
    _clock(task, user=experts[0], label="专家评审")


def _clock(task, *, user, label):
    """An open task's clock, as review_task_assign opens it."""
    Deadline.objects.create(content_type=ContentType.objects.get_for_model(ReviewTask), object_id=task.pk,
                            kind=DeadlineKind.REVIEW_TASK, user=user, due_on=task.due_on, label=label,
                            url="/applications/review-tasks/")


def _lists(context, certification_round, city, department, candidates, per_list):
    consulting = ProposedList.objects.create(round=certification_round, number=1, status="consulting",
                                             created_by=city, sent_at=context.now,
                                             opinions_due_on=context.today + datetime.timedelta(days=7))
    CertificationApplication.objects.filter(pk__in=candidates[:per_list]).update(status="proposed",
                                                                                  proposed_list=consulting)
    task = ReviewTask.objects.create(
        content_type=ContentType.objects.get_for_model(ProposedList), object_id=consulting.pk,
        kind="department_opinion", assignee_user=department, assigned_by=city, due_on=consulting.opinions_due_on)
    _clock(task, user=department, label="部门意见")
    DepartmentOpinion.objects.bulk_create([
        DepartmentOpinion(task=task, application_id=pk, objection=n % 5 == 0,
                          reasons="基准数据：存在未办结的行政处罚。" if n % 5 == 0 else "", written_by=department)
        for n, pk in enumerate(candidates[:min(10, per_list)])])
    publicised = ProposedList.objects.create(round=certification_round, number=2, status="in_publicity",
                                             created_by=city, sent_at=context.now)
    members = candidates[per_list:2 * per_list]
    CertificationApplication.objects.filter(pk__in=members).update(status="in_publicity", proposed_list=publicised)
    notice = _notice(publicised, city, context.today - datetime.timedelta(days=1),
                     context.today + datetime.timedelta(days=6))
    Objection.objects.bulk_create([
        Objection(notice=notice, application_id=members[n % len(members)], name=f"异议人{n}",
                  phone=f"1390000{n:04d}", content="基准数据：异议内容。", source=f"{n:064d}",
                  status="pending" if n % 3 else "dismissed", outcome="" if n % 3 else "经核实不成立。")
        for n in range(OBJECTIONS)], batch_size=context.batch_size)


@transaction.atomic
def seed_city_review(context: ScaleContext) -> dict[str, int]:
    """This year's city review, lists and notice (once: a rerun adds nothing), and a notice for each decision."""
    bench = context.shared.get("bench", {})
    city = bench.get("bench-city") or User.objects.filter(role="city").order_by("id").first()
    notices = 0
    for proposed_list in ProposedList.objects.filter(status="decided", notice__isnull=True).select_related("round"):
        year = proposed_list.round.year
        _notice(proposed_list, city, datetime.date(year, 10, 20), datetime.date(year, 10, 24))
        notices += 1
    certification_round = CertificationRound.objects.filter(year=context.current_year).first()
    if certification_round is None or ProposedList.objects.filter(round=certification_round).exists():
        return {"notices of past decisions": notices}
    experts = list(User.objects.filter(role="expert", is_active=True).order_by("id")[:3])
    department = bench.get("bench-department") or User.objects.filter(role="department").order_by("id").first()
    bench_expert = bench.get("bench-expert")
    if bench_expert is not None:
        experts = [bench_expert] + [e for e in experts if e.pk != bench_expert.pk]
    # bench-district's own recommended list stays as it is (its pages are in the benchmark).
    official = bench.get("bench-district")
    others = CertificationApplication.objects.filter(round=certification_round).exclude(
        district_id=getattr(official, "district_id", None))
    recommended = list(others.filter(status="recommended").order_by("id").values_list("pk", flat=True))
    if len(recommended) < 3:
        # A small data set: parks without an application this year are recommended, so that every page of the
        # city's review has its records.
        taken = CertificationApplication.objects.filter(round=certification_round).values("applicant_id")
        free = (Organisation.objects.filter(kind=OrganisationKind.PARK).exclude(pk__in=taken)
                .exclude(district_id=getattr(official, "district_id", None)).order_by("id")[:3 - len(recommended)])
        CertificationApplication.objects.bulk_create([CertificationApplication(
            round=certification_round, applicant=park, unit_kind="park", district_id=park.district_id,
            status="recommended", unit_name=park.name, contact_name="联系人", contact_phone="13800138000",
            submitted_at=context.now, decided_at=context.now, created_by=city) for park in free])
        recommended = list(others.filter(status="recommended").order_by("id").values_list("pk", flat=True))
    # A quarter of them (up to IN_REVIEW) in the review, the rest on the two lists (up to PER_LIST each).
    split = min(IN_REVIEW, max(1, len(recommended) // 4))
    in_review, candidates = recommended[:split], recommended[split:]
    CertificationApplication.objects.filter(pk__in=in_review).update(status="city_review")
    if in_review and len(experts) >= 1:
        _tasks(context, CertificationApplication.objects.get(pk=in_review[0]), city, experts + experts[:1] * 2)
    per_list = min(PER_LIST, len(candidates) // 2)
    if department is not None and per_list:
        _lists(context, certification_round, city, department, candidates, per_list)
    return {"notices of past decisions": notices, "in the city's review": len(in_review),
            "proposed": 2 * per_list if department is not None else 0}
