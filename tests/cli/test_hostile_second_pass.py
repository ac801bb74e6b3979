"""Hostile input and faults, second pass (issue 20): special files, invisible marks, bounded rendering, the render
helper's end, `-o -`, PDF/A and PDF/UA metadata, the journal head on letters, reproducible letters. Each attack,
the exit code and the one line it gives (the journal's: test_hostile_journal.py).
"""

from __future__ import annotations

import os

import pytest

from helpers import ok, one_line_error, tiny_png, write_profile
from journal_helpers import REF, add


@pytest.fixture
def profile(tmp_path):
    return write_profile(tmp_path)


def letter(invoke, profile, *args):
    return invoke("letter", "objection", "meta", "--profile", profile, "--date", "2026-11-27", *args)


# --------------------------------------------------------------------------- special files


@pytest.fixture
def fifo(tmp_path):
    path = tmp_path / "pipe"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("special", ["/dev/zero", "fifo"])
def test_a_signature_that_is_not_a_regular_file_is_refused_at_once(invoke, profile, request, special):
    path = request.getfixturevalue("fifo") if special == "fifo" else special
    result = letter(invoke, profile, "-f", "txt", "--no-record", "--signature", path)
    one_line_error(result, 3, f"--signature: {path} is not a regular file")


def test_a_signature_larger_than_the_cap_is_not_read_beyond_it(invoke, profile, tmp_path):
    big = tmp_path / "big.png"
    big.write_bytes(tiny_png() + b"\0" * 2_000_001)
    one_line_error(letter(invoke, profile, "--no-record", "--signature", big), 3,
                   f"--signature: {big} is larger than 2 MB")


@pytest.mark.parametrize("special", ["/dev/zero", "fifo"])
def test_evidence_that_is_not_a_regular_file_is_refused_not_missing(invoke, request, special):
    add()
    path = request.getfixturevalue("fifo") if special == "fifo" else special
    one_line_error(invoke("log", "note", REF, "x", "--evidence", path), 3,
                   f"evidence file {path} is not a regular file", "nothing was recorded")
    one_line_error(invoke("log", "note", REF, "x", "--evidence", "nowhere.png"), 4, "evidence file nowhere.png not found")


@pytest.mark.parametrize("command", [("import",), ("batch",), ("profile", "show", "--profile")])
def test_other_files_a_person_names_must_be_regular_too(invoke, fifo, command):
    one_line_error(invoke(*command, fifo), 3, f"{fifo} is not a regular file")


# --------------------------------------------------------------------------- invisible and direction marks


@pytest.mark.parametrize(("reason", "fragment"), [
    ("my photos \u200fare mine", "--reason: contains a direction mark (U+200F RIGHT-TO-LEFT MARK)"),
    ("\ufeffmy photos", "--reason: contains an invisible character (U+FEFF ZERO WIDTH NO-BREAK SPACE)"),
])
def test_marks_in_a_reason_are_refused(invoke, profile, reason, fragment):
    one_line_error(letter(invoke, profile, "-f", "txt", "--no-record", "--reason", reason), 3, fragment)


def test_marks_in_corrections_and_notes_are_refused(invoke, profile):
    result = invoke("letter", "rectification", "meta", "--profile", profile, "-f", "txt", "--no-record",
                    "--correction", "Name: Jana\u061c")
    one_line_error(result, 3, "--correction: contains a direction mark (U+061C ARABIC LETTER MARK)")
    add()
    one_line_error(invoke("log", "note", REF, "called\u200e"), 3, "note: contains a direction mark (U+200E")


def test_line_and_paragraph_separators_are_folded_like_line_breaks(invoke, profile, tmp_path):
    path = write_profile(tmp_path, name="Jana\u2028Nováková", address={"city": "Pra\u2029ha"})
    shown = ok(invoke("profile", "show", "--profile", path, "--json")).stdout
    assert "Jana Nováková" in shown and "Pra ha" in shown
    ok(letter(invoke, profile, "-f", "txt", "--no-record", "-o", "r.txt", "--reason", "one\u2028two"))
    text = (tmp_path / "r.txt").read_text("utf-8")
    assert "one\ntwo" in text and "\u2028" not in text


