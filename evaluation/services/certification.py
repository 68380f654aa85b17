"""Writes of the scored work of certification (第九条): the applicant's self-evaluation, the evaluator register kept by
the city (第二十条至第二十二条), choosing and commissioning an evaluator from it, and the evaluator's on-site
evaluation and report. The outcome of each goes down to the application through ``applications`` services, which
own its state."""

import unicodedata
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import allowed
from accounts.audit import audit_record
from accounts.models import AuditAction, Organisation, OrganisationKind
from applications import services as applications_services
from applications.access import can_edit_certification, is_commissioned_evaluator
from applications.choices import ReviewTaskStatus
from applications.models import EDITABLE_STATES, CertificationStatus, UnitKind
from applications.services import certification as certification_services
from applications.services import review as review_tasks
from evaluation import scoring
from evaluation.models import (
    EvaluationReport,
    EvaluatorOrganisation,
    RegisterStatus,
    ReportDocument,
    ReportItem,
    SelfEvaluation,
    SelfEvaluationEvidence,
    SelfEvaluationItem,
    Subject,
    YearlyFigures,
)
from evaluation.services.assessments import (
    awaiting_values,
    checked_items,
    items_missing,
    items_store,
    result_record,
    scoring_entries,
)
from evaluation.services.indicators import indicator_system_for, indicator_system_freeze
from greenfactory.credit_code import validate as credit_code_validate
from greenfactory.language import portal_language
from greenfactory.uploads import save_upload
from greenfactory.validators import phone_validator
from greenfactory.workflow import COMMENT_MAX_LENGTH, TransitionConflict, fire, reason_required

MAX_SHEET_DOCUMENTS = 40
# The years of figures an application shows (第七条（七）、第六条（七）: the indicators over the last three years).
FIGURE_YEARS = 3


# --- The evaluator register -------------------------------------------------------------------------------------------

REGISTER_FIELDS = ("legal_representative", "contact_name", "contact_phone", "contact_email", "address",
                   "qualifications", "staff_count")


def _refuse_unless_keeper(actor):
    if not allowed("evaluation.keep_register", actor):
        raise PermissionDenied(_("只有市经济信息委可以维护第三方评价机构名录。"))


@transaction.atomic
def register_save(*, actor, name, credit_code, data: dict, register=None, request=None) -> EvaluatorOrganisation:
    """Add an organisation to the register (its evaluator unit is created with it, approved) or change one. The
    city only. ValidationError for a credit code already registered or a field out of bounds."""
    _refuse_unless_keeper(actor)
    name, credit_code = (name or "").strip(), (credit_code or "").strip().upper()
    errors = {}
    if credit_code:
        try:
            credit_code = credit_code_validate(credit_code)
        except ValidationError as error:
            errors["credit_code"] = error.messages
        else:
            same = Organisation.objects.filter(credit_code=credit_code)
            if register is not None:
                same = same.exclude(pk=register.organisation_id)
            if same.exists():
                errors["credit_code"] = [_("该统一社会信用代码已登记（%(name)s）。") % {"name": same.first().name}]
    others = Organisation.objects.filter(kind=OrganisationKind.EVALUATOR)
    if register is not None:
        others = others.exclude(pk=register.organisation_id)
    # The same name whatever the width of its brackets and letters or its spacing (NFKC).
    if name and _comparable(name) in {_comparable(other) for other in others.values_list("name", flat=True)}:
        errors["name"] = [_("名录中已有同名机构，请核对；如确为不同机构，请在名称中加以区分。")]
    phone = (data.get("contact_phone") or "").strip()
    if phone:
        try:
            phone_validator(phone)
        except ValidationError as error:
            errors["contact_phone"] = error.messages
    if errors:
        raise ValidationError(errors)
    if register is None:
        organisation = Organisation(kind=OrganisationKind.EVALUATOR, name=name, credit_code=credit_code or None)
        register = EvaluatorOrganisation(organisation=organisation)
    else:
        register = EvaluatorOrganisation.objects.select_for_update().select_related("organisation").get(
            pk=register.pk)
        organisation = register.organisation
        organisation.name, organisation.credit_code = name, credit_code or None
    before = {field: str(getattr(register, field)) for field in REGISTER_FIELDS} if register.pk else {}
    for field in REGISTER_FIELDS:
        if field in data:
            value = data[field]
            setattr(register, field, value.strip() if isinstance(value, str) else value)
    try:
        organisation.full_clean(exclude=["district", "status"])
    except ValidationError as error:
        errors.update({("name" if key == "name" else "credit_code" if key == "credit_code" else key): value
                       for key, value in error.message_dict.items()})
    try:
        register.full_clean(exclude=["organisation", "status"])
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    created = organisation.pk is None
    organisation.save()
    register.organisation = organisation
    register.save()
    audit_record(action=AuditAction.CREATED if created else AuditAction.CHANGED, actor=actor, obj=register,
                 request=request, detail={"name": name, **{field: {"from": before.get(field),
                                                                    "to": str(getattr(register, field))}
                                                            for field in REGISTER_FIELDS
                                                            if before.get(field) != str(getattr(register, field))}})
    return register


