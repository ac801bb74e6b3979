"""Follow-ups: once a controller's time has run out, the reminder that says so.

Everything the reminder states comes from the journal: the first letter's inputs (the person, the
controller, the law, the language) and its timeline (sent, received, due). It is written only for a
request that is overdue, and is recorded on that request's timeline.

Under a US state law the reminder cites the statute's reply section and period (letters/us/reminder.html.j2).
Where the business refused, a state law with an appeal gets the appeal instead (letters/us/appeal.html.j2):
the appeal goes to the business itself, and only after it has decided does the Attorney General come in.
The CCPA has no appeal to the business: its next step after a refusal is the complaint to the agency.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ..clock import today as clock_today
from ..errors import InputError, NoRightError
from ..letters import compose
from ..letters import letter as letters
from ..reference import normalize
from ..text import plural
from .events import add_event, log_reminder

APPEALABLE = ("refused", "partial")  # the replies a US state law's appeal is against
ANSWERED_BADLY = ("refused", "partial", "other")  # final replies that leave the complaint, not a reminder, to follow


def prepare(reference: str, *, lang: str | None = None, on: date | None = None,
            signature: bytes | None = None) -> letters.LetterRequest:
    """The follow-up a request needs now: a reminder once its time has run out, or (US state law with an
    appeal) the appeal against a refusal. Anything else gets a clear InputError or NoRightError."""
    from .timeline import arrival, track_reference

    reference = normalize(reference)
    today = clock_today()
    entry, events, tracking = track_reference(reference, today)
    first = letters.from_inputs(entry.inputs)
    statute = first.law.statute
    if statute is not None and tracking.state == "answered" and tracking.outcome in APPEALABLE:
        if not statute.appeals:
            if first.law.id == "ccpa":
                raise NoRightError(f"{reference}: the CCPA gives no appeal to the business; `objector complaint "
                                   f"{reference}` writes the text for the California Privacy Protection Agency's "
                                   "complaint form")
            raise NoRightError(f"{reference}: objector's reference verifies no appeal under {first.law.title}; ask the "
                               f"business how to appeal, then `objector complaint {reference}` for {statute.authority}")
        if any(e.data.get("appeal") for e in events):
            raise InputError(f"{reference}: the appeal was written already; once the business has decided on it (or its "
                             f"time has run out), `objector complaint {reference}` writes the complaint to "
                             f"{statute.authority}")
        reply = [e for e in events if e.type == "reply" and e.data.get("outcome") in APPEALABLE][-1]
        return _followup(first, "appeal", tracking, lang=lang, on=on or today, signature=signature,
                         replied=reply.on, reply_note=str(reply.data.get("note", "")))
    if tracking.state == "answered" and tracking.outcome in ANSWERED_BADLY:
        # A reminder is for a request left unanswered; one refused, or answered in part, goes to the authority.
        written = [e.data["complaint"] for e in events if e.data.get("complaint")]
        step = (f"the complaint {written[-1].get('reference', '')} was written already (`objector show {reference}` "
                "says what follows)") if written else f"`objector complaint {reference}` writes the complaint"
        answered = f" on {tracking.answered.isoformat()}" if tracking.answered else ""
        raise InputError(f"{reference} was answered ({tracking.outcome}){answered}: a reminder is for a request left "
                         f"unanswered; {step}")
    if tracking.state != "overdue":
        raise InputError(f"{reference} is not overdue ({why_not_overdue(tracking)}); "
                         "a reminder is written once the controller's time has run out")
    on = on or today
    # "Send it as you sent the request": the reminder's last time limit runs from the day it arrives that way.
    return _followup(first, "reminder", tracking, lang=lang, on=on, signature=signature,
                     reminder_received=arrival(entry, tracking.via, on))


def _followup(first: letters.LetterRequest, kind: str, tracking, *, lang: str | None, on: date,
              signature: bytes | None, replied: date | None = None, reply_note: str = "",
              reminder_received: date | None = None) -> letters.LetterRequest:
    """The reminder or appeal about `first`, with the journal's dates (a US law's letters: English only)."""
    if first.law.languages and lang is not None and lang not in first.law.languages:
        raise InputError(f"--lang: letters under {first.law.title} are written in {', '.join(first.law.languages)} only")
    return letters.LetterRequest(
        kind=kind,
        controller=first.controller,
        law=first.law,
        lang=letters.i18n.check_language(lang or first.lang),
        profile=first.profile,
        on=on,
        reference=first.reference,
        signature=signature,
        followup=letters.FollowupFacts(
            kind=first.kind,
            purpose=first.purpose,
            written=first.on,
            sent=tracking.sent,  # type: ignore[arg-type]
            received=tracking.received,  # type: ignore[arg-type]
            receipt_assumed=tracking.receipt_assumed,
            due=tracking.due,  # type: ignore[arg-type]
            extended=tracking.extended,
            outcome=tracking.outcome if kind == "appeal" else None,
            replied=replied,
            reply_note=reply_note,
            reminder_received=reminder_received,
        ),
    )


def why_not_overdue(tracking) -> str:
    if tracking.state == "drafted":
        return "not sent yet"
    if tracking.state == "answered":
        return f"answered: {tracking.outcome}"
    if tracking.state == "waiting-for-you":
        return "the controller is waiting for the ID or clarification it asked for"
    if tracking.due is None:
        return tracking.state
    days = tracking.days_left
    return f"due {tracking.due.isoformat()}, {plural(days, 'day')} left"


def respond_by(request: letters.LetterRequest) -> date:
    """The last time limit the reminder sets: REMINDER_DAYS after the day it is taken to arrive."""
    return letters.respond_by(request)


def write_reminder(request: letters.LetterRequest, fmt: str, path: Path, *, overwrite: bool = False,
                   pdf_variant: str = "pdf") -> compose.Written:
    """Write the reminder (or appeal), then note it on the request's timeline (the file is removed if that fails).

    A reminder's last time limit is tracked; an appeal is noted with its file as evidence, which a later
    complaint lists among its documents."""
    from ..journal import Journal

    request = compose.with_journal_head(request)  # the head the reminder cites: before its own note
    written = compose.write_letter(request, fmt, path, overwrite=overwrite, record=False, pdf_variant=pdf_variant)
    name, to_stdout = written.document, compose.is_stdout(path)
    try:
        with Journal.open(create=False) as journal:
            if request.kind == "appeal":
                add_event(journal, request.reference, "note", request.on,
                                  {"note": f"appeal written: {name} (sha256 {written.sha256})",
                                   "appeal": {"document": name, "sha256": written.sha256}},
                                  evidence=[(name, written.data) if to_stdout else path], today=clock_today())
                return written
            # The file's name and hash as fields too: a complaint lists the reminder among its documents.
            log_reminder(journal, request.reference, f"reminder written: {name} (sha256 {written.sha256})",
                                 on=request.on, respond_by=respond_by(request), today=clock_today(),
                                 document=name, sha256=written.sha256)
    except BaseException:
        if not to_stdout:
            path.unlink(missing_ok=True)
        raise
    return written
