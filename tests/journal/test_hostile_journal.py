"""Hostile journals, second pass (issue 20): damage every command reports (a flipped bit, rows deleted), a request
that cannot be folded named while the rest are shown, imports that check every field and stream their evidence.
"""

from __future__ import annotations

import pytest

from helpers import ok, one_line_error, write_profile
from journal_helpers import REF, add

# --------------------------------------------------------------------------- damage is reported by every command

READERS = [("status",), ("status", "--json"), ("show", REF), ("calendar", "-o", "x.ics"), ("export",),
           ("log", "note", REF, "again"), ("followup", REF), ("complaint", REF), ("discard", REF)]


@pytest.fixture
def journal_file(invoke, objector_home, tmp_path):
    add()
    add("ACC-2026-000001", kind="access")
    ok(invoke("log", "note", REF, "called them", "--on", "2025-01-05", "--evidence", tmp_path / "profile.toml"
              if (tmp_path / "profile.toml").exists() else write_profile(tmp_path)))
    ok(invoke("status", "--all"))  # the standing cache is filled: status would not need to read the events
    return objector_home / "journal.sqlite3"


def _flip(path, table: str) -> None:
    """Flip bits in the page header of `table`'s first page, as a failing disk would."""
    import sqlite3

    with sqlite3.connect(path) as conn:
        page = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    with open(path, "r+b") as handle:
        handle.seek((page - 1) * size + 5)
        byte = handle.read(1)
        handle.seek((page - 1) * size + 5)
        handle.write(bytes([byte[0] ^ 0x40]))


@pytest.mark.parametrize("args", READERS)
def test_a_bit_flipped_journal_is_damage_for_every_command(invoke, journal_file, args):
    _flip(journal_file, "events")
    one_line_error(invoke(*args), 7, f"the journal {journal_file} is damaged", "it was left untouched")


def test_verify_names_the_damage_too(invoke, journal_file):
    _flip(journal_file, "events")
    one_line_error(invoke("verify"), 7, "is damaged")


def _delete_rows(path, where: str = "", *, head: bool = False) -> None:
    """Delete events (all of them, with the requests and the cache, if `where` is empty); `head`: reset the chain
    head too, as someone covering their tracks would."""
    import sqlite3

    with sqlite3.connect(path) as conn:
        conn.execute(f"DELETE FROM events {where}")
        if not where:
            conn.execute("DELETE FROM requests")
            conn.execute("DELETE FROM standing")
        if head:
            conn.execute(f"UPDATE meta SET value = CASE key WHEN 'head_seq' THEN '0' ELSE '{'0' * 64}' END")
    conn.close()


@pytest.mark.parametrize("args", READERS)
def test_every_row_deleted_beside_the_evidence_is_loss_not_an_empty_journal(invoke, journal_file, args):
    _delete_rows(journal_file)
    one_line_error(invoke(*args), 7, "has lost records: its chain ends at event #3 but the last event left is #0",
                   "keep the evidence folder")


@pytest.mark.parametrize("args", READERS)
def test_every_row_and_the_head_reset_beside_the_evidence_is_loss_too(invoke, journal_file, args):
    _delete_rows(journal_file, head=True)
    one_line_error(invoke(*args), 7, "holds no records, but its evidence folder", "its records were lost",
                   "keep the evidence folder")


@pytest.mark.parametrize("head", [False, True])
def test_verify_reports_every_row_deleted_and_never_suggests_deleting_evidence(invoke, journal_file, head):
    _delete_rows(journal_file, head=head)
    result = invoke("verify")
    assert result.exit_code == 8, result.output
    assert ("its records were lost" if head else "event #1 to #3 removed") in result.stdout
    assert "may be deleted" not in result.output
    assert all(line.startswith(("TAMPERED: ", "note: ")) for line in result.stdout.splitlines())
    assert "keep it" in result.stdout  # each evidence file: the proof of a record that was lost


@pytest.mark.parametrize("args", [("status",), ("show", "ACC-2026-000001"), ("export",)])
def test_the_last_events_deleted_are_loss_for_every_command(invoke, journal_file, args):
    _delete_rows(journal_file, "WHERE seq > 2")
    one_line_error(invoke(*args), 7, "has lost records: its chain ends at event #3 but the last event left is #2")
    result = invoke("verify")
    assert result.exit_code == 8 and "TAMPERED: event #3 removed" in result.stdout


