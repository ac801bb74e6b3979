"""Verification: the file's integrity, the hash chain from the first event to the head, the requests each drafted
event covers, and every evidence file against its hash.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from ..errors import JournalError
from .records import (
    EVENT_COLUMNS,
    EVIDENCE_DIRNAME,
    GENESIS,
    REQUEST_COLUMNS,
    VerifyReport,
    event_hash,
    file_sha256,
    request_hash,
)
from .schema import evidence_predates
from .standing import StandingCache


def _describe(row: Mapping[str, Any]) -> str:
    return f"event #{row['seq']} ({row['reference']}, {row['type']} {row['on_date']})"


def _check_chain(rows: Iterable[dict[str, Any]], head_seq: int, head_hash: str) -> list[str]:
    """Name every event altered, removed or added, from the hashes and the head. Reads `rows` once, in order (an
    import passes them from a cursor)."""
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



class JournalVerifier(StandingCache):
    """`verify`: recomputes every hash and names each altered, removed or added row or file."""


    def verify(self) -> VerifyReport:
        """Check the file, the hash chain, the requests it covers and every evidence file."""
        problems: list[str] = []
        with self._errors(), self.snapshot():
            check = [" ".join(row[0].split()) for row in self._conn.execute("PRAGMA integrity_check")]
            if check != ["ok"]:
                raise JournalError(f"the journal {self._where()} is damaged: {'; '.join(check[:3])}",
                                   hint="restore it from a backup or an export")
            requests = {row[0]: dict(zip(REQUEST_COLUMNS, row, strict=True)) for row in self._conn.execute(
                f"SELECT {', '.join(REQUEST_COLUMNS)} FROM requests")}
            rows = [dict(zip(EVENT_COLUMNS, row, strict=True)) for row in self._conn.execute(
                f"SELECT {', '.join(EVENT_COLUMNS)} FROM events ORDER BY seq")]
            try:
                head_seq, head_hash = self._head()
            except JournalError:
                problems.append("the chain head (meta table) was altered or removed")
                head_seq, head_hash = (rows[-1]["seq"], rows[-1]["hash"]) if rows else (0, GENESIS)
        problems += _check_chain(rows, head_seq, head_hash)
        problems += _check_requests(rows, requests)
        referenced, evidence_problems, warnings = self._check_evidence(rows)
        problems += evidence_problems
        if not rows and not requests and self.path is not None and evidence_predates(self.path):
            problems.append(f"the journal holds no records, but its evidence folder {self.evidence_dir} is not empty: "
                            "its records were lost (keep the evidence folder: restore the journal from a backup or "
                            "an export)")
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
                    # A complete copy whose event was never committed (the process was stopped in between), or the
                    # proof of a record that was lost: only the file can tell which, so it is never called litter.
                    warnings.append(f"{EVIDENCE_DIRNAME}/{path.name} is not referenced by any event (left by an "
                                    "interrupted `objector log`, or the proof of a record that was lost); it changes "
                                    "no record: keep it, an export or a backup of the journal may refer to it")
                else:
                    problems.append(f"evidence file {EVIDENCE_DIRNAME}/{path.name} added: no event refers to it")
        return referenced, problems, warnings
