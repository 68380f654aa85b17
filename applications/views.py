"""Campaigns, the intake form and its PDF, the district's screening queue and the cultivation library."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_fsm_log.models import StateLog

from accounts.access import allowed, rule_required
from accounts.models import AuditAction, OwnershipType
from accounts.services import audit_record
from applications import selectors, services
from applications.forms import CampaignForm, IntakeForm, LibraryFilterForm, ReasonForm, ScanForm
from applications.models import IntakeStatus

PAGE_SIZE = 50


def _apply_errors(form, error: ValidationError):
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# --- Campaigns -------------------------------------------------------------------------------------------------------


def campaign_list(request):
    campaigns = list(selectors.campaign_list_for_user(request.user))
    mine = {}
    if allowed("applications.apply", request.user):
        mine = {a.campaign_id: a for a in selectors.intake_list_for_user(request.user)}
    now = timezone.now()
    rows = [{"campaign": c, "is_open": c.is_open(now), "days_left": (c.deadline - timezone.localdate(now)).days,
             "application": mine.get(c.pk)} for c in campaigns]
    return render(request, "applications/campaign_list.html", {
        "rows": rows,
        "can_apply": allowed("applications.apply", request.user),
        "can_manage": allowed("applications.manage_campaign", request.user),
    })


@rule_required("applications.manage_campaign")
def campaign_create(request):
    form = CampaignForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.campaign_create(actor=request.user, data=data, request=request)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("已发布%(title)s。") % {"title": data["title"]})
            return redirect("applications:campaign_list")
    return render(request, "applications/campaign_form.html", {"form": form})


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


def intake_edit(request, public_id):
    application = selectors.intake_get_for_user(request.user, public_id)
    if not allowed("applications.edit_intake", request.user, application):
        raise PermissionDenied
    if application.status != IntakeStatus.DRAFT:
        return redirect("applications:intake_detail", application.public_id)
    form = IntakeForm(request.POST or None, instance=application)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in IntakeForm.Meta.fields}
        try:
            application = services.intake_save(application=application, actor=request.user, data=data)
            if "submit" in request.POST:
                services.intake_submit(application=application, actor=request.user, request=request)
                messages.success(request, _("入库申请已提交。请下载申请表，签字盖章后上传扫描件。"))
                return redirect("applications:intake_detail", application.public_id)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("草稿已保存。"))
            return redirect("applications:intake_edit", application.public_id)
    return render(request, "applications/intake_form.html", {"application": application, "form": form})


def _history(application):
    return StateLog.objects.for_(application).select_related("by").order_by("timestamp", "pk")


def intake_detail(request, public_id):
    application = selectors.intake_get_for_user(request.user, public_id)
    user = request.user
    return render(request, "applications/intake_detail.html", {
        "application": application,
        "history": _history(application),
        "can_edit": allowed("applications.edit_intake", user, application),
        "can_decide": allowed("applications.decide_intake", user, application)
        and application.status == IntakeStatus.SUBMITTED,
        "reason_form": ReasonForm(),
        "scan_form": ScanForm(),
        "latest_scan": application.current_scan(),
    })


@require_POST
def intake_action(request, public_id, action):
    application = selectors.intake_get_for_user(request.user, public_id)
    user = request.user
    reason_form = ReasonForm(request.POST)
    if not reason_form.is_valid():
        for errors in reason_form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("applications:intake_detail", application.public_id)
    reason = reason_form.cleaned_data["reason"]
    handlers = {
        "submit": lambda: services.intake_submit(application=application, actor=user, request=request),
        "withdraw": lambda: services.intake_withdraw(application=application, actor=user, request=request),
        "reopen": lambda: services.intake_reopen(application=application, actor=user, request=request),
        "accept": lambda: services.intake_accept(application=application, actor=user, comment=reason,
                                                 request=request),
        "return": lambda: services.intake_return(application=application, actor=user, reason=reason,
                                                 request=request),
        "reject": lambda: services.intake_reject(application=application, actor=user, reason=reason,
                                                 request=request),
    }
    if action not in handlers:
        raise Http404
    try:
        handlers[action]()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("applications:intake_detail", application.public_id)
    messages.success(request, {
        "submit": _("入库申请已提交。"), "withdraw": _("入库申请已撤回。"),
        "reopen": _("申请已退回草稿，可修改后重新提交。"),
        "accept": _("已纳入培育库。"), "return": _("已退回企业修改。"), "reject": _("已作出不予入库的决定。"),
    }[action])
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
        _("绿色工厂培育入库申请表-%(name)s.pdf") % {"name": application.company_name})
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
    rows = list(selectors.intake_queue_for_user(request.user))
    return render(request, "applications/intake_queue.html", {"rows": rows})


def my_applications(request):
    if not allowed("applications.apply", request.user):
        raise PermissionDenied
    return render(request, "applications/my_applications.html",
                  {"rows": list(selectors.intake_list_for_user(request.user))})


def _library_queryset(request):
    city_wide = request.user.role in ("city", "admin")
    form = LibraryFilterForm(request.GET or None, district_choice=city_wide)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.library_list_for_user(
        request.user, year=filters.get("year"), district=filters.get("district"), sector=filters.get("sector"),
        industry=filters.get("industry"), status=filters.get("status"),
    )
    return form, qs


@rule_required("applications.view_library")
def library(request):
    form, qs = _library_queryset(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    progress = selectors.library_progress_for_user(request.user, qs)
    return render(request, "applications/library.html", {"form": form, "page": page, "progress": progress})


@rule_required("applications.view_library")
def library_export(request):
    from openpyxl import Workbook

    from greenfactory.uploads import content_disposition

    _form, qs = _library_queryset(request)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("培育库"))
    sheet.append([_("培育年度"), _("区县"), _("公司名称"), _("统一社会信用代码"), _("所属行业"), _("重点行业"),
                  _("培育状态"), _("入库时间")])
    count = 0
    for entry in qs.iterator(chunk_size=500):
        count += 1
        sheet.append([entry.campaign.year, entry.district.name, entry.enterprise.name, entry.enterprise.credit_code,
                      entry.industry.name, entry.get_sector_display(), entry.get_status_display(),
                      timezone.localtime(entry.entered_at).strftime("%Y-%m-%d")])
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    workbook.save(response)
    response["Content-Disposition"] = content_disposition(_("绿色工厂培育库.xlsx"))
    audit_record(action=AuditAction.EXPORT, actor=request.user, request=request,
                 detail={"rows": count, "filters": request.GET.dict()})
    return response
