"""A user's profile, and an enterprise's request to change its registered name or credit code with its district's
review."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import selectors
from accounts.access import allowed, rule_required
from accounts.choices import Role
from accounts.forms import IdentityChangeForm, RefuseForm
from accounts.models import IdentityChangeStatus
from accounts.services import identity as services
from accounts.views.common import PAGE_SIZE
from greenfactory.forms import form_add_service_errors
from greenfactory.paging import page_of


def profile(request):
    user = request.user
    context = {"account": user}
    if user.role == Role.ENTERPRISE and user.organisation_id:
        enterprise = selectors.own_enterprise_for_user(user)
        context.update({
            "enterprise": enterprise,
            "identity_change": selectors.identity_change_latest_for_enterprise(enterprise),
            "can_request_identity_change": allowed("accounts.request_identity_change", user),
        })
    return render(request, "accounts/profile.html", context)


@rule_required("accounts.request_identity_change")
def identity_change_create(request):
    enterprise = selectors.own_enterprise_for_user(request.user)
    form = IdentityChangeForm(request.POST or None, enterprise=enterprise)
    if request.method == "POST" and form.is_valid():
        try:
            services.identity_change_request(actor=request.user, new_name=form.cleaned_data["new_name"],
                                             new_credit_code=form.cleaned_data["new_credit_code"],
                                             reason=form.cleaned_data["reason"], request=request)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("变更申请已提交，请等待区县经信部门审核。"))
            return redirect("accounts:profile")
    return render(request, "accounts/identity_change_form.html", {"form": form, "enterprise": enterprise})


@rule_required("accounts.view_registration_queue")
def identity_change_queue(request):
    # A page of the open requests, oldest first. Queries: the count, the rows with enterprise, district and requester.
    page = page_of(request, selectors.identity_change_queue_for_user(request.user), PAGE_SIZE)
    return render(request, "accounts/identity_change_queue.html", {"changes": page.object_list, "page": page})


def _identity_change_context(request, change, refuse_form=None):
    return {
        "change": change,
        "can_review": change.status == IdentityChangeStatus.PENDING
        and allowed("accounts.review_identity_change", request.user, change),
        "refuse_form": refuse_form or RefuseForm(),
        "history": selectors.state_log_for(change),
    }


def identity_change_detail(request, public_id):
    change = selectors.identity_change_get_for_user(request.user, public_id)
    return render(request, "accounts/identity_change_detail.html", _identity_change_context(request, change))


@require_POST
def identity_change_approve(request, public_id):
    change = selectors.identity_change_get_for_user(request.user, public_id)
    if not allowed("accounts.review_identity_change", request.user, change):
        raise PermissionDenied
    try:
        services.identity_change_approve(change=change, actor=request.user, request=request)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("accounts:identity_change_detail", public_id=change.public_id)
    messages.success(request, _("已通过 %(name)s 的变更申请。") % {"name": change.old_name})
    return redirect("accounts:identity_change_queue")


@require_POST
def identity_change_refuse(request, public_id):
    change = selectors.identity_change_get_for_user(request.user, public_id)
    if not allowed("accounts.review_identity_change", request.user, change):
        raise PermissionDenied
    form = RefuseForm(request.POST)
    if form.is_valid():
        try:
            services.identity_change_refuse(change=change, actor=request.user, reason=form.cleaned_data["reason"],
                                            request=request)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("已退回 %(name)s 的变更申请，并告知原因。") % {"name": change.old_name})
            return redirect("accounts:identity_change_queue")
    return render(request, "accounts/identity_change_detail.html",
                  _identity_change_context(request, change, form), status=400)
