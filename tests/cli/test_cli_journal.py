"""The journal's commands end to end: log, status, show, calendar, export/import, verify, and bad input."""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import date

import pytest

from helpers import ok, one_line_error
from journal_helpers import REF, add
from objector.journal import Journal

UK = "OBJ-2025-UK0000"
CA = "ACC-2025-CA0000"


@pytest.fixture
def today(monkeypatch):
    def set_today(value: str) -> None:
        monkeypatch.setenv("OBJECTOR_TODAY", value)

    set_today("2025-06-30")
    return set_today


def status_of(invoke, reference: str = REF, *extra) -> dict:
    rows = json.loads(ok(invoke("status", "--all", "--json", *extra)).stdout)
    return next(row for row in rows if row["reference"] == reference)


def snapshot(home) -> tuple:
    """Everything a command could change: the journal's content and the evidence folder."""
    with Journal.open(create=False) as journal:
        data = journal.export_data()
    del data["exported_at"]
    evidence = home / "evidence"
    return data, sorted(p.name for p in evidence.iterdir()) if evidence.exists() else []


# --------------------------------------------------------------------------- worked deadlines through the CLI


def test_gdpr_email_received_the_day_it_is_sent(invoke, today):
    add()
    out = ok(invoke("log", "sent", REF, "--on", "2025-01-31", "--via", "email")).stdout
    assert "due Fri 28 Feb 2025" in out
    row = status_of(invoke)
    assert {k: row[k] for k in ("state", "due", "overdue", "sent", "received", "receipt_assumed", "days_left")} == {
        "state": "overdue", "due": "2025-02-28", "overdue": True, "sent": "2025-01-31", "received": "2025-01-31",
        "receipt_assumed": False, "days_left": -122}
    assert {"reference", "kind", "controller", "law"} <= row.keys()


def test_post_is_assumed_received_until_a_confirmation_says_otherwise(invoke, today):
    today("2025-02-10")
    add()
    ok(invoke("log", "sent", REF, "--on", "2025-01-27", "--via", "post"))
    row = status_of(invoke)
    assert (row["received"], row["receipt_assumed"], row["due"]) == ("2025-02-01", True, "2025-03-03")
    table = ok(invoke("status")).stdout
    assert "2025-03-03*" in table and "assumed receipt" in table
    assert "(assumed)" in ok(invoke("show", REF)).stdout
    ok(invoke("log", "confirmed", REF, "--on", "2025-01-31"))
    row = status_of(invoke)
    assert (row["state"], row["received"], row["receipt_assumed"], row["due"]) == (
        "confirmed", "2025-01-31", False, "2025-02-28")


def test_log_sent_again_with_the_receipt_date(invoke, today):
    today("2026-02-10")
    add(created_on=date(2026, 1, 20))
    ok(invoke("log", "sent", REF, "--on", "2026-01-27"))  # letter.pdf: by post
    assert status_of(invoke)["receipt_assumed"] is True
    ok(invoke("log", "sent", REF, "--received-on", "2026-01-31"))
    row = status_of(invoke)
    assert (row["sent"], row["via"], row["received"], row["receipt_assumed"], row["due"]) == (
        "2026-01-27", "post", "2026-01-31", False, "2026-03-02")  # 28 Feb 2026 is a Saturday


def test_st_patricks_day_moves_the_deadline_and_show_says_why(invoke, today):
    today("2025-03-01")
    add()
    ok(invoke("log", "sent", REF.lower(), "--on", "2025-02-17", "--via", "webform"))
    assert status_of(invoke)["due"] == "2025-03-18"
    out = " ".join(ok(invoke("show", REF)).stdout.split())
    assert "Mon 17 Mar 2025 is Saint Patrick's Day, a public holiday in Ireland, so the deadline moves to the " \
           "next working day, Tue 18 Mar 2025." in out
    assert "Regulation (EEC, Euratom) No 1182/71" in out and "17 days left" in out


def test_uk_gdpr_bank_holiday(invoke, today):
    add(UK, controller="meta-inc", law="uk-gdpr")
    ok(invoke("log", "sent", UK, "--on", "2025-04-26", "--via", "app"))
    assert status_of(invoke, UK)["due"] == "2025-05-27"


def test_ccpa_acknowledgement_reply_and_extension(invoke, today):
    today("2025-02-01")
    add(CA, controller="meta-inc", law="ccpa", region="CA", kind="access")
    ok(invoke("log", "sent", CA, "--on", "2025-01-31", "--via", "email"))
    row = status_of(invoke, CA)
    assert (row["acknowledge_by"], row["due"], row["days_left"]) == ("2025-02-14", "2025-03-17", 44)
    today("2025-03-10")
    ok(invoke("log", "reply", CA, "--outcome", "extended", "--on", "2025-03-07", "--note", "needs more time"))
    row = status_of(invoke, CA)
    assert (row["state"], row["extended"], row["due"]) == ("extended", True, "2025-05-01")


