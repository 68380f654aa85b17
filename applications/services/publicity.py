"""The proposed list's way to the decision (第十一条: 提出拟认定名单并征求市级相关部门意见建议，在市经济信息委官网
公示5个工作日，经公示无异议后，由市经济信息委发文认定): the city sends the list to the departments with a deadline, each
department answers unit by unit, the city publishes the notice for five working days on the official calendar,
anyone may object during it, the city handles each objection, and, once the notice has ended with nothing pending,
issues the decision that certifies the units still on it."""

import hashlib

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_record
from accounts.choices import DeadlineKind, Role
from accounts.inbox import city_officials, district_officials, notification_send
from accounts.models import AuditAction, MessageKind, User
from accounts.tasks import send_plain_email
from applications import access
from applications.choices import OPEN_REVIEW_TASK_STATES, ReviewTaskKind, ReviewTaskStatus
from applications.models import (
    NOTICE_WORKING_DAYS,
    OPEN_OBJECTION_STATES,
    CertificationApplication,
    CertificationDecision,
    CertificationStatus,
    DepartmentOpinion,
    DepartmentOpinionFile,
    Objection,
    ObjectionFile,
    ProposedList,
    ProposedListStatus,
    PublicNotice,
    ReviewTask,
)
from applications.services.certification import _applicant_users, certification_url
from applications.services.certification_rounds import (
    document_number_of,
    document_number_taken,
    official_number_error,
    personal_data_error,
)
from applications.services.city_review import city_organisation, working_day_clock
from applications.services.review import (
    review_task_accept,
    review_task_assign,
    review_task_complete,
    review_task_withdraw,
)
from applications.services.titles import titles_grant
from greenfactory.language import portal_language
from greenfactory.uploads import save_upload
from greenfactory.validators import phone_validator
from greenfactory.workdays import UnknownCalendarYear, WorkingCalendar
from greenfactory.workflow import COMMENT_MAX_LENGTH, Message, TransitionConflict, fire, lock, reason_required

MAX_OBJECTION_FILES = 3
MAX_DEPARTMENT_FILES = 3
# The city's clocks: handling an objection, and issuing the decision once the notice has ended (working days).
OBJECTION_WORKING_DAYS = 5
DECISION_WORKING_DAYS = 10


def list_url(proposed_list) -> str:
    return reverse("applications:proposed_list_detail", args=[proposed_list.public_id])


def members(proposed_list):
    """The applications on the list, in the order the list shows them (kind, district, name)."""
    return (CertificationApplication.objects.filter(proposed_list=proposed_list)
            .select_related("district", "industry").order_by("unit_kind", "district__code", "unit_name", "id"))


def _refuse_unless_city(actor):
    if not access.is_city_officer(actor):
        raise PermissionDenied(_("只有市经济信息委可以办理。"))


def _working_day_clock(subject, kind, working_days, *, start=None, label, url):
    """The city's clock on a list or an objection (city_review.working_day_clock)."""
    return working_day_clock(subject, kind, city_organisation(), working_days, start=start, label=label, url=url)


# --- The departments' opinions (征求市级相关部门意见) -----------------------------------------------------------------


def department_users():
    """The active liaisons of the city departments whose units are approved: whom a list can be sent to."""
    return (User.objects.filter(role=Role.DEPARTMENT, is_active=True, organisation__status="active")
            .select_related("organisation").order_by("organisation__name", "id"))


def proposed_list_send(*, proposed_list, actor, departments, due_on, note="", request=None) -> ProposedList:
    """Send the list in compilation to the chosen departments' liaisons for their opinions by ``due_on`` (each a
    review task: reminded before, chased after); the list is closed to new units (the next proposed unit starts the
    round's next list). Refused for an empty list, without a department, or with a date in the past."""
    departments = list(departments)
    errors = {}
    if not departments:
        errors["departments"] = _("请至少选择一个征求意见的部门。")
    if due_on is None or due_on <= timezone.localdate():
        errors["due_on"] = _("反馈期限应晚于今天。")
    if errors:
        raise ValidationError(errors)

    def guard(row):
        if not CertificationApplication.objects.filter(proposed_list=row).exists():
            raise ValidationError(_("名单中还没有单位，不能征求意见。"))

    def prepare(row):
        row.opinions_due_on = due_on

    with transaction.atomic(), portal_language():
        row = fire(proposed_list, "send", actor=actor, request=request, guards=[guard], prepare=prepare,
                   related=("round",), url=list_url(proposed_list), detail={"due_on": due_on.isoformat(),
                                                                             "departments": len(departments)})
        for user in departments:
            review_task_assign(case=row, actor=actor, kind=ReviewTaskKind.DEPARTMENT_OPINION, assignee=user,
                               due_on=due_on, note=note, request=request)
    return row


