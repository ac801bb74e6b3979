"""`objector status` with 10,000 requests in the journal, timed as a whole process.

    python tests/benchmarks/bench_status.py              # 10,000 requests, 5 runs each
    python tests/benchmarks/bench_status.py --requests 2000 --runs 3

Builds a journal in a temporary OBJECTOR_HOME: every request drafted and sent (post, e-mail, web form,
app, on dates spread over two years), a third confirmed, a quarter answered, some extended or waiting for
ID; then times `objector status`, `status --json`, `status --all` and `verify` next to `objector --help`
(the start-up floor). Not part of the test suite: timings are facts about a machine.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PY = sys.executable
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def build(home: Path, count: int) -> None:
    sys.path.insert(0, str(REPO))
    from objector.journal import Journal

    rng = random.Random(7)
    today = date(2026, 11, 27)
    controllers = [("meta-ireland", "gdpr", ""), ("meta-inc", "uk-gdpr", ""), ("meta-inc", "ccpa", "CA"),
                   ("whatsapp-ireland", "gdpr", "")]
    with Journal.open(home / "journal.sqlite3") as journal, journal.transaction():
        for i in range(count):
            code = "".join(ALPHABET[(i >> (5 * k)) & 31] for k in range(6))
            kind = rng.choice(("objection", "access"))
            reference = f"{'OBJ' if kind == 'objection' else 'ACC'}-2026-{code}"
            controller, law, region = rng.choice(controllers)
            created = today - timedelta(days=rng.randrange(5, 730))
            journal.add_request(reference=reference, kind=kind, controller=controller, law=law, language="en",
                                region=region, inputs={"purpose": "ai-training", "n": i}, sha256="ab" * 32,
                                document=f"{reference}.pdf", created_on=created)
            sent = created + timedelta(days=rng.randrange(0, 4))
            journal.log_sent(reference, on=sent, via=rng.choice(("post", "email", "webform", "app")), today=today)
            roll = rng.random()
            if roll < 0.33:
                journal.log_confirmed(reference, on=min(today, sent + timedelta(days=3)), today=today)
            if roll < 0.25:
                journal.log_reply(reference, outcome=rng.choice(("complied", "refused", "partial")),
                                  on=min(today, sent + timedelta(days=rng.randrange(5, 60))), today=today)
            elif roll < 0.30:
                journal.log_reply(reference, outcome="extended", on=min(today, sent + timedelta(days=20)), today=today)
            elif roll < 0.32:
                journal.log_reply(reference, outcome="needs-id", on=min(today, sent + timedelta(days=6)), today=today)


def timed(command: list[str], runs: int, env: dict) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return statistics.median(times), min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="objector-status-bench-")) / "home"
    env = os.environ | {"OBJECTOR_HOME": str(home), "OBJECTOR_TODAY": "2026-11-27", "PYTHONPATH": str(REPO)}
    started = time.perf_counter()
    build(home, args.requests)
    size = (home / "journal.sqlite3").stat().st_size / 2**20
    print(f"built {args.requests} requests in {time.perf_counter() - started:.1f} s ({size:.1f} MiB)")
    objector = [PY, "-m", "objector"]
    floor, _ = timed(objector + ["--help"], args.runs, env)
    print(f"{'objector --help (start-up floor)':<36} median {floor:6.3f} s")
    for extra in (["status"], ["status", "--json"], ["status", "--all"], ["verify"]):
        median, best = timed(objector + extra, args.runs, env)
        print(f"{'objector ' + ' '.join(extra):<36} median {median:6.3f} s   best {best:6.3f} s   "
              f"({median / floor:4.1f}x --help)")


if __name__ == "__main__":
    main()
