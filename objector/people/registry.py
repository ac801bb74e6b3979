"""Controllers (who letters go to), loaded from objector/data/controllers.toml or a file the person names.

A service (`meta`) has one record per entity and region: `resolve("instagram", "DE")` gives Meta Platforms
Ireland Limited, `resolve("instagram", "GB")` Meta Platforms, Inc. Every record passes the same validation,
the built-in file and a `--controller-file` alike, so that a record without sources, with an unknown region
code or with a name that is already taken never reaches a letter.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import InputError, NoRightError, NotFoundError
from ..law.laws import EEA, PURPOSES  # PURPOSES: what an objection letter can name
from ..resources import data_file

NAME = re.compile(r"[a-z0-9][a-z0-9-]*")  # ids, services and aliases: what people type
BASIS = re.compile(r"6\(1\)\([a-f]\)")  # a GDPR Art. 6(1) point, cited by the letter
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
DOMAIN = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}")  # lower case, as `inbox` compares them
OPT_OUT_PURPOSES = (*PURPOSES, "sale-or-sharing")  # sale-or-sharing: the US state laws' opt-out


@dataclass(frozen=True)
class Processing:
    purpose: str  # ai-training | direct-marketing
    basis: str  # GDPR Art. 6(1) point relied on, e.g. "6(1)(f)"; "" where not confirmed
    since: date | None
    source: str


@dataclass(frozen=True)
class WebForm:
    label: str
    url: str
    verified: bool = True


@dataclass(frozen=True)
class OptOut:
    """A way to stop a use of one's data without a letter: a setting, an in-app path or a form."""

    purpose: str  # one of OPT_OUT_PURPOSES
    label: str
    url: str  # "" where no address is known
    path: str  # where it is in the app, "" where not known
    verified: bool
    source: str


@dataclass(frozen=True)
class ReplyDomain:
    """A domain the controller's replies come from (`objector inbox` matches a sender by it), with its source."""

    domain: str
    source: str


@dataclass(frozen=True)
class Controller:
    id: str
    service: str
    name: str
    brand: str
    products: tuple[str, ...]
    regions: tuple[str, ...]
    establishment: str
    address: tuple[str, ...]
    address_country: str
    address_verified: bool
    email: str
    web_forms: tuple[WebForm, ...]
    verified: bool
    checked: str  # when the facts were gathered, as precisely as the source says (e.g. "2026-08-22")
    sources: tuple[str, ...]
    notes: tuple[str, ...]
    processing: tuple[Processing, ...]
    aliases: tuple[str, ...] = ()
    opt_outs: tuple[OptOut, ...] = ()
    reply_domains: tuple[ReplyDomain, ...] = ()
    builtin: bool = True  # False: from a --controller-file (the journal then keeps the record itself)

    def serves(self, country: str) -> bool:
        return country in self.regions or ("EEA" in self.regions and country in EEA)

    def processing_for(self, purpose: str) -> Processing | None:
        return next((p for p in self.processing if p.purpose == purpose), None)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "service": self.service,
            "name": self.name,
            "aliases": list(self.aliases),
            "products": list(self.products),
            "regions": list(self.regions),
            "establishment": self.establishment,
            "address": list(self.address),
            "address_country": self.address_country or None,
            "address_verified": self.address_verified,
            "email": self.email or None,
            "web_forms": [{"label": f.label, "url": f.url or None, "verified": f.verified} for f in self.web_forms],
            "opt_outs": [
                {"purpose": o.purpose, "label": o.label, "url": o.url or None, "path": o.path or None,
                 "verified": o.verified, "source": o.source}
                for o in self.opt_outs
            ],
            "verified": self.verified,
            "checked": self.checked,
            "sources": list(self.sources),
            "notes": list(self.notes),
            "processing": [
                {
                    "purpose": p.purpose,
                    "basis": p.basis or None,
                    "since": p.since.isoformat() if p.since else None,
                    "source": p.source,
                }
                for p in self.processing
            ],
            "reply_domains": [{"domain": d.domain, "source": d.source} for d in self.reply_domains],
            "builtin": self.builtin,
        }

    def to_record(self) -> dict:
        """The record in the TOML file's shape (what `parse` reads back): the journal keeps it for a
        controller from a --controller-file, so that its letters can be written again without the file."""
        return {
            "id": self.id, "service": self.service, "name": self.name, "brand": self.brand,
            "aliases": list(self.aliases), "products": list(self.products), "regions": list(self.regions),
            "establishment": self.establishment, "address": list(self.address),
            "address_country": self.address_country, "address_verified": self.address_verified,
            "email": self.email,
            "web_forms": [{"label": f.label, "url": f.url, "verified": f.verified} for f in self.web_forms],
            "verified": self.verified, "checked": self.checked, "sources": list(self.sources),
            "notes": list(self.notes),
            "processing": [
                {"purpose": p.purpose, "basis": p.basis, "source": p.source}
                | ({"since": p.since.isoformat()} if p.since else {})
                for p in self.processing
            ],
            "opt_out": [
                {"purpose": o.purpose, "label": o.label, "url": o.url, "path": o.path, "verified": o.verified,
                 "source": o.source}
                for o in self.opt_outs
            ],
        } | ({"reply_domains": [{"domain": d.domain, "source": d.source} for d in self.reply_domains]}
             if self.reply_domains else {})


