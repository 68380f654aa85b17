"""Campaign pages: the list, opening one, its page, correcting, extending and closing it."""



from crispy_forms.utils import render_crispy_form
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import allowed, rule_required
from accounts.models import Sector
from applications import selectors, services
from applications.forms import (
    CampaignCloseForm,
    CampaignCorrectionForm,
    CampaignExtendForm,
    CampaignForm,
)
from applications.models import CampaignPhase, IntakeStatus
from applications.views import rows as rows_display
from greenfactory import display
from greenfactory.forms import form_add_service_errors
from greenfactory.kept_forms import TOKEN_PLACE, unbound_form_html, with_token
from greenfactory.paging import page_number
from greenfactory.portal import ANY_SCOPE, REFERENCE_SCOPE, kept

# --- Campaigns -------------------------------------------------------------------------------------------------------


def campaign_list(request):
    campaigns = list(selectors.campaign_list_for_user(request.user))
    can_apply = allowed("applications.apply", request.user)
    can_view = allowed("applications.view_campaign", request.user)
    mine = {}
    if can_apply:
        # Only each application's state and link are shown.
        mine = {a.campaign_id: a for a in selectors.intake_list_for_user(request.user, details=False).only(
            "campaign_id", "public_id", "status")}
    return render(request, "applications/campaigns/campaign_list.html", {
        "rows": _campaign_rows(campaigns, mine, can_view=can_view, can_apply=can_apply),
        "can_apply": can_apply,
        "can_manage": allowed("applications.manage_campaign", request.user),
    })


_PHASE_BADGES = {CampaignPhase.OPEN: "text-bg-success", CampaignPhase.NOT_STARTED: "text-bg-info"}


def _campaign_rows(campaigns, mine, *, can_view, can_apply):
    """Each campaign's line of the list with its words, dates, labels and links made here, once a page: the words
    translated and the URLs reversed once, the labels from ``choice_labels`` (a ``{% translate %}``, ``{% url %}``
    or ``get_FOO_display`` a row cost more than the rest of the row)."""
    now = timezone.now()
    today = timezone.localdate(now)
    phases, sectors, states = (display.choice_labels(CampaignPhase), display.choice_labels(Sector),
                               display.choice_labels(IntakeStatus))
    detail_url = display.url_with_public_id("applications:campaign_detail") if can_view else None
    mine_url, start_url = (display.url_with_public_id("applications:intake_detail"),
                           display.url_with_public_id("applications:intake_start"))
    city_wide, period, to, each_target, unit = _("全市各区县"), _("申报时间"), _("至"), _("各区县入库目标"), _("家")
    key_sectors, comma, view_mine = _("重点行业："), _("、"), _("查看我的申请")
    rows = []
    for c in campaigns:
        phase = c.phase(now)
        facts = [c.district.name if c.district else city_wide]
        if c.document_number:
            facts.append(c.document_number)
        facts.append(f"{period} {c.opens_on:%Y-%m-%d} {to} {c.deadline:%Y-%m-%d}")
        facts.append(_("%(district)s入库目标 %(target)s 家") % {"district": c.district.name, "target": c.default_target}
                     if c.district else f"{each_target} {c.default_target} {unit}")
        if phase == CampaignPhase.OPEN:
            badge = _("申报中，还剩 %(days)s 天") % {"days": (c.deadline - today).days}
        elif phase == CampaignPhase.NOT_STARTED:
            badge = _("尚未开始，%(date)s 开始") % {"date": f"{c.opens_on:%Y-%m-%d}"}
        else:
            badge = phases[phase]
        application = mine.get(c.pk)
        rows.append({
            "title": c.title, "url": detail_url(c.public_id) if detail_url else "", "facts": " · ".join(facts),
            "sectors": key_sectors + comma.join(sectors.get(v, v) for v in c.key_sectors) if c.key_sectors else "",
            "closed": _("已于 %(time)s 提前结束：%(reason)s") % {
                "time": display.local_minute(c.closed_at), "reason": c.closed_reason}
            if phase == CampaignPhase.CLOSED_EARLY else "",
            "badge_class": _PHASE_BADGES.get(phase, "text-bg-secondary"), "badge": badge,
            "mine_url": mine_url(application.public_id) if application else "",
            "mine": f"{view_mine}（{states.get(application.status, application.status)}）" if application else "",
            "start_url": start_url(c.public_id) if can_apply and not application and phase == CampaignPhase.OPEN
            else ""})
    return rows


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
    return render(request, "applications/campaigns/campaign_form.html", {"form": form})


