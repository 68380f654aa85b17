"""The workflow kernel: how every state of every case changes.

- ``transition(...)`` is the one decorator of a transition method (django-fsm's ``@transition`` with django-fsm-log's
  ``by`` and ``description``). A method it decorates runs only inside ``fire``: called anywhere else it raises, so a
  state cannot change without the lock, the guards on the locked row, the record and the messages.
- ``fire(...)`` is the one transition path: inside one transaction it re-reads the row with ``select_for_update()``,
  checks permission (403) before state (409), runs the caller's guards on the locked row, fires, saves, and hands the
  change to the recorders the apps registered (the audit trail, the deadlines a transition stops, the inbox). The
  inbox rows are written in the same transaction as the state (nothing lost, nothing sent for a change rolled back);
  mail leaves after commit.
- ``Workflow`` and ``Action`` declare, once per workflow, what a person can do on a case page: the transition, the
  service that performs it, the reason form, the confirmation, the success message. The buttons, the generic action
  view and the state diagram in ``docs/workflows/`` are read from these declarations.

This module imports no app: the apps register what happens after a change (``register_recorder``) and which
workflows exist (``register_workflow``) in their ``AppConfig.ready()``.
"""

import contextvars
import functools
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html
from django.utils.module_loading import import_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_fsm import FSMFieldMixin, can_proceed, has_transition_perm
from django_fsm import transition as fsm_transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description
from django_fsm_log.models import StateLog

from greenfactory.display import choice_labels, html_rows, local_minute
from greenfactory.portal import kept, shell_changed
from greenfactory.text import is_blank

# The longest reason or comment a transition stores (forms say the same; models declare it on the reason fields).
COMMENT_MAX_LENGTH = 1000


class TransitionConflict(Exception):  # noqa: N818  (named after the situation, answered with 409 Conflict)
    """The record is no longer in a state that allows the action (for example, someone else decided it first).
    ``url``, when given, is the record's page: the 409 answer links back to it."""

    def __init__(self, message, url=None):
        super().__init__(message)
        self.message = message
        self.url = url


class FiredOutsideKernelError(RuntimeError):
    """A transition method was called directly instead of through ``fire``."""


# Set only while ``fire`` runs a transition method on the row it has locked.
_firing = contextvars.ContextVar("greenfactory_workflow_firing", default=None)


def transition(*, source, target, field="status", permission=None, conditions=(), stops=(), label=None):
    """Declare a transition method. ``stops`` names the kinds of clock (``Deadline.kind``) the transition stops on
    its record; ``label`` is the Chinese name of the step for the history and the state diagram.

    ``conditions`` are pure checks of the record (django-fsm runs them on the locked row, since only ``fire`` calls
    the method); ``permission`` is a predicate ``(instance, user) -> bool`` from the app's ``access.py``."""

    def decorate(method):
        @functools.wraps(method)
        def guarded(instance, *args, **kwargs):
            if _firing.get() is not instance:
                raise FiredOutsideKernelError(
                    f"{type(instance).__name__}.{method.__name__} is fired through greenfactory.workflow.fire, "
                    "which locks the row and records the change")
            return method(instance, *args, **kwargs)

        custom = {"stops": tuple(stops), "label": label}
        fired = fsm_transition(field=field, source=source, target=target, permission=permission,
                               conditions=list(conditions), custom=custom)(guarded)
        return fsm_log_by(fsm_log_description(fired))

    return decorate


def _transitions_of(instance, name):
    method = getattr(type(instance), name, None)
    meta = getattr(method, "_django_fsm", None)
    if meta is None:
        raise ImproperlyConfigured(f"{type(instance).__name__}.{name} is not a transition")
    return meta


def reason_required(reason: str | None, message=None) -> str:
    """The reason a step needs, stripped; ValidationError on ``reason`` (``message``, or "请填写原因。") when there is
    none a reader could see (only spaces or invisible characters count as none)."""
    reason = (reason or "").strip()
    if is_blank(reason):
        raise ValidationError({"reason": message or _("请填写原因。")})
    return reason


def may_ever_fire(instance, name: str, actor) -> bool:
    """Whether the actor holds the permission of the transition from any of its source states. Asked before the
    state, so that a wrong-role request is refused (403) without learning the record's state (409)."""
    return any(t.has_perm(instance, actor) for t in _transitions_of(instance, name).transitions.values())


