"""The certification application's pages (认定申报, 第九条、第十条): the applicant's start page, the case page every
role in scope reads (progress, conditions, self-evaluation, evaluator, report, the district's checklist and the review
rounds, history, buttons), and the forms posted from it. The self-evaluation and report sheets are in ``sheets``."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.choices import Role
from applications import selectors as applications_selectors
from applications import services as applications_services
from applications.access import can_edit_certification, can_read_district_review, can_review_certification
from applications.certification_progress import NEXT, progress_line
from applications.models import CertificationStatus as Status
from applications.models import (
    ConditionEvidence,
    ReviewAnswerFile,
    ReviewItem,
    UnitKind,
    Verdict,
)
from evaluation import selectors, services
from evaluation.forms.certification import AnswersForm, ChecklistForm, CommissionForm, ConditionsForm, ItemDocumentForm
from evaluation.models import EvaluationReport
from evaluation.services.assessments import record_gaps
from evaluation.views.certification_city import city_review_context
from evaluation.workflows import CERTIFICATION
from greenfactory.documents import document_response
from greenfactory.forms import form_add_service_errors
from greenfactory.kept_forms import page_body
from greenfactory.workflow import history
from greenfactory.workflow_views import action_view


@require_POST
def certification_start(request, public_id):
    certification_round = applications_selectors.round_get_for_user(request.user, public_id)
    try:
        application = applications_services.certification_start(certification_round=certification_round,
                                                                 actor=request.user, request=request)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("applications:round_detail", certification_round.public_id)
    return redirect("evaluation:certification", application.public_id)


def _labels(application):
    return {item.value: item.label for item in application.conditions}


def _checklist_items(application, review):
    return {item.key: item for item in review.items.all()} if review is not None else {}


def certification(request, public_id, *, action=None, form=None, conditions_form=None, commission_form=None,
                  checklist_form=None, answers_form=None, assign_form=None, opinion_form=None, status=200):
    """The case page. Every role in scope reads it; each form is shown to whom may post it, in the states it may.
    Its body is kept per user, language and day until a posted form or a transition changes it (the scope is read
    on every view: a record out of scope is 404 before anything kept is shown)."""
    heading = applications_selectors.certification_heading_for_user(request.user, public_id)
    bound = (form, conditions_form, commission_form, checklist_form, answers_form)
    fresh = any(f is not None for f in (*bound, assign_form, opinion_form))

    def context():
        application = applications_selectors.certification_get_for_user(request.user, public_id)
        return {**case_context(request.user, application, *bound),
                **city_review_context(request.user, application, assign_form=assign_form, opinion_form=opinion_form)}

    body = page_body(request, f"certification:{heading.pk}", "evaluation/certification/_case_body.html", context,
                     fresh=fresh)
    return render(request, "evaluation/certification/case.html", {"application": heading, "body_html": body},
                  status=400 if fresh else status)


def case_context(user, application, form=None, conditions_form=None, commission_form=None, checklist_form=None,
                 answers_form=None) -> dict:
    """What the case page's body shows this user, each row with its label (no lookups in the template)."""
    labels = _labels(application)
    answers = applications_selectors.answers_of(application)
    for answer in answers:
        answer.label = labels.get(answer.item, "")
    checks = applications_services.review_checks(application)
    check_labels = dict(checks)
    reviews = applications_selectors.reviews_of(application)
    for review in reviews:
        for item in review.items.all():
            item.label = check_labels.get(item.key, item.key)
    open_pass = next((r for r in reviews if not r.outcome), None)
    last = next((r for r in reversed(reviews) if r.outcome), None)
    answering = applications_services.answering_review(application)
    editor = can_edit_certification(user, application)
    reviewer = can_review_certification(user, application)
    entries = history(application)
    sheet = selectors.self_evaluation_of(user, application)
    figures = services.certification_figures(application)
    task = applications_services.commission_task(application)
    # The current commission's own report (a case sent back and commissioned again starts a new one).
    current_report = EvaluationReport.objects.filter(task=task).only("id").first() if task else None
    context = {
        "application": application, "answers": answers,
        "article": _("第六条") if application.unit_kind == UnitKind.PARK else _("第七条"),
        "vetoes": applications_services.certification_vetoes(application),
        "missing": applications_services.certification_missing(application),
        "progress": progress_line(application, entries), "next_actor": NEXT.get(application.status, ""),
        "history": entries, "sheet": sheet,
        "gaps": record_gaps(sheet.result, limit=5) if sheet and sheet.result else [],
        "figures": figures,
        "missing_years": [year for year in range(application.round.year - 3, application.round.year)
                          if year not in {f.year for f in figures}],
        "reports": list(selectors.reports_of(user, application)),
        "task": task,
        "current_report": current_report,
        # The district's review is the applicant's and the officials' business, not the evaluator's.
        "closed_reviews": [r for r in reviews if r.outcome] if can_read_district_review(user, application) else [],
        "answering": answering,
        "buttons": CERTIFICATION.buttons(application, user, bound=form), "editor": editor, "reviewer": reviewer,
        "evaluator": user.role == Role.EVALUATOR,
        "may_self_evaluate": applications_services.may_self_evaluate(user, application),
        "may_start_report": applications_services.may_start_report(user, application, current_report),
    }
    if editor and application.status in applications_services.CONDITION_STATES:
        context["conditions_form"] = conditions_form or ConditionsForm(
            initial={"contact_name": application.contact_name, "contact_phone": application.contact_phone,
                     "summary": application.summary}, answers=answers, labels=labels)
        context["evidence_form"] = ItemDocumentForm(choices=list(labels.items()), label=_("基本条件"))
    if editor and application.status == Status.DRAFT and not context["vetoes"] and not context["missing"]:
        context["commission_form"] = commission_form or CommissionForm(initial={
            "due_on": min(timezone.localdate() + timezone.timedelta(days=30), application.round.application_deadline)})
    if reviewer and application.status == Status.SUBMITTED:
        last_items = _checklist_items(application, last)
        # A new pass starts from the last one's lines found 符合 (as the service starts it), the rest to judge again.
        items = (_checklist_items(application, open_pass) if open_pass is not None
                 else {key: ReviewItem(key=key, verdict=Verdict.OK)
                       for key, item in last_items.items() if item.verdict == Verdict.OK})
        context["checklist_form"] = checklist_form or ChecklistForm(checks=checks, items=items)
        context["checklist_form"].last_items = last_items
        context["last_items"] = last_items
        context["changed_since"] = last.closed_at if last else None
        context["changed_conditions"] = [a for a in answers if last and a.updated_at > last.closed_at]
    if editor and answering is not None:
        more = [item for item in answering.items.all() if item.verdict == "more"]
        context["answers_form"] = answers_form or AnswersForm(items=more)
        for item in more:
            item.label = check_labels.get(item.key, item.key)
            item.field = context["answers_form"][f"answer_{item.key}"]
        context["answer_items"] = more
        context["answer_file_form"] = ItemDocumentForm(
            choices=[(i.key, check_labels.get(i.key, i.key)) for i in more], label=_("补充事项"))
    return context


