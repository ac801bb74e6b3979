"""An open journal's connection: opening and migrating it, transactions (snapshot, write), SQLite's errors as
one line, and reading requests and events. The writing, checking, exporting and caching parts are
mixins over this core (objector.journal.store puts them together).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, Self

from ..clock import now_utc
from ..errors import JournalError, NotFoundError
from .records import (
    EVENT_COLUMNS,
    REQUEST_COLUMNS,
    Event,
    JournalLostError,
    Request,
    event_from_row,
    evidence_dir,
    journal_path,
    request_from_row,
)
from .schema import (
    BUSY_TIMEOUT_MS,
    MIGRATIONS,
    SCHEMA_VERSION,
    check_header,
    create_journal,
    evidence_predates,
    refuse_lost,
    switch_to_wal,
)

# SQLite's quick_check reads every page: about 4 ms a MiB (37 ms for 10,000 requests). Beyond this size (some
# 35,000 requests) the commands check the head alone and leave the page-by-page check to `objector verify`.
QUICK_CHECK_MAX_BYTES = 32 * 2**20
_CHECKED: set[tuple] = set()  # files checked by this process, as they were (a batch opens the journal per letter)


def _identity(path: Path, full: bool) -> tuple:
    """The journal file and its write-ahead log as they are now: any write changes it, and so the check is redone."""
    def stat(p: Path) -> tuple:
        try:
            found = p.stat()
        except OSError:
            return ()
        return (found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns)

    main = stat(path)
    return (str(path), full, main[:2], main[2] if main else 0, main[3:], stat(Path(f"{path}-wal")))


class JournalCore:
    """An open journal connection and its reads. Use ``with Journal.open() as journal: ...``."""


    def __init__(self, conn: sqlite3.Connection, path: Path | None):
        self._conn = conn
        self.path = path  # None: no journal file yet (an empty, read-only view)
        self._transaction: str | None = None  # None, "read" (snapshot) or "write"


    @classmethod
    def open(cls, path: Path | str | None = None, *, create: bool = True, check: bool = True) -> Self:
        """Open the journal at ``path`` (default: data_dir()/journal.sqlite3), creating it if needed.

        With ``create=False`` a missing journal is not created: an empty in-memory journal stands in,
        so that reading commands (status, export) work and write nothing.

        ``check`` (all but `verify`, which checks everything itself): damage is reported before anything is
        read (check_damage): exit 7, never a table that silently leaves out what was lost.
        """
        path = Path(path) if path is not None else journal_path()
        if not path.exists():
            refuse_lost(path)  # evidence without its journal: the journal was deleted, never start a new one
            if not create:
                conn = sqlite3.connect(":memory:", isolation_level=None)
                journal = cls(conn, None)
                journal._migrate()
                return journal
            create_journal(path, lambda conn: cls(conn, path)._migrate())
        elif path.is_dir():
            raise JournalError(f"the journal {path} is a directory, not a file")
        else:
            check_header(path)  # SQLite would take a file of a few bytes for an empty database and write over it
        try:
            conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        except sqlite3.Error as exc:
            raise JournalError(f"cannot open the journal {path}: {exc}") from exc
        journal = cls(conn, path)
        try:
            with journal._errors():
                conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                if journal._schema_version() and check:  # reads the file: a damaged one fails here, before any write
                    journal.check_damage(full=not create)
                if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    switch_to_wal(conn)
                conn.execute("PRAGMA synchronous = FULL")
                conn.execute("PRAGMA foreign_keys = ON")
                journal._migrate()
        except BaseException:
            conn.close()
            raise
        return journal


    def close(self) -> None:
        self._conn.close()


    def __enter__(self) -> Self:
        return self


    def __exit__(self, *exc_info: object) -> None:
        self.close()


    @property
    def evidence_dir(self) -> Path:
        return evidence_dir(self.path) if self.path is not None else evidence_dir()


    def evidence_path(self, sha256: str) -> Path:
        return self.evidence_dir / sha256


    def _schema_version(self) -> int:
        tables = {row[0] for row in self._conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "schema_version" not in tables:
            if tables:
                raise JournalError(f"{self._where()} is an SQLite database but not an objector journal; "
                                   "it was left untouched")
            return 0
        version = self._conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] or 0
        if version > SCHEMA_VERSION:
            raise JournalError(
                f"the journal {self._where()} was written by a newer objector (schema {version}; this one knows "
                f"up to {SCHEMA_VERSION}); it was left untouched",
                hint="upgrade objector",
            )
        return version


    def _migrate(self) -> None:
        if self._schema_version() == SCHEMA_VERSION:
            return
        with self._write():
            version = self._schema_version()  # again, under the write lock: another process may have done it
            for target in range(version + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[target]:
                    self._conn.execute(statement)
                self._conn.execute("INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
                                   (target, now_utc()))


    def check_damage(self, *, full: bool = True) -> None:
        """Refuse a journal that is damaged or has lost records, in one line (JournalError, exit 7).

        Cheap, on every open: the chain head is readable, no event past it is missing (rows deleted), and a
        journal without events has no evidence that its records once covered (every row deleted beside the
        evidence). ``full`` (the commands that read the journal to show or decide something) adds SQLite's
        quick_check of every page (a flipped bit), for a journal up to QUICK_CHECK_MAX_BYTES; a larger one
        gets it from `objector verify`. Done once per process for the file as it is."""
        assert self.path is not None
        identity = _identity(self.path, full)
        if identity in _CHECKED:
            return
        with self._errors():
            if full and identity[3] <= QUICK_CHECK_MAX_BYTES:
                found = [" ".join(row[0].split()) for row in self._conn.execute("PRAGMA quick_check(3)")]
                if found != ["ok"]:
                    raise JournalError(f"the journal {self.path} is damaged ({'; '.join(found)}); it was left untouched",
                                       hint="restore it from a backup or an export; the evidence folder keeps the "
                                       "letters and proof, do not delete it")
            head, last, any_request = self._conn.execute(  # one statement: one consistent view
                "SELECT (SELECT value FROM meta WHERE key = 'head_seq'), (SELECT max(seq) FROM events), "
                "EXISTS (SELECT 1 FROM requests)").fetchone()
        try:
            head = int(head)
        except (TypeError, ValueError):
            raise JournalError(f"the journal {self.path} has lost its chain head (meta table); "
                               "run `objector verify`") from None
        last = last or 0
        keep = ("restore it from a backup or an export; keep the evidence folder, it holds the letters and proof "
                "the records covered")
        if head > last:
            raise JournalLostError(f"the journal {self.path} has lost records: its chain ends at event #{head} but "
                                   f"the last event left is #{last}; it was left untouched", hint=keep)
        if last > head:
            raise JournalError(f"the journal {self.path} is damaged: event #{last} lies past its chain head "
                               f"(#{head}); it was left untouched", hint="`objector verify` names what changed")
        if last == 0 and (any_request or (evidence_predates(self.path) and not self._events_after_writers())):
            what = "requests without events" if any_request else f"no records, but its evidence folder {self.evidence_dir} is not empty"
            raise JournalLostError(f"the journal {self.path} holds {what}: its records were lost; it was left "
                                   "untouched", hint=keep)
        _CHECKED.add(identity)


    def _events_after_writers(self) -> bool:
        """Whether the journal holds events once every writer under way has finished. Another process's first
        letter keeps its copy, then commits; SQLite writes the commit to the -wal (moving its mtime past the
        copy's) before readers can see it, so evidence that seems to predate an empty journal is asked about
        again under the write lock, which waits for that commit. A read-only journal is asked as it is."""
        query = "SELECT EXISTS (SELECT 1 FROM events)"
        try:
            with self._write():
                return bool(self._conn.execute(query).fetchone()[0])
        except JournalError:
            with self._errors():
                return bool(self._conn.execute(query).fetchone()[0])


    def _where(self) -> str:
        return str(self.path) if self.path is not None else "(empty journal)"


    @contextmanager
    def _errors(self) -> Iterator[None]:
        """SQLite's errors as JournalError (exit 7), in one line."""
        try:
            yield
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise JournalError(f"the journal {self._where()} is locked by another objector process; "
                                   "try again") from exc
            raise JournalError(f"the journal {self._where()} cannot be used: {exc}") from exc
        except (sqlite3.ProgrammingError, sqlite3.InterfaceError):
            raise  # a bug, not the file's fault
        except sqlite3.IntegrityError as exc:
            raise JournalError(f"the journal {self._where()} refused the change: {exc}; nothing was recorded") from exc
        except sqlite3.DatabaseError as exc:
            what = "is not a journal (not an SQLite database)" if "not a database" in str(exc) else f"is damaged ({exc})"
            raise JournalError(f"the journal {self._where()} {what}; it was left untouched",
                               hint="restore it from a backup or an export, or move it away") from exc


    @contextmanager
    def snapshot(self) -> Iterator[Self]:
        """Read several tables as of one moment, while other processes may be writing. No writes inside."""
        if self._transaction is not None:
            yield self
            return
        with self._errors():
            self._conn.execute("BEGIN")
        self._transaction = "read"
        try:
            yield self
        finally:
            self._transaction = None
            try:
                self._conn.execute("COMMIT")
            except sqlite3.Error:
                pass


    @contextmanager
    def transaction(self) -> Iterator[Self]:
        """Group several writes in one transaction: all of them are recorded, or none."""
        with self._write():
            yield self


    @contextmanager
    def _write(self) -> Iterator[None]:
        if self._transaction == "write":
            yield
            return
        if self._transaction == "read":
            raise RuntimeError("a journal snapshot is read-only")  # a bug: writes need BEGIN IMMEDIATE
        with self._errors():
            self._conn.execute("BEGIN IMMEDIATE")
        self._transaction = "write"
        try:
            yield
        except BaseException:
            try:
                self._conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            raise
        else:
            with self._errors():
                self._conn.execute("COMMIT")
        finally:
            self._transaction = None


    def _head(self) -> tuple[int, str]:
        rows = dict(self._conn.execute("SELECT key, value FROM meta WHERE key IN ('head_seq', 'head_hash')"))
        try:
            return int(rows["head_seq"]), rows["head_hash"]
        except (KeyError, ValueError) as exc:
            raise JournalError(f"the journal {self._where()} has lost its chain head (meta table); "
                               "run `objector verify`") from exc


    def head(self) -> tuple[int, str]:
        """The chain head: the number and hash of the journal's latest event ((0, GENESIS) when it has none)."""
        with self._errors():
            return self._head()


    def get_request(self, reference: str) -> Request:
        with self._errors():
            row = self._conn.execute(f"SELECT {', '.join(REQUEST_COLUMNS)} FROM requests WHERE reference = ?",
                                     (reference,)).fetchone()
        if row is None:
            about = self._complained_of(reference)
            if about is not None:  # a complaint's own reference, as `complaint` prints it
                raise NotFoundError(f"{reference} is the complaint about {about}, not a request: "
                                    f"`objector show {about}` shows it on that request's timeline")
            raise NotFoundError(f"no request {reference} in the journal", hint="`objector status --all` lists them")
        return request_from_row(row)


    def _complained_of(self, reference: str) -> str | None:
        """The request a complaint reference (CMP-...) was written about, if the journal noted one."""
        if not reference.startswith("CMP-"):
            return None
        with self._errors():
            row = self._conn.execute("SELECT reference FROM events WHERE json_extract(data, '$.complaint.reference') = ?"
                                     " LIMIT 1", (reference,)).fetchone()
        return row[0] if row else None


    def requests(self) -> list[Request]:
        with self._errors():
            rows = self._conn.execute(
                f"SELECT {', '.join(REQUEST_COLUMNS)} FROM requests ORDER BY created_on, reference").fetchall()
        dates: dict[str, date] = {}  # few distinct days: parse each once
        loads = json.loads
        try:
            return [Request(reference, kind, controller, law, language, region, loads(inputs), sha256, document,
                            dates.get(created_on) or dates.setdefault(created_on, date.fromisoformat(created_on)))
                    for reference, kind, controller, law, language, region, inputs, sha256, document, created_on
                    in rows]
        except (TypeError, ValueError):
            for row in rows:
                request_from_row(row)  # names the unreadable request
            raise


    def events(self, reference: str | None = None, *, timeline_only: bool = False,
               notes_only: bool = False) -> list[Event]:
        """Events in journal order; `timeline_only` leaves out notes, which never affect a deadline;
        `notes_only` gives the notes alone (reminders and complaints are noted there)."""
        query = f"SELECT {', '.join(EVENT_COLUMNS)} FROM events WHERE 1"
        args: tuple[Any, ...] = ()
        if reference is not None:
            query += " AND reference = ?"
            args = (reference,)
        if timeline_only:
            query += " AND type != 'note'"
        if notes_only:
            query += " AND type = 'note'"
        with self._errors():
            rows = self._conn.execute(query + " ORDER BY seq", args).fetchall()
        return [event_from_row(row) for row in rows]


    def events_by_reference(self, *, timeline_only: bool = False) -> dict[str, list[Event]]:
        """Every event grouped by request, in journal order: one query, each row turned into an Event with
        no per-row dictionaries (`status` reads 30,000 events of 10,000 requests this way)."""
        query = f"SELECT {', '.join(EVENT_COLUMNS)} FROM events"
        if timeline_only:
            query += " WHERE type != 'note'"
        with self._errors():
            rows = self._conn.execute(query + " ORDER BY seq").fetchall()
        grouped: dict[str, list[Event]] = {}
        dates: dict[str, date] = {}  # a journal has few distinct days: parse each once
        loads = json.loads
        try:
            for seq, reference, type_, on, recorded_at, data, prev_hash, digest in rows:
                day = dates.get(on)
                if day is None:
                    day = dates[on] = date.fromisoformat(on)
                event = Event(seq, reference, type_, day, recorded_at, loads(data) if data != "{}" else {},
                              prev_hash, digest)
                group = grouped.get(reference)
                if group is None:
                    grouped[reference] = [event]
                else:
                    group.append(event)
        except (TypeError, ValueError):
            self.events(timeline_only=timeline_only)  # names the unreadable event
            raise
        return grouped


    def count(self) -> tuple[int, int]:
        """(requests, events)."""
        with self._errors():
            requests = self._conn.execute("SELECT count(*) FROM requests").fetchone()[0]
            events = self._conn.execute("SELECT count(*) FROM events").fetchone()[0]
        return requests, events
