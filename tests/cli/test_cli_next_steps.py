"""Next steps that are true at every point: after a complaint `show` proposes what follows it, not another;
`status --all` says "refused, complaint filed"; `followup` on a refused request points to the complaint; the
calendar holds the reminder's last time limit and no date that has passed; a batch ends with what to do next, and
names a bad row by its row and its line in the file."""

from __future__ import annotations

import json
from datetime import date

import pytest
from icalendar import Calendar

from helpers import ok, write_profile


@pytest.fixture
def journey(invoke, tmp_path, monkeypatch):
    """Letters written 1 Oct 2026 and sent by e-mail the same day (due 2 Nov); each call returns a reference."""
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-10-01")
    profile = write_profile(tmp_path)
    count = iter(range(100))

    def request() -> str:
        result = ok(invoke("letter", "access", "meta", "--profile", profile, "-f", "txt", "-o", f"a{next(count)}.txt",
                           "--json"))
        ref = json.loads(result.stdout)["reference"]
        ok(invoke("log", "sent", ref, "--via", "email"))
        return ref

    def today(day: str) -> None:
        monkeypatch.setenv("OBJECTOR_TODAY", day)

    return request, today


def refused_with_complaint(invoke, journey) -> str:
    request, today = journey
    ref = request()
    today("2026-10-20")
    ok(invoke("log", "reply", ref, "--outcome", "refused", "--note", "no reasons given"))
    ok(invoke("complaint", ref, "-o", "c.txt"))
    return ref


def test_show_after_a_complaint_proposes_what_follows_it(invoke, journey):
    request, today = journey
    ref = request()
    today("2026-10-20")
    ok(invoke("log", "reply", ref, "--outcome", "refused"))
    assert f"`objector complaint {ref}`" in ok(invoke("show", ref)).stdout  # before: the complaint
    complaint = ok(invoke("complaint", ref, "-o", "c.txt")).stdout.split()[0]
    shown = " ".join(ok(invoke("show", ref)).stdout.split())
    assert f"Next: the complaint {complaint} to The Office for Personal Data Protection was written on " \
           "2026-10-20" in shown
    assert f"`objector log note {ref} \"answer from The Office for Personal Data Protection\" --evidence " \
           "FILE`" in shown
    assert f"`objector complaint {ref} --bundle documents.zip`" in shown
    assert "complain to the supervisory authority" not in shown  # no second complaint proposed
    noted = ok(invoke("log", "note", ref, "The authority acknowledged the complaint"))
    assert "answer from The Office for Personal Data Protection" in noted.stdout and "complain to the supervisory authority" not in noted.stdout


def test_status_all_says_refused_complaint_filed(invoke, journey):
    ref = refused_with_complaint(invoke, journey)
    request, _ = journey
    other = request()
    ok(invoke("log", "reply", other, "--outcome", "partial"))
    table = ok(invoke("status", "--all")).stdout
    row = next(line for line in table.splitlines() if line.startswith(ref))
    assert "refused, complaint filed" in row and "answered" not in row
    assert "answered in part" in next(line for line in table.splitlines() if line.startswith(other))
    assert json.loads(ok(invoke("status", "--all", "--json")).stdout)[0]["state"] == "answered"  # for scripts: unchanged


def test_a_state_too_wide_for_the_terminal_is_cut_visibly(invoke, journey, monkeypatch):
    ref = refused_with_complaint(invoke, journey)
    monkeypatch.setenv("COLUMNS", "50")
    row = next(line for line in ok(invoke("status", "--all")).stdout.splitlines() if line.startswith(ref))
    assert len(row) <= 50 and "refused, …" in row


def test_followup_on_a_refused_request_points_to_the_complaint(invoke, journey):
    request, today = journey
    ref = request()
    today("2026-10-20")
    ok(invoke("log", "reply", ref, "--outcome", "refused"))
    result = invoke("followup", ref, "-o", "r.txt")
    assert result.exit_code == 3
    assert result.stderr.strip() == (f"objector: {ref} was answered (refused) on 2026-10-20: a reminder is for a "
                                     f"request left unanswered; `objector complaint {ref}` writes the complaint")
    ok(invoke("complaint", ref, "-o", "c.txt"))
    again = invoke("followup", ref, "-o", "r.txt")
    assert again.exit_code == 3 and "was written already" in again.stderr and f"`objector show {ref}`" in again.stderr


