"""The score sheets of certification (第九条): the applicant's self-evaluation and the commissioned evaluator's on-site
evaluation with its report. Each is saved as often as needed, files go up beside the scores (saved first, so nothing
typed is lost), and completing or issuing hands the result down to the application."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from applications import selectors as applications_selectors
from applications import services as applications_services
from applications.access import can_edit_certification, is_commissioned_evaluator
from evaluation import scoring, selectors, services
from evaluation.forms.certification import ItemDocumentForm, ReportForm, SelfEvaluationForm
from evaluation.models import ReportDocument, SelfEvaluation, SelfEvaluationEvidence
from evaluation.services.assessments import record_gaps, scoring_entries
from greenfactory.documents import document_response
from greenfactory.forms import form_add_service_errors
from greenfactory.kept_forms import page_body


def _indicator_choices(system):
    return [(str(indicator.pk), f"{indicator.code} {indicator.name}") for indicator in system.indicators.all()]


def _indicator(system, value):
    return system.indicators.filter(pk=value).first() if value else None


def _preview(sheet, indicators):
    return scoring.score(list(sheet.system.areas.all()), indicators,
                         scoring_entries(sheet, indicators, services.sheet_values(sheet)))


def self_evaluation(request, public_id):
    """The applicant's self-evaluation sheet (started by the case page's button), and, for everyone else in scope,
    its result. Its body is kept until a change (``page_body``)."""
    application = applications_selectors.certification_heading_for_user(request.user, public_id)
    # The sheet's scope is its application's, read just now.
    sheet = SelfEvaluation.objects.filter(application_id=application.pk).only("id", "system_id").first()
    editor = can_edit_certification(request.user, application)
    if sheet is None or (request.method == "POST" and "start" in request.POST):
        if not editor:
            raise Http404
        if request.method != "POST":
            # Started by a button on the case page (a POST): opening the address starts nothing.
            return redirect("evaluation:certification", public_id)
        try:
            services.self_evaluation_start(application=application, actor=request.user, request=request)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("evaluation:certification", public_id)
        return redirect("evaluation:self_evaluation", public_id)
    editable = applications_services.may_self_evaluate(request.user, application)

    def context(data=None, upload_form=None):
        full = applications_selectors.certification_get_for_user(request.user, public_id)
        sheet = selectors.self_evaluation_of(request.user, full)
        indicators = list(sheet.system.indicators.select_related("area"))
        recorded = {item.indicator_id: item for item in sheet.items.all()}
        form = SelfEvaluationForm(data, indicators=indicators, recorded=recorded,
                                  values=services.sheet_values(sheet))
        return {"application": full, "sheet": sheet, "form": form, "editable": editable,
                "preview": _preview(sheet, indicators), "gaps": record_gaps(sheet.result) if sheet.result else [],
                "evidence": selectors.self_evaluation_evidence(sheet),
                "upload_form": upload_form or ItemDocumentForm(choices=_indicator_choices(sheet.system),
                                                               label=_("对应指标"), required=False)}

    page = {"application": application}
    if request.method != "POST" or not editable:
        return render(request, "evaluation/certification/self_evaluation.html", {**page, "body_html": page_body(
            request, f"self-evaluation:{sheet.pk}", "evaluation/certification/_self_evaluation_body.html",
            context)})
    complete, upload = "complete" in request.POST, "upload" in request.POST
    filled = context(request.POST)
    form = filled["form"]
    if form.is_valid():
        try:
            services.self_evaluation_save(sheet=sheet, actor=request.user, items=form.items(),
                                          complete=complete and not upload, request=request)
            if upload:
                upload_form = ItemDocumentForm(request.POST, request.FILES,
                                               choices=_indicator_choices(sheet.system), required=False)
                filled["upload_form"] = upload_form
                if not upload_form.is_valid():
                    raise ValidationError(_("证明材料未上传，请选择文件。"))
                services.self_evaluation_evidence_upload(
                    sheet=sheet, actor=request.user, uploaded_file=upload_form.cleaned_data["file"],
                    indicator=_indicator(sheet.system, upload_form.cleaned_data["item"]), request=request)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("自评价已完成，得分已计入申报。") if complete and not upload
                             else _("证明材料已上传，自评价已保存。") if upload else _("自评价已保存。"))
            return redirect("evaluation:certification" if complete and not upload
                            else "evaluation:self_evaluation", public_id)
    return render(request, "evaluation/certification/self_evaluation.html", {**page, "body_html": page_body(
        request, "", "evaluation/certification/_self_evaluation_body.html", lambda: filled, fresh=True)},
        status=400)


def self_evidence_download(request, public_id, evidence_id):
    application = applications_selectors.certification_get_for_user(request.user, public_id)
    sheet = selectors.self_evaluation_of(request.user, application)
    document = SelfEvaluationEvidence.objects.filter(sheet=sheet, pk=evidence_id).first() if sheet else None
    if document is None:
        raise Http404
    return document_response(request, document, back_url=reverse("evaluation:self_evaluation", args=[public_id]))


def report_sheet(request, public_id):
    """The evaluator's on-site evaluation and report (started by the case page's button, which accepts the
    commission); the issued report for everyone else in scope. Its body is kept until a change (``page_body``)."""
    application = applications_selectors.certification_heading_for_user(request.user, public_id)
    writer = is_commissioned_evaluator(request.user, application)
    if request.method == "POST" and "start" in request.POST:
        try:
            services.report_start(application=application, actor=request.user, request=request)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("evaluation:certification", public_id)
        return redirect("evaluation:report_sheet", public_id)
    report = selectors.report_heading(request.user, application)
    if writer and application.status == "evaluator_commissioned" and (report is None or report.issued):
        # A commission without its report yet: started by the case page's button.
        return redirect("evaluation:certification", public_id)
    if report is None:
        raise Http404
    editable = writer and not report.issued and report.organisation_id == request.user.organisation_id

    def choices():
        return [("signed", _("签字盖章的评价报告（PDF）"))] + _indicator_choices(report.system)

    def context(data=None, upload_form=None):
        nonlocal report, application
        application = applications_selectors.certification_get_for_user(request.user, public_id)
        report = selectors.reports_of(request.user, application).get(pk=report.pk)
        indicators = list(report.system.indicators.select_related("area"))
        recorded = {item.indicator_id: item for item in report.items.all()}
        form = ReportForm(data, indicators=indicators, recorded=recorded, values=services.sheet_values(report),
                          initial={"visited_from": report.visited_from, "visited_to": report.visited_to,
                                   "evaluators": report.evaluators, "opinion": report.opinion,
                                   "passed": "" if report.passed is None else ("yes" if report.passed else "no")})
        return {"application": application, "report": report, "form": form, "editable": editable,
                "preview": _preview(report, indicators), "documents": selectors.report_documents(report),
                "upload_form": upload_form or ItemDocumentForm(choices=choices(), label=_("文件类别"))}

    page = {"application": application}
    if request.method != "POST" or not editable:
        return render(request, "evaluation/certification/report.html", {**page, "body_html": page_body(
            request, f"report:{report.pk}", "evaluation/certification/_report_body.html", context)})
    issue, upload = "issue" in request.POST, "upload" in request.POST
    filled = context(request.POST)
    form = filled["form"]
    if form.is_valid():
        try:
            if upload:
                filled["upload_form"] = upload_form = ItemDocumentForm(request.POST, request.FILES,
                                                                       choices=choices(), label=_("文件类别"))
                if not upload_form.is_valid():
                    raise ValidationError(_("文件未上传，请选择文件类别和文件。"))
            services.report_save(report=report, actor=request.user, visited_from=form.cleaned_data["visited_from"],
                                 visited_to=form.cleaned_data["visited_to"],
                                 evaluators=form.cleaned_data["evaluators"], passed=form.conclusion,
                                 opinion=form.cleaned_data["opinion"], items=form.items(),
                                 issue=issue and not upload, request=request)
            if upload:
                kind = upload_form.cleaned_data["item"]
                services.report_document_upload(
                    report=report, actor=request.user, uploaded_file=upload_form.cleaned_data["file"],
                    signed=kind == "signed",
                    indicator=None if kind == "signed" else _indicator(report.system, kind), request=request)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("评价报告已出具，已通知申报单位。") if issue and not upload
                             else _("文件已上传，评价内容已保存。") if upload else _("评价内容已保存。"))
            return redirect("evaluation:certification" if issue and not upload else "evaluation:report_sheet",
                            public_id)
    return render(request, "evaluation/certification/report.html", {**page, "body_html": page_body(
        request, "", "evaluation/certification/_report_body.html", lambda: filled, fresh=True)}, status=400)


def report_document_download(request, public_id, document_id):
    application = applications_selectors.certification_get_for_user(request.user, public_id)
    reports = selectors.reports_of(request.user, application)
    document = ReportDocument.objects.filter(report__in=reports, pk=document_id).first()
    if document is None:
        raise Http404
    return document_response(request, document, back_url=reverse("evaluation:report_sheet", args=[public_id]))
