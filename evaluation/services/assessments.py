"""Writes of the cultivation assessment (绿色生产水平评估): assigning an expert, an expert's scores, confirming the
combined result (which freezes the indicator system's version and hands the score down to the library entry).

The engine (``evaluation.scoring``) scores; these services gather what it needs (the version's rows, each expert's
entries, the values computed from the unit's yearly figures), store what was entered and keep the confirmed result
as it was."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import allowed
from accounts.audit import audit_record
from accounts.choices import DeadlineKind
from accounts.deadlines import deadline_close, deadline_due_on, deadline_open
from accounts.models import AuditAction, Organisation, OrganisationKind, User
from applications import services as applications_services
from applications.choices import ReviewTaskKind, ReviewTaskStatus
from applications.services import review as review_tasks
from evaluation import scoring
from evaluation.models import (
    OPEN_MEASURE_STATES,
    Assessment,
    AssessmentStatus,
    ExpertScoring,
    ImprovementMeasure,
    IndicatorKind,
    ItemScore,
    ScoringEvidence,
    YearlyFigures,
)
from evaluation.services.indicators import indicator_system_for, indicator_system_freeze
from greenfactory import workdays
from greenfactory.language import portal_language
from greenfactory.uploads import save_upload
from greenfactory.workflow import COMMENT_MAX_LENGTH, Message, fire, state_conflict

MAX_SCORING_EVIDENCE = 30
# Working days the district has to confirm once every assigned expert has submitted (the notice gives no figure).
CONFIRMATION_WORKING_DAYS = 10


def figures_for_assessment(unit_id, on) -> YearlyFigures | None:
    """The unit's latest yearly figures before the assessment's year (the last complete year), else this year's."""
    figures = YearlyFigures.objects.filter(unit_id=unit_id, year__lt=on.year).order_by("-year").first()
    return figures or YearlyFigures.objects.filter(unit_id=unit_id, year=on.year).first()


@transaction.atomic
def assessment_assign_expert(*, entry, actor, expert, due_on, note="", request=None) -> ExpertScoring:
    """Assign ``expert`` to assess library entry ``entry`` by ``due_on`` (a review assignment of the kernel, with its
    deadline), in the entry's open assessment or a new one on the version of the indicator system in force today.

    PermissionDenied unless the actor may assign expert reviews on the entry (the city; the entry's district);
    ValidationError when no version is in force for the entry's industry, or from the assignment (expert, date)."""
    if not allowed("applications.assign_review_task", actor, entry):
        raise PermissionDenied(_("您无权指派该任务。"))
    today = timezone.localdate()
    assessment = Assessment.objects.filter(entry=entry, status=AssessmentStatus.SCORING).first()
    system = assessment.system if assessment else indicator_system_for(industry_id=entry.industry_id, on=today)
    if system is None:
        raise ValidationError({"assignee": _("没有适用于该企业所属行业的评价指标体系，请管理员先录入。")})
    awaiting = awaiting_values(system)
    if awaiting:
        # An assessment on such a version could be scored but never confirmed: refused before anyone works on it.
        raise ValidationError({"assignee": _(
            "该企业适用的评价指标体系（%(system)s）尚有分值、权重、基准值或引领值待管理员录入（%(names)s），"
            "无法计算总分。请管理员在管理后台录入后再安排评估。") % {"system": system, "names": "、".join(awaiting[:5])
                                                     + ("等" if len(awaiting) > 5 else "")}})
    task = review_tasks.review_task_assign(case=entry, actor=actor, kind=ReviewTaskKind.EXPERT_REVIEW,
                                           assignee=expert, due_on=due_on, note=note, request=request)
    # review_task_assign holds the entry's lock: one open assessment per entry, however many assign at once.
    assessment = Assessment.objects.filter(entry=entry, status=AssessmentStatus.SCORING).first()
    if assessment is None:
        assessment = Assessment.objects.create(
            entry=entry, district_id=entry.district_id, unit_id=entry.enterprise_id, system=system,
            figures=figures_for_assessment(entry.enterprise_id, today), created_by=actor)
        audit_record(action=AuditAction.CREATED, actor=actor, obj=assessment, request=request,
                     detail={"system": str(system), "figures": assessment.figures.year if assessment.figures else None})
    else:
        # A further expert: the district waits for them before confirming.
        deadline_close(subject=assessment, kinds=(DeadlineKind.ASSESSMENT_CONFIRMATION,), by="expert_assigned")
    return ExpertScoring.objects.create(assessment=assessment, task=task, expert=expert)