# ----------------------------------------------------------------------------- reading and validating


class _Record:
    """One raw record being read: each wrong field becomes one problem line, naming the record."""

    def __init__(self, raw: dict, where: str, problems: list[str]):
        self.raw, self.where, self.problems = raw, where, problems

    def problem(self, message: str) -> None:
        self.problems.append(f"{self.where}: {message}")

    def text(self, key: str, *, required: bool = True, pattern: re.Pattern | None = None, raw: Any = None) -> str:
        value = self.raw.get(key) if raw is None else raw
        if value is None:
            if required:
                self.problem(f"missing {key!r}")
            return ""
        if not isinstance(value, str):
            self.problem(f"{key!r} must be a string")
            return ""
        value = value.strip()
        if required and not value:
            self.problem(f"{key!r} must not be empty")
        elif value and pattern and not pattern.fullmatch(value):
            self.problem(f"{key!r}: {value!r} is not valid")
        return value

    def texts(self, key: str, *, required: bool = True, pattern: re.Pattern | None = None) -> tuple[str, ...]:
        value = self.raw.get(key)
        if value is None:
            if required:
                self.problem(f"missing {key!r}")
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.problem(f"{key!r} must be a list of non-empty strings")
            return ()
        if required and not value:
            self.problem(f"{key!r} must not be empty")
        for v in value:
            if pattern and not pattern.fullmatch(v.strip()):
                self.problem(f"{key!r}: {v!r} is not valid (lower-case letters, digits and hyphens)")
        return tuple(v.strip() for v in value)

    def flag(self, key: str, *, default: bool | None = None, raw: Any = None) -> bool:
        value = self.raw.get(key, default) if raw is None else raw
        if not isinstance(value, bool):
            self.problem(f"missing {key!r} (true or false)" if value is None else f"{key!r} must be true or false")
            return False
        return value

    def country(self, key: str, value: str) -> str:
        from ..i18n import is_country_code

        if value and not is_country_code(value):
            self.problem(f"{key!r}: {value!r} is not an ISO 3166-1 alpha-2 country code")
        return value

    def url(self, key: str, value: str) -> str:
        if value and not re.fullmatch(r"https?://\S+", value):
            self.problem(f"{key!r}: {value!r} is not a web address (https://...)")
        return value

    def tables(self, key: str) -> list[tuple[_Record, dict]]:
        value = self.raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.problem(f"{key!r} must be a list of tables")
            return []
        return [(_Record(v, f"{self.where}, {key} {n}", self.problems), v) for n, v in enumerate(value, 1)]

    def unknown_keys(self, known: Iterable[str]) -> None:
        for key in self.raw:
            if key not in known:
                self.problem(f"unknown field {key!r}")


FIELDS = ("id", "service", "name", "brand", "aliases", "products", "regions", "establishment", "address",
          "address_country", "address_verified", "email", "web_forms", "verified", "checked", "sources", "notes",
          "processing", "opt_out", "reply_domains")


