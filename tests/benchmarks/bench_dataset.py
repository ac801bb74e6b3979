"""The open dataset's cost: start-up and a letter to Meta must not pay for it; what a dataset lookup costs.

    python tests/benchmarks/bench_dataset.py                        # this tree, 15 runs each
    python tests/benchmarks/bench_dataset.py --baseline /tmp/base   # and the same commands in another tree
    python tests/benchmarks/bench_dataset.py --runs 30

`--baseline DIR` names a source tree of objector from before the dataset (e.g. `git archive 717111f | tar -x -C
/tmp/base`): each command then runs in both trees, interleaved (a burst of load hits both alike), and the ratio
this/baseline is printed. Commands run as whole processes with PYTHONPATH set to the tree, in a fresh
OBJECTOR_HOME, with examples/profile.toml; letters are written as text (-f txt --no-record) so that WeasyPrint's
time does not hide the registry's. The last lines time, in this process, reading the dataset and a search.
Not part of the test suite: timings are facts about a machine, not pass/fail conditions.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PROFILE = REPO / "examples" / "profile.toml"
PY = sys.executable


def commands(out: Path) -> dict[str, list[str]]:
    letter = ["-f", "txt", "--no-record", "--force", "--profile", str(PROFILE)]
    return {
        "objector --help": ["--help"],
        "letter objection meta (txt)": ["letter", "objection", "meta", *letter, "-o", str(out / "meta.txt")],
        "letter access meta-ireland (txt)": ["letter", "access", "meta-ireland", *letter, "-o", str(out / "id.txt")],
        "letter access zalando (txt, dataset)": ["letter", "access", "zalando", *letter, "-o", str(out / "z.txt")],
        "controllers search zalndo": ["controllers", "search", "zalndo", "--country", "all"],
    }


def run_once(tree: Path, args: list[str], env: dict) -> tuple[float, float]:
    """(wall, cpu) seconds of one whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([PY, "-m", "objector", *args], env=env | {"PYTHONPATH": str(tree)}, cwd=env["OBJECTOR_HOME"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{tree}: objector {' '.join(args)} failed: {done.stderr.decode()[-300:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--baseline", type=Path, help="a source tree of objector from before the dataset")
    args = parser.parse_args()
    trees = {"this": REPO} | ({"baseline": args.baseline.resolve()} if args.baseline else {})
    with tempfile.TemporaryDirectory() as home:
        env = {k: v for k, v in os.environ.items() if k not in {"OBJECTOR_HOME", "PYTHONPATH"}} | {"OBJECTOR_HOME": home}
        work = commands(Path(home))
        times: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for label, cmd in work.items():
            for name, tree in trees.items():
                try:
                    run_once(tree, cmd, env)  # warm the file cache; a tree without the command is skipped
                except SystemExit:
                    continue
                times[(label, name)] = []
        for _ in range(args.runs):
            for (label, name), samples in times.items():
                samples.append(run_once(trees[name], work[label], env))
    print(f"{'command (median of ' + str(args.runs) + ' runs)':<40} {'tree':<9} {'wall s':>8} {'cpu s':>8}   ratio")
    for (label, name), samples in times.items():
        wall = statistics.median(s[0] for s in samples)
        cpu = statistics.median(s[1] for s in samples)
        base = times.get((label, "baseline"))
        ratio = ""
        if name == "this" and base:
            ratio = f"{wall / statistics.median(s[0] for s in base):5.2f}x wall, {cpu / statistics.median(s[1] for s in base):5.2f}x cpu"
        print(f"{label:<40} {name:<9} {wall:8.4f} {cpu:8.4f}   {ratio}")
    in_process()


def in_process() -> None:
    sys.path.insert(0, str(REPO))
    from objector.people import dataset, search

    started = time.perf_counter()
    snapshot, _ = dataset.load()
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    search.search("zalando", "DE")
    first = time.perf_counter() - started
    started = time.perf_counter()
    for text in ("zalndo", "asos.com", "Topshop", "deutsche bahn", "spotfy"):
        search.search(text)
    later = (time.perf_counter() - started) / 5
    print(f"in process: reading the dataset ({len(snapshot.records)} records) {loaded * 1000:.1f} ms; first search "
          f"(builds the index) {first * 1000:.1f} ms; a later search {later * 1000:.1f} ms")


if __name__ == "__main__":
    main()