def ics_dates(invoke, tmp_path) -> tuple[list[tuple[str, date, str]], str]:
    out = ok(invoke("calendar", "-o", tmp_path / "d.ics", "--force")).stdout
    events = Calendar.from_ical((tmp_path / "d.ics").read_bytes()).walk("VEVENT")
    return [(str(e["uid"]).split("@")[0], e["dtstart"].dt, str(e["summary"])) for e in events], out


def test_calendar_holds_the_reminders_last_limit_and_drops_past_dates(invoke, journey, tmp_path):
    request, today = journey
    reminded, forgotten = request(), request()
    today("2026-10-05")
    ahead = request()  # due 5 Nov 2026
    dates, _ = ics_dates(invoke, tmp_path)
    assert [(ref, day) for ref, day, _ in dates] == sorted([(reminded, date(2026, 11, 2)), (forgotten, date(2026, 11, 2)),
                                                             (ahead, date(2026, 11, 5))], key=lambda d: (d[1], d[0]))
    today("2026-11-04")
    ok(invoke("followup", reminded, "-o", "r.txt"))
    limit = date.fromisoformat(json.loads(ok(invoke("show", reminded, "--json")).stdout)["last_limit"])
    dates, out = ics_dates(invoke, tmp_path)
    # the reminded request's deadline superseded by the reminder's limit; the one left unanswered dropped
    assert [(ref, day) for ref, day, _ in dates] == [(ahead, date(2026, 11, 5)), (reminded, limit)]
    assert dates[1][2].startswith("Last time limit: Meta Platforms Ireland Limited must answer your reminder")
    assert "Wrote 2 deadlines" in out and "Left out: 1 request whose time has run out" in out
    today(limit.isoformat())
    assert [ref for ref, _, _ in ics_dates(invoke, tmp_path)[0]] == [reminded]  # its last day still counts
    today(date.fromordinal(limit.toordinal() + 1).isoformat())
    assert ics_dates(invoke, tmp_path)[0] == []


BATCH_HEADER = "kind,controller,name,email,street,city,country,reason,format\n"


def test_batch_names_row_and_line_and_ends_with_a_next_step(invoke, tmp_path):
    rows = tmp_path / "rows.csv"
    rows.write_text(BATCH_HEADER
                    + 'objection,meta,Jana Nováková,jana@example.org,Dlouhá 12,Praha,CZ,"I am a photographer.\n'
                      'My photos are my livelihood.",txt\n'
                    + "access,meta,Petr Novák,not-an-address,Dlouhá 12,Praha,CZ,,txt\n"
                    + "access,meta,Eva Nová,eva@example.org,Dlouhá 12,Praha,CZ,,html\n", "utf-8")
    result = invoke("batch", rows, "-d", tmp_path / "out", "--jobs", "1")
    assert result.exit_code == 3
    # the first row's reason spans two lines: the second row starts on line 4 of the file
    assert "objector: warning: skipped row 2 (line 4): email: 'not-an-address' is not a valid e-mail address" \
        in result.stderr
    assert "row:" not in result.stderr
    lines = result.stdout.splitlines()
    assert lines[-2] == (f"Next: send the letters in {tmp_path / 'out'}: print, sign and post each HTML letter to the "
                         "address it shows; paste each .txt into the company's web form. Then log each as sent, "
                         "`objector log sent REF` (`objector status --drafts` lists their references).")
    assert lines[-1] == ("Then: correct the rows named above and run the same command with --resume: it writes only "
                         "the letters not yet written.")
    report = json.loads(invoke("batch", rows, "-d", tmp_path / "out", "--jobs", "1", "--resume", "--json").stdout)
    assert report["failed"] == [{"row": 2, "line": 4, "field": "email",
                                 "reason": report["failed"][0]["reason"]}]


def test_show_after_a_us_complaint_names_the_attorney_general(invoke, tmp_path, monkeypatch):
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-10-01")
    texan = write_profile(tmp_path, address={"lines": ["1 Congress Ave"], "postcode": "73301", "city": "Austin",
                                             "country": "US", "region": "TX"})
    ref = json.loads(ok(invoke("letter", "access", "meta", "--profile", texan, "-f", "txt", "--json")).stdout)["reference"]
    ok(invoke("log", "sent", ref, "--via", "email"))
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-10-20")
    ok(invoke("log", "reply", ref, "--outcome", "refused"))
    ok(invoke("complaint", ref, "-o", "ag.txt"))
    shown = " ".join(ok(invoke("show", ref)).stdout.split())
    assert "to Attorney General of Texas was written on 2026-10-20" in shown and "us-tx-ag" not in shown
