"""Writes of certification, part 1 (第三条、第六条至第十条): the city's annual round; the application of a factory or a
park with its basic conditions; the commission of a third-party evaluator and the report's outcome (facts handed down
by ``evaluation``); submission to the district. The district's review passes are in ``certification_review``.

Every change of the application's state goes through ``greenfactory.workflow.fire``; only this app's services fire
its transitions."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.audit import audit_record
from accounts.choices import DeadlineKind
from accounts.deadlines import deadline_open
from accounts.inbox import district_officials
from accounts.models import AuditAction, MessageKind, Organisation, OrganisationKind
from applications import access
from applications.choices import ENDED_UNDONE_STATES, ReviewTaskKind, ReviewTaskStatus
from applications.models import (
    CONDITIONS,
    EDITABLE_STATES,
    VETO_CONDITIONS,
    CertificationApplication,
    CertificationRound,
    CertificationStatus,
    ConditionAnswer,
    ConditionEvidence,
    LibraryEntry,
    LibraryStatus,
    ReviewTask,
    UnitKind,
)
from applications.services.bans import _refuse_if_banned, ban_in_force
from applications.services.review import (
    review_task_assign,
    review_task_assignee_users,
    review_task_complete,
    review_task_withdraw,
)
from greenfactory.case_pages import case_page
from greenfactory.language import portal_language
from greenfactory.text import clause
from greenfactory.uploads import save_upload
from greenfactory.validators import phone_validator
from greenfactory.workflow import COMMENT_MAX_LENGTH, Message, TransitionConflict, fire, lock, reason_required

# The states in which the applicant may still change its answers to the basic conditions: until it submits, and
# after the district returns the case.
CONDITION_STATES = (CertificationStatus.DRAFT, CertificationStatus.EVALUATOR_COMMISSIONED,
                    CertificationStatus.EVALUATED, CertificationStatus.RETURNED)
# Evidence files per condition: enough for the article's items, not a file store.
MAX_CONDITION_FILES = 10


def certification_url(application) -> str:
    """The application's case page: it shows the scored work too, so an app above registers it
    (``greenfactory.case_pages``); the round's page stands in where none is registered."""
    url_name = case_page("certification_application")
    if url_name is None:
        return reverse("applications:round_detail", args=[application.round.public_id])
    return reverse(url_name, args=[application.public_id])


# --- Starting and filling in ------------------------------------------------------------------------------------------


def _refuse_if_round_closed(certification_round, now=None):
    now = now or timezone.now()
    if timezone.localdate(now) < certification_round.opens_on:
        raise ValidationError(_("本年度认定申报将于%(date)s开始，目前尚不能申报。")
                              % {"date": certification_round.opens_on}, code="not_open")
    if now > certification_round.applications_close_at():
        raise ValidationError(_("本年度认定申报已于%(date)s截止，不能再申报或提交。")
                              % {"date": certification_round.application_deadline}, code="closed")


def ready_library_entry(enterprise_id):
    """第八条 成熟一批，申报一批: the enterprise's library entry its district has marked ready, newest first."""
    return (LibraryEntry.objects.filter(enterprise_id=enterprise_id, status=LibraryStatus.READY)
            .order_by("-entered_at").first())


def _submission_clock_open(application):
    certification_round = application.round
    if timezone.now() > certification_round.applications_close_at():
        return None
    return deadline_open(subject=application, kind=DeadlineKind.CERTIFICATION_SUBMISSION,
                         organisation=application.applicant, due_on=certification_round.application_deadline,
                         label=str(application), url=certification_url(application))


