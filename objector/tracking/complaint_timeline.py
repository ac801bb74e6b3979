"""What a complaint tells of its request: the dated timeline (written, sent, received, confirmed, replied, reminded,
time limits ended) in the complaint's language, and the documents it lists with their SHA-256.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ..letters import letter as letters
from ..letters.letter import N_

if TYPE_CHECKING:
    from ..journal import Event, Request
    from .timeline import Tracking


REMINDER_PREFIX = "reminder written:"  # the note followup.write_reminder leaves on the timeline


EVENT_WORDS = {
    # "My letter", not "request": the rows serve every kind, and an objection or a withdrawal is no request.
    "written": N_("My letter written and dated"),
    "sent-post": N_("My letter sent by post"),
    "sent-email": N_("My letter sent by e-mail"),
    "sent-webform": N_("My letter sent through the controller’s web form"),
    "sent-app": N_("My letter sent in the controller’s app"),
    "received": N_("My letter received by the controller"),
    "received-assumed": N_("My letter received by the controller (assumed)"),
    "confirmed": N_("Receipt confirmed by the controller"),
    "reply-complied": N_("Reply from the controller: complied with in full"),
    "reply-refused": N_("Reply from the controller: refused"),
    "reply-partial": N_("Reply from the controller: answered in part"),
    "reply-extended": N_("Reply from the controller: time limit extended"),
    "reply-needs-id": N_("Reply from the controller: identification or clarification requested"),
    "reply-other": N_("Reply from the controller"),
    "supplied": N_("Identification or clarification supplied by me"),
    "reminder": N_("Reminder sent to the controller"),
    "appeal": "Appeal sent to the business",  # US state laws only (English): see US_EVENT_WORDS
    "reminder-due": N_("Time limit set in my reminder ended"),
    "due": N_("Time limit for the answer ended"),
}


# The timeline in a US complaint, in the statute's terms: a "business" under the CCPA, a "controller" elsewhere.
US_EVENT_WORDS = {
    "written": "Request written and dated",
    "sent-post": "Request sent by post",
    "sent-email": "Request sent by e-mail",
    "sent-webform": "Request sent through the {party}'s web form",
    "sent-app": "Request sent in the {party}'s app",
    "received": "Request received by the {party}",
    "received-assumed": "Request received by the {party} (assumed)",
    "confirmed": "Receipt confirmed by the {party}",
    "reply-complied": "Response from the {party}: request complied with",
    "reply-refused": "Response from the {party}: request denied",
    "reply-partial": "Response from the {party}: request granted only in part",
    "reply-extended": "Response from the {party}: response period extended",
    "reply-needs-id": "Response from the {party}: verification or clarification requested",
    "reply-other": "Response from the {party}",
    "supplied": "Verification or clarification supplied by me",
    "reminder": "Reminder sent to the {party}",
    "reminder-due": "Time limit set in my reminder ended",
    "appeal": "Appeal of the decision sent to the {party}",
    "due": "Time limit for the response ended",
}


@dataclass(frozen=True)
class TimelineEntry:
    on: date
    what: str  # a key of EVENT_WORDS
    note: str = ""  # the person's own words about a reply, quoted as given


@dataclass(frozen=True)
class Document:
    """A file the complaint lists with its SHA-256: a letter, a reminder or an evidence file."""

    role: str  # letter | reminder | appeal | evidence
    name: str
    sha256: str
    on: date


def reminders_of(events: list[Event]):
    for e in events:
        note = str(e.data.get("note", ""))
        # A reminder event (`followup`); journals written before it existed hold a note instead.
        if e.type == "reminder" or (e.type == "note" and note.startswith(REMINDER_PREFIX)):
            name = e.data.get("document") or note.removeprefix(REMINDER_PREFIX).split(" (sha256", 1)[0].strip()
            digest = e.data.get("sha256") or note.rpartition("sha256 ")[2].rstrip(")")
            yield Document("reminder", name, digest, e.on)


def reminder_limits(events: list[Event]) -> list[tuple[date, date]]:
    """Each reminder's (date, last time limit): the limit the journal recorded for it, which runs from the day the
    reminder is taken to arrive; a reminder noted before that was recorded gets REMINDER_DAYS from its date."""
    limits = []
    for e in events:
        note = str(e.data.get("note", ""))
        if e.type == "reminder" or (e.type == "note" and note.startswith(REMINDER_PREFIX)):
            recorded = e.data.get("respond_by")
            limits.append((e.on, date.fromisoformat(recorded) if recorded else e.on + timedelta(days=letters.REMINDER_DAYS)))
    return limits


def timeline(entry: Request, events: list[Event], tracking: Tracking) -> list[TimelineEntry]:
    """Every dated step, in date order: the letter, sending, receipt, replies, reminders, the time limit."""
    sent = [e for e in events if e.type == "sent"]
    # A letter logged as sent before its own date (`log sent --before-draft`, e.g. made in the app first) records
    # a request made that day: the timeline starts with the sending, not with a "written" row after it.
    items = [] if sent and sent[-1].on < entry.created_on else [TimelineEntry(entry.created_on, "written")]
    if sent:
        via = sent[-1].data.get("via", "post")
        items.append(TimelineEntry(sent[-1].on, f"sent-{via}" if f"sent-{via}" in EVENT_WORDS else "sent-post"))
    if tracking.received and (tracking.receipt_assumed or tracking.received != tracking.sent):
        items.append(TimelineEntry(tracking.received, "received-assumed" if tracking.receipt_assumed else "received"))
    for e in events:
        if e.type == "confirmed":
            items.append(TimelineEntry(e.on, "confirmed"))
        elif e.type == "reply":
            outcome = e.data.get("outcome", "other")
            items.append(TimelineEntry(e.on, f"reply-{outcome}" if f"reply-{outcome}" in EVENT_WORDS else "reply-other",
                                       str(e.data.get("note", ""))))
        elif e.type == "supplied":
            items.append(TimelineEntry(e.on, "supplied"))
    for e in events:
        if e.data.get("appeal"):  # a US state law's appeal to the business (`followup` after a refusal)
            items.append(TimelineEntry(e.on, "appeal"))
    for on, limit in reminder_limits(events):
        items.append(TimelineEntry(on, "reminder"))
        if limit < tracking.today:  # the "please answer by" the reminder gave
            items.append(TimelineEntry(limit, "reminder-due"))
    # The end of the time limit is a fact of the complaint where no answer came in time; after an answer in time
    # (a refusal before the limit) there is no "ended" row, ahead or behind.
    if tracking.due and tracking.due < tracking.today and (tracking.answered is None or tracking.answered_late):
        items.append(TimelineEntry(tracking.due, "due"))
    order = {key: n for n, key in enumerate(EVENT_WORDS)}
    return sorted(items, key=lambda item: (item.on, order[item.what]))


def documents(entry: Request, events: list[Event]) -> list[Document]:
    """The letter, the reminders and every evidence file on the timeline, each once, with its SHA-256."""
    found = [Document("letter", entry.document, entry.sha256, entry.created_on), *reminders_of(events)]
    for e in events:
        if e.data.get("complaint"):
            continue  # an earlier complaint's own file is not evidence of the controller's conduct
        role = "appeal" if e.data.get("appeal") else "evidence"  # the appeal's file is kept as evidence
        found += [Document(role, x.name, x.sha256, e.on) for x in e.evidence]
    first: dict[str, Document] = {}
    for document in found:
        first.setdefault(document.sha256, document)  # each file once, where it first appears
    return list(first.values())
