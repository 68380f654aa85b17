"""Campaigns, the intake form and its PDF, the district's screening queue and the cultivation library."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST
from django_fsm_log.models import StateLog

from accounts.access import allowed, rule_required
from accounts.audit import audit_record
from accounts.models import AuditAction, OwnershipType
from accounts.scope import sees_everything
from applications import selectors, services
from applications.forms import (
    CampaignCloseForm,
    CampaignCorrectionForm,
    CampaignExtendForm,
    CampaignForm,
    IntakeForm,
    LibraryFilterForm,
    ReasonForm,
    ScanForm,
)
from applications.models import EntryCriterion, IntakeStatus
from greenfactory.forms import form_add_service_errors
from greenfactory.paging import page_of
from greenfactory.spreadsheet import Column, workbook_bytes, xlsx_response
from greenfactory.text import join_list
from greenfactory.workflow import COMMENT_MAX_LENGTH

PAGE_SIZE = 50


# --- Campaigns -------------------------------------------------------------------------------------------------------


def campaign_list(request):
    campaigns = list(selectors.campaign_list_for_user(request.user))
    mine = {}
    if allowed("applications.apply", request.user):
        # Only each application's state is shown: no criteria or scans (two queries fewer).
        mine = {a.campaign_id: a for a in selectors.intake_list_for_user(request.user).prefetch_related(None)}
    now = timezone.now()
    rows = [{"campaign": c, "phase": c.phase(now), "phase_label": c.get_phase_display(now), "is_open": c.is_open(now),
             "days_left": (c.deadline - timezone.localdate(now)).days, "application": mine.get(c.pk)}
            for c in campaigns]
    return render(request, "applications/campaign_list.html", {
        "rows": rows,
        "can_apply": allowed("applications.apply", request.user),
        "can_manage": allowed("applications.manage_campaign", request.user),
        "can_view": allowed("applications.view_campaign", request.user),
    })


@rule_required("applications.manage_campaign")
def campaign_create(request):
    form = CampaignForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.campaign_create(actor=request.user, data=data, request=request)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("已发布%(title)s。") % {"title": data["title"]})
            return redirect("applications:campaign_list")
    return render(request, "applications/campaign_form.html", {"form": form})


def _campaign_for_official(request, public_id, *, manage=False):
    """The campaign if the user may see it (404 otherwise); 403 for roles without the page or, with ``manage``,
    without the right to change this campaign."""
    if not allowed("applications.view_campaign", request.user):
        raise PermissionDenied
    campaign = selectors.campaign_detail_get_for_user(request.user, public_id)
    if manage and not allowed("applications.manage_campaign", request.user, campaign):
        raise PermissionDenied
    return campaign


CAMPAIGN_PAGE_SIZE = 50
QUEUE_PAGE_SIZE = 50


def campaign_detail(request, public_id, *, extend_form=None, close_form=None):
    campaign = _campaign_for_official(request, public_id)
    now = timezone.now()
    page = Paginator(selectors.campaign_applications_for_user(request.user, campaign),
                     CAMPAIGN_PAGE_SIZE).get_page(request.GET.get("page"))
    can_manage = allowed("applications.manage_campaign", request.user, campaign)
    return render(request, "applications/campaign_detail.html", {
        "campaign": campaign,
        "phase": campaign.phase(now),
        "phase_label": campaign.get_phase_display(now),
        "overview": selectors.campaign_overview_for_user(request.user, campaign, now),
        "page": page,
        "can_correct": can_manage and not campaign.is_over(now),
        "can_extend": can_manage and not campaign.closed_at,
        "can_close": can_manage and not campaign.is_over(now),
        "extend_form": extend_form or CampaignExtendForm(initial={"deadline": campaign.deadline}),
        "close_form": close_form or CampaignCloseForm(),
    }, status=400 if (extend_form or close_form) else 200)


def campaign_edit(request, public_id):
    campaign = _campaign_for_official(request, public_id, manage=True)
    if campaign.is_over():
        messages.error(request, _("该年度培育工作已结束，不能再修改。"))
        return redirect("applications:campaign_detail", campaign.public_id)
    form = CampaignCorrectionForm(request.POST or None, instance=campaign,
                                  districts=services.campaign_scope_districts(campaign))
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_update(campaign=campaign, actor=request.user, changes=form.changes(),
                                     targets=form.target_changes(), seen=form.seen(),
                                     seen_targets=form.seen_targets(), request=request)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("修改已保存。") if form.has_changed() else _("没有修改任何内容。"))
            return redirect("applications:campaign_detail", campaign.public_id)
    return render(request, "applications/campaign_edit.html", {"campaign": campaign, "form": form})


@require_POST
def campaign_extend(request, public_id):
    campaign = _campaign_for_official(request, public_id, manage=True)
    form = CampaignExtendForm(request.POST)
    if form.is_valid():
        try:
            services.campaign_extend(campaign=campaign, actor=request.user, deadline=form.cleaned_data["deadline"],
                                     request=request)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("截止日期已延至%(date)s，尚未提交的企业已收到通知。")
                             % {"date": form.cleaned_data["deadline"]})
            return redirect("applications:campaign_detail", campaign.public_id)
    return campaign_detail(request, public_id, extend_form=form)


@require_POST
def campaign_close(request, public_id):
    campaign = _campaign_for_official(request, public_id, manage=True)
    form = CampaignCloseForm(request.POST)
    if form.is_valid():
        try:
            services.campaign_close(campaign=campaign, actor=request.user, reason=form.cleaned_data["reason"],
                                    request=request)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("该年度培育工作已提前结束，此后不再接受提交。"))
            return redirect("applications:campaign_detail", campaign.public_id)
    return campaign_detail(request, public_id, close_form=form)


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


def _acknowledged_criteria(request) -> set[str]:
    """The failing criteria the form showed beside its submit button (a hidden field), numbers 1–5 only."""
    posted = request.POST.get("criteria_acknowledged", "")
    return {value for value in posted.split(",") if value in EntryCriterion.values}


def _intake_form_page(request, application, form, saved):
    """The form, with the current round's return reason on top and, beside the submit button, the entry criteria
    the draft as saved (``saved``) would not meet."""
    warnings = services.entry_criteria_warnings(saved)
    return render(request, "applications/intake_form.html", {
        "application": application, "form": form, "criteria_warnings": warnings,
        "criteria_acknowledged": ",".join(w.criterion for w in warnings),
    })


def intake_edit(request, public_id):
    application = selectors.intake_get_for_user(request.user, public_id)
    if not allowed("applications.edit_intake", request.user, application):
        raise PermissionDenied
    if application.status != IntakeStatus.DRAFT:
        if request.method == "POST":
            # A form opened before submission and posted after it: the service answers 409 with what happened and
            # a link back, rather than the edit being dropped without a word.
            services.intake_save(application=application, actor=request.user, data={})
        return redirect("applications:intake_detail", application.public_id)
    saved = application
    form = IntakeForm(request.POST or None, instance=application)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in IntakeForm.Meta.fields if name in form.cleaned_data}
        try:
            saved = services.intake_save(application=application, actor=request.user, data=data)
            if "submit" in request.POST:
                services.intake_submit(application=saved, actor=request.user, request=request,
                                       acknowledged_criteria=_acknowledged_criteria(request))
                messages.success(request, _("入库申请已提交。请下载申请表，签字盖章后上传扫描件。"))
                return redirect("applications:intake_detail", application.public_id)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("草稿已保存。"))
            return redirect("applications:intake_edit", application.public_id)
    elif request.method == "POST":
        saved = selectors.intake_get_for_user(request.user, public_id)  # the form changed the instance in memory
    return _intake_form_page(request, application, form, saved)


def _history(application):
    # One query however long the history: each entry's state labels read its content type (one query a row without
    # the join).
    return StateLog.objects.for_(application).select_related("by", "content_type").order_by("timestamp", "pk")


# How each action on the intake page is asked for: the rule checked first (403 before any state message), and the
# prefix of its reason field (None: the shared return/reject form; absent: no reason).
INTAKE_ACTIONS = {
    "submit": ("applications.edit_intake", False),
    "withdraw": ("applications.edit_intake", False),
    "delete": ("applications.edit_intake", False),
    "reopen": ("applications.edit_intake", False),
    "accept": ("applications.decide_intake", "accept"),
    "return": ("applications.decide_intake", None),
    "reject": ("applications.decide_intake", None),
    "reinstate": ("applications.decide_intake", "reinstate"),
}


def _reason_forms(not_met, data=None, bound=None):
    """The page's reason forms; the one named by ``bound`` takes the posted data. The reason to admit against the
    criteria in ``not_met`` is limited so that, with the prefix naming them, the stored comment fits."""
    forms = {}
    for prefix, label in ((None, _("原因")), ("accept", _("纳入理由")), ("reinstate", _("恢复原因"))):
        limit = services.accept_reason_limit(not_met) if prefix == "accept" else COMMENT_MAX_LENGTH
        forms[prefix] = ReasonForm(data if prefix == bound else None, prefix=prefix, label=label, max_length=limit)
    return forms


def _intake_detail_page(request, application, reason_forms=None, status=200):
    user = request.user
    actions = selectors.intake_actions_for_user(user, application)
    can_decide = allowed("applications.decide_intake", user, application)
    not_met = services.criteria_not_met(application)
    reason_forms = reason_forms or _reason_forms(not_met)
    return render(request, "applications/intake_detail.html", {
        "application": application,
        "history": _history(application),
        "actions": actions,
        "can_edit": allowed("applications.edit_intake", user, application),
        "can_decide": can_decide and application.status == IntakeStatus.SUBMITTED,
        "criteria_not_met": not_met,
        "criteria_not_met_numbers": join_list(c.criterion for c in not_met),
        "reinstate_closed": can_decide and application.status == IntakeStatus.WITHDRAWN
        and "reinstate" not in actions,
        "reason_form": reason_forms[None],
        "accept_form": reason_forms["accept"],
        "reinstate_form": reason_forms["reinstate"],
        "scan_form": ScanForm(),
        "latest_scan": application.current_scan(),
    }, status=status)


def intake_detail(request, public_id):
    return _intake_detail_page(request, selectors.intake_get_for_user(request.user, public_id))


def _run_action(action, *, application, user, reason, request):
    if action == "submit":
        return services.intake_submit(application=application, actor=user, request=request,
                                      acknowledged_criteria=_acknowledged_criteria(request))
    if action in ("withdraw", "delete", "reopen"):
        service = {"withdraw": services.intake_withdraw, "delete": services.intake_delete,
                   "reopen": services.intake_reopen}[action]
        return service(application=application, actor=user, request=request)
    if action == "accept":
        return services.intake_accept(application=application, actor=user, comment=reason, request=request)
    service = {"return": services.intake_return, "reject": services.intake_reject,
               "reinstate": services.intake_reinstate}[action]
    return service(application=application, actor=user, reason=reason, request=request)


INTAKE_ACTION_DONE = {
    "submit": _lazy("入库申请已提交。"),
    "withdraw": _lazy("入库申请已撤回。区县经信部门不再审核该申请；如需恢复，请在截止日期前联系区县经信部门。"),
    "delete": _lazy("草稿已删除。如需申请，可在“年度培育工作”中重新填报。"),
    "reopen": _lazy("申请已退回草稿，可修改后重新提交。"),
    "accept": _lazy("已纳入培育库。"),
    "return": _lazy("已退回企业修改。"),
    "reject": _lazy("已作出不予入库的决定。"),
    "reinstate": _lazy("申请已恢复为草稿，已通知企业在截止日期前重新提交。"),
}


def _decision_refused_page(request, application, forms, form, error: ValidationError):
    """A decision the service refused (no current scan, already in the library, a reason missing …): the case page
    again with the official's forms as posted and the refusal on the form that was used, so that nothing typed is
    lost (a redirect would empty the reason box)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
    return _intake_detail_page(request, application, forms)