def test_a_reason_or_note_longer_than_a_letter_takes_is_refused(invoke, profile):
    one_line_error(letter(invoke, profile, "-f", "txt", "--no-record", "--reason", "x " * 5001), 3,
                   "--reason: 10,001 characters; at most 10,000 fit a letter")
    one_line_error(letter(invoke, profile, "-f", "txt", "--no-record", "--reason", "x\n" * 101), 3,
                   "--reason: 101 lines; at most 100 fit a letter (join some)")
    add()
    one_line_error(invoke("log", "note", REF, "y\n" * 101), 3, "note: 102 lines; at most 100 fit a letter")


# --------------------------------------------------------------------------- bounded rendering


def test_a_long_unbreakable_run_gets_break_opportunities_outside_tags_and_entities():
    from objector.letters.render import LONG_RUN, break_long_runs

    image = '<img src="data:image/png;base64,' + "A" * 500 + '">'
    html = f"<html><head><title>{'t' * 80}</title></head><body><p>{'x' * 70} ok &amp;{'é' * 40}</p>{image}</body>"
    broken = break_long_runs(html)
    assert f"<title>{'t' * 80}</title>" in broken and image in broken  # the head and tags are left alone
    assert [len(run) for run in broken.split("<p>")[1].split()[0].split("\u200b")] == [LONG_RUN, LONG_RUN, 6]
    assert broken.split("&amp;")[1].split("<")[0].split("\u200b") == ["é" * (LONG_RUN - 1), "é" * 9]
    assert "&amp;" in broken and "e\u200b\u0301" not in break_long_runs("<p>" + "e\u0301" * 40 + "</p>")
    assert break_long_runs("<p>ordinary words stay as they are</p>") == "<p>ordinary words stay as they are</p>"


def test_the_longest_word_objector_accepts_renders_in_seconds(invoke, profile, tmp_path):
    import time

    started = time.perf_counter()
    ok(letter(invoke, profile, "--no-record", "-o", "long.pdf", "--reason", "x" * 10_000))
    assert time.perf_counter() - started < 10
    from helpers import pdf_text

    assert "x" * 60 in "".join(pdf_text(tmp_path / "long.pdf").split())  # the break opportunities are invisible


def test_a_render_past_its_time_limit_is_stopped_with_one_line(invoke, profile, tmp_path, monkeypatch):
    monkeypatch.setattr("objector.letters.render.RENDER_TIME_LIMIT", 0.001)
    result = letter(invoke, profile, "--no-record", "-o", "slow.pdf")
    one_line_error(result, 9, "the PDF took longer than 0.001 s to lay out and was stopped; nothing was written")
    assert not list(tmp_path.glob("*.pdf")) and not list(tmp_path.glob(".*.tmp"))


def test_a_batch_row_past_the_time_limit_fails_alone(invoke, tmp_path, monkeypatch):
    import json

    monkeypatch.setattr("objector.letters.render.RENDER_TIME_LIMIT", 0.001)
    (tmp_path / "rows.csv").write_text(
        "kind,controller,name,email,street,city,country,date,format\n"
        "access,meta,Jana Nováková,jana@example.org,Dlouhá 12,Praha,CZ,2026-11-27,pdf\n"
        "access,meta,Petr Novák,petr@example.org,Dlouhá 12,Praha,CZ,2026-11-27,txt\n", "utf-8")
    result = invoke("batch", "rows.csv", "-j", "1", "--json")
    assert result.exit_code == 3, result.output
    report = json.loads(result.stdout)
    assert [w["row"] for w in report["written"]] == [2]
    assert report["failed"][0]["row"] == 1 and "took longer than 0.001 s" in report["failed"][0]["reason"]


