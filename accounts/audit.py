"""The audit trail: one append-only record per thing that happened (logins, refusals, state changes, uploads,
downloads, exports, administrators' changes). Every app records through ``audit_record``; the workflow kernel's
transitions are recorded by ``transition_record``, registered in ``AccountsConfig.ready``; stored documents' uploads
and downloads by ``document_event_record`` (settings ``DOCUMENT_EVENT_RECORDER``)."""

from axes.helpers import get_client_ip_address
from django.core.cache import cache

from accounts.models import AuditAction, AuditEvent
from greenfactory.middleware import current_request_id
from greenfactory.portal import scope_changed


def client_ip(request) -> str | None:
    if request is None:
        return None
    return get_client_ip_address(request) or None


AUDIT_SCOPE = "audit"  # moved by every record: the audit log's kept count reads it


def audit_record(*, action, actor=None, username="", obj=None, result="success", request=None, detail=None):
    """Append one audit record. Never raises on a missing request; never updates an earlier record. The audit log's
    kept count follows it at once (``AUDIT_SCOPE``), whoever wrote it (a failed sign-in moves nothing else)."""
    event = AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        username=username or (getattr(actor, "username", "") or ""),
        action=action,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(getattr(obj, "public_id", None) or getattr(obj, "pk", "") or "") if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        result=result,
        ip_address=client_ip(request),
        request_id=current_request_id() if current_request_id() != "-" else "",
        detail=detail or {},
    )
    scope_changed(AUDIT_SCOPE)
    return event


# Refusals of one kind from one user and address are recorded at most once in this many seconds.
ACCESS_DENIED_RATE_SECONDS = 60
# How long a count of refusals not recorded waits for the next record of the same user, address and kind.
ACCESS_DENIED_SUPPRESSED_SECONDS = 7 * 24 * 60 * 60


def access_denied_record(*, request, kind: str, status: int):
    """Record a refused request (``kind``: forbidden, not_found on a record's URL, csrf) with user, address, path
    and method. At most one record per user, address and kind a minute (a cache key claims the minute), so a flood
    of refused requests cannot flood the trail; the refusals not recorded are counted, and the next record of the
    same user, address and kind carries their number (``suppressed``), so the trail still says how many there were.
    Returns the record, or None when the minute was already claimed."""
    user = getattr(request, "user", None)
    actor = user if user is not None and user.is_authenticated else None
    key = f"access-denied:{getattr(actor, 'pk', 'anonymous')}:{client_ip(request) or ''}:{kind}"
    suppressed_key = f"{key}:suppressed"
    if not cache.add(key, 1, timeout=ACCESS_DENIED_RATE_SECONDS):
        # add-then-incr: incr is atomic in Redis (and in the local-memory cache), so racing processes lose no count.
        cache.add(suppressed_key, 0, timeout=ACCESS_DENIED_SUPPRESSED_SECONDS)
        try:
            cache.incr(suppressed_key)
        except ValueError:  # the counter expired between the two calls
            cache.add(suppressed_key, 1, timeout=ACCESS_DENIED_SUPPRESSED_SECONDS)
        return None
    detail = {"kind": kind, "status": status, "method": request.method, "path": request.path[:300]}
    suppressed = cache.get(suppressed_key) or 0
    if suppressed:
        # decr by what was read, not delete: refusals counted meanwhile go to the next record.
        cache.decr(suppressed_key, suppressed)
        detail["suppressed"] = suppressed
    return audit_record(action=AuditAction.ACCESS_DENIED, actor=actor, result="failure", request=request,
                        detail=detail)


def transition_record(change) -> AuditEvent:
    """The audit record of a fired transition (``greenfactory.workflow.Change``): which transition, from, to, the
    comment, and what the service added (``detail``)."""
    detail = {"transition": change.name, "from": change.source, "to": change.target, "comment": change.comment,
              **change.detail}
    return audit_record(action=AuditAction.TRANSITION, actor=change.actor, obj=change.instance,
                        request=change.request, detail=detail)


# The audit action and result of each event on a stored document (greenfactory.uploads.document_event_record).
_DOCUMENT_EVENTS = {
    "stored": (AuditAction.UPLOADED, "success"),
    "downloaded": (AuditAction.DOWNLOAD, "success"),
    "refused": (AuditAction.DOWNLOAD, "failure"),
}


def document_event_record(event: str, *, document, actor=None, request=None, **detail) -> AuditEvent:
    """The audit record of a stored document's upload (``stored``), download (``downloaded``) or refused download
    (``refused``: missing, or no longer the SHA-256 recorded at upload). Written on the record the document belongs
    to, so that record's trail shows it, naming the kind of document, its version, name and SHA-256.
    Settings ``DOCUMENT_EVENT_RECORDER`` points here; greenfactory calls it and never imports accounts."""
    action, result = _DOCUMENT_EVENTS[event]
    user = actor if getattr(actor, "is_authenticated", False) else None
    return audit_record(action=action, actor=user, obj=document.owner, result=result, request=request, detail={
        "document": document._meta.label, "document_id": document.pk, "version": document.version,
        "name": document.original_name, "sha256": document.sha256, **detail,
    })