def _campaign_for_official(request, public_id, *, manage=False):
    """The campaign if the user may see it (404 otherwise); 403 for roles without the page or, with ``manage``,
    without the right to change this campaign."""
    if not allowed("applications.view_campaign", request.user):
        raise PermissionDenied
    # The campaign page shows who closed it; the forms that change a campaign do not.
    campaign = (selectors.campaign_to_manage_for_user if manage else selectors.campaign_detail_get_for_user)(
        request.user, public_id)
    if manage and not allowed("applications.manage_campaign", request.user, campaign):
        raise PermissionDenied
    return campaign


CAMPAIGN_PAGE_SIZE = 50
# A row of the campaign page's applications (applications/campaigns/campaign_detail.html), written in Python.
APPLICATION_ROW = ('    <tr><td>{district}</td><td>{name}</td><td>{status}</td><td>{submitted}</td>'
                   '</tr>\n')
APPLICATION_LINK = '<a href="{}">{}</a>'


def _application_rows_html(rows) -> str:
    """The rows; an application links to its case page once submitted (a draft never submitted is its enterprise's
    alone, ``selectors.openable_by``: the list names it without a link)."""
    states, detail_url = display.choice_labels(IntakeStatus), display.url_with_public_id("applications:intake_detail")
    return display.html_rows(APPLICATION_ROW, (
        {"district": a["district__name"],
         "name": a["company_name"] if a["status"] == IntakeStatus.DRAFT and a["submitted_at"] is None
         else format_html(APPLICATION_LINK, detail_url(a["public_id"]), a["company_name"]),
         "status": states.get(a["status"], a["status"]), "submitted": display.local_minute(a["submitted_at"]) or "—"}
        for a in rows))


def _unbound_forms_html(campaign) -> dict:
    """The extending and closing forms as crispy writes them, unbound (the deadline they offer is the campaign's):
    written once for the kept overview, where each view would write them again through crispy's templates."""
    return {name: render_crispy_form(form, context={"csrf_token": TOKEN_PLACE}) for name, form in (
        ("extend", CampaignExtendForm(initial={"deadline": campaign.deadline})), ("close", CampaignCloseForm()))}


def _forms_with_token(request, forms_html) -> dict:
    return {name: with_token(request, html) for name, html in forms_html.items()}


