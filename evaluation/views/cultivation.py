"""Cultivation pages (培育阶段, notice 三（二）): a library entry's cultivation page (assessments, readiness), the
assessment (experts' scores, combined result, gaps, plan, confirmation), the expert's scoring sheet, the report PDF,
the measures of the plan, the district's plan overview and the city's table by district."""


from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import allowed
from accounts.choices import OrganisationStatus, Role
from accounts.models import User
from applications.models import LibraryEntry
from evaluation import scoring, selectors, services
from evaluation.charts import bar_svg, radar_svg
from evaluation.forms import (
    AssignExpertForm,
    AssistanceForm,
    DocumentForm,
    MeasureForm,
    ProgressForm,
    ScoringForm,
    VisitForm,
)
from evaluation.models import (
    AssessmentStatus,
    ImprovementMeasure,
    MeasureEvidence,
    ScoringEvidence,
    TechnicalAssistance,
)
from evaluation.services.assessments import computed_values
from evaluation.workflows import ASSESSMENT, LIBRARY_ENTRY, MEASURE
from greenfactory.documents import document_response
from greenfactory.forms import form_add_service_errors
from greenfactory.kept_forms import page_body
from greenfactory.uploads import content_disposition
from greenfactory.workflow import history
from greenfactory.workflow_views import action_view


def _experts():
    return User.objects.filter(role=Role.EXPERT, is_active=True,
                               organisation__status=OrganisationStatus.ACTIVE).select_related("organisation").order_by(
        "full_name", "username")


def my_cultivation(request):
    """The enterprise's way in: its latest library entry's cultivation page."""
    if request.user.role != Role.ENTERPRISE:
        raise PermissionDenied
    entry = LibraryEntry.objects.visible_to(request.user).order_by("-entered_at").first()
    if entry is None:
        return render(request, "evaluation/cultivation_none.html")
    return redirect("evaluation:cultivation", entry.public_id)


def _assistance_organisations():
    return services.support.assistance_organisations()


def visit_forms(assistances, bound=None):
    """Each assistance with its own visit form (ids prefixed by the assistance); ``bound``: (pk, form) shown again."""
    for assistance in assistances:
        assistance.visit_form = (bound[1] if bound and bound[0] == assistance.pk
                                 else VisitForm(prefix=f"visit-{assistance.pk}"))
    return assistances


def cultivation(request, public_id, *, assign_form=None, assistance_form=None, action=None, form=None,
                visit_bound=None):
    user = request.user
    entry = selectors.entry_heading_for_user(user, public_id)

    def context():
        full = selectors.entry_get_for_user(user, public_id)
        can_assign = allowed("applications.assign_review_task", user, full)
        can_assist = services.can_assign_assistance(user, full)
        assessments = selectors.assessments_of_entry(user, full)
        latest = next((a for a in assessments if a.status == AssessmentStatus.CONFIRMED), None)
        return {
            "entry": full, "assessments": assessments, "latest": latest,
            "measures": selectors.measures_of(latest) if latest else [],
            "assign_form": (assign_form or AssignExpertForm(experts=_experts())) if can_assign else None,
            "assistance_form": (assistance_form or AssistanceForm(organisations=_assistance_organisations()))
            if can_assist else None,
            "assistances": visit_forms(list(TechnicalAssistance.objects.visible_to(user).filter(
                entry=full).select_related("organisation").prefetch_related("visits")), visit_bound),
            "can_record_visits": user.role == Role.DISTRICT and can_assist,
            "buttons": LIBRARY_ENTRY.buttons(full, user, bound=form), "history": history(full),
            "today": timezone.localdate()}

    fresh = any(f is not None for f in (assign_form, assistance_form, form, visit_bound))
    return render(request, "evaluation/cultivation.html", {
        "entry": entry, "body_html": page_body(request, f"cultivation:{entry.pk}", "evaluation/_cultivation_body.html",
                                               context, fresh=fresh)}, status=400 if fresh else 200)


