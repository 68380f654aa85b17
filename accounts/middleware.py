"""Steers a logged-in user whose account is not fully usable to the one page that fixes it: a password that must
be changed (first login or expired), or a refused registration that must be corrected."""

from django.shortcuts import redirect
from django.urls import reverse

from accounts.choices import OrganisationStatus


class AccountStateMiddleware:
    ALWAYS_ALLOWED = ("accounts:logout", "accounts:password_change", "set_language", "health")

    def __init__(self, get_response):
        self.get_response = get_response
        self._allowed = None

    def allowed_paths(self):
        if self._allowed is None:
            self._allowed = {reverse(name) for name in self.ALWAYS_ALLOWED}
        return self._allowed

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith("/static/"):
            target = self.redirect_for(user)
            if target and request.path != target and request.path not in self.allowed_paths():
                return redirect(target)
        return self.get_response(request)

    def redirect_for(self, user):
        if user.must_change_password or user.password_expired:
            return reverse("accounts:password_change")
        organisation = user.organisation
        if organisation is not None and organisation.status != OrganisationStatus.ACTIVE:
            return reverse("accounts:registration_status")
        return None
