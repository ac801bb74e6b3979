"""Convert a snapshot of the open controller dataset into the compact file objector ships.

    python3 tools/convert_dataset.py SNAPSHOT.json.gz            # writes objector/data/controllers-dataset.json.gz
    python3 tools/convert_dataset.py SNAPSHOT.json.gz -o OUT     # elsewhere

The snapshot is the dataset's JSON ({"commit", "commit_date", "companies": [...]}; gzip or plain), e.g. the one
in the project's shared reference folder (reference/datenanfragen/data.json.gz). Run it again when the
reference snapshot is replaced, and commit the file it writes: the conversion is objector.people.dataset's, the
same `objector controllers update` applies to a person's newer snapshot. Prints what loaded and what was refused.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> int:
    sys.path.insert(0, str(REPO))
    from objector.errors import ObjectorError
    from objector.people import dataset

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("snapshot", type=Path)
    parser.add_argument("-o", "--output", type=Path, default=REPO / "objector" / "data" / dataset.SHIPPED)
    args = parser.parse_args()
    try:
        snapshot = dataset.read_snapshot(args.snapshot)
    except ObjectorError as exc:
        print(f"convert_dataset: {exc.message}", file=sys.stderr)
        return 3
    blob = dataset.dump(snapshot)
    args.output.write_bytes(blob)
    records = snapshot.records.values()
    print(f"{args.output}: {len(blob):,} bytes, commit {snapshot.commit} ({snapshot.commit_date})")
    print(f"loaded {len(snapshot.records)}, refused {len(snapshot.refused)}")
    print(f"  with e-mail {sum('email' in r for r in records)}, with a readable postal address "
          f"{sum('address' in r for r in records)}, with a web form {sum('webform' in r for r in records)}")
    for slug, problem in sorted((r["slug"], r["address_problem"]) for r in records if "address_problem" in r):
        print(f"  address not readable: {slug}: {problem}")
    for slug, web in sorted((r["slug"], r["web_dropped"]) for r in records if "web_dropped" in r):
        print(f"  website left out (not a web address; the record loads): {slug}: {web!r}")
    for slug, reason in sorted(snapshot.refused.items()):
        print(f"  refused: {slug}: {reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