def test_a_request_that_cannot_be_folded_is_named_and_the_rest_shown(invoke, objector_home, monkeypatch):
    from datetime import date

    from objector.journal import Journal

    add()
    add("ACC-2026-000001", kind="access")
    with Journal.open() as journal, journal.transaction():  # what a recomputed export could bring
        journal._append(REF, "sent", date(9999, 12, 31), {"via": "post"})
        journal._append("ACC-2026-000001", "sent", date(2025, 1, 3), {"via": "email"})
    monkeypatch.setenv("OBJECTOR_TODAY", "2025-02-01")
    named = f"the journal's request {REF} cannot be read (OverflowError: date value out of range)"
    status = invoke("status")
    one_line_error(status, 7, named)
    assert "ACC-2026-000001" in status.stdout and REF not in status.stdout
    for args in (("show", REF), ("followup", REF)):
        one_line_error(invoke(*args), 7, named)
    one_line_error(invoke("calendar", "-o", "deadlines.ics"), 7, named)


# --------------------------------------------------------------------------- an import checks meaning, not only hashes


def recompute_chain(data: dict) -> None:
    """What a forger does: every request hash, event hash and the head recomputed, so the hash check passes."""
    from objector.journal import GENESIS, canonical_json, event_hash, request_hash

    requests = {r["reference"]: r for r in data["requests"]}
    previous = GENESIS
    for e in data["events"]:
        if e["type"] == "drafted":
            e["data"]["request"] = request_hash({**requests[e["reference"]],
                                                 "inputs": canonical_json(requests[e["reference"]]["inputs"])})
        e["prev_hash"] = previous
        e["hash"] = previous = event_hash(e["seq"], e["reference"], e["type"], e["on"], e["recorded_at"],
                                          canonical_json(e["data"]), previous)
    data["head"] = {"seq": data["events"][-1]["seq"], "hash": previous}


@pytest.fixture
def forged(invoke, objector_home, tmp_path):
    """Writes the journal's export changed by a function, its chain recomputed; the journal is then moved away."""
    import json

    add()
    ok(invoke("log", "sent", REF, "--on", "2025-01-03", "--via", "email"))
    ok(invoke("log", "reply", REF, "--on", "2025-01-20", "--outcome", "partial", "--note", "some of it"))
    ok(invoke("export", "-o", "export.json"))
    data = json.loads((tmp_path / "export.json").read_text("utf-8"))
    for name in ("journal.sqlite3", "journal.sqlite3-wal", "journal.sqlite3-shm"):
        (objector_home / name).unlink(missing_ok=True)

    def write(change) -> str:
        changed = json.loads(json.dumps(data))
        change(changed)
        recompute_chain(changed)
        (tmp_path / "forged.json").write_text(json.dumps(changed), "utf-8")
        return "forged.json"

    return write


@pytest.mark.parametrize(("change", "fragment"), [
    (lambda d: d["events"][1].update(on="9999-12-31"),
     "event #2 (sent): date 9999-12-31 is outside the days a record can have (2000-01-01 to "),
    (lambda d: d["events"][1]["data"].update(via="email\x1b[2J\x1b]0;pwned\x07"),
     "event #2 (sent): details.via: contains a control character (U+001B) at character 6"),
    (lambda d: d["events"][1]["data"].update(via="pigeon"),
     "event #2 (sent): via 'pigeon' is not one of post, email, webform, app"),
    (lambda d: d["events"][2]["data"].update(outcome="maybe"),
     "event #3 (reply): outcome 'maybe' is not one of complied, refused, partial, extended, needs-id, other"),
    (lambda d: d["events"][2]["data"].update(note="some \u202eof it"),
     "event #3 (reply): details.note: contains a bidirectional override (U+202E"),
    (lambda d: d["events"][1]["data"].update(received_on="1900-01-01"),
     "event #2 (sent): received_on 1900-01-01 is outside the days a record can have"),
    (lambda d: d["events"][1].update(recorded_at="yesterday"),
     "event #2 (sent): recorded_at 'yesterday' is not a UTC time objector writes"),
    (lambda d: d["events"][0]["data"]["evidence"][0].update(size=-1) if d["events"][0]["data"].get("evidence")
     else d["events"][0]["data"].update(evidence=[{"sha256": "a" * 64, "name": "x.pdf", "size": -1}]),
     "event #1 (drafted): an evidence entry is not a file's SHA-256, name and size"),
    (lambda d: d["requests"][0].update(created_on="0001-01-01"),
     f"request {REF}: created_on 0001-01-01 is outside the days a record can have"),
    (lambda d: d["requests"][0].update(kind="poem"), f"request {REF}: kind 'poem' is not one of objection, access"),
    (lambda d: d["requests"][0].update(law="mars"), f"request {REF}: law 'mars' is not one of gdpr, uk-gdpr"),
    (lambda d: d["requests"][0]["inputs"].update(reason="\x1b[31mred"),
     f"request {REF}: inputs.reason: contains a control character (U+001B)"),
])
def test_an_import_with_a_recomputed_chain_is_checked_field_by_field(invoke, forged, change, fragment):
    one_line_error(invoke("import", forged(change)), 3, f"forged.json: {fragment}", "nothing was imported")
    assert "No requests in the journal yet" in ok(invoke("status", "--all")).stdout


