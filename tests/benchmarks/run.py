"""objector's benchmarks: each figure next to its floor, measured in the same run, printed as a ratio.

    python tests/benchmarks/run.py            # everything (about five minutes on 2 cores)
    python tests/benchmarks/run.py --quick    # fewer repetitions
    python tests/benchmarks/run.py --batch    # only the batch figures (per letter, 1 and 2 workers)

The memory of `export` and `import` as the journal grows (10,000 and 100,000 requests) is measured by
bench_transfer.py, apart: building and moving 100,000 requests takes minutes.

Not part of the test suite: timings are facts about a machine, not pass/fail conditions.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PROFILE = REPO / "examples" / "profile.toml"
PY = sys.executable
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_status import timed  # noqa: E402

BARE_RENDER = """
import sys, weasyprint
html = open(sys.argv[1], encoding="utf-8").read()
weasyprint.HTML(string=html).write_pdf(sys.argv[2])
"""


def whole_process(command: list[str], runs: int, env: dict, cwd: Path) -> float:
    """The median wall-clock time of `runs` runs."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def cpu_line(label: str, value: float, floor: float, floor_label: str) -> None:
    print(f"{'  ' + label:<44} {value:8.4f} s   {floor_label:<34} {floor:8.4f} s   ratio {value / floor:5.2f}x")


def line(label: str, value: float, floor: float, floor_label: str, unit: str = "s", target: float | None = None) -> None:
    ratio = value / floor if floor else float("nan")
    verdict = "" if target is None else (f"  (target ≤ {target:.2f}x: {'met' if ratio <= target else 'MISSED'})")
    print(f"{label:<44} {value:8.4f} {unit}   {floor_label:<34} {floor:8.4f} {unit}   ratio {ratio:5.2f}x{verdict}")


def harfbuzz_subset_present() -> bool:
    from weasyprint.text.ffi import harfbuzz_subset

    return harfbuzz_subset is not None


def in_process_letters(count: int):
    """(objector's cost per letter, bare WeasyPrint's cost per letter on the same HTML), steady state."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    from objector.letters import compose
    from objector.letters import letter as letters
    from objector.letters.render import warm_up
    from objector.people import profile

    person = profile.load(PROFILE)
    warm_up()
    request = letters.prepare("objection", "meta", person, on=date(2026, 11, 27), reference="OBJ-2026-BENCH0")
    html = letters.render_html(request)
    font_config = FontConfiguration()
    for _ in range(3):  # warm both paths
        compose.produce(request, "pdf")
        weasyprint.HTML(string=html).write_pdf(font_config=font_config)

    def objector_letter(i: int) -> None:
        r = letters.prepare("objection", "meta", person, on=date(2026, 11, 27), reference=f"OBJ-2026-B{i:05d}"[:15])
        compose.produce(r, "pdf")

    def bare_letter(i: int) -> None:
        weasyprint.HTML(string=html).write_pdf(font_config=font_config)

    results = {}
    for name, fn in (("objector", objector_letter), ("bare", bare_letter)):
        started = time.perf_counter()
        for i in range(count):
            fn(i)
        results[name] = (time.perf_counter() - started) / count
    return results["objector"], results["bare"]


def memory_over(count: int) -> tuple[float, float]:
    """Peak RSS (MiB) after letter 100 and after letter `count`, rendering in one process."""
    from objector.letters import compose
    from objector.letters import letter as letters
    from objector.letters.render import warm_up
    from objector.people import profile

    person = profile.load(PROFILE)
    warm_up()
    at_100 = 0.0
    for i in range(1, count + 1):
        r = letters.prepare("objection", "meta", person, on=date(2026, 11, 27))
        compose.produce(r, "pdf")
        if i == 100:
            at_100 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return at_100, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


BATCH_ROW = ["objection", "meta", "Person {i}", "p{i}@example.org", "Dlouhá 12", "110 00", "Praha", "CZ", "2026-11-27"]


def batch_throughput(rows: int, jobs: int, env: dict, work: Path) -> float:
    folder = Path(tempfile.mkdtemp(dir=work))
    header = ["kind", "controller", "name", "email", "street", "postcode", "city", "country", "date"]
    with (folder / "b.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for i in range(rows):
            writer.writerow([cell.format(i=i) for cell in BATCH_ROW])
    run_env = env | {"OBJECTOR_HOME": str(folder / "home")}
    out = subprocess.run([PY, "-m", "objector", "batch", "b.csv", "--jobs", str(jobs), "--json"], cwd=folder,
                         env=run_env, check=True, capture_output=True, text=True)
    report = json.loads(out.stdout)
    assert len(report["written"]) == rows, report
    return rows / report["seconds"]


BARE_BATCH = """
import json, sys, time
started = time.perf_counter()
import weasyprint
from weasyprint.text.fonts import FontConfiguration
font_config = FontConfiguration()
for html in json.load(open(sys.argv[1], encoding="utf-8")):
    weasyprint.HTML(string=html).write_pdf(font_config=font_config)
