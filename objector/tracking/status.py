"""Every request's standing for `status`: folded from the events, or read from the journal's standing cache and
folded again only where a request changed; ordered most urgent first; and which of them a complaint now fits."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .timeline import Tracking


def notes_by_reference(trackings: list[Tracking]) -> dict[str, list]:
    """The notes of each request (a complaint or a reminder is a note, which the status table does not load),
    read once for both questions below, and only when a request is answered, overdue or past a reminder's limit."""
    from ..journal import Journal

    if not any(t.state in ("answered", "overdue") or t.last_limit_passed or t.outcome in ("refused", "partial")
               for t in trackings):
        return {}
    with Journal.open(create=False) as journal:
        notes = journal.events(notes_only=True)
    by_reference: dict[str, list] = {}
    for note in notes:
        by_reference.setdefault(note.reference, []).append(note)
    return by_reference


def complaint_candidates(trackings: list[Tracking], notes: dict[str, list]) -> list[str]:
    """References `complaint` fits: refused or partly answered, or past a reminder's last time limit, and no
    complaint written yet (``notes``: notes_by_reference)."""
    from .timeline import ready_for_complaint

    return [t.request.reference for t in trackings if (t.last_limit_passed or t.outcome in ("refused", "partial"))
            and ready_for_complaint(t, notes.get(t.request.reference, []))]


def complained_references(trackings: list[Tracking], notes: dict[str, list]) -> set[str]:
    """The references among ``trackings`` a complaint was written about (``notes``: notes_by_reference)."""
    return {t.request.reference for t in trackings
            if any(note.data.get("complaint") for note in notes.get(t.request.reference, ()))}


STATE_WORDS = {"complied": "complied", "refused": "refused", "partial": "answered in part", "other": "answered"}


def state_words(t: Tracking, complained: bool = False) -> str:
    """The state as the status table says it: an answer by its outcome ("refused"), a reminder or a complaint
    written ("overdue (reminded)", "refused, complaint filed")."""
    if t.state == "answered":
        words = STATE_WORDS.get(t.outcome or "", "answered")
    elif t.state == "overdue" and t.last_limit and not complained:
        words = "overdue (reminded)"
    else:
        words = t.state
    return words + (", complaint filed" if complained else "")


def all_trackings(unreadable: list[str] | None = None) -> list[Tracking]:
    """Every request's standing, most urgent first; `unreadable` (if given) collects the requests that cannot be
    read, named, while the rest are returned (timeline.track_all)."""
    from ..clock import today as clock_today
    from ..journal import Journal
    from .timeline import track_all

    today = clock_today()
    with Journal.open(create=False) as journal, journal.snapshot():
        requests = journal.requests()
        events = journal.events_by_reference(timeline_only=True)
    trackings = track_all(requests, events, today, unreadable)
    return sorted(trackings, key=urgency)


def standing_trackings(unreadable: list[str] | None = None) -> list[Tracking]:
    """Like all_trackings, from the journal's standing cache: only requests whose events changed since
    (or never folded) are folded again, and their new standings kept (objector.journal.store explains the cache).
    The trackings carry no derivation or notes: `status` shows neither. `unreadable`: as for all_trackings."""
    import json

    from ..clock import today as clock_today
    from ..errors import JournalError
    from ..journal import Journal, canonical_json
    from .standing import IsoDates, from_standing, rules_fingerprint, standing
    from .timeline import track

    today = clock_today()
    rules = rules_fingerprint()
    dates = IsoDates()
    loads = json.loads
    trackings: list[Tracking] = []
    stale = []
    with Journal.open(create=False) as journal:
        with journal.snapshot():
            for request, last, data in journal.standings(rules, unreadable):
                if data is not None:
                    try:
                        trackings.append(from_standing(request, loads(data), today, dates))
                        continue
                    except (ValueError, TypeError, KeyError, IndexError, AttributeError):
                        pass  # not a standing objector wrote: fold the events again
                stale.append((request.reference, last))
            if stale:  # fold them from their events, as all_trackings does
                wanted = {reference for reference, _ in stale}
                if len(stale) > 50:
                    requests = {r.reference: r for r in journal.requests() if r.reference in wanted}
                    events = journal.events_by_reference(timeline_only=True)
                else:
                    requests = {reference: journal.get_request(reference) for reference in wanted}
                    events = {reference: journal.events(reference, timeline_only=True) for reference in wanted}
        new_rows = []
        for reference, last in stale:
            try:
                t = track(requests[reference], events.get(reference, ()), today)
            except JournalError as exc:
                if unreadable is None:
                    raise
                unreadable.append(exc.message)
                continue
            trackings.append(t)
            if last is not None:
                new_rows.append((reference, last, rules, canonical_json(standing(t))))
        journal.store_standings(new_rows)
    return sorted(trackings, key=urgency)


RANK = {"overdue": 0, "sent": 1, "confirmed": 1, "extended": 1, "waiting-for-you": 2, "drafted": 3, "answered": 4,
         "discarded": 5}


def urgency(t: Tracking) -> tuple:
    return (RANK.get(t.state, 5), t.due or t.request.created_on, t.request.reference)

