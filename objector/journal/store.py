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
recomputed as well. To pin the journal's state for others, keep the head hash ``verify`` prints (or an
export) somewhere else, e.g. in an e-mail to yourself.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import os
import sqlite3
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from json.encoder import encode_basestring as _json_text  # the string encoder of ensure_ascii=False
from pathlib import Path
from typing import Any, BinaryIO

from ..clock import now_utc
from ..clock import today as clock_today
from ..errors import InputError, JournalError, NotFoundError, OutputError, TamperedError
from ..paths import PRIVATE_FILE_MODE, atomic_write, data_dir, ensure_private_dir, read_user_text

__all__ = [
    "JOURNAL_NAME",
    "SCHEMA_VERSION",
    "Evidence",
    "Event",
    "Request",
    "Journal",
    "VerifyReport",
    "ImportReport",
    "journal_path",
    "evidence_dir",
]

JOURNAL_NAME = "journal.sqlite3"
EVIDENCE_DIRNAME = "evidence"
SCHEMA_VERSION = 2
EXPORT_FORMAT = "objector-journal"
EXPORT_VERSION = 1
GENESIS = "0" * 64
_SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 30_000

# Migrations: version → statements that bring a journal from version-1 to version. Never edit a
# released step; add the next one.
MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        "CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at TEXT NOT NULL)",
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """CREATE TABLE requests (
            reference TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            controller TEXT NOT NULL,
            law TEXT NOT NULL,
            language TEXT NOT NULL,
            region TEXT NOT NULL,
            inputs TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            document TEXT NOT NULL,
            created_on TEXT NOT NULL
        )""",
        """CREATE TABLE events (
            seq INTEGER PRIMARY KEY,
            reference TEXT NOT NULL REFERENCES requests(reference),
            type TEXT NOT NULL,
            on_date TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            data TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        )""",
        "CREATE INDEX events_by_reference ON events (reference, seq)",
        f"INSERT INTO meta (key, value) VALUES ('head_seq', '0'), ('head_hash', '{GENESIS}')",
    ),
    # The standing cache (see "The standing cache" below): derived, disposable, outside the chain.
    2: (
        """CREATE TABLE standing (
            reference TEXT PRIMARY KEY,
            through_hash TEXT NOT NULL,
            rules TEXT NOT NULL,
            data TEXT NOT NULL
        )""",
    ),
}

# Every event type a journal holds; an import naming another is refused (the timeline could not fold it).
EVENT_TYPES = ("drafted", "sent", "confirmed", "reply", "supplied", "note", "reminder", "discarded")

_REQUEST_COLUMNS = ("reference", "kind", "controller", "law", "language", "region", "inputs", "sha256",
                    "document", "created_on")
_EVENT_COLUMNS = ("seq", "reference", "type", "on_date", "recorded_at", "data", "prev_hash", "hash")
_REQUEST_KEYS = tuple(sorted(_REQUEST_COLUMNS))


class JournalLostError(JournalError):
    """The journal's records are gone (deleted, or truncated to nothing) while what they covered remains.

    Every command that opens the journal stops with exit 7; `verify` reports it as tampering (exit 8)."""


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Evidence:
    sha256: str
    name: str  # the file's original name
    size: int

    def to_dict(self) -> dict[str, Any]:
        return {"sha256": self.sha256, "name": self.name, "size": self.size}


@dataclass(frozen=True)
class Request:
    reference: str
    kind: str
    controller: str
    law: str
    language: str
    region: str
    inputs: dict[str, Any]
    sha256: str
    document: str
    created_on: date

    def to_dict(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "kind": self.kind,
            "controller": self.controller,
            "law": self.law,
            "language": self.language,
            "region": self.region,
            "inputs": self.inputs,
            "sha256": self.sha256,
            "document": self.document,
            "created_on": self.created_on.isoformat(),
        }


@dataclass(frozen=True)
class Event:
    seq: int
    reference: str
    type: str  # drafted | sent | confirmed | reply | supplied | note | reminder | discarded
    on: date
    recorded_at: str  # UTC, ISO 8601
    data: dict[str, Any] = field(default_factory=dict)
    prev_hash: str = GENESIS
    hash: str = ""

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        return tuple(Evidence(e["sha256"], e["name"], e["size"]) for e in self.data.get("evidence", ()))

    def to_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "reference": self.reference,
            "type": self.type,
            "on": self.on.isoformat(),
            "recorded_at": self.recorded_at,
            "data": self.data,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }


@dataclass(frozen=True)
class VerifyReport:
    requests: int
    events: int
    evidence_files: int
    head_seq: int
    head_hash: str
    problems: tuple[str, ...]  # altered, removed or added: the journal cannot be trusted as it is
    warnings: tuple[str, ...] = ()  # harmless leftovers, e.g. an evidence copy from an interrupted `log`

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "requests": self.requests, "events": self.events,
                "evidence_files": self.evidence_files, "head": {"seq": self.head_seq, "hash": self.head_hash},
                "problems": list(self.problems), "warnings": list(self.warnings)}


@dataclass(frozen=True)
class ImportReport:
    requests: int
    events: int
    evidence_files: int
    verbatim: bool  # True: rows copied as they were (empty journal); False: appended to this journal's chain


# --------------------------------------------------------------------------- hashing


# json.dumps with these options builds a new encoder on every call; `verify` encodes 40,000 values.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode


def canonical_json(value: Any) -> str:
    """One text for one value: sorted keys, no spaces, UTF-8 kept. Raises TypeError if not JSON-able."""
    return _CANONICAL(value)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# `verify` hashes every row (40,000 for 10,000 requests): the rows' flat objects are written directly, key
# order sorted, each text value by json's own string encoder, so the text is canonical_json's (tested).
# A value of another type (a row tampered with) goes through canonical_json itself.


