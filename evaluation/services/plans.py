"""Writes of the green production improvement plan (绿色生产水平提升方案 / 绿色化改造项目及计划表): measures drafted
from the gaps by the experts (or the confirming official) while the assessment is open, and carried out by the
enterprise after it is confirmed: progress with evidence, started, finished or dropped with a reason. Each measure's
due date is a kernel deadline from the confirmation on."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import allowed
from accounts.audit import audit_record
from accounts.models import AuditAction
from evaluation import scoring
from evaluation.models import (
    OPEN_MEASURE_STATES,
    AssessmentStatus,
    ExpertScoring,
    ImprovementMeasure,
    MeasureCategory,
    MeasureEvidence,
    MeasureProgress,
)
from evaluation.services.assessments import assessment_result, working_days_from_today
from greenfactory.language import portal_language
from greenfactory.uploads import save_upload
from greenfactory.workflow import fire, lock, reason_required, state_conflict

# Working days a drafted measure is given by default (the experts change it); the notice gives no figure.
DRAFT_WORKING_DAYS = 120
MAX_MEASURE_EVIDENCE = 20
EDITABLE_FIELDS = ("category", "title", "indicator", "expected_effect", "investment", "owner", "due_on")

# The category a gap's measure starts in, by the first-level area it lost points in (the experts change it).
AREA_CATEGORIES = {
    "INF": MeasureCategory.LAYOUT, "MGT": MeasureCategory.OTHER, "RES": MeasureCategory.ENERGY_MIX,
    "PRD": MeasureCategory.PRODUCT, "ENV": MeasureCategory.END_TREATMENT, "PRF": MeasureCategory.CLEAN_PROCESS,
    "E": MeasureCategory.ENERGY_MIX, "R": MeasureCategory.RECYCLING, "C": MeasureCategory.CLEAN_PROCESS,
    "P": MeasureCategory.PRODUCT, "L": MeasureCategory.LAYOUT,
}


def can_draft_plan(user, assessment) -> bool:
    """While the assessment is open: its experts (not declined) and the officials who may confirm it."""
    if assessment.status != AssessmentStatus.SCORING:
        return False
    if allowed("evaluation.confirm_assessment", user, assessment):
        return True
    return ExpertScoring.objects.filter(assessment=assessment, expert_id=user.pk).exclude(
        task__status="declined").exists()


def _require_drafting(user, assessment):
    if not can_draft_plan(user, assessment):
        if assessment.status != AssessmentStatus.SCORING:
            raise state_conflict(assessment, message=_("评估结果已确认，提升方案的项目不能再由专家修改。"))
        raise PermissionDenied(_("您无权修改该提升方案。"))


def _lower_is_better(indicator) -> bool:
    return (indicator.base_value is not None and indicator.lead_value is not None
            and indicator.lead_value < indicator.base_value)


def _gap_title(item) -> str:
    indicator = item.indicator
    if indicator.kind == "quantitative":
        words = _("降低%(name)s") if _lower_is_better(indicator) else _("提高%(name)s")
    else:
        words = _("完善%(name)s")
    return (words % {"name": indicator.name})[:120]


def _gap_effect(item) -> str:
    indicator = item.indicator
    if indicator.kind == "quantitative" and item.value is not None and indicator.lead_value is not None:
        words = (_("%(name)s由%(value)s%(unit)s降至引领值%(lead)s%(unit)s") if _lower_is_better(indicator)
                 else _("%(name)s由%(value)s%(unit)s提升至引领值%(lead)s%(unit)s"))
        return words % {"name": indicator.name, "value": scoring.shown(item.value),
                        "lead": scoring.shown(indicator.lead_value), "unit": indicator.unit}
    return _("%(name)s得分由%(score)s分提升至%(full)s分") % {
        "name": indicator.name, "score": scoring.shown(item.score, 2), "full": scoring.shown(item.maximum, 2)}


@transaction.atomic
def plan_draft_from_gaps(*, assessment, actor, limit=10, request=None) -> list[ImprovementMeasure]:
    """A measure for each of the ``limit`` items that lost the most points in the submitted scores (not already in
    the plan), with the category of its area, the target as the expected effect and a due date the experts edit."""
    assessment = lock(assessment)
    _require_drafting(actor, assessment)
    planned = set(assessment.measures.exclude(indicator=None).values_list("indicator_id", flat=True))
    gaps = [item for item in scoring.gaps(assessment_result(assessment)) if item.indicator.pk not in planned]
    if not gaps:
        raise ValidationError(_("没有可生成的差距项：尚无已提交的评分，或失分指标都已列入提升方案。"))
    position = assessment.measures.aggregate(last=Max("position"))["last"] or 0
    due_on = draft_due_on()
    made = []
    for item in gaps[:limit]:
        position += 1
        area_code = item.indicator.area.code if item.indicator.area_id else ""
        made.append(ImprovementMeasure.objects.create(
            assessment=assessment, district_id=assessment.district_id, unit_id=assessment.unit_id,
            entry_id=assessment.entry_id, category=AREA_CATEGORIES.get(area_code, MeasureCategory.OTHER),
            title=_gap_title(item), indicator=item.indicator,
            expected_effect=_gap_effect(item)[:300], due_on=due_on, position=position, created_by=actor))
    audit_record(action=AuditAction.CREATED, actor=actor, obj=assessment, request=request,
                 detail={"measures_from_gaps": len(made)})
    return made


def draft_due_on():
    """A drafted measure's due date (the experts set the real one)."""
    return working_days_from_today(DRAFT_WORKING_DAYS)


