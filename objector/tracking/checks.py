"""The checks a new event must pass against its request's timeline before the journal appends it: dates in order
and not in the future, a reply only after sending, known channels and outcomes, and the date an event takes
when none is given.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from .timeline import CHANNELS, OUTCOMES, VIA_BY_SUFFIX, track

if TYPE_CHECKING:
    from ..journal import Event, Request


def check_event(request: Request, events: list[Event], type_: str, on: date | None, data: dict[str, Any],
                today: date) -> tuple[date, dict[str, Any]]:
    """Refuse an event that does not fit the request's timeline; fill in defaults.

    Returns the event's date and details as they will be stored. Raises InputError with one line naming
    the problem; the caller records nothing then.
    """
    ref = request.reference
    sent_events = [e for e in events if e.type == "sent"]
    sent = sent_events[-1] if sent_events else None
    data = {k: v for k, v in data.items() if v is not None}
    discarded = next((e for e in events if e.type == "discarded"), None)
    if discarded is not None:
        raise InputError(f"{ref} was discarded on {discarded.on} as a draft never sent; nothing can be logged on it",
                         hint="a new letter or `objector record` starts a new request")

    if type_ == "discarded":
        if sent is not None:
            raise InputError(f"{ref} was sent on {sent.on}: it is a request, not a draft, and stays in the journal",
                             hint="log what happened next, e.g. objector log reply REF --outcome other --note ...")
        on = on or today
        _not_future(on, today, "the date")
        return on, data

    if type_ == "sent":
        if sent is not None and on is None:
            on = sent.on  # `log sent REF --received-on DATE`: completes the sending already logged
            data.setdefault("via", sent.data.get("via", "post"))
        on = on or today
        _not_future(on, today, "the sent date")
        if on < request.created_on and not data.get("before_draft"):
            raise InputError(f"the sent date {on} is before the letter was drafted ({request.created_on})",
                             hint="if you really sent it earlier, e.g. through the app, add --before-draft")
        if not data.get("before_draft") or on >= request.created_on:
            data.pop("before_draft", None)  # kept only where it explains a date before the draft
        via = data.setdefault("via", default_via(request.document))
        if via not in CHANNELS:
            raise InputError(f"--via: {via!r} is not a way of sending; use one of {', '.join(CHANNELS)}")
        if "received_on" in data:
            received = _iso(data["received_on"], "--received-on")
            if received < on:
                raise InputError(f"--received-on {received} is before the request was sent ({on})")
            _not_future(received, today, "--received-on")
        elif sent is not None and on == sent.on and sent.data.get("received_on") and via == sent.data.get("via"):
            data["received_on"] = sent.data["received_on"]  # keep what was already known
        for e in events:
            if e.type in ("confirmed", "reply", "supplied") and e.on < on:
                raise InputError(f"a {e.type} is logged on {e.on}, before this sent date ({on}); check the dates")
            if e.type == "confirmed" and e.data.get("received_on", on.isoformat()) < on.isoformat():
                raise InputError(f"the confirmation of {e.on} gives a receipt on {e.data['received_on']}, before this "
                                 f"sent date ({on}); check the dates")
        return on, data

    if type_ == "note":
        on = on or today
        _not_future(on, today, "the note's date")
        if not str(data.get("note", "")).strip():
            raise InputError("a note needs some text")
        return on, data

    if type_ not in ("confirmed", "reply", "supplied", "reminder"):
        raise InputError(f"unknown event {type_!r}: expected sent, confirmed, reply, supplied, note or discarded")
    on = on or today
    what = {"confirmed": "the confirmation", "reply": "the reply", "supplied": "the supplied date",
            "reminder": "the reminder"}[type_]
    if type_ == "reply":
        outcome = data.get("outcome")
        if outcome not in OUTCOMES:
            raise InputError(f"--outcome: {outcome!r} is not an outcome; use one of {', '.join(OUTCOMES)}")
        if "missing" in data and outcome != "partial":
            raise InputError(f"--missing says what a partial answer left out; this reply's outcome is {outcome}",
                             hint="log it with --outcome partial, or leave --missing out")
        if "missing" in data and not str(data["missing"]).strip():
            raise InputError("--missing needs a few words on what the reply left out")
    _not_future(on, today, what)
    if sent is None:
        raise InputError(f"{ref} has not been logged as sent yet",
                         hint=f"first: objector log sent {ref} --on DATE --via CHANNEL")
    if on < sent.on:
        raise InputError(f"{what} is dated {on}, before the request was sent ({sent.on})")
    if type_ == "confirmed" and "received_on" in data:
        received = _iso(data["received_on"], "--received-on")
        if received < sent.on:
            raise InputError(f"--received-on {received} is before the request was sent ({sent.on})")
        if received > on:
            raise InputError(f"--received-on {received} is after the confirmation ({on})")
    if type_ == "supplied":
        state = track(request, events, today)
        if state.paused_since is None:
            raise InputError(f"the controller has not asked for ID or clarification on {ref}",
                             hint="log the request for it first: objector log reply REF --outcome needs-id")
        if on < state.paused_since:
            raise InputError(f"the supplied date {on} is before the controller asked for it ({state.paused_since})")
    return on, data


def default_via(document: str) -> str:
    """How a letter is most likely sent, from its file: a PDF by post, an .eml by e-mail, a .txt by web form."""
    if document.lower().endswith("-form.txt"):
        return "app"  # --format form: the text of Meta's in-app objection form
    for suffix, via in VIA_BY_SUFFIX.items():
        if document.lower().endswith(suffix):
            return via
    return "post"


def _not_future(d: date, today: date, what: str) -> None:
    if d > today:
        raise InputError(f"{what} {d} is in the future (today is {today})")


def _iso(value: Any, label: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InputError(f"{label}: {value!r} is not a date in the form YYYY-MM-DD") from None
