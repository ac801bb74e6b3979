"""Cross-check objector's supervisory authorities against the open dataset's records; print the differences.

    python3 tools/compare_authorities.py SNAPSHOT.json.gz

Reads the snapshot's `supervisory_authorities` (the dataset's own records, secondary) and compares each with
the authority objector/data/authorities.toml has for the same country (for Germany, the same Land, matched by
e-mail domain or name): postal address, e-mail and web form. Reports, never writes: objector's records rest on
the authorities' own pages, and a difference is a question to check there, not a correction to apply.
"""

from __future__ import annotations

import argparse
import difflib
import gzip
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def plain(text: str) -> str:
    sys.path.insert(0, str(REPO))
    from objector.people.postal import normalise

    return normalise(text).replace(" ", "")


def domain(email: str) -> str:
    return email.rpartition("@")[2].lower()


def main() -> int:
    sys.path.insert(0, str(REPO))
    from objector.law.authorities import authorities
    from objector.people.postal import AddressProblem, parse_address

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("snapshot", type=Path)
    args = parser.parse_args()
    theirs = json.loads(gzip.decompress(args.snapshot.read_bytes()))["supervisory_authorities"]
    ours = list(authorities())
    matched: set[str] = set()
    for record in sorted(theirs, key=lambda r: r["slug"]):
        countries = [c.upper() for c in record.get("relevant-countries", [])]
        candidates = [a for a in ours if a.country in countries]
        email = record.get("email", "")
        found = [a for a in candidates if a.email and email and domain(a.email) == domain(email)]
        if not found and len(candidates) == 1:
            found = candidates
        if not found:  # the same name, once an English gloss in brackets is left out
            name = plain(record["name"].split(" (")[0])
            found = [a for a in candidates if difflib.SequenceMatcher(None, plain(a.name.split(" (")[0]), name).ratio() >= 0.9]
        if not found:
            print(f"only in the dataset: {record['slug']} ({'/'.join(countries)}) {record['name']}")
            continue
        ours_record = found[0]
        matched.add(ours_record.id)
        try:
            lines, _ = parse_address(record.get("address", ""))
        except AddressProblem as exc:
            lines = (f"(unreadable: {exc})",)
        differences = []
        if [plain(line) for line in lines] != [plain(line) for line in ours_record.address]:
            differences.append(f"address: ours {' / '.join(ours_record.address) or '(none)'}; theirs {' / '.join(lines)}")
        if (email or ours_record.email) and email.lower() != ours_record.email.lower():
            differences.append(f"e-mail: ours {ours_record.email or '(none)'}; theirs {email or '(none)'}")
        web = record.get("webform", "")
        if web and web.rstrip("/") != ours_record.web.rstrip("/"):
            differences.append(f"web form: ours {ours_record.web or '(none)'}; theirs {web}")
        status = "; ".join(differences) if differences else "same address and e-mail"
        print(f"{ours_record.id} ~ {record['slug']}: {status}")
    for authority in ours:
        if authority.id not in matched:
            print(f"only in objector: {authority.id} ({authority.country}{'-' + authority.region if authority.region else ''}) {authority.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