def _comparable(name) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split())


def register_change(*, register, actor, name, reason="", request=None) -> EvaluatorOrganisation:
    """Recommend (第二十一条), take off the recommended list, disqualify (第二十二条) or reinstate an organisation, with
    the reason (required except to recommend). A disqualified organisation can no longer be commissioned."""
    if name not in ("recommend", "unrecommend", "disqualify", "reinstate"):
        raise ValueError(name)
    reason = (reason or "").strip() if name == "recommend" else reason_required(reason)
    with portal_language():
        return fire(register, name, actor=actor, comment=reason, request=request)


# --- The self-evaluation (自评价) -------------------------------------------------------------------------------------


def _subject(application):
    return Subject.PARK if application.unit_kind == UnitKind.PARK else Subject.FACTORY


def certification_figures(application) -> list[YearlyFigures]:
    """The unit's yearly figures for the three years before the round (第七条（七）、第六条（七）), oldest first."""
    years = [application.round.year - back for back in range(FIGURE_YEARS, 0, -1)]
    return list(YearlyFigures.objects.filter(unit_id=application.applicant_id, year__in=years).order_by("year"))


def _latest_figures(application):
    return (YearlyFigures.objects.filter(unit_id=application.applicant_id, year__lt=application.round.year)
            .order_by("-year").first())


def _system_for(application):
    system = indicator_system_for(industry_id=application.industry_id, on=application.round.opens_on,
                                  subject=_subject(application))
    if system is None:
        raise ValidationError(_("没有适用的评价指标体系，请联系管理员录入。"))
    awaiting = awaiting_values(system)
    if awaiting:
        raise ValidationError(_(
            "适用的评价指标体系（%(system)s）尚有分值、权重、基准值或引领值待管理员录入（%(names)s），无法计算得分，"
            "请联系市经济信息委。") % {"system": system, "names": "、".join(awaiting[:5]) + ("等" if len(awaiting) > 5
                                                                                          else "")})
    return system


@transaction.atomic
def self_evaluation_start(*, application, actor, request=None) -> SelfEvaluation:
    """The application's self-evaluation, started on the version in force on the round's opening day (for the
    unit's industry, or for parks) with the unit's latest yearly figures before the round's year."""
    if not can_edit_certification(actor, application):
        raise PermissionDenied(_("只有申报单位可以填写自评价。"))
    existing = SelfEvaluation.objects.filter(application=application).first()
    if existing:
        return existing
    system = _system_for(application)
    indicator_system_freeze(system)
    sheet = SelfEvaluation.objects.create(application=application, system=system,
                                          figures=_latest_figures(application))
    audit_record(action=AuditAction.CREATED, actor=actor, obj=sheet, request=request,
                 detail={"system": str(system), "figures": sheet.figures.year if sheet.figures else None})
    return sheet


def sheet_values(sheet) -> dict:
    return sheet.figures.computed() if sheet.figures_id else {}


def sheet_result(sheet) -> scoring.Result:
    indicators = list(sheet.system.indicators.all())
    return scoring.score(list(sheet.system.areas.all()), indicators,
                         scoring_entries(sheet, indicators, sheet_values(sheet)))


def self_evaluation_save(*, sheet, actor, items: dict, complete=False, request=None) -> SelfEvaluation:
    """Store the applicant's items; with ``complete``, check every item is answered, keep the result and hand the
    score down to the application (a later change takes the completion back until completed again). Only while the
    applicant may change it (draft, or returned by the district)."""
    with transaction.atomic():
        sheet = SelfEvaluation.objects.select_for_update().select_related("application", "system").get(pk=sheet.pk)
        application = certification_services.locked(sheet.application)
        if not can_edit_certification(actor, application):
            raise PermissionDenied(_("只有申报单位可以填写自评价。"))
        if application.status not in EDITABLE_STATES:
            raise TransitionConflict(_("申报已进入“%(state)s”，自评价不能再修改。") % {
                "state": application.get_status_display()}, url=applications_services.certification_url(application))
        indicators = list(sheet.system.indicators.all())
        checked = checked_items(indicators, items)
        if complete:
            missing = items_missing(indicators, checked)
            if missing:
                raise ValidationError({"__all__": _("以下指标尚未自评（或标记为不适用）：%(names)s")
                                       % {"names": "、".join(missing)}})
        changed = items_store(sheet, checked, SelfEvaluationItem, "sheet")
        if complete:
            result = sheet_result(sheet)
            sheet.total, sheet.vetoed = scoring.rounded(result.total), result.vetoed
            sheet.result, sheet.completed_at = result_record(result, experts=1), timezone.now()
        elif changed and sheet.completed_at is not None:
            sheet.completed_at = None
        else:
            sheet.save()
            return sheet
        sheet.save()
        applications_services.certification_record_self_evaluation(
            application=application, actor=actor, score=sheet.total if sheet.completed_at else None,
            vetoed=sheet.vetoed if sheet.completed_at else None, completed_at=sheet.completed_at, request=request)
    return sheet


