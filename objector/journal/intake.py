"""Taking in an export for `import` a row at a time, so that memory does not grow with the number of requests.

Each request, event and evidence file is checked as it comes (its shape, its place in the numbering, its type,
and what each field means, by the caller's check) and kept in a temporary table of the import's own connection:
SQLite keeps those on disk beyond a few MiB of cache, and the journal itself is not touched (nor locked) while the
export is read. Then `finish` does what needs every row, reading the tables back in order: each event's request is
in the export, every hash of the chain (objector.journal.chain), each request against the hash its drafted event
keeps, each evidence file against its name, the evidence the events name is at hand; and, under the write lock,
the export's references are new here. Only then is anything written, in one transaction: nothing is imported
unless everything is. The problems are raised in the order of their weight: a forged export (TamperedError)
before a field objector would not write, before evidence that is missing, before references already here.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..clock import today as clock_today
from ..errors import InputError, JournalError, TamperedError
from ..paths import ensure_private_dir
from .chain import _check_chain
from .records import (
    EVENT_COLUMNS,
    EVENT_TYPES,
    REQUEST_COLUMNS,
    ImportReport,
    canonical_json,
    file_sha256,
    request_hash,
)
from .stream import StagedEvidence

if TYPE_CHECKING:
    from .writing import JournalWriter

EXPORT_FORMAT = "objector-journal"
EXPORT_VERSION = 1
_TABLES = ("import_requests", "import_events", "import_evidence", "import_placed")  # temporary, one import's

# ("request" or "event", the row as it would be stored, today) → None, or InputError naming the field. The journal
# checks an export's shape and hashes; what each field may mean is the caller's (objector.tracking.checks).
ImportCheck = Callable[[str, dict[str, Any], date], None]


def referenced_digests_sql(table: str) -> str:
    """The evidence files the events of `table` name (as chain._evidence_items reads them), each once (`digest`),
    with where it is first named (`named_at`, to order by): SQLite keeps the list, not Python."""
    return f"""SELECT json_extract(item.value, '$.sha256') AS digest, min(e.seq * 1000000 + item.key) AS named_at
               FROM {table} AS e, json_each(e.data, '$.evidence') AS item
               WHERE json_valid(e.data) AND json_type(e.data, '$.evidence') = 'array' AND item.type = 'object'
                     AND json_type(item.value, '$.sha256') = 'text'
               GROUP BY digest"""


def _shape_error(source: str, exc: BaseException) -> InputError:
    return InputError(f"{source} is not a valid journal export ({type(exc).__name__}: {exc})")


def request_row(item: Any, source: str) -> dict[str, Any]:
    """An export's request as the row it is stored as (inputs as canonical JSON), its shape checked."""
    try:
        row = {**{c: item[c] for c in REQUEST_COLUMNS if c != "inputs"}, "inputs": canonical_json(item["inputs"])}
        date.fromisoformat(row["created_on"])
        if not all(isinstance(row[c], str) for c in REQUEST_COLUMNS):
            raise ValueError(f"request {row['reference']}: a field is not text")
    except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as exc:
        raise _shape_error(source, exc) from None
    return row


def event_row(item: Any, source: str) -> dict[str, Any]:
    """An export's event as the row it is stored as (data as canonical JSON), its shape checked."""
    try:
        row = {"seq": int(item["seq"]), "reference": item["reference"], "type": item["type"], "on_date": item["on"],
               "recorded_at": item["recorded_at"], "data": canonical_json(item["data"]),
               "prev_hash": item["prev_hash"], "hash": item["hash"]}
        date.fromisoformat(row["on_date"])
        if not all(isinstance(row[c], str) for c in EVENT_COLUMNS if c != "seq"):
            raise ValueError(f"event #{row['seq']}: a field is not text")
    except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as exc:
        raise _shape_error(source, exc) from None
    return row


