"""Where a request stands: its timeline folded into a state, a receipt date and a deadline.

Pure apart from the registry look-up of the controller's country (for public holidays): the same
request, events and "today" always give the same answer.

The receipt rules (README "How objector counts"):
- the receipt date is the one you give (`log sent --received-on`, `log confirmed --received-on`);
- else, for e-mail, web form and app, the day it was sent;
- else (post) it is *assumed* to be 5 calendar days after posting (8 when the letter goes to another
  country), moved to the next working day where that day is a Sunday or a public holiday at the
  controller (no post is delivered then), and shown as assumed everywhere, until a date is given or a
  confirmation of receipt dated earlier than the assumption replaces it.
- The last `sent` event counts: logging `sent` again corrects the date or records a re-sending.

The clock: the law's deadline runs from the receipt date (objector.law.deadlines). A reply `extended`
recomputes it with the extension; `needs-id` stops it (state "waiting-for-you") until `log supplied`,
which restarts it from the day the ID or clarification was supplied (the UK GDPR rule; objector
applies the same restart under the other laws and says so). A final reply (complied, refused,
partial, other) answers the request.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..errors import JournalError
from ..law.deadlines import Deadline, compute_deadline, extendable, format_date
from ..law.deadlines import days_left as _days_left

if TYPE_CHECKING:
    from ..journal import Event, Request

CHANNELS = ("post", "email", "webform", "app")
OUTCOMES = ("complied", "refused", "partial", "extended", "needs-id", "other")
FINAL_OUTCOMES = frozenset({"complied", "refused", "partial", "other"})
STATES = ("drafted", "sent", "confirmed", "extended", "waiting-for-you", "overdue", "answered", "discarded")
OPEN_STATES = frozenset({"sent", "confirmed", "extended", "overdue"})
VIA_WORDS = {"post": "by post", "email": "by e-mail", "webform": "through a web form", "app": "in the app"}
POST_DAYS = 5  # a posted letter is assumed to arrive this many calendar days after posting
# ... and this many when it crosses a border. The EU's quality target for cross-border letters is delivery
# within five working days (Postal Services Directive 97/67/EC, annex: 97 % by D+5); five working days
# with a weekend and a day's slack make eight calendar days. An assumption, shown as one.
POST_DAYS_ABROAD = 8

# What a document's file name says about how it will be sent, when `log sent` is given no --via.
VIA_BY_SUFFIX = {".pdf": "post", ".eml": "email", ".txt": "webform", ".html": "post"}


@dataclass(frozen=True)
class Tracking:
    """One request's standing on a given day."""

    request: Request
    today: date
    state: str
    sent: date | None = None
    via: str | None = None
    received: date | None = None
    receipt_assumed: bool = False
    confirmed: date | None = None
    clock_start: date | None = None  # receipt, or the day ID/clarification was supplied
    paused_since: date | None = None  # needs-id: waiting for the person
    extended: bool = False
    deadline: Deadline | None = None  # None: not sent, clock paused, or no rule could be applied
    outcome: str | None = None  # the last reply's outcome
    answered: date | None = None  # the first final reply after the clock started
    last_limit: date | None = None  # the last time limit the latest reminder set (`objector followup`)
    derivation: tuple[str, ...] = ()  # receipt and clock steps, then the deadline's own steps
    notes: tuple[str, ...] = field(default_factory=tuple)  # assumptions and caveats
    person_name: str | None = None  # whose request, kept in the standing cache (None: read from the inputs)

    @property
    def due(self) -> date | None:
        return self.deadline.due if self.deadline else None

    @property
    def overdue(self) -> bool:
        return self.state == "overdue"

    @property
    def days_left(self) -> int | None:
        if self.due is None or self.state not in OPEN_STATES:
            return None
        return _days_left(self.due, self.today)

    @property
    def days_to_reply(self) -> int | None:
        """Days from receipt (or the clock's restart) to the answer; the day of receipt is not counted."""
        if self.answered is None or self.clock_start is None:
            return None
        return (self.answered - self.clock_start).days

    @property
    def answered_late(self) -> bool | None:
        if self.answered is None or self.due is None:
            return None
        return self.answered > self.due

    def to_dict(self) -> dict[str, Any]:
        r = self.request
        iso = lambda d: d.isoformat() if d else None  # noqa: E731
        return {
            "reference": r.reference,
            "kind": r.kind,
            "controller": r.controller,
            "law": r.law,
            "language": r.language,
            "state": self.state,
            "due": iso(self.due),
            "overdue": self.overdue,
            "days_left": self.days_left,
            "created_on": iso(r.created_on),
            "sent": iso(self.sent),
            "via": self.via,
            "received": iso(self.received),
            "receipt_assumed": self.receipt_assumed,
            "confirmed": iso(self.confirmed),
            "clock_start": iso(self.clock_start),
            "paused_since": iso(self.paused_since),
            "extended": self.extended,
            "acknowledge_by": iso(self.deadline.acknowledge_by) if self.deadline else None,
            "outcome": self.outcome,
            "answered": iso(self.answered),
            "days_to_reply": self.days_to_reply,
            "answered_late": self.answered_late,
            "document": r.document or None,
            "person": self.person,
            "last_limit": iso(self.last_limit),
            "last_limit_passed": self.last_limit_passed,
        }

    @property
    def via_words(self) -> str:
        return VIA_WORDS.get(self.via or "", f"via {self.via}")

    @property
    def person(self) -> str:
        """Whose request it is: the name of the profile it was written from ("" if not recorded)."""
        if self.person_name is not None:
            return self.person_name
        profile = self.request.inputs.get("profile")
        return str(profile.get("name", "")) if isinstance(profile, dict) else ""

    @property
    def last_limit_passed(self) -> bool:
        """A reminder's last time limit has run out and no answer came: time for the complaint."""
        return self.last_limit is not None and self.state == "overdue" and self.today > self.last_limit