# --------------------------------------------------------------------------- the render helper never outlives its command

SLOW_COMMAND = """
import sys, time
import objector.people.profile as profiles

def slow_profile(path=None):
    print("ready", flush=True)
    time.sleep(60)

profiles.load = slow_profile  # the command waits here, its render helper already started
sys.argv = ["objector", "letter", "objection", "meta", "--no-record"]
from objector.cli import main
main()
"""


def _children(pid: int) -> list[int]:
    from pathlib import Path

    return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _gone(pid: int) -> bool:
    from pathlib import Path

    try:
        return "\nState:\tZ" in Path(f"/proc/{pid}/status").read_text()  # a zombie has ended
    except FileNotFoundError:
        return True


@pytest.mark.skipif(not os.path.exists("/proc/self/task") or (os.cpu_count() or 1) < 2,
                    reason="Linux /proc and two cores (the helper is started only then)")
@pytest.mark.parametrize("how", ["SIGTERM", "SIGINT", "SIGKILL"])
def test_the_render_helper_ends_with_its_command(tmp_path, how):
    import signal
    import subprocess
    import sys
    import time

    from conftest import REPO

    env = dict(os.environ, PYTHONPATH=str(REPO), OBJECTOR_HOME=str(tmp_path / "home"))
    errors = open(tmp_path / "stderr", "w+", encoding="utf-8")  # a file: an orphan holding a pipe would block reading
    process = subprocess.Popen([sys.executable, "-c", SLOW_COMMAND], stdout=subprocess.PIPE, stderr=errors,
                               env=env, cwd=tmp_path, text=True)
    try:
        assert process.stdout.readline().strip() == "ready"
        helpers = _children(process.pid)
        assert len(helpers) == 1, helpers
        process.send_signal(getattr(signal, how))
        code = process.wait(timeout=20)
        stderr = (tmp_path / "stderr").read_text("utf-8")
        assert code == (-signal.SIGKILL if how == "SIGKILL" else 130), (code, stderr)
        if how != "SIGKILL":
            assert stderr.strip() == "objector: interrupted; nothing was saved by the step that was running"
        deadline = time.monotonic() + 10
        while not _gone(helpers[0]) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _gone(helpers[0]), f"the render helper {helpers[0]} outlived its command ({how})"
    finally:
        for pid in helpers if "helpers" in locals() else ():
            if not _gone(pid):
                os.kill(pid, signal.SIGKILL)  # only the helper this test started, never left behind
        process.kill()
        process.wait()
        errors.close()


# --------------------------------------------------------------------------- -o - is standard output


def _journal_letter(reference: str) -> bytes:
    from objector.journal import Journal

    with Journal.open() as journal:
        request = journal.get_request(reference)
        return journal.evidence_path(request.sha256).read_bytes()


def test_a_letter_to_standard_output_is_the_letter_recorded(invoke, profile, tmp_path):
    import json

    result = ok(letter(invoke, profile, "-f", "txt", "-o", "-"))
    assert not (tmp_path / "-").exists()
    said = [line for line in result.stderr.splitlines() if not line.startswith("objector: warning:")]
    reference = said[0].split()[0]
    assert said[0] == f"{reference}  (standard output)"
    assert result.stdout.encode("utf-8") == _journal_letter(reference)  # nothing but the letter on stdout
    assert "Dear Sir or Madam" in result.stdout
    shown = json.loads(ok(invoke("show", reference, "--json")).stdout)
    assert shown["document"] == f"{reference}-objection-meta.txt"  # the default name, kept in the journal


def test_a_pdf_to_standard_output_goes_into_a_pipe(invoke, profile):
    result = ok(letter(invoke, profile, "--no-record", "-o", "-"))
    assert result.stdout_bytes.startswith(b"%PDF-") and result.stdout_bytes.rstrip().endswith(b"%%EOF")