def department_tasks(proposed_list):
    return list(ReviewTask.objects.filter(proposed_list=proposed_list, kind=ReviewTaskKind.DEPARTMENT_OPINION)
                .select_related("assignee_user__organisation").order_by("assigned_at", "id"))


def department_opinions_save(*, task, actor, answers: dict, files: dict | None = None, submit=False,
                             request=None) -> list[DepartmentOpinion]:
    """The department's liaison answers unit by unit (``answers``: application id → (objection, reasons); an
    objection needs its reasons) with files (``files``: application id → uploaded files); ``submit`` sends the
    answer, which needs every unit answered and completes the task. Only the task's assignee, while the list is out
    for opinions and the task open."""
    if task.kind != ReviewTaskKind.DEPARTMENT_OPINION or not access.is_review_task_assignee(actor, task):
        raise PermissionDenied(_("只有被征求意见的部门可以填写。"))
    files = files or {}
    with transaction.atomic():
        proposed_list = lock(ProposedList.objects.get(pk=task.object_id))
        if proposed_list.status != ProposedListStatus.CONSULTING:
            raise TransitionConflict(_("该名单已结束征求意见。"), url=list_url(proposed_list))
        task = lock(task)
        if task.status not in OPEN_REVIEW_TASK_STATES:
            raise TransitionConflict(_("您已提交意见，不能再修改。"), url=list_url(proposed_list))
        units = {a.pk: a for a in members(proposed_list)}
        existing = {o.application_id: o for o in task.department_opinions.all()}
        errors = {}
        for application_id, (objection, reasons) in answers.items():
            if application_id not in units:
                continue
            reasons = (reasons or "").strip()
            if objection is None:
                continue
            if objection and not reasons:
                errors[f"reasons_{application_id}"] = _("提出异议须写明理由。")
                continue
            if len(reasons) > COMMENT_MAX_LENGTH:
                errors[f"reasons_{application_id}"] = _("意见最多 %(limit)d 个字。") % {"limit": COMMENT_MAX_LENGTH}
                continue
            opinion = existing.get(application_id)
            if opinion is None:
                existing[application_id] = DepartmentOpinion.objects.create(
                    task=task, application_id=application_id, objection=objection, reasons=reasons, written_by=actor)
            elif (opinion.objection, opinion.reasons) != (objection, reasons):
                opinion.objection, opinion.reasons = objection, reasons
                opinion.written_by, opinion.written_at = actor, timezone.now()
                opinion.save(update_fields=["objection", "reasons", "written_by", "written_at"])
        for application_id, uploads in files.items():
            uploads = list(uploads)
            opinion = existing.get(application_id)
            if not uploads:
                continue
            if opinion is None:
                errors[f"reasons_{application_id}"] = _("请先选择该单位的意见，再上传附件。")
                continue
            if opinion.files.count() + len(uploads) > MAX_DEPARTMENT_FILES:
                errors[f"reasons_{application_id}"] = _("每个单位最多上传%(n)d个附件。") % {"n": MAX_DEPARTMENT_FILES}
                continue
            for uploaded in uploads:
                save_upload(uploaded, DepartmentOpinionFile(opinion=opinion), actor=actor, request=request)
        if errors:
            raise ValidationError(errors)
        if submit:
            missing = [units[pk].unit_name for pk in units if pk not in existing]
            if missing:
                raise ValidationError(_("以下单位尚未填写意见：%(names)s。") % {"names": "、".join(missing)})
            if task.status == ReviewTaskStatus.ASSIGNED:
                task = review_task_accept(task=task, actor=actor, request=request)
            objections = sum(1 for o in existing.values() if o.objection)
            review_task_complete(task=task, actor=actor, request=request, by_case=True,
                                 comment=_("无异议%(none)d家，有异议%(some)d家。") % {
                                     "none": len(existing) - objections, "some": objections})
    return list(existing.values())


def opinions_matrix(proposed_list, units=None, tasks=None, *, submitted_only=False) -> list[dict]:
    """The departments' answers side by side: a row per unit, a cell per department task (its opinion or None).
    ``submitted_only``: the city reads a department's answer once it is submitted, not its saved draft."""
    units = list(members(proposed_list)) if units is None else units
    tasks = department_tasks(proposed_list) if tasks is None else tasks
    shown = [t.pk for t in tasks if not submitted_only or t.status == ReviewTaskStatus.DONE]
    opinions = {(o.task_id, o.application_id): o for o in DepartmentOpinion.objects.filter(
        task__in=shown).prefetch_related("files")}
    return [{"application": unit, "cells": [opinions.get((task.pk, unit.pk)) for task in tasks],
             "objections": sum(1 for task in tasks if getattr(opinions.get((task.pk, unit.pk)), "objection", False))}
            for unit in units]


