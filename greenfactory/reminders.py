"""Reminder sweeps registered by the apps; the beat task runs them all. Each sweep is idempotent (it records what
it sent, per person, item and threshold) so running it twice sends nothing new."""

import logging
from collections.abc import Callable

logger = logging.getLogger(__name__)

_sweeps: dict[str, Callable[[], int]] = {}


def register_sweep(name: str, sweep: Callable[[], int]) -> None:
    _sweeps[name] = sweep


def run_all() -> dict[str, int | str]:
    results: dict[str, int | str] = {}
    for name, sweep in sorted(_sweeps.items()):
        try:
            results[name] = sweep()
        except Exception as exc:  # one broken sweep must not silence the others
            logger.exception("reminder sweep %s failed", name)
            results[name] = f"error: {exc}"
    return results
