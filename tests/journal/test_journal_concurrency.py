"""The journal under two writers at once and under SIGKILL: no entry lost, the chain stays linear."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from journal_helpers import REF, make_request, record
from objector.journal import Journal
from objector.tracking.events import log_sent

REPO = Path(__file__).resolve().parents[2]

# Logs N notes (N < 0: until killed), printing each number once it is committed. Every 7th note carries
# an evidence file, so a kill can also land between copying a file and committing its event.
WRITER = r"""
import sys
import time
from datetime import date
from pathlib import Path
from objector.journal import Journal
from objector.tracking.events import log_note

path, reference, name, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
proof = Path(path).parent / f"{name}.txt"
go = Path(path).parent / "go"
with Journal.open(path) as journal:
    while not go.exists():  # start together
        time.sleep(0.005)
    i = 0
    while count < 0 or i < count:
        evidence = ()
        if i % 7 == 0:
            proof.write_text(f"{name} {i}")
            evidence = (proof,)
        log_note(journal, reference, f"{name} {i}", on=date(2025, 1, 10), evidence=evidence, today=date(2025, 6, 30))
        print(i, flush=True)
        i += 1
"""


def writer(path: Path, name: str, count: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, "-c", WRITER, str(path), REF, name, str(count)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


@pytest.fixture
def path(tmp_path):
    path = tmp_path / "data" / "journal.sqlite3"
    with Journal.open(path) as journal:
        record(journal, make_request())
        log_sent(journal, REF, on=date(2025, 1, 3), via="email", today=date(2025, 6, 30))
    return path


def test_two_processes_logging_500_events_each_at_once(path):
    first, second = writer(path, "first", 500), writer(path, "second", 500)
    (path.parent / "go").touch()
    for process in (first, second):
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        assert out.split() == [str(i) for i in range(500)]
    with Journal.open(path) as journal:
        notes = [e for e in journal.events(REF) if e.type == "note"]
        assert len(notes) == 1000
        assert {e.data["note"] for e in notes} == {f"{n} {i}" for n in ("first", "second") for i in range(500)}
        assert [e.seq for e in journal.events()] == list(range(1, 1003))  # one linear chain
        report = journal.verify()
        assert report.ok and report.events == 1002 and not report.warnings, report


@pytest.mark.parametrize("wait_for", [5, 40, 120])
def test_a_writer_killed_mid_loop_leaves_a_sound_journal(path, wait_for):
    process = writer(path, "killed", -1)
    (path.parent / "go").touch()
    committed = -1
    deadline = time.monotonic() + 60
    while committed < wait_for and time.monotonic() < deadline:
        committed = int(process.stdout.readline())
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    process.stdout.close()
    process.stderr.close()
    assert process.returncode == -signal.SIGKILL
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    conn.close()
    with Journal.open(path) as journal:
        notes = [e.data["note"] for e in journal.events(REF) if e.type == "note"]
        assert notes[: committed + 1] == [f"killed {i}" for i in range(committed + 1)]  # nothing reported is lost
        report = journal.verify()
        assert report.ok, report.problems


CREATOR = r"""
import sys
from datetime import date
from objector.journal import Journal

with Journal.open(sys.argv[1]) as journal:
    journal.add_request(reference=sys.argv[2], kind="objection", controller="meta-ireland", law="gdpr", language="en",
                        inputs={}, sha256="ab" * 32, document="letter.pdf", created_on=date(2026, 1, 5))
"""


def test_processes_creating_the_journal_at_once_all_get_in(tmp_path):
    path = tmp_path / "new" / "journal.sqlite3"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    references = [f"OBJ-2026-00000{i}" for i in range(4)]
    processes = [subprocess.Popen([sys.executable, "-c", CREATOR, str(path), reference], env=env,
                                  stderr=subprocess.PIPE, text=True) for reference in references]
    for process in processes:
        _, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
    with Journal.open(path) as journal:
        assert sorted(r.reference for r in journal.requests()) == references
        assert journal.verify().ok


def test_a_first_letter_being_committed_is_not_taken_for_lost_records(tmp_path):
    """SQLite writes a commit to the -wal (its mtime passes the new letter's evidence) before readers see it:
    a reader opening the journal in that moment must wait for the commit, not report the records lost."""
    import threading

    path = tmp_path / "journal.sqlite3"
    Journal.open(path).close()
    holding, release = threading.Event(), threading.Event()

    def first_letter() -> None:
        with Journal.open(path) as journal, journal._write():
            journal.add_request(reference=REF, kind="objection", controller="meta-ireland", law="gdpr",
                                language="en", inputs={}, sha256="ab" * 32, document="letter.txt",
                                created_on=date(2026, 1, 2), letter=b"the letter as sent")
            holding.set()
            release.wait(5)
            time.sleep(0.2)  # still uncommitted when the reader looks

    writer = threading.Thread(target=first_letter)
    writer.start()
    assert holding.wait(5)
    evidence = next((tmp_path / "evidence").iterdir())
    os.utime(evidence, ns=(time.time_ns() - 10**9,) * 2)
    os.utime(path, ns=(time.time_ns(),) * 2)  # the commit's write, as the reader sees the files
    release.set()
    with Journal.open(path) as journal:
        assert [r.reference for r in journal.requests()] == [REF]
    writer.join()
