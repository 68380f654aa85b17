"""The public site's part of 第十一条: the notices of proposed lists (公示) with the form to object during them, and the
certification decisions (发文认定) with their lists. Nothing personal is shown: unit names, districts, industries and
kinds, and the city's own channel for objections."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage, is_ratelimited

from accounts.audit import client_ip
from accounts.views.common import client_ip_key, rate_limited
from applications import selectors
from applications.access import is_city_officer
from applications.forms.city_review import ObjectionForm
from applications.models import (
    CertificationApplication,
    CertificationDecision,
    CertificationStatus,
    DecisionDocument,
)
from applications.services import publicity
from greenfactory.documents import document_response
from greenfactory.forms import form_add_service_errors
from greenfactory.kept_forms import page_body

# The units a notice lists, and the states in which they stay on it publicly (an upheld objection takes one off).
LISTED_STATES = (CertificationStatus.IN_PUBLICITY, CertificationStatus.CERTIFIED)


@login_not_required
def notice_list(request):
    return render(request, "applications/public/notice_list.html", {
        "notices": selectors.notices_published(), "now": timezone.now()})


def _listed(notice):
    return list(publicity.members(notice.proposed_list).filter(status__in=LISTED_STATES))


@login_not_required
def notice_detail(request, public_id):
    """A notice with its units; during its period, the objection form (CSRF, a limit per address, size limits; a
    clear refusal once the last day has ended, Asia/Shanghai)."""
    # The city previews a notice before its first day; everyone else sees it from then (404 before).
    notice = (selectors.notice_get(public_id) if is_city_officer(request.user)
              else selectors.notice_published_get(public_id))
    units = _listed(notice) if request.method == "POST" else None
    form = ObjectionForm(request.POST or None, request.FILES or None, units=units or ())
    status = 200
    if request.method == "POST":
        status = 400
        # Only objections taken count (someone correcting a typed field is not held back); the check comes first.
        usage = get_usage(request, group="applications.objection", key=client_ip_key, rate=settings.OBJECTION_RATE,
                          method="POST", increment=False)
        if usage is not None and usage["count"] >= usage["limit"]:
            return rate_limited(request, _("提交过于频繁"),
                                _("您所在网络提交异议的次数过多，请稍后再试，或通过公示中的异议受理渠道反映。"))
        if not notice.is_open():
            form.add_error(None, _("公示期已于%(end)s结束，不再受理异议。如有情况，请通过%(contact)s反映。") % {
                "end": notice.ends_on, "contact": notice.contact} if notice.has_ended()
                else _("公示尚未开始，暂不受理异议。"))
        elif form.is_valid():
            application = CertificationApplication.objects.filter(
                proposed_list=notice.proposed_list, public_id=form.cleaned_data["application"]).first()
            try:
                publicity.objection_file(
                    notice=notice, application=application, name=form.cleaned_data["name"],
                    phone=form.cleaned_data["phone"], email=form.cleaned_data["email"],
                    content=form.cleaned_data["content"], files=form.cleaned_data["files"],
                    address=client_ip(request) or "", request=request)
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                is_ratelimited(request, group="applications.objection", key=client_ip_key,
                               rate=settings.OBJECTION_RATE, method="POST", increment=True)
                messages.success(request, _("您的异议已提交。市经济信息委将调查核实，处理结果将通过您留下的联系方式"
                                            "告知。"))
                return redirect("applications:notice_detail", notice.public_id)
    def context():
        listed = units if units is not None else _listed(notice)
        form_shown = form if request.method == "POST" else ObjectionForm(units=listed)
        decision = CertificationDecision.objects.filter(proposed_list_id=notice.proposed_list_id).only(
            "public_id", "document_number", "title").first()
        return {"notice": notice, "units": listed, "form": form_shown, "open": notice.is_open() and bool(listed),
                "ended": notice.has_ended(), "decision": decision, "today": timezone.localdate()}

    # Read by many between two changes: the body is kept (per visitor kind, language and day) unless a form is shown
    # again with what was typed.
    body = page_body(request, f"notice:{notice.pk}", "applications/public/_notice_body.html", context,
                     fresh=request.method == "POST")
    return render(request, "applications/public/notice_detail.html", {"notice": notice, "body_html": body},
                  status=status)


@login_not_required
def decision_detail(request, public_id):
    decision = selectors.decision_published_get(public_id)
    body = page_body(request, f"decision:{decision.pk}", "applications/public/_decision_body.html", lambda: {
        "decision": decision,
        "units": list(publicity.members(decision.proposed_list).filter(status=CertificationStatus.CERTIFIED)),
        "document": DecisionDocument.objects.filter(decision=decision).only("id").exists()})
    return render(request, "applications/public/decision_detail.html", {"decision": decision, "body_html": body})


@login_not_required
def decision_document(request, public_id):
    """The decision as the official document (GB/T 9704-2012) generated with its certificates: public, as the
    decision is (第十一条: 发文认定). 404 until the workers have generated it."""
    decision = selectors.decision_published_get(public_id)
    document = DecisionDocument.objects.filter(decision=decision).order_by("-version").first()
    if document is None:
        raise Http404
    return document_response(request, document,
                             back_url=reverse("applications:decision_detail", args=[decision.public_id]))
