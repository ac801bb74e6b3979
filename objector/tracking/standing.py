"""A tracking reduced to what does not depend on today, for the journal's standing cache, and back again; and the
fingerprint of the rules (code, data, holidays) a standing was computed with.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..law.deadlines import Deadline
from .timeline import Tracking, open_state

if TYPE_CHECKING:
    from ..journal import Event, Request


# A standing is a JSON array, not an object: `status` reads 10,000 of them, and keys would be most of the
# bytes. Overdue and days left are not kept: they are derived from `due` on the day they are shown.
_STANDING_DATES = ("sent", "received", "confirmed", "clock_start", "paused_since", "answered", "last_limit")


def standing(t: Tracking) -> list[Any]:
    """The part of ``t`` that does not depend on today, as JSON-able data (from_standing reads it back).

    Not kept: the derivation, the notes and the deadline's rule and steps (`show`, `calendar` and the
    letters use them; they fold the events themselves)."""
    state = t.state
    if state == "overdue":
        state = open_state(t.extended, t.confirmed is not None, None, t.today)
    d = t.deadline
    iso = lambda value: value.isoformat() if value is not None else None  # noqa: E731
    return [state, t.via, t.receipt_assumed, t.extended, t.outcome, t.person,
            *(iso(getattr(t, name)) for name in _STANDING_DATES),
            None if d is None else [iso(d.due), d.extended, iso(d.acknowledge_by)]]


def standing_row(t: Tracking, events: list[Event], rules: str) -> tuple[Any, ...]:
    """The standing cache's row for ``t``, folded from ``events`` (all of the request's, notes included), in
    objector.journal's STANDING_COLUMNS: the standing as JSON, and the values `status` counts, sorts and filters
    by in SQL, none of which depends on today (days_to_reply and answered_late are fixed once answered; overdue is
    the due date compared with today when shown)."""
    from ..journal import canonical_json
    from .timeline import complaint_noted

    kept = standing(t)
    iso = lambda value: value.isoformat() if value is not None else None  # noqa: E731
    late = t.answered_late
    return (t.request.reference, events[-1].hash if events else "", rules, canonical_json(kept),
            t.request.controller, t.request.created_on.isoformat(), kept[0], iso(t.due), iso(t.last_limit),
            t.outcome, t.days_to_reply, None if late is None else int(late), int(complaint_noted(events)))


class IsoDates(dict):
    """ISO date text → date, each parsed once; None → None."""

    def __init__(self) -> None:
        super().__init__({None: None})

    def __missing__(self, text: str) -> date:
        value = self[text] = date.fromisoformat(text)
        return value


def from_standing(request: Request, data: list[Any], today: date, dates: IsoDates | None = None) -> Tracking:
    """The Tracking on ``today`` of a standing kept by standing(): the same state, dates and due date as
    track() gives (tests/test_standing.py compares them), without derivation, notes, rule or steps.

    ``dates``: an IsoDates shared across calls (a journal has few distinct days: each is parsed once)."""
    day = (IsoDates() if dates is None else dates).__getitem__
    state, via, assumed, extended, outcome, person, sent, received, confirmed, start, paused, answered, limit, d = data
    start_day = day(start)
    deadline = None if d is None else Deadline(request.law, start_day, day(d[0]), "", (), d[1], day(d[2]))  # type: ignore[arg-type]
    if state in ("sent", "confirmed", "extended"):
        state = open_state(extended, confirmed is not None, deadline.due if deadline else None, today)
    return Tracking(request, today, state, day(sent), via, day(received), assumed, day(confirmed), start_day,
                    day(paused), extended, deadline, outcome, day(answered), day(limit), person_name=person)


@lru_cache(maxsize=1)
def rules_fingerprint() -> str:
    """Names the code and data a standing was computed with: objector's modules and data files and the
    holidays package's version. A standing computed by other rules (another objector, an edited module,
    new holiday data) is not used. About a millisecond: some fifty small files."""
    import hashlib
    import importlib.util
    from pathlib import Path

    package = Path(__file__).resolve().parent.parent
    files = sorted(package.rglob("*.py")) + sorted((package / "data").glob("*"))
    spec = importlib.util.find_spec("holidays")
    if spec is not None and spec.origin:
        files.append(Path(spec.origin).parent / "version.py")
    digest = hashlib.sha256()
    for path in files:
        try:
            content = path.read_bytes()
        except OSError:
            content = b"(unreadable)"
        digest.update(f"{path.relative_to(path.parent.parent)}\0{len(content)}\0".encode())
        digest.update(content)
    return digest.hexdigest()