@transaction.atomic
def certification_start(*, certification_round, actor, request=None) -> CertificationApplication:
    """Start the actor's unit's application in the round: an enterprise as a green factory (only from a library
    entry its district has marked ready, 第八条), a park as a green park. One per unit and round: a second start
    returns the first. Raises PermissionDenied for other roles, ValidationError when the round is not open, the unit
    is banned (第十八条) or the factory is not ready."""
    if not access.is_applicant(actor):
        raise PermissionDenied(_("只有企业或园区账号可以申报认定。"))
    unit = actor.organisation
    _refuse_if_round_closed(certification_round)
    _refuse_if_banned(unit)
    existing = CertificationApplication.objects.filter(round=certification_round, applicant=unit).exclude(
        status=CertificationStatus.WITHDRAWN).first()
    if existing:
        return existing
    entry = None
    if unit.kind == OrganisationKind.ENTERPRISE:
        entry = ready_library_entry(unit.pk)
        if entry is None:
            raise ValidationError(_("按“成熟一批，申报一批”（《认定管理办法》第八条），绿色工厂须由培育库中"
                                    "已被区县经信部门标记为“成熟”的企业申报。您单位尚未被标记为成熟，请先完成培育。"),
                                  code="not_ready")
        kind, industry_id = UnitKind.FACTORY, entry.industry_id
    elif unit.kind == OrganisationKind.PARK:
        kind, industry_id = UnitKind.PARK, None
    else:
        raise PermissionDenied(_("只有企业或园区账号可以申报认定。"))
    try:
        with transaction.atomic():
            application = CertificationApplication.objects.create(
                round=certification_round, applicant=unit, unit_kind=kind, district_id=unit.district_id,
                industry_id=industry_id, library_entry=entry, unit_name=unit.name, credit_code=unit.credit_code or "",
                contact_name=actor.full_name, contact_phone=actor.phone, created_by=actor)
    except IntegrityError:
        # A double click: the partial unique constraint kept one.
        return CertificationApplication.objects.exclude(status=CertificationStatus.WITHDRAWN).get(
            round=certification_round, applicant=unit)
    ConditionAnswer.objects.bulk_create([ConditionAnswer(application=application, item=item.value)
                                         for item in CONDITIONS[kind]])
    audit_record(action=AuditAction.CREATED, actor=actor, obj=application, request=request,
                 detail={"round": certification_round.year, "kind": kind, "to": application.status})
    _submission_clock_open(application)
    return application


def locked(application) -> CertificationApplication:
    return lock(application, related=("round",), url=certification_url(application))


def _conflict(application, message=None) -> TransitionConflict:
    return TransitionConflict(message or _("该申报当前状态为“%(state)s”，不能执行此操作，可能已由他人处理。"
                                           "本次操作未执行，请返回查看最新情况。")
                              % {"state": application.get_status_display()},
                              url=certification_url(application))


def refuse_unless_editor(application, actor):
    if not access.can_edit_certification(actor, application):
        raise PermissionDenied(_("只有申报单位可以填写或修改申报材料。"))


@transaction.atomic
def certification_save(*, application, actor, data: dict, answers: dict, request=None) -> CertificationApplication:
    """Save the contact, the summary and the answers to the basic conditions (``answers``: item → {met, statement}).
    Only the applicant, while it may still change them (CONDITION_STATES); 409 otherwise."""
    application = locked(application)
    refuse_unless_editor(application, actor)
    if application.status not in CONDITION_STATES:
        raise _conflict(application)
    errors = {}
    for name in ("contact_name", "contact_phone", "summary"):
        if name in data:
            setattr(application, name, (data[name] or "").strip())
    if application.contact_phone:
        try:
            phone_validator(application.contact_phone)
        except ValidationError as error:
            errors["contact_phone"] = error.messages
    if len(application.summary) > 1000:
        errors["summary"] = _("“创建工作情况”最多1000字，请删减后再保存。")
    now = timezone.now()
    rows = {a.item: a for a in application.answers.all()}
    for item, answer in answers.items():
        row = rows.get(item)
        if row is None:
            continue
        statement = (answer.get("statement") or "").strip()
        if len(statement) > COMMENT_MAX_LENGTH:
            errors[f"statement_{item}"] = _("情况说明最多 %(limit)d 个字。") % {"limit": COMMENT_MAX_LENGTH}
            continue
        met = answer.get("met")
        if (row.met, row.statement) != (met, statement):
            row.met, row.statement, row.updated_at = met, statement, now
            row.save(update_fields=["met", "statement", "updated_at"])
    if errors:
        raise ValidationError(errors)
    application.save()
    return application


def condition_answer(application, item) -> ConditionAnswer:
    answer = application.answers.filter(item=item).first()
    if answer is None:
        raise ValidationError({"item": _("请选择基本条件。")})
    return answer


@transaction.atomic
def condition_evidence_upload(*, application, actor, item, uploaded_file, request=None) -> ConditionEvidence:
    """Store a file proving condition ``item`` through the one document write path (checked, hashed, audited)."""
    application = locked(application)
    refuse_unless_editor(application, actor)
    if application.status not in CONDITION_STATES:
        raise _conflict(application)
    answer = condition_answer(application, item)
    if answer.evidence.count() >= MAX_CONDITION_FILES:
        raise ValidationError({"file": _("每项条件最多上传%(n)d个证明材料。") % {"n": MAX_CONDITION_FILES}})
    document = save_upload(uploaded_file, ConditionEvidence(answer=answer), actor=actor, request=request)
    ConditionAnswer.objects.filter(pk=answer.pk).update(updated_at=timezone.now())
    return document


