"""objector.journal.store: storage, the hash chain, verify, evidence, schema checks, export and import."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journal_helpers import REF, make_request, record
from objector.errors import InputError, JournalError, NotFoundError, TamperedError
from objector.journal import GENESIS, MIGRATIONS, SCHEMA_VERSION, Journal, event_hash
from objector.tracking.events import log_confirmed, log_note, log_reply, log_sent

TODAY = date(2025, 6, 30)


@pytest.fixture
def path(tmp_path):
    return tmp_path / "data" / "journal.sqlite3"


@pytest.fixture
def journal(path):
    with Journal.open(path) as j:
        record(j, make_request())
        yield j


def snapshot(j: Journal) -> dict:
    data = j.export_data()
    del data["exported_at"]
    return data


def raw(path):
    """A plain connection, as a person with the sqlite3 shell would have."""
    return sqlite3.connect(path, isolation_level=None)


def problems(j: Journal) -> list[str]:
    return list(j.verify().problems)


# --------------------------------------------------------------------------- storage


def test_a_new_journal_is_private_and_in_wal_mode(journal, path):
    log_note(journal, REF, "x", today=TODAY)
    for name in ("journal.sqlite3", "journal.sqlite3-wal", "journal.sqlite3-shm"):
        assert stat.S_IMODE((path.parent / name).stat().st_mode) == 0o600, name
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    with raw(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] == SCHEMA_VERSION
    assert sorted(MIGRATIONS) == list(range(1, SCHEMA_VERSION + 1))


def test_the_default_location_is_the_data_dir(objector_home):
    with Journal.open() as j:
        assert j.path == objector_home / "journal.sqlite3"
        assert j.evidence_dir == objector_home / "evidence"


def test_add_request_records_it_and_its_drafted_event(journal):
    request = journal.get_request(REF)
    assert request == make_request()
    (drafted,) = journal.events(REF)
    assert (drafted.seq, drafted.type, drafted.on, drafted.prev_hash) == (1, "drafted", date(2025, 1, 2), GENESIS)
    assert len(drafted.data["request"]) == 64


def test_a_duplicate_reference_is_refused_and_changes_nothing(journal):
    before = snapshot(journal)
    with pytest.raises(JournalError, match=f"already has a request {REF}"):
        record(journal, make_request())
    assert snapshot(journal) == before


def test_an_unknown_law_is_refused(journal):
    with pytest.raises(InputError, match="unknown law"):
        record(journal, make_request("OBJ-2026-AAAAAA", law="martian"))


def test_unknown_reference(journal):
    with pytest.raises(NotFoundError, match="OBJ-2026-ZZZZZZ"):
        log_note(journal, "OBJ-2026-ZZZZZZ", "x", today=TODAY)


def test_events_chain_each_to_the_previous(journal):
    log_sent(journal, REF, on=date(2025, 1, 3), via="post", today=TODAY)
    log_confirmed(journal, REF, on=date(2025, 1, 6), today=TODAY)
    log_reply(journal, REF, outcome="complied", on=date(2025, 1, 20), note="done", today=TODAY)
    events = journal.events(REF)
    assert [e.type for e in events] == ["drafted", "sent", "confirmed", "reply"]
    for before, after in zip(events, events[1:], strict=False):
        assert after.prev_hash == before.hash
    e = events[-1]
    assert e.hash == event_hash(e.seq, e.reference, e.type, e.on.isoformat(), e.recorded_at,
                                json.dumps(e.data, sort_keys=True, separators=(",", ":")), e.prev_hash)
    assert journal.verify().ok and journal.verify().head_seq == 4


def test_evidence_is_copied_under_its_hash_with_its_name_kept(journal, tmp_path):
    shot = tmp_path / "confirmation screenshot.png"
    shot.write_bytes(b"\x89PNG fake")
    log_sent(journal, REF, on=date(2025, 1, 3), via="webform", evidence=[shot], today=TODAY)
    event = log_confirmed(journal, REF, on=date(2025, 1, 6), evidence=[shot], today=TODAY)
    (item,) = event.evidence
    stored = journal.evidence_path(item.sha256)
    assert (item.name, item.size, stored.read_bytes()) == ("confirmation screenshot.png", 9, b"\x89PNG fake")
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert stat.S_IMODE(stored.parent.stat().st_mode) == 0o700
    assert len(list(stored.parent.iterdir())) == 1  # the same file twice is stored once
    assert journal.verify().ok and journal.verify().evidence_files == 1


def test_a_refused_event_records_nothing_and_keeps_no_evidence_copy(journal, tmp_path):
    shot = tmp_path / "shot.png"
    shot.write_bytes(b"reply")
    before = snapshot(journal)
    with pytest.raises(InputError, match="not been logged as sent"):
        log_reply(journal, REF, outcome="refused", on=date(2025, 1, 5), evidence=[shot], today=TODAY)
    with pytest.raises(NotFoundError, match="evidence file"):
        log_note(journal, REF, "x", evidence=[tmp_path / "missing.png"], today=TODAY)
    assert snapshot(journal) == before
    assert not journal.evidence_dir.exists() or not list(journal.evidence_dir.iterdir())


def test_a_transaction_is_all_or_nothing(journal):
    before = snapshot(journal)
    with pytest.raises(InputError):
        with journal.transaction():
            record(journal, make_request("OBJ-2026-BBBBBB"))
            log_sent(journal, "OBJ-2026-BBBBBB", on=date(2030, 1, 1), via="post", today=TODAY)  # in the future
    assert snapshot(journal) == before


def test_reading_a_missing_journal_creates_nothing(path):
    with Journal.open(path, create=False) as j:
        assert j.requests() == [] and j.verify().ok
    assert not path.exists() and not path.parent.exists()


# --------------------------------------------------------------------------- files objector must not use


@pytest.mark.parametrize("size", [1, 100, 4096])
def test_random_bytes_are_refused_and_left_untouched(path, size):
    path.parent.mkdir()
    junk = b"\xff" + os.urandom(size - 1)
    path.write_bytes(junk)
    with pytest.raises(JournalError, match="not an SQLite database"):
        Journal.open(path)
    assert path.read_bytes() == junk
    assert sorted(p.name for p in path.parent.iterdir()) == ["journal.sqlite3"]


def test_a_damaged_database_is_refused_and_left_untouched(journal, path):
    journal.close()
    data = bytearray(path.read_bytes())
    data[100:4096] = os.urandom(3996)  # keep the magic header, wreck the first page
    path.write_bytes(bytes(data))
    with pytest.raises(JournalError, match="damaged|cannot be used"):
        Journal.open(path)
    assert path.read_bytes() == bytes(data)


def test_a_journal_from_a_newer_objector_is_refused_and_left_untouched(journal, path):
    journal.close()
    with raw(path) as conn:
        conn.execute("INSERT INTO schema_version VALUES (?, 'later')", (SCHEMA_VERSION + 1,))
    before = path.read_bytes()
    with pytest.raises(JournalError, match=f"newer objector \\(schema {SCHEMA_VERSION + 1}"):
        Journal.open(path)
    assert path.read_bytes() == before


def test_another_sqlite_database_is_not_taken_for_a_journal(path):
    path.parent.mkdir()
    with raw(path) as conn:
        conn.execute("CREATE TABLE photos (id)")
    with pytest.raises(JournalError, match="not an objector journal"):
        Journal.open(path)


# --------------------------------------------------------------------------- verify names what changed


@pytest.fixture
def full(journal, tmp_path):
    shot = tmp_path / "reply.pdf"
    shot.write_bytes(b"%PDF reply")
    log_sent(journal, REF, on=date(2025, 1, 3), via="email", today=TODAY)  # 2
    log_confirmed(journal, REF, on=date(2025, 1, 6), today=TODAY)  # 3
    log_reply(journal, REF, outcome="refused", on=date(2025, 1, 20), evidence=[shot], today=TODAY)  # 4
    log_note(journal, REF, "phoned them", on=date(2025, 1, 21), today=TODAY)  # 5
    assert journal.verify().ok
    return journal


def test_an_edited_event_is_named(full, path):
    with raw(path) as conn:
        conn.execute("UPDATE events SET on_date = '2025-01-07' WHERE seq = 3")
    assert problems(full) == [f"event #3 ({REF}, confirmed 2025-01-07) altered: its content no longer matches its hash"]


def test_an_edited_event_with_its_hash_recomputed_is_named(full, path):
    with raw(path) as conn:
        row = conn.execute("SELECT seq, reference, type, on_date, recorded_at, data, prev_hash FROM events "
                           "WHERE seq = 2").fetchone()
        data = '{"via":"post"}'
        conn.execute("UPDATE events SET data = ?, hash = ? WHERE seq = 2",
                     (data, event_hash(row[0], row[1], row[2], row[3], row[4], data, row[6])))
    assert problems(full) == [f"event #2 ({REF}, sent 2025-01-03) altered: its hash no longer links to event #3"]


def test_a_removed_event_is_named(full, path):
    with raw(path) as conn:
        conn.execute("DELETE FROM events WHERE seq = 3")
    assert problems(full) == ["event #3 removed: the chain jumps from #2 to #4"]


def test_a_removed_last_event_is_named(full, path):
    with raw(path) as conn:
        conn.execute("DELETE FROM events WHERE seq = 5")
    assert problems(full) == ["event #5 removed: the journal's chain ends at event #5"]


def test_an_added_event_is_named(full, path):
    with raw(path) as conn:
        conn.execute("INSERT INTO events SELECT 6, reference, 'note', on_date, recorded_at, data, hash, hash "
                     "FROM events WHERE seq = 5")
    assert problems(full) == [f"event #6 ({REF}, note 2025-01-21) added: the journal's chain ends at event #5"]


def test_an_edited_request_is_named(full, path):
    with raw(path) as conn:
        conn.execute("UPDATE requests SET created_on = '2024-12-24'")
    assert problems(full) == [f"request {REF} altered: the row no longer matches the hash in its drafted event #1"]


def test_a_removed_request_is_named(full, path):
    with raw(path) as conn:
        conn.execute("DELETE FROM requests")
    assert problems(full) == [f"request {REF} removed: its drafted event #1 remains"]


def test_an_added_request_is_named(full, path):
    with raw(path) as conn:
        conn.execute("INSERT INTO requests SELECT 'OBJ-2026-CCCCCC', kind, controller, law, language, region, "
                     "inputs, sha256, document, created_on FROM requests")
    assert problems(full) == ["request OBJ-2026-CCCCCC added: no drafted event in the chain records it"]


def test_an_edited_evidence_file_is_named(full):
    (item,) = full.events(REF)[3].evidence
    full.evidence_path(item.sha256).write_bytes(b"%PDF forged")
    assert problems(full) == [f"evidence file reply.pdf (event #4) altered: evidence/{item.sha256} no longer "
                              "matches its hash"]


def test_a_removed_evidence_file_is_named(full):
    (item,) = full.events(REF)[3].evidence
    full.evidence_path(item.sha256).unlink()
    assert problems(full) == [f"evidence file reply.pdf (event #4) removed: evidence/{item.sha256} is missing"]


def test_an_added_evidence_file_is_named(full):
    (full.evidence_dir / "planted.png").write_bytes(b"x")
    assert problems(full) == ["evidence file evidence/planted.png added: no event refers to it"]


# --------------------------------------------------------------------------- export and import


def test_export_then_import_into_an_empty_journal_is_lossless(full, tmp_path):
    exported = tmp_path / "export.json"
    exported.write_bytes(full.export_json())
    with Journal.open(tmp_path / "other" / "journal.sqlite3") as other:
        report = other.import_file(exported)
        assert (report.requests, report.events, report.evidence_files, report.verbatim) == (1, 5, 1, True)
        assert snapshot(other) == snapshot(full)
        assert other.verify().ok


def test_csv_export_imports_too_when_the_evidence_is_at_hand(full, tmp_path):
    exported = tmp_path / "export.csv"
    exported.write_bytes(full.export_csv())
    assert exported.read_text().splitlines()[0].startswith("seq,reference,type,on,")
    with Journal.open(tmp_path / "other" / "journal.sqlite3") as other:
        with pytest.raises(InputError, match="does not carry the evidence file"):
            other.import_file(exported)
        assert other.requests() == []
        other.evidence_dir.mkdir(mode=0o700)
        for item in full.events(REF)[3].evidence:
            (other.evidence_dir / item.sha256).write_bytes(full.evidence_path(item.sha256).read_bytes())
        other.import_file(exported)
        assert snapshot(other) == snapshot(full)


def test_import_into_a_journal_with_its_own_requests_appends_them(full, tmp_path):
    exported = tmp_path / "export.json"
    exported.write_bytes(full.export_json())
    with Journal.open(tmp_path / "other" / "journal.sqlite3") as other:
        record(other, make_request("OBJ-2026-DDDDDD"))
        report = other.import_file(exported)
        assert not report.verbatim
        assert [e.type for e in other.events(REF)] == [e.type for e in full.events(REF)]
        assert [e.data for e in other.events(REF)] == [e.data for e in full.events(REF)]
        assert other.get_request(REF) == full.get_request(REF)
        assert other.verify().ok and other.verify().events == 6


def test_import_refuses_duplicates_and_changes_nothing(full, tmp_path):
    exported = tmp_path / "export.json"
    exported.write_bytes(full.export_json())
    before = snapshot(full)
    with pytest.raises(InputError, match=f"{REF} is already in the journal"):
        full.import_file(exported)
    assert snapshot(full) == before


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["events"][2].update(on="2025-01-09"), "event #3 .* altered"),
    (lambda d: d["requests"][0].update(kind="access"), f"request {REF} altered"),
    (lambda d: d["events"].pop(1), "event #2 removed"),
    (lambda d: d["evidence"].update({k: "Zm9yZ2Vk" for k in d["evidence"]}), "evidence file .* altered"),
])
def test_import_refuses_a_tampered_export(full, tmp_path, change, message):
    data = json.loads(full.export_json())
    change(data)
    exported = tmp_path / "export.json"
    exported.write_text(json.dumps(data))
    with Journal.open(tmp_path / "other" / "journal.sqlite3") as other:
        with pytest.raises(TamperedError, match=message):
            other.import_file(exported)
        assert other.requests() == [] and other.events() == []
        assert not other.evidence_dir.exists() or not list(other.evidence_dir.iterdir())


@pytest.mark.parametrize("content", ["not json at all", "{}", '{"format": "objector-journal", "format_version": 1}',
                                     "[1, 2]"])
def test_import_refuses_what_is_not_an_export(journal, tmp_path, content):
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    with pytest.raises(InputError):
        journal.import_file(bad)


def test_import_of_a_missing_file(journal, tmp_path):
    with pytest.raises(NotFoundError, match="nothing.json"):
        journal.import_file(tmp_path / "nothing.json")


def test_an_unreferenced_copy_named_by_its_own_hash_is_only_a_warning(full):
    import hashlib

    content = b"copied, then the process was killed before its event was committed"
    digest = hashlib.sha256(content).hexdigest()
    (full.evidence_dir / digest).write_bytes(content)
    report = full.verify()
    assert report.ok and report.warnings == (
        f"evidence/{digest} is not referenced by any event (left by an interrupted `objector log`, or the proof of "
        "a record that was lost); it changes no record: keep it, an export or a backup of the journal may refer to it",)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=-2**63, max_value=2**63), st.lists(st.text(), min_size=6, max_size=6))
def test_rows_are_hashed_as_their_canonical_json(seq, texts):
    """event_hash and request_hash write the flat objects directly (verify hashes 40,000): same text as
    canonical_json, for any text, including quotes, escapes, controls, line separators and astral characters."""
    from objector.journal.records import REQUEST_COLUMNS as _REQUEST_COLUMNS
    from objector.journal.records import _sha256, canonical_json, request_hash

    reference, type_, on, recorded_at, data, prev = texts
    assert event_hash(seq, reference, type_, on, recorded_at, data, prev) == _sha256(canonical_json(
        {"seq": seq, "reference": reference, "type": type_, "on": on, "recorded_at": recorded_at, "data": data,
         "prev": prev}))
    row = {column: texts[n % 6] for n, column in enumerate(_REQUEST_COLUMNS)}
    assert request_hash(row) == _sha256(canonical_json(row))
    assert request_hash(row | {"region": None}) == _sha256(canonical_json(row | {"region": None}))  # tampered types
    assert event_hash(str(seq), reference, type_, on, recorded_at, None, prev) == _sha256(canonical_json(  # type: ignore[arg-type]
        {"seq": str(seq), "reference": reference, "type": type_, "on": on, "recorded_at": recorded_at, "data": None,
         "prev": prev}))