@transaction.atomic
def self_evaluation_evidence_upload(*, sheet, actor, uploaded_file, indicator=None,
                                    request=None) -> SelfEvaluationEvidence:
    application = certification_services.locked(sheet.application)
    if not can_edit_certification(actor, application):
        raise PermissionDenied(_("只有申报单位可以上传自评价证明材料。"))
    if application.status not in EDITABLE_STATES:
        raise TransitionConflict(_("申报已进入“%(state)s”，自评价不能再修改。") % {
            "state": application.get_status_display()}, url=applications_services.certification_url(application))
    if sheet.evidence.count() >= MAX_SHEET_DOCUMENTS:
        raise ValidationError({"file": _("自评价证明材料最多%(n)d份。") % {"n": MAX_SHEET_DOCUMENTS}})
    if indicator is not None and indicator.system_id != sheet.system_id:
        raise ValidationError({"indicator": _("请选择本评价指标体系中的指标。")})
    return save_upload(uploaded_file, SelfEvaluationEvidence(sheet=sheet, indicator=indicator), actor=actor,
                       request=request)


# --- Commissioning an evaluator from the register ---------------------------------------------------------------------


def commission_evaluator(*, application, actor, register, due_on: date, note="", request=None):
    """The applicant chooses ``register`` (an organisation of the register) to evaluate it (第九条). A disqualified
    organisation, or one whose unit is not approved, is refused here; the round's cap and the application's
    completeness are checked by ``applications`` under the round's lock."""
    register = EvaluatorOrganisation.objects.select_related("organisation").get(pk=register.pk)
    if register.status == RegisterStatus.DISQUALIFIED:
        raise ValidationError({"organisation": _("该评价机构已被取消评价资格（第二十二条），不能委托。")})
    if register.organisation.status != "active":
        raise ValidationError({"organisation": _("该评价机构的账号尚未审核通过，不能委托。")})
    return applications_services.certification_commission(
        application=application, actor=actor, organisation=register.organisation, due_on=due_on, note=note,
        request=request)


# --- The evaluator's on-site evaluation and report --------------------------------------------------------------------


@transaction.atomic
def report_start(*, application, actor, request=None) -> EvaluationReport:
    """The commissioned organisation's report on the application, started when its staff first open it (the
    commission is accepted then if it was not yet). Same version and figures as the self-evaluation."""
    application = certification_services.locked(application)
    if not is_commissioned_evaluator(actor, application):
        raise PermissionDenied(_("只有受委托的第三方评价机构可以出具评价报告。"))
    task = applications_services.commission_task(application)
    if task is None or application.status != CertificationStatus.EVALUATOR_COMMISSIONED:
        raise TransitionConflict(_("该委托已结束，不能再评价。"),
                                 url=applications_services.certification_url(application))
    report = EvaluationReport.objects.filter(task=task).first()
    if report is not None:
        return report
    if task.status == ReviewTaskStatus.ASSIGNED:
        task = review_tasks.review_task_accept(task=task, actor=actor, request=request)
    sheet = SelfEvaluation.objects.filter(application=application).first()
    system = sheet.system if sheet else _system_for(application)
    report = EvaluationReport.objects.create(
        application=application, task=task, organisation_id=task.assignee_organisation_id, system=system,
        figures=sheet.figures if sheet else _latest_figures(application))
    audit_record(action=AuditAction.CREATED, actor=actor, obj=report, request=request, detail={"system": str(system)})
    return report


def _refuse_unless_writer(report, actor):
    if not is_commissioned_evaluator(actor, report.application) or report.organisation_id != actor.organisation_id:
        raise PermissionDenied(_("只有受委托的第三方评价机构可以填写评价报告。"))
    if report.issued or report.task.status != ReviewTaskStatus.ACCEPTED:
        raise TransitionConflict(_("评价报告已出具或委托已结束，不能再修改。"),
                                 url=applications_services.certification_url(report.application))


