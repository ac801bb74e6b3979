"""The standing cache: what `status` folded for each request, in columns it can count and sort by in SQL, and the
mark that says up to which event of the chain, and by which rules, every row is current. Derived and disposable;
objector.journal.store explains it. The journal keeps the table; what its columns mean, and so the questions
asked of them, are objector.tracking's (passed in as rows and queries, never imported).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import JournalError
from .core import JournalCore
from .records import GENESIS, REQUEST_COLUMNS, Request, request_from_row
from .schema import BUSY_TIMEOUT_MS

# The columns of a standing row, in the order store_standings takes them (objector.tracking.standing fills them).
STANDING_COLUMNS = ("reference", "through_hash", "rules", "data", "controller", "created_on", "state", "due",
                    "last_limit", "outcome", "days_to_reply", "answered_late", "complained")


def standing_digest(row: Sequence[Any]) -> str:
    """The SHA-256 of a standing row's values, as verify checks them: text, integers and NULL, whose repr tells
    each from the others ('1' from 1, '' from None)."""
    import hashlib

    return hashlib.sha256(repr(tuple(row)).encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class StandingMark:
    """Every request with an event up to event #seq (whose hash is `hash`) has a row computed by `rules`
    through its last such event."""

    rules: str
    seq: int
    hash: str


@dataclass(frozen=True)
class StaleStandings:
    """What the cache needs to become current: the mark to keep with the new rows (the chain's head), the mark
    found (None: none), and the requests to fold again (None: every request)."""

    head: StandingMark
    found: StandingMark | None
    references: list[str] | None


class StandingCache(JournalCore):
    """Reads and keeps the cached standings."""


    def stale_standings(self, rules: str) -> StaleStandings:
        """The requests whose rows are not current: an event past the mark, or no row at all. Every request when
        there is no mark, it was made by other rules, the chain changed at or below it (event #seq no longer has
        the hash the mark saw), or a row stands for no request. A few indexed queries, however large the journal:
        `status` runs this first."""
        with self._errors(), self.snapshot():
            head = StandingMark(rules, *self._head())
            row = self._conn.execute("SELECT rules, seq, hash FROM main.standing_mark").fetchone()
            found = StandingMark(*row) if row else None
            if found is None or found.rules != rules or self._hash_at(found.seq) != found.hash:
                return StaleStandings(head, found, None)
            # Not DISTINCT: SQLite would walk the whole index by reference for it, not the few events past the mark.
            stale = {reference for (reference,) in self._conn.execute(
                "SELECT reference FROM events WHERE seq > ?", (found.seq,))}
            requests, rows = self._conn.execute(
                "SELECT (SELECT count(*) FROM requests), (SELECT count(*) FROM main.standing)").fetchone()
            if requests != rows:  # a request without a row (one that cannot be read), or a row without a request
                stale.update(reference for (reference,) in self._conn.execute(
                    "SELECT reference FROM requests WHERE reference NOT IN (SELECT reference FROM main.standing)"))
                if self._conn.execute("SELECT 1 FROM main.standing WHERE reference NOT IN "
                                      "(SELECT reference FROM requests) LIMIT 1").fetchone():
                    return StaleStandings(head, found, None)  # the table holds what no request supports
        return StaleStandings(head, found, sorted(stale))


    def _hash_at(self, seq: int) -> str | None:
        if seq == 0:
            return GENESIS
        row = self._conn.execute("SELECT hash FROM events WHERE seq = ?", (seq,)).fetchone()
        return row[0] if row else None


    def readable_requests(self, unreadable: list[str]) -> list[Request]:
        """Every request, as requests() gives them; a row that cannot be read is named in ``unreadable`` and left
        out, so that the others are still folded (`status` lists them and names it)."""
        try:
            return self.requests()
        except JournalError:
            pass
        with self._errors():
            rows = self._conn.execute(
                f"SELECT {', '.join(REQUEST_COLUMNS)} FROM requests ORDER BY created_on, reference").fetchall()
        out = []
        for row in rows:
            try:
                out.append(request_from_row(row))
            except JournalError as exc:
                unreadable.append(exc.message)
        return out


    def store_standings(self, rows: Iterable[Sequence[Any]], stale: StaleStandings) -> bool:
        """Keep freshly folded rows (STANDING_COLUMNS) and move the mark to ``stale.head``; with
        ``stale.references`` None the rows replace the whole table.

        Best effort, as a cache should be: when another process is writing, the journal is read-only, or another
        `status` moved the mark since ``stale`` was read, the rows are kept for this connection only, in a
        temporary copy of the table that query_standings then reads, and False is returned."""
        rows = list(rows)
        everything = stale.references is None
        if not rows and (stale.head.seq == 0 or not everything and stale.found == stale.head):
            # Nothing changed, or nothing to keep: no write at all. A journal without events is never written to
            # by `status`: a write would date it after evidence kept by a first letter still under way
            # (objector.journal.schema.evidence_predates).
            return True
        if self._transaction is None:
            try:
                self._conn.execute("PRAGMA busy_timeout = 0")  # never make `status` wait for a writer
                with self._errors(), self._write():
                    row = self._conn.execute("SELECT rules, seq, hash FROM main.standing_mark").fetchone()
                    if (StandingMark(*row) if row else None) == stale.found:
                        self._put_standings("main", rows, everything)
                        self._conn.execute("DELETE FROM main.standing_mark")
                        self._conn.execute("INSERT INTO main.standing_mark (rules, seq, hash) VALUES (?, ?, ?)",
                                           (stale.head.rules, stale.head.seq, stale.head.hash))
                        self._conn.execute("DROP TABLE IF EXISTS temp.standing")  # a copy an earlier try left
                        return True
            except (JournalError, sqlite3.Error):
                pass
            finally:
                self._conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        with self._errors():
            self._conn.execute("DROP TABLE IF EXISTS temp.standing")
            self._conn.execute("CREATE TEMP TABLE standing AS SELECT * FROM main.standing"
                               + (" WHERE 0" if everything else ""))
            self._put_standings("temp", rows, everything=False)
        return False


    def _put_standings(self, schema: str, rows: list[Sequence[Any]], everything: bool) -> None:
        if everything:
            self._conn.execute(f"DELETE FROM {schema}.standing")
        self._conn.executemany(f"INSERT OR REPLACE INTO {schema}.standing ({', '.join(STANDING_COLUMNS)}, digest) "
                               f"VALUES ({', '.join('?' * (len(STANDING_COLUMNS) + 1))})",
                               ((*row, standing_digest(row)) for row in rows))


    def check_standings(self) -> int:
        """`verify`'s pass over the cache after a clean check of the chain: drop each row that is not what
        store_standings wrote for the request's last event (its digest no longer matches its values, it was folded
        through an event that is not the request's last, or it stands for no request), so that `status` folds
        those requests again from the verified events. The number of rows dropped.

        A row checked here costs microseconds; folding it again costs a hundred or more (deadlines, holidays): a
        cache kept current by `status` survives `verify`, and only what was changed outside objector is folded
        again. Like the chain, the digest is unkeyed: it catches an edited row, not one forged with its digest
        recomputed (README, "What verify can and cannot prove")."""
        columns = ", ".join(f"s.{name}" for name in STANDING_COLUMNS)
        with self._errors(), self._write():
            found = self._conn.execute(
                f"SELECT {columns}, s.digest, (SELECT hash FROM events e WHERE e.reference = s.reference "
                "ORDER BY seq DESC LIMIT 1), EXISTS (SELECT 1 FROM requests r WHERE r.reference = s.reference) "
                "FROM main.standing s").fetchall()
            width = len(STANDING_COLUMNS)
            wrong = [(row[0],) for row in found
                     if not row[width + 2] or row[1] != row[width + 1] or row[width] != standing_digest(row[:width])]
            self._conn.executemany("DELETE FROM main.standing WHERE reference = ?", wrong)
        return len(wrong)


    def query_standings(self, query: str, parameters: Sequence[Any] | dict[str, Any] = ()) -> list[tuple[Any, ...]]:
        """The rows of a read-only query over ``standing`` (joined with ``requests`` where it needs to): the
        current table, or this connection's copy where store_standings could not write."""
        with self._errors():
            return self._conn.execute(query, parameters).fetchall()


    def drop_standings(self) -> str | None:
        """Empty the standing cache and its mark (`verify` on a journal that failed: its rows stood for records
        that are not what they were). A warning if it could not be done."""
        try:
            if self._conn.execute("SELECT 1 FROM main.standing_mark UNION ALL SELECT 1 FROM main.standing "
                                  "LIMIT 1").fetchone() is None:
                return None
            with self._errors(), self._write():
                self._conn.execute("DELETE FROM main.standing")
                self._conn.execute("DELETE FROM main.standing_mark")
        except (JournalError, sqlite3.Error) as exc:
            return (f"the cached standings could not be cleared ({exc}); `status` keeps using them until their "
                    "requests change")
        return None
