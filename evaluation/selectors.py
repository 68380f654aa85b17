"""Reads of evaluation, scoped to the user (404 out of scope)."""

from django.db.models import Avg, Count, OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import Organisation, Role
from accounts.selectors import district_names
from applications.models import LibraryEntry
from evaluation.models import (
    OPEN_MEASURE_STATES,
    Assessment,
    EvaluationReport,
    EvaluatorOrganisation,
    ExpertScoring,
    FiguresEvidence,
    ImprovementMeasure,
    MeasureEvidence,
    ScoringEvidence,
    SelfEvaluation,
    YearlyFigures,
)


def figures_list_for_user(user):
    return YearlyFigures.objects.visible_to(user)


def figures_get_for_user(user, public_id) -> YearlyFigures:
    return get_object_or_404(figures_list_for_user(user).select_related("unit", "unit__district", "updated_by"),
                             public_id=public_id)


def figures_by_year(user, unit_id) -> dict[int, YearlyFigures]:
    """A unit's figures in the user's scope, by year (one query: what the list shows)."""
    return {f.year: f for f in figures_list_for_user(user).filter(unit_id=unit_id).only(
        "public_id", "year", "updated_at", "unit_id")}


def figures_energy(figures):
    """The energy lines with their carriers (one query)."""
    return list(figures.energy_uses.select_related("carrier"))


def figures_evidence(figures):
    return list(FiguresEvidence.objects.filter(figures=figures).select_related("uploaded_by")
                .order_by("section", "-version"))


# --- Cultivation ---------------------------------------------------------------------------------------------------


def entry_get_for_user(user, public_id) -> LibraryEntry:
    """A library entry in the user's scope (its district, the city, the enterprise, an assigned expert), or 404."""
    return get_object_or_404(LibraryEntry.objects.visible_to(user).select_related(
        "enterprise", "district", "industry", "campaign"), public_id=public_id)


def entry_heading_for_user(user, public_id) -> LibraryEntry:
    """The entry in the user's scope (404 outside it) with only what a page's title reads: its enterprise's name."""
    return get_object_or_404(LibraryEntry.objects.visible_to(user).select_related("enterprise").only(
        "pk", "public_id", "status", "enterprise__name"), public_id=public_id)


def assessment_heading_for_user(user, public_id) -> Assessment:
    return get_object_or_404(Assessment.objects.visible_to(user).select_related("entry__enterprise").only(
        "pk", "public_id", "status", "entry__public_id", "entry__status", "entry__enterprise__name"),
        public_id=public_id)


def measure_heading_for_user(user, public_id) -> ImprovementMeasure:
    return get_object_or_404(ImprovementMeasure.objects.visible_to(user).select_related("assessment").only(
        "pk", "public_id", "title", "status", "assessment__public_id", "assessment__status"), public_id=public_id)


def own_scoring(user, assessment_public_id) -> ExpertScoring:
    """The user's scoring in the assessment, through an assignment that is not declined, with the assessment and
    what the sheet's title reads; 404 for anyone else (an expert not assigned, an official, the enterprise)."""
    return get_object_or_404(ExpertScoring.objects.filter(
        expert_id=user.pk, assessment__public_id=assessment_public_id).exclude(task__status="declined").select_related(
        "task", "assessment__entry__enterprise"))


def assessments_of_entry(user, entry):
    return list(Assessment.objects.visible_to(user).filter(entry=entry).select_related("system").order_by(
        "-created_at", "-id"))


def assessment_get_for_user(user, public_id) -> Assessment:
    return get_object_or_404(Assessment.objects.visible_to(user).select_related(
        "system", "entry__enterprise", "entry__campaign", "entry__district", "figures", "confirmed_by"),
        public_id=public_id)


def scorings_of(assessment):
    """The experts' scorings with their assignments, experts and items (three queries)."""
    return list(ExpertScoring.objects.filter(assessment=assessment).select_related("task", "expert").prefetch_related(
        "items").order_by("id"))


def measures_of(assessment):
    return list(assessment.measures.select_related("indicator").order_by("position", "id"))


def measure_get_for_user(user, public_id) -> ImprovementMeasure:
    return get_object_or_404(ImprovementMeasure.objects.visible_to(user).select_related(
        "assessment", "indicator", "entry__enterprise", "entry__campaign"), public_id=public_id)


def measure_progress_reports(measure):
    return list(measure.progress_reports.select_related("reported_by"))