# --------------------------------------------------------------------------- folding the timeline


def track_reference(reference: str, today: date) -> tuple[Request, list[Event], Tracking]:
    """One request read from the journal, with its events and its standing on ``today`` (show, followup)."""
    from ..journal import Journal

    with Journal.open(create=False) as journal:
        request = journal.get_request(reference)
        events = journal.events(reference)
    return request, events, track(request, events, today)


def track(request: Request, events: Iterable[Event], today: date) -> Tracking:
    """The request's state on ``today`` from its events (in journal order).

    A request whose events objector cannot fold (a date at the end of the calendar, a value no version of
    objector writes: an import from elsewhere) is a JournalError naming it (exit 7), never a crash."""
    try:
        return _fold(request, events, today)
    except (ValueError, OverflowError, TypeError, KeyError, AttributeError, IndexError) as exc:
        raise JournalError(f"the journal's request {request.reference} cannot be read ({type(exc).__name__}: {exc})",
                           hint="run `objector verify`; restore it from a backup or an export") from None


def _fold(request: Request, events: Iterable[Event], today: date) -> Tracking:
    events = [e for e in events if e.reference == request.reference]
    if any(e.type == "discarded" for e in events):
        return Tracking(request=request, today=today, state="discarded")
    sent_events = [e for e in events if e.type == "sent"]
    if not sent_events:
        return Tracking(request=request, today=today, state="drafted")
    last_sent = sent_events[-1]
    sent, via = last_sent.on, last_sent.data.get("via", "post")
    steps: list[str] = []
    notes: list[str] = []
    how = VIA_WORDS.get(via, f"via {via}")
    steps.append(f"Sent {how} on {format_date(sent)}.")

    # What came back. check_event keeps every one of these dated on or after the (last) sent date, so a
    # corrected sent date, or `log sent --received-on` logged after a confirmation, keeps them all.
    later = [e for e in events if e.type in ("confirmed", "reply", "supplied")]
    confirmations = [e for e in later if e.type == "confirmed"]
    confirmed = confirmations[-1].on if confirmations else None

    # Receipt: a date given, else the sending date (electronic), else assumed for post.
    given = [e for e in [last_sent, *confirmations] if e.data.get("received_on")]
    assumed = False
    if given:
        received = date.fromisoformat(given[-1].data["received_on"])
        steps.append(f"Received on {format_date(received)}, as you logged it.")
    elif via != "post":
        received = sent
        steps.append("Sent electronically, so it was received the same day.")
    else:
        days, abroad = _post_days(request)
        guess, moved = _postal_receipt(request, sent + timedelta(days=days))
        early = [e for e in later if e.type in ("confirmed", "reply") and e.on < guess]
        if early:
            first = min(early, key=lambda e: e.on)
            received = first.on
            what = "confirmed receipt" if first.type == "confirmed" else "replied"
            steps.append(f"The controller {what} on {format_date(received)}, earlier than the {days}-day "
                         "assumption for post, so that is taken as the day of receipt.")
        else:
            received, assumed = guess, True
            where = " to another country" if abroad else ""
            steps.append(f"Receipt is assumed {days} calendar days after posting{where}, on {format_date(guess)}"
                         f"{moved} (assumed: `objector log sent REF --received-on DATE` or `log confirmed` gives "
                         "the real date).")
            notes.append(f"The day of receipt ({format_date(guess)}) is an assumption: {days} days after "
                         f"posting{where}{moved}.")

    # The clock: replies and supplied ID after the (last) sending.
    start, paused_since, extended = received, None, False
    extension_notice: date | None = None
    outcome: str | None = None
    answered: date | None = None
    for event in later:
        if event.type == "reply":
            outcome = event.data.get("outcome")
            if outcome == "needs-id":
                paused_since = event.on
                steps.append(f"On {format_date(event.on)} the controller asked for ID or clarification: "
                             "the clock stopped.")
            elif outcome == "extended":
                extended = True
                extension_notice = extension_notice or event.on
            elif outcome in FINAL_OUTCOMES:
                paused_since = None  # an answer ends any wait for ID
                answered = answered or event.on
        elif event.type == "supplied" and paused_since is not None:
            start, paused_since = event.on, None
            if request.law == "uk-gdpr":
                steps.append(f"You supplied it on {format_date(event.on)}; under the UK GDPR the clock starts "
                             "again from that day.")
            else:
                steps.append(f"You supplied it on {format_date(event.on)}; the clock starts again from that day. "
                             "This is the UK GDPR's rule: objector applies the same restart here, as the "
                             f"{_law_name(request.law)} does not say how the period runs after such a request.")
                notes.append("The restart of the clock after ID or clarification was supplied follows the UK "
                             "GDPR's rule; under this law a supervisory authority may count from the first receipt.")

    deadline = None
    if paused_since is None:
        deadline, problem = _deadline(request, start, extended)
        if problem:
            notes.append(problem)
        if deadline is not None:
            notes.extend(deadline.assumptions)
            if extended and extension_notice is not None and deadline.extended:
                first_deadline = _deadline(request, start, False)[0]
                if first_deadline is not None and extension_notice > first_deadline.due:
                    notes.append(f"The extension was announced on {format_date(extension_notice)}, after the first "
                                 f"deadline ({format_date(first_deadline.due)}): it may not be valid.")

    if outcome in FINAL_OUTCOMES:
        state = "answered"
    elif paused_since is not None:
        state = "waiting-for-you"
    else:
        state = open_state(extended, bool(confirmations), deadline.due if deadline else None, today)

    reminders = [e for e in events if e.type == "reminder" and e.on >= sent and e.data.get("respond_by")]
    last_limit = date.fromisoformat(reminders[-1].data["respond_by"]) if reminders else None

    derivation = tuple(steps) + (deadline.steps if deadline else ())
    return Tracking(last_limit=last_limit, request=request, today=today, state=state, sent=sent, via=via, received=received,
                    receipt_assumed=assumed, confirmed=confirmed, clock_start=start if paused_since is None else None,
                    paused_since=paused_since, extended=extended, deadline=deadline, outcome=outcome,
                    answered=answered if outcome in FINAL_OUTCOMES else None, derivation=derivation,
                    notes=tuple(dict.fromkeys(notes)))


