"""Export and import: the whole journal as JSON (evidence streamed in base64) or CSV (for spreadsheets, formula-safe),
and an import that checks every hash and refuses what the journal already holds. Both stream: export writes each
row as the journal's cursor reads it, import hands each row to objector.journal.intake as the file is read, so
neither holds the journal in memory, however many requests it has.
"""

from __future__ import annotations

import base64
import csv
import io
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, BinaryIO

from ..clock import now_utc
from ..errors import InputError, JournalError
from ..paths import open_regular
from .evidence import EVIDENCE_CHUNK
from .intake import EXPORT_FORMAT, EXPORT_VERSION, ImportCheck, Intake, referenced_digests_sql
from .records import (
    EVENT_COLUMNS,
    GENESIS,
    REQUEST_COLUMNS,
    Event,
    ImportReport,
    Request,
    canonical_json,
    event_from_row,
    request_from_row,
)
from .schema import SCHEMA_VERSION
from .stream import read_json_export
from .writing import JournalWriter

CSV_COLUMNS = ("seq", "reference", "type", "on", "recorded_at", "via", "received_on", "outcome", "note", "evidence",
               "kind", "controller", "law", "language", "region", "document", "sha256", "created_on", "inputs",
               "data", "prev_hash", "hash")


# A cell starting with one of these is a formula to a spreadsheet (CSV injection): `=HYPERLINK(...)` in a
# note would run when the export is opened. Such a cell, and one starting with the quote itself (so that
# import can undo it exactly), is written with a leading apostrophe, which spreadsheets show as text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


def _spreadsheet_safe(value: Any) -> str:
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _from_spreadsheet_safe(text: str) -> str:
    return text[1:] if text.startswith("'") else text


def _read_csv_export(lines: Iterable[str], path: Path, intake: Intake) -> None:
    """Hand a CSV export's rows to `intake` as they are read: each row an event, a drafted one with its request's
    columns (the request is taken first); the head is the last event."""
    from .. import csv_input

    rows = csv_input.rows(lines, path)
    if tuple(name.strip() for name in next(rows, [])) != CSV_COLUMNS:
        raise InputError(f"{path} is not a journal export (neither objector's JSON nor its CSV columns)")
    intake.member("format", EXPORT_FORMAT)
    intake.member("format_version", EXPORT_VERSION)
    for key in ("requests", "events"):
        intake.array(key)
    head: dict[str, Any] = {"seq": 0, "hash": GENESIS}
    for line, cells in enumerate(rows, start=2):
        try:
            if len(cells) != len(CSV_COLUMNS):
                raise ValueError(f"{len(cells)} cells, not {len(CSV_COLUMNS)}")
            row = {column: _from_spreadsheet_safe(cell) for column, cell in zip(CSV_COLUMNS, cells, strict=True)}
            event = {"seq": int(row["seq"]), "reference": row["reference"], "type": row["type"], "on": row["on"],
                     "recorded_at": row["recorded_at"], "data": json.loads(row["data"]),
                     "prev_hash": row["prev_hash"], "hash": row["hash"]}
            request = None if row["type"] != "drafted" else {
                "reference": row["reference"], "kind": row["kind"], "controller": row["controller"],
                "law": row["law"], "language": row["language"], "region": row["region"],
                "inputs": json.loads(row["inputs"]), "sha256": row["sha256"], "document": row["document"],
                "created_on": row["created_on"]}
        except (ValueError, TypeError, KeyError, RecursionError) as exc:
            raise InputError(f"{path}: line {line}: not a valid journal export row ({exc})") from None
        if request is not None:
            intake.request(request)
        intake.event(event)
        head = {"seq": event["seq"], "hash": event["hash"]}
    intake.member("head", head)


def _write_json_list(handle: BinaryIO, items: Iterable[Any]) -> None:
    """A list one level down in the export, written an item at a time, laid out as json.dumps(indent=1) lays it
    out there (JSON text holds no raw line break, so indenting each of an item's lines is safe)."""
    first = True
    for item in items:
        text = json.dumps(item, ensure_ascii=False, indent=1).replace("\n", "\n  ")
        handle.write(("[\n  " if first else ",\n  ").encode("ascii") + text.encode("utf-8"))
        first = False
    handle.write(b"[]" if first else b"\n ]")


class _Utf8Writer:
    """Text written to a binary handle as UTF-8 (csv.writer wants something with write(str))."""

    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle

    def write(self, text: str) -> int:
        return self.handle.write(text.encode("utf-8"))


def _csv_row(event: Event, request: Request | None) -> list[str]:
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
    return [_spreadsheet_safe(row.get(column, "")) for column in CSV_COLUMNS]


