"""The standing cache `status` reads (objector.journal.store's docstring): the same answers as folding the events,
stale rows folded again, today applied when shown, the cache rebuilt by `verify` (emptied when it fails)."""

from __future__ import annotations

import json
import sqlite3
import time
from datetime import date, timedelta

import pytest

from journal_helpers import REF, Timeline, add, make_request
from objector.journal import SCHEMA_VERSION, Journal, journal_path
from objector.tracking.events import log_reply, log_sent
from objector.tracking.standing import IsoDates, from_standing, standing
from objector.tracking.timeline import track

# Timelines that reach every state and every kept field: post (assumed and moved receipt), electronic,
# a receipt date given, confirmation, ID asked and supplied, extensions (valid or not), answers, a reminder.
D = date(2025, 3, 3)
TIMELINES = {
    "drafted": Timeline(),
    "discarded": Timeline().add("discarded", D),
    "post": Timeline().add("sent", D, via="post"),
    "post-confirmed-early": Timeline().add("sent", D, via="post").add("confirmed", D + timedelta(days=2)),
    "email-received": Timeline().add("sent", D, via="email", received_on=D + timedelta(days=1)),
    "confirmed": Timeline().add("sent", D, via="webform").add("confirmed", D + timedelta(days=1)),
    "needs-id": Timeline().add("sent", D, via="app").add("reply", D + timedelta(days=5), outcome="needs-id"),
    "supplied": Timeline().add("sent", D, via="app").add("reply", D + timedelta(days=5), outcome="needs-id")
                          .add("supplied", D + timedelta(days=9)),
    "extended": Timeline().add("sent", D, via="email").add("reply", D + timedelta(days=20), outcome="extended"),
    "extended-late": Timeline().add("sent", D, via="email").add("reply", D + timedelta(days=50), outcome="extended"),
    "answered": Timeline().add("sent", D, via="email").add("reply", D + timedelta(days=12), outcome="refused"),
    "answered-late": Timeline().add("sent", D, via="email").add("reply", D + timedelta(days=70), outcome="complied"),
    "reminded": Timeline().add("sent", D, via="email").add("reminder", D + timedelta(days=40),
                                                             respond_by=D + timedelta(days=54)),
}
REQUESTS = {
    "gdpr": {},
    "uk-gdpr": {"controller": "meta-inc", "law": "uk-gdpr"},
    "ccpa": {"controller": "meta-inc", "law": "ccpa", "region": "CA", "kind": "access"},
}
TODAYS = [D, D + timedelta(days=20), D + timedelta(days=31), D + timedelta(days=60), D + timedelta(days=400)]


def _timeline(name: str) -> list:
    return Timeline().add("drafted", date(2025, 3, 1)).events + [
        type(e)(e.seq + 1, e.reference, e.type, e.on, e.recorded_at, e.data) for e in TIMELINES[name].events]


@pytest.mark.parametrize("law", REQUESTS)
@pytest.mark.parametrize("name", TIMELINES)
def test_a_kept_standing_gives_what_folding_gives_on_any_day(name, law):
    request = make_request(created_on=date(2025, 3, 1), **REQUESTS[law])
    events = _timeline(name)
    for computed_on in (D, D + timedelta(days=45)):  # kept on one day (overdue or not), shown on another
        kept = json.loads(json.dumps(standing(track(request, events, computed_on))))
        for today in TODAYS:
            folded = track(request, events, today)
            shown = from_standing(request, kept, today, IsoDates())
            assert shown.to_dict() == folded.to_dict()
            assert (shown.state, shown.due, shown.days_left, shown.last_limit_passed) == \
                   (folded.state, folded.due, folded.days_left, folded.last_limit_passed)


def _rows() -> dict[str, tuple[str, str, str]]:
    with sqlite3.connect(journal_path()) as conn:
        return {r: (h, rules, data) for r, h, rules, data in
                conn.execute("SELECT reference, through_hash, rules, data FROM standing")}


def _status(invoke, today: str, monkeypatch) -> dict:
    monkeypatch.setenv("OBJECTOR_TODAY", today)
    result = invoke("status", "--all", "--json")
    assert result.exit_code == 0, result.output
    return {t["reference"]: t for t in json.loads(result.output)}


