"""The person: who writes, where they live, which accounts the letters concern.

A profile is a small TOML file (format in DESIGN.md and examples/profile.toml). `load` validates every
field and says in one line what is wrong; `save` writes it 0600, atomically.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError, NotFoundError
from ..paths import atomic_write, cache_dir, data_dir, ensure_private_dir, read_user_text
from ..text import check_text

PROFILE_FILE = "profile.toml"
# A profile is a few hundred bytes; anything larger is not one (8 million address lines took 21 GB).
PROFILE_MAX_BYTES = 64 * 1024
# Street lines of an address (c/o, street, building, district), besides postcode, city and country: with
# the name, the postcode line and the country this is what a window envelope's 45 mm show legibly.
MAX_ADDRESS_LINES = 4
# How a line naming the person post goes through begins ("c/o Familie Schulze"): never the street itself.
CARE_OF_PREFIXES = ("c/o", "℅", "care of")


@dataclass(frozen=True)
class Address:
    lines: tuple[str, ...]
    postcode: str
    city: str
    country: str  # ISO 3166-1 alpha-2, upper case
    region: str = ""  # e.g. "CA" for California, "SCT" for Scotland


@dataclass(frozen=True)
class Profile:
    name: str
    email: str
    language: str
    address: Address
    accounts: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "email": self.email,
            "language": self.language,
            "address": {
                "lines": list(self.address.lines),
                "postcode": self.address.postcode,
                "city": self.address.city,
                "country": self.address.country,
                "region": self.address.region,
            },
            "accounts": dict(self.accounts),
        }


def default_path() -> Path:
    return data_dir() / PROFILE_FILE


def text_field(label: str, value: object) -> str:
    """A field that must be text: a TOML number, list or table is refused, not turned into a string."""
    if not isinstance(value, str):
        raise InputError(f"{label}: expected text in quotes, not {_kind_of(value)}")
    return check_text(label, value)


def _kind_of(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return f"a {type(value).__name__}"


def validate_name(value: str) -> str:
    value = " ".join(text_field("name", value).split())
    if not value:
        raise InputError("name: must not be empty")
    if len(value) > 200:
        raise InputError("name: longer than 200 characters")
    return value


CHECKED_EMAILS = "checked-emails"  # in the cache dir: SHA-256 of addresses email-validator found already normal


def validate_email(value: str) -> str:
    value = text_field("email", value)
    address = value.strip()
    digest = hashlib.sha256(address.encode("utf-8")).hexdigest()
    if digest in _checked_emails():
        return address  # checked before, and already in normal form: the same answer, without email-validator
    from email_validator import EmailNotValidError
    from email_validator import validate_email as check

    try:
        # Offline: a letter is written without asking DNS whether the domain receives mail.
        normalized = check(address, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise InputError(f"email: {value!r} is not a valid e-mail address ({exc})") from None
    if normalized == address:
        _remember_checked(digest)
    return normalized


def _checked_emails() -> set[str]:
    """The addresses (by hash) found valid and normal before. email-validator compiles its RFC grammar on import,
    some 20 ms of every letter; the answer for one string never changes, so it is asked once per address. The file
    holds hashes only, never an address; a cache that cannot be read is empty."""
    try:
        return set((cache_dir() / CHECKED_EMAILS).read_text("ascii").split())
    except (OSError, UnicodeDecodeError):
        return set()


def _remember_checked(digest: str) -> None:
    import os

    try:
        folder = ensure_private_dir(cache_dir())
        fd = os.open(folder / CHECKED_EMAILS, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, (digest + "\n").encode("ascii"))  # one short append: whole lines, even from two processes
        finally:
            os.close(fd)
    except Exception:  # noqa: BLE001 - a cache that cannot be written is no cache, never an error
        pass


def validate_country(value: str) -> str:
    from ..i18n import is_country_code

    code = text_field("country", value).strip().upper()
    if not is_country_code(code):
        raise InputError(f"country: {value!r} is not an ISO 3166-1 alpha-2 code such as IE, DE or US")
    return code


def validate_language(value: str) -> str:
    from ..i18n import supported_languages

    code = text_field("language", value).strip().lower()
    available = supported_languages()
    if code not in available:
        raise InputError(f"language: {value!r} is not one the letters exist in ({', '.join(available)})")
    return code


def validate_region(value: str, country: str) -> str:
    """The state, nation or Land: in Germany one of the Länder, by its code (BE) or its name (Berlin)."""
    region = validate_line("address.region", value, required=False, limit=30)
    if country != "DE" or not region:
        return region.upper()
    from ..law.authorities import GERMAN_LANDS

    by_name = {name.casefold(): code for code, name in GERMAN_LANDS.items()}
    code = region.upper() if region.upper() in GERMAN_LANDS else by_name.get(region.casefold())
    if code is None:
        raise InputError(f"address.region: {value!r} is not a German Land; give its code: "
                         f"{', '.join(f'{code} {name}' for code, name in GERMAN_LANDS.items())}")
    return code


def is_care_of(line: str) -> bool:
    """A c/o line ("c/o Familie Schulze"): the person post goes through, not the street."""
    return line.strip().casefold().startswith(CARE_OF_PREFIXES)


def validate_line(label: str, value: str, *, required: bool = True, limit: int = 120) -> str:
    value = " ".join(text_field(label, value).split())
    if required and not value:
        raise InputError(f"{label}: must not be empty")
    if len(value) > limit:
        raise InputError(f"{label}: longer than {limit} characters")
    return value


def from_dict(data: dict) -> Profile:
    """Build a validated Profile from parsed TOML (or answers to `objector init`)."""
    if not isinstance(data, dict):
        raise InputError("profile: expected a table of fields")
    address = data.get("address")
    if not isinstance(address, dict):
        raise InputError("address: missing [address] table (lines, postcode, city, country)")
    lines = address.get("lines", [])
    if isinstance(lines, str):
        lines = [lines]
    if not isinstance(lines, list) or not all(isinstance(line, str) for line in lines):
        raise InputError("address.lines: expected a list of strings")
    lines = tuple(validate_line("address.lines", line) for line in lines if line.strip())
    if not lines:
        raise InputError("address.lines: give at least one street line")
    if len(lines) > MAX_ADDRESS_LINES:
        raise InputError(f"address.lines: {len(lines)} lines; a letter's window holds at most {MAX_ADDRESS_LINES} besides postcode, city and country (join some, e.g. building and street)")
    accounts = data.get("accounts", {}) or {}
    if not isinstance(accounts, dict) or not all(isinstance(v, str) for v in accounts.values()):
        raise InputError("accounts: expected service = \"handle or profile URL\" pairs")
    for service in accounts:
        check_text("accounts", service)
    for key in ("name", "email", "language"):
        if key not in data:
            raise InputError(f"{key}: missing from the profile")
    country = validate_country(address.get("country", ""))
    return Profile(
        name=validate_name(data["name"]),
        email=validate_email(data["email"]),
        language=validate_language(data["language"]),
        address=Address(
            lines=lines,
            postcode=validate_line("address.postcode", address.get("postcode", ""), required=False, limit=20),
            city=validate_line("address.city", address.get("city", "")),
            country=country,
            region=validate_region(address.get("region", ""), country),
        ),
        accounts={
            str(service).strip().lower(): validate_line(f"accounts.{service}", handle, limit=300)
            for service, handle in accounts.items()
            if str(handle).strip()
        },
    )


# `objector profile edit KEY VALUE`: the keys a person changes, and where each lives in the profile. `street` is
# the street line, the first that is not a c/o line (a c/o line above it stays); street1..street4 are the address
# lines by position; `lines` replaces them all at once (one value a line).
STREET_LINE = "street"
EDITABLE: dict[str, tuple[str | int, ...]] = {
    "name": ("name",), "email": ("email",), "language": ("language",),
    "street": ("address", "lines", STREET_LINE),
    **{f"street{n}": ("address", "lines", n - 1) for n in range(1, MAX_ADDRESS_LINES + 1)},
    "lines": ("address", "lines"),
    "postcode": ("address", "postcode"), "city": ("address", "city"), "country": ("address", "country"),
    "region": ("address", "region"),
}
ACCOUNT_PREFIX = "accounts."


def edit(profile: Profile, key: str, value: str | list[str]) -> tuple[Profile, str | list[str]]:
    """The profile with one field changed (validated like the whole file), and the field's old value.

    Keys: EDITABLE, or `accounts.SERVICE` (an empty value removes the account). `lines` takes a list (the
    address lines, in order); every other key one value (a list is joined with spaces)."""
    data = profile.to_dict()
    key = key.strip().lower()
    values = [value] if isinstance(value, str) else list(value)
    if key == "lines":
        old_lines = data["address"]["lines"]
        data["address"]["lines"] = values
        return from_dict(data), old_lines
    text = " ".join(values)
    if key.startswith(ACCOUNT_PREFIX) and len(key) > len(ACCOUNT_PREFIX):
        service = key[len(ACCOUNT_PREFIX):]
        old = data["accounts"].get(service, "")
        if text.strip():
            data["accounts"][service] = text
        else:
            data["accounts"].pop(service, None)
        return from_dict(data), old
    if key not in EDITABLE:
        raise InputError(f"profile edit: no field {key!r}; fields: {', '.join(EDITABLE)}, accounts.SERVICE "
                         "(e.g. accounts.instagram)")
    *parents, last = EDITABLE[key]
    target = data
    for part in parents:
        target = target[part]
    if last == STREET_LINE or isinstance(last, int):  # an address line
        lines: list = target  # type: ignore[assignment]  # EDITABLE: an address line's parent is the list
        index = street_index(lines) if last == STREET_LINE else int(last)
        lines += [""] * (index + 1 - len(lines))
        old, lines[index] = lines[index], text
    else:
        old, target[last] = target[last], text
    return from_dict(data), old


def street_index(lines: list[str]) -> int:
    """Where the street line is: the first line that is not a c/o line (after them all if every line is one)."""
    return next((i for i, line in enumerate(lines) if not is_care_of(line)), len(lines))


def completed(snapshot: Profile, current: Profile | None) -> tuple[Profile, tuple[str, ...]]:
    """The profile kept with a letter, with the optional address fields it lacks taken from the person's current
    profile, and the names of the fields taken: the region (a German Land, say) from the same person in the same
    city and country, the postcode only at the very same address. A new address's details, or another person's,
    never complete an old letter's."""
    if current is None or current.name != snapshot.name:
        return snapshot, ()
    old, new = snapshot.address, current.address
    same_city = (new.country, new.city) == (old.country, old.city)
    taken: dict[str, Any] = {}
    if same_city and not old.region and new.region:
        taken["region"] = new.region
    if same_city and new.lines == old.lines and not old.postcode and new.postcode:
        taken["postcode"] = new.postcode
    if not taken:
        return snapshot, ()
    from dataclasses import replace

    return replace(snapshot, address=replace(old, **taken)), tuple(taken)


