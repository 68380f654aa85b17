"""What applications adds to the navigation and the to-do lists."""

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.choices import DeadlineKind
from accounts.models import Deadline, Role, User
from accounts.scope import ASSIGNEE_ROLES
from applications.choices import OPEN_REVIEW_TASK_STATES, ReviewTaskStatus
from applications.models import (
    APPLICANT_TURN,
    CITY_REVIEW_KINDS,
    CITY_TURN,
    OPEN_OBJECTION_STATES,
    CertificationApplication,
    CertificationStatus,
    DistrictReview,
    IntakeStatus,
    Objection,
    ProposedList,
    ProposedListStatus,
    ReviewTask,
    StampedScan,
)
from applications.selectors import intake_list_for_user, intake_queue_for_user, review_task_list_for_user
from greenfactory.portal import NavItem, TodoItem, TodoSource, register_nav, register_todo


def _queue_count(user):
    return intake_queue_for_user(user, details=False).count()


def _queue_items(user, limit):
    # The rows with campaign (one query): only what an item shows.
    for application in intake_queue_for_user(user, details=False).select_related("campaign").only(
            "public_id", "company_name", "submitted_at", "campaign__title")[:limit]:
        yield TodoItem(title=_("审核入库申请：%(name)s") % {"name": application.company_name},
                       url=reverse("applications:intake_detail", args=[application.public_id]),
                       since=application.submitted_at, detail=application.campaign.title)


def _own_open(user):
    """Drafts and returned applications to finish, and submitted ones still waiting for the stamped scan of this
    submission: the district cannot admit without it (四（三）资料报送), so it is the enterprise's to-do."""
    scan_of_this_submission = StampedScan.objects.filter(application=OuterRef("pk"),
                                                         uploaded_at__gte=OuterRef("submitted_at"))
    return intake_list_for_user(user, details=False).filter(
        Q(status__in=[IntakeStatus.DRAFT, IntakeStatus.RETURNED])
        | Q(status=IntakeStatus.SUBMITTED) & ~Exists(scan_of_this_submission))


def _own_count(user):
    return _own_open(user).count()


def _own_items(user, limit):
    for application in _own_open(user).select_related("campaign").only(  # one query: what an item shows
            "public_id", "status", "submitted_at", "decided_at", "created_at", "decision_reason", "campaign__title",
            "campaign__deadline")[:limit]:
        if application.status == IntakeStatus.SUBMITTED:
            yield TodoItem(
                title=_("请上传盖章扫描件：%(title)s") % {"title": application.campaign.title},
                url=reverse("applications:intake_detail", args=[application.public_id]),
                since=application.submitted_at,
                detail=_("申请已提交。请下载申请表，由法人或单位负责人签字并加盖公章后上传扫描件，区县经信部门方可审核入库。"),
                deadline=application.campaign.deadline, urgent=True,
            )
            continue
        returned = application.status == IntakeStatus.RETURNED
        yield TodoItem(
            title=(_("入库申请被退回，请修改：%(title)s") if returned else _("继续填报入库申请：%(title)s"))
            % {"title": application.campaign.title},
            url=reverse("applications:intake_detail", args=[application.public_id]),
            since=application.decided_at if returned else application.created_at,
            detail=application.decision_reason,  # the current round's return reason, if any
            deadline=application.campaign.deadline, urgent=returned,
        )


def _open_tasks(user):
    return review_task_list_for_user(user).filter(status__in=OPEN_REVIEW_TASK_STATES)


def _tasks_count(user):
    return _open_tasks(user).count()


def _tasks_items(user, limit):
    # One query: the tasks with their kinds' content types and the assigner (the case is named on the task page).
    for task in _open_tasks(user)[:limit]:
        title = _("请接受或谢绝：%(kind)s") if task.status == ReviewTaskStatus.ASSIGNED else _("请完成：%(kind)s")
        yield TodoItem(
            title=title % {"kind": task.get_kind_display()},
            url=reverse("applications:review_task_list"), since=task.assigned_at, detail=task.note,
            deadline=task.due_on)


# --- Certification (认定申报): the applicant's turn and the district's queue -----------------------------------------


def _certification_own(user):
    return CertificationApplication.objects.visible_to(user).filter(applicant_id=user.organisation_id,
                                                                    status__in=APPLICANT_TURN)


def _certification_own_count(user):
    return _certification_own(user).count()


