"""City-scale data for benchmarks and load tests (``manage.py seed_scale``), built by seeders the apps register in
``AppConfig.ready``, as the demo data is (``greenfactory.portal.register_demo_seeder``).

A seeder is a callable taking the ``ScaleContext`` and returning what it created, ``{label: rows}``. Seeders run in
``order`` (lower first), each in its own transaction; an earlier one leaves in ``context.shared`` what later ones need
(the enterprises by index, the bench accounts, the campaigns), so a later workflow (assessments, certification
cases, titles, annual reports) adds its records by registering a seeder with a higher order, not by editing the
command.

Every seeder must be idempotent: it identifies what it makes by something deterministic (an index in a user name or
a credit code, a year) and creates only what is missing, so a rerun with the same numbers creates nothing and a
rerun with larger numbers adds the difference. Mass rows go in with ``bulk_create`` in ``context.batch_size``
batches; services are for the few records whose pages must render exactly as users make them.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass
class ScaleContext:
    enterprises: int
    years: int
    rng: random.Random
    now: datetime
    today: date
    batch_size: int = 2000
    # What earlier seeders leave for later ones (keys documented by the seeder that sets them).
    shared: dict = field(default_factory=dict)

    @property
    def year_list(self) -> list[int]:
        """The campaign years, oldest first, ending with the current year."""
        return list(range(self.today.year - self.years + 1, self.today.year + 1))

    @property
    def current_year(self) -> int:
        return self.today.year


Seeder = Callable[[ScaleContext], dict[str, int]]


@dataclass(frozen=True)
class _Entry:
    seeder: Seeder
    order: int
    name: str


_scale_seeders: list[_Entry] = []


def register_scale_seeder(seeder: Seeder, *, order: int = 100, name: str = "") -> None:
    """Add ``seeder`` to ``seed_scale``, run after the seeders of a lower ``order`` (accounts' units and users come
    first, at 10; intake at 20; the inboxes and audit history of every user last, at 900)."""
    name = name or f"{seeder.__module__}.{seeder.__qualname__}"
    if all(entry.seeder is not seeder for entry in _scale_seeders):
        _scale_seeders.append(_Entry(seeder=seeder, order=order, name=name))


def unregister_scale_seeder(seeder: Seeder) -> None:
    _scale_seeders[:] = [entry for entry in _scale_seeders if entry.seeder is not seeder]


def scale_seeders() -> list[tuple[str, Seeder]]:
    """(name, seeder) in the order they run."""
    return [(entry.name, entry.seeder) for entry in sorted(_scale_seeders, key=lambda e: e.order)]


def spread(index: int, salt: int, modulo: int = 100) -> int:
    """A deterministic, well-mixed number in ``range(modulo)`` for record ``index`` and a ``salt`` (a year, a
    purpose): the same on every run and for every size, so a rerun makes the same choices for the same records."""
    value = (index * 0x9E3779B1 + salt * 0x85EBCA77 + 0x27D4EB2F) & 0xFFFFFFFF
    value ^= value >> 15
    value = (value * 0x2C1B3C6D) & 0xFFFFFFFF
    value ^= value >> 12
    return value % modulo


def batched(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start:start + size]