def certification_again(request, application, *, action, form):
    return certification(request, application.public_id, action=action, form=form, status=400)


certification_action = action_view("certification")


def _application_for_post(request, public_id):
    return applications_selectors.certification_get_for_user(request.user, public_id)


@require_POST
def conditions_save(request, public_id):
    application = _application_for_post(request, public_id)
    form = ConditionsForm(request.POST, answers=applications_selectors.answers_of(application),
                          labels=_labels(application))
    if form.is_valid():
        try:
            applications_services.certification_save(
                application=application, actor=request.user, answers=form.answers_data(), request=request,
                data={name: form.cleaned_data[name] for name in ("contact_name", "contact_phone", "summary")})
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("基本条件已保存。"))
            return redirect(reverse("evaluation:certification", args=[public_id]) + "#conditions")
    return certification(request, public_id, conditions_form=form, status=400)


@require_POST
def condition_evidence(request, public_id):
    application = _application_for_post(request, public_id)
    form = ItemDocumentForm(request.POST, request.FILES, choices=list(_labels(application).items()))
    if form.is_valid():
        try:
            applications_services.condition_evidence_upload(
                application=application, actor=request.user, item=form.cleaned_data["item"],
                uploaded_file=form.cleaned_data["file"], request=request)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("证明材料已上传。"))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(reverse("evaluation:certification", args=[public_id]) + "#conditions")


@require_POST
def commission(request, public_id):
    application = _application_for_post(request, public_id)
    form = CommissionForm(request.POST)
    if form.is_valid():
        try:
            services.commission_evaluator(application=application, actor=request.user,
                                          register=form.cleaned_data["register"], due_on=form.cleaned_data["due_on"],
                                          note=form.cleaned_data["note"], request=request)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("已委托第三方评价机构，机构接受后将开展现场评价。"))
            return redirect("evaluation:certification", public_id)
    return certification(request, public_id, commission_form=form, status=400)


@require_POST
def checklist_save(request, public_id):
    application = _application_for_post(request, public_id)
    form = ChecklistForm(request.POST, checks=applications_services.review_checks(application))
    if form.is_valid():
        try:
            applications_services.district_review_save(application=application, actor=request.user,
                                                       items=form.items(), request=request)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("审核意见已保存。"))
            return redirect(reverse("evaluation:certification", args=[public_id]) + "#checklist")
    return certification(request, public_id, checklist_form=form, status=400)


@require_POST
def answers_save(request, public_id):
    application = _application_for_post(request, public_id)
    review = applications_services.answering_review(application)
    if review is None or not can_edit_certification(request.user, application):
        if not can_edit_certification(request.user, application):
            raise PermissionDenied
        messages.info(request, _("该申报当前无需补充材料。"))
        return redirect("evaluation:certification", public_id)
    more = [item for item in review.items.all() if item.verdict == "more"]
    form = AnswersForm(request.POST, items=more)
    if form.is_valid():
        try:
            applications_services.review_answers_save(application=application, actor=request.user,
                                                      answers=form.answers(), request=request)
            if request.FILES.get("file"):
                upload = ItemDocumentForm(request.POST, request.FILES,
                                          choices=[(i.key, i.key) for i in more])
                if not upload.is_valid():
                    raise ValidationError([m for errors in upload.errors.values() for m in errors])
                applications_services.review_answer_file_upload(
                    application=application, actor=request.user, key=upload.cleaned_data["item"],
                    uploaded_file=upload.cleaned_data["file"], request=request)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("补充材料已保存。确认无误后请点击“提交补充材料”。"))
            return redirect(reverse("evaluation:certification", args=[public_id]) + "#answers")
    return certification(request, public_id, answers_form=form, status=400)


def condition_evidence_download(request, public_id, evidence_id):
    application = applications_selectors.certification_get_for_user(request.user, public_id)
    document = ConditionEvidence.objects.filter(answer__application=application, pk=evidence_id).first()
    if document is None:
        raise Http404
    return document_response(request, document, back_url=reverse("evaluation:certification", args=[public_id]))


def answer_file_download(request, public_id, file_id):
    application = applications_selectors.certification_get_for_user(request.user, public_id)
    document = ReviewAnswerFile.objects.filter(item__review__application=application, pk=file_id).first()
    if document is None or not can_read_district_review(request.user, application):
        raise Http404
    return document_response(request, document, back_url=reverse("evaluation:certification", args=[public_id]))

