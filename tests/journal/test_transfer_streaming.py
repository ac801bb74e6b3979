"""`export` and `import` at scale (issue 20): both stream (rows written as they are read, rows taken in as they
come), so their memory does not grow with the number of requests; and an export imported into a fresh journal
exports again to the same bytes, JSON and CSV alike. tests/benchmarks/bench_transfer.py measures the whole
processes at 10,000 and 100,000 requests."""

from __future__ import annotations

import io
import json
import shutil
import tracemalloc
from datetime import date, timedelta

import pytest

from helpers import ok, one_line_error
from journal_helpers import make_request, record
from objector.errors import InputError
from objector.journal import Journal, canonical_json, request_hash
from objector.tracking.checks import check_imported

# Every kind of text an export carries: accents, a formula a spreadsheet would run, quotes, a comma, a line break.
NOTES = ["Ünïcödé ✓ — «quoted»", "=HYPERLINK(\"http://x\")", "line one\nline two, with a comma", "'apostrophe", "+1"]


@pytest.fixture
def fixed_clock(monkeypatch):
    monkeypatch.setattr("objector.journal.transfer.now_utc", lambda: "2026-01-01T00:00:00Z")
    monkeypatch.setenv("OBJECTOR_TODAY", "2025-06-30")


def _fill(invoke, tmp_path) -> None:
    """Requests under three laws with every kind of event, notes in NOTES, evidence shared by two events."""
    shot = tmp_path / "ack.png"
    shot.write_bytes(b"\x89PNG evidence bytes")
    with Journal.open() as journal:
        record(journal, make_request("OBJ-2025-AAAAAA"))
        record(journal, make_request("OBJ-2025-BBBBBB", controller="meta-inc", law="uk-gdpr"))
        record(journal, make_request("ACC-2025-CCCCCC", controller="meta-inc", law="ccpa", region="CA", kind="access"))
    ok(invoke("log", "sent", "OBJ-2025-AAAAAA", "--on", "2025-01-31", "--via", "post", "--evidence", shot))
    ok(invoke("log", "confirmed", "OBJ-2025-AAAAAA", "--on", "2025-02-03", "--received-on", "2025-02-02"))
    ok(invoke("log", "reply", "OBJ-2025-AAAAAA", "--outcome", "partial", "--on", "2025-02-25", "--note", NOTES[0]))
    ok(invoke("log", "sent", "OBJ-2025-BBBBBB", "--on", "2025-03-01", "--via", "email"))
    ok(invoke("log", "reply", "OBJ-2025-BBBBBB", "--outcome", "needs-id", "--on", "2025-03-05"))
    ok(invoke("log", "supplied", "OBJ-2025-BBBBBB", "--on", "2025-03-07", "--evidence", shot))
    for note in NOTES[1:]:
        ok(invoke("log", "note", "ACC-2025-CCCCCC", note))


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_import_export_gives_the_same_bytes(invoke, objector_home, tmp_path, monkeypatch, fixed_clock, fmt):
    _fill(invoke, tmp_path)
    ok(invoke("export", "-f", fmt, "-o", tmp_path / f"first.{fmt}"))
    first = (tmp_path / f"first.{fmt}").read_bytes()
    assert ok(invoke("export", "-f", fmt)).stdout_bytes == first  # printed: the same bytes, streamed too
    fresh = tmp_path / "fresh"
    monkeypatch.setenv("OBJECTOR_HOME", str(fresh))
    if fmt == "csv":  # CSV carries no evidence bytes: they must be at hand, beside a new journal
        Journal.open().close()
        shutil.copytree(objector_home / "evidence", fresh / "evidence", copy_function=shutil.copy)
    assert "Imported 3 requests, 13 events and 1 evidence file" in ok(invoke("import", tmp_path / f"first.{fmt}")).stdout
    ok(invoke("export", "-f", fmt, "-o", tmp_path / f"again.{fmt}"))
    assert (tmp_path / f"again.{fmt}").read_bytes() == first
    assert "Journal intact" in ok(invoke("verify")).stdout


# --------------------------------------------------------------------------- memory flat in the number of requests


