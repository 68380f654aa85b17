"""Login, a user's own password change, and the self-service password reset by e-mail."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited

from accounts.forms import (
    PortalAuthenticationForm,
    PortalPasswordChangeForm,
    PortalPasswordResetForm,
    PortalSetPasswordForm,
)
from accounts.services.passwords import password_change, password_reset_complete, password_reset_request
from accounts.views.common import client_ip_key, no_store_when_posted, rate_limited


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
        """The form checked the old password and the rules; the service changes it (services.passwords)."""
        user = password_change(actor=form.user, password=form.cleaned_data["new_password1"], request=self.request)
        update_session_auth_hash(self.request, user)  # this session goes on; the others end
        messages.success(self.request, _("密码已修改。"))
        return HttpResponseRedirect(self.get_success_url())


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
        commit (services.passwords.password_reset_request), never sent inside the request."""
        email = form.cleaned_data["email"].strip().lower()
        limited = [
            is_ratelimited(self.request, group="accounts.password_reset.ip", key=client_ip_key,
                           rate=settings.PASSWORD_RESET_RATE_PER_IP, method="POST", increment=True),
            is_ratelimited(self.request, group="accounts.password_reset.address", key=lambda group, request: email,
                           rate=settings.PASSWORD_RESET_RATE_PER_ADDRESS, method="POST", increment=True),
        ]
        if any(limited):
            return rate_limited(self.request, _("找回密码过于频繁"),
                                _("找回密码的请求过于频繁，请一小时后再试。如已收到重设密码的邮件，请使用最新一封邮件中的链接。"))
        password_reset_request(email=email)
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
        """The link was good: the service sets the new password, ends every session and lifts the lockout, in one
        transaction; the link's token leaves the session (as Django's own view does)."""
        password_reset_complete(actor=form.user, password=form.cleaned_data["new_password1"], request=self.request)
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())


@method_decorator(login_not_required, name="dispatch")
class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
