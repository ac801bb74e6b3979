"""`objector inbox` reading an mbox of 20,000 messages, timed as a whole process: messages per second and peak memory.

    python tests/benchmarks/bench_inbox.py                    # 20,000 messages, 3 runs
    python tests/benchmarks/bench_inbox.py --messages 5000 --runs 1

Builds, in a temporary folder, a journal of 500 requests (Meta, Reddit and Pinterest, sent over the last months)
and an mbox of mostly ordinary mail (700 different newsletters, notifications and personal messages in plain
text, quoted-printable, base64 and HTML, some with attachments of up to 300 kB, each copy with its own Message-ID),
with one message in a hundred a reply to a request (by its reference or the controller's domain). Then times `objector inbox FILE --json`
(reading and matching everything, recording nothing) and `objector inbox FILE --apply --json` (recording the
replies too, on a copy of the journal), next to `objector --help` (the start-up floor). Peak memory is the largest
resident set of the objector process. Not part of the test suite: timings are facts about a machine.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PY = sys.executable
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
TODAY = date(2026, 12, 20)
WORDS = ("privacy data request account update weekly digest meeting invoice photo family holiday train ticket "
         "newsletter offer discount project report draft review comment reply thanks tomorrow").split()


def build_journal(home: Path, count: int, rng: random.Random) -> list[tuple[str, str]]:
    """`count` requests sent in the last 90 days; returns (reference, controller) for each."""
    sys.path.insert(0, str(REPO))
    from objector.journal import Journal
    from objector.tracking.events import log_sent

    made = []
    controllers = ("meta-ireland", "reddit-netherlands", "pinterest-europe")
    with Journal.open(home / "journal.sqlite3") as journal, journal.transaction():
        for i in range(count):
            code = "".join(ALPHABET[(i * 7919 >> (5 * k)) & 31] for k in range(6))
            reference = f"OBJ-2026-{code}"
            controller = controllers[i % 3]
            created = TODAY - timedelta(days=rng.randrange(10, 90))
            journal.add_request(reference=reference, kind="objection", controller=controller, law="gdpr",
                                language="en", region="", inputs={"profile": {"email": "jana@example.org"}},
                                sha256="ab" * 32, document=f"{reference}.pdf", created_on=created)
            log_sent(journal, reference, on=created, via="post", today=TODAY)
            made.append((reference, controller))
    return made


def message(n: int, rng: random.Random, requests: list[tuple[str, str]]) -> bytes:
    m = EmailMessage()
    day = datetime(2026, 12, 19, 12, 0) - timedelta(minutes=7 * n)
    m["Date"] = format_datetime(day.astimezone())
    m["Message-ID"] = f"<bench.{n}.{rng.getrandbits(40)}@example.net>"
    m["To"] = "Jana <jana@example.org>"
    text = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(40, 400)))
    if n % 100 == 0:  # a reply to a request
        reference, controller = requests[(n // 100) % len(requests)]
        domain = {"meta-ireland": "support.example-meta.test", "reddit-netherlands": "reddit.com",
                  "pinterest-europe": "pinterest.com"}[controller]
        m["From"] = f"Privacy <privacy@{domain}>"
        if controller == "meta-ireland":
            m["Subject"] = f"Re: Objection [{reference}]"
            m.set_content("We've received your objection and will review it.\n\n" + text)
        else:
            m["Subject"] = "Your data request"
            m.set_content("We need to verify your identity before we can process your request.\n\n" + text)
        return bytes(m)
    m["From"] = f"{rng.choice(WORDS).title()} <{rng.choice(WORDS)}@example{n % 50}.com>"
    m["Subject"] = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(2, 9))).capitalize()
    kind = n % 7
    if kind == 0:
        m.set_content(text, cte="base64")
    elif kind == 1:
        m.set_content("Grüße — " + text, cte="quoted-printable")
    elif kind == 2:
        m.set_content(text)
        m.add_alternative(f"<html><body><p>{text}</p></body></html>", subtype="html")
    else:
        m.set_content(text)
    if n % 25 == 3:
        m.add_attachment(rng.randbytes(rng.randrange(10_000, 300_000)), maintype="application", subtype="pdf",
                         filename=f"document-{n}.pdf")
    return bytes(m)


def build_mbox(path: Path, count: int, rng: random.Random, requests: list[tuple[str, str]]) -> None:
    """Replies made one by one; the ordinary mail from 700 different messages, each copy with a Message-ID of its own."""
    pool = [message(n, rng, requests) for n in range(1, min(count, 701)) if n % 100]
    with open(path, "wb") as handle:
        for n in range(count):
            if n % 100 == 0:
                data = message(n, rng, requests)
            else:
                base = pool[n % len(pool)]
                data = re.sub(rb"Message-ID: <[^>]+>", f"Message-ID: <bench.{n}.{rng.getrandbits(40)}@example.net>"
                              .encode(), base, count=1)
            handle.write(b"From MAILER-DAEMON Sat Dec 19 12:00:00 2026\n")
            handle.write(data.replace(b"\r\n", b"\n").replace(b"\nFrom ", b"\n>From "))
            handle.write(b"\n")


def run_once(command: list[str], env: dict) -> tuple[float, float, float]:
    """(wall seconds, cpu seconds, peak resident MiB) of one whole process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(17)
    folder = Path(tempfile.mkdtemp(prefix="objector-inbox-bench-"))
    home = folder / "home"
    env = os.environ | {"OBJECTOR_HOME": str(home), "OBJECTOR_TODAY": TODAY.isoformat(), "PYTHONPATH": str(REPO)}
    started = time.perf_counter()
    requests = build_journal(home, args.requests, rng)
    box = folder / "mail.mbox"
    build_mbox(box, args.messages, rng, requests)
    size = box.stat().st_size / 2**20
    print(f"built {args.requests} requests and an mbox of {args.messages} messages ({size:.0f} MiB) "
          f"in {time.perf_counter() - started:.1f} s")
    objector = [PY, "-m", "objector"]
    floor = [run_once(objector + ["--help"], env) for _ in range(args.runs)]
    read = [run_once(objector + ["inbox", str(box)], env) for _ in range(args.runs)]
    as_json = [run_once(objector + ["inbox", str(box), "--json"], env) for _ in range(args.runs)]
    applied = []
    for _ in range(args.runs):  # each on a fresh copy of the journal: the first --apply records, later ones would not
        copy = folder / "applied"
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(home, copy)
        applied.append(run_once(objector + ["inbox", str(box), "--apply", "--json"], env | {"OBJECTOR_HOME": str(copy)}))
    print(f"{'':<36} {'wall (median)':>14} {'cpu (median)':>13}   {'messages/s (wall, cpu)':>22} {'peak memory':>12}")
    for label, runs in (("objector --help (start-up floor)", floor), ("objector inbox (read, match, list)", read),
                        ("objector inbox --json (lists all)", as_json), ("objector inbox --apply --json", applied)):
        wall, cpu = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
        rate = "" if runs is floor else f"{args.messages / wall:10,.0f} {args.messages / cpu:10,.0f}"
        print(f"{label:<36} {wall:12.2f} s {cpu:11.2f} s   {rate:>22} {max(r[2] for r in runs):9.0f} MiB")
    replies = args.messages // 100
    print(f"{replies} of the messages are replies; the mbox is {size:.0f} MiB: peak memory stays far below it "
          "(the mbox is streamed, one message at a time)")
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
