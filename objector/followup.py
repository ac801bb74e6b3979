"""Follow-ups: once a controller's time has run out, the reminder that says so.

Everything the reminder states comes from the journal: the first letter's inputs (the person, the
controller, the law, the language) and its timeline (sent, received, due). It is written only for a
request that is overdue, and is recorded on that request's timeline.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from . import compose, letters
from .clock import today as clock_today
from .errors import InputError, NoRightError
from .reference import normalize


def prepare_reminder(reference: str, *, lang: str | None = None, on: date | None = None,
                     signature: bytes | None = None) -> letters.LetterRequest:
    from .journal import Journal
    from .tracking import track

    reference = normalize(reference)
    today = clock_today()
    with Journal.open(create=False) as journal:
        entry = journal.get_request(reference)
        refuse_us_reminder(entry)
        tracking = track(entry, journal.events(reference), today)
    if tracking.state != "overdue":
        raise InputError(f"{reference} is not overdue ({why_not_overdue(tracking)}); "
                         "a reminder is written once the controller's time has run out")
    first = letters.from_inputs(entry.inputs)
    return letters.LetterRequest(
        kind="reminder",
        controller=first.controller,
        law=first.law,
        lang=letters.i18n.check_language(lang or first.lang),
        profile=first.profile,
        on=on or today,
        reference=reference,
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
        ),
    )


def refuse_us_reminder(entry) -> None:
    """The reminder cites the GDPR's Articles 12 and 79: a request under a US state law gets a clear refusal."""
    from .laws import ALL

    law = ALL.get(entry.law)
    if law is not None and law.statute is not None:
        statute = law.statute
        step = "" if law.id == "ccpa" else "ask for its reasons and appeal its decision, then "  # the CCPA has no appeal
        raise NoRightError(f"objector writes reminders under the GDPR and UK GDPR only, and {entry.reference} is a "
                           f"request under {law.title}; once its time has run out, {step}bring the matter to "
                           f"{statute.authority}")


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
    return f"due {tracking.due.isoformat()}, {days} day{'' if days == 1 else 's'} left"


def respond_by(request: letters.LetterRequest) -> date:
    """The last time limit the reminder sets: REMINDER_DAYS after its date."""
    from datetime import timedelta

    return request.on + timedelta(days=letters.REMINDER_DAYS)


def write_reminder(request: letters.LetterRequest, fmt: str, path: Path, *, overwrite: bool = False,
                   pdf_variant: str = "pdf") -> compose.Written:
    """Write the reminder, then note it on the request's timeline (the file is removed if that fails)."""
    from .journal import Journal

    written = compose.write_letter(request, fmt, path, overwrite=overwrite, record=False, pdf_variant=pdf_variant)
    try:
        with Journal.open(create=False) as journal:
            # The file's name and hash as fields too: a complaint lists the reminder among its documents.
            journal.log_reminder(request.reference, f"reminder written: {path.name} (sha256 {written.sha256})",
                                 on=request.on, respond_by=respond_by(request), today=clock_today(),
                                 document=path.name, sha256=written.sha256)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return written