def test_a_pdf_to_standard_output_is_refused_on_a_terminal(profile, tmp_path):
    import pty
    import subprocess
    import sys

    from conftest import REPO

    main, terminal = pty.openpty()
    try:
        result = subprocess.run([sys.executable, "-m", "objector", "letter", "objection", "meta", "--profile",
                                 str(profile), "--no-record", "-o", "-"], stdout=terminal, stderr=subprocess.PIPE,
                                env=dict(os.environ, PYTHONPATH=str(REPO)), cwd=tmp_path, text=True, timeout=60)
    finally:
        os.close(main)
        os.close(terminal)
    assert result.returncode == 3
    assert result.stderr.strip() == ("objector: -o -: a PDF is not text for a terminal; redirect it (-o - > "
                                     "letter.pdf), pipe it, or give a file name (--format txt prints the text)")


def test_json_and_a_letter_cannot_share_standard_output(invoke, profile):
    one_line_error(letter(invoke, profile, "-f", "txt", "-o", "-", "--json"), 3,
                   "-o -: the letter goes to standard output, and so would --json; leave one out")


def test_reminder_and_complaint_to_standard_output(invoke, profile, tmp_path, monkeypatch):
    import json

    monkeypatch.setenv("OBJECTOR_TODAY", "2026-11-30")
    reference = json.loads(ok(letter(invoke, profile, "-f", "txt", "--json")).stdout)["reference"]
    ok(invoke("log", "sent", reference, "--via", "email", "--on", "2026-11-30"))
    monkeypatch.setenv("OBJECTOR_TODAY", "2027-01-04")
    reminder = ok(invoke("followup", reference, "-f", "txt", "-o", "-"))
    assert reminder.stdout.startswith("Meta Platforms Ireland Limited") and "Reminder: my objection" in reminder.stdout
    assert "reminder to Meta Platforms Ireland Limited" in reminder.stderr and not (tmp_path / "-").exists()
    ok(invoke("log", "reply", reference, "--outcome", "refused", "--on", "2027-01-04"))
    complaint = ok(invoke("complaint", reference, "-f", "txt", "-o", "-"))
    assert "Úřad pro ochranu osobních údajů" in complaint.stdout and "\nCMP-2027-" in complaint.stderr
    notes = [e["data"].get("note", "") for e in json.loads(ok(invoke("show", reference, "--json")).stdout)["timeline"]]
    assert any(n.startswith(f"reminder written: {reference}-reminder-meta.txt") for n in notes)
    assert any("-complaint-" in n and ".txt (sha256" in n for n in notes)
    ok(invoke("verify"))  # the complaint printed is kept as evidence like a file would be


# --------------------------------------------------------------------------- PDF/A: Info and XMP agree; PDF/UA: no layout tables


def _xmp(reader) -> dict:
    from xml.etree.ElementTree import fromstring

    ns = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "dc": "http://purl.org/dc/elements/1.1/",
          "xmp": "http://ns.adobe.com/xap/1.0/", "pdf": "http://ns.adobe.com/pdf/1.3/"}
    root = fromstring(reader.trailer["/Root"]["/Metadata"].get_object().get_data())

    def items(path: str) -> list[str]:
        return [e.text or "" for e in root.iterfind(f".//{path}", ns)]

    producer = [d.get(f"{{{ns['pdf']}}}Producer") for d in root.iterfind(".//rdf:Description", ns)
                if d.get(f"{{{ns['pdf']}}}Producer")]
    return {"title": items("dc:title/rdf:Alt/rdf:li"), "creator": items("dc:creator/rdf:Seq/rdf:li"),
            "description": items("dc:description/rdf:Alt/rdf:li"), "subject": items("dc:subject/rdf:Bag/rdf:li"),
            "created": items("xmp:CreateDate"), "modified": items("xmp:ModifyDate"), "producer": producer}


def _pdf_date(value: str) -> str:
    """'D:20251204000000Z' → '2025-12-04T00:00:00Z' (the form XMP writes)."""
    v = value.removeprefix("D:")
    return f"{v[0:4]}-{v[4:6]}-{v[6:8]}T{v[8:10]}:{v[10:12]}:{v[12:14]}Z"