def _controller(raw: Any, where: str, problems: list[str], builtin: bool) -> Controller | None:
    if not isinstance(raw, dict):
        problems.append(f"{where}: expected a [[controller]] table")
        return None
    r = _Record(raw, where, problems)
    if isinstance(raw.get("id"), str) and raw["id"].strip():
        r.where = f"{where} ({raw['id'].strip()})"
    r.unknown_keys(FIELDS)
    regions = r.texts("regions")
    for region in regions:
        if region == "EU":  # the likeliest slip: say what to write instead
            r.problem("'regions': 'EU' is not a region objector knows; write \"EEA\" (EU member states, Iceland, "
                      "Liechtenstein, Norway)")
        elif region not in {"EEA", "*"}:
            r.country("regions", region)
    address = r.texts("address", required=False)
    address_country = r.country("address_country", r.text("address_country", required=bool(address)))
    address_verified = r.flag("address_verified")
    if not address and address_verified:
        r.problem("'address_verified' is true but no address is given")
    email = r.text("email", required=False)
    if email and not EMAIL.fullmatch(email):
        r.problem(f"'email': {email!r} is not an e-mail address")
    checked = raw.get("checked")
    if isinstance(checked, date):
        checked = checked.isoformat()
    checked = r.text("checked", raw=checked if checked is not None else None)
    if checked and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", checked):
        r.problem(f"'checked': {checked!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    web_forms = []
    for f, _ in r.tables("web_forms"):
        f.unknown_keys(("label", "url", "verified"))
        web_forms.append(WebForm(f.text("label"), f.url("url", f.text("url", required=False)), f.flag("verified", default=True)))
    processing = []
    for p, praw in r.tables("processing"):
        p.unknown_keys(("purpose", "basis", "since", "source"))
        purpose = p.text("purpose")
        if purpose and purpose not in PURPOSES:
            p.problem(f"'purpose': {purpose!r} is not one of {', '.join(PURPOSES)}")
        since = praw.get("since")
        if isinstance(since, str):
            try:
                since = date.fromisoformat(since)
            except ValueError:
                p.problem(f"'since': {since!r} is not a date (YYYY-MM-DD)")
                since = None
        elif since is not None and (not isinstance(since, date) or hasattr(since, "hour")):
            p.problem("'since' must be a date (YYYY-MM-DD)")
            since = None
        processing.append(Processing(purpose, p.text("basis", required=False, pattern=BASIS), since, p.text("source")))
    opt_outs = []
    for o, _ in r.tables("opt_out"):
        o.unknown_keys(("purpose", "label", "url", "path", "verified", "source"))
        purpose = o.text("purpose")
        if purpose and purpose not in OPT_OUT_PURPOSES:
            o.problem(f"'purpose': {purpose!r} is not one of {', '.join(OPT_OUT_PURPOSES)}")
        url, path = o.url("url", o.text("url", required=False)), o.text("path", required=False)
        if not url and not path:
            o.problem("give its 'url' or its in-app 'path'")
        opt_outs.append(OptOut(purpose, o.text("label"), url, path, o.flag("verified"), o.text("source")))
    reply_domains = []
    for d, _ in r.tables("reply_domains"):
        d.unknown_keys(("domain", "source"))
        reply_domains.append(ReplyDomain(d.text("domain", pattern=DOMAIN), d.text("source")))
    return Controller(
        id=r.text("id", pattern=NAME),
        service=r.text("service", pattern=NAME),
        name=r.text("name"),
        brand=r.text("brand"),
        products=r.texts("products"),
        regions=regions,
        establishment=r.country("establishment", r.text("establishment")),
        address=address,
        address_country=address_country,
        address_verified=address_verified,
        email=email,
        web_forms=tuple(web_forms),
        verified=r.flag("verified"),
        checked=checked,
        sources=r.texts("sources"),
        notes=r.texts("notes", required=False),
        processing=tuple(processing),
        aliases=r.texts("aliases", required=False, pattern=NAME),
        opt_outs=tuple(opt_outs),
        reply_domains=tuple(reply_domains),
        builtin=builtin,
    )


def _covered(controller: Controller) -> set[str]:
    """The region codes a record answers for, EEA spelt out (so that "EEA" and "IE" are seen to overlap)."""
    return {code for region in controller.regions for code in (EEA if region == "EEA" else {region})}


def _check_together(new: list[Controller], known: tuple[Controller, ...], problems: list[str]) -> None:
    """Names unique across every record; within one file, one entity per service and region."""
    taken: dict[str, str] = {}  # every id, service and alias → the service it leads to

    def claim(name: str, service: str, what: str, record: Controller) -> None:
        owner = taken.get(name)
        if owner is not None and owner != service:
            problems.append(f"{record.id}: {what} {name!r} is already taken by the service {owner!r}")
        taken.setdefault(name, service)

    ids = {c.id for c in known}
    for c in known:
        for name in (c.service, *c.aliases):
            taken.setdefault(name, c.service)
    for c in new:
        if c.id in ids:
            problems.append(f"{c.id}: the id {c.id!r} is used twice" + (" (by a built-in controller)" if any(k.id == c.id for k in known) else ""))
        ids.add(c.id)
        claim(c.service, c.service, "service", c)
        for alias in c.aliases:
            claim(alias, c.service, "alias", c)
    owners = {c.id: c.service for c in (*known, *new)}
    for c in new:  # an id may equal its own service (`xai`), never another service's name or alias
        if taken.get(c.id, c.service) != c.service:
            problems.append(f"{c.id}: the id {c.id!r} is already a name of the service {taken[c.id]!r}")
        for name in (c.service, *c.aliases):
            if owners.get(name, c.service) != c.service:
                problems.append(f"{c.id}: {name!r} is already the id of a {owners[name]} controller")
    for i, c in enumerate(new):
        for other in new[:i]:
            if other.service != c.service:
                continue
            shared = _covered(c) & _covered(other)
            if shared:
                problems.append(f"{c.id}: {other.id} is already the {c.service} controller for {', '.join(sorted(shared))}")


def parse(data: dict, origin: str, *, builtin: bool = False, known: tuple[Controller, ...] = ()) -> tuple[Controller, ...]:
    """Validated controllers from a parsed TOML file; InputError lists every problem, one line each."""
    problems: list[str] = []
    for key in data:
        if key != "controller":
            problems.append(f"unknown top-level key {key!r} (records are [[controller]] tables)")
    raw = data.get("controller")
    if not isinstance(raw, list) or not raw:
        problems.append("no [[controller]] records")
        raw = []
    records = [_controller(entry, f"controller {n}", problems, builtin) for n, entry in enumerate(raw, 1)]
    result = [c for c in records if c is not None]
    if not problems:
        _check_together(result, known, problems)
    if problems:
        raise InputError("\n".join(f"{origin}: {problem}" for problem in problems))
    return tuple(result)


@cache
def controllers() -> tuple[Controller, ...]:
    """The built-in registry."""
    path = data_file("controllers.toml")
    return parse(tomllib.loads(path.read_text("utf-8")), "objector/data/controllers.toml", builtin=True)


def load_file(path: Path | None) -> tuple[Controller, ...]:
    """The controllers of a --controller-file (none without one), checked like the built-in ones."""
    if path is None:
        return ()
    from ..paths import read_user_text

    text = read_user_text(path, "--controller-file")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"--controller-file: {path} is not valid TOML: {exc}") from None
    return parse(data, str(path), known=controllers())