def awaiting_values(system) -> list[str]:
    """What the version lacks to compute a total: the names of areas without a weight and of items without their
    points (or, when quantitative, their 基准值 or 引领值)."""
    missing = [area.name for area in system.areas.all() if area.weight is None]
    for indicator in system.indicators.exclude(kind=IndicatorKind.VETO):
        if indicator.points is None or (indicator.kind == IndicatorKind.QUANTITATIVE
                                        and (indicator.base_value is None or indicator.lead_value is None)):
            missing.append(indicator.name)
    return missing


# --- An expert's scores ----------------------------------------------------------------------------------------------


def assessment_rows(assessment):
    """The version's first-level areas and indicators, in order (what the engine scores)."""
    areas = list(assessment.system.areas.all())
    indicators = list(assessment.system.indicators.all())
    return areas, indicators


def computed_values(assessment) -> dict:
    """The per-unit values computed from the assessment's yearly figures, by figure key (empty without figures)."""
    return assessment.figures.computed() if assessment.figures_id else {}


def scoring_entries(expert_scoring, indicators, values) -> dict:
    """One expert's ``scoring.Entry`` per indicator pk: what they recorded, and for a quantitative item the value
    computed from the figures."""
    recorded = {item.indicator_id: item for item in expert_scoring.items.all()}
    entries = {}
    for indicator in indicators:
        item = recorded.get(indicator.pk)
        if item is not None and not item.applicable:
            entries[indicator.pk] = scoring.Entry(applicable=False)
        elif indicator.kind == IndicatorKind.QUANTITATIVE:
            # Computed from the yearly figures; typed on the sheet where the system names no figure (a park's).
            entries[indicator.pk] = scoring.Entry(value=values.get(indicator.figure) if indicator.figure
                                                  else item.value if item is not None else None)
        elif item is not None:
            entries[indicator.pk] = scoring.Entry(passed=item.passed, points=item.points)
    return entries


def _decimal(value, field):
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise ValidationError({field: _("请填写数字。")}) from None


def checked_items(indicators, items: dict) -> dict:
    """The posted items checked against the version: points within 0 and the item's points, a verdict only for a
    veto, comments within the limit. ``items`` maps an indicator pk to {applicable, passed, points, comment}."""
    errors, checked = {}, {}
    for indicator in indicators:
        data = items.get(indicator.pk)
        if data is None:
            continue
        field = f"item_{indicator.pk}"
        applicable = data.get("applicable", True)
        comment = (data.get("comment") or "").strip()
        if len(comment) > COMMENT_MAX_LENGTH:
            errors[field] = _("评分说明最多 %(limit)d 个字符。") % {"limit": COMMENT_MAX_LENGTH}
            continue
        passed = data.get("passed") if indicator.kind == IndicatorKind.VETO and applicable else None
        points = value = None
        if indicator.kind == IndicatorKind.QUANTITATIVE and not indicator.figure and applicable:
            value_field = f"value_{indicator.pk}"  # the typed value's own field: the error goes beside it
            try:
                value = _decimal(data.get("value"), value_field)
            except ValidationError as error:
                errors[value_field] = error.message_dict[value_field][0]
                continue
            if value is not None and indicator.unit == "%" and not 0 <= value <= 100:
                errors[value_field] = _("“%(name)s”是百分比，应在 0 至 100 之间。") % {"name": indicator.name}
                continue
        if indicator.kind == IndicatorKind.QUALITATIVE and applicable:
            try:
                points = _decimal(data.get("points"), field)
            except ValidationError as error:
                errors[field] = error.message_dict[field][0]
                continue
            if points is not None:
                if indicator.points is None:
                    errors[field] = _("该指标的分值待管理员录入，暂不能评分。")
                    continue
                if points < 0 or points > indicator.points:
                    errors[field] = _("得分应在 0 至 %(points)s 分之间。") % {"points": indicator.points}
                    continue
        if indicator.required and not applicable:
            errors[field] = _("必选指标不能标记为不适用。")
            continue
        checked[indicator.pk] = {"applicable": applicable, "passed": passed, "points": points, "value": value,
                                 "comment": comment}
    if errors:
        raise ValidationError(errors)
    return checked


