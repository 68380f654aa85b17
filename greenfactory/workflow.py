"""One way to fire a django-fsm transition: check state and permission, fire, save. The caller holds the row lock
(``select_for_update``) inside ``transaction.atomic()``; django-fsm-log writes the audit record in the same
transaction, so a rollback takes the state and its record back together."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django_fsm import can_proceed, has_transition_perm

# The longest reason or comment a transition stores (forms say the same; models declare it on the reason fields).
COMMENT_MAX_LENGTH = 1000


class TransitionConflict(Exception):  # noqa: N818  (named after the situation, answered with 409 Conflict)
    """The record is no longer in a state that allows the action (for example, someone else decided it first).
    ``url``, when given, is the record's page: the 409 answer links back to it."""

    def __init__(self, message, url=None):
        super().__init__(message)
        self.message = message
        self.url = url


def may_ever_fire(instance, name: str, actor) -> bool:
    """Whether the actor holds the permission of the transition from any of its source states. Asked before the
    state, so that a wrong-role request is refused (403) without learning the record's state (409)."""
    transitions = getattr(instance, name)._django_fsm.transitions.values()
    return any(transition.has_perm(instance, actor) for transition in transitions)


def transition_fire(*, instance, name: str, actor, comment: str = "", state_field: str = "status"):
    method = getattr(instance, name)
    if not may_ever_fire(instance, name, actor):
        raise PermissionDenied(_("您无权执行此操作。"))
    if not can_proceed(method):
        current = getattr(instance, f"get_{state_field}_display")()
        raise TransitionConflict(
            _("该事项当前状态为“%(state)s”，不能执行此操作，可能已由他人处理。请刷新页面查看最新情况。")
            % {"state": current}
        )
    if not has_transition_perm(method, actor):
        raise PermissionDenied(_("您无权执行此操作。"))
    if comment and len(comment) > COMMENT_MAX_LENGTH:
        # Every reason of every workflow passes here: a form a view forgot cannot store (and mail) 100,000 characters.
        raise ValidationError({"reason": _("原因最多 %(limit)d 个字符，您填写了 %(count)d 个，请精简后再提交。")
                               % {"limit": COMMENT_MAX_LENGTH, "count": len(comment)}})
    source = getattr(instance, state_field)
    method(by=actor, description=comment or None)
    instance.save()
    # The audit record written next (accounts.services.audit_record) names both ends of the change.
    instance.last_transition = {"from": source, "to": getattr(instance, state_field)}
    return instance


class ReloadableStateMixin:
    """``refresh_from_db()`` for models whose state is a protected FSMField: a reload from the database is not the
    direct assignment that protection forbids."""

    state_field_name = "status"

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        if fields is None or self.state_field_name in fields:
            self.__dict__.pop(self.state_field_name, None)
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