def from_record(record: dict, origin: str) -> Controller:
    """A controller the journal kept (Controller.to_record) for a letter written with a --controller-file."""
    (controller,) = parse({"controller": [record]}, origin)
    return controller


# ----------------------------------------------------------------------------- finding a controller


def _all(extra: tuple[Controller, ...]) -> tuple[Controller, ...]:
    return (*extra, *controllers())  # a record from a file comes first: it may correct a built-in one


def services(extra: tuple[Controller, ...] = ()) -> tuple[str, ...]:
    return tuple(dict.fromkeys(c.service for c in _all(extra)))


def service_of(name: str, extra: tuple[Controller, ...] = ()) -> str | None:
    """The service a name stands for: the service itself or one of its aliases (`instagram` → `meta`)."""
    name = name.strip().lower()
    for c in _all(extra):
        if name == c.service or name in c.aliases:
            return c.service
    return None


def _unknown(name: str, extra: tuple[Controller, ...]) -> NotFoundError:
    import difflib

    names = {n for c in _all(extra) for n in (c.id, c.service, *c.aliases)}
    close = difflib.get_close_matches(name.strip().lower(), sorted(names), n=3, cutoff=0.6)
    guess = f"; did you mean {' or '.join(close)}?" if close else ""
    return NotFoundError(f"unknown controller {name!r}{guess}", hint="`objector controllers list` shows them all")