def _requests(journal: Journal, count: int) -> None:
    """`count` requests, each drafted, sent and noted, straight through the journal (no letter rendered); the
    first has its letter kept as evidence."""
    with journal.transaction():
        for n in range(count):
            reference = f"OBJ-2025-{n:06d}"
            day = date(2025, 1, 2) + timedelta(days=n % 150)
            letter = b"%PDF-1.7 the letter" if n == 0 else None
            journal.add_request(reference=reference, kind="objection", controller="meta-ireland", law="gdpr",
                                language="en", inputs={"purpose": "ai-training"}, sha256="ab" * 32,
                                document=f"{reference}.pdf", created_on=day, letter=letter)
            journal._append(reference, "sent", day, {"via": "email"})
            journal._append(reference, "note", day, {"note": NOTES[n % len(NOTES)]})


def _peak(run) -> int:
    """Peak bytes Python allocated while `run` ran (run once before, so that modules and caches are in place)."""
    run()
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


class _Discard:
    def write(self, data: bytes) -> int:
        return len(data)


def test_export_memory_does_not_grow_with_the_requests(tmp_path):
    def peak(count: int) -> int:
        with Journal.open(tmp_path / f"j{count}" / "journal.sqlite3") as journal:
            _requests(journal, count)
            return _peak(lambda: (journal.write_json_export(_Discard()), journal.write_csv_export(_Discard())))

    small, large = peak(100), peak(500)
    assert large < small + 192 * 1024, (small, large)  # the rows of 500 requests held at once take megabytes


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_import_memory_does_not_grow_with_the_requests(tmp_path, monkeypatch, fmt):
    # The JSON reader holds up to about twice this many characters of the file (1 Mi of them, normally): smaller
    # here, so that a few hundred requests, not tens of thousands, show whether anything else is held.
    monkeypatch.setattr("objector.journal.stream.READ_CHARS", 16 * 1024)

    def peak(count: int) -> int:
        source = tmp_path / f"from{count}"
        with Journal.open(source / "journal.sqlite3") as journal:
            _requests(journal, count)
            exported = tmp_path / f"export{count}.{fmt}"
            exported.write_bytes(journal.export_json() if fmt == "json" else journal.export_csv())
        runs = iter(range(2))

        def run() -> None:
            target = tmp_path / f"to{count}-{next(runs)}"
            target.mkdir()
            with Journal.open(target / "journal.sqlite3") as journal:
                if fmt == "csv":  # the letter it names, at hand beside the journal
                    shutil.copytree(source / "evidence", target / "evidence", copy_function=shutil.copy)
                report = journal.import_file(exported, check=check_imported)
            assert (report.requests, report.events, report.evidence_files) == (count, 3 * count, 1)

        return _peak(run)

    small, large = peak(100), peak(500)
    assert large < small + 192 * 1024, (small, large)


# --------------------------------------------------------------------------- rows as they come, in any order


def _export(tmp_path, fixed_clock) -> dict:
    with Journal.open(tmp_path / "source" / "journal.sqlite3") as journal:
        _requests(journal, 3)
        return json.loads(journal.export_json())


def test_an_export_is_read_whatever_the_order_of_its_members(tmp_path, fixed_clock):
    data = _export(tmp_path, fixed_clock)
    reordered = {key: data[key] for key in ("evidence", "events", "head", "requests", "format_version", "format")}
    (tmp_path / "reordered.json").write_text(json.dumps(reordered), "utf-8")
    with Journal.open(tmp_path / "fresh" / "journal.sqlite3") as journal:
        report = journal.import_file(tmp_path / "reordered.json", check=check_imported)
        assert (report.requests, report.events, report.evidence_files, report.verbatim) == (3, 9, 1, True)
        assert journal.verify().ok
        assert json.loads(journal.export_json()) == data


def test_import_data_takes_rows_from_iterators(tmp_path, fixed_clock):
    """import_data reads the requests, events and evidence once each: a reader may hand them over as it goes."""
    data = _export(tmp_path, fixed_clock)
    given = {**data, "requests": iter(data["requests"]), "events": (e for e in data["events"])}
    with Journal.open(tmp_path / "fresh" / "journal.sqlite3") as journal:
        report = journal.import_data(given, check=check_imported)
        assert (report.requests, report.events) == (3, 9)
        assert json.loads(journal.export_json()) == data