def items_missing(indicators, checked) -> list[str]:
    missing = []
    for indicator in indicators:
        data = checked.get(indicator.pk)
        if data is not None and not data["applicable"]:
            continue
        if indicator.kind == IndicatorKind.VETO and (data is None or data["passed"] is None):
            missing.append(indicator.name)
        elif (indicator.kind == IndicatorKind.QUALITATIVE and indicator.points is not None
              and (data is None or data["points"] is None)):
            missing.append(indicator.name)
        elif (indicator.kind == IndicatorKind.QUANTITATIVE and not indicator.figure
              and (data is None or data["value"] is None)):
            missing.append(indicator.name)
    return missing


def items_store(sheet, checked: dict, item_model, sheet_field: str) -> int:
    """Write the checked items (``checked_items``) onto ``sheet``'s rows of ``item_model``: new rows added, changed
    ones updated. Returns how many changed."""
    existing = {item.indicator_id: item for item in sheet.items.all()}
    changed = 0
    for indicator_id, data in checked.items():
        item = existing.get(indicator_id)
        if item is None:
            item_model.objects.create(**{sheet_field: sheet}, indicator_id=indicator_id, **data)
            changed += 1
        elif any(getattr(item, name) != value for name, value in data.items()):
            for name, value in data.items():
                setattr(item, name, value)
            item.save()
            changed += 1
    return changed


@transaction.atomic
def scoring_save(*, expert_scoring, actor, visited_on, opinion, items: dict, submit=False,
                 request=None) -> ExpertScoring:
    """Store the expert's visit date, opinion and items; with ``submit``, also check that every veto has a verdict
    and every qualitative item with points has a score (or is not applicable), lock the scores and complete the
    assignment. PermissionDenied for anyone but the assigned expert while the scoring is open; ValidationError with
    the field of each problem."""
    sheet = ExpertScoring.objects.select_for_update().select_related("assessment", "task").get(pk=expert_scoring.pk)
    if not allowed("evaluation.score", actor, sheet):
        if sheet.expert_id == actor.pk and (sheet.submitted_at or sheet.assessment.status != "scoring"):
            raise state_conflict(sheet.assessment, message=_("评分已提交或评估已确认，不能再修改。"))
        raise PermissionDenied(_("您无权修改该评分。"))
    opinion = (opinion or "").strip()
    errors = {}
    if visited_on is not None and visited_on > timezone.localdate():
        errors["visited_on"] = _("现场评估日期不能晚于今天。")
    if len(opinion) > COMMENT_MAX_LENGTH * 3:
        errors["opinion"] = _("评估意见最多 %(limit)d 个字符。") % {"limit": COMMENT_MAX_LENGTH * 3}
    indicators = list(sheet.assessment.system.indicators.all())
    try:
        checked = checked_items(indicators, items)
    except ValidationError as error:
        errors.update(error.message_dict)
        checked = {}
    if submit and not errors:
        if visited_on is None:
            errors["visited_on"] = _("提交评分前请填写现场评估日期。")
        missing = items_missing(indicators, checked)
        if missing:
            errors["__all__"] = _("以下指标尚未评分（或标记为不适用）：%(names)s") % {"names": "、".join(missing)}
    if errors:
        raise ValidationError(errors)
    changed = items_store(sheet, checked, ItemScore, "scoring")
    sheet.visited_on, sheet.opinion = visited_on, opinion
    if submit:
        sheet.submitted_at = timezone.now()
    sheet.save()
    audit_record(action=AuditAction.CHANGED, actor=actor, obj=sheet.assessment, request=request, detail={
        "scoring": sheet.pk, "items_changed": changed, "submitted": bool(submit)})
    if submit:
        task = sheet.task
        if task.status == ReviewTaskStatus.ASSIGNED:
            task = review_tasks.review_task_accept(task=task, actor=actor, request=request)
        review_tasks.review_task_complete(task=task, actor=actor, comment=_("已提交评分"), request=request,
                                          by_case=True)
        if not _open_scorings(sheet.assessment):
            _confirmation_deadline_open(sheet.assessment)
    return sheet


