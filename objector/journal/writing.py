"""Appending to the journal: a request with its drafted event, an event checked by the caller's rules, the chain's
head moved in the same transaction, evidence copied first and removed again if the write fails.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from ..clock import now_utc
from ..clock import today as clock_today
from ..errors import InputError, JournalError, NotFoundError
from ..paths import ensure_private_dir
from .core import JournalCore
from .evidence import copy_evidence, write_evidence
from .records import (
    EVENT_COLUMNS,
    REQUEST_COLUMNS,
    Event,
    Evidence,
    Request,
    canonical_json,
    event_hash,
    request_from_row,
    request_hash,
)

# (request, its timeline so far, event type, date or None for today, details, today) → (date, payload)
EventCheck = Callable[[Request, list[Event], str, date | None, dict[str, Any], date], tuple[date, dict[str, Any]]]


class JournalWriter(JournalCore):
    """Appends requests and events to the chain."""


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
                self._conn.execute(f"INSERT INTO requests ({', '.join(REQUEST_COLUMNS)}) VALUES "
                                   f"({', '.join('?' * len(REQUEST_COLUMNS))})",
                                   tuple(row[c] for c in REQUEST_COLUMNS))
                self._append(reference, "drafted", created_on, event)
        except BaseException:
            for path in created:
                path.unlink(missing_ok=True)
            raise
        return request_from_row(tuple(row[c] for c in REQUEST_COLUMNS))


    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """Inside transaction(): a part undone alone if it raises, the rest kept (`batch` records its letters a
        group at a time, and one the journal refuses leaves the others recorded)."""
        if self._transaction != "write":
            raise RuntimeError("a savepoint needs a write transaction")  # a bug
        with self._errors():
            self._conn.execute("SAVEPOINT part")
        try:
            yield
        except BaseException:
            with self._errors():
                self._conn.execute("ROLLBACK TO part")
                self._conn.execute("RELEASE part")
            raise
        with self._errors():
            self._conn.execute("RELEASE part")


    def add_event(self, reference: str, type_: str, on: date | None, data: Mapping[str, Any] | None = None, *,
                  check: EventCheck, evidence: Iterable[Path | str | tuple[str, bytes]] = (),
                  today: date | None = None) -> Event:
        """Append one event after ``check`` has accepted it against the request's timeline.

        ``check(request, timeline, type_, on, data, today)`` returns the event's date and payload or raises;
        it runs inside the write transaction, so no other process can add an event in between. The journal
        knows how to keep events, not what a timeline allows: objector.tracking.events passes its rules in.

        ``on=None`` means today, except for a `sent` event on a request already sent, where it keeps the
        sent date (and channel) already logged: `log sent REF --received-on DATE` adds the receipt date.
        Evidence files are copied into the evidence folder first; if the event is refused they are removed
        again (unless another event already had them). Bad input raises before anything is recorded.
        """
        from ..text import check_length, check_text, fold_separators

        today = today or clock_today()
        data = dict(data or {})
        for key in ("note", "via", "outcome"):
            if isinstance(data.get(key), str):
                data[key] = fold_separators(check_text(key, data[key]))
        if isinstance(data.get("note"), str):
            check_length("note", data["note"])  # a reminder or a complaint quotes it
        # A file of the person's, or (name, bytes) of a document objector wrote to standard output (-o -).
        files: list[Path | tuple[str, bytes]] = [p if isinstance(p, tuple) else Path(p) for p in evidence]
        for path in files:
            if isinstance(path, tuple):
                continue
            if not path.exists():
                raise NotFoundError(f"evidence file {path} not found; nothing was recorded")
            if not path.is_file():  # a folder, a FIFO (the copy would wait for a writer), /dev/zero (endless)
                raise InputError(f"evidence file {path} is not a regular file; objector keeps regular files "
                                 "only; nothing was recorded")
        self.get_request(reference)  # an unknown reference fails before any file is copied
        stored, created = self._store_evidence(files)
        try:
            with self._errors(), self._write():
                request = self.get_request(reference)
                events = self.events(reference, timeline_only=True)
                on, payload = check(request, events, type_, on, data, today)
                if stored:
                    payload["evidence"] = [e.to_dict() for e in stored]
                event = self._append(reference, type_, on, payload)
        except BaseException:
            for path in created:
                path.unlink(missing_ok=True)
            raise
        return event


    def _append(self, reference: str, type_: str, on: date, data: Mapping[str, Any],
                recorded_at: str | None = None) -> Event:
        """Add one event at the head of the chain. Must run inside _write()."""
        assert self._transaction == "write"
        head_seq, head_hash = self._head()
        seq = head_seq + 1
        recorded_at = recorded_at or now_utc()
        data_text = canonical_json(dict(data))
        digest = event_hash(seq, reference, type_, on.isoformat(), recorded_at, data_text, head_hash)
        self._conn.execute(f"INSERT INTO events ({', '.join(EVENT_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           (seq, reference, type_, on.isoformat(), recorded_at, data_text, head_hash, digest))
        self._set_head(seq, digest)
        return Event(seq, reference, type_, on, recorded_at, json.loads(data_text), head_hash, digest)


    def _set_head(self, seq: int, digest: str) -> None:
        self._conn.execute("UPDATE meta SET value = ? WHERE key = 'head_seq'", (str(seq),))
        self._conn.execute("UPDATE meta SET value = ? WHERE key = 'head_hash'", (digest,))


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
                    new = write_evidence(directory / digest, content)
                else:  # a file of the person's, of any size: streamed
                    name = source.name
                    digest, size, new = copy_evidence(source, directory)
                if new:
                    created.append(directory / digest)
                stored.append(Evidence(digest, name, size))
        except OSError as exc:
            for path in created:
                path.unlink(missing_ok=True)
            raise InputError(f"cannot copy the evidence file: {exc.strerror or exc}; nothing was recorded") from exc
        return stored, created
