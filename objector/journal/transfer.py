"""Export and import: the whole journal as JSON (evidence streamed in base64) or CSV (for spreadsheets, formula-safe),
and an import that checks every hash and refuses what the journal already holds.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import os
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from ..clock import now_utc
from ..clock import today as clock_today
from ..errors import InputError, JournalError, TamperedError
from ..paths import ensure_private_dir, open_regular
from .chain import _check_chain, _check_requests, referenced_digests
from .evidence import EVIDENCE_CHUNK, write_evidence
from .records import EVENT_COLUMNS, EVENT_TYPES, GENESIS, REQUEST_COLUMNS, ImportReport, canonical_json, file_sha256
from .schema import SCHEMA_VERSION
from .stream import StagedEvidence, read_json_export
from .writing import JournalWriter

EXPORT_FORMAT = "objector-journal"


EXPORT_VERSION = 1


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


def _parse_csv_export(text: str | Iterable[str], path: Path) -> dict[str, Any]:
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


# ("request" or "event", the row as it would be stored, today) → None, or InputError naming the field. The journal
# checks an export's shape and hashes; what each field may mean is the caller's (objector.tracking.checks).
ImportCheck = Callable[[str, dict[str, Any], date], None]


def _validate_export(data: Mapping[str, Any], source: str, check: ImportCheck | None = None
                     ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, bytes | StagedEvidence]]:
    """Check an export's shape, every hash and (`check`) every field's meaning. Returns requests and events as
    storable rows, evidence bytes."""
    if data.get("format") != EXPORT_FORMAT:
        raise InputError(f"{source} is not an objector journal export")
    version = data.get("format_version")
    if not isinstance(version, int) or version > EXPORT_VERSION:
        raise InputError(f"{source} was exported by a newer objector (format {version}); upgrade objector")
    try:
        requests = [{**{c: r[c] for c in REQUEST_COLUMNS if c != "inputs"}, "inputs": canonical_json(r["inputs"])}
                    for r in data["requests"]]
        events = [{"seq": int(e["seq"]), "reference": e["reference"], "type": e["type"], "on_date": e["on"],
                   "recorded_at": e["recorded_at"], "data": canonical_json(e["data"]),
                   "prev_hash": e["prev_hash"], "hash": e["hash"]} for e in data["events"]]
        head = data["head"]
        head_seq, head_hash = int(head["seq"]), head["hash"]
        evidence = {digest: content if isinstance(content, StagedEvidence) else base64.b64decode(content, validate=True)
                    for digest, content in (data.get("evidence") or {}).items()}
        for r in requests:
            date.fromisoformat(r["created_on"])
            if not all(isinstance(r[c], str) for c in REQUEST_COLUMNS):
                raise ValueError(f"request {r['reference']}: a field is not text")
        for e in events:
            date.fromisoformat(e["on_date"])
            if not all(isinstance(e[c], str) for c in EVENT_COLUMNS if c != "seq"):
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
                 for digest, content in evidence.items() if _sha256_of(content) != digest]
    if problems:
        raise TamperedError(f"{source} failed its hash check, nothing was imported: {problems[0]}"
                            + (f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""))
    if check is not None:  # a chain recomputed around a 9999-12-31 or a terminal escape passes the hashes
        today = clock_today()
        try:
            for r in requests:
                check("request", r, today)
            for e in events:
                check("event", e, today)
        except InputError as exc:
            raise InputError(f"{source}: {exc.message}; nothing was imported") from None
        except (ValueError, TypeError, RecursionError) as exc:
            raise InputError(f"{source} is not a valid journal export ({type(exc).__name__}: {exc}); nothing was "
                             "imported") from None
    return requests, events, evidence



def _sha256_of(content: bytes | StagedEvidence) -> str:
    return content.sha256 if isinstance(content, StagedEvidence) else hashlib.sha256(content).hexdigest()


class JournalTransfer(JournalWriter):
    """`export` and `import`."""


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


    def import_file(self, path: Path, *, check: ImportCheck | None = None) -> ImportReport:
        """Import a JSON or CSV export. Checks every hash, and every field with `check`; refuses references
        already in this journal."""
        if self.path is None:
            raise JournalError("no journal to import into")
        with open_regular(path, "import") as handle:
            start = handle.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
            handle.seek(0)
            if not start.startswith(b"{"):  # CSV, read a row at a time
                lines = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
                try:
                    data = _parse_csv_export(lines, path)
                except UnicodeDecodeError:
                    raise InputError(f"import: {path} is not UTF-8 text") from None
                return self.import_data(data, source=str(path), check=check)
            # JSON is streamed: evidence decoded into staged files beside the evidence folder, never held whole.
            staging = ensure_private_dir(self.evidence_dir)
            data = read_json_export(handle, str(path), staging)
        staged = [v for v in (data.get("evidence") or {}).values() if isinstance(v, StagedEvidence)]
        try:
            return self.import_data(data, source=str(path), check=check)
        finally:
            for item in staged:
                item.discard()  # moved into place by import_data, or not wanted


    def import_data(self, data: Mapping[str, Any], *, source: str = "the export",
                    check: ImportCheck | None = None) -> ImportReport:
        requests, events, evidence = _validate_export(data, source, check)
        # Evidence: every file an event names must come with the export or be here already.
        directory = self.evidence_dir
        missing = [d for d in referenced_digests(events) if d not in evidence
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
                    if isinstance(content, StagedEvidence):
                        if _place_staged(content, directory / digest):
                            created.append(directory / digest)
                    elif write_evidence(directory / digest, content):
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
                    self._conn.execute(f"INSERT INTO requests ({', '.join(REQUEST_COLUMNS)}) VALUES "
                                       f"({', '.join('?' * len(REQUEST_COLUMNS))})",
                                       tuple(r[c] for c in REQUEST_COLUMNS))
                head_seq, _ = self._head()
                verbatim = head_seq == 0 and not self._conn.execute("SELECT 1 FROM events LIMIT 1").fetchone()
                for e in events:
                    if verbatim:
                        self._conn.execute(
                            f"INSERT INTO events ({', '.join(EVENT_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                            tuple(e[c] for c in EVENT_COLUMNS))
                    else:  # this journal has its own chain: append, keeping every field but the links
                        self._append(e["reference"], e["type"], date.fromisoformat(e["on_date"]),
                                     json.loads(e["data"]), e["recorded_at"])
                if verbatim and events:
                    self._set_head(events[-1]["seq"], events[-1]["hash"])
        except BaseException:
            for path in created:
                path.unlink(missing_ok=True)
            raise
        return ImportReport(len(requests), len(events), len(referenced_digests(events)), verbatim)


def _place_staged(staged: StagedEvidence, target: Path) -> bool:
    """Move a staged evidence file into place under its hash (0600) unless it is there already. True if created."""
    from ..paths import PRIVATE_FILE_MODE, _link_into_place

    if target.exists():
        return False
    os.chmod(staged.path, PRIVATE_FILE_MODE)
    try:
        _link_into_place(staged.path, target)
    except FileExistsError:  # another process stored the same file first: same name, same bytes
        return False
    return True
