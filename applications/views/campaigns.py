"""Campaign pages: the list, opening one, its page, correcting, extending and closing it."""


from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import allowed, rule_required
from applications import selectors, services
from applications.forms import (
    CampaignCloseForm,
    CampaignCorrectionForm,
    CampaignExtendForm,
    CampaignForm,
)
from applications.models import IntakeStatus
from applications.views import rows as rows_display
from greenfactory import display
from greenfactory.forms import form_add_service_errors

# --- Campaigns -------------------------------------------------------------------------------------------------------


def campaign_list(request):
    campaigns = list(selectors.campaign_list_for_user(request.user))
    mine = {}
    if allowed("applications.apply", request.user):
        # Only each application's state and link are shown.
        mine = {a.campaign_id: a for a in selectors.intake_list_for_user(request.user, details=False).only(
            "campaign_id", "public_id", "status")}
    now = timezone.now()
    rows = [{"campaign": c, "phase": c.phase(now), "phase_label": c.get_phase_display(now), "is_open": c.is_open(now),
             "days_left": (c.deadline - timezone.localdate(now)).days, "application": mine.get(c.pk)}
            for c in campaigns]
    return render(request, "applications/campaigns/campaign_list.html", {
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
    return render(request, "applications/campaigns/campaign_form.html", {"form": form})


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
# A row of the campaign page's applications (applications/campaigns/campaign_detail.html), written in Python.
APPLICATION_ROW = ('    <tr><td>{district}</td><td><a href="{url}">{name}</a></td><td>{status}</td><td>{submitted}</td>'
                   '</tr>\n')


def campaign_detail(request, public_id, *, extend_form=None, close_form=None):
    campaign = _campaign_for_official(request, public_id)
    now = timezone.now()
    page = Paginator(selectors.campaign_applications_for_user(request.user, campaign),
                     CAMPAIGN_PAGE_SIZE).get_page(request.GET.get("page"))
    states, detail_url = display.choice_labels(IntakeStatus), display.url_with_public_id(
        "applications:intake_detail")
    page.object_list = display.html_rows(APPLICATION_ROW, (
        {"district": a["district__name"], "name": a["company_name"], "url": detail_url(a["public_id"]),
         "status": states.get(a["status"], a["status"]), "submitted": display.local_minute(a["submitted_at"]) or "—"}
        for a in page.object_list))
    can_manage = allowed("applications.manage_campaign", request.user, campaign)
    overview = selectors.campaign_overview_for_user(request.user, campaign, now)
    overview["targets_html"] = rows_display.target_rows(overview["targets"])
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