def cultivation_again(request, entry, *, action, form):
    return cultivation(request, entry.public_id, action=action, form=form)


@require_POST
def assign_expert(request, public_id):
    entry = selectors.entry_get_for_user(request.user, public_id)
    if not allowed("applications.assign_review_task", request.user, entry):
        raise PermissionDenied
    form = AssignExpertForm(request.POST, experts=_experts())
    if form.is_valid():
        try:
            services.assessment_assign_expert(entry=entry, actor=request.user, expert=form.cleaned_data["expert"],
                                              due_on=form.cleaned_data["due_on"], note=form.cleaned_data["note"],
                                              request=request)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("已指派评估专家，专家将收到待办通知。"))
            return redirect("evaluation:cultivation", entry.public_id)
    return cultivation(request, public_id, assign_form=form)


@require_POST
def assign_assistance(request, public_id):
    entry = selectors.entry_get_for_user(request.user, public_id)
    if not services.can_assign_assistance(request.user, entry):
        raise PermissionDenied
    form = AssistanceForm(request.POST, organisations=_assistance_organisations())
    if form.is_valid():
        try:
            services.assistance_assign(entry=entry, actor=request.user, organisation=form.cleaned_data["organisation"],
                                       scope=form.cleaned_data["scope"], request=request)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("已指派技术帮扶机构。"))
            return redirect("evaluation:cultivation", entry.public_id)
    return cultivation(request, public_id, assistance_form=form)


# --- The assessment ------------------------------------------------------------------------------------------------


def _result_view(assessment, scorings):
    """The combined result to show: as confirmed (kept) or as the submitted scores give it now."""
    if assessment.status == AssessmentStatus.CONFIRMED:
        record = assessment.result
    else:
        submitted = [s for s in scorings if s.submitted]
        record = services.assessments.result_record(services.assessment_result(assessment, scorings),
                                                    experts=len(submitted)) if submitted else None
    if not record:
        return None, ""
    areas = [(a["name"], a["earned"], a["maximum"]) for a in record["areas"]]
    return record, {"radar": radar_svg(areas, title=_("各一级指标得分率")),
                    "bars": bar_svg(areas, title=_("各一级指标得分"))}


def assessment_detail(request, public_id, *, action=None, form=None):
    user = request.user
    heading = selectors.assessment_heading_for_user(user, public_id)

    def context():
        assessment = selectors.assessment_get_for_user(user, public_id)
        scorings = selectors.scorings_of(assessment)
        # The enterprise sees the result once it is confirmed, not the experts' work in progress.
        if user.role == Role.ENTERPRISE and assessment.status != AssessmentStatus.CONFIRMED:
            record, charts = None, ""
        else:
            record, charts = _result_view(assessment, scorings)
        gaps = services.assessments.record_gaps(record) if record else []
        mine = next((s for s in scorings if s.expert_id == user.pk and s.task.status != "declined"), None)
        return {
            "assessment": assessment, "entry": assessment.entry, "scorings": scorings, "record": record,
            "charts": charts, "gaps": gaps, "measures": selectors.measures_of(assessment), "mine": mine,
            "can_score": mine is not None and allowed("evaluation.score", user, mine),
            "can_draft": services.can_draft_plan(user, assessment),
            "show_scorings": user.role != Role.ENTERPRISE,
            "buttons": ASSESSMENT.buttons(assessment, user, bound=form), "history": history(assessment),
            "today": timezone.localdate()}

    return render(request, "evaluation/assessment_detail.html", {
        "entry": heading.entry, "body_html": page_body(
            request, f"assessment:{heading.pk}", "evaluation/_assessment_detail_body.html", context,
            fresh=form is not None)}, status=400 if form is not None else 200)


def assessment_again(request, assessment, *, action, form):
    return assessment_detail(request, assessment.public_id, action=action, form=form)