def completed_from_saved(snapshot: Profile, path: Path | None = None) -> tuple[Profile, tuple[str, ...]]:
    """`completed` from the person's saved profile (or the one at `path`): what an old letter's copy lacks, a German
    Land say, is then given by `objector profile edit region BE`. No saved profile: the copy as it is."""
    if all(getattr(snapshot.address, name) for name in ("region", "postcode")):
        return snapshot, ()
    try:
        current = load(path)
    except NotFoundError:
        if path is not None:
            raise
        return snapshot, ()
    return completed(snapshot, current)


def load(path: Path | None = None) -> Profile:
    path = Path(path) if path else default_path()
    if not path.exists():
        raise NotFoundError(f"no profile at {path}", hint="run `objector init` or pass --profile PATH")
    if path.is_file() and path.stat().st_size > PROFILE_MAX_BYTES:
        raise InputError(f"{path} is not a profile: larger than {PROFILE_MAX_BYTES // 1024} KiB")
    try:
        data = tomllib.loads(read_user_text(path, "profile"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path} is not a valid TOML profile: {exc}") from None
    except RecursionError:
        raise InputError(f"{path} is not a valid TOML profile: nested too deeply") from None
    try:
        return from_dict(data)
    except InputError as exc:
        raise InputError(f"{path}: {exc.message}") from None


def dumps(profile: Profile) -> str:
    import tomli_w

    return tomli_w.dumps(profile.to_dict())


def save(profile: Profile, path: Path | None = None, *, overwrite: bool = False) -> Path:
    path = Path(path) if path else default_path()
    if path == default_path():
        ensure_private_dir(path.parent)
    return atomic_write(path, dumps(profile).encode("utf-8"), overwrite=overwrite)