def campaign_detail(request, public_id, *, extend_form=None, close_form=None):
    if not allowed("applications.view_campaign", request.user):
        raise PermissionDenied
    now, loaded = timezone.now(), []

    def campaign_overview():
        campaign = selectors.campaign_page_get_for_user(request.user, public_id)
        loaded.append(campaign)
        overview = selectors.campaign_overview_for_user(request.user, campaign, now)
        # The state labels as text in the viewer's language (the key's): a lazy label costs more to unpickle than
        # the rest of the overview.
        overview["states"] = [{**row, "label": str(row["label"])} for row in overview["states"]]
        overview["targets_html"] = rows_display.target_rows(overview["targets"])
        overview["district_name"] = campaign.district_name
        overview["closer"] = (campaign.closer_full_name or campaign.closer_username) if campaign.closed_by_id else ""
        # The list's first page, where most views land, with the rest (other pages are kept apart, below).
        overview["first_rows_html"] = _application_rows_html(
            selectors.campaign_application_rows(request.user, campaign)[:CAMPAIGN_PAGE_SIZE])
        if allowed("applications.manage_campaign", request.user, campaign):
            overview["forms_html"] = _unbound_forms_html(campaign)
        return overview

    # The counts by state, the targets by district, the names the page shows (its district's, who closed it) and
    # the list's first page change only through the portal (a transition, a correction, a closing, an application
    # started or saved). The campaign's row, and so the scope (404), is read on every view; when the overview is
    # computed, with those names.
    key = f"{request.user.pk}:{get_language()}:{timezone.localdate(now)}:{public_id}"
    overview = kept(f"campaign-page:{key}", campaign_overview)  # renamed with its shape: never an older value
    campaign = loaded[0] if loaded else selectors.campaign_row_get_for_user(request.user, public_id)
    paginator = Paginator(selectors.campaign_application_rows(request.user, campaign), CAMPAIGN_PAGE_SIZE)
    # The list's length is the sum of the counts by state beside it (the same applications, kept as long as they
    # are): no COUNT of its own.
    paginator.count = sum(row["count"] for row in overview["states"])
    page = paginator.get_page(page_number(request) or 1)
    # Another page's rows, kept like the first as their markup in the viewer's language.
    page.object_list = overview["first_rows_html"] if page.number == 1 else kept(
        f"campaign-rows:{key}:{page.number}", lambda: _application_rows_html(page.object_list))
    can_manage = allowed("applications.manage_campaign", request.user, campaign)
    return render(request, "applications/campaigns/campaign_detail.html", {
        "campaign": campaign,
        "phase": campaign.phase(now),
        "phase_label": campaign.get_phase_display(now),
        "overview": overview,
        "page": page,
        "can_correct": can_manage and not campaign.is_over(now),
        "can_extend": can_manage and not campaign.closed_at,
        "can_close": can_manage and not campaign.is_over(now),
        "extend_form": extend_form or CampaignExtendForm(initial={"deadline": campaign.deadline}),
        "close_form": close_form or CampaignCloseForm(),
        # The unbound forms' markup, kept (a posted form refused is written afresh, with what was typed).
        "forms_html": _forms_with_token(request, overview["forms_html"]) if "forms_html" in overview else {},
    }, status=400 if (extend_form or close_form) else 200)


def campaign_edit(request, public_id):
    campaign = _campaign_for_official(request, public_id, manage=True)
    if campaign.is_over():
        messages.error(request, _("该年度培育工作已结束，不能再修改。"))
        return redirect("applications:campaign_detail", campaign.public_id)
    if request.method != "POST":
        # The form as it opens, kept until a correction, a transition or an official's form (any change of the
        # campaign or its targets), or a change of the districts; the day is in the key (the dates it allows).
        html = kept(f"campaign-edit:{campaign.pk}:{get_language()}:{timezone.localdate()}", lambda: unbound_form_html(
            CampaignCorrectionForm(instance=campaign, districts=selectors.campaign_target_districts(campaign))),
            reads=(ANY_SCOPE, REFERENCE_SCOPE))
        return render(request, "applications/campaigns/campaign_edit.html",
                      {"campaign": campaign, "form": None, "form_html": with_token(request, html)})
    form = CampaignCorrectionForm(request.POST, instance=campaign,
                                  districts=selectors.campaign_target_districts(campaign))
    if form.is_valid():
        try:
            services.campaign_update(campaign=campaign, actor=request.user, changes=form.changes(),
                                     targets=form.target_changes(), seen=form.seen(),
                                     seen_targets=form.seen_targets(), request=request)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("修改已保存。") if form.has_changed() else _("没有修改任何内容。"))
            return redirect("applications:campaign_detail", campaign.public_id)
    return render(request, "applications/campaigns/campaign_edit.html", {"campaign": campaign, "form": form})


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
