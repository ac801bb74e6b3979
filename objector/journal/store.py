"""The journal: a dated, tamper-evident record of every request and what happened to it.

Storage is one SQLite file, ``journal.sqlite3`` in the data directory (mode 0600, directory 0700), in
WAL mode with ``synchronous=FULL``: a committed entry survives a crash or a kill at any moment. Every
write is one ``BEGIN IMMEDIATE`` transaction, so two processes appending at once queue behind each
other (``busy_timeout``) and bad input leaves the journal exactly as it was.

Tables (schema version 3; ``schema_version`` records it, ``MIGRATIONS`` upgrades older files and a
file from a newer objector is refused):

- ``requests``: one row per letter: reference, kind, controller, law, language, region, the letter's
  inputs (canonical JSON), the written file's SHA-256 and name, and the letter's date.
- ``events``: drafted, sent, confirmed, reply, supplied, note, reminder (written by `followup`, with its
  last time limit) and discarded (a draft never sent, taken out of the requests). Each row holds its date, the time it
  was recorded, its details (canonical JSON, evidence included) and two hashes: ``prev_hash`` (the
  previous event's hash, 64 zeros for the first) and ``hash`` = SHA-256 of the canonical JSON of the
  row's own fields plus ``prev_hash``. The chain is linear: event *n* links to event *n-1*.
- ``meta``: the chain's head (``head_seq``, ``head_hash``), updated in the same transaction as each
  append, so a removed last event is noticed too.
- ``standing`` and ``standing_mark`` (schema 3): a cache of each request's standing for `status`, derived
  from the events and never a record (see "The standing cache" below).

Each ``drafted`` event stores the hash of its request row, so the requests are covered by the chain,
and the letter itself as its evidence.
Evidence files are copied to ``evidence/<sha256>`` (0600); the event keeps the original name, size and
hash. ``verify()`` recomputes everything and names each altered, removed or added row or file.

The standing cache: `status` would otherwise fold every request's events and count its deadline on each
run (about a second for 10,000 requests, ten for 100,000). The ``standing`` table keeps, per request, what the
fold found apart from anything that depends on today: the standing as JSON (``data``, what the rows shown are
made from) and, in columns, what `status` counts, sorts and filters by in SQL (state, due date, last time limit,
outcome, days to reply, answered late, a complaint noted), with the hash of the request's last event
(``through_hash``) and a fingerprint of the code and data that computed it (``rules``). ``standing_mark`` says
how far the whole table is current: every request with an event up to event #seq has its row, computed by those
rules through its last such event; the mark keeps event #seq's hash. `status` checks the mark (its rules, and
event #seq still having that hash: a chain rewritten at or below it changes it) and folds again only the
requests with an event past it, or without a row (a request that cannot be read has none, and is named each
time); with no mark, other rules, a changed chain or a row that stands for no request it folds every request.
The new rows and the mark are kept in one transaction, best effort: never waiting for a writer, never on a
read-only file, and not when another `status` moved the mark meanwhile; then they are kept in a temporary copy
of the table for that run only. Overdue and days left are derived from the kept due date when shown.

The cache is not part of the chain, of exports or of imports. A row forged with a matching hash could mislead
`status` (never a letter, an export or `verify`); whoever can write it can as well rewrite the events themselves,
which only a head hash kept elsewhere reveals. Each row `status` shows is checked against its request's last
event and the rules, and one that fails makes it fold every request again; the counts come from the columns as
kept. `verify` rebuilds the cache in a pass of its own after a clean check (every request folded from the events
just verified by objector.tracking, which hands the rows to store_standings; the table replaced and marked at
the head), so the `status` after it folds nothing; when the check fails it empties the cache, and `status` folds
what is there.

What the chain proves: that nothing was changed after the fact *unless* every later hash was
recomputed as well. To pin the journal's state for others, each recorded letter, reminder and complaint states
the head when it was written (the controller's copy keeps it), and the head hash ``verify`` prints (or an
export) can be kept somewhere else, e.g. in an e-mail to yourself. Damage (a flipped bit, rows deleted) is
checked on every open (JournalCore.check_damage).
"""

from __future__ import annotations

from .chain import JournalVerifier
from .transfer import JournalTransfer


class Journal(JournalTransfer, JournalVerifier):
    """An open journal: reads (core), appends (writing), `verify` (chain), `export`/`import` (transfer) and the
    standing cache (standing). Use ``with Journal.open() as journal: ...``."""