def test_gdpr_extension(invoke, today):
    today("2025-03-01")
    add()
    ok(invoke("log", "sent", REF, "--on", "2025-01-31", "--via", "email"))
    ok(invoke("log", "reply", REF, "--outcome", "extended", "--on", "2025-02-20"))
    assert status_of(invoke)["due"] == "2025-04-30"
    assert "Open question" in ok(invoke("show", REF)).stdout


def test_needs_id_pauses_and_supplied_restarts_the_clock(invoke, today):
    today("2025-05-03")
    add(UK, controller="meta-inc", law="uk-gdpr")
    ok(invoke("log", "sent", UK, "--on", "2025-04-26", "--via", "app"))
    out = ok(invoke("log", "reply", UK, "--outcome", "needs-id", "--on", "2025-05-01")).stdout
    assert "Waiting for you" in out
    row = status_of(invoke, UK)
    assert (row["state"], row["due"], row["overdue"], row["days_left"]) == ("waiting-for-you", None, False, None)
    ok(invoke("log", "supplied", UK, "--on", "2025-05-06"[:0] or "2025-05-03", "--note", "passport copy"))
    row = status_of(invoke, UK)
    assert (row["state"], row["clock_start"], row["due"]) == ("sent", "2025-05-03", "2025-06-03")


def test_answered_requests_leave_status_and_count_in_the_statistics(invoke, today):
    add()
    add("OBJ-2026-2ND000", created_on=date(2025, 5, 1))
    ok(invoke("log", "sent", REF, "--on", "2025-01-31", "--via", "email"))
    ok(invoke("log", "reply", REF, "--outcome", "refused", "--on", "2025-03-05", "--note", "legitimate interest"))
    ok(invoke("log", "sent", "OBJ-2026-2ND000", "--on", "2025-06-02", "--via", "email"))
    rows = json.loads(ok(invoke("status", "--json")).stdout)
    assert [r["reference"] for r in rows] == ["OBJ-2026-2ND000"]
    row = status_of(invoke)
    assert (row["state"], row["outcome"], row["answered"], row["days_to_reply"], row["answered_late"]) == (
        "answered", "refused", "2025-03-05", 33, True)
    table = ok(invoke("status")).stdout
    rows_part, _, hint = table.split("How fast")[0].partition("refused, or unanswered past")
    assert "OBJ-2026-2ND000" in rows_part and REF not in rows_part
    assert f"`objector complaint {REF}`" in hint  # hidden from the table, but the refusal is worth a complaint
    assert "Not shown: 1 answered request" in table
    assert "How fast controllers answer" in table and "meta-ireland" in table
    assert "33 d (late)" in ok(invoke("status", "--all")).stdout


def test_reading_commands_with_no_journal_write_nothing(invoke, objector_home):
    assert "No requests in the journal yet" in ok(invoke("status")).stdout
    assert json.loads(ok(invoke("status", "--json")).stdout) == []
    assert "No journal yet" in ok(invoke("verify")).stdout
    assert json.loads(ok(invoke("export")).stdout)["events"] == []
    one_line_error(invoke("log", "sent", REF, "--evidence", __file__), 4, REF)
    assert not objector_home.exists()
    assert not objector_home.exists()


def test_show_json_has_the_timeline_and_the_derivation(invoke, today, tmp_path):
    add()
    shot = tmp_path / "ack.png"
    shot.write_bytes(b"png")
    ok(invoke("log", "sent", REF, "--on", "2025-01-31", "--via", "email", "--evidence", shot))
    ok(invoke("log", "note", REF, "phoned the DPO", "--on", "2025-02-03"))
    data = json.loads(ok(invoke("show", REF, "--json")).stdout)
    assert [e["type"] for e in data["timeline"]] == ["drafted", "sent", "note"]
    assert data["timeline"][1]["data"]["evidence"][0]["name"] == "ack.png"
    assert data["rule"].startswith("GDPR Art. 12(3)")
    assert data["derivation"][0] == "Sent by e-mail on Fri 31 Jan 2025."
    assert data["inputs"] == {"purpose": "ai-training"}
    out = ok(invoke("show", REF)).stdout
    assert "ack.png" in out and "phoned the DPO" in out and "How the deadline is counted" in out


def test_notes_print_literally(invoke, today):
    add()
    note = "[bold red]not markup[/bold red] [link=https://x.example]{{ 7*7 }}"
    ok(invoke("log", "note", REF, note))
    assert note in ok(invoke("show", REF)).stdout


def test_log_json(invoke, today):
    add()
    data = json.loads(ok(invoke("log", "sent", REF, "--on", "2025-06-02", "--json")).stdout)
    assert data["event"]["type"] == "sent" and data["event"]["data"] == {"via": "post"}
    assert data["status"]["receipt_assumed"] is True