# --- What the guards read ---------------------------------------------------------------------------------------------


def may_self_evaluate(user, application) -> bool:
    """The applicant fills in its self-evaluation while the case is its own to change (a draft, or returned)."""
    return application.status in EDITABLE_STATES and access.can_edit_certification(user, application)


def may_start_report(user, application, current_report) -> bool:
    """The commissioned organisation starts its on-site evaluation while the current commission has no report."""
    return (application.status == CertificationStatus.EVALUATOR_COMMISSIONED and current_report is None
            and access.is_commissioned_evaluator(user, application))


def certification_vetoes(application) -> list[str]:
    """The negative list (否决项), each with its reason: a ban in force (第十八条), a condition of the negative list
    answered 不符合 (第七条（一）（三）, 第六条（一）（三）), a factory no longer ready (第八条). Any of them stops the
    application."""
    vetoes = []
    ban = ban_in_force(application.applicant)
    if ban:
        vetoes.append(_("称号已于%(start)s被撤销（%(reason)s），%(end)s前不得重新申报（第十八条）。")
                      % {"start": ban.starts_on, "reason": clause(ban.reason), "end": ban.ends_on})
    labels = dict(application.conditions.choices)
    article = _("第六条") if application.is_park else _("第七条")
    for answer in application.answers.all():
        if answer.item in VETO_CONDITIONS and answer.met is False:
            vetoes.append(_("%(article)s（%(number)s）不符合：%(text)s") % {
                "article": article, "number": _chinese_number(answer.item), "text": labels.get(answer.item, "")})
    if application.self_vetoed:
        vetoes.append(_("自评价中有基本要求（一票否决项）不符合，请整改后重新自评价（第九条）。"))
    if (application.unit_kind == UnitKind.FACTORY and application.library_entry_id
            and application.library_entry.status != LibraryStatus.READY):
        vetoes.append(_("培育库中该企业已不再是“成熟”状态（第八条）。"))
    return vetoes


def _chinese_number(item) -> str:
    """An item of an article as the measures number it — （三） — in Chinese; 3 in another language."""
    return "一二三四五六七八"[int(item) - 1] if (get_language() or "zh").startswith("zh") else str(int(item))


def certification_missing(application) -> list[str]:
    """What the application lacks before it can be commissioned or submitted, in the page's order."""
    missing = []
    if not application.contact_name or not application.contact_phone:
        missing.append(_("联系人及联系电话"))
    article = _("第六条") if application.is_park else _("第七条")
    for answer in application.answers.all():
        if answer.met is None or not answer.statement:
            missing.append(_("%(article)s（%(number)s）的符合情况及说明") % {
                "article": article, "number": _chinese_number(answer.item)})
    if application.self_evaluated_at is None:
        missing.append(_("自评价（完成后方可委托第三方评价）"))
    return missing


def _refuse_unless_complete(application):
    vetoes = certification_vetoes(application)
    if vetoes:
        raise ValidationError(_("存在否决项，不能继续申报：%(vetoes)s") % {"vetoes": "；".join(vetoes)}, code="vetoed")
    missing = certification_missing(application)
    if missing:
        raise ValidationError(_("请先完成：%(missing)s。") % {"missing": "、".join(missing)}, code="incomplete")


# --- Facts handed down by evaluation ----------------------------------------------------------------------------------


@transaction.atomic
def certification_record_self_evaluation(*, application, actor, score, vetoed, completed_at,
                                         request=None) -> CertificationApplication:
    """Store the self-evaluation's outcome on the application (evaluation calls this when the applicant completes
    it, or with ``completed_at=None`` when it is changed again). Only while the applicant may change it."""
    application = locked(application)
    refuse_unless_editor(application, actor)
    if application.status not in EDITABLE_STATES:
        raise _conflict(application)
    CertificationApplication.objects.filter(pk=application.pk).update(
        self_score=score, self_vetoed=vetoed, self_evaluated_at=completed_at)
    application.self_score, application.self_vetoed, application.self_evaluated_at = score, vetoed, completed_at
    audit_record(action=AuditAction.CHANGED, actor=actor, obj=application, request=request, detail={
        "self_evaluation": {"score": str(score) if score is not None else None, "vetoed": vetoed,
                            "completed": completed_at is not None}})
    return application


