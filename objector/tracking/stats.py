"""How fast each controller answers, from the requests' trackings (the table under `status`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .timeline import OPEN_STATES, Tracking

if TYPE_CHECKING:
    pass


@dataclass(frozen=True)
class ControllerStats:
    controller: str
    requests: int
    open: int
    overdue: int
    answered: int
    average_days: float | None  # days from receipt to answer
    fastest: int | None
    slowest: int | None
    late: int  # answers after the deadline

    def to_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def controller_stats(trackings: Iterable[Tracking]) -> list[ControllerStats]:
    """How each controller treats the requests: answered, how fast, how many late or overdue."""
    groups: dict[str, list[Tracking]] = {}
    for t in trackings:
        groups.setdefault(t.request.controller, []).append(t)
    stats = []
    for controller, items in sorted(groups.items()):
        answered = [t for t in items if t.answered is not None]  # the only ones with days to reply or late
        days = [d for d in (t.days_to_reply for t in answered) if d is not None]
        states = Counter(t.state for t in items)
        stats.append(ControllerStats(
            controller=controller,
            requests=len(items),
            open=sum(states[state] for state in (*OPEN_STATES, "waiting-for-you")),
            overdue=states["overdue"],
            answered=states["answered"],
            average_days=round(sum(days) / len(days), 1) if days else None,
            fastest=min(days) if days else None,
            slowest=max(days) if days else None,
            late=sum(bool(t.answered_late) for t in answered),
        ))
    return stats