def _certification_own_items(user, limit):
    titles = {CertificationStatus.DRAFT: _("继续填写认定申报：%(name)s"),
              CertificationStatus.EVALUATED: _("评价报告已出具，请提交区县审核：%(name)s"),
              CertificationStatus.SUPPLEMENTING: _("区县要求补充认定申报材料：%(name)s"),
              CertificationStatus.RETURNED: _("认定申报被退回，请修改：%(name)s")}
    # The deadline of the applicant's turn: a review round's answer date, a returned case's resubmission (until the
    # districts' deadline), else the round's application deadline. One query: what an item shows.
    answer_due = DistrictReview.objects.filter(application=OuterRef("pk"), outcome="more",
                                               answered_at__isnull=True).order_by("-number").values("due_on")[:1]
    for application in _certification_own(user).select_related("round").annotate(answer_due=Subquery(answer_due)).only(
            "public_id", "status", "unit_name", "updated_at", "decision_reason", "round__application_deadline",
            "round__recommendation_deadline")[:limit]:
        deadline = (application.answer_due if application.status == CertificationStatus.SUPPLEMENTING
                    else application.round.recommendation_deadline
                    if application.status == CertificationStatus.RETURNED else application.round.application_deadline)
        yield TodoItem(title=titles[application.status] % {"name": application.unit_name},
                       url=reverse("evaluation:certification", args=[application.public_id]),
                       since=application.updated_at, detail=application.decision_reason, deadline=deadline,
                       urgent=application.status in (CertificationStatus.SUPPLEMENTING, CertificationStatus.RETURNED))


def _certification_queue(user):
    return CertificationApplication.objects.visible_to(user).filter(status=CertificationStatus.SUBMITTED)


def _certification_queue_count(user):
    return _certification_queue(user).count()


def _certification_queue_items(user, limit):
    for application in _certification_queue(user).select_related("round").only(
            "public_id", "unit_name", "unit_kind", "submitted_at", "round__recommendation_deadline",
            "round__title")[:limit]:
        yield TodoItem(title=_("审核认定申报：%(name)s") % {"name": application.unit_name},
                       url=reverse("evaluation:certification", args=[application.public_id]),
                       since=application.submitted_at, detail=application.round.title,
                       deadline=application.round.recommendation_deadline)


# --- The city's review and the proposed lists (第十一条) --------------------------------------------------------------


def _city_review(user):
    return CertificationApplication.objects.visible_to(user).filter(status__in=CITY_TURN)


def _city_review_items(user, limit):
    # The city's clock on each case (opened when its review starts): one query with the rows.
    clock = Deadline.objects.filter(content_type__app_label="applications",
                                    content_type__model="certificationapplication", object_id=OuterRef("pk"),
                                    kind=DeadlineKind.CITY_REVIEW, closed_at__isnull=True).values("due_on")[:1]
    for application in _city_review(user).select_related("round").annotate(due=Subquery(clock)).only(
            "public_id", "unit_name", "status", "decided_at", "round__title").order_by("decided_at", "id")[:limit]:
        title = (_("开始市级审查：%(name)s") if application.status == CertificationStatus.RECOMMENDED
                 else _("市级审查：%(name)s"))
        yield TodoItem(title=title % {"name": application.unit_name},
                       url=reverse("evaluation:certification", args=[application.public_id]),
                       since=application.decided_at, detail=application.round.title, deadline=application.due)


def _city_tasks(user):
    """The city's own staff's review tasks (materials review, on-site verification), open."""
    return ReviewTask.objects.filter(assignee_user_id=user.pk, status__in=OPEN_REVIEW_TASK_STATES,
                                     kind__in=CITY_REVIEW_KINDS)


def _city_tasks_items(user, limit):
    tasks = list(_city_tasks(user)[:limit])
    applications = {a.pk: a for a in CertificationApplication.objects.filter(
        pk__in=[t.object_id for t in tasks]).only("public_id", "unit_name")}
    for task in tasks:
        application = applications.get(task.object_id)
        if application is None:
            continue
        yield TodoItem(title=_("%(kind)s：%(name)s") % {"kind": task.get_kind_display(), "name": application.unit_name},
                       url=reverse("evaluation:certification", args=[application.public_id]) + "#city-review",
                       since=task.assigned_at, detail=task.note, deadline=task.due_on)


def _publicity_waiting(user):
    """Objections to handle, and lists whose notice has ended and wait for the decision."""
    return (Objection.objects.filter(status__in=OPEN_OBJECTION_STATES),
            ProposedList.objects.filter(status=ProposedListStatus.IN_PUBLICITY,
                                        notice__ends_on__lt=timezone.localdate()))


def _publicity_items(user, limit):
    objections, lists = _publicity_waiting(user)
    clock = Deadline.objects.filter(content_type__app_label="applications", content_type__model="objection",
                                    object_id=OuterRef("pk"), kind=DeadlineKind.OBJECTION_HANDLING,
                                    closed_at__isnull=True).values("due_on")[:1]
    for objection in objections.select_related("application", "notice__proposed_list").annotate(
            due=Subquery(clock)).order_by("filed_at", "id")[:limit]:
        yield TodoItem(title=_("处理公示异议：%(name)s") % {"name": objection.application.unit_name},
                       url=reverse("applications:proposed_list_detail",
                                   args=[objection.notice.proposed_list.public_id]) + "#objections",
                       since=objection.filed_at, deadline=objection.due, urgent=True)
    decision_clock = Deadline.objects.filter(content_type__app_label="applications", content_type__model="proposedlist",
                                             object_id=OuterRef("pk"), kind=DeadlineKind.CERTIFICATION_DECISION,
                                             closed_at__isnull=True).values("due_on")[:1]
    for proposed_list in lists.select_related("round").annotate(due=Subquery(decision_clock))[:limit]:
        yield TodoItem(title=_("公示期满，请发文认定：%(list)s") % {"list": proposed_list},
                       url=reverse("applications:proposed_list_detail", args=[proposed_list.public_id]),
                       since=proposed_list.sent_at, deadline=proposed_list.due)


