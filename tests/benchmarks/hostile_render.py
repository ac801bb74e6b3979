"""The worst render time over a corpus of hostile inputs that objector accepts (issue 20: target < 10 s each).

    python tests/benchmarks/hostile_render.py           # every input once, as a PDF
    python tests/benchmarks/hostile_render.py --runs 3  # the slowest of three renders of each

Each input is the longest or most awkward that the checks let through: a --reason of 10,000 characters as one
word, as one-character lines, in combining marks, joined by no-break spaces, in CJK or Arabic; names and address
lines at their caps; twenty corrections or consents of 1,000 characters each. Before issue 20 a 130,000-character
word took 406 s; objector now caps the reason and gives long runs a break opportunity every 32 characters, and
stops any render at 30 s (objector.letters.render). Not part of the test suite: timings are facts about a machine.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TARGET = 10.0  # seconds: any accepted input renders within this
BASE = {"name": "Jana Nováková", "email": "jana@example.org", "language": "en",
        "address": {"lines": ["Dlouhá 12"], "postcode": "110 00", "city": "Praha", "country": "CZ", "region": ""},
        "accounts": {"instagram": "jana.novak"}}


def corpus() -> list[tuple[str, str, dict, dict]]:
    """(label, kind, profile changes, letter options) for each hostile input."""
    from objector.text import LONG_TEXT_LINES, LONG_TEXT_MAX

    reason_max = LONG_TEXT_MAX
    word = "x" * reason_max
    return [
        ("reason: one 10,000-character word", "objection", {}, {"reason": word}),
        ("reason: 100 lines of 99 characters", "objection", {}, {"reason": "\n".join(["x" * 99] * LONG_TEXT_LINES)}),
        ("reason: 100 one-character lines", "objection", {}, {"reason": "x\n" * (LONG_TEXT_LINES - 1) + "x"}),
        ("reason: 10,000 characters of words", "objection", {}, {"reason": "lorem ipsum " * (reason_max // 12)}),
        ("reason: letters and combining marks", "objection", {}, {"reason": "e\u0301" * (reason_max // 2)}),
        ("reason: words joined by no-break spaces", "objection", {}, {"reason": "abc\u00a0" * (reason_max // 4)}),
        ("reason: CJK without spaces", "objection", {}, {"reason": "漢字" * (reason_max // 2)}),
        ("reason: Arabic as one word", "objection", {}, {"reason": "م" * reason_max}),
        ("reason: emoji with joiners", "objection", {}, {"reason": "👩\u200d💻" * (reason_max // 3)}),
        ("name and address lines at their caps", "access",
         {"name": "N" * 200, "address": {**BASE["address"], "lines": ["L" * 120] * 4, "city": "C" * 120}}, {}),
        ("account handles at their cap", "access",
         {"accounts": {s: "h" * 300 for s in ("instagram", "facebook", "threads")}}, {}),
        ("20 corrections of 1,000 characters", "rectification", {},
         {"options": {"corrections": [f"F{i}: " + "v" * 990 for i in range(20)]}}),
        ("20 consents of 1,000 characters", "withdraw-consent", {},
         {"options": {"consents": ["c" * 1000] * 20}}),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="renders of each input (the slowest counts)")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from objector.errors import InputError
    from objector.letters import compose
    from objector.letters import letter as letters
    from objector.letters.render import RENDER_TIME_LIMIT, warm_up
    from objector.people import profile as profiles

    warm_up()
    worst = ("", 0.0)
    print(f"{'input':<44} {'pages':>5} {'seconds':>8}")
    for label, kind, changes, options in corpus():
        person = profiles.from_dict({**BASE, **changes})
        request = letters.prepare(kind, "meta", person, on=date(2026, 11, 27), reference="OBJ-2026-BENCH0"
                                  if kind == "objection" else None, reason=options.get("reason"),
                                  options=options.get("options"))
        times = []
        try:
            for _ in range(args.runs):
                started = time.perf_counter()
                _, pages, _, _ = compose.produce(request, "pdf")
                times.append(time.perf_counter() - started)
        except InputError as exc:  # e.g. no installed font shows CJK: refused at once, nothing to lay out
            print(f"{label:<44} {'-':>5} {'refused':>8}  ({exc.message[:60]}...)")
            continue
        print(f"{label:<44} {pages:>5} {max(times):8.2f}")
        if max(times) > worst[1]:
            worst = (label, max(times))
    verdict = "met" if worst[1] < TARGET else "MISSED"
    print(f"\nworst render: {worst[1]:.2f} s ({worst[0]}); target < {TARGET:g} s: {verdict} "
          f"(every render is stopped at {RENDER_TIME_LIMIT:g} s)")


if __name__ == "__main__":
    main()