@require_POST
def intake_action(request, public_id, action):
    if action not in INTAKE_ACTIONS:
        raise Http404
    application = selectors.intake_get_for_user(request.user, public_id)
    rule, prefix = INTAKE_ACTIONS[action]
    # Permission first: a wrong-role request is refused (403) before anything is said about the case's state.
    if not allowed(rule, request.user, application):
        raise PermissionDenied
    reason = ""
    forms = None
    if prefix is not False:
        forms = _reason_forms(services.criteria_not_met(application), request.POST, bound=prefix)
        if not forms[prefix].is_valid():
            return _intake_detail_page(request, application, forms)
        reason = forms[prefix].cleaned_data["reason"]
    try:
        _run_action(action, application=application, user=request.user, reason=reason, request=request)
    except ValidationError as error:
        if forms is not None:
            return _decision_refused_page(request, application, forms, forms[prefix], error)
        for message in error.messages:
            messages.error(request, message)
        return redirect("applications:intake_detail", application.public_id)
    messages.success(request, INTAKE_ACTION_DONE[action])
    if action == "delete":
        return redirect("applications:my_applications")
    if action == "reopen":
        return redirect("applications:intake_edit", application.public_id)
    if action in ("accept", "return", "reject"):
        return redirect("applications:intake_queue")
    return redirect("applications:intake_detail", application.public_id)