# --- What happens after a change: registered by the apps -----------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One fired transition, as the recorders receive it (inside the transaction)."""

    instance: object
    name: str
    source: str
    target: str
    actor: object
    comment: str
    stops: tuple
    detail: dict
    request: object


@dataclass(frozen=True)
class Message:
    """An inbox message a transition sends: ``recipients`` is an iterable of users (or a callable returning one,
    evaluated after the change, so that it reads the new state)."""

    recipients: Iterable | Callable
    title: str
    body: str = ""
    url: str = ""
    kind: str = ""


_recorders: dict[str, Callable] = {}
_message_sender: list[Callable] = []


def register_recorder(name: str, recorder: Callable[[Change], None]) -> None:
    """``recorder(change)`` runs inside the transaction after every fired transition (the audit record, closing the
    clocks the transition stops). Registered once per name, so a second ``ready()`` does not double it."""
    _recorders[name] = recorder


def register_message_sender(sender: Callable[[Message], object]) -> None:
    _message_sender[:] = [sender]


def messages_send(messages: Iterable[Message]) -> None:
    for message in messages:
        if not _message_sender:
            raise ImproperlyConfigured("no message sender registered (accounts.apps registers the inbox)")
        _message_sender[0](message)


# --- The one transition path ---------------------------------------------------------------------------------------


def _lock(instance, related=()):
    queryset = type(instance)._default_manager.select_for_update(of=("self",) if related else ())
    if related:
        queryset = queryset.select_related(*related)
    try:
        return queryset.get(pk=instance.pk)
    except type(instance).DoesNotExist:
        raise TransitionConflict(_("该事项已不存在（可能已被删除），本次操作未执行。")) from None


def lock(instance, *, related=(), url=None):
    """The row re-read under its lock: for services that check or change a case before they fire, in the same
    transaction (``fire`` takes the locked row and does not read it again)."""
    if not transaction.get_connection().in_atomic_block:
        raise ImproperlyConfigured("greenfactory.workflow.lock runs inside transaction.atomic()")
    try:
        return _lock(instance, related)
    except TransitionConflict as conflict:
        conflict.url = conflict.url or url
        raise


def state_conflict(instance, *, url=None, message=None, state_field="status") -> TransitionConflict:
    """A stale or repeated action: 409, with the state the record is in now and a link back to it."""
    state = getattr(instance, f"get_{state_field}_display")()
    return TransitionConflict(
        message or _("该事项当前状态为“%(state)s”，不能执行此操作，可能已由他人处理。本次操作未执行，"
                     "请返回查看最新情况。") % {"state": state},
        url=url,
    )


def fire(instance, name: str, *, actor, comment: str = "", guards: Iterable[Callable] = (), prepare=None,
         messages: Iterable[Message] | Callable = (), detail: dict | None = None, request=None, url: str | None = None,
         related=(), locked: bool = False, conflict_message: str | None = None):
    """Fire transition ``name`` on ``instance`` for ``actor`` and return the locked, changed row.

    In one transaction: lock the row (unless ``locked``: the caller already holds it from ``lock``); refuse with
    PermissionDenied when the actor may never fire it (before the state is read), TransitionConflict (409, linking to
    ``url``) when the state does not allow it now; run each ``guards`` callable on the locked row (they raise
    ValidationError or TransitionConflict); call ``prepare(row)`` (fields the transition derives from what the
    service checked); fire; save; hand the change to every registered recorder (``detail`` goes into the audit
    record); send ``messages`` (or ``messages(row)``) to the inbox. A comment over ``COMMENT_MAX_LENGTH`` is refused
    whatever form sent it."""
    with transaction.atomic():
        row = instance if locked else _lock(instance, related)
        if not may_ever_fire(row, name, actor):
            raise PermissionDenied(_("您无权执行此操作。"))
        method = getattr(row, name)
        meta = _transitions_of(row, name)
        state_field = meta.field if isinstance(meta.field, str) else meta.field.name
        if not can_proceed(method):
            raise state_conflict(row, url=url, message=conflict_message, state_field=state_field)
        if not has_transition_perm(method, actor):
            raise PermissionDenied(_("您无权执行此操作。"))
        comment = (comment or "").strip()
        if len(comment) > COMMENT_MAX_LENGTH:
            raise ValidationError({"reason": _("原因最多 %(limit)d 个字符，您填写了 %(count)d 个，请精简后再提交。")
                                   % {"limit": COMMENT_MAX_LENGTH, "count": len(comment)}})
        for guard in guards:
            guard(row)
        if prepare is not None:
            prepare(row)
        source = getattr(row, state_field)
        stops = meta.get_transition(source).custom.get("stops", ())
        token = _firing.set(row)
        try:
            method(by=actor, description=comment or None)
        finally:
            _firing.reset(token)
        row.save()
        target = getattr(row, state_field)
        row.last_transition = {"from": source, "to": target}
        change = Change(instance=row, name=name, source=source, target=target, actor=actor, comment=comment,
                        stops=tuple(stops), detail=dict(detail or {}), request=request)
        for recorder in _recorders.values():
            recorder(change)
        messages_send(messages(row) if callable(messages) else messages)
        shell_changed()
    return row


