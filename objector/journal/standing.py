"""The standing cache: what `status` folded for each request, kept with the hash of the request's last event and a
fingerprint of the rules, so that only changed requests are folded again. Derived and disposable.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import date

from ..errors import JournalError
from .core import JournalCore
from .records import REQUEST_COLUMNS, Request
from .schema import BUSY_TIMEOUT_MS


class StandingCache(JournalCore):
    """Reads and keeps the cached standings."""


    def standings(self, rules: str, unreadable: list[str] | None = None
                  ) -> list[tuple[Request, str | None, str | None]]:
        """Every request (in no particular order, *without its inputs*: an empty dict), the hash of its last
        event (None: it has none), and its cached standing's JSON if that was computed through that event
        with these ``rules`` (else None: fold it again). One query; `status` reads 10,000 requests this way."""
        query = f"""SELECT {', '.join('r.' + c for c in REQUEST_COLUMNS if c != 'inputs')}, last.hash,
                           CASE WHEN s.through_hash = last.hash AND s.rules = ? THEN s.data END
                    FROM requests AS r
                    LEFT JOIN events AS last ON last.seq = (SELECT max(seq) FROM events WHERE reference = r.reference)
                    LEFT JOIN standing AS s ON s.reference = r.reference"""
        with self._errors():
            rows = self._conn.execute(query, (rules,)).fetchall()
        dates: dict[str, date] = {}
        out = []
        for reference, kind, controller, law, language, region, sha256, document, created_on, last, data in rows:
            day = dates.get(created_on)
            if day is None:
                try:
                    day = dates[created_on] = date.fromisoformat(created_on)
                except (TypeError, ValueError) as exc:
                    if unreadable is None:
                        self.requests()  # names the unreadable request
                        raise
                    unreadable.append(f"the journal's request {reference} is unreadable ({exc})")
                    continue  # `unreadable`: named, and the others still listed
            out.append((Request(reference, kind, controller, law, language, region, {}, sha256, document, day),
                        last, data))
        return out


    def store_standings(self, rows: Iterable[tuple[str, str, str, str]]) -> bool:
        """Keep (reference, through_hash, rules, data) rows in the standing cache. Best effort, as a cache
        should be: another process writing, or a read-only journal, leaves the cache as it was (False)."""
        rows = list(rows)
        if not rows or self._transaction is not None:
            return False
        try:
            self._conn.execute("PRAGMA busy_timeout = 0")  # never make `status` wait for a writer
            with self._write():
                self._conn.executemany("INSERT OR REPLACE INTO standing (reference, through_hash, rules, data) "
                                       "VALUES (?, ?, ?, ?)", rows)
        except (JournalError, sqlite3.Error):
            return False
        finally:
            self._conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        return True


    def _drop_standings(self) -> str | None:
        """Empty the standing cache (verify: see the module's docstring). A warning if it could not be done."""
        try:
            if self._conn.execute("SELECT 1 FROM standing LIMIT 1").fetchone() is None:
                return None
            with self._errors(), self._write():
                self._conn.execute("DELETE FROM standing")
        except (JournalError, sqlite3.Error) as exc:
            return (f"the cached standings could not be cleared ({exc}); `status` keeps using them until their "
                    "requests change")
        return None