def measure_evidence(measure):
    return list(MeasureEvidence.objects.filter(measure=measure).select_related("uploaded_by"))


def scoring_evidence(expert_scoring):
    return list(ScoringEvidence.objects.filter(scoring=expert_scoring).select_related("uploaded_by"))


def plan_measures_for_user(user, *, status="", category="", today=None):
    """The measures of confirmed plans in the user's scope (a district its library's, the city all), filtered, the
    earliest due first: values with what the overview shows (the enterprise's name one subquery)."""
    today = today or timezone.localdate()
    measures = ImprovementMeasure.objects.visible_to(user).filter(assessment__status="confirmed")
    if status == "overdue":
        measures = measures.filter(status__in=OPEN_MEASURE_STATES, due_on__lt=today)
    elif status:
        measures = measures.filter(status=status)
    if category:
        measures = measures.filter(category=category)
    return measures.order_by("due_on", "id")


PLAN_ROW_FIELDS = ("public_id", "title", "category", "status", "due_on", "investment", "district_id", "unit_id",
                   "owner")


def plan_page_rows(measures):
    return measures.values(*PLAN_ROW_FIELDS, unit_name=Subquery(
        Organisation.objects.filter(pk=OuterRef("unit_id")).values("name")[:1]))


def overview_by_district(today=None):
    """The city's table: per district, library entries, entries assessed (a confirmed assessment), their mean score,
    ready entries and open / overdue measures. Two grouped queries over the whole library."""
    today = today or timezone.localdate()
    entries = {row["district_id"]: row for row in LibraryEntry.objects.order_by().values("district_id").annotate(
        entries=Count("id"), assessed=Count("id", filter=Q(assessed_at__isnull=False)),
        mean=Avg("assessed_score"), ready=Count("id", filter=Q(status="ready")))}
    measures = {row["district_id"]: row for row in ImprovementMeasure.objects.filter(
        assessment__status="confirmed").order_by().values("district_id").annotate(
        open=Count("id", filter=Q(status__in=OPEN_MEASURE_STATES)),
        overdue=Count("id", filter=Q(status__in=OPEN_MEASURE_STATES, due_on__lt=today)))}
    rows = []
    for district_id, name in district_names().items():
        counts, plan = entries.get(district_id, {}), measures.get(district_id, {})
        rows.append({"district": name, "entries": counts.get("entries", 0), "assessed": counts.get("assessed", 0),
                     "mean": counts.get("mean"), "ready": counts.get("ready", 0), "open": plan.get("open", 0),
                     "overdue": plan.get("overdue", 0)})
    return rows


# --- Certification: the register, the self-evaluation, the report -------------------------------------------------


def register_list_for_user(user, *, status=""):
    entries = EvaluatorOrganisation.objects.visible_to(user).select_related("organisation")
    return entries.filter(status=status) if status else entries


def register_get_for_user(user, public_id) -> EvaluatorOrganisation:
    return get_object_or_404(EvaluatorOrganisation.objects.visible_to(user).select_related("organisation"),
                             public_id=public_id)


def self_evaluation_of(user, application) -> SelfEvaluation | None:
    """The application's self-evaluation, when the user may see it (its scope is the application's)."""
    return (SelfEvaluation.objects.visible_to(user).filter(application=application)
            .select_related("system", "figures").first())


def reports_of(user, application):
    """The evaluation reports on the application the user may see: every report for the applicant, its district and
    the city; for an evaluator, its own organisation's (a declined or earlier organisation's draft is not its)."""
    reports = EvaluationReport.objects.visible_to(user).filter(application=application).select_related(
        "organisation", "issued_by", "system")
    if user.role == Role.EVALUATOR:
        return reports.filter(organisation_id=user.organisation_id)
    return reports.filter(issued_at__isnull=False)


def report_heading(user, application):
    """The report a sheet page shows, for an application already read in the user's scope (its scope is the
    application's): the evaluator's own organisation's latest, or for anyone else the issued one. Light: what the
    page needs before it reads its kept body."""
    reports = EvaluationReport.objects.filter(application_id=application.pk).only(
        "id", "issued_at", "organisation_id", "system_id")
    if user.role == Role.EVALUATOR:
        return reports.filter(organisation_id=user.organisation_id).first()
    return reports.filter(issued_at__isnull=False).first()


def report_documents(report):
    return report.documents.select_related("indicator").order_by("uploaded_at", "id")


def self_evaluation_evidence(sheet):
    return sheet.evidence.select_related("indicator").order_by("uploaded_at", "id")
