"""The intake form and its PDF, the case page and its actions, the stamped scan, the district's queue."""

import hashlib

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import allowed, rule_required
from applications import selectors, services, workflows
from applications.forms import (
    IntakeForm,
    ScanForm,
)
from applications.models import CriterionResult, EntryCriterion, IntakeStatus
from applications.views import rows as rows_display
from greenfactory import display
from greenfactory.documents import document_response
from greenfactory.forms import form_add_service_errors
from greenfactory.kept_forms import unbound_form_html
from greenfactory.paging import counted_page_of
from greenfactory.portal import REFERENCE_SCOPE, kept, shell_scopes_for
from greenfactory.text import join_list
from greenfactory.uploads import content_disposition
from greenfactory.workflow_views import action_view

PAGE_SIZE = 50
QUEUE_PAGE_SIZE = 50


# --- The enterprise's application ------------------------------------------------------------------------------------


@require_POST
def intake_start(request, public_id):
    campaign = selectors.campaign_get_for_user(request.user, public_id)
    try:
        application = services.intake_start(campaign=campaign, actor=request.user, request=request)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("applications:campaign_list")
    return redirect("applications:intake_edit", application.public_id)


def _intake_form_page(request, application, form, saved, form_html=None):
    """The form, with the current round's return reason on top and, beside the submit button, the entry criteria
    the draft as saved (``saved``) would not meet. ``form_html``: the unbound form's markup (``_kept_form_html``)
    instead of ``form``."""
    warnings = services.entry_criteria_warnings(saved)
    return render(request, "applications/intake/intake_form.html", {
        "application": application, "form": form, "form_html": form_html, "criteria_warnings": warnings,
        "criteria_acknowledged": ",".join(w.criterion for w in warnings),
    })


def _kept_form_html(request, application) -> str:
    """The draft's form as it opens (unbound: its saved values, no errors), kept (``kept``) until a form the
    enterprise's unit posts (its own saves), a transition or an official's form, or a change of reference data (the
    industries it offers); the day is in the key (the date fields' latest allowed day). Its markup holds no token:
    the page's form tag carries the view's own (``_intake_helper``: ``disable_csrf``; ``greenfactory.kept_forms``)."""
    key = f"intake-form:{application.pk}:{get_language()}:{timezone.localdate()}"
    return kept(key, lambda: unbound_form_html(IntakeForm(instance=application)),
                reads=(*shell_scopes_for(request.user).reads, REFERENCE_SCOPE))


def intake_edit(request, public_id):
    application = selectors.intake_get_for_user(request.user, public_id, details=False)
    if not allowed("applications.edit_intake", request.user, application):
        raise PermissionDenied
    if application.status != IntakeStatus.DRAFT:
        if request.method == "POST":
            # A form opened before submission and posted after it: the service answers 409 with what happened and
            # a link back, rather than the edit being dropped without a word.
            services.intake_save(application=application, actor=request.user, data={})
        return redirect("applications:intake_detail", application.public_id)
    saved = application
    if request.method != "POST":
        return _intake_form_page(request, application, None, saved, _kept_form_html(request, application))
    form = IntakeForm(request.POST, instance=application)
    if form.is_valid():
        data = {name: form.cleaned_data[name] for name in IntakeForm.Meta.fields if name in form.cleaned_data}
        try:
            saved = services.intake_save(application=application, actor=request.user, data=data)
            if "submit" in request.POST:
                services.intake_submit(application=saved, actor=request.user, request=request,
                                       acknowledged_criteria=workflows.acknowledged_criteria(request))
                messages.success(request, _("入库申请已提交。请下载申请表，签字盖章后上传扫描件。"))
                return redirect("applications:intake_detail", application.public_id)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("草稿已保存。"))
            return redirect("applications:intake_edit", application.public_id)
    else:
        # The form changed the instance in memory.
        saved = selectors.intake_get_for_user(request.user, public_id, details=False)
    return _intake_form_page(request, application, form, saved)


def _reason_forms(application, bound=None, shown=None):
    """The page's reason forms by prefix (those in ``shown``, all by default; None for the others); ``bound`` (a
    form the official posted) takes its place."""
    forms = {prefix: workflows.reason_form(application, prefix=prefix) if shown is None or prefix in shown else None
             for prefix, _label in workflows.REASON_FORMS}
    if bound is not None:
        forms[bound.prefix] = bound
    return forms