def scoring_edit(request, public_id):
    """The expert's scoring sheet: only the assigned expert, while the assessment is open. The expert's own scoring
    (through an assignment not declined: what makes the assessment theirs to see) is the scope: one query."""
    mine = selectors.own_scoring(request.user, public_id)
    heading = mine.assessment
    if not allowed("evaluation.score", request.user, mine):
        messages.info(request, _("您的评分已提交或评估已确认，不能再修改。"))
        return redirect("evaluation:assessment_detail", heading.public_id)

    def context(data=None):
        assessment = selectors.assessment_get_for_user(request.user, public_id)
        indicators = list(assessment.system.indicators.select_related("area"))
        recorded = {item.indicator_id: item for item in mine.items.all()}
        values = computed_values(assessment)
        form = ScoringForm(data, initial={"visited_on": mine.visited_on, "opinion": mine.opinion},
                           indicators=indicators, recorded=recorded, values=values)
        preview = scoring.score(list(assessment.system.areas.all()), indicators,
                                services.assessments.scoring_entries(mine, indicators, values))
        return {"assessment": assessment, "entry": assessment.entry, "form": form, "scoring": mine,
                "preview": preview, "evidence": selectors.scoring_evidence(mine), "evidence_form": DocumentForm()}

    page = {"assessment": heading, "entry": heading.entry}
    if request.method != "POST":
        return render(request, "evaluation/scoring_form.html", {**page, "body_html": page_body(
            request, f"scoring:{mine.pk}", "evaluation/_scoring_form_body.html", context)})
    submit, upload = "submit" in request.POST, "upload" in request.POST
    filled = context(request.POST)
    form = filled["form"]
    if form.is_valid():
        try:
            services.scoring_save(expert_scoring=mine, actor=request.user,
                                  visited_on=form.cleaned_data["visited_on"], opinion=form.cleaned_data["opinion"],
                                  items=form.items(), submit=submit and not upload, request=request)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            if not upload:
                messages.success(request, _("评分已提交，评审任务已完成。") if submit else _("评分已保存。"))
                return redirect("evaluation:assessment_detail" if submit else "evaluation:scoring_edit",
                                heading.public_id)
            # The evidence goes with the scores typed beside it: they are saved first, so nothing typed is lost.
            evidence_form = DocumentForm(request.POST, request.FILES)
            if evidence_form.is_valid():
                try:
                    services.scoring_evidence_upload(expert_scoring=mine, actor=request.user, request=request,
                                                     uploaded_file=evidence_form.cleaned_data["file"])
                except ValidationError as error:
                    form_add_service_errors(evidence_form, error)
                else:
                    messages.success(request, _("评分已保存，现场证据已上传。"))
                    return redirect("evaluation:scoring_edit", heading.public_id)
            filled = {**context(), "evidence_form": evidence_form}
            messages.info(request, _("评分已保存。"))
    return render(request, "evaluation/scoring_form.html", {**page, "body_html": page_body(
        request, "", "evaluation/_scoring_form_body.html", lambda: filled, fresh=True)}, status=400)


def scoring_evidence_download(request, public_id, evidence_id):
    assessment = selectors.assessment_get_for_user(request.user, public_id)
    evidence = ScoringEvidence.objects.filter(scoring__assessment=assessment, pk=evidence_id).first()
    if evidence is None or request.user.role == Role.ENTERPRISE:
        raise Http404
    return document_response(request, evidence,
                             back_url=reverse("evaluation:assessment_detail", args=[assessment.public_id]))