def track_all(requests: Iterable[Request], events_by_reference: Mapping[str, list[Event]], today: date,
              unreadable: list[str] | None = None) -> list[Tracking]:
    """Every request's standing; with `unreadable`, a request that cannot be folded is named there and left out
    (the rest are shown), else it stops everything (JournalError)."""
    trackings = []
    for r in requests:
        try:
            trackings.append(track(r, events_by_reference.get(r.reference, ()), today))
        except JournalError as exc:
            if unreadable is None:
                raise
            unreadable.append(exc.message)
    return trackings


def complaint_noted(events: Iterable[Event]) -> bool:
    """A complaint was written about the request: `complaint` notes it on the request's timeline. `status` points
    to `complaint` for a request refused (or partly answered), or past a reminder's last time limit, until then
    (objector.tracking.status asks it of the standing cache). Here, not in objector.tracking.complaint, so that
    `status` need not import the letter machinery."""
    return any(e.type == "note" and e.data.get("complaint") for e in events)


def open_state(extended: bool, confirmed: bool, due: date | None, today: date) -> str:
    """The state of a request sent and neither answered nor paused: overdue once today is past the due date
    (the one part of a standing that depends on the day it is looked at)."""
    if due is not None and today > due:
        return "overdue"
    return "extended" if extended else "confirmed" if confirmed else "sent"


# --------------------------------------------------------------------------- the standing cache
#
# `status` on 10,000 requests would fold 30,000 events and count thousands of deadlines on every run; the
# journal keeps each request's standing (what track() found, minus everything that depends on today) in a
# derived table, and `status` folds again only the requests whose events changed since. The cache is
# disposable: objector.journal.store describes how it is keyed and how `verify` rebuilds it.


