"""The portal's shell: navigation entries, to-do sources, panels, the inbox it shows and who may use it, registered
by the apps in ``AppConfig.ready``.

The shell imports no app: each app tells it what its roles may open and what waits for them. The home page and the
navigation then ask every registered source, so a later workflow adds its cases to the to-do list by registering a
source, not by editing the home page.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url_name: str
    roles: frozenset[str]
    icon: str = "circle"
    order: int = 100
    # Only users for whom this is true see the entry (for example, an approved enterprise).
    visible: Callable[[object], bool] | None = None
    todo_keys: tuple[str, ...] = ()
    # Other sections (URL names) whose pages belong to this entry when no entry's own address begins the path: the
    # district's intake queue is current on a case page (/applications/intake/<id>/) it opened.
    also: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return fixed_url(self.url_name)

    @property
    def also_urls(self) -> tuple[str, ...]:
        return tuple(fixed_url(name) for name in self.also)


_fixed_urls: dict[str, str] = {}


def fixed_url(name: str) -> str:
    """``reverse(name)`` of a URL without arguments, once per process (the navigation's and the top bar's links on
    every page)."""
    url = _fixed_urls.get(name)
    if url is None:
        url = _fixed_urls[name] = reverse(name)
    return url


@dataclass(frozen=True)
class TodoItem:
    title: str
    url: str
    since: datetime | None = None
    detail: str = ""
    deadline: date | None = None
    urgent: bool = False


@dataclass(frozen=True)
class TodoSource:
    """Cases waiting for a user. ``count`` must cost one query; ``items(user, limit)`` a fixed number however many
    rows. A source of a few items computed together (``count`` None) is listed in full once a request
    (``items(user, None)``), and that list is both its count and its items."""

    key: str
    label: str
    roles: frozenset[str]
    count: Callable[[object], int] | None
    items: Callable[[object, int | None], Iterable[TodoItem]]
    order: int = 100


@dataclass(frozen=True)
class Panel:
    """A block of a page that an app fills: ``context(user, subject)`` returns the template's context, or None when
    the panel has nothing to say for this subject. On the home page the subject is the user; on a company page it is
    the organisation. A panel costs a fixed number of queries however much data lies behind it."""

    key: str
    template: str
    roles: frozenset[str]
    context: Callable[[object, object], dict | None]
    order: int = 100


@dataclass(frozen=True)
class Inbox:
    """Where the shell reads a user's messages: the unread count of the navigation and the latest few of the home
    page (the app that keeps the inbox registers it)."""

    unread_count: Callable[[object], int]
    recent: Callable[[object, int], Iterable]


@dataclass
class _Registry:
    nav: dict[str, NavItem] = field(default_factory=dict)
    todo: dict[str, TodoSource] = field(default_factory=dict)
    home_panels: dict[str, Panel] = field(default_factory=dict)
    organisation_panels: dict[str, Panel] = field(default_factory=dict)
    inbox: Inbox | None = None
    # Each answers whether a logged-in user may use the shell at all (navigation, to-dos, messages).
    shell_checks: list[Callable[[object], bool]] = field(default_factory=list)


_registry = _Registry()


def register_nav(item: NavItem) -> None:
    _registry.nav[item.key] = item


def register_todo(source: TodoSource) -> None:
    _registry.todo[source.key] = source


def nav_for(user) -> list[NavItem]:
    role = getattr(user, "role", None)
    items = [
        item
        for item in _registry.nav.values()
        if role in item.roles and (item.visible is None or item.visible(user))
    ]
    return sorted(items, key=lambda item: (item.order, item.key))


def todo_sources_for(user) -> list[TodoSource]:
    role = getattr(user, "role", None)
    return sorted((s for s in _registry.todo.values() if role in s.roles), key=lambda s: (s.order, s.key))


def _request_cache(user) -> dict:
    """What the shell computed for the user in this request, kept on the request's user object (which lives as long
    as the request; the next request loads a new one): the navigation badges (context processor) and the home page
    read the same to-do counts and lists."""
    cache = getattr(user, "_portal_request_cache", None)
    if cache is None:
        cache = {"todo_counts": None, "todo_lists": {}}
        user._portal_request_cache = cache
    return cache


def _listed(user, source: TodoSource) -> list[TodoItem]:
    lists = _request_cache(user)["todo_lists"]
    if source.key not in lists:
        lists[source.key] = list(source.items(user, None))
    return lists[source.key]


def todo_source_count(source: TodoSource, user) -> int:
    """What a source has waiting for the user, asked afresh: its COUNT, or the length of its full list."""
    return len(list(source.items(user, None))) if source.count is None else source.count(user)


# --- The shell's counts, kept briefly across requests -----------------------------------------------------------------
#
# Every page's navigation shows the user's to-do counts and unread messages: several COUNT queries on every request.
# They are kept in the cache per user together with the generations that guard them, and used only while those are
# unchanged and for at most PORTAL_SHELL_CACHE_SECONDS (the bound for changes made outside the paths below).
#
# Generations: one for everyone, moved by a transition or a message (``shell_changed()``), which may change anyone's
# to-dos; and one per scope (a unit, a district's units, anything at all), moved by a form a user posts
# (``shell_changed(scopes)``, ShellChangeMiddleware): an enterprise saving its draft moves its own unit's and its
# district's, so its district's officials recount and the other ten thousand enterprises keep their counts. Which
# scopes a user reads and which their forms move is the accounts app's (``register_shell_scopes``).

_GENERATION_KEY = "portal:shell:generation"
ANY_SCOPE = "any"  # moved by every change: what the city reads, and what a page-wide kept value (no user) reads


@dataclass(frozen=True)
class ShellScopes:
    """``reads``: the scopes whose change may move the user's counts (besides every transition and message);
    ``writes``: the scopes a form they post may change, or None for everyone's (an official's decision)."""

    reads: tuple[str, ...]
    writes: tuple[str, ...] | None


_EVERYONE = ShellScopes(reads=(ANY_SCOPE,), writes=None)
_shell_scopes: list[Callable[[object], ShellScopes]] = []


def register_shell_scopes(scopes: Callable[[object], ShellScopes]) -> None:
    _shell_scopes[:] = [scopes]


def shell_scopes_for(user) -> ShellScopes:
    """What the user reads and moves; without a registered rule, everything (every change recounts everyone)."""
    return _shell_scopes[0](user) if _shell_scopes else _EVERYONE


def _shell_key(user) -> str:
    return f"shell:{user.pk}"


def _scope_key(scope: str) -> str:
    return f"portal:shell:scope:{scope}"


def shell_changed(scopes: Iterable[str] | None = None) -> None:
    """Something a to-do list or an inbox counts may have changed: for everyone (``scopes`` None: a transition, a
    message), or for the users who read one of ``scopes`` (and the city). Inside a transaction, again after commit
    (a request that counted in between, before the change was visible, must not keep its count)."""
    keys = [_GENERATION_KEY] if scopes is None else [_scope_key(s) for s in {*scopes, ANY_SCOPE}]
    _move(keys)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _move(keys))


def scope_changed(scope: str) -> None:
    """Something only the values that read ``scope`` depend on has changed (an audit event: the audit log's kept
    count), without moving anyone's counts: that scope's generation alone, again after commit."""
    keys = [_scope_key(scope)]
    _move(keys)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _move(keys))


def _move(keys: list[str]) -> None:
    # A generation is any value a change replaces (one write for all the scopes of a form, no read).
    moved = dict.fromkeys(keys, uuid.uuid4().hex)
    known = getattr(_request_state, "generations", None)
    if known is not None:
        known.update(moved)
    try:
        cache.set_many(moved, None)
    except Exception:  # the cache is down: kept values expire after PORTAL_SHELL_CACHE_SECONDS
        logger.warning("could not move the shell's cache generations", exc_info=True)


def _shell_counts_compute(user) -> dict:
    cache_ = _request_cache(user)
    if cache_["todo_counts"] is None:
        cache_["todo_counts"] = {
            source.key: len(_listed(user, source)) if source.count is None else source.count(user)
            for source in todo_sources_for(user)
        }
    return {"todo": cache_["todo_counts"], "unread": _registry.inbox.unread_count(user)
            if _registry.inbox is not None else 0}


# Within one request the generations are read once: the first kept value asks for the everyone's and any-change
# generations along with its own guards, and later ones ask only for what is still unknown (a change the request
# itself makes moves its copy too, ``_move``). Outside a request (a Celery task, a command) every call reads them.
_request_state = threading.local()
# Values kept with ``local=True`` (reference data: the districts, the industries, a year's calendar) are also held by
# the process, as the cache holds them: (generations, expiry, value). Read again only when a generation moves or the
# keeping time ends; a request that already knows the generations then asks the cache nothing. Only while every
# generation it depends on has been set: after the cache was emptied, the process's copy is not believed.
_held: dict[str, tuple] = {}
_HELD_LIMIT = 500


REFERENCE_SCOPE = "reference"
# What the first kept value of a request asks for besides its own guards: the generations most pages read.
_READ_WITH_THE_FIRST = (_GENERATION_KEY, _scope_key(ANY_SCOPE), _scope_key(REFERENCE_SCOPE))


def reference_data(key: str, compute: Callable[[], object]):
    """Reference data — the districts, the industries, the campaigns' names and years, the official calendar — kept
    in the cache and in each process until a row of a reference model is saved or deleted
    (``register_reference_models``: an administrator's edit, a campaign opened, corrected or closed) or an official or
    administrator posts a form (ShellChangeMiddleware), not on every transition and message; and for at most
    PORTAL_SHELL_CACHE_SECONDS (a change outside the portal that sends no signal, such as a bulk update from a
    shell). The value is shared: no caller may change it."""
    return kept(key, compute, reads=(REFERENCE_SCOPE,), local=True, everyone=False)


def reference_changed(**kwargs) -> None:
    shell_changed([REFERENCE_SCOPE])


def register_reference_models(*models) -> None:
    """Saving or deleting a row of one of ``models`` moves every ``reference_data`` value."""
    from django.db.models.signals import post_delete, post_save

    for model in models:
        label = model._meta.label_lower
        post_save.connect(reference_changed, sender=model, dispatch_uid=f"portal-reference-save:{label}")
        post_delete.connect(reference_changed, sender=model, dispatch_uid=f"portal-reference-delete:{label}")


def request_began(**kwargs) -> None:
    _request_state.generations = {}
    _request_state.expected = ()
    _request_state.ahead = ()
    _request_state.fetched = {}


def request_ended(**kwargs) -> None:
    _request_state.generations = None
    _request_state.expected = ()
    _request_state.ahead = ()
    _request_state.fetched = {}


def expect_shell(user) -> None:
    """The signed-in user's page will show the navigation's counts (``shell_counts_for``): the request's first kept
    value asks for them and their generations in the same round trip to the cache (ShellChangeMiddleware, before the
    view)."""
    expect_kept(_shell_key(user), reads=shell_scopes_for(user).reads)


def expect_kept(*keys: str, reads: Iterable[str] = (ANY_SCOPE,), everyone: bool = True) -> None:
    """The request will ask ``kept`` for ``keys`` (guarded by ``reads`` and ``everyone`` as there): its first kept
    value asks the cache for them and their generations in the same round trip. Said before the first kept value (a
    list page names its kept count and summary before its filter form reads the reference data); said later, each
    value is asked for when it is used."""
    if getattr(_request_state, "generations", None) is None or getattr(settings, "PORTAL_SHELL_CACHE_SECONDS", 0) <= 0:
        return
    guards = [*([_GENERATION_KEY] if everyone else []), *(_scope_key(scope) for scope in reads)]
    _request_state.ahead = (*_request_state.ahead, *(f"portal:kept:{key}" for key in keys))
    _request_state.expected = (*_request_state.expected,
                               *(guard for guard in guards if guard not in _request_state.expected))


def kept(key: str, compute: Callable[[], object], reads: Iterable[str] = (ANY_SCOPE,), *, local: bool = False,
         everyone: bool = True):
    """``compute()``, kept in the shared cache under ``key`` like the navigation's counts: until a transition or a
    message, or a change in one of the scopes it ``reads`` (by default any change at all: a posted form anywhere), and
    for at most PORTAL_SHELL_CACHE_SECONDS; computed every time when that is 0 or the cache does not answer. For what
    a page recomputes on every view from data that changes only through the portal (a year's targets by district).
    The value must pickle. With ``local``, the process also holds the value (for reference data that no caller
    changes: every caller shares the one object). Without ``everyone``, the generation every transition and message
    moves does not guard it: only its ``reads`` do (``reference_data``)."""
    seconds = getattr(settings, "PORTAL_SHELL_CACHE_SECONDS", 0)
    if seconds <= 0:
        return compute()
    key = f"portal:kept:{key}"
    guards = [*([_GENERATION_KEY] if everyone else []), *(_scope_key(scope) for scope in reads)]
    known = getattr(_request_state, "generations", None)
    now = time.time()
    fetched = getattr(_request_state, "fetched", None)
    if fetched is None:
        fetched = {}
    if known is not None and all(guard in known for guard in guards):
        generations = tuple(known[guard] for guard in guards)
        held = _held.get(key) if local and None not in generations else None
        if held is not None and held[0] == generations and held[1] > now:
            return held[2]
        asked = [] if key in fetched else [key]
    else:
        # A value the process holds: only the generations are asked for (the value again only if they moved).
        asked = [*guards] if local and key in _held else [*guards, key]
        if known is not None:
            asked += [name for name in (*_READ_WITH_THE_FIRST, *_request_state.expected, *_request_state.ahead)
                      if name not in asked and name not in fetched]
    try:
        found = cache.get_many(asked) if asked else {}
    except Exception:
        logger.warning("the shell's cache could not be read", exc_info=True)
        return compute()
    has_value = key in asked
    if not has_value and key in fetched:  # asked for ahead, with the request's first kept value
        found[key], has_value = fetched.pop(key), True
    for name in getattr(_request_state, "ahead", ()):  # values asked for ahead of their call (``expect_kept``)
        if name in asked and name != key:
            fetched[name] = found.pop(name, None)
            asked.remove(name)
    for guard in asked:
        if guard != key and found.get(guard) is None:
            found[guard] = _first_generation(guard)
    if known is not None:
        known.update((guard, found[guard]) for guard in asked if guard != key)
        generations = tuple(known[guard] for guard in guards)
    else:
        generations = tuple(found[guard] for guard in guards)
    if not has_value:
        held = _held.get(key)
        if held is not None and held[0] == generations and held[1] > now and None not in generations:
            return held[2]
        try:
            found[key] = cache.get(key)
        except Exception:
            logger.warning("the shell's cache could not be read", exc_info=True)
            return compute()
    entry = found.get(key)
    if entry is None or entry[0] != generations or entry[1] <= now:
        entry = (generations, now + seconds, compute())
        try:
            cache.set(key, entry, seconds)
        except Exception:
            logger.warning("the shell's cache could not be written", exc_info=True)
    if local:
        if len(_held) >= _HELD_LIMIT:
            _held.clear()
        _held[key] = entry
    return entry[2]


def _first_generation(guard: str):
    """A generation nothing has moved yet (a new cache, or one emptied) is given a value, so that what is kept
    under it is told from what was kept before the cache was emptied; of two processes doing it, the first wins."""
    try:
        cache.add(guard, uuid.uuid4().hex, None)
        return cache.get(guard)
    except Exception:
        logger.warning("the shell's cache could not be written", exc_info=True)
        return None


def shell_counts_for(user) -> dict:
    """``{"todo": {source key: count}, "unread": n}`` for the user: once per request, and from the cross-request
    cache (``kept``) unless it is off (PORTAL_SHELL_CACHE_SECONDS = 0)."""
    request_cache = _request_cache(user)
    if request_cache.get("shell") is None:
        request_cache["shell"] = kept(_shell_key(user), lambda: _shell_counts_compute(user),
                                      reads=shell_scopes_for(user).reads)
        request_cache["todo_counts"] = request_cache["shell"]["todo"]
    return request_cache["shell"]


def todo_counts_for(user) -> dict[str, int]:
    """Each to-do source of the user's role counted once per request: its COUNT, or the length of its list (kept
    across requests as ``shell_counts_for`` says)."""
    return shell_counts_for(user)["todo"]


def todo_groups_for(user, limit: int) -> list[dict]:
    """The home page's to-do list: each source with something waiting, its count and its first ``limit`` items. The
    counts are the navigation's (``todo_counts_for``); a source listed in full for its count is not asked again."""
    counts = todo_counts_for(user)
    groups = []
    for source in todo_sources_for(user):
        count = counts[source.key]
        if count:
            items = _listed(user, source)[:limit] if source.count is None else list(source.items(user, limit))
            groups.append({"source": source, "count": count, "items": items})
    return groups


def register_inbox(inbox: Inbox) -> None:
    _registry.inbox = inbox


def unread_count_for(user) -> int:
    return shell_counts_for(user)["unread"]


def recent_messages_for(user, limit: int) -> Iterable:
    """The latest ``limit`` messages, read when the page shows them (after the navigation's counts)."""
    return _registry.inbox.recent(user, limit) if _registry.inbox is not None else []


def register_shell_check(check: Callable[[object], bool]) -> None:
    """A condition a logged-in user must meet to see the navigation, the to-dos and the messages (a unit awaiting or
    refused registration can use nothing but its registration page)."""
    if check not in _registry.shell_checks:
        _registry.shell_checks.append(check)


def shell_open_to(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and all(check(user) for check in _registry.shell_checks)


def register_home_panel(panel: Panel) -> None:
    """A block on the home page of the panel's roles (what a role will do here; an open campaign to apply to)."""
    _registry.home_panels[panel.key] = panel


def register_organisation_panel(panel: Panel) -> None:
    """A block on a company's page (its applications, its library status), filled by the app that owns the data."""
    _registry.organisation_panels[panel.key] = panel


def _rendered_panels(panels, user, subject) -> list[dict]:
    role = getattr(user, "role", None)
    shown = []
    for panel in sorted(panels, key=lambda p: (p.order, p.key)):
        if role not in panel.roles:
            continue
        context = panel.context(user, subject)
        if context is not None:
            shown.append({"panel": panel, "template": panel.template, "context": context})
    return shown


def home_panels_for(user) -> list[dict]:
    return _rendered_panels(_registry.home_panels.values(), user, user)


def organisation_panels_for(user, organisation) -> list[dict]:
    return _rendered_panels(_registry.organisation_panels.values(), user, organisation)


_demo_seeders: list[Callable[[], str]] = []


def register_demo_seeder(seeder: Callable[[], str]) -> None:
    """Apps add their demo data to ``seed_demo`` (which lives in the first app and may not import the others)."""
    if seeder not in _demo_seeders:
        _demo_seeders.append(seeder)


def demo_seeders() -> list[Callable[[], str]]:
    return list(_demo_seeders)
