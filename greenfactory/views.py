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
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token

from greenfactory.celery import app as celery_app
from greenfactory.middleware import current_request_id
from greenfactory.portal import home_panels_for, recent_messages_for, todo_groups_for

logger = logging.getLogger(__name__)

TODO_ITEMS_PER_SOURCE = 10
RECENT_MESSAGES = 5


def home(request):
    user = request.user
    # The counts are the navigation's: each source runs once per request (greenfactory.portal).
    return render(request, "home.html", {"todo_groups": todo_groups_for(user, TODO_ITEMS_PER_SOURCE),
                                         "recent_notifications": recent_messages_for(user, RECENT_MESSAGES),
                                         "panels": home_panels_for(user)})


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