def intake_pdf(request, public_id):
    from greenfactory.pdf import render_pdf
    from greenfactory.uploads import content_disposition

    application = selectors.intake_get_for_user(request.user, public_id)
    domestic = [OwnershipType.STATE, OwnershipType.COLLECTIVE, OwnershipType.PRIVATE]
    pdf = render_pdf("pdf/intake_form.html", {
        "application": application,
        # The form prints 内资（国有 集体 民营） then the other three, as the official table does.
        "ownership_domestic": list(zip(domestic, [_("国有"), _("集体"), _("民营")], strict=True)),
        "ownership_other": [(c, c.label) for c in OwnershipType if c not in domestic],
    })
    audit_record(action=AuditAction.DOWNLOAD, actor=request.user, obj=application, request=request,
                 detail={"document": "intake_form.pdf"})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(
        _("绿色工厂培育入库申请表-%(name)s.pdf") % {"name": application.applicant_name})
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
    from greenfactory.uploads import content_disposition, verify_sha256

    application = selectors.intake_get_for_user(request.user, public_id)
    scan = next((s for s in application.scans.all() if s.pk == scan_id), None)
    if scan is None:
        raise Http404
    with scan.file.open("rb") as handle:
        if not verify_sha256(handle, scan.sha256):
            raise Http404(_("文件校验失败。"))
    audit_record(action=AuditAction.DOWNLOAD, actor=request.user, obj=application, request=request,
                 detail={"scan": scan.sha256})
    response = FileResponse(scan.file.open("rb"), content_type=scan.content_type)
    response["Content-Disposition"] = content_disposition(scan.original_name)
    return response


