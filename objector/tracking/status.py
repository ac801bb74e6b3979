"""Every request's standing for `status`: kept in the journal's standing cache, folded again only where a request
changed since the cache's mark, and then counted, ordered (most urgent first) and summed up per controller in SQL,
so that a journal of 100,000 requests is summed up in a moment and only the rows shown become Trackings. Also
how the status table words a state, and which requests a complaint now fits."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from .timeline import OPEN_STATES

if TYPE_CHECKING:
    from ..journal import Journal
    from .stats import ControllerStats
    from .timeline import Tracking


RANK = {"overdue": 0, "sent": 1, "confirmed": 1, "extended": 1, "waiting-for-you": 2, "drafted": 3, "answered": 4,
        "discarded": 5}
# Above this many changed requests, reading every event at once is quicker than reading each request's.
_ONE_BY_ONE = 2000


def urgency(t: Tracking) -> tuple:
    return (RANK.get(t.state, 5), t.due or t.request.created_on, t.request.reference)


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
    """Every request folded from its events (with derivation and notes), most urgent first: `calendar`.
    `unreadable` (if given) collects the requests that cannot be read, named, while the rest are returned
    (timeline.track_all)."""
    from ..clock import today as clock_today
    from ..journal import Journal
    from .timeline import track_all

    today = clock_today()
    with Journal.open(create=False) as journal, journal.snapshot():
        requests = journal.requests()
        events = journal.events_by_reference(timeline_only=True)
    trackings = track_all(requests, events, today, unreadable)
    return sorted(trackings, key=urgency)


# --------------------------------------------------------------------------- keeping the cache current


def refresh_standings(journal: Journal, today: date, unreadable: list[str], *, everything: bool = False) -> bool:
    """Fold again the requests whose events changed since the standing cache's mark (``everything``: all of
    them, `verify`'s rebuild) and keep their rows. A request that cannot be read is named in ``unreadable`` and
    gets no row (so it is folded, and named, again next time). False: kept for this connection only
    (objector.journal.store explains the cache and when it cannot be written)."""
    from ..errors import JournalError
    from ..journal import Event, Request
    from .standing import rules_fingerprint, standing_row
    from .timeline import track

    rules = rules_fingerprint()
    requests: list[Request] = []
    events: dict[str, list[Event]] = {}
    with journal.snapshot():
        stale = journal.stale_standings(rules)
        if everything:
            stale = type(stale)(stale.head, stale.found, None)
        if stale.references is not None and len(stale.references) <= _ONE_BY_ONE:
            for reference in stale.references:
                try:
                    requests.append(journal.get_request(reference))
                except JournalError as exc:
                    unreadable.append(exc.message)
                    continue
                events[reference] = journal.events(reference)  # notes too: whether a complaint was noted
        else:
            wanted = None if stale.references is None else set(stale.references)
            requests = [r for r in journal.readable_requests(unreadable) if wanted is None or r.reference in wanted]
            events = journal.events_by_reference()
    rows = []
    for request in requests:
        timeline = events.get(request.reference, [])
        try:
            rows.append(standing_row(track(request, timeline, today), timeline, rules))
        except JournalError as exc:
            unreadable.append(exc.message)
    return journal.store_standings(rows, stale)


def renew_standings(journal: Journal) -> list[str]:
    """`verify`'s own pass after a clean check: the cache's rows checked against the events just verified (a row
    changed outside objector is dropped), and every request without a current row folded afresh, so that the next
    `status` folds nothing. Notes for `verify` to print: each request that cannot be folded (`status` names it
    too), and that the cache could not be kept (another process writing, a read-only journal: then `status` folds
    what it needs itself)."""
    from ..clock import today as clock_today
    from ..errors import JournalError

    unreadable: list[str] = []
    try:
        journal.check_standings()
    except JournalError:
        dropped = journal.drop_standings()  # best effort: a cache that cannot be checked is not to be trusted
        return [dropped or "the cached standings could not be checked now (the journal is busy or read-only) and "
                "were cleared: `status` folds every request again"]
    kept = refresh_standings(journal, clock_today(), unreadable)
    notes = [f"{message}; `status` lists the other requests and names it" for message in unreadable]
    if not kept:
        notes.append("the cached standings could not be rebuilt now (the journal is busy or read-only); "
                     "`status` rebuilds them")
    return notes


# --------------------------------------------------------------------------- reading it


@dataclass
class StatusView:
    """What `status` shows: counts by state today, the requests asked for (most urgent first), those of them
    a complaint was written about, per-controller figures, and two follow-ups, each as (how many, the most urgent
    one's reference): overdue requests without a reminder, and requests a complaint fits (refused or partly
    answered, or past a reminder's last time limit, and no complaint written yet). ``unreadable``: the requests
    that cannot be read, named (the rest are counted and shown)."""

    counts: dict[str, int]
    shown: list[Tracking]
    matching: int  # requests in the states asked for (shown may be fewer: the limit)
    complained: set[str] = field(default_factory=set)
    unreminded: tuple[int, str | None] = (0, None)
    ready: tuple[int, str | None] = (0, None)
    stats: list[ControllerStats] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


# The SQL below reads the standing cache, whose `state` is the state on any day but for one thing: an open
# request whose due date has passed is overdue today (timeline.open_state). Counting and summing go through the
# index standing_by_controller in order; the most urgent rows are looked for rank by rank, the overdue ones along
# the index of due dates, so a journal of 100,000 requests costs a few hundredths of a second.
_KEPT_OPEN = sorted(OPEN_STATES - {"overdue"})
_OPEN = ", ".join(f"'{state}'" for state in _KEPT_OPEN)
_OVERDUE = f"s.state IN ({_OPEN}) AND s.due < :today"
_SUMMARY = """SELECT controller, state, count(*), sum(due < :today), sum(days_to_reply), count(days_to_reply),
                      min(days_to_reply), max(days_to_reply), sum(answered_late), sum(due < :today AND last_limit IS NULL),
                      sum(CASE state WHEN 'answered' THEN outcome IN ('refused', 'partial')
                          ELSE due < :today AND last_limit < :today END AND NOT complained)
               FROM standing GROUP BY controller, state"""
# The first of each follow-up, in urgency() order: overdue ones by due date; answered ones by due date or, where
# no deadline could be counted, the letter's date (the index standing_refused holds them in that order: its
# condition is written here as it is there, so that SQLite uses it).
_FIRST_UNREMINDED = (f"SELECT reference FROM standing AS s WHERE {_OVERDUE} AND s.last_limit IS NULL "
                     "ORDER BY s.due, s.reference LIMIT 1")
_FIRST_PAST_LIMIT = (f"SELECT reference FROM standing AS s WHERE {_OVERDUE} AND s.last_limit < :today AND NOT "
                     "s.complained ORDER BY s.due, s.reference LIMIT 1")
_FIRST_REFUSED = ("SELECT reference FROM standing AS s WHERE s.state = 'answered' AND s.outcome IN ('refused', "
                  "'partial') AND NOT s.complained ORDER BY coalesce(s.due, s.created_on), s.reference LIMIT 1")


@dataclass
class _Group:
    """One line of _SUMMARY: a controller's requests kept in one state."""

    controller: str
    state: str
    count: int
    overdue: int  # open and past the due date today
    days: int  # days to reply, summed over the answered
    answered_in: int  # answers whose days to reply are known
    fastest: int | None
    slowest: int | None
    late: int
    unreminded: int  # overdue without a reminder
    ready: int  # a complaint fits

    @classmethod
    def of(cls, row: tuple) -> _Group:
        """From a row of _SUMMARY, whose sums are NULL where no row counted."""
        controller, state, count, overdue, days, answered_in, fastest, slowest, late, unreminded, ready = row
        return cls(controller, state, count, overdue or 0, days or 0, answered_in, fastest, slowest, late or 0,
                   unreminded or 0, ready or 0)

    @property
    def open(self) -> bool:
        return self.state in _KEPT_OPEN


def status_view(hidden: set[str], limit: int | None, *, summary: bool = True) -> StatusView:
    """The standings on today, the cache brought up to date first. ``hidden``: states left out of the rows shown;
    ``limit``: at most this many rows (None: all); ``summary``: also the follow-ups and the figures."""
    from ..clock import today as clock_today
    from ..errors import JournalError
    from ..journal import Journal

    today = clock_today()
    unreadable: list[str] = []
    with Journal.open(create=False) as journal:
        refresh_standings(journal, today, unreadable)
        try:
            view = _read(journal, today, hidden, limit, summary)
        except _Unreadable:  # a row altered behind objector's back: the whole cache is suspect, rebuild it
            unreadable.clear()
            refresh_standings(journal, today, unreadable, everything=True)
            try:
                view = _read(journal, today, hidden, limit, summary)
            except _Unreadable as exc:
                raise JournalError(f"the standing of the journal's request {exc} cannot be read, even folded "
                                   "afresh", hint="run `objector verify`") from None
    view.unreadable = unreadable
    return view


class _Unreadable(Exception):
    """A kept standing that is no standing, or not of the request's last event or of these rules."""


def _read(journal: Journal, today: date, hidden: set[str], limit: int | None, summary: bool) -> StatusView:
    at = {"today": today.isoformat()}
    with journal.snapshot():
        groups = [_Group.of(row) for row in journal.query_standings(_SUMMARY, at)]
        counts: dict[str, int] = {}
        for g in groups:
            overdue = g.overdue if g.open else 0
            if overdue:
                counts["overdue"] = counts.get("overdue", 0) + overdue
            if g.count - overdue:
                counts[g.state] = counts.get(g.state, 0) + g.count - overdue
        shown, complained = _trackings(journal, today, counts, hidden, limit)
        view = StatusView(counts, shown, sum(n for state, n in counts.items() if state not in hidden), complained)
        if summary:
            view.unreminded = _first(journal, at, sum(g.unreminded for g in groups if g.open), _FIRST_UNREMINDED)
            past_limit = sum(g.ready for g in groups if g.open)
            refused = sum(g.ready for g in groups if g.state == "answered")
            first = _FIRST_PAST_LIMIT if past_limit else _FIRST_REFUSED  # overdue ones are the more urgent
            view.ready = (past_limit + refused, _first(journal, at, past_limit or refused, first)[1])
            view.stats = _controller_stats(groups)
    return view


def _first(journal: Journal, at: dict[str, str], count: int, query: str) -> tuple[int, str | None]:
    """(count, the reference ``query`` finds first); a query only where the count says there is one."""
    found = journal.query_standings(query, at) if count else []
    return (count, found[0][0]) if found else (count, None)


def _rank_filters(counts: dict[str, int], hidden: set[str]) -> list[tuple[str, str]]:
    """(SQL condition, order) for each rank of urgency() that has rows to show, the most urgent first."""
    filters = []
    if "overdue" not in hidden and counts.get("overdue"):
        filters.append((_OVERDUE, "s.due, s.reference"))  # along the index of due dates
    for rank in sorted(set(RANK.values())):
        states = [state for state, r in RANK.items() if r == rank and state != "overdue" and state not in hidden
                  and counts.get(state)]
        if states:
            condition = f"s.state IN ({', '.join(repr(state) for state in states)})"
            if set(states) & set(_KEPT_OPEN):
                condition += " AND NOT coalesce(s.due < :today, 0)"
            filters.append((condition, "coalesce(s.due, s.created_on), s.reference"))
    return filters


def _trackings(journal: Journal, today: date, counts: dict[str, int], hidden: set[str], limit: int | None
               ) -> tuple[list[Tracking], set[str]]:
    """The requests not in a ``hidden`` state, most urgent first, at most ``limit``, as Trackings (from the kept
    standings: no derivation or notes, which `status` does not show), and those of them a complaint was written
    about. Only those become Trackings."""
    from ..journal import Request
    from .standing import IsoDates, from_standing, rules_fingerprint

    rows: list[tuple] = []
    for condition, order in _rank_filters(counts, hidden):
        wanted = None if limit is None else limit - len(rows)
        if wanted == 0:
            break
        rows += journal.query_standings(
            "SELECT r.reference, r.kind, r.controller, r.law, r.language, r.region, r.sha256, r.document, "
            "r.created_on, s.data, s.complained, s.through_hash = coalesce((SELECT hash FROM events "
            "WHERE reference = s.reference ORDER BY seq DESC LIMIT 1), '') AND s.rules = :rules "
            f"FROM standing AS s JOIN requests AS r USING (reference) WHERE {condition} ORDER BY {order}"
            + ("" if wanted is None else " LIMIT :limit"),
            {"today": today.isoformat(), "limit": wanted, "rules": rules_fingerprint()})
    dates = IsoDates()
    loads = json.loads
    trackings = []
    complained = set()
    # The mark vouches for the table; each row shown is checked against its request's last event as well, and a
    # row that fails says the table was altered (objector.journal.store: what the cache can and cannot prove).
    for reference, kind, controller, law, language, region, sha256, document, created_on, data, noted, current in rows:
        try:
            if not current:
                raise ValueError("not current")
            trackings.append(from_standing(Request(reference, kind, controller, law, language, region, {}, sha256,
                                                   document, dates[created_on]), loads(data), today, dates))
        except (ValueError, TypeError, KeyError, IndexError, AttributeError):
            raise _Unreadable(reference) from None
        if noted:
            complained.add(reference)
    return trackings, complained


def _controller_stats(groups: list[_Group]) -> list[ControllerStats]:
    """How each controller treats the requests sent to it (drafts left out): answered, how fast, how many late or
    overdue, summed from its groups."""
    from .stats import ControllerStats

    by_controller: dict[str, list[_Group]] = {}
    for g in groups:
        if g.state not in ("drafted", "discarded"):
            by_controller.setdefault(g.controller, []).append(g)
    stats = []
    for controller, mine in sorted(by_controller.items()):
        answered_in = sum(g.answered_in for g in mine)
        stats.append(ControllerStats(
            controller=controller,
            requests=sum(g.count for g in mine),
            open=sum(g.count for g in mine if g.open or g.state == "waiting-for-you"),
            overdue=sum(g.overdue for g in mine if g.open),
            answered=sum(g.count for g in mine if g.state == "answered"),
            average_days=round(sum(g.days for g in mine) / answered_in, 1) if answered_in else None,
            fastest=min((g.fastest for g in mine if g.fastest is not None), default=None),
            slowest=max((g.slowest for g in mine if g.slowest is not None), default=None),
            late=sum(g.late for g in mine),
        ))
    return stats
