"""Pages of certification, part 1, that read only this app's records: the rounds (第三条, the city publishes one a
year), the district's and the city's queue of applications with the working days left, the district's recommended
list as a workbook and as an official document, and the rounds announced on the public site."""

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import allowed
from accounts.choices import Role
from accounts.models import District
from applications import access, selectors, services
from applications.forms import RoundForm
from applications.models import CertificationRound, CertificationStatus
from greenfactory.forms import form_add_service_errors
from greenfactory.kept_forms import page_body
from greenfactory.paging import QueryOnly, counted_page_of
from greenfactory.uploads import content_disposition

QUEUE_PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def round_list(request):
    return render(request, "applications/certification/round_list.html", {
        "rounds": selectors.round_list_for_user(request.user),
        "can_manage": allowed("applications.manage_rounds", request.user)})


def _round_form_page(request, form, certification_round=None):
    if request.method == "POST" and form.is_valid():
        try:
            if certification_round is None:
                certification_round = services.round_create(actor=request.user, data=form.cleaned_data,
                                                             request=request)
                messages.success(request, _("年度认定工作已发布，已通知各区县经信部门。"))
            else:
                services.round_update(certification_round=certification_round, actor=request.user,
                                      data=form.cleaned_data, request=request)
                messages.success(request, _("年度认定工作已修改，相关期限已随之调整。"))
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            return redirect("applications:round_detail", certification_round.public_id)
    return render(request, "applications/certification/round_form.html",
                  {"form": form, "round": certification_round}, status=400 if request.method == "POST" else 200)


def round_create(request):
    if not allowed("applications.manage_rounds", request.user):
        raise PermissionDenied
    today = timezone.localdate()
    return _round_form_page(request, RoundForm(request.POST or None, initial={
        "year": today.year, "title": _("%(year)d年度绿色工厂、绿色园区认定") % {"year": today.year},
        "opens_on": today}))


def round_edit(request, public_id):
    certification_round = selectors.round_get_for_user(request.user, public_id)
    if not allowed("applications.manage_rounds", request.user):
        raise PermissionDenied
    return _round_form_page(request, RoundForm(request.POST or None, instance=certification_round, editing=True),
                            certification_round)


def round_detail(request, public_id):
    """The round: its dates and notice; for officials, the districts' applications and recommendations against it;
    for an applicant, its application in the round or the way to start one. Its body is kept until a change."""
    certification_round = selectors.round_get_for_user(request.user, public_id)
    user = request.user

    def context():
        context = {"round": certification_round, "phase": certification_round.get_phase_display(),
                   "can_manage": allowed("applications.manage_rounds", user), "role": user.role}
        if user.role in (Role.DISTRICT, Role.CITY, Role.ADMIN):
            context["district_rows"] = selectors.round_district_rows(certification_round, user)
        if user.role in (Role.ENTERPRISE, Role.PARK):
            context["mine"] = selectors.certifications_of_unit(user).filter(round=certification_round).exclude(
                status=CertificationStatus.WITHDRAWN).first()
            context["can_start"] = certification_round.takes_applications()
            context["ban"] = services.ban_in_force(user.organisation_id)
            if user.role == Role.ENTERPRISE:
                context["ready_entry"] = services.ready_library_entry(user.organisation_id)
        return context

    return render(request, "applications/certification/round_detail.html", {
        "round": certification_round, "body_html": page_body(
            request, f"round:{certification_round.pk}", "applications/certification/_round_detail_body.html",
            context)})


def my_certification(request):
    """The applicant's certification page (navigation): the round open now and its applications of every year."""
    if not access.is_applicant(request.user):
        raise PermissionDenied
    user = request.user

    def context():
        return {"round": selectors.current_round(), "applications": list(selectors.certifications_of_unit(user)),
                "is_enterprise": user.role == Role.ENTERPRISE,
                "ready_entry": services.ready_library_entry(user.organisation_id)
                if user.role == Role.ENTERPRISE else None}

    return render(request, "applications/certification/mine.html", {"body_html": page_body(
        request, "my-certification", "applications/certification/_mine_body.html", context)})


def _queue_round(request, rounds):
    """The round asked for by year, else the newest that has opened (``rounds``: the filter's, newest first)."""
    year = request.GET.get("year", "")
    if year.isdigit():
        return next((r for r in rounds if r.year == int(year)), None)
    today = timezone.localdate()
    return next((r for r in rounds if r.opens_on <= today), None)


def certification_queue(request):
    """The district's queue (the city: every district's, filterable by district): the applications of a round by
    state, with whose turn it is and the working days left. Kept by its query as sent until a change."""
    if not allowed("applications.view_certification_queue", request.user):
        raise PermissionDenied
    user = request.user

    def context():
        rounds = list(selectors.round_list_for_user(user))
        certification_round = _queue_round(request, rounds)
        status = request.GET.get("status", "")
        if status not in CertificationStatus.values:
            status = ""
        district = None
        if user.role != Role.DISTRICT and request.GET.get("district", "").isdigit():
            district = District.objects.filter(pk=int(request.GET["district"])).first()
        applications = selectors.certification_queue_for_user(user, certification_round=certification_round,
                                                             status=status, district=district)
        page = counted_page_of(request, applications, QUEUE_PAGE_SIZE)
        page.object_list = selectors.queue_rows(page.object_list)
        return {"round": certification_round, "rounds": rounds, "page": page, "status": status,
                "statuses": _status_options(user, certification_round), "district": district,
                "districts": District.objects.all() if user.role != Role.DISTRICT else None,
                "is_district": user.role == Role.DISTRICT, "request": QueryOnly(request)}

    key = f"certification-queue:{hashlib.sha256(request.GET.urlencode().encode()).hexdigest()[:24]}"
    return render(request, "applications/certification/queue.html", {"body_html": page_body(
        request, key, "applications/certification/_queue_body.html", context)})


def _status_options(user, certification_round):
    counts = selectors.queue_counts(user, certification_round)
    return [(value, label, counts.get(value, 0)) for value, label in CertificationStatus.choices
            if value != CertificationStatus.WITHDRAWN]


def _recommended(request, public_id):
    certification_round = selectors.round_get_for_user(request.user, public_id)
    if not access.can_export_recommended(request.user):
        raise PermissionDenied
    district = request.user.organisation.district
    if district is None:
        raise Http404
    return certification_round, district, selectors.recommended_for_district(request.user, certification_round,
                                                                              district)


def recommended_export(request, public_id):
    certification_round, district, applications = _recommended(request, public_id)
    content = services.recommended_list_export(actor=request.user, certification_round=certification_round,
                                               district=district, applications=applications, request=request)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition(
        _("%(district)s%(year)s年度推荐名单.xlsx") % {"district": district.name, "year": certification_round.year})
    return response


def recommended_pdf(request, public_id):
    certification_round, district, applications = _recommended(request, public_id)
    applications = list(applications)
    if not applications:
        messages.info(request, _("本年度尚无推荐的单位，推荐函无需打印。"))
        return redirect("applications:round_detail", certification_round.public_id)
    pdf = services.recommended_list_pdf(actor=request.user, certification_round=certification_round,
                                        district=district, applications=applications, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(
        _("%(district)s%(year)s年度推荐名单.pdf") % {"district": district.name, "year": certification_round.year})
    return response


@login_not_required
def round_notices(request):
    """The rounds announced on the public site (第三条: 每年认定一次; 公开): dates and notice, nothing personal."""
    return render(request, "applications/public/round_notices.html",
                  {"rounds": CertificationRound.objects.published(), "now": timezone.now()})
