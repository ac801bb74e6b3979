"""`objector status` on a large journal, timed as a whole process.

    python tests/benchmarks/bench_status.py                     # 10,000 requests, 5 runs each
    python tests/benchmarks/bench_status.py --requests 100000   # issue 20: status on 100,000 within 3x --help
    python tests/benchmarks/bench_status.py --requests 2000 --runs 3

Builds a journal in a temporary OBJECTOR_HOME: every request drafted and sent (post, e-mail, web form,
app, on dates spread over two years), a third confirmed, a quarter answered, some extended or waiting for
ID; then times `objector status`, `status --json`, `status --all` and `verify` next to `objector --help`
(the start-up floor). Not part of the test suite: timings are facts about a machine.

Each command is timed twice over: wall clock, and CPU time (user + system of the process), which other
work on a shared machine disturbs far less. `status` keeps each request's standing in the journal
(objector.journal.store, "The standing cache") and `verify` rebuilds it in a pass of its own, so the
`status` after `verify` folds nothing: it is timed on its own ("first status after verify"), the other runs
are warm. The last lines give the targets: `status` and the first `status` after `verify` within 3x `--help`
(issues 12 and 20), `verify` within 4x (issue 12, at 10,000 requests; it now folds every request too, to rebuild
the cache). `status` prints a summary and the 20 most urgent; `--json` and `--all` print every request.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from objector.tracking.events import log_confirmed, log_reply, log_sent

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
            log_sent(journal, reference, on=sent, via=rng.choice(("post", "email", "webform", "app")), today=today)
            roll = rng.random()
            if roll < 0.33:
                log_confirmed(journal, reference, on=min(today, sent + timedelta(days=3)), today=today)
            if roll < 0.25:
                log_reply(journal, reference, outcome=rng.choice(("complied", "refused", "partial")),
                                  on=min(today, sent + timedelta(days=rng.randrange(5, 60))), today=today)
            elif roll < 0.30:
                log_reply(journal, reference, outcome="extended", on=min(today, sent + timedelta(days=20)), today=today)
            elif roll < 0.32:
                log_reply(journal, reference, outcome="needs-id", on=min(today, sent + timedelta(days=6)), today=today)


def run_once(command: list[str], env: dict, cwd: Path | None = None) -> tuple[float, float]:
    """(wall, cpu) seconds of one run of `command` as a whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def timed(commands: dict[str, list[str]], runs: int, env: dict,
          cwd: Path | None = None) -> dict[str, tuple[list[float], list[float]]]:
    """Each command `runs` times, the commands interleaved (a burst of load hits all of them alike)."""
    times: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            wall, cpu = run_once(command, env, cwd)
            times[name][0].append(wall)
            times[name][1].append(cpu)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="objector-status-bench-")) / "home"
    env = os.environ | {"OBJECTOR_HOME": str(home), "OBJECTOR_TODAY": "2026-11-27", "PYTHONPATH": str(REPO),
                        # As installed (pip compiles the modules): bytecode kept, here outside the source tree.
                        "PYTHONPYCACHEPREFIX": str(home.parent / "pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    started = time.perf_counter()
    build(home, args.requests)
    size = (home / "journal.sqlite3").stat().st_size / 2**20
    print(f"built {args.requests} requests in {time.perf_counter() - started:.1f} s ({size:.1f} MiB)")
    objector = [PY, "-m", "objector"]
    names = {"--help": "objector --help (start-up floor)", "verify": "objector verify",
             "first": "first status after verify", "status": "objector status",
             "json": "objector status --json", "all": "objector status --all"}
    commands = {"--help": ["--help"], "verify": ["verify"], "first": ["status"], "status": ["status"],
                "json": ["status", "--json"], "all": ["status", "--all"]}
    subprocess.run([*objector, "--help"], env=env, check=True, stdout=subprocess.DEVNULL)  # bytecode written
    for extra in (["status"], ["status", "--all"]):  # what a person reads: the summary, or every request
        printed = subprocess.run(objector + extra, env=env, check=True, capture_output=True).stdout
        lines = len(printed.splitlines())
        print(f"objector {' '.join(extra)} prints {len(printed):,} bytes, {lines:,} lines")
    times = timed({name: objector + extra for name, extra in commands.items()}, args.runs, env)
    floor_wall, floor_cpu = (statistics.median(times["--help"][i]) for i in (0, 1))
    print(f"{'':<36} {'wall (median, best)':>22}  {'cpu (median)':>12}   ratios to --help: wall, cpu")
    for name, label in names.items():
        wall, cpu = times[name]
        print(f"{label:<36} {statistics.median(wall):8.3f} s {min(wall):7.3f} s  {statistics.median(cpu):8.3f} s   "
              f"{statistics.median(wall) / floor_wall:4.1f}x  {statistics.median(cpu) / floor_cpu:4.1f}x")
    for name, target in (("status", 3), ("first", 3), ("verify", 4)):
        wall, cpu = (statistics.median(times[name][i]) for i in (0, 1))
        print(f"target: {names[name]} within {target}x --help at {args.requests:,} requests: "
              f"wall {wall / floor_wall:.1f}x, cpu {cpu / floor_cpu:.1f}x")


if __name__ == "__main__":
    main()
