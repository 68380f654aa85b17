"""The city's review of a recommended certification application (第十一条: 市经济信息委对申报资料进行审查，并对
园区、企业开展现场核实，委托第三方机构或组织专家对申报资料进行评审，提出拟认定名单).

The review starts; the city asks its staff for the materials review and the on-site verification, and experts for
their review (review tasks); each assignee writes an opinion that completes the task; and the city proposes the
application (on the round's proposed list in compilation), returns it to its district, or does not certify it,
always with the opinions in front of it."""

from decimal import Decimal
from statistics import fmean, pstdev

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import DeadlineKind
from accounts.deadlines import deadline_open
from accounts.inbox import district_officials
from accounts.models import MessageKind, Organisation, OrganisationKind
from applications import access
from applications.choices import OPEN_REVIEW_TASK_STATES, ReviewTaskKind, ReviewTaskStatus
from applications.models import (
    CITY_REVIEW_KINDS,
    CertificationApplication,
    CertificationStatus,
    Conclusion,
    ProposedList,
    ProposedListStatus,
    ReviewTask,
    TaskOpinion,
    TaskOpinionFile,
)
from applications.services.certification import _applicant_users, certification_url
from applications.services.review import review_task_accept, review_task_complete, review_task_withdraw
from greenfactory.language import portal_language
from greenfactory.uploads import save_upload
from greenfactory.workdays import UnknownCalendarYear
from greenfactory.workflow import COMMENT_MAX_LENGTH, Message, TransitionConflict, fire, lock, reason_required

# The city's own clock on a case it reviews, and the district's when the city sends a case back, in working days.
CITY_REVIEW_WORKING_DAYS = 20
DISTRICT_ANSWER_WORKING_DAYS = 10
MAX_OPINION_FILES = 6


def city_organisation() -> Organisation | None:
    """The city's commission (市经济信息委): whose turn the city's clocks are."""
    return Organisation.objects.filter(kind=OrganisationKind.CITY, status="active").order_by("id").first()


