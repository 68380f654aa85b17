"""The officials' overviews of cultivation: the improvement measures across a district's library (the city's: all)
with its Excel export, and the city's table of every district's library with a chart."""

import hashlib
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import rule_required
from accounts.audit import audit_record
from accounts.choices import Role
from accounts.models import AuditAction
from accounts.selectors import district_names
from evaluation import selectors
from evaluation.charts import district_bars_svg
from evaluation.forms import PlanFilterForm
from evaluation.models import MeasureCategory, MeasureStatus
from greenfactory.kept_forms import page_body
from greenfactory.paging import QueryOnly, page_number
from greenfactory.spreadsheet import Column, workbook_bytes, xlsx_response

PLAN_PAGE_SIZE = 50


def _plan_filters(request):
    form = PlanFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    return form, {"status": filters.get("status", ""), "category": filters.get("category", "")}


def _plan_rows(rows, today):
    districts = district_names()
    categories, states = dict(MeasureCategory.choices), dict(MeasureStatus.choices)
    for row in rows:
        row["district"] = districts.get(row["district_id"], "")
        row["category_label"] = categories.get(row["category"], row["category"])
        row["status_label"] = states.get(row["status"], row["status"])
        row["overdue"] = row["status"] in ("planned", "in_progress") and row["due_on"] < today
    return rows


@rule_required("evaluation.view_plans")
def plan_overview(request):
    """The district's (the city's) view of the improvement measures across its library: state, due date, overdue."""
    form, filters = _plan_filters(request)
    today = timezone.localdate()
    number = page_number(request) or 1

    def context():
        measures = selectors.plan_measures_for_user(request.user, today=today, **filters)
        paginator = Paginator(selectors.plan_page_rows(measures), PLAN_PAGE_SIZE)
        page = paginator.get_page(number)
        page.object_list = _plan_rows(list(page.object_list), today)
        return {"form": form, "page": page, "today": today, "request": QueryOnly(request)}

    # The query string as sent (the form shows what was asked, valid or not), hashed.
    key = f"plans:{hashlib.sha256(request.GET.urlencode().encode()).hexdigest()[:24]}:{number}"
    return render(request, "evaluation/plan_overview.html", {"body_html": page_body(
        request, key, "evaluation/_plan_overview_body.html", context)})


PLAN_COLUMNS = [Column(_("区县"), 12), Column(_("企业"), 36), Column(_("改造项目"), 36), Column(_("改造类别"), 18),
                Column(_("计划投资（万元）"), 14, "#,##0.00"), Column(_("责任人"), 12),
                Column(_("完成期限"), 12, "yyyy-mm-dd"), Column(_("状态"), 10), Column(_("是否逾期"), 10)]


@rule_required("evaluation.view_plans")
def plan_export(request):
    _form, filters = _plan_filters(request)
    today = timezone.localdate()
    measures = selectors.plan_measures_for_user(request.user, today=today, **filters)
    rows = ([r["district"], r["unit_name"], r["title"], r["category_label"], r["investment"], r["owner"], r["due_on"],
             r["status_label"], _("是") if r["overdue"] else ""]
            for r in _plan_rows(list(selectors.plan_page_rows(measures)), today))
    content, count = workbook_bytes(sheet_title=_("提升方案"), title=_("绿色化改造项目进展（导出日期%(day)s）") % {
        "day": today.isoformat()}, columns=PLAN_COLUMNS, rows=rows)
    audit_record(action=AuditAction.EXPORT, actor=request.user, request=request,
                 detail={"rows": count, "document": "improvement_measures.xlsx", "filters": filters})
    return xlsx_response(content, _("绿色化改造项目进展.xlsx"))


def cultivation_overview(request):
    """The city's table: every district's library with assessment progress, mean score, ready count and measures,
    with a chart."""
    if not (request.user.is_authenticated and request.user.role in (Role.CITY, Role.ADMIN)):
        raise PermissionDenied

    def context():
        rows = selectors.overview_by_district()
        chart = district_bars_svg([(r["district"], r["mean"], r["ready"], r["entries"]) for r in rows
                                   if r["entries"]], title=_("各区县平均得分与成熟企业数"))
        totals = {key: sum(r[key] for r in rows) for key in ("entries", "assessed", "ready", "open", "overdue")}
        # The city's mean: over every assessed entry, each district's mean weighted by its assessed entries.
        weighted = [(r["mean"], r["assessed"]) for r in rows if r["mean"] is not None]
        totals["mean"] = (sum(Decimal(str(m)) * n for m, n in weighted) / sum(n for _m, n in weighted)
                          if weighted and sum(n for _m, n in weighted) else None)
        return {"rows": rows, "chart": chart, "totals": totals}

    return render(request, "evaluation/cultivation_overview.html", {"body_html": page_body(
        request, "cultivation-overview", "evaluation/_cultivation_overview_body.html", context)})