print(time.perf_counter() - started)
"""


def bare_batch_letter(count: int, work: Path) -> float:
    """Bare WeasyPrint's cost per letter on the HTML of the batch's own letters (each row's, as the batch renders
    them), timed as the batch is: a fresh process, from importing WeasyPrint to the last PDF."""
    from objector.letters import letter as letters
    from objector.people import profile

    pages = []
    for i in range(count):
        _, _, name, email, street, postcode, city, country, _ = (cell.format(i=i) for cell in BATCH_ROW)
        person = profile.from_dict({"name": name, "email": email, "language": "en", "address": {
            "lines": [street], "postcode": postcode, "city": city, "country": country}})
        pages.append(letters.render_html(letters.prepare("objection", "meta", person, on=date(2026, 11, 27))))
    (work / "bare_batch.json").write_text(json.dumps(pages), encoding="utf-8")
    (work / "bare_batch.py").write_text(BARE_BATCH, encoding="utf-8")
    out = subprocess.run([PY, "bare_batch.py", "bare_batch.json"], cwd=work, check=True, capture_output=True,
                         text=True)
    return float(out.stdout) / count


def batch_figures(rows: int, rounds: int, env: dict, work: Path) -> None:
    """A letter in a batch (rendered, written, kept as evidence and recorded, the parent recording a group at a
    time) against bare WeasyPrint rendering the same letters' HTML in a loop, and what a second worker adds. Measured
    in rounds (bare loop, one worker, two workers, one after the other), each ratio taken within its round and the
    median printed: on a shared machine the speed drifts by more than the figures being measured."""
    per_letter, speed_up = [], []
    for _ in range(rounds):
        bare = bare_batch_letter(rows, work)
        one = batch_throughput(rows, 1, env, work)
        two = batch_throughput(rows, 2, env, work)
        per_letter.append((1 / one, bare))
        speed_up.append((one, two))
    ratios = sorted(range(rounds), key=lambda k: per_letter[k][0] / per_letter[k][1])
    middle = per_letter[ratios[rounds // 2]]
    line(f"per letter in a batch of {rows} (1 worker)", middle[0], middle[1], "bare WeasyPrint loop", target=1.10)
    one, two = sorted(speed_up, key=lambda pair: pair[1] / pair[0])[rounds // 2]
    print(f"{'batch throughput, ' + str(rows) + ' letters':<44} 1 worker {one:6.1f}/s   2 workers {two:6.1f}/s   "
          f"ratio {two / one:4.2f}x  (target ≥ 1.85x: {'met' if two / one >= 1.85 else 'MISSED'})")
    print(f"{'  each round (per letter; 2 workers)':<44} " + ", ".join(
        f"{a / b:.2f}x; {d / c:.2f}x" for (a, b), (c, d) in zip(per_letter, speed_up, strict=True)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--startup", action="store_true", help="only the start-up figures (--help, a txt letter)")
    parser.add_argument("--batch", action="store_true", help="only the batch figures (per letter, 1 and 2 workers)")
    parser.add_argument("--memory", type=int, help=argparse.SUPPRESS)  # child mode: measure RSS alone
    args = parser.parse_args()
    if args.memory:
        print(json.dumps(memory_over(args.memory)))
        return
    runs = 3 if args.quick else 21 if args.startup else 5
    work = Path(tempfile.mkdtemp(prefix="objector-bench-"))
    env = os.environ | {"OBJECTOR_HOME": str(work / "home")}
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"libharfbuzz-subset: {'present' if harfbuzz_subset_present() else 'MISSING'}")

    rows = 40 if args.quick else 200  # enough letters that the pool's start-up (~1 s) is not what is measured
    rounds = 1 if args.quick else 3
    if args.batch:
        batch_figures(rows, rounds, env, work)
        return
    help_command, typer_command = [PY, "-m", "objector", "--help"], [PY, "-c", "import typer"]
    txt_command = [PY, "-m", "objector", "letter", "objection", "meta", "--profile", str(PROFILE), "--date",
                   "2026-11-27", "--no-record", "-o", "letter.txt", "--force"]
    # Interleaved (bench_status.timed), one run of each in turn: a burst of load hits all three alike. A busy
    # machine stretches wall-clock time but hardly CPU time: the ratios are printed in both.
    times = timed({"help": help_command, "typer": typer_command, "txt": txt_command}, runs, env, cwd=work)
    (help_time, typer_time, txt_time), (help_cpu, typer_cpu, txt_cpu) = (
        [statistics.median(times[name][part]) for name in ("help", "typer", "txt")] for part in (0, 1))
    line("objector --help (median, whole process)", help_time, typer_time, 'python -c "import typer"', target=1.3)
    line("one letter, txt (median, whole process)", txt_time, help_time, "objector --help", target=2.0)
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs; the same runs in CPU time (user + system):")
    cpu_line("objector --help", help_cpu, typer_cpu, 'python -c "import typer"')
    cpu_line("one letter, txt", txt_cpu, help_cpu, "objector --help")
    if args.startup:
        return

    subprocess.run([PY, "-m", "objector", "letter", "objection", "meta", "--profile", str(PROFILE), "--date",
                    "2026-11-27", "--no-record", "-f", "html", "-o", "letter.html", "--force"], env=env, cwd=work, check=True)
    (work / "bare.py").write_text(BARE_RENDER)
    letter_time = whole_process([PY, "-m", "objector", "letter", "objection", "meta", "--profile", str(PROFILE),
                                 "--date", "2026-11-27", "--no-record", "-o", "letter.pdf", "--force"], runs, env, work)
    bare_time = whole_process([PY, "bare.py", "letter.html", "bare.pdf"], runs, env, work)
    line("one letter, PDF (median, whole process)", letter_time, bare_time, "bare WeasyPrint script", target=1.15)
    print(f"{'PDF size':<44} {(work / 'letter.pdf').stat().st_size / 1024:8.1f} KiB  "
          f"(bare WeasyPrint: {(work / 'bare.pdf').stat().st_size / 1024:.1f} KiB)")

    per_letter, bare_per_letter = in_process_letters(20 if args.quick else 60)
    line("per letter, steady state (in process)", per_letter, bare_per_letter, "bare WeasyPrint loop", target=1.10)

    batch_figures(rows, rounds, env, work)

    child = subprocess.run([PY, __file__, "--memory", str(300 if args.quick else 1000)], env=env, cwd=work,
                           check=True, capture_output=True, text=True)
    at_100, at_end = json.loads(child.stdout)
    growth = at_end / at_100
    print(f"{'peak RSS at letter 100 → last':<44} {at_100:8.1f} MiB → {at_end:.1f} MiB   ratio {growth:4.2f}x  "
          f"(target ≤ 1.20x: {'met' if growth <= 1.2 else 'MISSED'})")


if __name__ == "__main__":
    main()
