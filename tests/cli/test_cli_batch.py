"""`objector batch` end to end: good rows, bad rows, the journal, resuming after a kill."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from helpers import flat, pdf_text

REPO = Path(__file__).resolve().parents[2]
HEADER = ["kind", "controller", "name", "email", "language", "street", "postcode", "city", "country", "lang", "purpose", "date", "format"]


def row(**values) -> dict:
    base = {"kind": "objection", "controller": "meta", "name": "Jana Nováková", "email": "jana@example.org",
            "language": "en", "street": "Dlouhá 12", "postcode": "110 00", "city": "Praha", "country": "CZ",
            "lang": "", "purpose": "", "date": "2026-11-27", "format": "txt"}
    return base | values


def write_csv(path: Path, rows: list[dict]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER)
        writer.writeheader()
        writer.writerows(rows)
    return path


def recorded_so_far(home: Path) -> int:
    """Requests in the journal, read as another process would while a batch writes it (0: none, or no journal)."""
    if not (home / "journal.sqlite3").exists():
        return 0
    found = subprocess.run([sys.executable, "-c", "import sqlite3, sys; print(sqlite3.connect(sys.argv[1], timeout=0.1)"
                            ".execute('SELECT count(*) FROM requests').fetchone()[0])", str(home / "journal.sqlite3")],
                           capture_output=True, text=True)
    return int(found.stdout) if found.returncode == 0 else 0


def journal_requests(home: Path) -> list:
    from objector.journal import Journal

    with Journal.open(home / "journal.sqlite3", create=False) as journal:
        return journal.requests()


def test_good_rows_are_written_and_recorded_bad_rows_reported(invoke, tmp_path, objector_home):
    rows = [row(name=f"Person {i}", email=f"p{i}@example.org") for i in range(4)]
    rows.insert(2, row(email="not-an-address"))
    rows.append(row(country="XY"))
    rows.append(row(kind="erasure"))
    rows.append(row(format="pdf", name="Pdf Person", kind="access"))
    write_csv(tmp_path / "b.csv", rows)
    result = invoke("batch", "b.csv", "--jobs", "2", "--json")
    assert result.exit_code == 3, result.output
    report = json.loads(result.stdout)
    assert len(report["written"]) == 5
    failed = {(f["row"], f["field"]) for f in report["failed"]}
    assert failed == {(3, "email"), (6, "country"), (7, "ground")}  # an erasure row names its grounds
    assert "row 3 (line 4): email" in result.stderr
    assert len(journal_requests(objector_home)) == 5
    pdf = next(Path("letters").glob("ACC-*.pdf"))
    assert "Pdf Person" in flat(pdf_text(pdf)) and "Article 15(1)(h) GDPR" in flat(pdf_text(pdf))
    texts = sorted(Path("letters").glob("OBJ-*.txt"))
    assert len(texts) == 4 and "Person 0" in "".join(t.read_text("utf-8") for t in texts)


def test_a_second_run_refuses_and_resume_skips_what_is_done(invoke, tmp_path, objector_home):
    write_csv(tmp_path / "b.csv", [row(name=f"P {i}") for i in range(3)])
    assert invoke("batch", "b.csv", "-j", "1").exit_code == 0
    again = invoke("batch", "b.csv", "-j", "1")
    assert again.exit_code == 3 and "--resume" in again.stderr
    resumed = invoke("batch", "b.csv", "-j", "1", "--resume", "--json")
    assert resumed.exit_code == 0 and json.loads(resumed.stdout)["skipped"] == 3
    assert len(journal_requests(objector_home)) == 3


def test_unknown_column_and_missing_file(invoke, tmp_path):
    (tmp_path / "b.csv").write_text("kind,controller,nmae\nobjection,meta,x\n")
    result = invoke("batch", "b.csv")
    assert result.exit_code == 3 and "unknown column(s) nmae" in result.stderr
    assert invoke("batch", "nope.csv").exit_code == 4


def test_resume_after_a_kill_writes_each_letter_once(tmp_path, objector_home):
    from objector.letters.batch import RECORD_GROUP

    # More rows than a group: however fast the machine, the first group is recorded with letters still to come.
    count = RECORD_GROUP + 16
    rows = [row(name=f"Person {i}", email=f"p{i}@example.org", format="pdf") for i in range(count)]
    write_csv(tmp_path / "b.csv", rows)
    env = os.environ | {"OBJECTOR_HOME": str(objector_home)}
    command = [sys.executable, "-m", "objector", "batch", "b.csv", "-j", "2"]
    process = subprocess.Popen(command, cwd=tmp_path, env=env, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not recorded_so_far(objector_home):  # the first group is in
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)  # the parent and its workers, mid-batch
    process.wait()
    recorded_before = len(journal_requests(objector_home))
    assert 0 < recorded_before < count
    finished = subprocess.run([*command, "--resume", "--json"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert finished.returncode == 0, finished.stderr
    report = json.loads(finished.stdout)
    assert report["skipped"] == recorded_before and len(report["written"]) == count - recorded_before
    requests = journal_requests(objector_home)
    assert len(requests) == count and len({r.reference for r in requests}) == count
    assert len(list((tmp_path / "letters").glob("*.pdf"))) == count
    assert not list((tmp_path / "letters").glob(".*.tmp"))
    verify = subprocess.run([sys.executable, "-m", "objector", "verify"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert verify.returncode == 0, verify.stdout + verify.stderr


def test_two_workers_write_and_the_parent_records_each_letter_once(invoke, tmp_path, objector_home, monkeypatch):
    """The workers render and write; the parent records the letters a group at a time (more rows than a group):
    each recorded once, with the file's hash and the letter as its evidence; a letter the journal refuses is
    deleted and its row fails alone."""
    from objector.errors import JournalError
    from objector.journal import Journal
    from objector.letters import batch

    rows = [row(name=f"Person {i}", email=f"p{i}@example.org") for i in range(batch.RECORD_GROUP + 8)]
    write_csv(tmp_path / "b.csv", rows)
    add_request = Journal.add_request

    def refuse_person_5(self, **entry):
        if "Person 5" in json.dumps(entry["inputs"], ensure_ascii=False):
            raise JournalError("the journal refused it (a test)")
        return add_request(self, **entry)

    monkeypatch.setattr(Journal, "add_request", refuse_person_5)
    result = invoke("batch", "b.csv", "--jobs", "2", "--json")
    assert result.exit_code == 3, result.output
    report = json.loads(result.stdout)
    assert [(f["row"], f["line"], f["reason"]) for f in report["failed"]] == [(6, 7, "the journal refused it (a test)")]
    written = {w["reference"]: w for w in report["written"]}
    assert len(written) == len(rows) - 1 and [w["row"] for w in report["written"]] == sorted(w["row"] for w in written.values())
    monkeypatch.setattr(Journal, "add_request", add_request)
    with Journal.open() as journal:
        requests = {r.reference: r for r in journal.requests()}
        assert set(requests) == set(written)
        for reference, request in requests.items():
            path = Path(written[reference]["path"])
            assert request.document == path.name and request.sha256 == written[reference]["sha256"]
            (drafted,) = [e for e in journal.events(reference) if e.type == "drafted"]
            assert journal.evidence_path(drafted.data["evidence"][0]["sha256"]).read_bytes() == path.read_bytes()
        assert journal.verify().ok
    letters = sorted(p.name for p in Path("letters").iterdir())
    assert letters == sorted(Path(w["path"]).name for w in written.values())  # the refused one deleted


def test_two_workers_render_what_one_renders(tmp_path):
    """WeasyPrint is set up in the parent before the pool forks: the workers' PDFs are byte for byte the ones a
    single process makes."""
    write_csv(tmp_path / "b.csv", [row(name=f"Person {i}", format="pdf") for i in range(2)])
    made = {}
    for jobs in ("1", "2"):
        env = os.environ | {"OBJECTOR_HOME": str(tmp_path / f"home{jobs}"), "SOURCE_DATE_EPOCH": "1780000000"}
        done = subprocess.run([sys.executable, "-m", "objector", "batch", "b.csv", "-j", jobs, "-d", f"out{jobs}"],
                              cwd=tmp_path, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        made[jobs] = {p.name: p.read_bytes() for p in (tmp_path / f"out{jobs}").glob("*.pdf")}
    assert len(made["1"]) == 2 and made["1"] == made["2"]


def test_every_letter_of_a_batch_cites_the_journal_head_as_the_batch_found_it(invoke, tmp_path, objector_home):
    """The letters are recorded a group at a time, so each cites the head the journal had when the batch started
    (README, "What verify can and cannot prove"): on a first batch none, as a first letter; the head is kept in
    the inputs, so `show REF --letter` writes the same letter again."""
    write_csv(tmp_path / "first.csv", [row(name=f"First {i}") for i in range(2)])
    first = json.loads(invoke("batch", "first.csv", "-j", "1", "--json").stdout)["written"]
    assert all("latest entry was no." not in Path(w["path"]).read_text("utf-8") for w in first)
    head = json.loads(invoke("verify", "--json").stdout)["head"]
    assert head["seq"] == 2
    write_csv(tmp_path / "second.csv", [row(name=f"Second {i}") for i in range(3)])
    second = json.loads(invoke("batch", "second.csv", "-j", "2", "--json").stdout)["written"]
    assert len(second) == 3
    for written in second:
        text = " ".join(Path(written["path"]).read_text("utf-8").split())
        assert f"its latest entry was no. {head['seq']}, with the hash {head['hash']}." in text
        again = invoke("show", written["reference"], "--letter", "-o", tmp_path / f"{written['reference']}.txt", "--json")
        assert json.loads(again.stdout)["identical"] is True, again.output
    assert json.loads(invoke("verify", "--json").stdout)["head"]["seq"] == 5


def test_a_group_stopped_while_recording_leaves_no_letter_and_no_copy(invoke, tmp_path, objector_home, monkeypatch):
    """Ctrl-C while a group is recorded undoes the whole group: its letters and the copies kept as their evidence
    are removed with the transaction (a copy left beside an empty journal would read as lost records), and
    --resume writes them all."""
    from objector.journal import Journal
    from objector.letters import batch

    monkeypatch.setattr(batch, "RECORD_GROUP", 2)
    write_csv(tmp_path / "b.csv", [row(name=f"Person {i}") for i in range(3)])
    add_request = Journal.add_request

    def interrupted_at_person_1(self, **entry):
        if "Person 1" in json.dumps(entry["inputs"]):
            raise KeyboardInterrupt
        return add_request(self, **entry)

    monkeypatch.setattr(Journal, "add_request", interrupted_at_person_1)
    stopped = invoke("batch", "b.csv", "-j", "1", "--json")
    assert stopped.exit_code == 130 and json.loads(stopped.stdout)["written"] == []
    assert not list(Path("letters").iterdir())
    assert not (objector_home / "evidence").exists() or not list((objector_home / "evidence").iterdir())
    monkeypatch.setattr(Journal, "add_request", add_request)
    resumed = invoke("batch", "b.csv", "-j", "1", "--resume", "--json")
    assert resumed.exit_code == 0, resumed.output
    assert len(json.loads(resumed.stdout)["written"]) == 3 and len(journal_requests(objector_home)) == 3


def test_a_letter_once_recorded_is_let_go(tmp_path, objector_home):
    """The pool's futures keep each outcome to the end of the batch: the letter's bytes (the evidence the parent
    records) are taken out of it when recorded, so a batch of thousands does not hold every letter in memory."""
    from objector.letters import batch

    write_csv(tmp_path / "b.csv", [row(name=f"Person {i}") for i in range(3)])
    jobs, problems = batch.plan(tmp_path / "b.csv", tmp_path / "letters")
    assert not problems
    (tmp_path / "letters").mkdir()
    outcomes = [batch.run_job(job) for job in jobs]
    assert all(isinstance(outcome["entry"]["letter"], bytes) for outcome in outcomes)
    result = batch.BatchResult()
    recorder = batch._Recorder(result, {job.row: job.line for job in jobs}, lambda outcome: None)
    for outcome in outcomes:
        recorder.take(outcome)
    recorder.close()
    assert len(result.written) == 3 and not any("entry" in outcome for outcome in outcomes)
    assert len(journal_requests(objector_home)) == 3


def test_a_batch_of_text_letters_never_imports_weasyprint(tmp_path, objector_home):
    """WeasyPrint is set up before the pool forks only when a row needs a PDF: text letters do without it."""
    write_csv(tmp_path / "b.csv", [row(name=f"Person {i}") for i in range(2)])
    code = ("import sys\nfrom objector.cli import main\nsys.argv = ['objector', 'batch', 'b.csv', '-j', '2']\n"
            "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
            "print('weasyprint' in sys.modules, file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=os.environ | {"OBJECTOR_HOME": str(objector_home)},
                          capture_output=True, text=True)
    assert done.returncode == 0 and done.stderr.splitlines()[-1] == "False", done.stderr
    assert len(journal_requests(objector_home)) == 2
