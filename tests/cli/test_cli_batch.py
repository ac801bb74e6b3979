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
    rows = [row(name=f"Person {i}", email=f"p{i}@example.org", format="pdf") for i in range(24)]
    write_csv(tmp_path / "b.csv", rows)
    env = os.environ | {"OBJECTOR_HOME": str(objector_home)}
    command = [sys.executable, "-m", "objector", "batch", "b.csv", "-j", "2"]
    process = subprocess.Popen(command, cwd=tmp_path, env=env, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list((tmp_path / "letters").glob("*.pdf"))) < 4:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)  # the parent and its workers, mid-batch
    process.wait()
    recorded_before = len(journal_requests(objector_home))
    assert 0 < recorded_before < 24
    finished = subprocess.run([*command, "--resume", "--json"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert finished.returncode == 0, finished.stderr
    report = json.loads(finished.stdout)
    assert report["skipped"] == recorded_before and len(report["written"]) == 24 - recorded_before
    requests = journal_requests(objector_home)
    assert len(requests) == 24 and len({r.reference for r in requests}) == 24
    assert len(list((tmp_path / "letters").glob("*.pdf"))) == 24
    assert not list((tmp_path / "letters").glob(".*.tmp"))
    verify = subprocess.run([sys.executable, "-m", "objector", "verify"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert verify.returncode == 0, verify.stdout + verify.stderr