def report_save(*, report, actor, visited_from, visited_to, evaluators, passed, opinion, items: dict, issue=False,
                request=None) -> EvaluationReport:
    """Store the on-site evaluation; with ``issue``, check it is whole (dates, evaluators, conclusion, every item,
    the signed report uploaded), keep the result and hand score, conclusion and report down to the application,
    completing the commission — all in one transaction."""
    with transaction.atomic():
        report = EvaluationReport.objects.select_for_update().select_related("task", "application", "system").get(
            pk=report.pk)
        _refuse_unless_writer(report, actor)
        errors = {}
        today = timezone.localdate()
        commissioned_on = timezone.localdate(report.task.assigned_at)
        if visited_from and visited_from > today:
            errors["visited_from"] = _("现场评价日期不能晚于今天。")
        elif visited_from and visited_from < commissioned_on:
            errors["visited_from"] = _("现场评价日期不能早于委托日期（%(date)s）。") % {"date": commissioned_on}
        if visited_from and visited_to and visited_to < visited_from:
            errors["visited_to"] = _("结束日期不能早于开始日期。")
        if visited_to and visited_to > today:
            errors["visited_to"] = _("现场评价日期不能晚于今天。")
        evaluators, opinion = (evaluators or "").strip(), (opinion or "").strip()
        if len(evaluators) > 300:
            errors["evaluators"] = _("评价人员最多300字。")
        if len(opinion) > COMMENT_MAX_LENGTH * 3:
            errors["opinion"] = _("评价意见最多 %(limit)d 个字。") % {"limit": COMMENT_MAX_LENGTH * 3}
        indicators = list(report.system.indicators.all())
        try:
            checked = checked_items(indicators, items)
        except ValidationError as error:
            errors.update(error.message_dict)
            checked = {}
        if issue and not errors:
            for field, value, message in (
                    ("visited_from", visited_from, _("请填写现场评价开始日期。")),
                    ("visited_to", visited_to, _("请填写现场评价结束日期。")),
                    ("evaluators", evaluators, _("请填写参加现场评价的人员。")),
                    ("passed", passed, _("请选择评价结论。"))):
                if value in (None, ""):
                    errors[field] = message
            missing = items_missing(indicators, checked)
            if missing:
                errors["__all__"] = _("以下指标尚未评分（或标记为不适用）：%(names)s") % {"names": "、".join(missing)}
            elif not report.documents.filter(signed=True).exists():
                errors["__all__"] = _("请先上传签字盖章的评价报告（PDF）。")
        if errors:
            raise ValidationError(errors)
        items_store(report, checked, ReportItem, "report")
        report.visited_from, report.visited_to, report.evaluators = visited_from, visited_to, evaluators
        report.passed, report.opinion = passed, opinion
        if issue:
            result = sheet_result(report)
            if result.vetoed and passed:
                # 一票否决: a basic requirement not met fails the evaluation whatever the points.
                raise ValidationError({"passed": _("基本要求（一票否决项）有不符合的，评价结论不能为“符合”。")})
            report.total, report.vetoed = scoring.rounded(result.total), result.vetoed
            report.result = result_record(result, experts=1)
            report.issued_at, report.issued_by = timezone.now(), actor
        report.save()
        if issue:
            applications_services.certification_record_evaluation(
                application=report.application, actor=actor, task=report.task, score=report.total,
                passed=report.passed, report_id=report.public_id, request=request)
    return report


@transaction.atomic
def report_document_upload(*, report, actor, uploaded_file, signed=False, indicator=None,
                           request=None) -> ReportDocument:
    """Store the signed report (a PDF) or a piece of on-site evidence (of one item, when named)."""
    report = EvaluationReport.objects.select_for_update().select_related("task", "application").get(pk=report.pk)
    _refuse_unless_writer(report, actor)
    if report.documents.count() >= MAX_SHEET_DOCUMENTS:
        raise ValidationError({"file": _("评价文件最多%(n)d份。") % {"n": MAX_SHEET_DOCUMENTS}})
    if indicator is not None and indicator.system_id != report.system_id:
        raise ValidationError({"indicator": _("请选择本评价指标体系中的指标。")})
    document = ReportDocument(report=report, signed=signed, indicator=indicator)
    if signed:
        # The signed report is the PDF the organisation signed and stamped; photos go in as evidence.
        document.allowed_kinds = ("pdf",)
    return save_upload(uploaded_file, document, actor=actor, request=request)
