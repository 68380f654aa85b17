"""Registration pages: the public form and its e-mailed confirmation, a refused enterprise's correction, and the
district's queue and review."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_ratelimit.core import is_ratelimited

from accounts import selectors
from accounts.access import rule_required
from accounts.choices import OrganisationStatus, Role
from accounts.forms import RefuseForm, RegistrationForm, ResubmitForm
from accounts.services import registration as services
from accounts.views.common import PAGE_SIZE, client_ip_key, no_store_when_posted, rate_limited
from accounts.workflows import REGISTRATION
from greenfactory.display import html_rows
from greenfactory.forms import form_add_service_errors
from greenfactory.kept_forms import blank_form_html
from greenfactory.paging import counted_page_of
from greenfactory.workflow import kept_history
from greenfactory.workflow_views import action_view


@login_not_required
@no_store_when_posted
def register(request):
    """Whatever the form names — a free or a taken user name, e-mail or credit code — a valid form is answered
    with the same "check your mailbox" page; the mail says what happens next (services.registration_request)."""
    if request.user.is_authenticated:
        return redirect("home")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Only complete forms count (each one sends a mail); a registrant correcting typos is not held back.
        if is_ratelimited(request, group="accounts.register", key=client_ip_key,
                          rate=settings.REGISTRATION_RATE, method="POST", increment=True):
            return rate_limited(request, _("注册过于频繁"),
                                _("您所在网络提交注册的次数过多，请一小时后再试。如确需为多家企业注册，请联系所在区县经信部门。"))
        services.registration_request(
            enterprise_data=form.enterprise_data(), user_data=form.user_data(),
            password=form.cleaned_data["password1"], request=request,
        )
        return redirect("accounts:register_sent")
    return render(request, "accounts/register.html", {"form": form})


@login_not_required
def register_sent(request):
    return render(request, "accounts/register_sent.html")


@login_not_required
def register_done(request):
    return render(request, "accounts/register_done.html")


@login_not_required
@never_cache
def register_confirm(request, token):
    """The link from the e-mail: shows what will be registered (the registrant's name, e-mail address and user name:
    never cached); posting creates it (a mail scanner that fetches the link changes nothing)."""
    pending = services.registration_pending_from_token(token)
    if pending is None:
        return render(request, "accounts/register_confirm.html", {"invalid": True}, status=400)
    errors = []
    if request.method == "POST":
        try:
            services.registration_confirm(pending=pending, request=request)
        except ValidationError as error:
            errors = error.messages
        else:
            return redirect("accounts:register_done")
    return render(request, "accounts/register_confirm.html",
                  {"pending": pending, "data": pending.data, "errors": errors}, status=400 if errors else 200)


def registration_status(request):
    """An enterprise whose registration was refused reads why, corrects its profile and asks again."""
    user = request.user
    if user.role != Role.ENTERPRISE:
        raise PermissionDenied
    enterprise = selectors.own_enterprise_for_user(user)
    form = None
    if enterprise.status == OrganisationStatus.REFUSED:
        form = ResubmitForm(request.POST or None, instance=enterprise)
        if request.method == "POST" and form.is_valid():
            changes = {f: form.cleaned_data[f] for f in ResubmitForm.Meta.fields}
            try:
                services.registration_resubmit(enterprise=enterprise, actor=user, changes=changes, request=request)
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                messages.success(request, _("已重新提交，请等待区县经信部门审核。"))
                return redirect("accounts:registration_status")
    return render(request, "accounts/registration_status.html",
                  {"enterprise": enterprise, "form": form, "history": kept_history(enterprise)})


# A row of the registration queue (accounts/registration_queue.html), written in Python (greenfactory.display);
# ``warnings`` is a REGISTRATION_WARNING for each credit-code warning, or REGISTRATION_NO_WARNING.
REGISTRATION_ROW = ('    <tr>\n      <td>{name}</td>\n      <td><code>{credit_code}</code></td>\n'
                    '      <td>{industry}</td>\n      <td>{submitted}</td>\n      <td>{warnings}</td>\n'
                    '      <td><a class="btn btn-sm btn-primary" href="{url}">{review}</a></td>\n    </tr>\n')
REGISTRATION_WARNING = ('<div class="text-warning-emphasis small"><i class="bi bi-exclamation-triangle" '
                        'aria-hidden="true"></i> {}</div>')
REGISTRATION_NO_WARNING = mark_safe('<span class="text-muted small">—</span>')


def registration_rows_html(items):
    review = _("审核")
    return html_rows(REGISTRATION_ROW, ({
        "name": row["name"], "credit_code": row["credit_code"], "industry": row["industry"],
        "submitted": row["submitted"], "url": row["url"],
        "review": review, "warnings": format_html_join("", REGISTRATION_WARNING, ((w,) for w in row["warnings"]))
        or REGISTRATION_NO_WARNING} for row in items))


@rule_required("accounts.view_registration_queue")
def registration_queue(request):
    # A page of the queue, oldest first: the rows with the total of the queue (counted_page_of), one query; the
    # district's and the industry's names and codes are reference data.
    page = counted_page_of(request, selectors.registration_queue_page_for_user(request.user), PAGE_SIZE)
    items = selectors.registration_queue_rows(page)
    return render(request, "accounts/registration_queue.html",
                  {"items": items, "rows_html": registration_rows_html(items), "page": page})


def _registration_context(request, enterprise, refuse_form=None):
    return {
        "enterprise": enterprise,
        "warnings": selectors.credit_code_warnings(enterprise),
        "actions": REGISTRATION.buttons(enterprise, request.user),
        "refuse_form": refuse_form,
        # The reason box as it opens, written once (a refusal posted without a reason is written afresh, with what
        # was typed); a callable: the template writes it only where the refusal is offered.
        "refuse_form_html": None if refuse_form is not None else lambda: blank_form_html(request, "refuse", RefuseForm),
        "history": kept_history(enterprise),
        "users": selectors.organisation_members(enterprise),
    }


def registration_detail(request, public_id):
    enterprise = selectors.registration_get_for_user(request.user, public_id)
    return render(request, "accounts/registration_detail.html", _registration_context(request, enterprise))


def registration_case_again(request, enterprise, *, action, form):
    """A refusal without a usable reason: the registration page again, with what was typed and the message."""
    return render(request, "accounts/registration_detail.html", _registration_context(request, enterprise, form),
                  status=400)


# The district's decisions are declared once (accounts.workflows.REGISTRATION) and posted to the one action view.
registration_action = action_view("registration")
registration_approve = action_view("registration", slug="approve")
registration_refuse = action_view("registration", slug="refuse")