# --------------------------------------------------------------------------- bad input


BAD = [
    (["log", "sent", "OBJ-2026-N0SVCH"], 4, ["OBJ-2026-N0SVCH"]),
    (["log", "confirmed", REF, "--on", "2025-01-30"], 3, ["before the request was sent"]),
    (["log", "reply", REF, "--outcome", "refused", "--on", "2025-01-30"], 3, ["before the request was sent"]),
    (["log", "note", REF, "x", "--on", "2025-07-01"], 3, ["in the future"]),
    (["log", "reply", REF, "--outcome", "maybe"], 3, ["--outcome", "'maybe'"]),
    (["log", "sent", REF, "--via", "fax"], 3, ["--via", "'fax'"]),
    (["log", "confirmed", REF, "--evidence", "missing.png"], 4, ["missing.png", "not found"]),
    (["log", "confirmed", REF, "--on", "31/01/2025"], 3, ["--on", "YYYY-MM-DD"]),
    (["log", "sent", REF, "--on", "2025-02-01", "--received-on", "2025-01-30"], 3, ["--received-on"]),
    (["log", "supplied", REF], 3, ["has not asked for ID"]),
    (["log", "note", REF, "  "], 3, ["needs some text"]),
    (["export", "--format", "xml"], 3, ["'xml'"]),
    (["import", "nothing.json"], 4, ["nothing.json"]),
    (["show", "OBJ-2026-N0SVCH"], 4, ["OBJ-2026-N0SVCH"]),
]


@pytest.mark.parametrize(("args", "code", "fragments"), BAD, ids=[" ".join(a[:3]) for a, _, _ in BAD])
def test_bad_input_one_line_right_code_journal_unchanged(invoke, today, objector_home, args, code, fragments):
    add()
    ok(invoke("log", "sent", REF, "--on", "2025-01-31", "--via", "email"))
    before = snapshot(objector_home)
    one_line_error(invoke(*args), code, *fragments)
    assert snapshot(objector_home) == before


def test_a_reply_before_anything_was_sent(invoke, today, objector_home):
    add()
    before = snapshot(objector_home)
    one_line_error(invoke("log", "reply", REF, "--outcome", "complied"), 3, "not been logged as sent")
    assert snapshot(objector_home) == before


def test_a_bad_objector_today_is_named(invoke, monkeypatch):
    monkeypatch.setenv("OBJECTOR_TODAY", "tomorrow")
    one_line_error(invoke("status"), 3, "OBJECTOR_TODAY")


@pytest.mark.parametrize("args", [["status"], ["log", "note", REF, "x"], ["verify"], ["show", REF],
                                  ["export"], ["calendar"]])
def test_a_corrupt_journal_is_refused_and_left_untouched(invoke, objector_home, args):
    objector_home.mkdir()
    journal = objector_home / "journal.sqlite3"
    junk = os.urandom(8192)
    journal.write_bytes(junk)
    one_line_error(invoke(*args), 7, "journal.sqlite3", "left untouched")
    assert journal.read_bytes() == junk
    assert sorted(p.name for p in objector_home.iterdir()) == ["journal.sqlite3"]


def test_a_journal_from_a_newer_objector_is_refused(invoke, objector_home):
    add()
    with sqlite3.connect(objector_home / "journal.sqlite3") as conn:
        conn.execute("INSERT INTO schema_version VALUES (99, 'later')")
    conn.close()
    one_line_error(invoke("status"), 7, "newer objector", "upgrade objector")


# --------------------------------------------------------------------------- verify


def test_verify_passes_then_names_an_edited_row(invoke, today, objector_home):
    add()
    ok(invoke("log", "sent", REF, "--on", "2025-01-31", "--via", "email"))
    out = ok(invoke("verify")).stdout
    assert "Journal intact: 1 request, 2 events, 0 evidence files" in out
    with sqlite3.connect(objector_home / "journal.sqlite3") as conn:
        conn.execute("UPDATE events SET on_date = '2025-01-20' WHERE seq = 2")
    conn.close()
    result = invoke("verify")
    assert result.exit_code == 8
    assert f"TAMPERED: event #2 ({REF}, sent 2025-01-20) altered" in result.stdout
    assert result.stderr.strip() == "objector: the journal failed verification: 1 problem (listed above)"
    report = json.loads(invoke("verify", "--json").stdout)
    assert report["ok"] is False and len(report["problems"]) == 1