def _round_commissions(certification_round_id):
    """The commissions of a round that count towards the cap: every one not declined or withdrawn (done ones count:
    the cap is on evaluations carried out, 渝经信节能〔2023〕23号)."""
    return ReviewTask.objects.filter(
        kind=ReviewTaskKind.EVALUATION, content_type=ContentType.objects.get_for_model(CertificationApplication),
        object_id__in=CertificationApplication.objects.filter(round_id=certification_round_id).values("pk"),
    ).exclude(status__in=ENDED_UNDONE_STATES)


def evaluations_in_round(organisation_id, certification_round_id) -> int:
    """The commissions an organisation holds in a round."""
    return _round_commissions(certification_round_id).filter(assignee_organisation_id=organisation_id).count()


def most_evaluations_in_round(certification_round_id) -> int:
    """The most commissions any one organisation holds in a round (one query): the lowest cap the round may take."""
    return (_round_commissions(certification_round_id).values("assignee_organisation_id")
            .annotate(held=Count("id")).order_by("-held").values_list("held", flat=True).first() or 0)


def certification_commission(*, application, actor, organisation, due_on, note="",
                             request=None) -> CertificationApplication:
    """The applicant commissions ``organisation`` (checked against the register by evaluation, which passes only an
    organisation that may be chosen) to evaluate it on site (第九条): a review task for the organisation, due
    ``due_on``. Refused when the self-evaluation or a condition is missing, a veto applies, or the organisation has
    reached the round's cap (counted under the round's lock, so two applicants cannot both take the last place)."""
    with transaction.atomic():
        row = locked(application)
        refuse_unless_editor(row, actor)
        if row.status != CertificationStatus.DRAFT:
            raise _conflict(row)
        _refuse_unless_complete(row)
        certification_round = CertificationRound.objects.select_for_update().get(pk=row.round_id)
        if due_on > certification_round.application_deadline:
            raise ValidationError({"due_on": _(
                "要求完成日期不能晚于本年度申报截止日（%(date)s），以便按时提交区县审核。")
                % {"date": certification_round.application_deadline}})
        if evaluations_in_round(organisation.pk, certification_round.pk) >= certification_round.evaluator_cap:
            raise ValidationError({"organisation": _(
                "该评价机构本年度已承接%(cap)d家评价，达到上限，请选择其他机构。")
                % {"cap": certification_round.evaluator_cap}})
        review_task_assign(case=row, actor=actor, kind=ReviewTaskKind.EVALUATION, assignee=organisation,
                           due_on=due_on, note=note, request=request)

        def prepare(fired):
            fired.evaluator = organisation

        with portal_language():
            return fire(row, "commission", actor=actor, request=request, locked=True, prepare=prepare,
                        url=certification_url(row), detail={"organisation": organisation.name,
                                                            "due_on": due_on.isoformat()})


def commission_task(application) -> ReviewTask | None:
    """The application's current commission (not declined), newest first."""
    return (ReviewTask.objects.filter(
        kind=ReviewTaskKind.EVALUATION, content_type=ContentType.objects.get_for_model(CertificationApplication),
        object_id=application.pk).exclude(status__in=ENDED_UNDONE_STATES)
        .select_related("assignee_organisation").order_by("-assigned_at", "-id").first())


def commission_withdrawable(application, task=None, today=None) -> bool:
    """An unanswered commission (not yet accepted), or one accepted and past its due date without a report, may be
    taken back by the applicant to choose another organisation."""
    task = task if task is not None else commission_task(application)
    if application.status != CertificationStatus.EVALUATOR_COMMISSIONED or task is None:
        return False
    if task.status == ReviewTaskStatus.ASSIGNED:
        return True
    return task.status == ReviewTaskStatus.ACCEPTED and task.due_on < (today or timezone.localdate())


def certification_commission_withdraw(*, application, actor, reason, request=None) -> CertificationApplication:
    """The applicant takes its commission back (not yet accepted, or overdue), with its reason: the organisation's
    task is withdrawn (it no longer sees the case and is told) and the case goes back to choose another."""
    reason = reason_required(reason, _("请填写撤回委托的原因。"))
    with transaction.atomic(), portal_language():
        row = locked(application)
        refuse_unless_editor(row, actor)
        task = commission_task(row)
        if not commission_withdrawable(row, task):
            raise _conflict(row, _("评价机构已接受委托且未超过要求完成日期，不能撤回；"
                                   "如需更换，请与评价机构协商由其谢绝。"))
        users = review_task_assignee_users(task)
        review_task_withdraw(task=task, actor=actor, reason=reason, request=request, messages=[Message(
            recipients=users, kind=MessageKind.DECISION, title=_("申报单位撤回了评价委托：%(name)s")
            % {"name": row.unit_name}, body=reason)])
        return fire(row, "commission_withdrawn", actor=actor, comment=reason, request=request, locked=True,
                    url=certification_url(row), detail={"organisation": str(task.assignee_organisation)})