def history(instance) -> "History":
    """A record's transitions, oldest first, for its case page (components/history.html): one query however long the
    history."""
    return History(StateLog.objects.for_(instance).select_related("by").only(*_HISTORY_COLUMNS)
                   .order_by("timestamp", "pk"), type(instance))


def kept_history(instance) -> "HistoryMarkup":
    """``history(instance)`` as its markup, kept (``greenfactory.portal.kept``) until a transition — every
    transition of the kernel moves the generation it is kept under, and only a transition adds an entry — or a
    posted form: a case page read many times between two decisions reads its history once."""
    key = f"history:{instance._meta.label_lower}:{instance.pk}:{get_language()}"
    return kept(key, lambda: HistoryMarkup(history(instance).html))


@dataclass(frozen=True)
class HistoryMarkup:
    """What ``components/history.html`` reads of a history: its markup, and whether it has an entry."""

    html: str  # safe: History.html

    def __bool__(self) -> bool:
        return bool(self.html)


# What an entry shows (HISTORY_ENTRY; the person by ``get_full_name``), not the person's whole account row.
_HISTORY_COLUMNS = ("timestamp", "by_id", "source_state", "state", "transition", "description", "content_type_id",
                    "object_id", "by__full_name", "by__username")


# An entry of a case page's history (templates/components/history.html), written in Python: each entry's two state
# labels through django-fsm-log translate every label of the state's choices, twice an entry.
HISTORY_ENTRY = ('<li class="list-group-item small"><span class="text-muted">{when}</span> {by}{colon}{source} → '
                 '<strong>{state}</strong>{description}</li>\n')


class History(list):
    """The entries (``StateLog``), and ``html``: their markup, the state labels those of the record's state field."""

    def __init__(self, entries, model):
        super().__init__(entries)
        self.model = model

    @property
    def html(self) -> str:
        field = next(f for f in self.model._meta.fields if isinstance(f, FSMFieldMixin))
        labels = choice_labels(field)
        system, colon = _("系统"), _("：")
        return html_rows(HISTORY_ENTRY, [
            {"when": local_minute(entry.timestamp), "by": (entry.by.get_full_name() if entry.by_id else "") or system,
             "colon": colon, "source": labels.get(entry.source_state, entry.source_state) or "—",
             "state": labels.get(entry.state, entry.state),
             "description": format_html('<div class="text-body-secondary">{}</div>', entry.description)
             if entry.description else ""}
            for entry in self])


class ReloadableStateMixin:
    """``refresh_from_db()`` for models whose state is a protected FSMField: a reload from the database is not the
    direct assignment that protection forbids."""

    state_field_name = "status"

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        if fields is None or self.state_field_name in fields:
            self.__dict__.pop(self.state_field_name, None)
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)