def request_hash(row: Mapping[str, Any]) -> str:
    """Hash of a requests row as stored (text columns, inputs as its stored JSON text)."""
    if all(type(row[column]) is str for column in _REQUEST_KEYS):
        text = "{" + ",".join([f'"{column}":{_json_text(row[column])}' for column in _REQUEST_KEYS]) + "}"
    else:
        text = canonical_json({column: row[column] for column in _REQUEST_KEYS})
    return _sha256(text)


def event_hash(seq: int, reference: str, type_: str, on: str, recorded_at: str, data: str, prev_hash: str) -> str:
    """Hash of an events row as stored (`data` is its stored JSON text)."""
    if (type(seq) is int and type(reference) is str and type(type_) is str and type(on) is str
            and type(recorded_at) is str and type(data) is str and type(prev_hash) is str):
        text = (f'{{"data":{_json_text(data)},"on":{_json_text(on)},"prev":{_json_text(prev_hash)},'
                f'"recorded_at":{_json_text(recorded_at)},"reference":{_json_text(reference)},"seq":{seq},'
                f'"type":{_json_text(type_)}}}')
    else:
        text = canonical_json({"seq": seq, "reference": reference, "type": type_, "on": on,
                               "recorded_at": recorded_at, "data": data, "prev": prev_hash})
    return _sha256(text)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --------------------------------------------------------------------------- locations


def journal_path() -> Path:
    return data_dir() / JOURNAL_NAME


def evidence_dir(journal_file: Path | None = None) -> Path:
    """Evidence lives beside the journal file: <dir>/evidence/<sha256>."""
    return (journal_file or journal_path()).parent / EVIDENCE_DIRNAME


# --------------------------------------------------------------------------- the journal