@pytest.mark.parametrize("variant", ["pdf/a-2b", "pdf/a-3b", "pdf/a-3u", "pdf/ua-1"])
def test_the_info_dictionary_and_the_xmp_metadata_agree(invoke, profile, tmp_path, variant):
    from pypdf import PdfReader

    ok(letter(invoke, profile, "--no-record", "-o", "a.pdf", "--pdf-variant", variant))
    reader = PdfReader(tmp_path / "a.pdf")
    info, xmp = reader.metadata, _xmp(reader)
    assert xmp["title"] == [info["/Title"]] and "Objection" in info["/Title"]
    assert xmp["creator"] == [info["/Author"]] == ["Jana Nováková"]
    assert xmp["description"] == [info["/Subject"]] and info["/Subject"].startswith("OBJ-2026-")
    assert xmp["subject"] == [] and "/Keywords" not in info  # dc:subject is the keywords, and there are none
    assert xmp["created"] == [_pdf_date(info["/CreationDate"])]
    assert xmp["modified"] == [_pdf_date(info["/ModDate"])]
    assert xmp["producer"] == [info["/Producer"]]


def _structure(reader) -> list[str]:
    """Every structure element's type in the tagged PDF's tree, depth first."""
    found: list[str] = []

    def walk(node) -> None:
        node = node.get_object()
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif hasattr(node, "get") and node.get("/S") is not None or hasattr(node, "get") and "/K" in node:
            if node.get("/S") is not None:
                found.append(str(node["/S"]))
            if "/K" in node:
                walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def test_pdf_ua_has_no_layout_table_for_the_sender_block(invoke, profile, tmp_path):
    from pypdf import PdfReader

    from helpers import pdf_text

    ok(letter(invoke, profile, "--no-record", "-o", "ua.pdf", "--pdf-variant", "pdf/ua-1"))
    tags = _structure(PdfReader(tmp_path / "ua.pdf"))
    assert tags.count("/Table") == 1  # the accounts the objection concerns: data, in rows of service and handle
    assert "/TH" not in tags  # the sender's "My reference" is a label beside its value, no header cell
    assert "My reference OBJ-2026-" in " ".join(pdf_text(tmp_path / "ua.pdf").split())


# --------------------------------------------------------------------------- the journal head on letters and reminders



def test_letters_and_reminders_carry_the_journal_head_they_were_written_after(invoke, profile, tmp_path, monkeypatch):
    import json

    first = ok(letter(invoke, profile, "-f", "txt", "-o", "first.txt", "--json"))
    assert "latest entry was no." not in (tmp_path / "first.txt").read_text("utf-8")  # an empty journal anchors nothing
    reference = json.loads(first.stdout)["reference"]
    ok(letter(invoke, profile, "-f", "txt", "-o", "second.txt", "--lang", "de"))
    head = json.loads(ok(invoke("show", reference, "--json")).stdout)["timeline"][-1]
    text = " ".join((tmp_path / "second.txt").read_text("utf-8").split())
    assert (f"Bei Abfassung dieses Schreibens war der letzte Eintrag Nr. {head['seq']} mit dem Hashwert "
            f"{head['hash']}.") in text
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-11-30")
    ok(invoke("log", "sent", reference, "--via", "email", "--on", "2026-11-30"))
    before = json.loads(ok(invoke("verify", "--json")).stdout)["head"]
    monkeypatch.setenv("OBJECTOR_TODAY", "2027-01-04")
    ok(invoke("followup", reference, "-o", "reminder.pdf"))
    from helpers import pdf_text

    shown = " ".join(pdf_text(tmp_path / "reminder.pdf").split())
    cited = shown.split("its latest entry was no. ")[1]
    assert int(cited.split(",")[0]) == before["seq"]
    assert cited.split("with the hash ")[1].split(".")[0].replace(" ", "") == before["hash"]
    assert json.loads(ok(invoke("verify", "--json")).stdout)["head"]["seq"] == before["seq"] + 1  # its own note


