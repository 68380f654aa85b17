"""The evaluator register (第三方评价机构名录, 第二十条至第二十二条): the city keeps it — adds and edits organisations,
recommends them, disqualifies and reinstates them; officials read it; each organisation's page shows its status, its
commissions this round against the cap, and its history."""

import hashlib

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.access import allowed
from applications import selectors as applications_selectors
from applications import services as applications_services
from evaluation import selectors, services
from evaluation.forms.certification import RegisterForm
from evaluation.models import RegisterStatus
from evaluation.services.certification import REGISTER_FIELDS
from evaluation.workflows import REGISTER
from greenfactory.forms import form_add_service_errors
from greenfactory.kept_forms import page_body
from greenfactory.paging import QueryOnly, counted_page_of
from greenfactory.workflow import history
from greenfactory.workflow_views import action_view


def _refuse_unless_reader(user):
    if not allowed("evaluation.view_register", user):
        raise PermissionDenied


def register_list(request):
    _refuse_unless_reader(request.user)
    status = request.GET.get("status", "")
    if status not in RegisterStatus.values:
        status = ""

    def context():
        entries = selectors.register_list_for_user(request.user, status=status).order_by("organisation__name", "id")
        return {"page": counted_page_of(request, entries, 50), "status": status, "statuses": RegisterStatus.choices,
                "can_keep": allowed("evaluation.keep_register", request.user), "request": QueryOnly(request)}

    key = f"register:{hashlib.sha256(request.GET.urlencode().encode()).hexdigest()[:24]}"
    return render(request, "evaluation/register/list.html", {"body_html": page_body(
        request, key, "evaluation/register/_list_body.html", context)})


def _save(request, form, register=None):
    try:
        return services.register_save(actor=request.user, name=form.cleaned_data["name"],
                                      credit_code=form.cleaned_data["credit_code"], register=register,
                                      data={name: form.cleaned_data[name] for name in REGISTER_FIELDS},
                                      request=request)
    except ValidationError as error:
        form_add_service_errors(form, error)
        return None


def register_create(request):
    if not allowed("evaluation.keep_register", request.user):
        raise PermissionDenied
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        entry = _save(request, form)
        if entry is not None:
            messages.success(request, _("已将该机构加入第三方评价机构名录。"))
            return redirect("evaluation:register_detail", entry.public_id)
    return render(request, "evaluation/register/form.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


def register_edit(request, public_id):
    entry = selectors.register_get_for_user(request.user, public_id)
    if not allowed("evaluation.keep_register", request.user):
        raise PermissionDenied
    form = RegisterForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        if _save(request, form, register=entry) is not None:
            messages.success(request, _("机构信息已保存。"))
            return redirect("evaluation:register_detail", entry.public_id)
    return render(request, "evaluation/register/form.html", {"form": form, "entry": entry},
                  status=400 if request.method == "POST" else 200)


def register_detail(request, public_id, *, action=None, form=None):
    _refuse_unless_reader(request.user)
    entry = selectors.register_get_for_user(request.user, public_id)
    certification_round = applications_selectors.current_round()
    used = (applications_services.evaluations_in_round(entry.organisation_id, certification_round.pk)
            if certification_round else None)
    return render(request, "evaluation/register/detail.html", {
        "entry": entry, "round": certification_round, "used": used, "history": history(entry),
        "buttons": REGISTER.buttons(entry, request.user, bound=form),
        "can_keep": allowed("evaluation.keep_register", request.user)}, status=400 if form is not None else 200)


register_action = action_view("evaluator_register")
