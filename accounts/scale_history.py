"""Every user's past in the city-scale data (``manage.py seed_scale``), seeded last so it covers the users of every
seeder: about five audit events per user over the years (logins, downloads, changes, refusals), about three inbox
messages per user, and a long inbox (500 messages) for ``bench-district`` and ``bench-enterprise``.

Idempotent by marks: the events carry the request id ``scale-seed``, the messages a key starting ``scale:``; a user
who already has them gets no more.
"""

from datetime import timedelta

from django.db.models import Q

from accounts.models import AuditAction, AuditEvent, Notification, User
from greenfactory.scale import ScaleContext, spread

REQUEST_MARK = "scale-seed"
KEY_MARK = "scale:"
AUDIT_PER_USER = 5
MESSAGES_PER_USER = 3
LONG_INBOX = 500
LONG_INBOX_USERS = ("bench-district", "bench-enterprise")

_ACTIONS = (AuditAction.LOGIN, AuditAction.LOGIN, AuditAction.DOWNLOAD, AuditAction.ACCOUNT_CHANGED,
            AuditAction.LOGOUT, AuditAction.ACCESS_DENIED, AuditAction.PASSWORD_CHANGED, AuditAction.EXPORT)
_MESSAGES = (
    ("您的入库申请状态已更新", "请登录平台查看审核意见。"),
    ("年度绿色工厂培育工作已发布", "请在截止日期前完成填报。"),
    ("期限提醒：有事项即将到期", "请及时办理。"),
    ("有新的待办事项", "请登录平台办理。"),
)


def _scale_users():
    return User.objects.filter(Q(username__startswith="scale-") | Q(username__startswith="bench-"))


def _audit(context: ScaleContext) -> int:
    done = set(AuditEvent.objects.filter(request_id=REQUEST_MARK).values_list("actor_id", flat=True).distinct())
    users = [u for u in _scale_users().values_list("pk", "username", "date_joined") if u[0] not in done]
    events = []
    for pk, username, joined in users:
        span = max(1, int((context.now - joined).total_seconds() // 60))
        for k in range(AUDIT_PER_USER):
            action = _ACTIONS[spread(pk, k, len(_ACTIONS))]
            detail = ({"kind": "not_found", "method": "GET", "path": "/applications/intake/x/"}
                      if action == AuditAction.ACCESS_DENIED else {"fields": ["phone"]}
                      if action == AuditAction.ACCOUNT_CHANGED else {})
            events.append(AuditEvent(
                timestamp=context.now - timedelta(minutes=1 + context.rng.randrange(span)), actor_id=pk,
                username=username, action=action, ip_address=f"10.{pk % 250}.{k}.{1 + pk % 200}",
                request_id=REQUEST_MARK, detail=detail,
                result="failure" if action == AuditAction.ACCESS_DENIED else "success"))
    AuditEvent.objects.bulk_create(events, batch_size=context.batch_size)
    return len(events)


def _messages(context: ScaleContext) -> int:
    done = set(Notification.objects.filter(key__startswith=KEY_MARK).values_list("recipient_id", flat=True)
               .distinct())
    users = [u for u in _scale_users().values_list("pk", "username") if u[0] not in done]
    notes = []
    for pk, username in users:
        count = LONG_INBOX if username in LONG_INBOX_USERS else MESSAGES_PER_USER
        for k in range(count):
            title, body = _MESSAGES[spread(pk, k, len(_MESSAGES))]
            created = context.now - timedelta(minutes=k * 97 + context.rng.randrange(90))
            notes.append(Notification(recipient_id=pk, key=f"{KEY_MARK}{k}", title=title, body=body, url="/",
                                      created_at=created, read_at=None if k % 3 == 0 else created))
    Notification.objects.bulk_create(notes, batch_size=context.batch_size)
    return len(notes)


def seed_history(context: ScaleContext) -> dict[str, int]:
    return {"audit events": _audit(context), "notifications": _messages(context)}
