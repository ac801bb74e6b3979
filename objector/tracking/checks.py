"""The checks a new event must pass against its request's timeline before the journal appends it: dates in order
and not in the future, a reply only after sending, known channels and outcomes, and the date an event takes
when none is given.
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..text import check_length, check_text, printable
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


# --------------------------------------------------------------------------- an import: every field, as `log` takes it

# The days a record may carry: none before objector's laws (the GDPR applies from 2018; a year's margin for
# letters under older law), none after today (a day's margin: an export from a time zone ahead). A 9999-12-31
# from a recomputed export would otherwise end every deadline computation that meets it.
EARLIEST_DAY = date(2000, 1, 1)
_HEX64 = re.compile(r"[0-9a-f]{64}")
_REFERENCE = re.compile(r"[A-Z]{3}-\d{4}-[0-9A-Z]{6}")  # reference.PATTERN, and the letters older journals used
_RECORDED_AT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})")
_EVENT_TEXT = ("note", "via", "outcome")


def check_imported_request(row: dict[str, Any], today: date) -> None:
    """A request row from an export, refused (InputError naming the field) unless objector could have written it."""
    from ..law import laws
    from ..law.deadlines import LAWS
    from ..reference import PREFIXES

    where = f"request {printable(row['reference'])}"
    if not _REFERENCE.fullmatch(row["reference"]) or row["reference"][:3] not in PREFIXES.values():
        raise InputError(f"{where}: not a reference objector writes (e.g. OBJ-2026-7K3F9Q)")
    if row["kind"] not in laws.ALL_KINDS:
        raise InputError(f"{where}: kind {printable(row['kind'])!r} is not one of {', '.join(laws.ALL_KINDS)}")
    if row["reference"][:3] != PREFIXES[row["kind"]]:
        raise InputError(f"{where}: a {row['kind']} request's reference starts with {PREFIXES[row['kind']]}")
    if row["law"] not in LAWS:
        raise InputError(f"{where}: law {printable(row['law'])!r} is not one of {', '.join(LAWS)}")
    for column, pattern in (("controller", r"[a-z0-9][a-z0-9-]{0,99}"), ("language", r"[a-z]{2,3}"),
                            ("region", r"[A-Z0-9-]{0,10}"), ("sha256", r"(?:[0-9a-f]{64})?")):
        if not re.fullmatch(pattern, row[column]):
            raise InputError(f"{where}: {column} {printable(row[column])!r} is not one objector writes")
    _file_name(where, "document", row["document"], required=False)
    _day(where, "created_on", row["created_on"], today)
    inputs = json.loads(row["inputs"]) if isinstance(row["inputs"], str) else row["inputs"]
    if not isinstance(inputs, dict):
        raise InputError(f"{where}: its inputs are not a table of the letter's choices")
    _texts(where, "inputs", inputs)


def check_imported_event(row: dict[str, Any], today: date) -> None:
    """An event row from an export (`on_date`, `data` as stored text), refused unless `log` could have written it:
    dates within bounds, known channels and outcomes, text without control characters, evidence as recorded."""
    where = f"event #{row['seq']} ({printable(row['type'])})"
    _day(where, "date", row["on_date"], today)
    if not _RECORDED_AT.fullmatch(row["recorded_at"]):
        raise InputError(f"{where}: recorded_at {printable(row['recorded_at'])!r} is not a UTC time objector writes")
    data = json.loads(row["data"])
    if not isinstance(data, dict):
        raise InputError(f"{where}: its details are not a table")
    _texts(where, "details", data)
    for key in _EVENT_TEXT:
        if key in data and not isinstance(data[key], str):
            raise InputError(f"{where}: {key} is not text")
    if "note" in data:
        check_length(f"{where}: note", data["note"])
    if row["type"] == "sent" and data.get("via", "post") not in CHANNELS:
        raise InputError(f"{where}: via {printable(data.get('via'))!r} is not one of {', '.join(CHANNELS)}")
    if row["type"] == "reply" and data.get("outcome") not in OUTCOMES:
        raise InputError(f"{where}: outcome {printable(data.get('outcome'))!r} is not one of {', '.join(OUTCOMES)}")
    for key in ("received_on", "respond_by"):
        if key in data:
            _day(where, key, data[key], today, margin=30 if key == "respond_by" else 1)
    for key in ("request", "sha256"):
        if key in data and not (isinstance(data[key], str) and _HEX64.fullmatch(data[key])):
            raise InputError(f"{where}: {key} is not a SHA-256")
    if "document" in data:
        _file_name(where, "document", data["document"])
    evidence = data.get("evidence", [])
    if not isinstance(evidence, list):
        raise InputError(f"{where}: its evidence is not a list")
    for item in evidence:
        if not (isinstance(item, dict) and isinstance(item.get("sha256"), str) and _HEX64.fullmatch(item["sha256"])
                and type(item.get("size")) is int and item["size"] >= 0):
            raise InputError(f"{where}: an evidence entry is not a file's SHA-256, name and size")
        _file_name(where, "evidence name", item.get("name"))


def _day(where: str, label: str, value: Any, today: date, *, margin: int = 1) -> date:
    try:
        day = date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        day = None
    if day is None:
        raise InputError(f"{where}: {label} {printable(value)!r} is not a date in the form YYYY-MM-DD")
    if not EARLIEST_DAY <= day <= today + timedelta(days=margin):
        raise InputError(f"{where}: {label} {day} is outside the days a record can have ({EARLIEST_DAY} to "
                         f"{today + timedelta(days=margin)})")
    return day


def _file_name(where: str, label: str, value: Any, *, required: bool = True) -> None:
    if not isinstance(value, str) or (required and not value):
        raise InputError(f"{where}: {label} is not a file name")
    if len(value) > 255:  # only its last part is ever used as a path (bundle: Path(name).name)
        raise InputError(f"{where}: {label} is longer than a file name can be")
    check_text(f"{where}: {label}", value)


def _texts(where: str, label: str, value: Any, depth: int = 0) -> None:
    """Every text inside `value` (nested tables and lists) passes the rules typed text passes."""
    if depth > 20:
        raise InputError(f"{where}: {label} is nested too deeply")
    if isinstance(value, str):
        check_text(f"{where}: {label}", value)
    elif isinstance(value, dict):
        for key, item in value.items():
            check_text(f"{where}: {label}", key)
            _texts(where, f"{label}.{key}", item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _texts(where, label, item, depth + 1)


def check_imported(what: str, row: dict[str, Any], today: date) -> None:
    """The check Journal.import_file takes: `what` is "request" or "event" (the journal knows rows, not their meaning)."""
    (check_imported_request if what == "request" else check_imported_event)(row, today)