def test_status_keeps_standings_and_folds_again_only_what_changed(invoke, monkeypatch):
    for n, reference in enumerate(("OBJ-2026-AAAAAA", "OBJ-2026-BBBBBB")):
        add(reference)
        with Journal.open() as j:
            log_sent(j, reference, on=date(2025, 3, 3 + n), via="email", today=date(2025, 3, 10))
    first = _status(invoke, "2025-03-10", monkeypatch)
    kept = _rows()
    assert set(kept) == {"OBJ-2026-AAAAAA", "OBJ-2026-BBBBBB"}
    assert _status(invoke, "2025-03-10", monkeypatch) == first  # from the cache

    with Journal.open() as j:
        log_reply(j, "OBJ-2026-BBBBBB", outcome="refused", on=date(2025, 3, 12), today=date(2025, 3, 12))
    after = _status(invoke, "2025-03-12", monkeypatch)
    assert after["OBJ-2026-BBBBBB"]["state"] == "answered" and after["OBJ-2026-BBBBBB"]["outcome"] == "refused"
    rows = _rows()
    assert rows["OBJ-2026-AAAAAA"] == kept["OBJ-2026-AAAAAA"]  # untouched: its events did not change
    assert rows["OBJ-2026-BBBBBB"][0] != kept["OBJ-2026-BBBBBB"][0]  # folded again through the new event


def test_overdue_and_days_left_come_from_today_not_from_the_cache(invoke, monkeypatch):
    add()
    with Journal.open() as j:
        log_sent(j, REF, on=date(2025, 3, 3), via="email", today=date(2025, 3, 3))
    early = _status(invoke, "2025-03-10", monkeypatch)[REF]
    assert (early["state"], early["due"], early["days_left"], early["overdue"]) == ("sent", "2025-04-03", 24, False)
    late = _status(invoke, "2025-04-10", monkeypatch)[REF]  # no new event: the kept row is used
    assert (late["state"], late["due"], late["days_left"], late["overdue"]) == ("overdue", "2025-04-03", -7, True)
    assert list(_rows()) == [REF]


def _forge(reference: str, changes: dict[int, str]) -> None:
    """Rewrite a kept standing keeping its key: what an editor of the file could do."""
    through, rules, data = _rows()[reference]
    standing_ = json.loads(data)
    for index, value in changes.items():
        standing_[index] = value
    with sqlite3.connect(journal_path()) as conn:
        conn.execute("UPDATE standing SET data = ? WHERE reference = ?", (json.dumps(standing_), reference))


def test_a_row_that_does_not_match_the_events_or_the_rules_is_ignored(invoke, monkeypatch):
    add()
    with Journal.open() as j:
        log_sent(j, REF, on=date(2025, 3, 3), via="email", today=date(2025, 3, 3))
    truth = _status(invoke, "2025-03-10", monkeypatch)[REF]
    through, rules, data = _rows()[REF]
    forged = json.loads(data)
    forged[0], forged[4] = "answered", "complied"
    with sqlite3.connect(journal_path()) as conn:  # another request's hash, then other rules
        conn.execute("UPDATE standing SET data = ?, through_hash = ? WHERE reference = ?",
                     (json.dumps(forged), "0" * 64, REF))
    assert _status(invoke, "2025-03-10", monkeypatch)[REF] == truth
    with sqlite3.connect(journal_path()) as conn:
        conn.execute("UPDATE standing SET data = ?, rules = ? WHERE reference = ?", (json.dumps(forged), "other", REF))
    assert _status(invoke, "2025-03-10", monkeypatch)[REF] == truth
    assert _rows()[REF] == (through, rules, data)  # and kept afresh
    for garbage in ("not json", "[1, 2]", '{"state": "answered"}', "[" + ",".join(["[]"] * 14) + "]"):
        with sqlite3.connect(journal_path()) as conn:  # the key matches, the content is no standing
            conn.execute("UPDATE standing SET data = ? WHERE reference = ?", (garbage, REF))
        assert _status(invoke, "2025-03-10", monkeypatch)[REF] == truth
        assert _rows()[REF] == (through, rules, data)


def test_verify_rebuilds_the_cache_so_a_forged_row_cannot_outlive_it(invoke, monkeypatch):
    add()
    with Journal.open() as j:
        log_sent(j, REF, on=date(2025, 3, 3), via="email", today=date(2025, 3, 3))
    truth = _status(invoke, "2025-03-10", monkeypatch)[REF]
    kept = _rows()[REF]
    _forge(REF, {0: "answered", 4: "complied"})  # state, outcome  # the key still matches: status believes it...
    assert _status(invoke, "2025-03-10", monkeypatch)[REF]["state"] == "answered"
    result = invoke("verify")
    assert result.exit_code == 0 and "Journal intact" in result.output  # the records are intact
    assert _rows() == {REF: kept}  # ...until verify: rebuilt from the verified events
    assert _status(invoke, "2025-03-10", monkeypatch)[REF] == truth


