"""Pages of the supervision app. The city revokes a title from the title's page (第十七条, after a confirmation); the
revocation announcements (第十八条 发文公告) are public — a page and an official document (GB/T 9704-2012) each —
and show nothing personal."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from applications import access as applications_access
from applications.selectors.titles import title_get_for_city
from applications.services.certification_review import date_in_full
from greenfactory.documents import document_response
from greenfactory.forms import form_add_service_errors
from greenfactory.portal import kept
from greenfactory.uploads import content_disposition
from greenfactory.workflow import TransitionConflict
from supervision import services
from supervision.forms import RevocationForm
from supervision.models import Revocation, RevocationAttachment


def _city(request):
    if not applications_access.is_city_officer(request.user):
        raise PermissionDenied(_("只有市经济信息委可以撤销称号。"))


def revocation_create(request, public_id):
    """The revocation form of a valid title: the cause among the seven of 第十七条, the facts, the document number,
    an attachment; confirmed before it is sent."""
    _city(request)
    title = title_get_for_city(request.user, public_id)
    if title.status != "active":
        return redirect("supervision:revocation_of_title", title.public_id)
    form = RevocationForm(request.POST or None, request.FILES or None, title=title)
    if request.method == "POST" and form.is_valid():
        try:
            revocation = services.revocation_create(
                title=title, actor=request.user, request=request, cause=form.cleaned_data["cause"],
                facts=form.cleaned_data["facts"], document_number=form.cleaned_data["document_number"],
                attachment=form.cleaned_data.get("attachment"))
        except ValidationError as error:
            form_add_service_errors(form, error)
        except TransitionConflict:
            messages.error(request, _("该称号已被撤销，本次操作未执行。"))
            return redirect("applications:title_detail", title.public_id)
        else:
            messages.success(request, _("称号已撤销，撤销公告已发布；该单位三年内不得重新申报。"))
            return redirect("supervision:announcement_detail", revocation.public_id)
    return render(request, "supervision/revocation_form.html", {"form": form, "title": title},
                  status=400 if request.method == "POST" else 200)


def revocation_of_title(request, public_id):
    """The announcement of a title's revocation, found from the title's page (404 when it was not revoked)."""
    revocation = Revocation.objects.filter(title__public_id=public_id).only("public_id").first()
    if revocation is None:
        raise Http404
    return redirect("supervision:announcement_detail", revocation.public_id)


def _published(public_id) -> Revocation:
    revocation = Revocation.objects.published().select_related("title__district", "title__industry",
                                                               "title__decision").filter(public_id=public_id).first()
    if revocation is None:
        raise Http404
    return revocation


def _announcement(revocation) -> dict:
    title = revocation.title
    return {"revocation": revocation, "title": title, "issuer": title.decision.issuer,
            "heading": _("关于撤销%(name)s“%(title)s”称号的公告") % {"name": title.name, "title": title.title_name},
            "revoked_in_full": date_in_full(revocation.revoked_on)}


@login_not_required
def announcement_list(request):
    """Every revocation announced, newest first: one query."""
    revocations = Revocation.objects.published().select_related("title__district").only(
        "public_id", "cause", "document_number", "revoked_on", "title__name", "title__number", "title__year",
        "title__unit_kind", "title__district__name")
    return render(request, "supervision/announcement_list.html", {"revocations": revocations})


@login_not_required
def announcement_detail(request, public_id):
    revocation = _published(public_id)
    context = _announcement(revocation)
    context["attachments"] = (revocation.attachments.order_by("-version")
                              if applications_access.is_city_officer(request.user) else ())
    return render(request, "supervision/announcement_detail.html", context)


@login_not_required
def announcement_pdf(request, public_id):
    """The announcement as an official document: written once per language and kept (it changes only with the
    revocation, which is never edited)."""
    from greenfactory.pdf import render_pdf  # WeasyPrint: heavy, loaded only when a PDF is asked for

    revocation = _published(public_id)
    pdf = kept(f"revocation-pdf:{revocation.pk}:{get_language()}",
               lambda: render_pdf("pdf/revocation.html", _announcement(revocation)))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(
        _("%(number)s撤销公告.pdf") % {"number": revocation.document_number})
    return response


def attachment_download(request, public_id, version):
    _city(request)
    attachment = RevocationAttachment.objects.filter(revocation__public_id=public_id, version=version).first()
    if attachment is None:
        raise Http404
    return document_response(request, attachment,
                             back_url=reverse("supervision:announcement_detail", args=[public_id]))
