"""Open deadlines as an iCalendar file: one all-day event per deadline, each with a reminder.

A request's next date is the controller's deadline while it lies ahead; once a reminder was sent, the last
time limit the reminder set. A date that has passed is not written (`status` shows what is overdue), and a
deadline a reminder's limit superseded is replaced, not kept beside it: the event's UID is stable
(reference@objector), so importing a newer file updates the same entry instead of adding copies. The
reminder fires at 09:00 the day before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from ..law import laws
from .timeline import OPEN_STATES, Tracking

if TYPE_CHECKING:
    from ..journal import Request

REMINDER_BEFORE = timedelta(hours=15)  # 09:00 the day before an all-day event


@dataclass(frozen=True)
class CalendarDate:
    tracking: Tracking
    day: date
    last_limit: bool  # the reminder's last time limit, not the controller's deadline


def open_deadlines(trackings: Iterable[Tracking]) -> list[CalendarDate]:
    """Each open request's next date still ahead (today included), soonest first: the reminder's last time limit
    where a reminder was sent, else the controller's deadline. Requests whose date has passed are left out."""
    dates = []
    for t in trackings:
        if t.state not in OPEN_STATES or t.due is None:
            continue
        if t.last_limit is not None:  # a reminder: its limit supersedes the deadline that ran out
            if t.last_limit >= t.today:
                dates.append(CalendarDate(t, t.last_limit, True))
        elif t.due >= t.today:
            dates.append(CalendarDate(t, t.due, False))
    return sorted(dates, key=lambda d: (d.day, d.tracking.request.reference))


def past_deadlines(trackings: Iterable[Tracking]) -> int:
    """How many open requests have no date ahead: overdue, and past any reminder's last time limit."""
    trackings = list(trackings)
    return sum(t.state in OPEN_STATES and t.due is not None for t in trackings) - len(open_deadlines(trackings))


def deadlines_ics(trackings: Iterable[Tracking], *, controller_name: Callable[[Request], str] = lambda r: r.controller,
                  now: datetime | None = None) -> bytes:
    """The .ics text for the dates ahead among ``trackings``."""
    from icalendar import Alarm, Calendar, Event  # lazy: only this command needs it

    stamp = now or datetime.now(UTC)
    calendar = Calendar()
    calendar.add("prodid", "-//objector//deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "objector deadlines")
    for entry in open_deadlines(trackings):
        t, r = entry.tracking, entry.tracking.request
        name = controller_name(r)
        event = Event()
        event.add("uid", f"{r.reference}@objector")  # one entry a request: a newer date replaces the older
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.day)
        event.add("dtend", entry.day + timedelta(days=1))
        law = laws.ALL.get(r.law)
        lines = [f"{r.reference}: {r.kind} request to {name} under {law.title if law else r.law}."]
        if entry.last_limit:
            event.add("summary", f"Last time limit: {name} must answer your reminder about {r.kind} request "
                                 f"{r.reference}")
            lines.append(f"The answer was due {t.due.isoformat()}; the reminder set this last time limit.")  # type: ignore[union-attr]
            lines.append(f"If no answer has come by then: objector complaint {r.reference}")
        else:
            event.add("summary", f"Deadline: {name} must answer your {r.kind} request {r.reference}")
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