# --- The public notice (公示) ----------------------------------------------------------------------------------------


def notice_end(starts_on, calendar=None):
    """The last day of a notice starting on ``starts_on``: the fifth working day counting the first (第十一条: 公示
    5个工作日), on the official calendar with its holidays and make-up working days. The first day must be a working
    day. Raises ValidationError for a first day off, and for a year whose calendar nobody has entered."""
    calendar = calendar or WorkingCalendar()
    try:
        if not calendar.is_working_day(starts_on):
            following = calendar.add_working_days(starts_on, 1)
            raise ValidationError({"starts_on": _("公示开始日期%(day)s不是工作日，下一个工作日是%(next)s。") % {
                "day": starts_on, "next": following}})
        return calendar.add_working_days(starts_on, NOTICE_WORKING_DAYS - 1)
    except UnknownCalendarYear as error:
        raise ValidationError({"starts_on": _("%(year)s年的节假日安排尚未录入，无法计算公示期，请联系管理员。")
                               % {"year": error.year}}) from None


def publication_gaps(proposed_list, tasks=None, today=None) -> list[str]:
    """Why the list cannot be published yet: departments that have neither answered nor run past their deadline."""
    today = today or timezone.localdate()
    tasks = department_tasks(proposed_list) if tasks is None else tasks
    waiting = [t for t in tasks if t.status in OPEN_REVIEW_TASK_STATES and t.due_on >= today]
    if waiting:
        return [_("以下部门尚未反馈意见，反馈期限未到：%(names)s。") % {"names": "、".join(
            t.assignee_user.organisation.name if t.assignee_user.organisation_id else str(t.assignee_user)
            for t in waiting)}]
    return []


def notice_publish(*, proposed_list, actor, title, body, contact, starts_on, request=None) -> PublicNotice:
    """Publish the list as the public notice from ``starts_on`` (today or later, a working day) for five working
    days. Every department must have answered or let its deadline pass (those still silent are withdrawn and
    recorded); each unit on the list goes into the notice and is told."""
    _refuse_unless_city(actor)
    errors = {}
    if starts_on is None or starts_on < timezone.localdate():
        errors["starts_on"] = _("公示开始日期不能早于今天。")
    for name, value in (("title", title), ("body", body), ("contact", contact)):
        if not (value or "").strip():
            errors[name] = _("请填写此项。")
        elif personal_data_error(value):
            errors[name] = personal_data_error(value)
    if errors:
        raise ValidationError(errors)
    ends_on = notice_end(starts_on)

    def guard(row):
        gaps = publication_gaps(row)
        if gaps:
            raise ValidationError(gaps)
        if not CertificationApplication.objects.filter(proposed_list=row,
                                                       status=CertificationStatus.PROPOSED).exists():
            raise ValidationError(_("名单中没有待公示的单位。"))

    with transaction.atomic(), portal_language():
        row = fire(proposed_list, "publish", actor=actor, request=request, guards=[guard], related=("round",),
                   url=list_url(proposed_list), detail={"starts_on": starts_on.isoformat(),
                                                        "ends_on": ends_on.isoformat()})
        for task in ReviewTask.objects.filter(proposed_list=row, kind=ReviewTaskKind.DEPARTMENT_OPINION,
                                              status__in=OPEN_REVIEW_TASK_STATES):
            review_task_withdraw(task=task, actor=actor, request=request,
                                 reason=_("反馈期限已过，名单已公示。"))
        notice = PublicNotice.objects.create(proposed_list=row, title=title.strip(), body=body.strip(),
                                             contact=contact.strip(), starts_on=starts_on, ends_on=ends_on,
                                             published_by=actor)
        for application in CertificationApplication.objects.filter(proposed_list=row,
                                                                    status=CertificationStatus.PROPOSED):
            fire(application, "publicise", actor=actor, request=request, url=certification_url(application),
                 messages=lambda a: [Message(recipients=_applicant_users(a), kind=MessageKind.DECISION,
                                             title=_("您单位已列入拟认定名单进行公示"),
                                             body=_("公示期：%(start)s至%(end)s。") % {"start": starts_on,
                                                                                     "end": ends_on},
                                             url=certification_url(a))])
        _working_day_clock(row, DeadlineKind.CERTIFICATION_DECISION, DECISION_WORKING_DAYS, start=ends_on,
                           label=str(row), url=list_url(row))
    return notice