# --- District screening and the library ------------------------------------------------------------------------------


@rule_required("applications.view_intake_queue")
def intake_queue(request):
    # A page of the queue, oldest first (a deadline week brings hundreds): the count, the rows with campaign,
    # district, industry and enterprise, their criteria, their scans — three queries however long the queue.
    page = page_of(request, selectors.intake_queue_for_user(request.user), QUEUE_PAGE_SIZE)
    return render(request, "applications/intake_queue.html", {"page": page, "rows": page.object_list})


def my_applications(request):
    if not allowed("applications.apply", request.user):
        raise PermissionDenied
    return render(request, "applications/my_applications.html",
                  {"rows": list(selectors.intake_list_for_user(request.user))})


def _library_queryset(request):
    city_wide = sees_everything(request.user)
    form = LibraryFilterForm(request.GET or None, district_choice=city_wide)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.library_list_for_user(
        request.user, year=filters.get("year"), district=filters.get("district"), sector=filters.get("sector"),
        industry=filters.get("industry"), status=filters.get("status"),
    )
    return form, filters, qs


@rule_required("applications.view_library")
def library(request):
    form, filters, qs = _library_queryset(request)
    # Only the columns the page shows: each row joins its application (about 40 columns, JSON and decimals) only for
    # its link, and its enterprise only for its name.
    qs = qs.only("public_id", "sector", "status", "entered_at", "campaign__year", "district__name",
                 "enterprise__name", "industry__name", "application__public_id")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    summary = selectors.library_summary_for_user(request.user, year=filters.get("year"),
                                                 district=filters.get("district"))
    return render(request, "applications/library.html", {"form": form, "page": page, "summary": summary})


# The columns officials use. 联系人 and 联系电话 are the preparer's from the form: the export is for officials only
# (view_library). The cultivation scores join these columns when the cultivation assessment arrives.
LIBRARY_COLUMNS = [
    Column(_lazy("培育年度"), 10), Column(_lazy("区县"), 14), Column(_lazy("公司名称"), 36),
    Column(_lazy("统一社会信用代码"), 22), Column(_lazy("所属行业"), 24), Column(_lazy("重点行业"), 14),
    Column(_lazy("产值（万元）"), 14, "#,##0.00"), Column(_lazy("联系人"), 12), Column(_lazy("联系电话"), 16),
    Column(_lazy("培育状态"), 14), Column(_lazy("入库时间"), 12, "yyyy-mm-dd"),
]


def _library_rows(qs):
    for entry in qs.iterator(chunk_size=500):
        application = entry.application
        yield [entry.campaign.year, entry.district.name, entry.enterprise.name, entry.enterprise.credit_code,
               entry.industry.name, entry.get_sector_display(), application.output_value, application.preparer_name,
               application.preparer_phone, entry.get_status_display(), timezone.localtime(entry.entered_at).date()]


@rule_required("applications.view_library")
def library_export(request):
    _form, filters, qs = _library_queryset(request)
    now = timezone.localtime()
    year = filters.get("year")
    exported = now.strftime("%Y-%m-%d %H:%M")
    if year:
        title = _("绿色工厂培育库（%(year)d年，导出时间%(time)s）") % {"year": year, "time": exported}
    else:
        title = _("绿色工厂培育库（全部年度，导出时间%(time)s）") % {"time": exported}
    content, count = workbook_bytes(sheet_title=_("培育库"), title=title,
                                    columns=LIBRARY_COLUMNS,
                                    rows=_library_rows(qs))
    # The filters as applied (parsed by the form), never the raw query string: a NUL byte cannot be stored.
    applied = {name: str(getattr(value, "pk", value)) for name, value in filters.items() if value not in (None, "")}
    audit_record(action=AuditAction.EXPORT, actor=request.user, request=request,
                 detail={"rows": count, "filters": applied})
    return xlsx_response(content, _("绿色工厂培育库.xlsx"))