def _applicant_users(application):
    return list(application.applicant.users.filter(is_active=True))


def certification_record_evaluation(*, application, actor, task, score, passed, report_id,
                                    request=None) -> CertificationApplication:
    """The commissioned organisation has issued its report (evaluation calls this in the issuing transaction): the
    score, the conclusion and the report's id go down to the application, which becomes 已出具评价报告, and the
    commission is completed. PermissionDenied for anyone but the commissioned organisation's users."""
    def prepare(row):
        row.evaluation_score, row.evaluation_passed, row.evaluation_report_id = score, passed, report_id

    def messages(row):
        conclusion = _("符合") if passed else _("不符合")
        return [Message(recipients=_applicant_users(row), kind=MessageKind.DECISION,
                        title=_("第三方评价报告已出具：%(conclusion)s") % {"conclusion": conclusion},
                        body=_("%(organisation)s 已出具评价报告，结论为“%(conclusion)s”。") % {
                            "organisation": task.assignee_organisation, "conclusion": conclusion},
                        url=certification_url(row))]

    with transaction.atomic(), portal_language():
        row = fire(application, "evaluate", actor=actor, request=request, prepare=prepare, messages=messages,
                   url=certification_url(application),
                   detail={"score": str(score) if score is not None else None, "passed": passed,
                           "report": str(report_id)})
        review_task_complete(task=task, actor=actor, request=request, by_case=True)
    return row


def certification_restart(*, application, actor, reason, request=None) -> CertificationApplication:
    """After a report concluding 不符合, the applicant rectifies and starts the self-evaluation and commission again
    (the earlier report stays on record)."""
    reason = reason_required(reason, _("请说明整改情况。"))
    with portal_language():
        return fire(application, "restart", actor=actor, comment=reason, request=request,
                    url=certification_url(application))


def _district_clock_open(application):
    district = Organisation.objects.filter(kind=OrganisationKind.DISTRICT, district_id=application.district_id,
                                           status="active").order_by("id").first()
    if district is None:
        return None
    return deadline_open(subject=application, kind=DeadlineKind.CERTIFICATION_RECOMMENDATION, organisation=district,
                         due_on=application.round.recommendation_deadline, label=str(application),
                         url=certification_url(application))


def _to_district(title):
    def messages(row):
        return [Message(recipients=lambda: district_officials(row.district_id), kind=MessageKind.TASK,
                        title=title % {"name": row.unit_name}, url=certification_url(row))]
    return messages


def certification_submit(*, application, actor, request=None) -> CertificationApplication:
    """Submit to the district (第九条: 经第三方评价合格的园区、企业可向所在区县经信部门提出申请): only with a report
    concluding 符合, no veto and nothing missing, before the round's deadline (a case returned by the district may be
    submitted again until the district's deadline). The district's clock starts."""
    def guard(row):
        _refuse_unless_complete(row)
        if row.status == CertificationStatus.RETURNED:
            if not row.round.takes_recommendations():
                raise ValidationError(_("区县推荐已于%(date)s截止，不能再提交。")
                                      % {"date": row.round.recommendation_deadline})
        else:
            _refuse_if_round_closed(row.round)
        if row.evaluation_passed is not True:
            raise ValidationError(_("第三方评价结论为“符合”后方可提交区县审核。"))

    with transaction.atomic(), portal_language():
        row = fire(application, "submit", actor=actor, request=request, guards=[guard], related=("round",),
                   url=certification_url(application),
                   conflict_message=None if application.evaluation_passed is not False else _(
                       "第三方评价结论为“不符合”，不能提交区县审核。请整改后重新评价，或撤回申报。"),
                   messages=_to_district(_("认定申报待审核：%(name)s")))
        _district_clock_open(row)
    return row


def certification_withdraw(*, application, actor, request=None) -> CertificationApplication:
    """The applicant withdraws (before submission, or after a return). It may start again in the round."""
    with portal_language():
        return fire(application, "withdraw", actor=actor, request=request, url=certification_url(application))
