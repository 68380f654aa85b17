"""Public pages of certified titles, no login: the directory of every title granted (第三条: 评价工作遵循公开的原则),
with its history — certified, revoked with the date and cause, banned until (第十七条、第十八条) — searchable,
filtered and paged, downloadable as CSV and JSON with the same filters; and the verification of a certificate
number (the QR code and the printed number on every certificate lead here). Nothing personal: no contact, no
telephone, no e-mail, no staff name."""

import csv
import hashlib

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited

from accounts.audit import audit_record
from accounts.models import AuditAction
from accounts.views.common import client_ip_key, rate_limited
from applications.forms.titles import DirectoryFilterForm
from applications.selectors.titles import directory_rows, title_by_number
from applications.services.titles import number_normalised
from greenfactory.kept_forms import page_body
from greenfactory.paging import page_of
from greenfactory.uploads import content_disposition
from greenfactory.widgets import filter_fields

DIRECTORY_PAGE_SIZE = 50
# Look-ups of certificate numbers per client address (django-ratelimit, the default cache): enough for a person
# checking certificates by hand or by scanning, not for walking the number space. TITLE_VERIFY_RATE changes it (the
# benchmark's server, which asks from one address).
VERIFY_RATE = "30/m"


def verify_rate() -> str:
    return getattr(settings, "TITLE_VERIFY_RATE", VERIFY_RATE)


def _filtered(request):
    form = DirectoryFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    return form, directory_rows(**filters)


def public_row(title) -> dict:
    """A title as the directory's downloads give it: public facts only."""
    return {
        "number": title.number, "name": title.name, "title": title.title_name,
        "kind": title.get_unit_kind_display(), "year": title.year,
        "district": title.district.name, "industry": title.industry.name if title.industry_id else "",
        "status": title.get_status_display(), "certified_on": title.certified_on.isoformat(),
        "revoked_on": title.revoked_on.isoformat() if title.revoked_on else "",
        "revocation_cause": title.revocation_cause or "",
        "banned_until": title.banned_until.isoformat() if title.banned_until else "",
    }


def _columns():
    return [("number", _("证书编号")), ("name", _("单位名称")), ("title", _("称号")), ("kind", _("类别")),
            ("year", _("认定年度")), ("district", _("区县")), ("industry", _("所属行业")), ("status", _("状态")),
            ("certified_on", _("认定日期")), ("revoked_on", _("撤销日期")), ("revocation_cause", _("撤销原因")),
            ("banned_until", _("禁止申报截止（不含）"))]


@login_not_required
def title_directory(request):
    """The directory: 50 titles a page, newest year first, with the filters of the form above."""
    def context():
        form, rows = _filtered(request)
        return {"filter_fields": filter_fields(form), "page": page_of(request, rows, DIRECTORY_PAGE_SIZE),
                "query": request.GET.urlencode()}

    # Read by many between two changes (a title granted, revoked): kept per query, language and day.
    key = "title-directory:" + hashlib.sha256(request.GET.urlencode().encode()).hexdigest()[:32]
    body = page_body(request, key, "applications/titles/_directory_body.html", context)
    return render(request, "applications/titles/directory.html", {"body_html": body})


def _safe_cell(value) -> str:
    """A CSV cell a spreadsheet will not run: text starting with = + - @ or a control character is quoted."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _Echo:
    def write(self, value):
        return value


def _export_refused(request, kind):
    """Exports are limited per address like look-ups (a public export is an audit record each) and audited, with
    the filters asked for; None when the export may go ahead."""
    if is_ratelimited(request, group="applications.title_export", key=client_ip_key, rate=verify_rate(),
                      increment=True):
        return rate_limited(request, _("下载过于频繁"), _("您所在网络下载名录的次数过多，请稍后再试。"))
    audit_record(action=AuditAction.EXPORT, actor=request.user, request=request,
                 detail={"list": "title_directory", "format": kind, "filters": request.GET.urlencode()[:300]})
    return None


@login_not_required
def title_directory_csv(request):
    """The directory's rows with the same filters as CSV (UTF-8 with a byte-order mark, for spreadsheet programs),
    streamed."""
    refused = _export_refused(request, "csv")
    if refused is not None:
        return refused
    _form, rows = _filtered(request)
    columns = _columns()
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff" + writer.writerow([label for _key, label in columns])
        for title in rows.iterator(chunk_size=500):
            row = public_row(title)
            yield writer.writerow([_safe_cell(row[key]) for key, _label in columns])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition(_("绿色工厂绿色园区名录.csv"))
    return response


@login_not_required
def title_directory_json(request):
    """The directory's rows with the same filters as JSON."""
    refused = _export_refused(request, "json")
    if refused is not None:
        return refused
    _form, rows = _filtered(request)
    return JsonResponse({"count": len(titles := [public_row(t) for t in rows]), "titles": titles},
                        json_dumps_params={"ensure_ascii": False})


def _verify(request, number):
    number = number_normalised(number)
    if number and is_ratelimited(request, group="applications.title_verify", key=client_ip_key, rate=verify_rate(),
                                 increment=True):
        return rate_limited(request, _("查询过于频繁"), _("您所在网络查询证书的次数过多，请稍后再试。"))
    title = title_by_number(number) if number else None
    return render(request, "applications/titles/verify.html", {
        "number": number, "asked": bool(number), "title": title})


@login_not_required
def title_verify(request):
    """证书查验: ``?number=CQGF-2026-0001`` — 有效 with the title's details, 已撤销 with the date and cause, or
    未查到."""
    return _verify(request, request.GET.get("number", ""))


@login_not_required
def title_verify_number(request, number):
    """The same page at the address the certificate's QR code holds."""
    return _verify(request, number)