def _counted(queryset):
    """A queryset's count as a subquery (one row grouped on a constant), 0 when it has no row."""
    return Coalesce(Subquery(queryset.order_by().annotate(one=Value(1)).values("one").annotate(n=Count("*"))
                             .values("n")[:1]), 0)


def _city_count(user):
    """Everything waiting for the city, counted in one query (the shell counts it on every page)."""
    objections, lists = _publicity_waiting(user)
    parts = [_city_review(user), _city_tasks(user), objections, lists]
    counts = User.objects.filter(pk=user.pk).annotate(
        **{f"n{i}": _counted(part) for i, part in enumerate(parts)}).values_list(
        *[f"n{i}" for i in range(len(parts))]).first()
    return sum(counts or ())


def _city_items(user, limit):
    for source in (_city_tasks_items, _publicity_items, _city_review_items):
        for item in source(user, limit):
            if limit is not None and limit <= 0:
                return
            yield item
            limit = None if limit is None else limit - 1


def register():
    campaign_roles = frozenset({Role.ENTERPRISE, Role.DISTRICT, Role.CITY, Role.ADMIN})
    register_nav(NavItem("campaigns", _("年度培育工作"), "applications:campaign_list", campaign_roles,
                         icon="calendar-event", order=30))
    register_nav(NavItem("my_applications", _("入库申请"), "applications:my_applications",
                         frozenset({Role.ENTERPRISE}), icon="file-earmark-text", order=31,
                         todo_keys=("applications.own",)))
    # A case page (/applications/intake/<id>/, under the enterprise's own list) is the district's queue's, and the
    # city's library's, from which the city opens the cases it sees.
    register_nav(NavItem("intake_queue", _("入库审核"), "applications:intake_queue", frozenset({Role.DISTRICT}),
                         icon="clipboard-check", order=32, todo_keys=("applications.queue",),
                         also=("applications:my_applications",)))
    register_nav(NavItem("library", _("培育库"), "applications:library",
                         frozenset({Role.DISTRICT, Role.CITY, Role.ADMIN}), icon="collection", order=33,
                         also=("applications:my_applications",)))
    register_nav(NavItem("review_tasks", _("评审任务"), "applications:review_task_list", ASSIGNEE_ROLES,
                         icon="person-check", order=34, todo_keys=("applications.review_tasks",),
                         also=("applications:my_applications",)))
    register_nav(NavItem("rounds", _("年度认定工作"), "applications:round_list",
                         frozenset({Role.DISTRICT, Role.CITY, Role.ADMIN}), icon="award", order=36))
    register_nav(NavItem("my_certification", _("认定申报"), "applications:my_certification",
                         frozenset({Role.ENTERPRISE, Role.PARK}), icon="award", order=36,
                         todo_keys=("applications.certification_own",)))
    register_nav(NavItem("certification_queue", _("认定审核"), "applications:certification_queue",
                         frozenset({Role.DISTRICT, Role.CITY, Role.ADMIN}), icon="clipboard2-check", order=37,
                         todo_keys=("applications.certification_queue", "applications.city")))
    # 第十一条: the proposed lists, for the city and the departments asked about them; the city's to-dos.
    register_nav(NavItem("proposed_lists", _("拟认定名单"), "applications:proposed_lists",
                         frozenset({Role.CITY, Role.DEPARTMENT}), icon="list-check", order=37))
    register_todo(TodoSource("applications.city", _("市级审查、异议与发文"), frozenset({Role.CITY}),
                             _city_count, _city_items, order=21))
    # Titles, certificates and the national recommendation (第十二条): the city's.
    register_nav(NavItem("titles", _("称号与证书"), "applications:title_list", frozenset({Role.CITY}),
                         icon="patch-check", order=38))
    register_todo(TodoSource("applications.certification_own", _("认定申报"), frozenset({Role.ENTERPRISE, Role.PARK}),
                             _certification_own_count, _certification_own_items, order=22))
    register_todo(TodoSource("applications.certification_queue", _("待审核的认定申报"), frozenset({Role.DISTRICT}),
                             _certification_queue_count, _certification_queue_items, order=21))
    register_todo(TodoSource("applications.review_tasks", _("评审任务"), ASSIGNEE_ROLES, _tasks_count, _tasks_items,
                             order=25))
    register_todo(TodoSource("applications.queue", _("待审核的入库申请"), frozenset({Role.DISTRICT}),
                             _queue_count, _queue_items, order=20))
    register_todo(TodoSource("applications.own", _("入库申请"), frozenset({Role.ENTERPRISE}),
                             _own_count, _own_items, order=20))