def _mark() -> list[tuple]:
    with sqlite3.connect(journal_path()) as conn:
        return conn.execute("SELECT seq, hash FROM standing_mark").fetchall()


def test_verify_leaves_a_cache_that_status_reads_without_folding(invoke, monkeypatch):
    """`verify` rebuilds the cache in its own pass: every request's row, marked at the chain's head; the next
    `status` folds nothing (the rows stay as verify wrote them, and folding would fail here)."""
    for n in range(3):
        reference = f"OBJ-2026-00000{n}"
        add(reference, created_on=date(2025, 1, 2))
        with Journal.open() as j:
            log_sent(j, reference, on=date(2025, 1, 2 + n), via="email", today=date(2025, 3, 1))
    with sqlite3.connect(journal_path()) as conn:  # a cache from before: a mark far behind, of other rules
        conn.execute("INSERT INTO standing_mark VALUES ('other rules', 1, 'x')")
    assert _rows() == {}
    monkeypatch.setenv("OBJECTOR_TODAY", "2025-03-01")
    result = invoke("verify")
    assert result.exit_code == 0 and "note:" not in result.output
    rebuilt = _rows()
    assert set(rebuilt) == {"OBJ-2026-000000", "OBJ-2026-000001", "OBJ-2026-000002"}
    with Journal.open() as j:
        assert _mark() == [(j.count()[1], j.events()[-1].hash)]

    def no_folding(*args, **kwargs):
        raise AssertionError("status folded a request again after verify")

    monkeypatch.setattr("objector.tracking.timeline.track", no_folding)
    shown = _status(invoke, "2025-03-01", monkeypatch)
    assert sorted(shown) == sorted(rebuilt) and {t["state"] for t in shown.values()} == {"overdue"}
    assert _rows() == rebuilt


def test_verify_empties_the_cache_of_a_journal_that_failed(invoke, monkeypatch):
    add()
    with Journal.open() as j:
        log_sent(j, REF, on=date(2025, 3, 3), via="email", today=date(2025, 3, 3))
    _status(invoke, "2025-03-10", monkeypatch)
    assert _rows() and _mark()
    with sqlite3.connect(journal_path()) as conn:
        conn.execute("UPDATE events SET on_date = '2025-03-04' WHERE type = 'sent'")
    result = invoke("verify")
    assert result.exit_code == 8 and "TAMPERED: event #2" in result.stdout
    assert _rows() == {} and _mark() == []
    assert _status(invoke, "2025-03-10", monkeypatch)[REF]["sent"] == "2025-03-04"  # folded from what is there


def test_verify_names_a_request_it_cannot_fold_and_keeps_the_others(invoke, monkeypatch):
    """A request whose events cannot be folded (a date at the end of the calendar: what a recomputed export could
    bring) gets no row; verify says so in a note, status still names it (exit 7) and lists the other."""
    add()
    add("ACC-2026-000001", kind="access")
    with Journal.open() as journal, journal.transaction():
        journal._append(REF, "sent", date(9999, 12, 31), {"via": "post"})
        journal._append("ACC-2026-000001", "sent", date(2025, 1, 3), {"via": "email"})
    monkeypatch.setenv("OBJECTOR_TODAY", "2025-02-01")
    result = invoke("verify")
    assert result.exit_code == 0 and "Journal intact" in result.stdout
    assert f"note: the journal's request {REF} cannot be read (OverflowError" in result.stdout
    assert list(_rows()) == ["ACC-2026-000001"] and _mark()
    status = invoke("status")
    assert status.exit_code == 7 and f"the journal's request {REF} cannot be read" in status.stderr
    assert "ACC-2026-000001" in status.stdout


