"""The portal's shell: navigation entries and to-do sources, registered by the apps in ``AppConfig.ready``.

The shell imports no app: each app tells it what its roles may open and what waits for them. The home page and the
navigation then ask every registered source, so a later workflow adds its cases to the to-do list by registering a
source, not by editing the home page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.urls import reverse


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

    @property
    def url(self) -> str:
        return reverse(self.url_name)


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
    """Cases waiting for a user. ``count`` must cost one query; ``items`` a fixed number however many rows."""

    key: str
    label: str
    roles: frozenset[str]
    count: Callable[[object], int]
    items: Callable[[object, int], Iterable[TodoItem]]
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


@dataclass
class _Registry:
    nav: dict[str, NavItem] = field(default_factory=dict)
    todo: dict[str, TodoSource] = field(default_factory=dict)
    home_panels: dict[str, Panel] = field(default_factory=dict)
    organisation_panels: dict[str, Panel] = field(default_factory=dict)


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


def todo_counts_for(user) -> dict[str, int]:
    """One COUNT per to-do source of the user's role, computed once per request: the navigation badges (context
    processor) and the home page's groups read the same numbers. Kept on the request's user object, which lives as
    long as the request."""
    counts = getattr(user, "_portal_todo_counts", None)
    if counts is None:
        counts = {source.key: source.count(user) for source in todo_sources_for(user)}
        user._portal_todo_counts = counts
    return counts


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