class Journal:
    """An open journal. Use ``with Journal.open() as journal: ...``."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None):
        self._conn = conn
        self.path = path  # None: no journal file yet (an empty, read-only view)
        self._transaction: str | None = None  # None, "read" (snapshot) or "write"

    # ----------------------------------------------------------------- opening

    @classmethod
    def open(cls, path: Path | str | None = None, *, create: bool = True) -> Journal:
        """Open the journal at ``path`` (default: data_dir()/journal.sqlite3), creating it if needed.

        With ``create=False`` a missing journal is not created: an empty in-memory journal stands in,
        so that reading commands (status, export) work and write nothing.
        """
        path = Path(path) if path is not None else journal_path()
        if not path.exists():
            _refuse_lost(path)  # evidence without its journal: the journal was deleted, never start a new one
            if not create:
                conn = sqlite3.connect(":memory:", isolation_level=None)
                journal = cls(conn, None)
                journal._migrate()
                return journal
            _create_journal(path)
        elif path.is_dir():
            raise JournalError(f"the journal {path} is a directory, not a file")
        else:
            _check_header(path)  # SQLite would take a file of a few bytes for an empty database and write over it
        try:
            conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        except sqlite3.Error as exc:
            raise JournalError(f"cannot open the journal {path}: {exc}") from exc
        journal = cls(conn, path)
        try:
            with journal._errors():
                conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                journal._schema_version()  # reads the file: a damaged one fails here, before any write
                if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    _switch_to_wal(conn)
                conn.execute("PRAGMA synchronous = FULL")
                conn.execute("PRAGMA foreign_keys = ON")
                journal._migrate()
        except BaseException:
            conn.close()
            raise
        return journal

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def evidence_dir(self) -> Path:
        return evidence_dir(self.path) if self.path is not None else evidence_dir()

    def evidence_path(self, sha256: str) -> Path:
        return self.evidence_dir / sha256

    # ----------------------------------------------------------------- schema

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

    # ----------------------------------------------------------------- transactions and errors

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
    def snapshot(self) -> Iterator[Journal]:
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
    def transaction(self) -> Iterator[Journal]:
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

    # ----------------------------------------------------------------- reading

    def get_request(self, reference: str) -> Request:
        with self._errors():
            row = self._conn.execute(f"SELECT {', '.join(_REQUEST_COLUMNS)} FROM requests WHERE reference = ?",
                                     (reference,)).fetchone()
        if row is None:
            about = self._complained_of(reference)
            if about is not None:  # a complaint's own reference, as `complaint` prints it
                raise NotFoundError(f"{reference} is the complaint about {about}, not a request: "
                                    f"`objector show {about}` shows it on that request's timeline")
            raise NotFoundError(f"no request {reference} in the journal", hint="`objector status --all` lists them")
        return _request_from_row(row)

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
                f"SELECT {', '.join(_REQUEST_COLUMNS)} FROM requests ORDER BY created_on, reference").fetchall()
        dates: dict[str, date] = {}  # few distinct days: parse each once
        loads = json.loads
        try:
            return [Request(reference, kind, controller, law, language, region, loads(inputs), sha256, document,
                            dates.get(created_on) or dates.setdefault(created_on, date.fromisoformat(created_on)))
                    for reference, kind, controller, law, language, region, inputs, sha256, document, created_on
                    in rows]
        except (TypeError, ValueError):
            for row in rows:
                _request_from_row(row)  # names the unreadable request
            raise

    def events(self, reference: str | None = None, *, timeline_only: bool = False,
               notes_only: bool = False) -> list[Event]:
        """Events in journal order; `timeline_only` leaves out notes, which never affect a deadline;
        `notes_only` gives the notes alone (reminders and complaints are noted there)."""
        query = f"SELECT {', '.join(_EVENT_COLUMNS)} FROM events WHERE 1"
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
        return [_event_from_row(row) for row in rows]

    def events_by_reference(self, *, timeline_only: bool = False) -> dict[str, list[Event]]:
        """Every event grouped by request, in journal order: one query, each row turned into an Event with
        no per-row dictionaries (`status` reads 30,000 events of 10,000 requests this way)."""
        query = f"SELECT {', '.join(_EVENT_COLUMNS)} FROM events"
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

    def standings(self, rules: str) -> list[tuple[Request, str | None, str | None]]:
        """Every request (in no particular order, *without its inputs*: an empty dict), the hash of its last
        event (None: it has none), and its cached standing's JSON if that was computed through that event
        with these ``rules`` (else None: fold it again). One query; `status` reads 10,000 requests this way."""
        query = f"""SELECT {', '.join('r.' + c for c in _REQUEST_COLUMNS if c != 'inputs')}, last.hash,
                           CASE WHEN s.through_hash = last.hash AND s.rules = ? THEN s.data END
                    FROM requests AS r
                    LEFT JOIN events AS last ON last.seq = (SELECT max(seq) FROM events WHERE reference = r.reference)
                    LEFT JOIN standing AS s ON s.reference = r.reference"""
        with self._errors():
            rows = self._conn.execute(query, (rules,)).fetchall()
        dates: dict[str, date] = {}
        out = []
        try:
            for reference, kind, controller, law, language, region, sha256, document, created_on, last, data in rows:
                day = dates.get(created_on)
                if day is None:
                    day = dates[created_on] = date.fromisoformat(created_on)
                out.append((Request(reference, kind, controller, law, language, region, {}, sha256, document, day),
                            last, data))
        except (TypeError, ValueError):
            self.requests()  # names the unreadable request
            raise
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

    def count(self) -> tuple[int, int]:
        """(requests, events)."""
        with self._errors():
            requests = self._conn.execute("SELECT count(*) FROM requests").fetchone()[0]
            events = self._conn.execute("SELECT count(*) FROM events").fetchone()[0]
        return requests, events

    # ----------------------------------------------------------------- writing

    def add_request(self, *, reference: str, kind: str, controller: str, law: str, language: str, region: str = "",
                    inputs: Mapping[str, Any], sha256: str, document: str, created_on: date,
                    letter: bytes | None = None) -> Request:
        """Record a new letter and its `drafted` event. A reference already in the journal → JournalError.

        ``letter``: the document's bytes, kept as the drafted event's evidence (evidence/<sha256>), so the
        letter that was sent is exported and verified like any other proof. A request made without a letter
        (`objector record`) has ``document`` and ``sha256`` empty and its event says so."""
        from ..law.deadlines import LAWS

        if law not in LAWS:
            raise InputError(f"unknown law {law!r}: expected one of {', '.join(LAWS)}")
        if not isinstance(created_on, date):
            raise TypeError("created_on must be a datetime.date")
        try:
            inputs_text = canonical_json(dict(inputs))
        except (TypeError, ValueError) as exc:
            raise TypeError(f"the letter's inputs must be JSON-able: {exc}") from exc
        row = {"reference": reference, "kind": kind, "controller": controller, "law": law, "language": language,
               "region": region or "", "inputs": inputs_text, "sha256": sha256, "document": document,
               "created_on": created_on.isoformat()}
        event: dict[str, Any] = {"request": request_hash(row)}
        if not document:
            event["without_letter"] = True
        created: list[Path] = []
        if letter is not None:
            stored, created = self._store_evidence([(document, letter)])
            event["evidence"] = [e.to_dict() for e in stored]
        try:
            with self._errors(), self._write():
                if self._conn.execute("SELECT 1 FROM requests WHERE reference = ?", (reference,)).fetchone():
                    raise JournalError(f"the journal already has a request {reference}; nothing was recorded")
                self._conn.execute(f"INSERT INTO requests ({', '.join(_REQUEST_COLUMNS)}) VALUES "
                                   f"({', '.join('?' * len(_REQUEST_COLUMNS))})",
                                   tuple(row[c] for c in _REQUEST_COLUMNS))
                self._append(reference, "drafted", created_on, event)
        except BaseException:
            for path in created:
                path.unlink(missing_ok=True)
            raise
        return _request_from_row(tuple(row[c] for c in _REQUEST_COLUMNS))

    def add_event(self, reference: str, type_: str, on: date | None, data: Mapping[str, Any] | None = None, *,
                  evidence: Iterable[Path | str] = (), today: date | None = None) -> Event:
        """Append one event after checking it against the request's timeline (tracking.check_event).

        ``on=None`` means today, except for a `sent` event on a request already sent, where it keeps the
        sent date (and channel) already logged: `log sent REF --received-on DATE` adds the receipt date.
        Evidence files are copied into the evidence folder first; if the event is refused they are removed
        again (unless another event already had them). Bad input raises before anything is recorded.
        """
        from ..text import check_text
        from ..tracking import timeline as tracking

        today = today or clock_today()
        for key in ("note", "via", "outcome"):
            if isinstance((data or {}).get(key), str):
                check_text(key, data[key])  # type: ignore[index]
        files = [Path(p) for p in evidence]
        for path in files:
            if not path.is_file():
                raise NotFoundError(f"evidence file {path} not found; nothing was recorded")
        self.get_request(reference)  # an unknown reference fails before any file is copied
        stored, created = self._store_evidence(files)
        try:
            with self._errors(), self._write():
                request = self.get_request(reference)
                events = self.events(reference, timeline_only=True)
                on, payload = tracking.check_event(request, events, type_, on, dict(data or {}), today)
                if stored:
                    payload["evidence"] = [e.to_dict() for e in stored]
                event = self._append(reference, type_, on, payload)
        except BaseException:
            for path in created:
                path.unlink(missing_ok=True)
            raise
        return event

    # Convenience wrappers with the CLI's vocabulary.

    def log_sent(self, reference: str, *, on: date | None = None, via: str | None = None,
                 received_on: date | None = None, evidence: Iterable[Path | str] = (),
                 today: date | None = None, before_draft: bool = False) -> Event:
        """``before_draft``: the person says it was sent before the letter's date (e.g. in the app)."""
        data: dict[str, Any] = {"before_draft": True} if before_draft else {}
        if via is not None:
            data["via"] = via
        if received_on is not None:
            data["received_on"] = received_on.isoformat()
        return self.add_event(reference, "sent", on, data, evidence=evidence, today=today)

    def log_confirmed(self, reference: str, *, on: date | None = None, received_on: date | None = None,
                      evidence: Iterable[Path | str] = (), today: date | None = None) -> Event:
        data = {"received_on": received_on.isoformat()} if received_on is not None else {}
        return self.add_event(reference, "confirmed", on, data, evidence=evidence, today=today)

    def log_reply(self, reference: str, *, outcome: str, on: date | None = None, note: str | None = None,
                  evidence: Iterable[Path | str] = (), today: date | None = None) -> Event:
        data: dict[str, Any] = {"outcome": outcome}
        if note:
            data["note"] = note
        return self.add_event(reference, "reply", on, data, evidence=evidence, today=today)

    def log_supplied(self, reference: str, *, on: date | None = None, note: str | None = None,
                     evidence: Iterable[Path | str] = (), today: date | None = None) -> Event:
        data = {"note": note} if note else {}
        return self.add_event(reference, "supplied", on, data, evidence=evidence, today=today)

    def log_note(self, reference: str, text: str, *, on: date | None = None, evidence: Iterable[Path | str] = (),
                 today: date | None = None) -> Event:
        return self.add_event(reference, "note", on, {"note": text}, evidence=evidence, today=today)

    def log_reminder(self, reference: str, text: str, *, on: date, respond_by: date, today: date | None = None,
                     document: str | None = None, sha256: str | None = None) -> Event:
        """A reminder was written (`objector followup`): its last time limit is tracked from now on."""
        data: dict[str, str | None] = {"note": text, "respond_by": respond_by.isoformat()}
        if document:
            data |= {"document": document, "sha256": sha256}
        return self.add_event(reference, "reminder", on, data, today=today)

    def discard(self, reference: str, *, note: str | None = None, today: date | None = None) -> Event:
        """Mark a draft that was never sent as discarded: it stays in the chain, out of the requests."""
        return self.add_event(reference, "discarded", None, {"note": note} if note else {}, today=today)

    def _append(self, reference: str, type_: str, on: date, data: Mapping[str, Any],
                recorded_at: str | None = None) -> Event:
        """Add one event at the head of the chain. Must run inside _write()."""
        assert self._transaction == "write"
        head_seq, head_hash = self._head()
        seq = head_seq + 1
        recorded_at = recorded_at or now_utc()
        data_text = canonical_json(dict(data))
        digest = event_hash(seq, reference, type_, on.isoformat(), recorded_at, data_text, head_hash)
        self._conn.execute(f"INSERT INTO events ({', '.join(_EVENT_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           (seq, reference, type_, on.isoformat(), recorded_at, data_text, head_hash, digest))
        self._set_head(seq, digest)
        return Event(seq, reference, type_, on, recorded_at, json.loads(data_text), head_hash, digest)

    def _set_head(self, seq: int, digest: str) -> None:
        self._conn.execute("UPDATE meta SET value = ? WHERE key = 'head_seq'", (str(seq),))
        self._conn.execute("UPDATE meta SET value = ? WHERE key = 'head_hash'", (digest,))

    # ----------------------------------------------------------------- evidence

    def _store_evidence(self, files: Sequence[Path | tuple[str, bytes]]) -> tuple[list[Evidence], list[Path]]:
        """Copy files (or (name, bytes) already in memory) into evidence/<sha256> (0600).

        Returns their records and the files newly created."""
        stored: list[Evidence] = []
        created: list[Path] = []
        if not files:
            return stored, created
        if self.path is None:
            raise JournalError("no journal yet: record a letter first")
        directory = ensure_private_dir(self.evidence_dir)
        try:
            for source in files:
                if isinstance(source, tuple):  # (name, bytes) already in memory: the letter just written
                    name, content = source
                    digest, size = hashlib.sha256(content).hexdigest(), len(content)
                    new = _write_evidence(directory / digest, content)
                else:  # a file of the person's, of any size: streamed
                    name = source.name
                    digest, size, new = _copy_evidence(source, directory)
                if new:
                    created.append(directory / digest)
                stored.append(Evidence(digest, name, size))
        except OSError as exc:
            for path in created:
                path.unlink(missing_ok=True)
            raise InputError(f"cannot copy the evidence file: {exc.strerror or exc}; nothing was recorded") from exc
        return stored, created

    # ----------------------------------------------------------------- verification

    def verify(self) -> VerifyReport:
        """Check the file, the hash chain, the requests it covers and every evidence file."""
        problems: list[str] = []
        with self._errors(), self.snapshot():
            check = [row[0] for row in self._conn.execute("PRAGMA integrity_check")]
            if check != ["ok"]:
                raise JournalError(f"the journal {self._where()} is damaged: {'; '.join(check[:3])}",
                                   hint="restore it from a backup or an export")
            requests = {row[0]: dict(zip(_REQUEST_COLUMNS, row, strict=True)) for row in self._conn.execute(
                f"SELECT {', '.join(_REQUEST_COLUMNS)} FROM requests")}
            rows = [dict(zip(_EVENT_COLUMNS, row, strict=True)) for row in self._conn.execute(
                f"SELECT {', '.join(_EVENT_COLUMNS)} FROM events ORDER BY seq")]
            try:
                head_seq, head_hash = self._head()
            except JournalError:
                problems.append("the chain head (meta table) was altered or removed")
                head_seq, head_hash = (rows[-1]["seq"], rows[-1]["hash"]) if rows else (0, GENESIS)
        problems += _check_chain(rows, head_seq, head_hash)
        problems += _check_requests(rows, requests)
        referenced, evidence_problems, warnings = self._check_evidence(rows)
        problems += evidence_problems
        if self._transaction is None and self.path is not None:
            dropped = self._drop_standings()  # `status` folds the checked events afresh
            if dropped:
                warnings.append(dropped)
        return VerifyReport(len(requests), len(rows), len(referenced), head_seq, head_hash, tuple(problems),
                            tuple(warnings))

    def _check_evidence(self, rows: list[dict[str, Any]]) -> tuple[dict[str, str], list[str], list[str]]:
        problems: list[str] = []
        warnings: list[str] = []
        referenced: dict[str, str] = {}  # sha256 → "name (event #n)"
        for row in rows:
            for item in _evidence_items(row):
                referenced.setdefault(item["sha256"], f"{item['name']} (event #{row['seq']})")
        directory = self.evidence_dir
        for digest, label in referenced.items():
            path = directory / digest
            if not path.is_file():
                problems.append(f"evidence file {label} removed: {EVIDENCE_DIRNAME}/{digest} is missing")
            elif file_sha256(path) != digest:
                problems.append(f"evidence file {label} altered: {EVIDENCE_DIRNAME}/{digest} no longer matches its hash")
        if directory.is_dir():
            for path in sorted(directory.iterdir()):
                if path.name in referenced:
                    continue
                if path.name.startswith(".") and path.name.endswith(".tmp"):
                    warnings.append(f"{EVIDENCE_DIRNAME}/{path.name} is a partial copy left by an interrupted "
                                    "`objector log`; it may be deleted")
                elif path.is_file() and file_sha256(path) == path.name:
                    # A complete copy whose event was never committed (the process was stopped in between).
                    warnings.append(f"{EVIDENCE_DIRNAME}/{path.name} is not referenced by any event (left by an "
                                    "interrupted `objector log`?); it changes no record and may be deleted")
                else:
                    problems.append(f"evidence file {EVIDENCE_DIRNAME}/{path.name} added: no event refers to it")
        return referenced, problems, warnings

    # ----------------------------------------------------------------- export and import

    def export_data(self, *, include_evidence: bool = True) -> dict[str, Any]:
        """Everything in the journal as one JSON-able dict (evidence files base64-encoded)."""
        with self._errors(), self.snapshot():
            head_seq, head_hash = self._head()
            requests = [r.to_dict() for r in self.requests()]
            events = [e.to_dict() for e in self.events()]
        data: dict[str, Any] = {
            "format": EXPORT_FORMAT,
            "format_version": EXPORT_VERSION,
            "schema_version": SCHEMA_VERSION,
            "exported_at": now_utc(),
            "head": {"seq": head_seq, "hash": head_hash},
            "requests": requests,
            "events": events,
        }
        if include_evidence:
            files: dict[str, str] = {}
            for event in events:
                for item in event["data"].get("evidence", ()):
                    path = self.evidence_path(item["sha256"])
                    if item["sha256"] not in files and path.is_file():
                        files[item["sha256"]] = base64.b64encode(path.read_bytes()).decode("ascii")
            data["evidence"] = files
        return data

    def export_json(self) -> bytes:
        out = io.BytesIO()
        self.write_json_export(out)
        return out.getvalue()

    def write_json_export(self, handle: BinaryIO) -> None:
        """Write the JSON export (export_data's content) to `handle`, each evidence file streamed in
        base64 a piece at a time: a journal with gigabytes of evidence exports in a few MiB of memory."""
        with self._errors(), self.snapshot():
            data = self.export_data(include_evidence=False)
        text = json.dumps(data, ensure_ascii=False, indent=1)
        handle.write(text[: text.rindex("}")].rstrip().encode("utf-8") + b',\n "evidence": {')
        digests = [d for d in dict.fromkeys(item["sha256"] for e in data["events"] for item in e["data"].get("evidence", ()))
                   if self.evidence_path(d).is_file()]
        for number, digest in enumerate(digests):
            handle.write(("," if number else "").encode("ascii") + f'\n  "{digest}": "'.encode("ascii"))
            with open(self.evidence_path(digest), "rb") as source:
                for chunk in iter(lambda: source.read(3 * EVIDENCE_CHUNK), b""):  # 3n bytes: base64 without padding
                    handle.write(base64.b64encode(chunk))
            handle.write(b'"')
        handle.write(b"\n }\n}\n" if digests else b"}\n}\n")

    def export_csv(self) -> bytes:
        """One row per event with its request's columns: for spreadsheets, and importable (no evidence bytes)."""
        with self.snapshot():
            requests = {r.reference: r for r in self.requests()}
            events = self.events()
        out = io.StringIO()
        # CRLF, as RFC 4180 has it: with "\n" as the terminator csv leaves a bare CR in a cell unquoted,
        # and the export could not be read back.
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        for event in events:
            request = requests.get(event.reference)
            row = {
                "seq": event.seq, "reference": event.reference, "type": event.type, "on": event.on.isoformat(),
                "recorded_at": event.recorded_at,
                "via": event.data.get("via", ""), "received_on": event.data.get("received_on", ""),
                "outcome": event.data.get("outcome", ""), "note": event.data.get("note", ""),
                "evidence": "; ".join(f"{e.name} ({e.sha256})" for e in event.evidence),
                "data": canonical_json(event.data), "prev_hash": event.prev_hash, "hash": event.hash,
            }
            if request is not None:
                row |= {"kind": request.kind, "controller": request.controller, "law": request.law,
                        "language": request.language, "region": request.region, "document": request.document,
                        "sha256": request.sha256, "created_on": request.created_on.isoformat(),
                        "inputs": canonical_json(request.inputs) if event.type == "drafted" else ""}
            writer.writerow([_spreadsheet_safe(row.get(column, "")) for column in CSV_COLUMNS])
        return out.getvalue().encode("utf-8")

    def import_file(self, path: Path) -> ImportReport:
        """Import a JSON or CSV export. Checks every hash; refuses references already in this journal."""
        text = read_user_text(path, "import")
        if text.lstrip().startswith("{"):
            data = _parse_json_export(text, path)
        else:
            data = _parse_csv_export(text, path)
        return self.import_data(data, source=str(path))

    def import_data(self, data: Mapping[str, Any], *, source: str = "the export") -> ImportReport:
        requests, events, evidence = _validate_export(data, source)
        # Evidence: every file an event names must come with the export or be here already.
        directory = self.evidence_dir
        missing = [d for d in _referenced(events) if d not in evidence
                   and not ((directory / d).is_file() and file_sha256(directory / d) == d)]
        if missing:
            raise InputError(f"{source} does not carry the evidence file {missing[0]}"
                             + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else "")
                             + "; nothing was imported",
                             hint="import the JSON export, which carries them, or copy the evidence folder first")
        if self.path is None:
            raise JournalError("no journal to import into")
        created: list[Path] = []
        try:
            if evidence:
                ensure_private_dir(directory)
                for digest, content in evidence.items():
                    if _write_evidence(directory / digest, content):
                        created.append(directory / digest)
            with self._errors(), self._write():
                duplicates = [r["reference"] for r in requests if self._conn.execute(
                    "SELECT 1 FROM requests WHERE reference = ?", (r["reference"],)).fetchone()]
                if duplicates:
                    raise InputError(f"{source}: {', '.join(duplicates[:5])}"
                                     + (f" and {len(duplicates) - 5} more" if len(duplicates) > 5 else "")
                                     + f" {'is' if len(duplicates) == 1 else 'are'} already in the journal; "
                                     "nothing was imported")
                for r in requests:
                    self._conn.execute(f"INSERT INTO requests ({', '.join(_REQUEST_COLUMNS)}) VALUES "
                                       f"({', '.join('?' * len(_REQUEST_COLUMNS))})",
                                       tuple(r[c] for c in _REQUEST_COLUMNS))
                head_seq, _ = self._head()
                verbatim = head_seq == 0 and not self._conn.execute("SELECT 1 FROM events LIMIT 1").fetchone()
                for e in events:
                    if verbatim:
                        self._conn.execute(
                            f"INSERT INTO events ({', '.join(_EVENT_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                            tuple(e[c] for c in _EVENT_COLUMNS))
                    else:  # this journal has its own chain: append, keeping every field but the links
                        self._append(e["reference"], e["type"], date.fromisoformat(e["on_date"]),
                                     json.loads(e["data"]), e["recorded_at"])
                if verbatim and events:
                    self._set_head(events[-1]["seq"], events[-1]["hash"])
        except BaseException:
            for path in created:
                path.unlink(missing_ok=True)
            raise
        return ImportReport(len(requests), len(events), len(_referenced(events)), verbatim)


CSV_COLUMNS = ("seq", "reference", "type", "on", "recorded_at", "via", "received_on", "outcome", "note", "evidence",
               "kind", "controller", "law", "language", "region", "document", "sha256", "created_on", "inputs",
               "data", "prev_hash", "hash")


# --------------------------------------------------------------------------- helpers


# A cell starting with one of these is a formula to a spreadsheet (CSV injection): `=HYPERLINK(...)` in a
# note would run when the export is opened. Such a cell, and one starting with the quote itself (so that
# import can undo it exactly), is written with a leading apostrophe, which spreadsheets show as text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


def _spreadsheet_safe(value: Any) -> str:
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _from_spreadsheet_safe(text: str) -> str:
    return text[1:] if text.startswith("'") else text


def _create_journal(path: Path) -> None:
    """Create a new, empty journal at ``path`` in one step.

    The database is built in a temporary file beside it and linked into place complete, so a journal
    file is never empty: a journal of 0 bytes can only be one whose records were lost (_check_header)."""
    from ..paths import _link_into_place

    ensure_private_dir(path.parent)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise JournalError(f"cannot create the journal {path}: {exc.strerror or exc}") from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        os.chmod(tmp, PRIVATE_FILE_MODE)
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            Journal(conn, path)._migrate()
        finally:
            conn.close()
        _link_into_place(tmp, path)
    except FileExistsError:
        pass  # another process created it first: use theirs
    except (OSError, sqlite3.Error) as exc:
        raise JournalError(f"cannot create the journal {path}: {getattr(exc, 'strerror', None) or exc}") from exc
    finally:
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            leftover.unlink(missing_ok=True)


def _refuse_lost(path: Path) -> None:
    """A missing journal beside a non-empty evidence folder was deleted: say so, never start afresh."""
    directory = evidence_dir(path)
    try:
        kept = directory.is_dir() and any(not p.name.startswith(".") for p in directory.iterdir())
    except OSError:
        kept = False
    if kept:
        raise JournalLostError(
            f"the journal {path} is missing but its evidence folder {directory} is not empty: the journal's "
            "records were lost; nothing was written",
            hint="restore the journal from a backup, or move the evidence folder away and `objector import` an export")


def _switch_to_wal(conn: sqlite3.Connection) -> None:
    """Set WAL mode (once, on a new journal). The switch needs an exclusive lock and SQLite does not wait
    for it (no busy handler), so when processes create the journal at the same moment, wait here."""
    waited = 0.0
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or waited >= BUSY_TIMEOUT_MS / 1000:
                raise
        time.sleep(0.02)
        waited += 0.02


def _check_header(path: Path) -> None:
    """Refuse a file that is not an SQLite database before SQLite touches it.

    A journal is created complete (_create_journal), so an empty file is a journal whose records were
    lost (truncated), never one being created; a bad header is looked at again (a copy may be under way)."""
    for attempt in range(4):
        try:
            with open(path, "rb") as handle:
                head = handle.read(len(_SQLITE_MAGIC))
        except OSError as exc:
            raise JournalError(f"cannot read the journal {path}: {exc.strerror or exc}") from exc
        if head == _SQLITE_MAGIC:
            return
        time.sleep(0.05 * (attempt + 1))
    if not head:
        raise JournalLostError(f"the journal {path} is empty (0 bytes): its records were lost; it was left untouched",
                               hint="restore it from a backup or an export")
    raise JournalError(f"the journal {path} is not a journal (not an SQLite database); it was left untouched",
                       hint="restore it from a backup or an export, or move it away")


EVIDENCE_CHUNK = 1 << 20  # evidence is hashed, copied and exported a mebibyte at a time, never read whole


def _copy_evidence(source: Path, directory: Path) -> tuple[str, int, bool]:
    """Copy `source` into `directory` under its SHA-256, hashing while copying: (digest, size, newly created).

    The copy goes to a temporary file first and is linked into place under its name once the hash is
    known; a file already stored under that hash is kept and the copy dropped."""
    from ..paths import _link_into_place

    digest = hashlib.sha256()
    size = 0
    fd, tmp_name = tempfile.mkstemp(prefix=".evidence.", suffix=".tmp", dir=directory)
    tmp = Path(tmp_name)
    try:
        with open(source, "rb") as reader, os.fdopen(fd, "wb") as writer:
            for chunk in iter(lambda: reader.read(EVIDENCE_CHUNK), b""):
                digest.update(chunk)
                writer.write(chunk)
                size += len(chunk)
            writer.flush()
            os.fsync(writer.fileno())
        os.chmod(tmp, PRIVATE_FILE_MODE)
        target = directory / digest.hexdigest()
        if target.exists():
            return digest.hexdigest(), size, False
        try:
            _link_into_place(tmp, target)
        except FileExistsError:  # another process stored the same file first: same name, same bytes
            return digest.hexdigest(), size, False
        return digest.hexdigest(), size, True
    finally:
        tmp.unlink(missing_ok=True)


def _write_evidence(target: Path, content: bytes) -> bool:
    """Write ``content`` to ``target`` atomically (0600) unless it is there already. True if created."""
    if target.exists():
        return False
    try:
        atomic_write(target, content)
    except OutputError:
        if target.exists():  # another process stored the same file first: same name, same bytes
            return False
        raise
    return True


def _request_from_row(row: tuple[Any, ...]) -> Request:
    values = dict(zip(_REQUEST_COLUMNS, row, strict=True))
    try:
        return Request(
            reference=values["reference"], kind=values["kind"], controller=values["controller"], law=values["law"],
            language=values["language"], region=values["region"], inputs=json.loads(values["inputs"]),
            sha256=values["sha256"], document=values["document"],
            created_on=date.fromisoformat(values["created_on"]))
    except (TypeError, ValueError) as exc:
        raise JournalError(f"the journal's request {values['reference']} is unreadable ({exc})",
                           hint="run `objector verify`") from exc


def _event_from_row(row: tuple[Any, ...]) -> Event:
    values = dict(zip(_EVENT_COLUMNS, row, strict=True))
    try:
        return Event(seq=values["seq"], reference=values["reference"], type=values["type"],
                     on=date.fromisoformat(values["on_date"]), recorded_at=values["recorded_at"],
                     data=json.loads(values["data"]), prev_hash=values["prev_hash"], hash=values["hash"])
    except (TypeError, ValueError) as exc:
        raise JournalError(f"the journal's event #{values['seq']} is unreadable ({exc})",
                           hint="run `objector verify`") from exc


def _describe(row: Mapping[str, Any]) -> str:
    return f"event #{row['seq']} ({row['reference']}, {row['type']} {row['on_date']})"


def _check_chain(rows: list[dict[str, Any]], head_seq: int, head_hash: str) -> list[str]:
    """Name every event altered, removed or added, from the hashes and the head."""
    problems: list[str] = []
    expected_seq, prev_hash, prev_ok = 1, GENESIS, True
    last: dict[str, Any] | None = None
    for row in rows:
        seq = row["seq"]
        if seq > head_seq:
            problems.append(f"{_describe(row)} added: the journal's chain ends at event #{head_seq}")
            continue
        if seq < expected_seq:  # seq 0, or a number already passed: never part of the linear chain
            problems.append(f"{_describe(row)} added: numbered out of order, after event #{expected_seq - 1}")
            continue
        self_ok = row["hash"] == event_hash(seq, row["reference"], row["type"], row["on_date"], row["recorded_at"],
                                            row["data"], row["prev_hash"])
        if not self_ok:
            problems.append(f"{_describe(row)} altered: its content no longer matches its hash")
        if seq != expected_seq:
            span = f"#{expected_seq}" if seq - 1 == expected_seq else f"#{expected_seq} to #{seq - 1}"
            problems.append(f"event {span} removed: the chain jumps from #{expected_seq - 1} to #{seq}")
        elif row["prev_hash"] != prev_hash and self_ok and prev_ok:
            # This row is intact, so the one before it was rewritten together with its hash.
            if last is not None:
                problems.append(f"{_describe(last)} altered: its hash no longer links to event #{seq}")
            else:
                problems.append(f"{_describe(row)} altered: the first event does not start the chain")
        expected_seq, prev_hash, prev_ok, last = seq + 1, row["hash"], self_ok, row
    if expected_seq <= head_seq:
        span = f"#{expected_seq}" if expected_seq == head_seq else f"#{expected_seq} to #{head_seq}"
        problems.append(f"event {span} removed: the journal's chain ends at event #{head_seq}")
    elif last is not None and last["hash"] != head_hash and last["seq"] == head_seq and prev_ok:
        problems.append(f"{_describe(last)} altered: it no longer matches the journal's chain head")
    elif last is None and head_seq == 0 and head_hash != GENESIS:
        problems.append("the journal's chain head was altered (it names an event but there are none)")
    return problems


def _check_requests(rows: list[dict[str, Any]], requests: dict[str, dict[str, Any]]) -> list[str]:
    problems: list[str] = []
    drafted: set[str] = set()
    for row in rows:
        if row["type"] != "drafted":
            continue
        reference = row["reference"]
        drafted.add(reference)
        try:
            recorded = json.loads(row["data"]).get("request")
        except (ValueError, AttributeError):
            continue  # the event itself is reported as altered
        if reference not in requests:
            problems.append(f"request {reference} removed: its drafted event #{row['seq']} remains")
        elif request_hash(requests[reference]) != recorded:
            problems.append(f"request {reference} altered: the row no longer matches the hash in its drafted "
                            f"event #{row['seq']}")
    for reference in sorted(set(requests) - drafted):
        problems.append(f"request {reference} added: no drafted event in the chain records it")
    return problems


def _evidence_items(row: Mapping[str, Any]) -> list[dict[str, Any]]:
    data = row["data"]
    if isinstance(data, str) and '"evidence"' not in data and "\\" not in data:
        return []  # most events carry none: no need to parse them (a key written with escapes is parsed)
    try:
        items = json.loads(row["data"]).get("evidence", [])
        return [i for i in items if isinstance(i, dict) and isinstance(i.get("sha256"), str)]
    except (ValueError, AttributeError):
        return []


def _referenced(events: list[dict[str, Any]]) -> list[str]:
    return list(dict.fromkeys(item["sha256"] for e in events for item in _evidence_items(e)))


# --------------------------------------------------------------------------- export parsing


def _parse_json_export(text: str, path: Path) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise InputError(f"{path} is not a journal export: invalid JSON ({exc})") from None
    except RecursionError:
        raise InputError(f"{path} is not a journal export: nested too deeply") from None
    if not isinstance(data, dict):
        raise InputError(f"{path} is not a journal export")
    return data


def _parse_csv_export(text: str, path: Path) -> dict[str, Any]:
    from .. import csv_input

    lines = csv_input.rows(text, path)
    if tuple(name.strip() for name in next(lines, [])) != CSV_COLUMNS:
        raise InputError(f"{path} is not a journal export (neither objector's JSON nor its CSV columns)")
    requests: dict[str, dict[str, Any]] = {}
    events: list[dict[str, Any]] = []
    line = 1
    try:
        for line, cells in enumerate(lines, start=2):  # noqa: B007 - `line` names the row in the error below
            if len(cells) != len(CSV_COLUMNS):
                raise ValueError(f"{len(cells)} cells, not {len(CSV_COLUMNS)}")
            row = {column: _from_spreadsheet_safe(cell) for column, cell in zip(CSV_COLUMNS, cells, strict=True)}
            data = json.loads(row["data"])
            events.append({"seq": int(row["seq"]), "reference": row["reference"], "type": row["type"],
                           "on": row["on"], "recorded_at": row["recorded_at"], "data": data,
                           "prev_hash": row["prev_hash"], "hash": row["hash"]})
            if row["type"] == "drafted":
                requests[row["reference"]] = {
                    "reference": row["reference"], "kind": row["kind"], "controller": row["controller"],
                    "law": row["law"], "language": row["language"], "region": row["region"],
                    "inputs": json.loads(row["inputs"]), "sha256": row["sha256"], "document": row["document"],
                    "created_on": row["created_on"]}
    except (ValueError, TypeError, KeyError, RecursionError) as exc:
        raise InputError(f"{path}: line {line}: not a valid journal export row ({exc})") from None
    head = {"seq": events[-1]["seq"], "hash": events[-1]["hash"]} if events else {"seq": 0, "hash": GENESIS}
    return {"format": EXPORT_FORMAT, "format_version": EXPORT_VERSION, "head": head,
            "requests": list(requests.values()), "events": events, "evidence": {}}


def _check_export_events(events: list[dict[str, Any]], references: set[str], source: str) -> None:
    """Each event numbered 1, 2, 3... in order, of a known type, for a request the export holds."""
    previous = 0
    for e in events:
        seq = e["seq"]
        if seq < 1 or seq <= previous:
            where = "is not a positive number" if seq < 1 else f"comes after event #{previous}"
            raise InputError(f"{source}: event number {seq} {where}: events are numbered 1, 2, 3... in order; "
                             "nothing was imported")
        previous = seq
        if e["type"] not in EVENT_TYPES:
            raise InputError(f"{source}: event #{seq} has the unknown type {e['type']!r} (objector records "
                             f"{', '.join(EVENT_TYPES)}); nothing was imported")
        if e["reference"] not in references:
            raise InputError(f"{source}: event #{seq} ({e['type']}) belongs to the request {e['reference']!r}, "
                             "which the export does not hold; nothing was imported")


def _validate_export(data: Mapping[str, Any], source: str
                     ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, bytes]]:
    """Check an export's shape and every hash. Returns requests and events as storable rows, evidence bytes."""
    if data.get("format") != EXPORT_FORMAT:
        raise InputError(f"{source} is not an objector journal export")
    version = data.get("format_version")
    if not isinstance(version, int) or version > EXPORT_VERSION:
        raise InputError(f"{source} was exported by a newer objector (format {version}); upgrade objector")
    try:
        requests = [{**{c: r[c] for c in _REQUEST_COLUMNS if c != "inputs"}, "inputs": canonical_json(r["inputs"])}
                    for r in data["requests"]]
        events = [{"seq": int(e["seq"]), "reference": e["reference"], "type": e["type"], "on_date": e["on"],
                   "recorded_at": e["recorded_at"], "data": canonical_json(e["data"]),
                   "prev_hash": e["prev_hash"], "hash": e["hash"]} for e in data["events"]]
        head = data["head"]
        head_seq, head_hash = int(head["seq"]), head["hash"]
        evidence = {digest: base64.b64decode(content, validate=True)
                    for digest, content in (data.get("evidence") or {}).items()}
        for r in requests:
            date.fromisoformat(r["created_on"])
            if not all(isinstance(r[c], str) for c in _REQUEST_COLUMNS):
                raise ValueError(f"request {r['reference']}: a field is not text")
        for e in events:
            date.fromisoformat(e["on_date"])
            if not all(isinstance(e[c], str) for c in _EVENT_COLUMNS if c != "seq"):
                raise ValueError(f"event #{e['seq']}: a field is not text")
    except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as exc:
        raise InputError(f"{source} is not a valid journal export ({type(exc).__name__}: {exc})") from None
    _check_export_events(events, {r["reference"] for r in requests}, source)
    seen: set[str] = set()
    for r in requests:
        if r["reference"] in seen:
            raise InputError(f"{source} holds the request {r['reference']} twice; nothing was imported")
        seen.add(r["reference"])
    problems = _check_chain(events, head_seq, head_hash) + _check_requests(events, {r["reference"]: r for r in requests})
    problems += [f"evidence file {digest} altered: its content does not match its name"
                 for digest, content in evidence.items() if hashlib.sha256(content).hexdigest() != digest]
    if problems:
        raise TamperedError(f"{source} failed its hash check, nothing was imported: {problems[0]}"
                            + (f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""))
    return requests, events, evidence
