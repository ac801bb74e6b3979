"""The events a person (or a command) logs on a request, each checked against the request's timeline
(objector.tracking.checks.check_event) before the journal appends it: sent, confirmed, a reply, documents
supplied, a note, a reminder written, a draft discarded."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .checks import check_event

if TYPE_CHECKING:
    from ..journal import Event, Journal

Files = Iterable[Path | str | tuple[str, bytes]]  # a tuple: (name, bytes) of a document printed with -o -


def add_event(journal: Journal, reference: str, type_: str, on: date | None, data: dict[str, Any] | None = None, *,
              evidence: Files = (), today: date | None = None) -> Event:
    """Append one event that the request's timeline allows (see Journal.add_event for dates and evidence)."""
    return journal.add_event(reference, type_, on, data, check=check_event, evidence=evidence, today=today)


def log_sent(journal: Journal, reference: str, *, on: date | None = None, via: str | None = None,
             received_on: date | None = None, evidence: Files = (), today: date | None = None,
             before_draft: bool = False) -> Event:
    """``before_draft``: the person says it was sent before the letter's date (e.g. in the app)."""
    data: dict[str, Any] = {"before_draft": True} if before_draft else {}
    if via is not None:
        data["via"] = via
    if received_on is not None:
        data["received_on"] = received_on.isoformat()
    return add_event(journal, reference, "sent", on, data, evidence=evidence, today=today)


def log_confirmed(journal: Journal, reference: str, *, on: date | None = None, received_on: date | None = None,
                  evidence: Files = (), today: date | None = None) -> Event:
    data = {"received_on": received_on.isoformat()} if received_on is not None else {}
    return add_event(journal, reference, "confirmed", on, data, evidence=evidence, today=today)


def log_reply(journal: Journal, reference: str, *, outcome: str, on: date | None = None, note: str | None = None,
              evidence: Files = (), today: date | None = None, missing: str | None = None) -> Event:
    """``missing``: what a partial answer left out, in the person's words (a complaint names it)."""
    data: dict[str, Any] = {"outcome": outcome}
    if note:
        data["note"] = note
    if missing is not None:
        data["missing"] = missing
    return add_event(journal, reference, "reply", on, data, evidence=evidence, today=today)


def log_supplied(journal: Journal, reference: str, *, on: date | None = None, note: str | None = None,
                 evidence: Files = (), today: date | None = None) -> Event:
    return add_event(journal, reference, "supplied", on, {"note": note} if note else {}, evidence=evidence,
                     today=today)


def log_note(journal: Journal, reference: str, text: str, *, on: date | None = None, evidence: Files = (),
             today: date | None = None) -> Event:
    return add_event(journal, reference, "note", on, {"note": text}, evidence=evidence, today=today)


def log_reminder(journal: Journal, reference: str, text: str, *, on: date, respond_by: date,
                 today: date | None = None, document: str | None = None, sha256: str | None = None) -> Event:
    """A reminder was written (`objector followup`): its last time limit is tracked from now on."""
    data: dict[str, Any] = {"note": text, "respond_by": respond_by.isoformat()}
    if document:
        data |= {"document": document, "sha256": sha256}
    return add_event(journal, reference, "reminder", on, data, today=today)


def discard(journal: Journal, reference: str, *, note: str | None = None, today: date | None = None) -> Event:
    """Mark a draft that was never sent as discarded: it stays in the chain, out of the requests."""
    return add_event(journal, reference, "discarded", None, {"note": note} if note else {}, today=today)