# --- Declarations: what a person can do on a case page ---------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    """One thing a person does on a case, declared once.

    - ``name``: the transition it fires (``transition=False`` for an action that is not one, such as deleting a
      draft nobody else has seen; ``when`` then says who may and when).
    - ``perform(case, *, actor, request, data)``: calls the service (``data``: the form's cleaned data).
    - ``label``, ``style``: the button; ``confirm``: the question asked before it (irreversible steps).
    - ``form``: ``form(case, data)`` builds the form (a reason when the transition needs one), or None.
    - ``success``: what is said after (a string, or ``success(case)``); ``next_url(case)``: where to go then (the
      case page by default).
    - ``when(case, user)``: a further condition for offering it now (a date, a file on record, a state).
    - ``permission(case, user)``: for an action that is not a transition, who may ever take it (asked before
      ``when``, so that a stale request from the right person is a conflict, 409, not a refusal, 403).
    - ``slug``: its URL segment (the transition name by default)."""

    name: str
    perform: Callable
    label: str
    success: object
    confirm: object = ""
    form: Callable | None = None
    style: str = "primary"
    next_url: Callable | None = None
    when: Callable | None = None
    transition: bool = True
    slug: str = ""
    permission: Callable | None = None

    @property
    def url_slug(self) -> str:
        return self.slug or self.name

    def success_message(self, case) -> str:
        return self.success(case) if callable(self.success) else str(self.success)

    def confirm_message(self, case) -> str:
        return self.confirm(case) if callable(self.confirm) else str(self.confirm)

    def permitted(self, case, user) -> bool:
        """Whether the user may ever take this action on the case, whatever its state: asked first, so that a
        wrong-role request is refused (403) before anything is said about where the case stands (409)."""
        if self.transition:
            return may_ever_fire(case, self.name, user)
        return bool(self.permission(case, user)) if self.permission else False


@dataclass
class Workflow:
    """A workflow's declarations: its model and state field, how a user reaches a case (``get_for_user(user,
    public_id)``, 404 outside scope), the case page (``detail_url(case)``; ``render_case(request, case, *, action,
    form)`` shows it again with a refused form), and its actions."""

    key: str
    model: type
    label: str
    get_for_user: Callable
    detail_url: Callable
    actions: tuple[Action, ...] = ()
    render_case: Callable | str | None = None
    state_field: str = "status"
    action_url_name: str = ""
    declared_in: str = ""

    def show_again(self, request, case, *, action, form):
        render_case = import_string(self.render_case) if isinstance(self.render_case, str) else self.render_case
        return render_case(request, case, action=action, form=form)

    def action(self, slug: str) -> Action:
        for action in self.actions:
            if action.url_slug == slug:
                return action
        raise KeyError(slug)

    def available(self, case, user) -> list[Action]:
        """Exactly the declared actions the user may take now: for a transition, what django-fsm allows this user in
        this state (``get_available_user_<field>_transitions``: state, conditions, permission) and the action's own
        ``when``. The buttons on the case page and what the action view accepts agree because both ask this."""
        allowed = {t.name for t in getattr(case, f"get_available_user_{self.state_field}_transitions")(user)}
        return [action for action in self.actions
                if (action.name in allowed if action.transition else True)
                and (action.when is None or action.when(case, user))]

    def available_slugs(self, case, user) -> frozenset[str]:
        return frozenset(action.url_slug for action in self.available(case, user))

    def buttons(self, case, user, *, bound=None) -> dict[str, "Button"]:
        """The case page's buttons, by URL slug: only what ``available`` allows, with the question, the URL and the
        action's form (``bound``: a form posted and refused, shown again in its place)."""
        return {action.url_slug: Button(
            action, case, url=reverse(self.action_url_name, args=[case.public_id, action.url_slug]),
            bound=bound if bound is not None and bound.action is action else None)
            for action in self.available(case, user)}


class Button:
    """A case page's button: its question and its form made when the page asks for them (a page that writes its
    own forms, like the intake case page, asks for neither, and each costs the criteria and a form)."""

    def __init__(self, action: Action, case, *, url: str, bound=None):
        self.action, self.case, self.url, self.bound = action, case, url, bound
        self.label, self.style = action.label, action.style

    @functools.cached_property
    def confirm(self) -> str:
        return self.action.confirm_message(self.case)

    @functools.cached_property
    def form(self):
        if self.action.form is None:
            return None
        return self.bound if self.bound is not None else self.action.form(self.case, None)


_workflows: dict[str, Workflow] = {}


def register_workflow(workflow: Workflow) -> Workflow:
    """Register a workflow; the module that declares it is noted (the state diagram names it: a workflow of one app's
    model may be declared by the app above that shows its case page)."""
    workflow.declared_in = sys._getframe(1).f_globals.get("__name__", workflow.model.__module__)
    _workflows[workflow.key] = workflow
    return workflow


def workflows() -> list[Workflow]:
    return [_workflows[key] for key in sorted(_workflows)]


def workflow_for(key: str) -> Workflow:
    return _workflows[key]