def _record_key(public_id) -> str:
    # The history's labels are translated: one record a language.
    return f"intake-case:{public_id}:{get_language()}"


def _intake_detail_page(request, application, record, reason_forms=None, status=200):
    user = request.user
    actions = workflows.INTAKE.buttons(application, user)
    # The criteria's labels from choice_labels, once a page (get_FOO_display hashes every lazy label each call).
    names, results = display.choice_labels(EntryCriterion), display.choice_labels(CriterionResult)
    criteria = [{"criterion": criterion, "label": names.get(criterion, criterion), "result": result,
                 "result_label": results.get(result, result), "reason": reason}
                for criterion, result, reason in record["criteria"]]
    not_met = [c for c in criteria if c["result"] != CriterionResult.MET]  # services.criteria_not_met
    can_decide = "accept" in actions or "return" in actions
    if can_decide or reason_forms:
        # The decision's forms and question read the criteria as the services do (the reason limit).
        selectors.intake_case_with_criteria(application)
    # Only the forms the page shows: the district's decision (return, reject, admit) and the reinstatement.
    shown = ({None, "accept"} if can_decide else set()) | ({"reinstate"} if "reinstate" in actions else set())
    reason_forms = reason_forms or _reason_forms(application, shown=shown)
    return render(request, "applications/intake/intake_detail.html", {
        "application": application,
        "criteria": criteria if application.status != IntakeStatus.DRAFT else [],
        "history": {"html": record["history"]} if record["history"] else None,
        "fields_html": rows_display.intake_fields_html(application),
        "actions": actions,
        "can_edit": allowed("applications.edit_intake", user, application),
        "can_decide": can_decide,
        "criteria_not_met": not_met,
        "criteria_not_met_numbers": join_list(c["criterion"] for c in not_met),
        "reinstate_closed": application.status == IntakeStatus.WITHDRAWN and "reinstate" not in actions
        and workflows.INTAKE.action("reinstate").permitted(application, user),
        "reason_form": reason_forms[None],
        "accept_form": reason_forms["accept"],
        "reinstate_form": reason_forms["reinstate"],
        "scan_form": ScanForm(),
        "latest_scan": record["scan"],
    }, status=status)


def intake_detail(request, public_id):
    # What the page shows besides the application's row (selectors.intake_case_record) is kept across requests
    # under the case and the language: it changes only through the portal (a transition, an upload, a posted
    # form), which moves the generations ``kept`` compares. The row itself, and so the scope (404), is read on every
    # view; when the record is computed, from the row read with its campaign, district, industry and enterprise.
    loaded = []

    def record_of_case():
        loaded.append(selectors.intake_case_for_user(request.user, public_id))
        return selectors.intake_case_record(loaded[0])

    record = kept(_record_key(public_id), record_of_case)
    application = loaded[0] if loaded else selectors.intake_case_with_record(request.user, public_id, record)
    return _intake_detail_page(request, application, record)


def intake_case_again(request, application, *, action, form):
    """A decision refused (a reason missing, no current scan, already in the library …): the case page again with
    the official's form as posted and the refusal on it, so that nothing typed is lost (a redirect would empty the
    reason box)."""
    record = kept(_record_key(application.public_id), lambda: selectors.intake_case_record(application))
    return _intake_detail_page(request, application, record, _reason_forms(application, bound=form))


intake_action = action_view("intake")


def intake_pdf(request, public_id):
    application = selectors.intake_get_for_user(request.user, public_id)
    pdf, filename = services.intake_form_pdf(application=application, actor=request.user, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(filename)
    return response


@require_POST
def scan_upload(request, public_id):
    application = selectors.intake_get_for_user(request.user, public_id)
    form = ScanForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.scan_upload(application=application, actor=request.user,
                                 uploaded_file=form.cleaned_data["scan"], request=request)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("盖章扫描件已上传。"))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("applications:intake_detail", application.public_id)


def scan_download(request, public_id, scan_id):
    application = selectors.intake_get_for_user(request.user, public_id)
    scan = next((s for s in application.scans.all() if s.pk == scan_id), None)
    if scan is None:
        raise Http404
    return document_response(request, scan,
                             back_url=reverse("applications:intake_detail", args=[application.public_id]))


