"""How fast each controller answers: the figures of the table under `status` (objector.tracking.status sums them
up from the standing cache).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


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
