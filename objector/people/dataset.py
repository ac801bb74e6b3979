"""The open controller dataset (github.com/datenanfragen/data, CC0 1.0): a snapshot converted into the compact file
objector reads, and that file found, read and replaced.

A snapshot is the dataset's JSON: {"commit": ..., "commit_date": ..., "companies": [records in the dataset's
schema], ...}. Converting keeps only the fields objector uses and
checks each one: a record with a wrong field is refused with the reason, one line per record, never half-loaded.
An address is read into lines and a country (people/postal.py); a record whose address cannot be read still
loads, for e-mail and web forms, with the reason kept, so that a letter by post can be refused with it.

The converted file ships as objector/data/controllers-dataset.json.gz (written by tools/convert_dataset.py). A
newer snapshot the person passes to `objector controllers update` is converted the same way and kept in their
data directory (mode 0600), where it is used in preference to the shipped one. Nothing is ever fetched.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..resources import data_file
from .fields import Record

FORMAT = 1  # the compact file's layout; a file of another layout is refused, not misread
SHIPPED = "controllers-dataset.json.gz"
USER_FILE = "controllers-dataset.json.gz"  # in the data directory, written by `controllers update`
SOURCE = "github.com/datenanfragen/data"
SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
LANGUAGE = re.compile(r"[a-z]{2}")
REGIONS = re.compile(r"all|[a-z]{2}")
MEDIA = ("email", "letter", "webform", "fax")
ELEMENT_TYPES = ("input", "textarea", "email", "address", "name", "birthdate")


@dataclass(frozen=True)
class Snapshot:
    """A converted snapshot: its provenance, the records that load (by slug) and those refused (slug → why)."""

    commit: str
    commit_date: str
    records: dict[str, dict]
    refused: dict[str, str]
    license: str = "CC0 1.0 Universal"

    def to_json(self) -> dict:
        return {"format": FORMAT, "source": SOURCE, "license": self.license, "commit": self.commit,
                "commit_date": self.commit_date, "records": list(self.records.values()), "refused": self.refused}


# ----------------------------------------------------------------------------- converting a snapshot


def convert(data: Any, origin: str) -> Snapshot:
    """A snapshot's companies as compact records; InputError only when the file is no snapshot at all."""
    if not isinstance(data, dict) or not isinstance(data.get("companies"), list):
        raise InputError(f"{origin}: not a snapshot of the controller dataset (expected a JSON object with a "
                         "'companies' list, its 'commit' and its 'commit_date')")
    commit, day = data.get("commit"), data.get("commit_date")
    if not isinstance(commit, str) or not re.fullmatch(r"[0-9a-f]{7,40}", commit.strip()):
        raise InputError(f"{origin}: 'commit' must name the dataset's commit the snapshot was taken at (hexadecimal)")
    if not isinstance(day, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day.strip()):
        raise InputError(f"{origin}: 'commit_date' must be the commit's date (YYYY-MM-DD)")
    records: dict[str, dict] = {}
    refused: dict[str, str] = {}
    for number, raw in enumerate(data["companies"], 1):
        slug = raw.get("slug") if isinstance(raw, dict) else None
        key = slug if isinstance(slug, str) and slug.strip() else f"record {number}"
        if key in records or key in refused:
            refused[f"{key} (record {number})"] = f"the slug {key!r} is used by an earlier record"
            continue
        problems: list[str] = []
        record = _compact(raw, problems)
        if problems or record is None:
            refused[key] = "; ".join(problems) or "not a JSON object"
        else:
            records[key] = record
    if not records:
        raise InputError(f"{origin}: none of its {len(data['companies'])} company records could be read"
                         + (f" (the first: {next(iter(refused.values()))})" if refused else ""))
    return Snapshot(commit.strip(), day.strip(), records, refused, str(data.get("license") or "CC0 1.0 Universal"))


class _Fields(Record):
    """A dataset record's fields: its problems are listed under its slug, so each line need not repeat it."""

    def problem(self, message: str) -> None:
        self.problems.append(message)


