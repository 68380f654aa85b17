"""Each user's inbox, and the audit log the city and administrators read."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import selectors
from accounts.access import rule_required
from accounts.filters import AuditFilterForm
from accounts.forms import EmailPreferencesForm
from accounts.inbox import notification_mark_read
from accounts.preferences import email_preferences_for_user, email_preferences_set
from accounts.views.common import PAGE_SIZE
from greenfactory.paging import page_of


def _portal_path(url: str) -> str:
    # Only a path within the portal is followed ("//host" is another site).
    return url if url.startswith("/") and not url.startswith("//") else ""


def inbox(request):
    # Queries: the count, the page of messages, the e-mail choices.
    page = page_of(request, selectors.inbox_page_for_user(request.user), PAGE_SIZE)
    rows = selectors.inbox_rows(page)
    preferences = EmailPreferencesForm(initial_choices=email_preferences_for_user(request.user))
    return render(request, "accounts/inbox.html", {"page": page, "rows": rows, "preferences_form": preferences})


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
    notification_mark_read(user=request.user, notification_ids=ids)
    return redirect(_portal_path(request.POST.get("next", "")) or "accounts:inbox")


def notification_open(request, pk):
    """Open a message: mark it read and follow its link (only within the portal)."""
    notification = selectors.notification_get_for_user(request.user, pk)
    notification_mark_read(user=request.user, notification_ids=[notification.pk])
    return redirect(_portal_path(notification.url) or reverse("accounts:inbox"))


@rule_required("accounts.view_audit_log")
def audit_log(request):
    # Queries: the count and the page of rows; state labels come from the models, not the database.
    form = AuditFilterForm(request.GET)
    page = page_of(request, selectors.audit_list(**form.values()), PAGE_SIZE)
    return render(request, "accounts/audit_log.html",
                  {"page": page, "rows": selectors.audit_rows(page), "filter_form": form})
