"""Peak memory of `objector export` and `objector import` as the journal grows (issue 20): each is streamed, so the
figure at 100,000 requests should be the figure at 10,000 (within ~1.3x).

    python tests/benchmarks/bench_transfer.py                    # 10,000 and 100,000 requests
    python tests/benchmarks/bench_transfer.py --requests 2000 20000

Builds each journal straight through the Journal API in one transaction (no letter is rendered): every request
drafted with its letter kept as evidence (a few KiB of its own, as `objector letter` keeps the PDF), sent, a
third answered with a note. Then, as whole processes: `export` (JSON, then CSV) to a file, and `import` of each
export into an empty journal (the CSV one beside a copy of the evidence folder, which it does not carry). The
peak RSS of each process is read with getrusage in a small parent that runs it alone. Not part of the test
suite: the figures are facts about a machine.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PY = sys.executable
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LETTER_BYTES = 3 * 1024


def build(home: Path, count: int) -> None:
    """A journal of `count` requests, each with its letter as evidence, a sent event, a third with a reply."""
    sys.path.insert(0, str(REPO))
    from objector.journal import Journal, canonical_json, request_hash

    evidence = home / "evidence"
    evidence.mkdir(parents=True, exist_ok=True)
    first = date(2025, 1, 2)
    with Journal.open(home / "journal.sqlite3") as journal, journal.transaction():
        for i in range(count):
            code = "".join(ALPHABET[(i >> (5 * k)) & 31] for k in range(6))
            reference = f"OBJ-2026-{code}"
            created = first + timedelta(days=i % 600)
            letter = (f"%PDF-1.7 letter {reference} " * 200).encode("ascii")[:LETTER_BYTES]
            digest = hashlib.sha256(letter).hexdigest()
            (evidence / digest).write_bytes(letter)
            row = {"reference": reference, "kind": "objection", "controller": "meta-ireland", "law": "gdpr",
                   "language": "en", "region": "", "inputs": canonical_json({"purpose": "ai-training", "n": i}),
                   "sha256": digest, "document": f"{reference}.pdf", "created_on": created.isoformat()}
            journal._conn.execute(f"INSERT INTO requests ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                                  tuple(row.values()))
            journal._append(reference, "drafted", created, {
                "request": request_hash(row),
                "evidence": [{"sha256": digest, "name": f"{reference}.pdf", "size": len(letter)}]})
            journal._append(reference, "sent", created + timedelta(days=1), {"via": "email"})
            if i % 3 == 0:
                journal._append(reference, "reply", created + timedelta(days=20),
                                {"outcome": "partial", "note": f"some of it, not the logs (Ünïcödé {i})"})


def peak_rss(command: list[str], env: dict, cwd: Path) -> float:
    """Peak RSS (MiB) of `command` run alone as a child of a small parent that reads its children's figure."""
    probe = ("import resource, subprocess, sys; "
             "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([PY, "-c", probe, *command], env=env, cwd=cwd, check=True, capture_output=True, text=True)
    return int(out.stdout) / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, nargs="+", default=[10_000, 100_000], metavar="N")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="objector-transfer-bench-"))
    objector = [PY, "-m", "objector"]
    figures: dict[str, list[float]] = {}
    sizes: dict[str, list[float]] = {}
    try:
        for count in args.requests:
            home = work / f"home{count}"
            started = time.perf_counter()
            build(home, count)
            print(f"built {count:,} requests in {time.perf_counter() - started:.1f} s", flush=True)
            env = os.environ | {"OBJECTOR_HOME": str(home), "OBJECTOR_TODAY": "2026-11-27", "PYTHONPATH": str(REPO)}
            for fmt in ("json", "csv"):
                exported = work / f"export{count}.{fmt}"
                started = time.perf_counter()
                figures.setdefault(f"export --format {fmt}", []).append(
                    peak_rss([*objector, "export", "-f", fmt, "-o", str(exported)], env, work))
                sizes.setdefault(f"export --format {fmt}", []).append(exported.stat().st_size / 2**20)
                print(f"  export {fmt}: {time.perf_counter() - started:.1f} s", flush=True)
                fresh = work / f"import{count}{fmt}"
                if fmt == "csv":  # CSV carries no evidence bytes: they must be there already, beside a new journal
                    from objector.journal import Journal

                    Journal.open(fresh / "journal.sqlite3").close()
                    shutil.copytree(home / "evidence", fresh / "evidence", copy_function=shutil.copy)
                started = time.perf_counter()
                figures.setdefault(f"import (the {fmt} export)", []).append(
                    peak_rss([*objector, "import", str(exported)], env | {"OBJECTOR_HOME": str(fresh)}, work))
                print(f"  import {fmt}: {time.perf_counter() - started:.1f} s", flush=True)
                shutil.rmtree(fresh)
                exported.unlink()
            shutil.rmtree(home)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    header = "   ".join(f"{count:>12,} req" for count in args.requests)
    print(f"{'peak RSS (MiB)':<28} {header}   last/first")
    for name, values in figures.items():
        cells = "   ".join(f"{value:16.1f}" for value in values)
        print(f"{name:<28} {cells}   {values[-1] / values[0]:6.2f}x")
    for name, values in sizes.items():
        print(f"{'size of ' + name[len('export --format '):] + ' export (MiB)':<28} "
              + "   ".join(f"{value:16.1f}" for value in values))


if __name__ == "__main__":
    main()