class JournalTransfer(JournalWriter):
    """`export` and `import`."""


    def export_data(self, *, include_evidence: bool = True) -> dict[str, Any]:
        """Everything in the journal as one JSON-able dict (evidence files base64-encoded): the JSON export read
        back, for a journal small enough to hold in memory."""
        data: dict[str, Any] = json.loads(self.export_json())
        if not include_evidence:
            del data["evidence"]
        return data


    def export_json(self) -> bytes:
        out = io.BytesIO()
        self.write_json_export(out)
        return out.getvalue()


    def write_json_export(self, handle: BinaryIO) -> None:
        """Write the JSON export (export_data's content) to `handle` as it is read: requests and events a row at a
        time from the journal's cursor, each evidence file in base64 a piece at a time. Memory stays flat however
        many requests or however much evidence; the text is what json.dumps(..., indent=1) makes of it all."""
        with self._errors(), self.snapshot():
            head_seq, head_hash = self._head()
            header = json.dumps({"format": EXPORT_FORMAT, "format_version": EXPORT_VERSION,
                                 "schema_version": SCHEMA_VERSION, "exported_at": now_utc(),
                                 "head": {"seq": head_seq, "hash": head_hash}}, ensure_ascii=False, indent=1)
            handle.write(header[: -len("\n}")].encode("utf-8") + b',\n "requests": ')
            _write_json_list(handle, (request_from_row(row).to_dict() for row in self._conn.execute(
                f"SELECT {', '.join(REQUEST_COLUMNS)} FROM requests ORDER BY created_on, reference")))
            handle.write(b',\n "events": ')
            _write_json_list(handle, (event_from_row(row).to_dict() for row in self._conn.execute(
                f"SELECT {', '.join(EVENT_COLUMNS)} FROM events ORDER BY seq")))
            handle.write(b',\n "evidence": {')
            written = 0
            for (digest,) in self._conn.execute(
                    f"SELECT digest FROM ({referenced_digests_sql('main.events')}) ORDER BY named_at"):
                path = self.evidence_path(digest)
                if not path.is_file():
                    continue
                handle.write(("," if written else "").encode("ascii") + f'\n  "{digest}": "'.encode("ascii"))
                with open(path, "rb") as source:
                    for chunk in iter(lambda: source.read(3 * EVIDENCE_CHUNK), b""):  # 3n bytes: no padding
                        handle.write(base64.b64encode(chunk))
                handle.write(b'"')
                written += 1
            handle.write(b"\n }\n}\n" if written else b"}\n}\n")


    def export_csv(self) -> bytes:
        out = io.BytesIO()
        self.write_csv_export(out)
        return out.getvalue()


    def write_csv_export(self, handle: BinaryIO) -> None:
        """One row per event with its request's columns, written as read: for spreadsheets, and importable (no
        evidence bytes)."""
        # CRLF, as RFC 4180 has it: with "\n" as the terminator csv leaves a bare CR in a cell unquoted,
        # and the export could not be read back.
        writer = csv.writer(_Utf8Writer(handle), lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        with self._errors(), self.snapshot():
            for row in self._conn.execute(
                    f"SELECT {', '.join('e.' + c for c in EVENT_COLUMNS)}, "
                    f"{', '.join('r.' + c for c in REQUEST_COLUMNS)} "
                    "FROM events AS e LEFT JOIN requests AS r ON r.reference = e.reference ORDER BY e.seq"):
                event = event_from_row(row[: len(EVENT_COLUMNS)])
                request = None if row[len(EVENT_COLUMNS)] is None else request_from_row(row[len(EVENT_COLUMNS):])
                writer.writerow(_csv_row(event, request))


    def import_file(self, path: Path, *, check: ImportCheck | None = None) -> ImportReport:
        """Import a JSON or CSV export, read as a stream (objector.journal.stream for JSON, a row at a time for
        CSV) and taken in a row at a time (objector.journal.intake). Checks every hash, and every field with
        `check`; refuses references already in this journal."""
        if self.path is None:
            raise JournalError("no journal to import into")
        with open_regular(path, "import") as handle:
            intake = Intake(self, str(path), check)
            try:
                start = handle.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
                handle.seek(0)
                if start.startswith(b"{"):  # evidence decoded into staged files, never held whole
                    read_json_export(handle, str(path), intake)
                else:
                    lines = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
                    try:
                        _read_csv_export(lines, path, intake)
                    except UnicodeDecodeError:
                        raise InputError(f"import: {path} is not UTF-8 text") from None
                    finally:
                        lines.detach()  # the handle is open_regular's to close
                return intake.finish()
            finally:
                intake.close()


    def import_data(self, data: Mapping[str, Any], *, source: str = "the export",
                    check: ImportCheck | None = None) -> ImportReport:
        """Import an export already read (export_data's content): taken in as import_file takes a file."""
        intake = Intake(self, source, check)
        try:
            for key in ("format", "format_version"):  # first, as the export writes them: what it is, before its rows
                intake.member(key, data.get(key))
            for key, value in data.items():
                if key not in ("format", "format_version"):
                    intake.member(key, value)
            return intake.finish()
        finally:
            intake.close()