def report_pdf(request, public_id):
    assessment = selectors.assessment_get_for_user(request.user, public_id)
    pdf, filename = services.assessment_report_pdf(assessment=assessment, actor=request.user, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(filename)
    return response


# --- The plan ------------------------------------------------------------------------------------------------------


@require_POST
def plan_from_gaps(request, public_id):
    assessment = selectors.assessment_get_for_user(request.user, public_id)
    try:
        made = services.plan_draft_from_gaps(assessment=assessment, actor=request.user, request=request)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已根据差距分析生成 %(n)d 个改造项目，请逐项修改完善。") % {"n": len(made)})
    return redirect(reverse("evaluation:assessment_detail", args=[assessment.public_id]) + "#plan")


def _measure_form_page(request, assessment, measure):
    if not services.can_draft_plan(request.user, assessment):
        raise PermissionDenied
    form = MeasureForm(request.POST or None, instance=measure, system=assessment.system)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.measure_save(measure=form.instance, actor=request.user, request=request)
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                messages.success(request, _("改造项目已保存。"))
                return redirect(reverse("evaluation:assessment_detail", args=[assessment.public_id]) + "#plan")
        status = 400
    return render(request, "evaluation/measure_form.html", {"assessment": assessment, "form": form,
                                                            "measure": measure}, status=status)


def measure_add(request, public_id):
    assessment = selectors.assessment_get_for_user(request.user, public_id)
    return _measure_form_page(request, assessment, ImprovementMeasure(assessment=assessment))


def measure_edit(request, public_id):
    measure = selectors.measure_get_for_user(request.user, public_id)
    return _measure_form_page(request, measure.assessment, measure)


@require_POST
def measure_delete(request, public_id):
    measure = selectors.measure_get_for_user(request.user, public_id)
    assessment = measure.assessment
    services.measure_delete(measure=measure, actor=request.user, request=request)
    messages.success(request, _("改造项目已删除。"))
    return redirect(reverse("evaluation:assessment_detail", args=[assessment.public_id]) + "#plan")


def measure_detail(request, public_id, *, action=None, form=None, progress_form=None):
    user = request.user
    heading = selectors.measure_heading_for_user(user, public_id)

    def context():
        measure = selectors.measure_get_for_user(user, public_id)
        can_work = (allowed("evaluation.work_on_measure", user, measure) and measure.is_open
                    and measure.assessment.status == AssessmentStatus.CONFIRMED)
        return {
            "measure": measure, "assessment": measure.assessment, "entry": measure.entry,
            "evidence": selectors.measure_evidence(measure), "can_work": can_work,
            "reports": selectors.measure_progress_reports(measure),
            "progress_form": progress_form or (ProgressForm() if can_work else None),
            "evidence_form": DocumentForm() if can_work else None,
            "buttons": MEASURE.buttons(measure, user, bound=form) if measure.assessment.status == "confirmed" else {},
            "history": history(measure), "overdue": measure.overdue_on(timezone.localdate())}

    fresh = form is not None or progress_form is not None
    return render(request, "evaluation/measure_detail.html", {
        "measure": heading, "assessment": heading.assessment, "body_html": page_body(
            request, f"measure:{heading.pk}", "evaluation/_measure_detail_body.html", context, fresh=fresh)},
        status=400 if fresh else 200)


def measure_again(request, measure, *, action, form):
    return measure_detail(request, measure.public_id, action=action, form=form)


@require_POST
def measure_progress(request, public_id):
    measure = selectors.measure_get_for_user(request.user, public_id)
    form = ProgressForm(request.POST)
    if form.is_valid():
        try:
            services.measure_report_progress(measure=measure, actor=request.user,
                                             progress=form.cleaned_data["progress"], request=request)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("进展情况已保存。"))
            return redirect("evaluation:measure_detail", measure.public_id)
    return measure_detail(request, public_id, progress_form=form)


@require_POST
def measure_evidence_upload(request, public_id):
    measure = selectors.measure_get_for_user(request.user, public_id)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.measure_evidence_upload(measure=measure, uploaded_file=form.cleaned_data["file"],
                                             actor=request.user, request=request)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("进展证明已上传。"))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("evaluation:measure_detail", measure.public_id)


def measure_evidence_download(request, public_id, evidence_id):
    measure = selectors.measure_get_for_user(request.user, public_id)
    evidence = MeasureEvidence.objects.filter(measure=measure, pk=evidence_id).first()
    if evidence is None:
        raise Http404
    return document_response(request, evidence, back_url=reverse("evaluation:measure_detail", args=[public_id]))


assessment_action = action_view("assessment")
measure_action = action_view("measure")
entry_action = action_view("library_entry")
