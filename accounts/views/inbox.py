"""Each user's inbox, and the audit log the city and administrators read."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts import selectors
from accounts.access import rule_required
from accounts.filters import AuditFilterForm
from accounts.inbox import notification_mark_read
from accounts.views.common import PAGE_SIZE
from greenfactory.paging import page_of


def _portal_path(url: str) -> str:
    # Only a path within the portal is followed ("//host" is another site).
    return url if url.startswith("/") and not url.startswith("//") else ""


def inbox(request):
    page = page_of(request, selectors.inbox_for_user(request.user), PAGE_SIZE)
    return render(request, "accounts/inbox.html", {"page": page})


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
    # Queries: the count and the page of rows with their actors; state labels come from the models, not the database.
    form = AuditFilterForm(request.GET)
    page = page_of(request, selectors.audit_list(**form.values()), PAGE_SIZE)
    return render(request, "accounts/audit_log.html",
                  {"page": page, "rows": [selectors.audit_row(event) for event in page], "filter_form": form})