def test_an_import_that_passes_every_check_is_usable_by_every_command(invoke, forged, monkeypatch):
    ok(invoke("import", forged(lambda d: None)))
    monkeypatch.setenv("OBJECTOR_TODAY", "2025-02-01")
    for args in (("status", "--all"), ("show", REF), ("verify",), ("calendar", "-o", "-")):
        ok(invoke(*args))


# --------------------------------------------------------------------------- import is streamed


def _export_with_big_evidence(objector_home, tmp_path, megabytes: int = 32):
    from datetime import date

    from objector.journal import Journal
    from objector.tracking.events import log_note

    add()
    big = tmp_path / "recording.bin"
    with open(big, "wb") as handle:
        for i in range(megabytes):
            handle.write(bytes([i]) * (1 << 20))
    with Journal.open() as journal:
        log_note(journal, REF, "the call", on=date(2025, 1, 3), evidence=[big], today=date(2025, 6, 30))
        with open(tmp_path / "export.json", "wb") as out:
            journal.write_json_export(out)
    for name in ("journal.sqlite3", "journal.sqlite3-wal", "journal.sqlite3-shm"):
        (objector_home / name).unlink(missing_ok=True)
    for path in (objector_home / "evidence").iterdir():
        path.unlink()
    return big


def test_an_import_streams_its_evidence_without_reading_it_whole(objector_home, tmp_path):
    import tracemalloc

    from objector.journal import Journal
    from objector.tracking.checks import check_imported

    big = _export_with_big_evidence(objector_home, tmp_path)
    tracemalloc.start()
    try:
        with Journal.open() as journal:
            report = journal.import_file(tmp_path / "export.json", check=check_imported)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 12 * 2**20, f"{peak / 2**20:.1f} MiB for an export with 32 MiB of evidence"
    assert report.evidence_files == 1
    stored = [p for p in (objector_home / "evidence").iterdir()]
    assert len(stored) == 1 and stored[0].read_bytes() == big.read_bytes()  # no staged copy left beside it
    with Journal.open() as journal:
        assert journal.verify().ok


def test_an_import_whose_streamed_evidence_does_not_match_leaves_nothing(invoke, objector_home, tmp_path):
    _export_with_big_evidence(objector_home, tmp_path, megabytes=2)
    text = (tmp_path / "export.json").read_text("utf-8")
    cut = text.index('"evidence": {') + 100
    (tmp_path / "export.json").write_text(text[:cut] + ("B" if text[cut] != "B" else "C") + text[cut + 1:], "utf-8")
    one_line_error(invoke("import", "export.json"), 8, "failed its hash check", "evidence file", "altered")
    assert list((objector_home / "evidence").iterdir()) == []  # the staged copy is gone too
    (tmp_path / "cut.json").write_text(text[:cut], "utf-8")
    one_line_error(invoke("import", "cut.json"), 3, "cut.json is not a journal export: it ends inside an evidence file")
    assert list((objector_home / "evidence").iterdir()) == []


def test_a_first_letter_interrupted_before_its_commit_is_no_loss(invoke, objector_home):
    import hashlib

    from objector.journal import Journal

    with Journal.open():
        pass  # an empty journal, as the first letter creates it
    content = b"the letter's copy, kept before its event was committed (then kill -9)"
    (objector_home / "evidence").mkdir()
    (objector_home / "evidence" / hashlib.sha256(content).hexdigest()).write_bytes(content)
    assert "No requests in the journal yet" in ok(invoke("status")).stdout
    verified = ok(invoke("verify"))
    assert "is not referenced by any event" in verified.stdout and "keep it" in verified.stdout


def test_a_request_row_that_cannot_be_read_is_named_and_the_rest_shown(invoke, objector_home):
    import sqlite3

    add()
    with sqlite3.connect(objector_home / "journal.sqlite3") as conn:  # a row edited by hand
        conn.execute("INSERT INTO requests SELECT 'ACC-2026-000001', 'access', controller, law, language, region, "
                     "inputs, sha256, document, 'the day before' FROM requests")
    conn.close()
    status = invoke("status", "--all")
    one_line_error(status, 7, "the journal's request ACC-2026-000001 is unreadable (Invalid isoformat string")
    assert REF in status.stdout
