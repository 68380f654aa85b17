"""A user's profile, and an enterprise's request to change its registered name or credit code with its district's
review."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts import selectors
from accounts.access import allowed, rule_required
from accounts.choices import Role
from accounts.forms import IdentityChangeForm, RefuseForm
from accounts.services import identity as services
from accounts.views.common import PAGE_SIZE
from accounts.workflows import IDENTITY_CHANGE
from greenfactory.display import html_rows
from greenfactory.forms import form_add_service_errors
from greenfactory.kept_forms import blank_form_html
from greenfactory.paging import counted_page_of
from greenfactory.workflow import kept_history
from greenfactory.workflow_views import action_view


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


# A row of the identity-change queue (accounts/identity_change_queue.html), written in Python (greenfactory.display).
IDENTITY_CHANGE_ROW = ('    <tr><td>{requested}</td>\n      <td><a href="{url}">{old_name}</a></td>\n'
                       '      <td>{new_name}</td><td><code>{old_credit_code}</code></td>'
                       '<td><code>{new_credit_code}</code></td>\n      <td>{requester}</td></tr>\n')


@rule_required("accounts.view_registration_queue")
def identity_change_queue(request):
    # A page of the open requests, oldest first. Queries: the count, the rows with enterprise, district and requester.
    page = counted_page_of(request, selectors.identity_change_queue_for_user(request.user), PAGE_SIZE)
    changes = selectors.identity_change_rows(page)
    rows_html = html_rows(IDENTITY_CHANGE_ROW, ({
        "requested": row["requested"], "url": row["url"], "old_name": row["change"].old_name,
        "new_name": row["change"].new_name, "old_credit_code": row["change"].old_credit_code,
        "new_credit_code": row["change"].new_credit_code, "requester": row["requester"]} for row in changes))
    return render(request, "accounts/identity_change_queue.html",
                  {"changes": changes, "rows_html": rows_html, "page": page})


def _identity_change_context(request, change, refuse_form=None):
    requester = getattr(change, "requester_name", None)
    return {
        "change": change,
        "district_name": selectors.district_names().get(change.enterprise.district_id, ""),
        "requester_name": requester if requester is not None else change.requested_by.get_full_name(),
        "decider_name": (getattr(change, "decider_name", None) or "") if requester is not None
        else (change.decided_by.get_full_name() if change.decided_by_id else ""),
        "actions": IDENTITY_CHANGE.buttons(change, request.user),
        "refuse_form": refuse_form,
        # The reason box as it opens, written once (a refusal posted without a reason is written afresh, with what
        # was typed); a callable: the template writes it only where the refusal is offered.
        "refuse_form_html": None if refuse_form is not None else lambda: blank_form_html(request, "refuse", RefuseForm),
        "history": kept_history(change),
    }


def identity_change_detail(request, public_id):
    change = selectors.identity_change_page_for_user(request.user, public_id)
    return render(request, "accounts/identity_change_detail.html", _identity_change_context(request, change))


def identity_change_case_again(request, change, *, action, form):
    """A refusal without a usable reason: the request's page again, with what was typed and the message."""
    return render(request, "accounts/identity_change_detail.html",
                  _identity_change_context(request, change, form), status=400)


# The district's decisions are declared once (accounts.workflows.IDENTITY_CHANGE) and posted to the one action view.
identity_change_action = action_view("identity_change")
identity_change_approve = action_view("identity_change", slug="approve")
identity_change_refuse = action_view("identity_change", slug="refuse")
