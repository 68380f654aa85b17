"""The shell's own pages: each role's home (to-do list), the health check and the error handlers."""

import logging
import time
import uuid

from django.contrib.auth.decorators import login_not_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token

from greenfactory.celery import app as celery_app
from greenfactory.display import html_rows, local_minute, url_with_pk
from greenfactory.middleware import current_request_id
from greenfactory.portal import home_panels_for, kept, recent_messages_for, shell_scopes_for, todo_groups_for

logger = logging.getLogger(__name__)

TODO_ITEMS_PER_SOURCE = 10
RECENT_MESSAGES = 5


# A to-do item of the home page (templates/home.html), written in Python: thirty items with their conditions, dates
# and labels cost more in the template than the queries that found them.
TODO_ITEM = ('<a class="list-group-item list-group-item-action todo-item{urgent_class}" href="{url}">'
             '<div class="todo-item-main"><div class="todo-item-title">{urgent_mark}{title}</div>{detail}</div>'
             '{dates}</a>\n')


def todo_items_html(items):
    """The markup of a to-do group's items (every value escaped)."""
    urgent_mark = format_html('<i class="bi bi-exclamation-circle-fill text-danger me-1" aria-hidden="true"></i>'
                              '<span class="visually-hidden">{}</span>', _("紧急："))
    started, due = _("开始于"), _("截止")
    rows = []
    for item in items:
        dates = []
        if item.since:
            moment = timezone.localtime(item.since)
            dates.append(format_html('<div>{} <time datetime="{}">{}</time></div>', started, moment.isoformat(),
                                     moment.strftime("%Y-%m-%d %H:%M")))
        if item.deadline:
            day = item.deadline.strftime("%Y-%m-%d")
            dates.append(format_html('<div{}>{} <time datetime="{}">{}</time></div>',
                                     mark_safe(' class="todo-deadline-urgent"') if item.urgent else "", due, day, day))
        rows.append({
            "urgent_class": " todo-urgent" if item.urgent else "", "url": item.url, "title": item.title,
            "urgent_mark": urgent_mark if item.urgent else "",
            "detail": format_html('<div class="todo-item-detail">{}</div>', item.detail) if item.detail else "",
            "dates": format_html('<div class="todo-item-dates">{}</div>',
                                 mark_safe("".join(dates))) if dates else ""})  # noqa: S308  (parts from format_html)
    return html_rows(TODO_ITEM, rows)


# A message of the home page's "近期消息" (templates/home.html), written in Python as the to-do items are.
RECENT_MESSAGE = ('<a class="list-group-item list-group-item-action{unread_class}" href="{url}">'
                  '<div class="recent-message-title">{unread}{title}</div>'
                  '<small class="text-body-secondary"><time datetime="{iso}">{created}</time></small></a>\n')


def recent_messages_html(messages):
    """The markup of the latest messages (every value escaped), an unread one marked."""
    unread = format_html('<span class="badge text-bg-primary me-1">{}</span>', _("未读"))
    url = url_with_pk("accounts:notification_open")
    return html_rows(RECENT_MESSAGE, [
        {"unread_class": "" if m.read_at else " recent-message-unread", "url": url(m.pk),
         "unread": "" if m.read_at else unread, "title": m.title,
         "iso": timezone.localtime(m.created_at).isoformat(), "created": local_minute(m.created_at)}
        for m in messages])


def _todo_groups(user):
    """The to-do list as the page shows it: each source with something waiting, its label, count and the markup of
    its first items."""
    return [{"key": group["source"].key, "label": str(group["source"].label), "count": group["count"],
             "shown": len(group["items"]), "items_html": todo_items_html(group["items"])}
            for group in todo_groups_for(user, TODO_ITEMS_PER_SOURCE)]


def _home_content(user) -> dict:
    groups, panels = _todo_groups(user), home_panels_for(user)
    messages = list(recent_messages_for(user, RECENT_MESSAGES))
    return {"todo_groups": groups, "panels": panels, "recent_notifications": bool(messages),
            "recent_messages_html": recent_messages_html(messages)}


def home(request):
    user = request.user
    # The counts are the navigation's (each source runs once per request, greenfactory.portal), and the list is kept
    # with them across requests as one snapshot, with the panels (open clocks, campaigns to apply to, the
    # enterprise's applications) and the latest messages: all of it changes only through the portal — a transition
    # or a message (which move everyone's), a form the user's unit posts, an official's form — and with the day
    # (the working days left), which is in the key. The panels' templates are rendered on each view (a panel's form
    # carries the view's own token).
    content = kept(f"home:{user.pk}:{get_language()}:{timezone.localdate()}", lambda: _home_content(user),
                   reads=shell_scopes_for(user).reads)
    return render(request, "home.html", content)


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_broker():
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


def _check_storage():
    name = default_storage.save(f"health/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with default_storage.open(name) as handle:
            if handle.read() != b"ok":
                raise OSError("storage returned other bytes")
    finally:
        default_storage.delete(name)


@login_not_required
@never_cache
def health(request):
    """For a load balancer: 200 when the database, the broker and file storage answer, else 503 naming the part."""
    results = {}
    healthy = True
    for name, check in (("database", _check_database), ("broker", _check_broker), ("storage", _check_storage)):
        started = time.perf_counter()
        try:
            check()
        except Exception as exc:
            healthy = False
            logger.warning("health check %s failed: %s", name, exc)
            results[name] = {"ok": False, "error": type(exc).__name__}
        else:
            results[name] = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}
    return JsonResponse({"status": "ok" if healthy else "fail", "checks": results}, status=200 if healthy else 503)


@requires_csrf_token
def server_error(request):
    """A Chinese message and the request id, never a traceback."""
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"request_id": current_request_id()}))


def csrf_failure(request, reason=""):
    """A Chinese explanation of what happened and what to do; Django's English reason ("CSRF token missing.") is
    never shown, not even with debug on: it is in the log line (django.security.csrf) for whoever needs it."""
    # The refusal is audited by AccessDeniedAuditMiddleware, which cannot tell a CSRF 403 from another by itself.
    request.csrf_failed = True
    return render(request, "403_csrf.html", status=403)
