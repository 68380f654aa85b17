"""Each user's inbox, and the audit log the city and administrators read."""

import hashlib

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import selectors
from accounts.access import rule_required
from accounts.audit import AUDIT_SCOPE
from accounts.filters import AuditFilterForm
from accounts.forms import EmailPreferencesForm
from accounts.inbox import notification_mark_read
from accounts.preferences import email_preferences_for_user, email_preferences_set
from accounts.views.common import PAGE_SIZE, capped_page_of
from greenfactory.display import escaped, html_rows
from greenfactory.paging import KeptTotal, page_of
from greenfactory.portal import REFERENCE_SCOPE, expect_kept, kept, shell_scopes_for


def _portal_path(url: str) -> str:
    # Only a path within the portal is followed ("//host" is another site).
    return url if url.startswith("/") and not url.startswith("//") else ""


# A message of the inbox (accounts/inbox.html), written in Python (greenfactory.display); ``badge`` and ``body`` are
# INBOX_UNREAD and INBOX_BODY or nothing.
INBOX_ROW = ('  <a class="list-group-item list-group-item-action{weight}" href="{url}">\n'
             '    <div class="d-flex justify-content-between"><span>{badge}{title}</span>\n'
             '    <small class="text-muted">{when}</small></div>\n'
             '    {body}\n  </a>\n')
INBOX_UNREAD = '<span class="badge text-bg-primary me-1">{}</span>'
INBOX_BODY = '<div class="small text-body-secondary fw-normal">{}</div>'


def inbox_rows_html(rows):
    """The inbox's messages; the unread badge written once for the page."""
    unread = format_html(INBOX_UNREAD, _("未读"))
    return html_rows(INBOX_ROW, ({
        "weight": " fw-semibold" if row["unread"] else "", "url": row["url"], "badge": unread if row["unread"] else "",
        "title": row["title"], "when": row["when"],
        "body": mark_safe(INBOX_BODY.format(escaped(row["body"]))) if row["body"] else ""}  # noqa: S308
        for row in rows))


# A box of the e-mail choices (accounts/inbox.html), written in Python.
PREFERENCE_BOX = ('      <div class="form-check">\n        <input class="form-check-input" type="checkbox" '
                  'name="{name}" id="id_{name}"{checked}>\n'
                  '        <label class="form-check-label" for="id_{name}">{label}</label>\n      </div>\n')


def preference_boxes_html(chosen: dict) -> str:
    """A box for each kind of message (``EmailPreferencesForm``'s fields), ticked when it is mailed."""
    return html_rows(PREFERENCE_BOX, (
        {"name": name, "label": field.label, "checked": " checked" if chosen.get(name, True) else ""}
        for name, field in EmailPreferencesForm.base_fields.items()))


def inbox(request):
    # Queries: the count (kept), the page of messages, the e-mail choices (kept: only the user's form changes them).
    user = request.user
    total, reads = KeptTotal(request, "inbox"), shell_scopes_for(user).reads
    preferences_key = f"email-preferences:{user.pk}"
    expect_kept(preferences_key, reads=reads)
    page = page_of(request, selectors.inbox_page_for_user(user), PAGE_SIZE, total=total)
    rows = selectors.inbox_rows(page)
    chosen = kept(preferences_key, lambda: email_preferences_for_user(user), reads=reads)
    return render(request, "accounts/inbox.html", {"page": page, "rows": rows, "rows_html": inbox_rows_html(rows),
                                                   "preference_boxes": preference_boxes_html(chosen)})


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
    if ids is None:
        messages.success(request, _("全部消息已标为已读。"))
    return redirect(_portal_path(request.POST.get("next", "")) or "accounts:inbox")


def notification_open(request, pk):
    """Open a message: mark it read and follow its link (only within the portal)."""
    notification = selectors.notification_get_for_user(request.user, pk)
    notification_mark_read(user=request.user, notification_ids=[notification.pk])
    return redirect(_portal_path(notification.url) or reverse("accounts:inbox"))


# The trail only grows (100,000 events at 10,000 enterprises, 7 ms to count them all): its pages count up to here —
# twenty pages, "第 1 / 20+ 页" beyond them (0.2 ms to count, against 1 ms for 10,000); the page past the twentieth
# counts them all, and the filters (user name, action) narrow the trail to what an auditor looks for.
AUDIT_COUNT_CAP = 1_000


@rule_required("accounts.view_audit_log")
def audit_log(request):
    # Queries: the count (up to AUDIT_COUNT_CAP) and the page of rows as the values shown; state labels come from
    # the models, not the database.
    # The count up to the cap is kept (KeptTotal) like the other lists' totals, until any event is recorded (a failed
    # sign-in moves nothing else: accounts.audit.AUDIT_SCOPE).
    total = KeptTotal(request, "audit", also_reads=(AUDIT_SCOPE,))
    form = AuditFilterForm(request.GET)
    page = capped_page_of(request, selectors.audit_page(**form.values()), PAGE_SIZE, cap=AUDIT_COUNT_CAP,
                          total=total)
    page.object_list = events = list(page.object_list)
    # The events never change (the table refuses updates), nor do the labels their rows are written with: a page's
    # rows, once written, are kept for the same events in the same language (until reference data changes).
    digest = hashlib.blake2b(repr([event.id for event in events]).encode(), digest_size=12).hexdigest()
    rows_html = kept(f"audit-rows:{get_language()}:{digest}", lambda: audit_rows_html(selectors.audit_rows(events)),
                     reads=(REFERENCE_SCOPE,), everyone=False)
    return render(request, "accounts/audit_log.html", {"page": page, "rows_html": rows_html, "filter_form": form})


# A row of the audit log (accounts/audit_log.html), written in Python (greenfactory.display).
AUDIT_ROW = ('    <tr><td class="text-nowrap">{when}</td><td class="text-nowrap">{username}</td>'
             '<td class="text-nowrap">{action}</td>\n    <td class="portal-audit-object">{object}</td>\n'
             '    <td class="portal-audit-change">{change}</td>\n'
             '    <td class="text-nowrap"><span class="badge {badge}">{result}</span></td>\n'
             '    <td class="text-nowrap">{ip}</td><td class="small text-muted text-nowrap">'
             '<span title="{request_id}">{request_id_short}</span></td></tr>\n')


# The change cell: a line each, then the note.
AUDIT_LINE = "<div>{}</div>"
AUDIT_NOTE = '<div class="small text-body-secondary text-break">{}</div>'


def _audit_change_html(row) -> str:
    lines = "".join(AUDIT_LINE.format(escaped(line)) for line in row["lines"])
    return mark_safe(lines + AUDIT_NOTE.format(escaped(row["note_shown"])) if row["note"] else lines)  # noqa: S308


def audit_rows_html(rows):
    return html_rows(AUDIT_ROW, ({
        "when": row["when"], "username": row["event"].username or "—", "action": row["action"],
        "object": row["event"].object_repr, "change": _audit_change_html(row),
        "badge": "text-bg-warning" if row["failed"] else "text-bg-success", "result": row["result"],
        "ip": row["event"].ip_address or "—", "request_id": row["event"].request_id,
        "request_id_short": row["request_id_short"]} for row in rows))