def test_verify_names_an_edited_evidence_file(invoke, today, objector_home, tmp_path):
    add()
    reply = tmp_path / "reply.pdf"
    reply.write_bytes(b"%PDF-1.7 reply")
    ok(invoke("log", "sent", REF, "--on", "2025-01-31", "--via", "email"))
    ok(invoke("log", "reply", REF, "--outcome", "refused", "--on", "2025-02-20", "--evidence", reply))
    (stored,) = (objector_home / "evidence").iterdir()
    stored.write_bytes(b"%PDF-1.7 forged")
    result = invoke("verify")
    assert result.exit_code == 8
    assert f"TAMPERED: evidence file reply.pdf (event #3) altered: evidence/{stored.name}" in result.stdout


# --------------------------------------------------------------------------- calendar


def test_calendar_has_one_all_day_event_with_an_alarm_per_open_deadline(invoke, today, tmp_path):
    from icalendar import Calendar

    today("2025-03-01")
    add()
    add(UK, controller="meta-inc", law="uk-gdpr")
    add("OBJ-2026-DRAFT0")
    add("OBJ-2026-D0NE00")
    ok(invoke("log", "sent", REF, "--on", "2025-02-17", "--via", "webform"))
    ok(invoke("log", "sent", UK, "--on", "2025-01-06", "--via", "email"))  # due 6 Feb: overdue, its date past
    ok(invoke("log", "sent", "OBJ-2026-D0NE00", "--on", "2025-02-03", "--via", "email"))
    ok(invoke("log", "reply", "OBJ-2026-D0NE00", "--outcome", "complied", "--on", "2025-02-10"))
    out = ok(invoke("calendar", "-o", tmp_path / "deadlines.ics")).stdout
    assert "Wrote 1 deadline" in out and "Left out: 1 request whose time has run out" in out
    cal = Calendar.from_ical((tmp_path / "deadlines.ics").read_bytes())
    events = cal.walk("VEVENT")
    assert [(str(e["uid"]), e["dtstart"].dt) for e in events] == [(f"{REF}@objector", date(2025, 3, 18))]
    for event in events:
        assert type(event["dtstart"].dt) is date  # all-day
        (alarm,) = event.walk("VALARM")
        assert str(alarm["action"]) == "DISPLAY"
        assert event["summary"].startswith("Deadline: Meta Platforms")
    one_line_error(invoke("calendar", "-o", tmp_path / "deadlines.ics"), 6, "--force")
    ok(invoke("calendar", "-o", tmp_path / "deadlines.ics", "--force"))
    assert "BEGIN:VCALENDAR" in ok(invoke("calendar", "-o", "-")).stdout


# --------------------------------------------------------------------------- export and import


def test_export_import_round_trip_into_a_fresh_home(invoke, today, objector_home, tmp_path, monkeypatch):
    add()
    add(UK, controller="meta-inc", law="uk-gdpr")
    shot = tmp_path / "ack.png"
    shot.write_bytes(b"png bytes")
    ok(invoke("log", "sent", REF, "--on", "2025-01-31", "--via", "post", "--evidence", shot))
    ok(invoke("log", "confirmed", REF, "--on", "2025-02-03", "--received-on", "2025-02-02"))
    ok(invoke("log", "reply", REF, "--outcome", "partial", "--on", "2025-02-25", "--note", "some data, not all"))
    ok(invoke("log", "note", UK, "Ünïcödé note ✓"))
    exported = tmp_path / "journal.json"
    assert "Exported 2 requests and 6 events" in ok(invoke("export", "-o", exported)).stdout
    assert ok(invoke("export", "--format", "csv")).stdout.count("\n") == 7
    original, status = snapshot(objector_home), ok(invoke("status", "--all", "--json")).stdout

    fresh = tmp_path / "fresh"
    monkeypatch.setenv("OBJECTOR_HOME", str(fresh))
    assert "Imported 2 requests, 6 events and 1 evidence file" in ok(invoke("import", exported)).stdout
    assert snapshot(fresh) == original
    assert ok(invoke("status", "--all", "--json")).stdout == status
    assert "Journal intact" in ok(invoke("verify")).stdout
    one_line_error(invoke("import", exported), 3, "already in the journal", "nothing was imported")
    assert snapshot(fresh) == original


def test_import_refuses_bad_hashes(invoke, today, tmp_path, monkeypatch):
    add()
    ok(invoke("log", "sent", REF, "--on", "2025-01-31", "--via", "email"))
    data = json.loads(ok(invoke("export")).stdout)
    data["events"][1]["data"]["via"] = "post"
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps(data))
    monkeypatch.setenv("OBJECTOR_HOME", str(tmp_path / "fresh"))
    one_line_error(invoke("import", forged), 8, "failed its hash check", "event #2")
    assert json.loads(ok(invoke("status", "--all", "--json")).stdout) == []


def test_export_refuses_to_replace_a_file(invoke, tmp_path):
    add()
    (tmp_path / "out.json").write_text("keep")
    one_line_error(invoke("export", "-o", tmp_path / "out.json"), 6, "--force")
    assert (tmp_path / "out.json").read_text() == "keep"