def test_an_export_that_holds_its_rows_twice_is_refused(tmp_path, fixed_clock):
    data = _export(tmp_path, fixed_clock)
    text = json.dumps(data)
    twice = text[:-1] + ', "requests": ' + json.dumps(data["requests"]) + "}"
    (tmp_path / "twice.json").write_text(twice, "utf-8")
    with Journal.open(tmp_path / "fresh" / "journal.sqlite3") as journal:
        with pytest.raises(InputError, match="twice.json is not a journal export: it holds 'requests' twice"):
            journal.import_file(tmp_path / "twice.json")
        assert journal.requests() == []


def test_a_forged_row_is_named_before_a_field_objector_would_not_write(invoke, objector_home, tmp_path, fixed_clock):
    """The meaning of each field is checked as the row comes in, but a broken chain is named first (exit 8)."""
    data = _export(tmp_path, fixed_clock)
    data["events"][1]["on"] = "9999-12-31"  # changed without recomputing its hash
    (tmp_path / "forged.json").write_text(json.dumps(data), "utf-8")
    one_line_error(invoke("import", "forged.json"), 8, "failed its hash check", "event #2", "altered")
    data["events"][1]["hash"] = "0" * 64
    for event in data["events"]:  # the chain recomputed: now the date itself is refused
        previous = data["events"][event["seq"] - 2]["hash"] if event["seq"] > 1 else "0" * 64
        from objector.journal import event_hash

        event["prev_hash"] = previous
        event["hash"] = event_hash(event["seq"], event["reference"], event["type"], event["on"],
                                   event["recorded_at"], canonical_json(event["data"]), previous)
    data["head"] = {"seq": data["events"][-1]["seq"], "hash": data["events"][-1]["hash"]}
    assert request_hash  # the requests are untouched: their drafted events' hashes still hold
    (tmp_path / "forged.json").write_text(json.dumps(data), "utf-8")
    one_line_error(invoke("import", "forged.json"), 3, "event #2 (sent): date 9999-12-31 is outside",
                   "nothing was imported")
    assert not (objector_home / "journal.sqlite3").exists() or "No requests" in ok(invoke("status", "--all")).stdout


def test_an_empty_export_imports_nothing(tmp_path):
    with Journal.open(tmp_path / "empty" / "journal.sqlite3") as journal:
        out = io.BytesIO()
        journal.write_json_export(out)
        (tmp_path / "empty.json").write_bytes(out.getvalue())
    with Journal.open(tmp_path / "fresh" / "journal.sqlite3") as journal:
        report = journal.import_file(tmp_path / "empty.json")
        assert (report.requests, report.events, report.evidence_files) == (0, 0, 0)
        assert journal.head() == (0, "0" * 64)


@pytest.mark.parametrize(("content", "message"), [
    ("{}", "is not an objector journal export"),
    ('{"format": "objector-journal"}', r"was exported by a newer objector \(format None\)"),
    ('{"format": "objector-journal", "format_version": 1, "requests": []}', r"not a valid journal export \(KeyError: 'events'\)"),
    ('{"format": "objector-journal", "format_version": 1, "requests": [], "events": [], "evidence": [1]}',
     "not a valid journal export"),
])
def test_what_an_export_lacks_is_named_once_it_is_read(tmp_path, content, message):
    (tmp_path / "bad.json").write_text(content, "utf-8")
    with Journal.open(tmp_path / "fresh" / "journal.sqlite3") as journal:
        with pytest.raises(InputError, match=message):
            journal.import_file(tmp_path / "bad.json")


def test_an_import_refused_under_the_write_lock_takes_its_evidence_files_away_again(tmp_path, fixed_clock):
    """Evidence is moved into place before the rows are written; a refusal then (a reference already here)
    removes the files this import created, and leaves no staged copy."""
    with Journal.open(tmp_path / "source" / "journal.sqlite3") as journal:
        _requests(journal, 2)
        (tmp_path / "export.json").write_bytes(journal.export_json())
    with Journal.open(tmp_path / "here" / "journal.sqlite3") as journal:
        record(journal, make_request("OBJ-2025-000001"))
        with pytest.raises(InputError, match="OBJ-2025-000001 is already in the journal; nothing was imported"):
            journal.import_file(tmp_path / "export.json", check=check_imported)
        assert list(journal.evidence_dir.iterdir()) == []
        assert [r.reference for r in journal.requests()] == ["OBJ-2025-000001"]