# --- Objections (异议) -----------------------------------------------------------------------------------------------


def source_of(address: str) -> str:
    """Where an objection came from, kept as a keyed hash: enough to see a flood, nothing to read back."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address or ''}".encode()).hexdigest()


def objection_file(*, notice, application, name, phone, email, content, files=(), address="", now=None,
                   request=None) -> Objection:
    """Anyone files an objection to a unit on an open notice, under a real name with a phone or an e-mail (never
    shown publicly), with up to three evidence files. Refused in Chinese before the notice opens and after the end of
    its last day (Asia/Shanghai); the city is told and its clock starts."""
    now = now or timezone.now()
    if now < notice.opens_at():
        raise ValidationError(_("公示尚未开始，暂不受理异议。"))
    if notice.has_ended(now):
        raise ValidationError(_("公示期已于%(end)s结束，不再受理异议。如有情况，请通过%(contact)s反映。") % {
            "end": notice.ends_on, "contact": notice.contact})
    files = list(files)
    name, content = (name or "").strip(), (content or "").strip()
    phone, email = (phone or "").strip(), (email or "").strip()
    errors = {}
    if len(name) < 2:
        errors["name"] = _("请填写异议人的真实姓名或单位名称。")
    if not phone and not email:
        errors["phone"] = _("请至少填写联系电话或电子邮箱中的一项，以便反馈处理结果。")
    elif phone:
        try:
            phone_validator(phone)
        except ValidationError as error:
            errors["phone"] = error.messages[0]
    if not content:
        errors["content"] = _("请填写异议内容。")
    if len(files) > MAX_OBJECTION_FILES:
        errors["files"] = _("最多上传%(n)d个证明材料。") % {"n": MAX_OBJECTION_FILES}
    if application is None or application.proposed_list_id != notice.proposed_list_id \
            or application.status != CertificationStatus.IN_PUBLICITY:
        errors["application"] = _("请选择本次公示名单中的单位。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        objection = Objection(notice=notice, application=application, name=name, phone=phone, email=email,
                              content=content, source=source_of(address))
        objection.full_clean(exclude=["status"])
        objection.save()
        for uploaded in files:
            save_upload(uploaded, ObjectionFile(objection=objection), actor=None, request=request)
        audit_record(action=AuditAction.CREATED, actor=None, obj=objection, request=request,
                     detail={"notice": str(notice.public_id), "unit": application.unit_name, "files": len(files)})
        url = list_url(notice.proposed_list)
        _working_day_clock(objection, DeadlineKind.OBJECTION_HANDLING, OBJECTION_WORKING_DAYS,
                           label=str(objection), url=url)
        with portal_language():
            notification_send(recipients=city_officials(), kind=MessageKind.TASK, url=url,
                              title=_("收到公示异议：%(unit)s") % {"unit": application.unit_name},
                              body=_("请在%(days)d个工作日内调查核实并处理。") % {"days": OBJECTION_WORKING_DAYS})
    return objection


def _mail_objector(objection):
    if not objection.email:
        return
    with portal_language():
        subject = _("关于您对%(unit)s所提异议的处理结果") % {"unit": objection.application.unit_name}
        body = _("%(name)s：\n\n您于%(date)s对公示名单中%(unit)s提出的异议，经调查核实，%(result)s。"
                 "\n\n处理意见：%(outcome)s\n\n%(issuer)s") % {
            "name": objection.name, "date": timezone.localtime(objection.filed_at).date(),
            "unit": objection.application.unit_name, "result": objection.get_status_display(),
            "outcome": objection.outcome, "issuer": _("重庆市经济和信息化委员会")}
    send_plain_email.delay_on_commit(subject, body, objection.email)


def objection_investigate(*, objection, actor, comment="", request=None) -> Objection:
    with portal_language():
        return fire(objection, "investigate", actor=actor, comment=comment, request=request,
                    url=list_url(objection.notice.proposed_list))


def objection_uphold(*, objection, actor, reason, request=None) -> Objection:
    """The objection holds: the unit is not certified, with the reasons; the applicant is told, the objector mailed."""
    reason = reason_required(reason, _("请填写处理意见。"))
    with transaction.atomic(), portal_language():
        row = fire(objection, "uphold", actor=actor, comment=reason, request=request,
                   prepare=lambda r: setattr(r, "handled_by", actor), related=("application", "notice"),
                   url=list_url(objection.notice.proposed_list))
        if row.application.status != CertificationStatus.IN_PUBLICITY:
            # An earlier objection already took the unit off: this one holds too, the unit stays as it is.
            _mail_objector(row)
            return row
        fire(row.application, "objection_upheld", actor=actor, comment=reason, request=request,
             url=certification_url(row.application),
             messages=lambda a: [Message(recipients=_applicant_users(a), kind=MessageKind.DECISION, body=reason,
                                         title=_("公示期间对您单位的异议经核实成立，不予认定"),
                                         url=certification_url(a)),
                                 Message(recipients=lambda: district_officials(a.district_id),
                                         kind=MessageKind.DECISION, body=reason, url=certification_url(a),
                                         title=_("%(name)s 公示异议成立，不予认定") % {"name": a.unit_name})])
        _mail_objector(row)
    return row


def objection_dismiss(*, objection, actor, reason, request=None) -> Objection:
    """The objection does not hold, with the reasons; the objector is mailed."""
    reason = reason_required(reason, _("请填写处理意见。"))
    with transaction.atomic(), portal_language():
        row = fire(objection, "dismiss", actor=actor, comment=reason, request=request,
                   prepare=lambda r: setattr(r, "handled_by", actor), related=("application", "notice"),
                   url=list_url(objection.notice.proposed_list))
        _mail_objector(row)
    return row


# --- The decision (发文认定) -----------------------------------------------------------------------------------------


def decision_gaps(proposed_list, now=None) -> list[str]:
    """Why the decision cannot be issued yet: the notice has not ended, or an objection is still open."""
    gaps = []
    notice = getattr(proposed_list, "notice", None)
    if notice is None:
        return [_("名单尚未公示。")]
    if not notice.has_ended(now):
        gaps.append(_("公示期至%(end)s结束，期满后方可发文认定。") % {"end": notice.ends_on})
    pending = notice.objections.filter(status__in=OPEN_OBJECTION_STATES).count()
    if pending:
        gaps.append(_("尚有%(n)d条异议未处理。") % {"n": pending})
    return gaps


def decision_issue(*, proposed_list, actor, title, document_number, issuer, issued_on, body,
                   request=None) -> CertificationDecision:
    """Issue the decision on a publicised list (第十一条: 经公示无异议后，由市经济信息委发文认定): refused before the
    notice ends or while an objection is open. Each unit still in the notice is certified and granted its title
    (第十二条); the list is closed and the city's clock stops."""
    _refuse_unless_city(actor)
    document_number = document_number_of(document_number)
    errors = {}
    number_error = official_number_error(document_number, issued_on=issued_on)
    if number_error:
        errors["document_number"] = number_error
    elif document_number_taken(document_number):
        errors["document_number"] = _("该文号已被其他文件使用。")
    if issued_on is None or issued_on > timezone.localdate():
        errors["issued_on"] = _("发文日期不能晚于今天。")
    for name, value in (("title", title), ("issuer", issuer), ("body", body)):
        if not (value or "").strip():
            errors[name] = _("请填写此项。")
        elif personal_data_error(value):
            errors[name] = personal_data_error(value)
    if errors:
        raise ValidationError(errors)

    def guard(row):
        gaps = decision_gaps(row)
        if gaps:
            raise ValidationError(gaps)
        if issued_on < row.notice.ends_on:
            raise ValidationError({"issued_on": _("发文日期不能早于公示截止日期（%(end)s）。") % {
                "end": row.notice.ends_on}})

    with transaction.atomic(), portal_language():
        row = fire(proposed_list, "decide", actor=actor, request=request, guards=[guard],
                   related=("round", "notice"), url=list_url(proposed_list),
                   detail={"document_number": document_number})
        decision = CertificationDecision.objects.create(
            proposed_list=row, title=title.strip(), document_number=document_number, issuer=issuer.strip(),
            issued_on=issued_on, body=body.strip(), issued_by=actor)
        certified = []
        for application in CertificationApplication.objects.filter(proposed_list=row,
                                                                    status=CertificationStatus.IN_PUBLICITY):
            certified.append(fire(
                application, "certify", actor=actor, request=request, url=certification_url(application),
                comment=document_number,
                messages=lambda a: [Message(recipients=_applicant_users(a), kind=MessageKind.DECISION,
                                            title=_("您单位已被认定为%(title)s") % {
                                                "title": _("重庆市绿色园区") if a.is_park else _("重庆市绿色工厂")},
                                            body=document_number, url=certification_url(a))]))
        titles_grant(decision=decision, applications=certified, actor=actor, request=request)
    return decision
