"""What the journal holds: requests, events and evidence as values, how each row is hashed into the chain,
and where the journal and its evidence live.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from json.encoder import encode_basestring as _json_text  # the string encoder of ensure_ascii=False
from pathlib import Path
from typing import Any

from ..errors import JournalError
from ..paths import data_dir

JOURNAL_NAME = "journal.sqlite3"


EVIDENCE_DIRNAME = "evidence"


GENESIS = "0" * 64


# Every event type a journal holds; an import naming another is refused (the timeline could not fold it).
EVENT_TYPES = ("drafted", "sent", "confirmed", "reply", "supplied", "note", "reminder", "discarded")


REQUEST_COLUMNS = ("reference", "kind", "controller", "law", "language", "region", "inputs", "sha256",
                    "document", "created_on")


EVENT_COLUMNS = ("seq", "reference", "type", "on_date", "recorded_at", "data", "prev_hash", "hash")


REQUEST_KEYS = tuple(sorted(REQUEST_COLUMNS))


class JournalLostError(JournalError):
    """The journal's records are gone (deleted, or truncated to nothing) while what they covered remains.

    Every command that opens the journal stops with exit 7; `verify` reports it as tampering (exit 8)."""


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


# json.dumps with these options builds a new encoder on every call; `verify` encodes 40,000 values.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode


def canonical_json(value: Any) -> str:
    """One text for one value: sorted keys, no spaces, UTF-8 kept. Raises TypeError if not JSON-able."""
    return _CANONICAL(value)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def request_hash(row: Mapping[str, Any]) -> str:
    """Hash of a requests row as stored (text columns, inputs as its stored JSON text)."""
    if all(type(row[column]) is str for column in REQUEST_KEYS):
        text = "{" + ",".join([f'"{column}":{_json_text(row[column])}' for column in REQUEST_KEYS]) + "}"
    else:
        text = canonical_json({column: row[column] for column in REQUEST_KEYS})
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


def journal_path() -> Path:
    return data_dir() / JOURNAL_NAME


def evidence_dir(journal_file: Path | None = None) -> Path:
    """Evidence lives beside the journal file: <dir>/evidence/<sha256>."""
    return (journal_file or journal_path()).parent / EVIDENCE_DIRNAME


def request_from_row(row: tuple[Any, ...]) -> Request:
    values = dict(zip(REQUEST_COLUMNS, row, strict=True))
    try:
        return Request(
            reference=values["reference"], kind=values["kind"], controller=values["controller"], law=values["law"],
            language=values["language"], region=values["region"], inputs=json.loads(values["inputs"]),
            sha256=values["sha256"], document=values["document"],
            created_on=date.fromisoformat(values["created_on"]))
    except (TypeError, ValueError) as exc:
        raise JournalError(f"the journal's request {values['reference']} is unreadable ({exc})",
                           hint="run `objector verify`") from exc


def event_from_row(row: tuple[Any, ...]) -> Event:
    values = dict(zip(EVENT_COLUMNS, row, strict=True))
    try:
        return Event(seq=values["seq"], reference=values["reference"], type=values["type"],
                     on=date.fromisoformat(values["on_date"]), recorded_at=values["recorded_at"],
                     data=json.loads(values["data"]), prev_hash=values["prev_hash"], hash=values["hash"])
    except (TypeError, ValueError) as exc:
        raise JournalError(f"the journal's event #{values['seq']} is unreadable ({exc})",
                           hint="run `objector verify`") from exc
