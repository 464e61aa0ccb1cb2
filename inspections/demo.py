"""Demo data steps, registered by each app so `load_demo` never imports upwards.

The foundation's own step (people and inspections) runs first; apps above it (casework,
scheduling, reports) register theirs in AppConfig.ready() and run in registration order,
each receiving what the earlier steps made.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

DemoStep = Callable[["DemoContext"], None]
_steps: list[tuple[str, DemoStep]] = []


@dataclass
class DemoContext:
    people: dict[str, Any]
    inspections: dict[str, Any]
    write: Callable[[str], None]
    extra: dict[str, Any] = field(default_factory=dict)


def register(name: str, step: DemoStep) -> None:
    if all(existing != name for existing, _ in _steps):
        _steps.append((name, step))


def steps() -> list[tuple[str, DemoStep]]:
    return list(_steps)
