"""A person's journey from the command line: the in-app route recorded, drafts that are not requests, the letter
kept as evidence, dates read from e-mails, next steps after each command, and the small things users hit."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tomllib
from datetime import date
from email.message import EmailMessage

import pytest

from helpers import flat, ok, write_profile
from journal_helpers import make_request, record
from objector.journal import Journal
from objector.tracking.events import log_sent


@pytest.fixture
def today(monkeypatch):
    def set_today(value: str) -> None:
        monkeypatch.setenv("OBJECTOR_TODAY", value)

    set_today("2026-06-30")
    return set_today


@pytest.fixture
def profile(tmp_path):
    return write_profile(tmp_path)


def eml(path, day: str = "Wed, 20 May 2026 21:30:00 +0200", subject: str = "We received your objection"):
    message = EmailMessage()
    message["From"] = "Meta <noreply@example.com>"
    message["Date"] = day
    message["Subject"] = subject
    message.set_content("Your objection was received.")
    path.write_bytes(bytes(message))
    return path


def letter(invoke, profile, *args: str) -> str:
    result = ok(invoke("letter", "objection", "meta", "--profile", profile, "--json", *args))
    return json.loads(result.stdout)["reference"]


def statuses(invoke, *args: str) -> dict[str, dict]:
    return {row["reference"]: row for row in json.loads(ok(invoke("status", "--json", *args)).stdout)}


# --------------------------------------------------------------------------- the in-app route: `record`


def test_record_an_objection_made_in_the_app(invoke, profile, tmp_path, today, objector_home):
    confirmation = eml(tmp_path / "confirmation.eml")
    result = ok(invoke("record", "objection", "meta", "--via", "app", "--on", "2026-05-20", "--evidence",
                       confirmation, "--profile", profile))
    reference = result.stdout.split()[0]
    assert reference.startswith("OBJ-2026-")
    assert "recorded without a letter, sent in the app" in result.stdout
    assert "due Mon 22 Jun 2026" in result.stdout  # 20 June 2026 is a Saturday: the next working day
    assert f"objector followup {reference}" in result.stdout  # already overdue on 30 June: the next step
    row = statuses(invoke)[reference]
    assert (row["via"], row["sent"], row["received"], row["receipt_assumed"], row["document"], row["person"]) == (
        "app", "2026-05-20", "2026-05-20", False, None, "Jana Nováková")
    shown = ok(invoke("show", reference)).stdout
    assert "No letter: made outside objector" in shown and "recorded without a letter" in shown
    assert "confirmation.eml" in shown
    digest = hashlib.sha256(confirmation.read_bytes()).hexdigest()
    assert (objector_home / "evidence" / digest).is_file()
    assert "Journal intact: 1 request, 2 events, 1 evidence file" in ok(invoke("verify")).stdout


def test_record_takes_the_date_from_the_confirmation_email(invoke, profile, tmp_path, today):
    confirmation = eml(tmp_path / "confirmation.eml", "Wed, 20 May 2026 23:30:00 -0700")  # the sender's own day
    result = ok(invoke("record", "objection", "meta", "--evidence", confirmation, "--profile", profile, "--json"))
    status = json.loads(result.stdout)["status"]
    assert (status["sent"], status["via"]) == ("2026-05-20", "app")


def test_record_refuses_what_the_law_does_not_give(invoke, tmp_path, today, objector_home):
    texan = write_profile(tmp_path, address={"country": "US", "region": "TX", "postcode": "73301", "city": "Austin"})
    result = invoke("record", "objection", "meta", "--profile", texan)
    assert result.exit_code == 5
    assert invoke("record", "objection", "meta", "--via", "pigeon", "--profile", write_profile(tmp_path)).exit_code == 3
    assert json.loads(ok(invoke("export")).stdout)["requests"] == []  # nothing half-recorded


# --------------------------------------------------------------------------- drafts are not requests


def test_status_shows_sent_requests_and_whose_they_are(invoke, profile, tmp_path, today):
    draft = letter(invoke, profile, "-f", "txt")
    sent = letter(invoke, profile, "-f", "txt")
    (tmp_path / "piet").mkdir()
    other = write_profile(tmp_path / "piet", name="Piet de Vries")
    theirs = letter(invoke, other, "-f", "txt")
    ok(invoke("log", "sent", sent, "--via", "webform"))
    ok(invoke("log", "sent", theirs, "--via", "webform"))
    assert set(statuses(invoke)) == {sent, theirs}
    assert set(statuses(invoke, "--drafts")) == {draft, sent, theirs}
    table = ok(invoke("status")).stdout
    assert "Person" in table and "Jana Nováková" in table and "Piet de Vries" in table
    assert draft not in table and "Not shown: 1 draft (--drafts, --all lists everything)." in table
    assert draft in ok(invoke("status", "--drafts")).stdout


def test_discard_a_draft_keeps_it_in_the_chain(invoke, profile, today):
    draft = letter(invoke, profile, "-f", "txt")
    sent = letter(invoke, profile, "-f", "txt")
    ok(invoke("log", "sent", sent, "--via", "webform"))
    result = ok(invoke("discard", draft, "--note", "wrote it twice"))
    assert "discarded" in result.stdout
    assert draft not in statuses(invoke, "--drafts") and statuses(invoke, "--all")[draft]["state"] == "discarded"
    shown = ok(invoke("show", draft)).stdout
    assert "Discarded" in shown and "discarded: never sent (wrote it twice)" in shown
    assert "intact" in ok(invoke("verify")).stdout
    events = json.loads(ok(invoke("export")).stdout)["events"]
    assert [e["type"] for e in events if e["reference"] == draft] == ["drafted", "discarded"]
    again = invoke("discard", draft)
    assert again.exit_code == 3 and "was discarded" in again.stderr
    assert invoke("log", "sent", draft).exit_code == 3
    refused = invoke("discard", sent)
    assert refused.exit_code == 3 and "it is a request, not a draft" in refused.stderr
    assert invoke("discard", "OBJ-2026-ZZZZZZ").exit_code == 4


def test_sent_before_the_draft_only_when_said(invoke, profile, today):
    reference = letter(invoke, profile, "-f", "txt", "--date", "2026-06-01")
    refused = invoke("log", "sent", reference, "--on", "2026-05-20", "--via", "app")
    assert refused.exit_code == 3 and "--before-draft" in refused.stderr
    ok(invoke("log", "sent", reference, "--on", "2026-05-20", "--via", "app", "--before-draft"))
    assert statuses(invoke)[reference]["sent"] == "2026-05-20"


# --------------------------------------------------------------------------- the letter is evidence


def test_the_letter_is_kept_exported_and_verified_as_evidence(invoke, profile, tmp_path, today, objector_home):
    reference = letter(invoke, profile, "-o", "letter.pdf")
    pdf = (tmp_path / "letter.pdf").read_bytes()
    digest = hashlib.sha256(pdf).hexdigest()
    stored = objector_home / "evidence" / digest
    assert stored.read_bytes() == pdf and oct(stored.stat().st_mode & 0o777) == "0o600"
    exported = json.loads(ok(invoke("export")).stdout)
    drafted = next(e for e in exported["events"] if e["reference"] == reference)
    assert drafted["data"]["evidence"] == [{"sha256": digest, "name": "letter.pdf", "size": len(pdf)}]
    assert digest in exported["evidence"]
    assert "1 evidence file" in ok(invoke("verify")).stdout
    stored.chmod(0o600)
    stored.write_bytes(pdf + b"%")
    result = invoke("verify")
    assert result.exit_code == 8 and "letter.pdf (event #1) altered" in result.stdout


def test_no_record_keeps_nothing(invoke, profile, objector_home):
    ok(invoke("letter", "objection", "meta", "--profile", profile, "--no-record", "-f", "txt"))
    assert not (objector_home / "evidence").exists()


# --------------------------------------------------------------------------- dates from e-mails


def test_log_takes_the_date_from_the_email(invoke, profile, tmp_path, today):
    reference = letter(invoke, profile, "-f", "txt", "--date", "2026-05-01")
    ok(invoke("log", "sent", reference, "--via", "webform", "--on", "2026-05-04"))
    reply = eml(tmp_path / "reply.eml", "Tue, 02 Jun 2026 08:00:00 +0000", "Your objection")
    result = ok(invoke("log", "reply", reference, "--outcome", "refused", "--evidence", reply))
    assert "Dated 2026-06-02 from the Date header of reply.eml" in result.stdout
    assert statuses(invoke, "--all")[reference]["answered"] == "2026-06-02"
    assert f"objector complaint {reference}" in result.stdout  # after a refusal: the complaint
    # --on wins over the header.
    other = letter(invoke, profile, "-f", "txt", "--date", "2026-05-01")
    ok(invoke("log", "sent", other, "--evidence", eml(tmp_path / "sent.eml", "Mon, 04 May 2026 10:00:00 +0000"),
              "--on", "2026-05-05"))
    assert statuses(invoke)[other]["sent"] == "2026-05-05"


# --------------------------------------------------------------------------- next steps


def test_each_command_says_what_comes_next(invoke, profile, today):
    result = ok(invoke("letter", "objection", "meta", "--profile", profile, "-o", "letter.pdf"))
    reference = result.stdout.split()[0]
    assert "Next: print letter.pdf, sign it and post it to Meta Platforms Ireland Limited, ATTN: Privacy Operations, " \
           "Merrion Road, Dublin 4, D04 X2K5, IRELAND." in result.stdout  # posted from Czechia: the country too
    assert f"`objector log sent {reference}`" in result.stdout
    sent = ok(invoke("log", "sent", reference))
    assert f"objector log reply {reference}" in sent.stdout and f"objector followup {reference}" in sent.stdout
    needs = ok(invoke("log", "reply", reference, "--outcome", "needs-id", "--on", "2026-06-30"))
    assert f"objector log supplied {reference}" in needs.stdout
    txt = ok(invoke("letter", "objection", "meta", "--profile", profile, "-o", "form.txt"))
    assert "objector guide meta" in txt.stdout and "--via webform" in txt.stdout


def test_reminder_last_time_limit_is_tracked_in_status(invoke, profile, today):
    today("2026-05-04")
    reference = letter(invoke, profile, "-f", "txt", "--date", "2026-05-04")
    ok(invoke("log", "sent", reference, "--via", "email"))
    today("2026-06-10")  # due 4 June
    written = ok(invoke("followup", reference, "-f", "txt", "-o", "reminder.txt"))
    assert "No answer by 2026-06-24" in written.stdout and f"objector complaint {reference}" in written.stdout
    row = statuses(invoke)[reference]
    assert (row["state"], row["last_limit"], row["last_limit_passed"]) == ("overdue", "2026-06-24", False)
    table = ok(invoke("status")).stdout
    assert "Last limit" in table and "2026-06-24" in table and "overdue (reminded)" in table
    assert "writes the reminder" not in table
    today("2026-06-25")
    table = ok(invoke("status")).stdout
    assert "2026-06-24 passed" in table
    assert f"1 request refused, or unanswered past a reminder's last time limit: `objector complaint {reference}`" in table
    assert "last time limit 2026-06-24" in ok(invoke("show", reference)).stdout


# --------------------------------------------------------------------------- small things


def test_output_extension_chooses_the_format(invoke, profile, tmp_path):
    ok(invoke("letter", "objection", "meta", "--profile", profile, "-o", "out.txt", "--no-record"))
    text = (tmp_path / "out.txt").read_text("utf-8")
    assert text.startswith("Meta Platforms Ireland Limited") and "Jana Nováková" in text  # as the letter's window, then the sender
    ok(invoke("letter", "objection", "meta", "--profile", profile, "-o", "out.html", "--no-record"))
    assert (tmp_path / "out.html").read_text("utf-8").startswith("<!doctype html>")
    refused = invoke("letter", "objection", "meta", "--profile", profile, "-f", "pdf", "-o", "x.txt")
    assert refused.exit_code == 3 and "x.pdf" in refused.stderr and not (tmp_path / "x.txt").exists()
    ok(invoke("letter", "objection", "meta", "--profile", profile, "-f", "form", "-o", "form.txt", "--no-record"))


def test_version(invoke):
    from objector import __version__

    result = ok(invoke("--version"))
    assert result.stdout.strip() == f"objector {__version__}"
    project = tomllib.loads((__import__("pathlib").Path(__file__).resolve().parents[2] / "pyproject.toml").read_text("utf-8"))
    assert project["project"]["version"] == __version__


def test_shell_completion_is_offered(invoke):
    help_text = ok(invoke("--help")).stdout
    assert "--install-completion" in help_text and "--show-completion" in help_text


def test_impossible_day_is_named(invoke, profile):
    result = invoke("letter", "objection", "meta", "--profile", profile, "--date", "2026-02-30")
    assert result.exit_code == 3
    assert "there is no day 30 in February 2026 (it has 28 days)" in result.stderr
    assert "no month 13" in invoke("log", "sent", "OBJ-2026-AAAAAA", "--on", "2026-13-01").stderr
    assert "not a date in the form YYYY-MM-DD" in invoke("log", "sent", "OBJ-2026-AAAAAA", "--on", "soon").stderr


def test_show_names_the_law_and_language(invoke, profile, today):
    reference = letter(invoke, profile, "-f", "txt", "--lang", "de")
    shown = flat(ok(invoke("show", reference)).stdout)
    assert "for Jana Nováková to Meta Platforms Ireland Limited (meta-ireland) under GDPR (Regulation (EU) " \
           "2016/679), in German" in shown


def test_one_request_is_singular(invoke, profile):
    letter(invoke, profile, "-f", "txt")
    assert "Journal intact: 1 request, 1 event, 1 evidence file." in ok(invoke("verify")).stdout
    from objector.doctor import check_journal

    assert check_journal().detail.startswith("1 request, 1 event, 1 evidence file")


def test_profile_edit_changes_one_field(invoke, profile):
    result = ok(invoke("profile", "edit", "country", "de", "--profile", profile))
    assert "country: CZ → DE" in result.stdout
    assert tomllib.loads(profile.read_text("utf-8"))["address"]["country"] == "DE"
    ok(invoke("profile", "edit", "accounts.threads", "jana.threads", "--profile", profile))
    ok(invoke("profile", "edit", "accounts.facebook", "", "--profile", profile))
    accounts = tomllib.loads(profile.read_text("utf-8"))["accounts"]
    assert accounts == {"instagram": "jana.novak", "threads": "jana.threads"}
    before = profile.read_text("utf-8")
    bad = invoke("profile", "edit", "email", "not-an-email", "--profile", profile)
    assert bad.exit_code == 3 and "not a valid e-mail address" in bad.stderr
    assert invoke("profile", "edit", "shoe-size", "42", "--profile", profile).exit_code == 3
    assert profile.read_text("utf-8") == before


def test_init_shows_the_profile_and_saves_only_when_confirmed(invoke, objector_home):
    answers = ["Jana Nováková", "jana@example.org", "en", "", "Dlouhá 12", "", "110 00", "Praha", "CZ", "", "", ""]
    declined = ok(invoke("init", input="\n".join(answers + ["n"]) + "\n"))
    assert 'name = "Jana Nováková"' in declined.stdout and "Nothing was saved" in declined.stdout
    assert not (objector_home / "profile.toml").exists()
    saved = ok(invoke("init", input="\n".join(answers + ["y"]) + "\n"))
    assert "Saved your profile" in saved.stdout and "objector guide" in saved.stdout
    assert (objector_home / "profile.toml").exists()


def test_a_closed_pipe_ends_quietly(tmp_path):
    """`objector status --all | head -1`: the reader goes away; no traceback, no error line."""
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    with Journal.open(home / "journal.sqlite3") as journal, journal.transaction():
        for n in range(1500):
            reference = f"OBJ-2026-{n:06d}"
            record(journal, make_request(reference, created_on=date(2026, 1, 2)))
            log_sent(journal, reference, on=date(2026, 1, 5), via="email", today=date(2026, 1, 5))
    env = os.environ | {"OBJECTOR_HOME": str(home), "OBJECTOR_TODAY": "2026-01-10"}
    process = subprocess.Popen([sys.executable, "-m", "objector", "status", "--all"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=env, cwd=tmp_path)
    first = process.stdout.readline()
    process.stdout.close()
    stderr = process.stderr.read()
    assert process.wait(timeout=60) == 0, stderr
    assert first == b"1,500 requests: 1,500 sent.\n" and stderr == b"", stderr