# --- District screening and the library ------------------------------------------------------------------------------


# A row of the district's queue (applications/intake/intake_queue.html), written in Python (``html_rows``).
QUEUE_ROW = """    <tr>
      <td>{name}<div class="small text-muted">{credit_code}</div><div class="small text-muted">{industry}</div></td>
      <td>{year}</td>
      <td>{badges}</td>
      <td>{scan}</td>
      <td>{submitted}</td>
      <td><a class="btn btn-sm btn-primary" href="{url}">{review}</a></td>
    </tr>
"""
SCAN_IN = '<i class="bi bi-check-circle text-success" aria-hidden="true"></i> {}'
SCAN_MISSING = '<span class="text-muted">{}</span>'


@rule_required("applications.view_intake_queue")
def intake_queue(request):
    # A page of the queue, oldest first (a deadline week brings hundreds): the rows with the total of the queue
    # (counted_page_of), their criteria (kept for the page's applications): two queries however long the queue.
    page = counted_page_of(request, selectors.intake_queue_page_for_user(request.user), QUEUE_PAGE_SIZE)
    rows, detail_url = list(page.object_list), display.url_with_public_id("applications:intake_detail")
    badges = _criteria_badges(request.user, [a["pk"] for a in rows])
    industries, years = selectors.industry_names(), selectors.campaign_years()
    scan_in, scan_missing, review = format_html(SCAN_IN, _("已上传")), format_html(SCAN_MISSING, _("未上传")), _("审核")
    rows_html = display.html_rows(QUEUE_ROW, ({
        "name": a["company_name"], "credit_code": a["credit_code"], "industry": industries.get(a["industry_id"], ""),
        "year": years.get(a["campaign_id"], ""), "badges": badges[a["pk"]],
        "scan": scan_in if a["has_scan"] else scan_missing, "submitted": display.local_minute(a["submitted_at"]),
        "url": detail_url(a["public_id"]), "review": review,
    } for a in rows))
    return render(request, "applications/intake/intake_queue.html",
                  {"page": page, "rows": rows, "rows_html": rows_html})


def _criteria_badges(user, ids) -> dict:
    """{application id: its criteria's badges} for a page of the queue. The results are written when an application
    is submitted (a transition) and read-only while it waits, so a page's badges are kept (``kept``) for its
    applications until a change the official may see."""
    def badges():
        labels = display.choice_labels(EntryCriterion)
        return {pk: rows_display.criteria_badges(criteria, labels)
                for pk, criteria in selectors.criteria_by_application(ids).items()}

    if not ids:
        return {}
    digest = hashlib.blake2b(repr(ids).encode(), digest_size=12).hexdigest()
    return kept(f"intake-queue-criteria:{user.pk}:{get_language()}:{digest}", badges,
                reads=shell_scopes_for(user).reads)


def my_applications(request):
    if not allowed("applications.apply", request.user):
        raise PermissionDenied
    # What the list shows: each application's campaign and state, with its link, label and note made here once a
    # page (a {% url %}, get_status_display and {% translate %} a row cost more than the rest of the row).
    applications = selectors.intake_list_for_user(request.user, details=False).select_related("campaign")
    states, detail_url = display.choice_labels(IntakeStatus), display.url_with_public_id("applications:intake_detail")
    by_deadline = {IntakeStatus.DRAFT: _("请在%(deadline)s前填写并提交。"),
                   IntakeStatus.WITHDRAWN: _("已撤回。如需恢复，请在%(deadline)s前联系区县经信部门。")}
    notes = {IntakeStatus.SUBMITTED: _("等待区县经信部门审核。"),
             IntakeStatus.RETURNED: _("已退回，请按退回意见修改后重新提交。")}

    def note(application):
        if application.status in by_deadline:
            return by_deadline[application.status] % {"deadline": f"{application.campaign.deadline:%Y-%m-%d}"}
        return notes.get(application.status, "")

    rows = [{"title": a.campaign.title, "url": detail_url(a.public_id), "status": states.get(a.status, a.status),
             "note": note(a)} for a in applications]
    return render(request, "applications/intake/my_applications.html", {"rows": rows})