def test_the_status_table_is_the_same_from_the_cache(invoke, monkeypatch):
    for n in range(6):
        reference = f"OBJ-2026-00000{n}"
        add(reference, created_on=date(2025, 1, 2))
        with Journal.open() as j:
            log_sent(j, reference, on=date(2025, 1, 2 + n), via=("post", "email")[n % 2], today=date(2025, 3, 1))
            if n == 2:
                log_reply(j, reference, outcome="refused", on=date(2025, 1, 20), today=date(2025, 3, 1))
    monkeypatch.setenv("OBJECTOR_TODAY", "2025-02-05")
    folded = invoke("status", "--all")
    assert folded.exit_code == 0 and _rows()
    cached = invoke("status", "--all")
    assert cached.output == folded.output
    assert "OBJ-2026-000002" in cached.output and "objector complaint OBJ-2026-000002" in cached.output


def test_status_does_not_wait_for_a_writer_and_keeps_nothing_then(invoke, monkeypatch):
    add()
    with Journal.open() as j:
        log_sent(j, REF, on=date(2025, 3, 3), via="email", today=date(2025, 3, 3))
    writer = sqlite3.connect(journal_path(), isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another process in the middle of `log`
    try:
        started = time.monotonic()
        shown = _status(invoke, "2025-03-10", monkeypatch)[REF]
        assert time.monotonic() - started < 5  # the journal's busy timeout is 30 s
        assert shown["state"] == "sent"
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert _rows() == {}
    _status(invoke, "2025-03-10", monkeypatch)
    assert list(_rows()) == [REF]


def test_a_schema_1_journal_is_upgraded_and_its_records_kept(invoke, monkeypatch):
    from objector.journal import MIGRATIONS

    path = journal_path()
    path.parent.mkdir(parents=True)
    with sqlite3.connect(path) as conn:  # a journal written by objector before the cache
        for statement in MIGRATIONS[1]:
            conn.execute(statement)
        conn.execute("INSERT INTO schema_version VALUES (1, '2025-01-01T00:00:00Z')")
    add()
    with Journal.open() as j:
        log_sent(j, REF, on=date(2025, 3, 3), via="email", today=date(2025, 3, 3))
    assert _status(invoke, "2025-03-10", monkeypatch)[REF]["state"] == "sent"
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] == SCHEMA_VERSION == 3
    assert invoke("verify").exit_code == 0


def test_a_row_that_stands_for_no_request_makes_status_count_every_request_again(invoke, monkeypatch):
    """The summary is counted from the cache alone: a row left for a request that is not in the journal (a file
    edited by hand) would be counted, so the whole table is folded again instead."""
    add()
    with Journal.open() as j:
        log_sent(j, REF, on=date(2025, 3, 3), via="email", today=date(2025, 3, 3))
    _status(invoke, "2025-03-10", monkeypatch)
    with sqlite3.connect(journal_path()) as conn:
        conn.execute("INSERT INTO standing SELECT 'OBJ-2026-ZZZZZZ', through_hash, rules, data, controller, "
                     "created_on, state, due, last_limit, outcome, days_to_reply, answered_late, complained, digest "
                     "FROM standing")
    monkeypatch.setenv("OBJECTOR_TODAY", "2025-03-10")
    result = invoke("status")
    assert result.exit_code == 0 and result.stdout.splitlines()[0] == "1 request: 1 sent."
    assert list(_rows()) == [REF]


def test_verify_keeps_a_current_cache_without_folding_and_drops_a_row_edited_in_any_column(invoke, monkeypatch):
    """A cache `status` kept current survives `verify` as it is (verify folds nothing: at 100,000 requests that is
    what keeps it fast); a row edited outside objector, in its JSON or in a column status counts by, does not."""
    for n in range(3):
        reference = f"OBJ-2026-00000{n}"
        add(reference, created_on=date(2025, 1, 2))
        with Journal.open() as j:
            log_sent(j, reference, on=date(2025, 1, 2 + n), via="email", today=date(2025, 3, 1))
    _status(invoke, "2025-03-01", monkeypatch)
    kept = _rows()
    folded = []
    real_track = __import__("objector.tracking.timeline", fromlist=["track"]).track
    monkeypatch.setattr("objector.tracking.timeline.track", lambda *a, **k: folded.append(a[0].reference) or real_track(*a, **k))
    assert invoke("verify").exit_code == 0 and folded == [] and _rows() == kept
    with sqlite3.connect(journal_path()) as conn:
        conn.execute("UPDATE standing SET state = 'answered', outcome = 'complied' WHERE reference = 'OBJ-2026-000001'")
    result = invoke("verify")
    assert result.exit_code == 0 and "note:" not in result.output
    assert folded == ["OBJ-2026-000001"] and _rows() == kept