def get(controller_id: str, *, extra: tuple[Controller, ...] = ()) -> Controller:
    """A controller by its own id (e.g. `meta-ireland`)."""
    for controller in _all(extra):
        if controller.id == controller_id:
            return controller
    raise _unknown(controller_id, extra)


def entities(name: str, *, extra: tuple[Controller, ...] = ()) -> tuple[Controller, ...]:
    """Every record a name may mean: all entities of a service or alias, or the one record with that id."""
    service = service_of(name, extra)
    if service is None:
        return (get(name.strip().lower(), extra=extra),)
    return tuple(c for c in _all(extra) if c.service == service)


def resolve(name: str, country: str, *, extra: tuple[Controller, ...] = ()) -> Controller:
    """The entity a person in `country` deals with: `meta` or `instagram` → Meta Platforms Ireland for an EU
    resident. A controller id is taken as it is."""
    service = service_of(name, extra)
    if service is None:
        return get(name.strip().lower(), extra=extra)
    candidates = [c for c in _all(extra) if c.service == service]
    for controller in candidates:
        if controller.serves(country):
            return controller
    for controller in candidates:
        if "*" in controller.regions:
            return controller
    raise NotFoundError(f"objector knows no {service} entity that is the controller for people in {country}",
                        hint=f"`objector controllers show {service}` lists the entities it knows")


# ----------------------------------------------------------------------------- what a person can send


@dataclass(frozen=True)
class LetterOption:
    """Whether a person (country, region) can write a `kind` letter to a controller, and under which law."""

    kind: str
    law_title: str  # "" where no law applies
    purposes: tuple[str, ...]  # an objection's purposes objector has a record of
    refusal: str  # why not; "" when the letter can be written


def letter_options(controller: Controller, country: str, region: str = "") -> list[LetterOption]:
    from ..law import laws

    options = []
    law = laws.law_for(country, region)
    for kind in laws.KINDS:
        refusal = ""
        purposes: tuple[str, ...] = ()
        chosen: laws.Law | None
        try:
            chosen = laws.require_letter(law, kind, country, region)
        except NoRightError as exc:
            refusal, chosen = exc.message, law
        if not refusal and kind == "objection":
            purposes = tuple(p.purpose for p in controller.processing if p.purpose in laws.PURPOSES)
            if not purposes:
                refusal = (f"objector has no sourced record of {controller.name} processing personal data for "
                           f"{' or '.join(laws.PURPOSES)}, so it cannot say what the objection is against")
        options.append(LetterOption(kind, chosen.title if chosen else "", purposes, refusal))
    return options


def postal_problem(controller: Controller) -> str:
    """Why a letter by post cannot be addressed to this controller, with where to turn instead; "" if it can."""
    if controller.address:
        return ""
    routes = [f"its web form {form.url}" for form in controller.web_forms if form.url][:1]
    if controller.email:
        routes.append(f"e-mail to {controller.email} (--format eml)")
    instead = "use " + " or ".join(routes) if routes else f"look up its privacy contact in {controller.brand}'s privacy policy"
    return (f"objector knows no postal address for {controller.name}: {instead}; "
            "`--format txt` gives the letter's text to paste into a web form")


def all_controllers(*, extra: tuple[Controller, ...] = ()) -> tuple[Controller, ...]:
    """Every record: a --controller-file's first, then the built-in ones."""
    return _all(extra)


def for_country(country: str, *, extra: tuple[Controller, ...] = ()) -> list[tuple[str, Controller | None]]:
    """Per service, the entity that is the controller for a person in `country` (None where none is known)."""
    found: list[tuple[str, Controller | None]] = []
    for service in services(extra):
        try:
            found.append((service, resolve(service, country, extra=extra)))
        except NotFoundError:
            found.append((service, None))
    return found