# --------------------------------------------------------------------------- reproducible letters


@pytest.mark.parametrize("variant", ["pdf", "pdf/a-3b", "pdf/ua-1"])
def test_a_recorded_letter_written_again_is_byte_for_byte_the_same(invoke, profile, tmp_path, monkeypatch, variant):
    import json

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764806400")
    ok(letter(invoke, profile, "-o", "first.txt", "-f", "txt"))  # the journal has a head to cite
    written = json.loads(ok(letter(invoke, profile, "-o", "one.pdf", "--pdf-variant", variant, "--json")).stdout)
    again = ok(invoke("show", written["reference"], "--letter", "-o", "two.pdf"))
    assert (tmp_path / "one.pdf").read_bytes() == (tmp_path / "two.pdf").read_bytes()
    assert f"byte for byte the letter recorded (sha256 {written['sha256']})" in again.stdout
    report = json.loads(ok(invoke("show", written["reference"], "--letter", "-o", "three.pdf", "--json")).stdout)
    assert report["identical"] is True and report["recorded_sha256"] == written["sha256"]


def test_without_the_same_creation_date_the_letter_written_again_says_it_differs(invoke, profile, monkeypatch):
    import json

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764806400")
    reference = json.loads(ok(letter(invoke, profile, "-o", "one.pdf", "--json")).stdout)["reference"]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764892800")
    again = ok(invoke("show", reference, "--letter", "-o", "two.pdf"))
    assert "not the letter recorded" in again.stdout and "SOURCE_DATE_EPOCH" in again.stdout


def test_a_text_letter_written_again_to_standard_output(invoke, profile):
    import json

    written = json.loads(ok(letter(invoke, profile, "-f", "txt", "--json")).stdout)
    again = ok(invoke("show", written["reference"], "--letter", "-o", "-"))
    assert again.stdout.encode("utf-8") == _journal_letter(written["reference"])
    assert "byte for byte the letter recorded" in again.stderr


def test_a_given_reference_gives_the_same_bytes_twice(invoke, profile, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764806400")
    for name in ("one.pdf", "two.pdf"):
        ok(letter(invoke, profile, "--no-record", "-o", name, "--reference", "obj-2026-7k3f9q"))
    assert (tmp_path / "one.pdf").read_bytes() == (tmp_path / "two.pdf").read_bytes()
    from helpers import pdf_text

    assert "OBJ-2026-7K3F9Q" in pdf_text(tmp_path / "one.pdf")


@pytest.mark.parametrize(("reference", "fragment"), [
    ("OBJ-2026-7K3F9", "--reference: 'OBJ-2026-7K3F9' is not a reference in objector's form, e.g. OBJ-2026-7K3F9Q"),
    ("ACC-2026-7K3F9Q", "--reference: ACC-2026-7K3F9Q is not a reference for objection letters (those start with OBJ-)"),
    ("OBJ-2026-7K3F9Q\x1b", "--reference: 'OBJ-2026-7K3F9Q\\x1b' is not a reference in objector's form"),
])
def test_a_reference_of_the_wrong_kind_or_form_is_refused(invoke, profile, reference, fragment):
    one_line_error(letter(invoke, profile, "-f", "txt", "--reference", reference), 3, fragment)


def test_a_reference_already_in_the_journal_is_refused_before_anything_is_written(invoke, profile, tmp_path):
    add()
    one_line_error(letter(invoke, profile, "-f", "txt", "-o", "x.txt", "--reference", REF), 3,
                   f"--reference: {REF} is already in the journal", f"`objector show {REF} --letter`")
    assert not (tmp_path / "x.txt").exists()


def test_show_letter_of_a_request_made_without_a_letter_says_so(invoke, objector_home):
    add(document="")
    one_line_error(invoke("show", REF, "--letter"), 3, f"{REF} was recorded without a letter")