def arrival(request: Request, via: str | None, day: date) -> date:
    """The day a letter about `request` sent on `day` is taken to arrive, by the receipt rules above: the same
    day electronically, else POST_DAYS (POST_DAYS_ABROAD) later, off a Sunday or a public holiday at the
    controller. A reminder sent as the request was arrives so; its last time limit runs from then."""
    if via != "post":
        return day
    days, _ = _post_days(request)
    return _postal_receipt(request, day + timedelta(days=days))[0]


def _post_days(request: Request) -> tuple[int, bool]:
    """Days a posted letter is assumed to take, and whether it goes abroad (sender's vs controller's country)."""
    from ..errors import ObjectorError
    from ..people import registry

    sender = ((request.inputs.get("profile") or {}).get("address") or {}).get("country", "")
    record = request.inputs.get("controller_record") or {}  # a controller from a --controller-file
    try:
        destination = record.get("address_country") or registry.get(request.controller).address_country
    except ObjectorError:
        return POST_DAYS, False
    abroad = bool(sender) and bool(destination) and sender != destination
    return (POST_DAYS_ABROAD if abroad else POST_DAYS), abroad


def _postal_receipt(request: Request, day: date) -> tuple[date, str]:
    """An assumed delivery day that falls on a Sunday or a public holiday at the controller moves to the
    next working day; the second value says why it moved (or is empty)."""
    from ..errors import ObjectorError
    from ..law.deadlines import holiday_name, next_working_day

    try:
        kept = (request.inputs.get("controller_record") or {}).get("establishment", "")
        country, subdivision = holiday_calendar(request.law, request.controller, request.region, kept)
        holiday = holiday_name(day, country, subdivision) if country else None
    except (ObjectorError, KeyError, ValueError):
        country, subdivision, holiday = "", None, None
    if day.weekday() != 6 and holiday is None:
        return day, ""
    why = f"{format_date(day)} is {holiday}" if holiday else f"{format_date(day)} is a Sunday"
    moved = next_working_day(day, country, subdivision) if country else day + timedelta(days=1)
    return moved, f", moved to the next working day as {why}"


def _law_name(law: str) -> str:
    from ..law.laws import ALL

    statute = ALL[law].statute if law in ALL else None
    if statute is not None:
        return statute.short
    return {"gdpr": "GDPR", "uk-gdpr": "UK GDPR", "us-state": "state law", "lgpd": "LGPD",
            "fadp": "revFADP"}.get(law, law)


@lru_cache(maxsize=256)
def holiday_calendar(law: str, controller: str, region: str, kept_establishment: str = "") -> tuple[str, str | None]:
    """(country, subdivision) whose public holidays move this request's deadline. `kept_establishment` is
    the one the journal kept with a controller from a --controller-file (the registry does not know it)."""
    from ..law import laws
    from ..people import registry

    rule = laws.ALL[law]
    if law in ("gdpr", "uk-gdpr"):
        establishment = (kept_establishment or registry.get(controller).establishment) if law == "gdpr" else ""
    else:
        establishment = ""
    return rule.holiday_calendar(establishment, region)


def _deadline(request: Request, start: date, extended: bool) -> tuple[Deadline | None, str | None]:
    """The deadline, or None and the reason it could not be computed."""
    from ..errors import ObjectorError

    try:
        kept = (request.inputs.get("controller_record") or {}).get("establishment", "")
        country, subdivision = holiday_calendar(request.law, request.controller, request.region, kept)
    except ObjectorError as exc:
        return None, f"No deadline: {exc.message}."
    except KeyError:
        return None, f"No deadline: objector knows no deadline rule for the law {request.law!r}."
    problem = None
    if extended and not extendable(request.law, request.kind):
        extended = False
        what = f" for {request.kind} requests" if extendable(request.law) else ""
        problem = (f"The controller announced an extension, but the {_law_name(request.law)} provides none{what}: "
                   "the original deadline stands.")
    try:
        deadline = _compute(request.law, start, country or None, subdivision, extended, request.kind)
    except ValueError as exc:
        return None, f"No deadline: {exc}."
    return deadline, problem


@lru_cache(maxsize=4096)
def _compute(law: str, start: date, country: str | None, subdivision: str | None, extended: bool,
             kind: str | None = None) -> Deadline:
    """compute_deadline, remembered: a journal's requests share few distinct start dates (Deadline is frozen)."""
    return compute_deadline(law, start, holiday_country=country, holiday_subdivision=subdivision, extended=extended,
                            kind=kind)


# --------------------------------------------------------------------------- checking a new event


# --------------------------------------------------------------------------- statistics


