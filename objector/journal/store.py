"""The journal: a dated, tamper-evident record of every request and what happened to it.

Storage is one SQLite file, ``journal.sqlite3`` in the data directory (mode 0600, directory 0700), in
WAL mode with ``synchronous=FULL``: a committed entry survives a crash or a kill at any moment. Every
write is one ``BEGIN IMMEDIATE`` transaction, so two processes appending at once queue behind each
other (``busy_timeout``) and bad input leaves the journal exactly as it was.

Tables (schema version 2; ``schema_version`` records it, ``MIGRATIONS`` upgrades older files and a
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
- ``standing`` (schema 2): a cache of each request's standing for `status`, derived from the events and
  never a record (see "The standing cache" below).

Each ``drafted`` event stores the hash of its request row, so the requests are covered by the chain,
and the letter itself as its evidence.
Evidence files are copied to ``evidence/<sha256>`` (0600); the event keeps the original name, size and
hash. ``verify()`` recomputes everything and names each altered, removed or added row or file.

The standing cache: `status` would otherwise fold every request's events and count its deadline on each
run (about a second for 10,000 requests). The ``standing`` table keeps, per request, what the fold found
apart from anything that depends on today, with the hash of the request's last event at the time
(``through_hash``) and a fingerprint of the code and data that computed it (``rules``). A row is used
only while both still match: any new event, an event removed or rewritten with its hash, or another
objector makes it stale, and `status` folds that request again and stores the new row (best effort: never
waiting for a writer, never on a read-only file). Overdue and days left are derived from the kept due date
when shown. The cache is not part of the chain, of exports or of imports. A row forged with a matching
hash could mislead `status` (never a letter, an export or `verify`); whoever can write it can as well
rewrite the events themselves, which only a head hash kept elsewhere reveals. Checking every row would mean
folding every request again, more than `verify` costs in all, so ``verify()`` drops the cache instead: after
a clean `verify`, `status` shows what the verified events support, folded afresh.

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