def working_days_from_today(count: int):
    """``count`` working days from today on the official calendar, or, while the calendar of the year it runs into
    has not been entered (the State Council publishes it each November), about as many calendar days (7/5 of
    them), so that a clock near the year's end still starts."""
    try:
        return deadline_due_on(working_days=count)
    except workdays.UnknownCalendarYear:
        return timezone.localdate() + datetime.timedelta(days=count * 7 // 5)


def _confirmation_deadline_open(assessment) -> None:
    """Every assigned expert has submitted: the district's turn to confirm (its to-do list; chased at the city)."""
    authority = Organisation.objects.filter(kind=OrganisationKind.DISTRICT, district_id=assessment.district_id).first()
    if authority is None:
        return
    deadline_open(subject=assessment, kind=DeadlineKind.ASSESSMENT_CONFIRMATION, organisation=authority,
                  due_on=working_days_from_today(CONFIRMATION_WORKING_DAYS),
                  label=assessment.entry.enterprise.name,
                  url=reverse("evaluation:assessment_detail", args=[assessment.public_id]))


def scoring_evidence_upload(*, expert_scoring, uploaded_file, actor, request=None) -> ScoringEvidence:
    if not allowed("evaluation.score", actor, expert_scoring):
        raise PermissionDenied(_("您无权上传该评分的证据。"))
    if ScoringEvidence.objects.filter(scoring=expert_scoring).count() >= MAX_SCORING_EVIDENCE:
        raise ValidationError(_("每位专家最多上传%(n)d份现场证据。") % {"n": MAX_SCORING_EVIDENCE},
                              code="too_many_documents")
    return save_upload(uploaded_file, ScoringEvidence(scoring=expert_scoring), actor=actor, request=request)


# --- The combined result and its confirmation ----------------------------------------------------------------------


def assessment_result(assessment, scorings=None) -> scoring.Result:
    """The experts' submitted scores combined (mean and spread; a veto failed by anyone), per the version's rules."""
    areas, indicators = assessment_rows(assessment)
    scorings = [s for s in (scorings if scorings is not None else assessment.scorings.all()) if s.submitted]
    values = computed_values(assessment)
    return scoring.combine(areas, indicators, [scoring_entries(s, indicators, values) for s in scorings])


def _number(value):
    return None if value is None else str(scoring.rounded(Decimal(value)))


def result_record(result: scoring.Result, *, experts: int) -> dict:
    """What is kept of a confirmed result (and printed in the report): areas and items with their numbers."""
    return {
        "experts": experts,
        "total": _number(result.total),
        "points": _number(result.points), "maximum": _number(result.maximum),
        "failed_vetoes": [item.indicator.name for item in result.failed_vetoes],
        "required_short": [item.indicator.name for item in result.required_short],
        "areas": [{"code": a.area.code, "name": a.area.name, "weight": _number(a.area.weight),
                   "earned": _number(a.earned), "maximum": _number(a.maximum),
                   "contribution": _number(a.contribution)} for a in result.areas],
        "items": [{"id": i.indicator.pk, "code": i.indicator.code, "name": i.indicator.name,
                   "kind": i.indicator.kind, "area": i.indicator.area.code if i.indicator.area_id else "",
                   "score": _number(i.score), "maximum": _number(i.maximum), "passed": i.passed,
                   "value": scoring.shown(i.value) or None, "spread": _number(i.spread),
                   "applicable": i.applicable, "base": scoring.shown(i.indicator.base_value) or None,
                   "lead": scoring.shown(i.indicator.lead_value) or None,
                   "unit": i.indicator.unit, "message": i.message} for i in result.items],
    }


def record_gaps(record: dict, limit: int = 15) -> list[dict]:
    """The gap analysis of a kept result (``result_record``): the items that lost points, the most first, each with
    ``lost`` — what the assessment page and the report show."""
    lost = [{**item, "lost": f"{Decimal(item['maximum']) - Decimal(item['score']):.2f}"}
            for item in record.get("items", []) if item["applicable"] and item["score"] is not None
            and item["maximum"] is not None and Decimal(item["maximum"]) > Decimal(item["score"])]
    return sorted(lost, key=lambda item: -Decimal(item["lost"]))[:limit]


def _open_scorings(assessment) -> list[ExpertScoring]:
    return [s for s in assessment.scorings.select_related("task", "expert")
            if not s.submitted and s.task.status != ReviewTaskStatus.DECLINED]


def assessment_confirm(*, assessment, actor, comment="", request=None) -> Assessment:
    """The district or the city confirms the experts' combined result. Refused (ValidationError) while an assigned
    expert has not submitted, without any submitted scores, or while the result is incomplete (a value the version
    lacks, 待管理员录入). On confirmation: the result is kept, the version is frozen, the score goes down to the
    library entry, each measure of the plan gets its deadline, and the enterprise is told."""
    result_holder = {}

    def guard(row):
        pending = _open_scorings(row)
        if pending:
            raise ValidationError({"reason": _("尚有专家未提交评分：%(names)s") % {
                "names": "、".join(str(s.expert) for s in pending)}})
        submitted = [s for s in row.scorings.all() if s.submitted]
        if not submitted:
            raise ValidationError({"reason": _("尚无专家提交评分，不能确认。")})
        result = assessment_result(row, submitted)
        if result.awaiting or result.weights_missing:
            raise ValidationError({"reason": _("该版本指标体系有分值、权重、基准值或引领值待管理员录入，"
                                               "暂不能计算总分。")})
        if result.unscored:
            raise ValidationError({"reason": _("以下指标尚无评分：%(names)s") % {
                "names": "、".join(f"{item.indicator.name}（{item.message}）" if item.message else item.indicator.name
                                  for item in result.unscored)}})
        result_holder["result"], result_holder["experts"] = result, len(submitted)

    def prepare(row):
        result = result_holder["result"]
        row.total = scoring.rounded(result.total)
        row.vetoed = result.vetoed
        row.result = result_record(result, experts=result_holder["experts"])

    def messages(row):
        users = list(User.objects.filter(organisation_id=row.unit_id, is_active=True))
        return [Message(recipients=users, title=_("绿色生产水平评估结果已确认"),
                        body=_("%(assessment)s：总分 %(total)s。请查看评估报告并落实绿色生产水平提升方案。") % {
                            "assessment": row, "total": row.total},
                        url=reverse("evaluation:assessment_detail", args=[row.public_id]))] if users else []

    with transaction.atomic(), portal_language():
        row = fire(assessment, "confirm", actor=actor, comment=comment, request=request, guards=[guard],
                   prepare=prepare, messages=messages)
        indicator_system_freeze(row.system)
        applications_services.library_entry_record_assessment(
            entry=row.entry, score=row.total, vetoed=bool(row.vetoed), confirmed_at=row.confirmed_at, actor=actor,
            request=request)
        for measure in row.measures.all():
            measure_deadline_open(measure)
        # The plan of an earlier assessment of the entry is replaced: its open measures end, with the reason.
        superseded = ImprovementMeasure.objects.filter(entry_id=row.entry_id, status__in=OPEN_MEASURE_STATES).exclude(
            assessment=row)
        for measure in superseded:
            fire(measure, "supersede", actor=actor, request=request,
                 comment=_("已被%(date)s确认的新提升方案取代。") % {"date": f"{timezone.localdate():%Y-%m-%d}"})
    return row


def measure_deadline_open(measure) -> None:
    """The enterprise's clock on a measure of a confirmed plan: reminded before the due date, chased after it;
    finishing or dropping the measure stops it."""
    deadline_open(subject=measure, kind=DeadlineKind.IMPROVEMENT_MEASURE, organisation=measure.unit,
                  due_on=measure.due_on, label=measure.title,
                  url=reverse("evaluation:measure_detail", args=[measure.public_id]))


def assessment_experts_left(assessment) -> list:
    return _open_scorings(assessment)



def assessment_report_pdf(*, assessment, actor, request=None) -> tuple[bytes, str]:
    """The assessment report with the improvement plan (评估报告及绿色生产水平提升方案) of a confirmed assessment, and
    its file name; the download is audited."""
    from evaluation.charts import bar_svg, radar_svg
    from greenfactory.pdf import render_pdf  # WeasyPrint: heavy, loaded only when a PDF is asked for

    if assessment.status != AssessmentStatus.CONFIRMED:
        raise state_conflict(assessment, message=_("评估结果确认后方可下载评估报告。"))
    record = assessment.result
    areas = [(a["name"], a["earned"], a["maximum"]) for a in record.get("areas", [])]
    items = record.get("items", [])
    scorings = list(assessment.scorings.select_related("expert", "expert__organisation").order_by("id"))
    pdf = render_pdf("pdf/assessment_report.html", {
        "assessment": assessment, "entry": assessment.entry, "record": record, "scorings": scorings,
        "vetoes": [i for i in items if i["kind"] == "veto"],
        "scored": [i for i in items if i["kind"] != "veto"], "gaps": record_gaps(record),
        "radar": radar_svg(areas, title=_("各一级指标得分率")), "bars": bar_svg(areas, title=_("各一级指标得分")),
        "measures": list(assessment.measures.select_related("indicator").order_by("position", "id")),
    })
    audit_record(action=AuditAction.DOWNLOAD, actor=actor, obj=assessment, request=request,
                 detail={"document": "assessment_report.pdf"})
    return pdf, _("绿色生产水平评估报告-%(name)s.pdf") % {"name": assessment.entry.enterprise.name}
