"""Open deadlines as an iCalendar file: one all-day event per deadline, each with a reminder.

The event's UID is stable (reference@objector), so importing a newer file updates the same entries
instead of adding copies. The reminder fires at 09:00 the day before the deadline.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from ..law import laws
from .timeline import OPEN_STATES, Tracking

if TYPE_CHECKING:
    from ..journal import Request

REMINDER_BEFORE = timedelta(hours=15)  # 09:00 the day before an all-day event


def open_deadlines(trackings: Iterable[Tracking]) -> list[Tracking]:
    """Requests whose controller still owes a reply by a known date (overdue ones included)."""
    return sorted((t for t in trackings if t.state in OPEN_STATES and t.due is not None),
                  key=lambda t: (t.due, t.request.reference))


def deadlines_ics(trackings: Iterable[Tracking], *, controller_name: Callable[[Request], str] = lambda r: r.controller,
                  now: datetime | None = None) -> bytes:
    """The .ics text for the open deadlines among ``trackings``."""
    from icalendar import Alarm, Calendar, Event  # lazy: only this command needs it

    stamp = now or datetime.now(UTC)
    calendar = Calendar()
    calendar.add("prodid", "-//objector//deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "objector deadlines")
    for t in open_deadlines(trackings):
        r = t.request
        name = controller_name(r)
        event = Event()
        event.add("uid", f"{r.reference}@objector")
        event.add("dtstamp", stamp)
        event.add("dtstart", t.due)
        event.add("dtend", t.due + timedelta(days=1))  # type: ignore[operator]
        event.add("summary", f"Deadline: {name} must answer your {r.kind} request {r.reference}")
        law = laws.ALL.get(r.law)
        lines = [f"{r.reference}: {r.kind} request to {name} under {law.title if law else r.law}."]
        if t.receipt_assumed:
            lines.append("The day of receipt is assumed, so this date is too.")
        lines += list(t.derivation)
        lines.append(f"If no answer has come by then: objector followup {r.reference}")
        event.add("description", "\n".join(lines))
        event.add("transp", "TRANSPARENT")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"Tomorrow {name} must answer {r.reference}")
        alarm.add("trigger", -REMINDER_BEFORE)
        event.add_component(alarm)
        calendar.add_component(event)
    return calendar.to_ical()