def working_day_clock(subject, kind, organisation, working_days, *, start=None, label, url):
    """An organisation's clock of ``working_days`` working days (after ``start``, today when omitted). A year
    without its official calendar runs on calendar days (7 for each 5) until an administrator enters it; no
    organisation (a misconfigured portal), no clock."""
    if organisation is None:
        return None
    try:
        return deadline_open(subject=subject, kind=kind, organisation=organisation, working_days=working_days,
                             start=start, label=label, url=url)
    except UnknownCalendarYear:
        return deadline_open(subject=subject, kind=kind, organisation=organisation, label=label, url=url,
                             due_on=(start or timezone.localdate()) + timezone.timedelta(days=working_days * 7 // 5))


def _city_clock_open(application):
    return working_day_clock(application, DeadlineKind.CITY_REVIEW, city_organisation(), CITY_REVIEW_WORKING_DAYS,
                             label=str(application), url=certification_url(application))


def _to_applicant(title):
    def messages(row):
        return [Message(recipients=_applicant_users(row), kind=MessageKind.DECISION, title=title,
                        body=row.city_reason, url=certification_url(row))]
    return messages


def city_review_start(*, application, actor, request=None) -> CertificationApplication:
    """The city takes a recommended application into its review; its own clock starts (working days)."""
    with transaction.atomic(), portal_language():
        row = fire(application, "start_city_review", actor=actor, request=request,
                   url=certification_url(application),
                   messages=_to_applicant(_("您单位的认定申报已进入市级审查")))
        _city_clock_open(row)
    return row


# --- The tasks of the review and their opinions ----------------------------------------------------------------------


def city_review_tasks(application) -> list[ReviewTask]:
    """The tasks of the city's review on the case, each with its opinion (or None) and files, oldest first."""
    tasks = list(ReviewTask.objects.filter(certification_application=application, kind__in=CITY_REVIEW_KINDS)
                 .select_related("assignee_user", "assigned_by", "opinion")
                 .prefetch_related("opinion__files").order_by("assigned_at", "id"))
    for task in tasks:
        try:
            task.written = task.opinion
        except TaskOpinion.DoesNotExist:
            task.written = None
    return tasks


def expert_scores(tasks) -> dict | None:
    """The experts' scores of the review (their mean, lowest, highest, spread and standard deviation), or None when
    no expert has scored yet."""
    scores = [task.written.score for task in tasks if task.kind == ReviewTaskKind.EXPERT_REVIEW
              and task.written is not None and task.written.score is not None]
    if not scores:
        return None
    floats = [float(score) for score in scores]
    return {"count": len(scores), "mean": Decimal(str(round(fmean(floats), 1))), "low": min(scores),
            "high": max(scores), "spread": max(scores) - min(scores),
            "deviation": Decimal(str(round(pstdev(floats), 1)))}


def _opinion_errors(task, *, conclusion, findings, visited_on, score) -> dict:
    errors = {}
    if conclusion not in Conclusion.values:
        errors["conclusion"] = _("请选择结论。")
    if not findings:
        errors["findings"] = _("请填写意见。")
    elif len(findings) > COMMENT_MAX_LENGTH:
        errors["findings"] = _("意见最多 %(limit)d 个字。") % {"limit": COMMENT_MAX_LENGTH}
    if task.kind == ReviewTaskKind.ON_SITE:
        if visited_on is None:
            errors["visited_on"] = _("请填写现场核实的日期。")
        elif visited_on > timezone.localdate():
            errors["visited_on"] = _("核实日期不能晚于今天。")
        elif visited_on < timezone.localdate(task.assigned_at):
            errors["visited_on"] = _("核实日期不能早于任务指派日期（%(date)s）。") % {
                "date": timezone.localdate(task.assigned_at)}
    if task.kind == ReviewTaskKind.EXPERT_REVIEW:
        if score is None:
            errors["score"] = _("请填写评分。")
        elif not Decimal("0") <= score <= Decimal("100"):
            errors["score"] = _("评分应在0至100之间。")
    return errors


def task_opinion_write(*, task, actor, conclusion, findings, visited_on=None, score=None, files=(),
                       request=None) -> TaskOpinion:
    """The assignee writes the opinion of a city review task (the conclusion, the findings, the visit's date of an
    on-site verification, the score of an expert review, and up to six files such as photos) and so completes the
    task. Only the task's assignee, while the case is in the city's review; ValidationError names each field."""
    if task.kind not in CITY_REVIEW_KINDS or not access.is_review_task_assignee(actor, task):
        raise PermissionDenied(_("只有该任务的承办人可以填写意见。"))
    findings = (findings or "").strip()
    files = list(files)
    errors = _opinion_errors(task, conclusion=conclusion, findings=findings, visited_on=visited_on, score=score)
    if len(files) > MAX_OPINION_FILES:
        errors["files"] = _("最多上传%(n)d个附件。") % {"n": MAX_OPINION_FILES}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        application = lock(CertificationApplication.objects.get(pk=task.object_id))
        if application.status != CertificationStatus.CITY_REVIEW:
            raise TransitionConflict(_("该申报已不在市级审查阶段，不能再填写意见。"),
                                     url=certification_url(application))
        task = lock(task)
        if task.status not in OPEN_REVIEW_TASK_STATES:
            raise TransitionConflict(_("该任务已结束，不能再填写意见。"), url=certification_url(application))
        if task.status == ReviewTaskStatus.ASSIGNED:
            task = review_task_accept(task=task, actor=actor, request=request)
        opinion = TaskOpinion.objects.create(
            task=task, conclusion=conclusion, findings=findings, written_by=actor,
            visited_on=visited_on if task.kind == ReviewTaskKind.ON_SITE else None,
            score=score if task.kind == ReviewTaskKind.EXPERT_REVIEW else None)
        for uploaded in files:
            save_upload(uploaded, TaskOpinionFile(opinion=opinion), actor=actor, request=request)
        summary = _("%(conclusion)s：%(findings)s") % {"conclusion": opinion.get_conclusion_display(),
                                                       "findings": findings}
        review_task_complete(task=task, actor=actor, request=request, by_case=True,
                             comment=summary[:COMMENT_MAX_LENGTH])
    return opinion


# --- The city's decision on the case ---------------------------------------------------------------------------------


def review_gaps(application, tasks=None) -> list[str]:
    """What the city's review still lacks before the application can be proposed (第十一条: the materials reviewed,
    the unit verified on site, the experts' (or a third party's) review), each as a sentence."""
    tasks = city_review_tasks(application) if tasks is None else tasks
    gaps = []
    if any(task.status in OPEN_REVIEW_TASK_STATES for task in tasks):
        gaps.append(_("尚有未完成的审查任务。"))
    done = {kind: [t.written for t in tasks if t.kind == kind and t.written is not None]
            for kind in CITY_REVIEW_KINDS}
    if not any(o.conclusion == Conclusion.MET for o in done[ReviewTaskKind.MATERIALS_REVIEW]):
        gaps.append(_("材料审查尚无“符合”的结论。"))
    if not any(o.conclusion == Conclusion.MET for o in done[ReviewTaskKind.ON_SITE]):
        gaps.append(_("现场核实尚无“符合”的结论。"))
    if not done[ReviewTaskKind.EXPERT_REVIEW]:
        gaps.append(_("尚无专家评审意见。"))
    return gaps


def dissent(application, tasks=None) -> bool:
    """Whether a completed opinion of the review concluded 不符合 (the city must then say why it proposes)."""
    tasks = city_review_tasks(application) if tasks is None else tasks
    return any(t.written is not None and t.written.conclusion == Conclusion.NOT_MET for t in tasks)


def open_proposed_list(certification_round, actor) -> ProposedList:
    """The round's list in compilation, started (numbered after the last) when there is none."""
    current = ProposedList.objects.filter(round=certification_round, status=ProposedListStatus.OPEN).first()
    if current is not None:
        return current
    number = (ProposedList.objects.filter(round=certification_round).aggregate(top=Max("number"))["top"] or 0) + 1
    try:
        with transaction.atomic():
            return ProposedList.objects.create(round=certification_round, number=number, created_by=actor)
    except IntegrityError:
        return ProposedList.objects.get(round=certification_round, status=ProposedListStatus.OPEN)


def certification_propose(*, application, actor, comment="", request=None) -> CertificationApplication:
    """Put the application on the round's proposed list in compilation (拟认定名单): only when the review has no gap
    (``review_gaps``); a reason is required when an opinion of the review concluded 不符合."""
    comment = (comment or "").strip()

    def guard(row):
        tasks = city_review_tasks(row)
        gaps = review_gaps(row, tasks)
        if gaps:
            raise ValidationError(_("尚不能列入拟认定名单：%(gaps)s") % {"gaps": " ".join(gaps)})
        if dissent(row, tasks) and not comment:
            raise ValidationError({"reason": _("有审查意见结论为“不符合”，列入拟认定名单须写明理由。")})

    def prepare(row):
        row.proposed_list = open_proposed_list(row.round, actor)

    with transaction.atomic(), portal_language():
        row = fire(application, "propose", actor=actor, comment=comment, request=request, guards=[guard],
                   prepare=prepare, related=("round",), url=certification_url(application),
                   messages=_to_applicant(_("您单位已列入拟认定名单，待征求意见和公示")))
    return row


def _withdraw_open_tasks(application, actor, reason, request):
    for task in ReviewTask.objects.filter(certification_application=application, kind__in=CITY_REVIEW_KINDS,
                                          status__in=OPEN_REVIEW_TASK_STATES):
        review_task_withdraw(task=task, actor=actor, reason=reason, request=request, messages=lambda row: [
            Message(recipients=[row.assignee_user], kind=MessageKind.TASK, body=reason,
                    title=_("%(kind)s任务已撤回：%(case)s") % {"kind": row.get_kind_display(),
                                                             "case": application.unit_name})])


def _refuse_once_published(row):
    if row.proposed_list_id is not None and row.proposed_list.status not in (ProposedListStatus.OPEN,
                                                                           ProposedListStatus.CONSULTING):
        raise TransitionConflict(_("拟认定名单已经公示，该单位的结果由公示和异议处理决定。"),
                                 url=certification_url(row))


def certification_unpropose(*, application, actor, reason, request=None) -> CertificationApplication:
    """Take the application off the proposed list, before the list is published (a department's objection, a fact
    found late), back into the city's review, with the reason."""
    reason = reason_required(reason, _("请填写移出拟认定名单的原因。"))
    with transaction.atomic(), portal_language():
        row = fire(application, "unpropose", actor=actor, comment=reason, request=request,
                   guards=[_refuse_once_published], related=("proposed_list",), url=certification_url(application),
                   messages=_to_applicant(_("您单位已被移出拟认定名单，市经济信息委将继续审查")))
        _city_clock_open(row)
    return row


def certification_city_return(*, application, actor, reason, request=None) -> CertificationApplication:
    """Send the application back to its district with the reasons (open tasks of the review are withdrawn): the
    district reviews it again and may recommend it again after the round's deadline, within its own clock."""
    reason = reason_required(reason, _("请填写退回原因。"))
    with transaction.atomic(), portal_language():
        _withdraw_open_tasks(application, actor, reason, request)
        row = fire(application, "city_return", actor=actor, comment=reason, request=request,
                   url=certification_url(application), related=("round",),
                   messages=lambda row: [
                       Message(recipients=lambda: district_officials(row.district_id), kind=MessageKind.TASK,
                               title=_("市经济信息委退回了%(name)s的认定申报") % {"name": row.unit_name},
                               body=reason, url=certification_url(row)),
                       *_to_applicant(_("您单位的认定申报被市经济信息委退回区县"))(row)])
        district = Organisation.objects.filter(kind=OrganisationKind.DISTRICT, district_id=row.district_id,
                                               status="active").order_by("id").first()
        working_day_clock(row, DeadlineKind.CERTIFICATION_RECOMMENDATION, district, DISTRICT_ANSWER_WORKING_DAYS,
                          label=str(row), url=certification_url(row))
    return row


def certification_city_reject(*, application, actor, reason, request=None) -> CertificationApplication:
    """The city does not certify the application (final), with its reasons; open tasks of the review are withdrawn.
    Not once its list is published: the notice and the objections decide then."""
    reason = reason_required(reason, _("请填写不予认定的原因。"))
    with transaction.atomic(), portal_language():
        _withdraw_open_tasks(application, actor, reason, request)
        row = fire(application, "city_reject", actor=actor, comment=reason, request=request,
                   guards=[_refuse_once_published], related=("proposed_list",), url=certification_url(application),
                   messages=_to_applicant(_("您单位的认定申报未予认定")))
    return row