def _check(measure):
    errors = {}
    if measure.due_on is not None and measure.due_on < timezone.localdate():
        errors["due_on"] = _("完成期限不能早于今天。")
    if measure.indicator_id and measure.indicator.system_id != measure.assessment.system_id:
        errors["indicator"] = _("请选择本次评估所用版本中的指标。")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def measure_save(*, measure: ImprovementMeasure, actor, request=None) -> ImprovementMeasure:
    """Add or change a measure of an open assessment's plan (experts, the confirming officials)."""
    assessment = lock(measure.assessment)
    _require_drafting(actor, assessment)
    _check(measure)
    created = measure.pk is None
    if created:
        measure.district_id, measure.unit_id, measure.entry_id = (assessment.district_id, assessment.unit_id,
                                                                  assessment.entry_id)
        measure.created_by = actor
        measure.position = (assessment.measures.aggregate(last=Max("position"))["last"] or 0) + 1
        before = {}
    else:
        stored = ImprovementMeasure.objects.get(pk=measure.pk)
        before = {name: str(getattr(stored, name)) for name in EDITABLE_FIELDS}
    measure.save()
    after = {name: str(getattr(measure, name)) for name in EDITABLE_FIELDS}
    audit_record(action=AuditAction.CREATED if created else AuditAction.CHANGED, actor=actor, obj=measure,
                 request=request, detail={name: {"from": before.get(name), "to": value}
                                          for name, value in after.items() if before.get(name) != value})
    return measure


@transaction.atomic
def measure_delete(*, measure, actor, request=None) -> None:
    assessment = lock(measure.assessment)
    _require_drafting(actor, assessment)
    audit_record(action=AuditAction.DELETED, actor=actor, obj=measure, request=request,
                 detail={"title": measure.title})
    measure.delete()


@transaction.atomic
def measure_report_progress(*, measure, actor, progress: str, request=None) -> ImprovementMeasure:
    """The enterprise reports how an open measure of its confirmed plan is going."""
    measure = lock(measure)
    if not allowed("evaluation.work_on_measure", actor, measure):
        raise PermissionDenied(_("您无权填报该项目的进展。"))
    if measure.status not in OPEN_MEASURE_STATES or measure.assessment.status != AssessmentStatus.CONFIRMED:
        raise state_conflict(measure)
    progress = (progress or "").strip()
    if not progress:
        raise ValidationError({"progress": _("请填写进展情况。")})
    if len(progress) > 1000:
        raise ValidationError({"progress": _("进展情况最多 1000 个字符。")})
    MeasureProgress.objects.create(measure=measure, text=progress, reported_by=actor)
    ImprovementMeasure.objects.filter(pk=measure.pk).update(progress=progress)
    measure.progress = progress
    audit_record(action=AuditAction.CHANGED, actor=actor, obj=measure, request=request, detail={"progress": progress})
    return measure


def measure_evidence_upload(*, measure, uploaded_file, actor, request=None) -> MeasureEvidence:
    measure = ImprovementMeasure.objects.select_related("assessment").get(pk=measure.pk)  # as it stands now
    if not allowed("evaluation.work_on_measure", actor, measure):
        raise PermissionDenied(_("您无权上传该项目的进展证明。"))
    if measure.status not in OPEN_MEASURE_STATES or measure.assessment.status != AssessmentStatus.CONFIRMED:
        raise state_conflict(measure, message=_("只有已确认的提升方案中未完成的项目可以上传进展证明。"))
    if MeasureEvidence.objects.filter(measure=measure).count() >= MAX_MEASURE_EVIDENCE:
        raise ValidationError(_("每个项目最多上传%(n)d份进展证明。") % {"n": MAX_MEASURE_EVIDENCE},
                              code="too_many_documents")
    return save_upload(uploaded_file, MeasureEvidence(measure=measure), actor=actor, request=request)


def _confirmed(measure):
    if measure.assessment.status != AssessmentStatus.CONFIRMED:
        raise state_conflict(measure, message=_("评估结果确认后，企业方可实施提升方案。"))


def measure_start(*, measure, actor, request=None):
    with portal_language():
        return fire(measure, "start", actor=actor, request=request, guards=[_confirmed])


def measure_finish(*, measure, actor, comment="", request=None):
    def has_evidence(row):
        if not row.evidence.exists():
            raise ValidationError({"reason": _("请先上传该项目完成的证明材料。")})
    with portal_language():
        return fire(measure, "finish", actor=actor, comment=comment, request=request,
                    guards=[_confirmed, has_evidence])


def measure_drop(*, measure, actor, reason, request=None):
    reason = reason_required(reason, _("请填写取消原因。"))
    with portal_language():
        return fire(measure, "drop", actor=actor, comment=reason, request=request, guards=[_confirmed])