class Intake:
    """One import: `member`, `request`, `event` and `evidence` as the export gives them (in any order, each row
    once), then `finish` (checks all, writes all) and in any case `close` (staged files and tables removed).
    Takes the members objector.journal.stream's reader gives (it is an ExportSink)."""

    def __init__(self, journal: JournalWriter, source: str, check: ImportCheck | None = None) -> None:
        if journal.path is None:
            raise JournalError("no journal to import into")
        self.journal, self.source, self.check = journal, source, check
        self.conn = journal._conn
        self.today = clock_today()
        self.head: tuple[int, str] | None = None
        self.arrays: set[str] = set()  # "requests", "events" and "evidence" once seen
        self.members: set[str] = set()
        self.previous_seq = 0
        self.counts = {"requests": 0, "events": 0}
        self.unfit: dict[str, InputError] = {}  # the first request and the first event `check` refused
        self.staging: Path | None = None
        with journal._errors():
            for table in _TABLES:
                self.conn.execute(f"DROP TABLE IF EXISTS temp.{table}")
            self.conn.execute(f"CREATE TEMP TABLE import_requests ({', '.join(REQUEST_COLUMNS)}, PRIMARY KEY (reference))")
            self.conn.execute(f"CREATE TEMP TABLE import_events (seq INTEGER PRIMARY KEY, "
                              f"{', '.join(c for c in EVENT_COLUMNS if c != 'seq')})")
            self.conn.execute("CREATE TEMP TABLE import_evidence (name TEXT PRIMARY KEY, path TEXT, sha256 TEXT)")
            self.conn.execute("CREATE TEMP TABLE import_placed (name TEXT)")

    # ----------------------------------------------------------------------------------------- taking rows in

    def member(self, key: str, value: Any) -> None:
        """A member of the export other than its rows and evidence (format, version, head, ...)."""
        self.members.add(key)
        if key == "format" and value != EXPORT_FORMAT:
            raise InputError(f"{self.source} is not an objector journal export")
        if key == "format_version" and (not isinstance(value, int) or value > EXPORT_VERSION):
            raise InputError(f"{self.source} was exported by a newer objector (format {value}); upgrade objector")
        if key == "head":
            try:
                self.head = int(value["seq"]), value["hash"]
            except (KeyError, TypeError, ValueError) as exc:
                raise _shape_error(self.source, exc) from None
        elif key in ("requests", "events", "evidence"):  # not a list or table: read as one
            self.array(key)
            items = value.items() if key == "evidence" and isinstance(value, Mapping) else value
            if value is None and key == "evidence":
                items = ()
            try:
                iterator = iter(items)
            except TypeError as exc:
                raise _shape_error(self.source, exc) from None
            take: Callable[..., None] = {"requests": self.request, "events": self.event}.get(key, self._evidence_item)
            for item in iterator:
                take(item)

    def array(self, key: str) -> None:
        """The export's `key` ("requests", "events" or "evidence") begins: it may come once only."""
        if key in self.arrays:
            raise InputError(f"{self.source} is not a journal export: it holds {key!r} twice")
        self.arrays.add(key)

    def request(self, item: Any) -> None:
        row = request_row(item, self.source)
        self._check("request", row)
        exists = self.conn.execute("SELECT 1 FROM temp.import_requests WHERE reference = ?",
                                   (row["reference"],)).fetchone()
        if exists:
            raise InputError(f"{self.source} holds the request {row['reference']} twice; nothing was imported")
        self.conn.execute(f"INSERT INTO temp.import_requests ({', '.join(REQUEST_COLUMNS)}) VALUES "
                          f"({', '.join('?' * len(REQUEST_COLUMNS))})", tuple(row[c] for c in REQUEST_COLUMNS))
        self.counts["requests"] += 1

    def event(self, item: Any) -> None:
        """An event, numbered 1, 2, 3... in order, of a known type."""
        row, source = event_row(item, self.source), self.source
        seq = row["seq"]
        if seq < 1 or seq <= self.previous_seq:
            where = "is not a positive number" if seq < 1 else f"comes after event #{self.previous_seq}"
            raise InputError(f"{source}: event number {seq} {where}: events are numbered 1, 2, 3... in order; "
                             "nothing was imported")
        self.previous_seq = seq
        if row["type"] not in EVENT_TYPES:
            raise InputError(f"{source}: event #{seq} has the unknown type {row['type']!r} (objector records "
                             f"{', '.join(EVENT_TYPES)}); nothing was imported")
        self._check("event", row)
        self.conn.execute(f"INSERT INTO temp.import_events ({', '.join(EVENT_COLUMNS)}) VALUES "
                          f"({', '.join('?' * len(EVENT_COLUMNS))})", tuple(row[c] for c in EVENT_COLUMNS))
        self.counts["events"] += 1

    def evidence(self, name: str, content: StagedEvidence | Any) -> None:
        """An evidence file the export carries: staged by the reader, or base64 text (staged here)."""
        if not isinstance(content, StagedEvidence):
            content = self._stage_base64(name, content)
        try:
            previous = self.conn.execute("SELECT path FROM temp.import_evidence WHERE name = ?", (name,)).fetchone()
            if previous:  # named twice: the last one counts, as in a JSON object read whole
                Path(previous[0]).unlink(missing_ok=True)
            self.conn.execute("INSERT OR REPLACE INTO temp.import_evidence (name, path, sha256) VALUES (?, ?, ?)",
                              (name, str(content.path), content.sha256))
        except BaseException:
            content.discard()
            raise

    def staging_dir(self) -> Path:
        """Where evidence is staged: beside the evidence folder, on its file system (created when first needed)."""
        if self.staging is None:
            self.staging = ensure_private_dir(self.journal.evidence_dir)
        return self.staging

    def _evidence_item(self, item: Any) -> None:
        try:
            name, content = item
            if not isinstance(name, str):
                raise TypeError("an evidence file's name is not text")
        except (TypeError, ValueError) as exc:
            raise _shape_error(self.source, exc) from None
        self.evidence(name, content)

    def _stage_base64(self, name: str, content: Any) -> StagedEvidence:
        try:
            data = base64.b64decode(content, validate=True)
        except (TypeError, ValueError, binascii.Error) as exc:
            raise _shape_error(self.source, exc) from None
        fd, tmp = tempfile.mkstemp(prefix=".import.", suffix=".tmp", dir=self.staging_dir())
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())  # as the reader's staged files: durable before an event names it
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return StagedEvidence(Path(tmp), hashlib.sha256(data).hexdigest(), len(data))

    def _check(self, what: str, row: dict[str, Any]) -> None:
        """What the field means, as `log` would take it: the first refusal of each kind is kept, and raised only
        once the hashes have been checked (a forged export is named as such first)."""
        if self.check is None or what in self.unfit:
            return
        try:
            self.check(what, row, self.today)
        except InputError as exc:
            self.unfit[what] = InputError(f"{self.source}: {exc.message}; nothing was imported")
        except (ValueError, TypeError, RecursionError) as exc:
            self.unfit[what] = InputError(f"{self.source} is not a valid journal export ({type(exc).__name__}: "
                                          f"{exc}); nothing was imported")

    # ----------------------------------------------------------------------------------------- checking, writing

    def finish(self) -> ImportReport:
        """Every check that needs all the rows, then everything written (evidence files first, then the rows in
        one transaction), or nothing."""
        for key in ("format", "format_version"):
            if key not in self.members:  # an export says what it is, or is refused as not one
                self.member(key, None)
        for key in ("requests", "events"):
            if key not in self.arrays:
                raise _shape_error(self.source, KeyError(key))
        if self.head is None:
            raise _shape_error(self.source, KeyError("head"))
        self._check_requests_held()
        self._check_hashes()
        for what in ("request", "event"):
            if what in self.unfit:
                raise self.unfit[what]
        named = self._check_evidence_at_hand()
        try:
            self._place_evidence()
            with self.journal._errors(), self.journal._write():
                self._refuse_duplicates()
                verbatim = self._store()
        except BaseException:
            self._unplace_evidence()
            raise
        return ImportReport(self.counts["requests"], self.counts["events"], named, verbatim)

    def close(self) -> None:
        """Remove what is still staged and the temporary tables (after finish, or after a refusal)."""
        try:
            for (path,) in self.conn.execute("SELECT path FROM temp.import_evidence"):
                Path(path).unlink(missing_ok=True)
            for table in _TABLES:
                self.conn.execute(f"DROP TABLE IF EXISTS temp.{table}")
        except Exception:  # noqa: BLE001 - a failed clean-up must not hide why the import stopped
            pass

    def _check_requests_held(self) -> None:
        row = self.conn.execute("SELECT seq, type, reference FROM temp.import_events AS e WHERE NOT EXISTS "
                                "(SELECT 1 FROM temp.import_requests AS r WHERE r.reference = e.reference) "
                                "ORDER BY seq LIMIT 1").fetchone()
        if row:
            raise InputError(f"{self.source}: event #{row[0]} ({row[1]}) belongs to the request {row[2]!r}, which "
                             "the export does not hold; nothing was imported")

    def _events(self) -> Iterator[dict[str, Any]]:
        for row in self.conn.execute(f"SELECT {', '.join(EVENT_COLUMNS)} FROM temp.import_events ORDER BY seq"):
            yield dict(zip(EVENT_COLUMNS, row, strict=True))

    def _check_hashes(self) -> None:
        """The chain, each request against its drafted event, each evidence file against its name: TamperedError
        naming the first problem and how many there are."""
        assert self.head is not None
        problems = _check_chain(self._events(), *self.head)
        count = len(problems)
        first = problems[:1]
        for seq, reference, data, *request in self.conn.execute(
                f"SELECT e.seq, e.reference, e.data, {', '.join('r.' + c for c in REQUEST_COLUMNS)} "
                "FROM temp.import_events AS e JOIN temp.import_requests AS r ON r.reference = e.reference "
                "WHERE e.type = 'drafted' ORDER BY e.seq"):
            try:
                recorded = json.loads(data).get("request")
            except (ValueError, AttributeError):
                continue  # the event itself is reported as altered
            if request_hash(dict(zip(REQUEST_COLUMNS, request, strict=True))) != recorded:
                count += 1
                first = first or [f"request {reference} altered: the row no longer matches the hash in its drafted "
                                  f"event #{seq}"]
        for (reference,) in self.conn.execute("SELECT reference FROM temp.import_requests EXCEPT SELECT reference "
                                              "FROM temp.import_events WHERE type = 'drafted' ORDER BY 1"):
            count += 1
            first = first or [f"request {reference} added: no drafted event in the chain records it"]
        for (name,) in self.conn.execute("SELECT name FROM temp.import_evidence WHERE sha256 != name ORDER BY rowid"):
            count += 1
            first = first or [f"evidence file {name} altered: its content does not match its name"]
        if first:
            raise TamperedError(f"{self.source} failed its hash check, nothing was imported: {first[0]}"
                                + (f" (and {count - 1} more problems)" if count > 1 else ""))

    def _check_evidence_at_hand(self) -> int:
        """Every file an event names comes with the export or is here already. Returns how many are named."""
        directory = self.journal.evidence_dir
        named, missing, first = 0, 0, ""
        for digest, carried in self.conn.execute(
                f"SELECT d.digest, EXISTS (SELECT 1 FROM temp.import_evidence AS x WHERE x.name = d.digest) "
                f"FROM ({referenced_digests_sql('temp.import_events')}) AS d ORDER BY d.named_at"):
            named += 1
            path = directory / digest
            if not carried and not (path.is_file() and file_sha256(path) == digest):
                missing += 1
                first = first or digest
        if missing:
            raise InputError(f"{self.source} does not carry the evidence file {first}"
                             + (f" (and {missing - 1} more)" if missing > 1 else "") + "; nothing was imported",
                             hint="import the JSON export, which carries them, or copy the evidence folder first")
        return named

    def _place_evidence(self) -> None:
        """Each staged evidence file moved into place under its name (0600); the files created are noted in a
        temporary table (a list of 100,000 paths would be megabytes), for _unplace_evidence."""
        from ..paths import PRIVATE_FILE_MODE, _link_into_place

        directory = self.journal.evidence_dir
        for name, path in self.conn.execute("SELECT name, path FROM temp.import_evidence ORDER BY rowid"):
            target = directory / name
            if target.exists():
                continue
            os.chmod(path, PRIVATE_FILE_MODE)
            try:
                _link_into_place(Path(path), target)
            except FileExistsError:  # another process stored the same file first: same name, same bytes
                continue
            self.conn.execute("INSERT INTO temp.import_placed (name) VALUES (?)", (name,))

    def _unplace_evidence(self) -> None:
        """The evidence files this import created removed again (it failed)."""
        directory = self.journal.evidence_dir
        for (name,) in self.conn.execute("SELECT name FROM temp.import_placed"):
            (directory / name).unlink(missing_ok=True)

    def _refuse_duplicates(self) -> None:
        found = [reference for (reference,) in self.conn.execute(
            "SELECT reference FROM temp.import_requests WHERE reference IN (SELECT reference FROM main.requests) "
            "ORDER BY rowid")]
        if found:
            more = len(found) - 5
            raise InputError(f"{self.source}: {', '.join(found[:5])}" + (f" and {more} more" if more > 0 else "")
                             + f" {'is' if len(found) == 1 else 'are'} already in the journal; nothing was imported")

    def _store(self) -> bool:
        """The rows written inside the write transaction. True: as they were (into an empty journal)."""
        conn, journal = self.conn, self.journal
        conn.execute(f"INSERT INTO main.requests ({', '.join(REQUEST_COLUMNS)}) SELECT {', '.join(REQUEST_COLUMNS)} "
                     "FROM temp.import_requests ORDER BY rowid")
        head_seq, _ = journal._head()
        verbatim = head_seq == 0 and not conn.execute("SELECT 1 FROM main.events LIMIT 1").fetchone()
        if verbatim:
            conn.execute(f"INSERT INTO main.events ({', '.join(EVENT_COLUMNS)}) SELECT {', '.join(EVENT_COLUMNS)} "
                         "FROM temp.import_events ORDER BY seq")
            last = conn.execute("SELECT seq, hash FROM temp.import_events ORDER BY seq DESC LIMIT 1").fetchone()
            if last:
                journal._set_head(last[0], last[1])
            return True
        after = 0
        while True:  # this journal has its own chain: append, keeping every field but the links (a page at a time)
            page = conn.execute("SELECT seq, reference, type, on_date, data, recorded_at FROM temp.import_events "
                                "WHERE seq > ? ORDER BY seq LIMIT 500", (after,)).fetchall()
            if not page:
                return False
            for seq, reference, type_, on_date, data, recorded_at in page:
                journal._append(reference, type_, date.fromisoformat(on_date), json.loads(data), recorded_at)
                after = seq