def _compact(raw: Any, problems: list[str]) -> dict | None:
    """The fields objector uses, checked, with short keys; empty ones left out."""
    from .postal import AddressProblem, parse_address

    if not isinstance(raw, dict):
        return None
    r = _Fields(raw, "", problems)
    out: dict[str, Any] = {"slug": r.text("slug", pattern=SLUG), "name": r.text("name")}
    address = r.text("address")
    try:
        out["address"], out["country"] = parse_address(address)
    except AddressProblem as exc:
        if address:
            out["address_text"], out["address_problem"] = address, str(exc)
    email = r.text("email", required=False)
    if email and not EMAIL.fullmatch(email):
        r.problem(f"'email': {email!r} is not an e-mail address")
    out["email"] = email
    out["webform"] = r.url("webform", r.text("webform", required=False))
    web = r.text("web", required=False)
    if web and re.fullmatch(r"https?://\S+", web):  # used for search alone: a broken one is left out, not refused
        out["web"] = web
    elif web:
        out["web_dropped"] = web
    out["runs"] = list(r.texts("runs", required=False))
    regions = r.texts("relevant-countries", pattern=REGIONS)
    out["regions"] = ["*" if region == "all" else region.upper() for region in regions]
    out["required"] = _elements(raw.get("required-elements"), r)
    out["language"] = r.text("request-language", required=False, pattern=LANGUAGE)
    out["needs_id"] = r.flag("needs-id-document", default=False)
    medium = r.text("suggested-transport-medium", required=False)
    if medium and medium not in MEDIA:
        r.problem(f"'suggested-transport-medium': {medium!r} is not one of {', '.join(MEDIA)}")
    out["medium"] = medium
    out["quality"] = r.text("quality")
    out["sources"] = list(r.texts("sources"))
    out["comments"] = list(r.texts("comments", required=False))
    if not problems and not (out.get("address") or email or out["webform"]):
        r.problem(f"no way to reach it: its address cannot be read ({out.get('address_problem')}), and it has "
                  "no e-mail address and no web form")
    return {key: value for key, value in out.items() if value not in ("", [], False, None)}


def _elements(value: Any, r: Record) -> list[list]:
    """required-elements as [description, type, optional] (what the company needs to find the person)."""
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        r.problem("'required-elements' must be a list of objects")
        return []
    elements = []
    for item in value:
        desc, kind, optional = item.get("desc"), item.get("type", "input"), item.get("optional", False)
        if not isinstance(desc, str) or not desc.strip() or kind not in ELEMENT_TYPES or not isinstance(optional, bool):
            r.problem(f"'required-elements': {json.dumps(item, ensure_ascii=False)} needs a 'desc', a 'type' "
                      f"({', '.join(ELEMENT_TYPES)}) and a true or false 'optional'")
            continue
        elements.append([desc.strip(), kind, optional])
    return elements


# ----------------------------------------------------------------------------- the compact file


def dump(snapshot: Snapshot) -> bytes:
    """The compact file's bytes: sorted, no spaces, gzip without a timestamp (the same input, the same bytes)."""
    text = json.dumps(snapshot.to_json(), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def parse(blob: bytes, origin: str) -> Snapshot:
    try:
        data = json.loads(gzip.decompress(blob))
    except (OSError, EOFError, ValueError) as exc:
        raise InputError(f"{origin}: not a converted controller dataset ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("records"), list):
        raise InputError(f"{origin}: not a converted controller dataset of format {FORMAT}")
    records = {r["slug"]: r for r in data["records"]}
    return Snapshot(data["commit"], data["commit_date"], records, data.get("refused", {}), data.get("license", ""))


def user_path() -> Path:
    from ..paths import data_dir

    return data_dir() / USER_FILE


def load() -> tuple[Snapshot, str]:
    """The dataset in use and where it is from: the person's updated copy if there is one, else the shipped one."""
    path = user_path()
    try:
        changed = path.stat().st_mtime_ns
    except OSError:
        return _read(str(data_file(SHIPPED)), 0), "shipped"
    return _read(str(path), changed), str(path)


@cache
def _read(path: str, changed: int) -> Snapshot:
    """A converted file, read once per path and modification (`changed` is the cache's key)."""
    del changed
    return parse(Path(path).read_bytes(), path)


def read_snapshot(path: Path) -> Snapshot:
    """A snapshot file the person names (JSON, or JSON compressed with gzip), converted."""
    from ..paths import read_user_file

    blob = read_user_file(path, "controllers update")
    if blob[:2] == b"\x1f\x8b":
        try:
            blob = gzip.decompress(blob)
        except (OSError, EOFError) as exc:
            raise InputError(f"controllers update: {path} is not a readable gzip file ({exc})") from None
    try:
        data = json.loads(blob.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"controllers update: {path} is not JSON ({exc})") from None
    return convert(data, f"controllers update: {path}")


@dataclass(frozen=True)
class Changes:
    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[str, ...]


def changes(old: Snapshot, new: Snapshot) -> Changes:
    """Which records a newer snapshot adds, removes and changes (by slug)."""
    return Changes(
        added=tuple(sorted(set(new.records) - set(old.records))),
        removed=tuple(sorted(set(old.records) - set(new.records))),
        changed=tuple(sorted(s for s in set(old.records) & set(new.records) if old.records[s] != new.records[s])),
    )


def install(snapshot: Snapshot) -> Path:
    """Keep a converted snapshot as the person's dataset (mode 0600), in use from the next lookup on."""
    from ..paths import atomic_write, ensure_private_dir

    path = user_path()
    ensure_private_dir(path.parent)
    atomic_write(path, dump(snapshot), overwrite=True)
    return path
