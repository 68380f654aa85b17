"""Views parse input, fetch through a scoped selector (404 outside scope), call one service, and render."""

import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_fsm_log.models import StateLog
from django_ratelimit.core import is_ratelimited

from accounts import selectors, services
from accounts.access import allowed, rule_required
from accounts.choices import OrganisationStatus, Role
from accounts.filters import AccountFilterForm, AuditFilterForm, EnterpriseFilterForm
from accounts.forms import (
    AccountCreateForm,
    ColleagueForm,
    EmailPreferencesForm,
    IdentityChangeForm,
    PortalAuthenticationForm,
    PortalPasswordChangeForm,
    PortalPasswordResetForm,
    PortalSetPasswordForm,
    RefuseForm,
    RegistrationForm,
    ResubmitForm,
    ToggleActiveForm,
)
from accounts.models import AuditAction
from accounts.preferences import email_preferences_for_user, email_preferences_set
from accounts.scope import sees_everything
from accounts.workflows import IDENTITY_CHANGE, REGISTRATION
from greenfactory.forms import form_add_service_errors
from greenfactory.paging import page_of
from greenfactory.portal import organisation_panels_for
from greenfactory.workflow import TransitionConflict
from greenfactory.workflow_views import action_view

PAGE_SIZE = 50


def no_store_when_posted(view):
    """A public form answered after a post shows what was typed (a name, an e-mail address, a phone number): that
    answer is not to be kept by a browser or proxy cache (GB/T 22239 residual information). The empty form may be."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method == "POST":
            add_never_cache_headers(response)
        return response

    return wrapped


def _rate_limited(request, title, message):
    """429 in Chinese, the same page for every limit of the public forms (registration, password reset)."""
    return render(request, "accounts/rate_limited.html", {"title": title, "message": message}, status=429)


def _history(obj):
    # One query however long the history: each entry's state labels read its content type (one query a row without
    # the join).
    return StateLog.objects.for_(obj).select_related("by", "content_type").order_by("timestamp", "pk")


# --- Login, logout, passwords ----------------------------------------------------------------------------------------


@method_decorator(login_not_required, name="dispatch")
@method_decorator(no_store_when_posted, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = PortalAuthenticationForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PortalPasswordChangeForm
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.user
        user.must_change_password = False
        user.save(update_fields=["must_change_password", "password", "password_changed_at"])
        update_session_auth_hash(self.request, user)
        services.audit_record(action=AuditAction.PASSWORD_CHANGED, actor=user, obj=user, request=self.request)
        messages.success(self.request, _("密码已修改。"))
        return response


@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = PortalPasswordResetForm
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        """Limited per IP and per address (django-ratelimit, the cache registration uses), counted for every valid
        request whether or not the address has an account, so the limit tells nothing; the mail is queued after
        commit (services.password_reset_request), never sent inside the request."""
        email = form.cleaned_data["email"].strip().lower()
        limited = [
            is_ratelimited(self.request, group="accounts.password_reset.ip", key=_client_ip_key,
                           rate=settings.PASSWORD_RESET_RATE_PER_IP, method="POST", increment=True),
            is_ratelimited(self.request, group="accounts.password_reset.address", key=lambda group, request: email,
                           rate=settings.PASSWORD_RESET_RATE_PER_ADDRESS, method="POST", increment=True),
        ]
        if any(limited):
            return _rate_limited(self.request, _("找回密码过于频繁"),
                                 _("找回密码的请求过于频繁，请一小时后再试。如已收到重设密码的邮件，请使用最新一封邮件中的链接。"))
        services.password_reset_request(email=email)
        return redirect(self.success_url)


@method_decorator(login_not_required, name="dispatch")
class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


@method_decorator(login_not_required, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = PortalSetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_reset_complete(user=form.user, request=self.request)
        return response


@method_decorator(login_not_required, name="dispatch")
class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


# --- Registration ----------------------------------------------------------------------------------------------------


def _client_ip_key(group, request):
    return services.client_ip(request) or ""


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
        if is_ratelimited(request, group="accounts.register", key=_client_ip_key,
                          rate=settings.REGISTRATION_RATE, method="POST", increment=True):
            return _rate_limited(request, _("注册过于频繁"),
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
    enterprise = user.organisation.enterprise
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
                  {"enterprise": enterprise, "form": form, "history": _history(enterprise)})


@rule_required("accounts.view_registration_queue")
def registration_queue(request):
    # A page of the queue, oldest first. Queries: the count, the rows (with industry and district), the district
    # codes for the credit-code check.
    page = page_of(request, selectors.registration_queue_for_user(request.user), PAGE_SIZE)
    codes = selectors.district_codes()
    items = [{"enterprise": e, "warnings": selectors.credit_code_warnings(e, codes)} for e in page]
    return render(request, "accounts/registration_queue.html", {"items": items, "page": page})


def _registration_context(request, enterprise, refuse_form=None):
    return {
        "enterprise": enterprise,
        "warnings": selectors.credit_code_warnings(enterprise),
        "actions": REGISTRATION.buttons(enterprise, request.user),
        "refuse_form": refuse_form or RefuseForm(),
        "history": _history(enterprise),
        "users": enterprise.users.all(),
    }


def registration_detail(request, public_id):
    enterprise = selectors.registration_get_for_user(request.user, public_id)
    return render(request, "accounts/registration_detail.html", _registration_context(request, enterprise))


def registration_case_again(request, enterprise, *, action, form):
    """A refusal without a usable reason: the registration page again, with what was typed and the message."""
    return render(request, "accounts/registration_detail.html", _registration_context(request, enterprise, form),
                  status=400)


registration_action = action_view("registration")
registration_approve = action_view("registration", slug="approve")
registration_refuse = action_view("registration", slug="refuse")


# --- Directory and accounts ------------------------------------------------------------------------------------------


@rule_required("accounts.view_enterprise_directory")
def enterprise_list(request):
    # Queries: the count, the page of rows (with industry and district), and for the city the district list.
    form = EnterpriseFilterForm(request.GET, city_wide=sees_everything(request.user))
    qs = selectors.enterprise_list_for_user(request.user, **form.values())
    return render(request, "accounts/enterprise_list.html",
                  {"page": page_of(request, qs, PAGE_SIZE), "filter_form": form})


@rule_required("accounts.view_enterprise_directory")
def enterprise_detail(request, public_id):
    """A company's page: its registration facts, its accounts, and what the later workflows hold about it (panels
    the other apps register: its intake applications and library status)."""
    enterprise = selectors.enterprise_get_for_user(request.user, public_id)
    return render(request, "accounts/enterprise_detail.html", {
        "enterprise": enterprise,
        "users": enterprise.users.order_by("-is_active", "username"),
        "warnings": selectors.credit_code_warnings(enterprise),
        "panels": organisation_panels_for(request.user, enterprise),
        "can_review": enterprise.status == OrganisationStatus.PENDING
        and allowed("accounts.review_registration", request.user, enterprise),
    })


@rule_required("accounts.manage_accounts")
def account_list(request):
    values = AccountFilterForm(request.GET).values()
    qs = selectors.user_list_for_user(request.user, **values)
    return render(request, "accounts/account_list.html",
                  {"page": page_of(request, qs, PAGE_SIZE), "role_choices": Role.choices,
                   "role": values["role"] or "", "q": values["query"]})


@rule_required("accounts.manage_accounts")
def account_create(request):
    form = AccountCreateForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        role = data["role"]
        try:
            with transaction.atomic():
                organisation = services.organisation_for_new_account(
                    role=role, district=data.get("district"), organisation=data.get("organisation"),
                    organisation_name=data.get("organisation_name", ""),
                )
                user, password = services.account_create(
                    actor=request.user, role=role, username=data["username"], full_name=data["full_name"],
                    email=data["email"], phone=data["phone"], organisation=organisation, request=request,
                )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            return render(request, "accounts/account_created.html", {"new_user": user, "password": password})
    return render(request, "accounts/account_create.html", {"form": form})


@rule_required("accounts.manage_colleagues")
def colleagues(request):
    members = request.user.organisation.users.order_by("-is_active", "username")
    return render(request, "accounts/colleagues.html", {"members": members})


@rule_required("accounts.manage_colleagues")
def colleague_create(request):
    form = ColleagueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, password = services.colleague_create(
                actor=request.user, username=data["username"], full_name=data["full_name"], email=data["email"],
                phone=data["phone"], request=request,
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            return render(request, "accounts/account_created.html",
                          {"new_user": user, "password": password, "back": "accounts:colleagues"})
    return render(request, "accounts/colleague_form.html", {"form": form})


def _toggle_active(request, public_id, back):
    """Posts carry the wanted state (``active``); an account already in it answers 409, never the opposite."""
    account = selectors.user_get_for_user(request.user, public_id)
    services.account_check_manageable(actor=request.user, account=account)  # 403 before any state message
    form = ToggleActiveForm(request.POST)
    if not form.is_valid():
        return render(request, "accounts/toggle_conflict.html",
                      {"message": _("请求缺少要设置的账号状态，请返回列表重新操作。"), "back": back}, status=400)
    active = form.cleaned_data["active"] == "1"
    try:
        services.colleague_set_active(actor=request.user, colleague=account, active=active, request=request)
    except TransitionConflict as conflict:
        return render(request, "accounts/toggle_conflict.html", {"message": conflict.message, "back": back},
                      status=409)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        template = _("已启用 %(name)s 的账号。") if active else _("已停用 %(name)s 的账号。")
        messages.success(request, template % {"name": account.full_name})
    return redirect(back)


@require_POST
@rule_required("accounts.manage_colleagues")
def colleague_toggle(request, public_id):
    return _toggle_active(request, public_id, "accounts:colleagues")


@require_POST
@rule_required("accounts.manage_accounts")
def account_toggle(request, public_id):
    return _toggle_active(request, public_id, "accounts:account_list")


@require_POST
@rule_required("accounts.manage_accounts")
def account_reset_password(request, public_id):
    account = selectors.user_get_for_user(request.user, public_id)
    password = services.account_reset_password(actor=request.user, user=account, request=request)
    return render(request, "accounts/account_created.html",
                  {"new_user": account, "password": password, "reset": True})


def profile(request):
    user = request.user
    context = {"account": user}
    if user.role == Role.ENTERPRISE and user.organisation_id:
        enterprise = user.organisation.enterprise
        context.update({
            "enterprise": enterprise,
            "identity_change": selectors.identity_change_latest_for_enterprise(enterprise),
            "can_request_identity_change": allowed("accounts.request_identity_change", user),
        })
    return render(request, "accounts/profile.html", context)


@rule_required("accounts.request_identity_change")
def identity_change_create(request):
    enterprise = request.user.organisation.enterprise
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
        "actions": IDENTITY_CHANGE.buttons(change, request.user),
        "refuse_form": refuse_form or RefuseForm(),
        "history": _history(change),
    }


def identity_change_detail(request, public_id):
    change = selectors.identity_change_get_for_user(request.user, public_id)
    return render(request, "accounts/identity_change_detail.html", _identity_change_context(request, change))


def identity_change_case_again(request, change, *, action, form):
    return render(request, "accounts/identity_change_detail.html",
                  _identity_change_context(request, change, form), status=400)


identity_change_action = action_view("identity_change")
identity_change_approve = action_view("identity_change", slug="approve")
identity_change_refuse = action_view("identity_change", slug="refuse")


def inbox(request):
    page = page_of(request, selectors.inbox_for_user(request.user), PAGE_SIZE)
    preferences = EmailPreferencesForm(initial_choices=email_preferences_for_user(request.user))
    return render(request, "accounts/inbox.html", {"page": page, "preferences_form": preferences})


@require_POST
def email_preferences(request):
    """Which kinds of message also go by e-mail (an unticked box: inbox only)."""
    form = EmailPreferencesForm(request.POST)
    form.is_valid()  # every field is an optional box: always valid
    email_preferences_set(user=request.user, actor=request.user, choices=form.cleaned_data)
    messages.success(request, _("邮件通知设置已保存。"))
    return redirect(reverse("accounts:inbox") + "#email-preferences")


@require_POST
def inbox_mark_read(request):
    raw = request.POST.get("notification", "")
    ids = [int(raw)] if raw.isdigit() else None
    services.notification_mark_read(user=request.user, notification_ids=ids)
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("accounts:inbox")


@rule_required("accounts.view_audit_log")
def audit_log(request):
    # Queries: the count and the page of rows with their actors; state labels come from the models, not the database.
    form = AuditFilterForm(request.GET)
    page = page_of(request, selectors.audit_list(**form.values()), PAGE_SIZE)
    return render(request, "accounts/audit_log.html",
                  {"page": page, "rows": [selectors.audit_row(event) for event in page], "filter_form": form})


def notification_open(request, pk):
    """Open a message: mark it read and follow its link (only within the portal)."""
    notification = selectors.inbox_for_user(request.user).filter(pk=pk).first()
    if notification is None:
        from django.http import Http404

        raise Http404
    services.notification_mark_read(user=request.user, notification_ids=[notification.pk])
    url = notification.url if notification.url.startswith("/") and not notification.url.startswith("//") else ""
    return redirect(url or reverse("accounts:inbox"))
