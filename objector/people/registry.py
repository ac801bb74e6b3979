"""Controllers (who letters go to), loaded from objector/data/controllers.toml or a file the person names.

A service (`meta`) has one record per entity and region: `resolve("instagram", "DE")` gives Meta Platforms
Ireland Limited, `resolve("instagram", "GB")` Meta Platforms, Inc. Every record passes the same validation,
the built-in file and a `--controller-file` alike, so that a record without sources, with an unknown region
code or with a name that is already taken never reaches a letter.

A name none of these records has is looked up last in the open dataset (people/secondary.py): its records are
the second tier, read only then, and never where a verified record answers the name.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError, NoRightError, NotFoundError
from ..law.laws import EEA, PURPOSES  # PURPOSES: what an objection letter can name
from ..resources import data_file
from .fields import Record

if TYPE_CHECKING:
    from .controller import Secondary
from .controller import Controller as Controller
from .controller import OptOut as OptOut
from .controller import Processing as Processing
from .controller import ReplyDomain as ReplyDomain
from .controller import WebForm as WebForm

NAME = re.compile(r"[a-z0-9][a-z0-9-]*")  # ids, services and aliases: what people type
DOMAIN = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}")  # lower case, as `inbox` compares them
BASIS = re.compile(r"6\(1\)\([a-f]\)")  # a GDPR Art. 6(1) point, cited by the letter
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
OPT_OUT_PURPOSES = (*PURPOSES, "sale-or-sharing")  # sale-or-sharing: the US state laws' opt-out


# ----------------------------------------------------------------------------- reading and validating


FIELDS = ("id", "service", "name", "brand", "aliases", "products", "regions", "establishment", "address",
          "address_country", "address_verified", "email", "web_forms", "verified", "checked", "sources", "notes",
          "processing", "opt_out", "reply_domains", "dataset")


def _controller(raw: Any, where: str, problems: list[str], builtin: bool) -> Controller | None:
    if not isinstance(raw, dict):
        problems.append(f"{where}: expected a [[controller]] table")
        return None
    r = Record(raw, where, problems)
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
    facts = _secondary(r)
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
        establishment=r.country("establishment", r.text("establishment", required=facts is None)),
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
        secondary=facts,
    )


def _secondary(r: Record) -> Secondary | None:
    """A dataset record's source and facts, as the journal keeps them with a letter (Controller.to_record)."""
    raw = r.raw.get("dataset")
    if raw is None:
        return None
    from .controller import Secondary

    if not isinstance(raw, dict) or not all(isinstance(raw.get(key), str) and raw[key] for key in ("slug", "commit")):
        r.problem("'dataset' must be a table with the record's 'slug' and the snapshot's 'commit'")
        return None
    try:
        return Secondary.from_dict(raw)
    except (KeyError, TypeError, ValueError):
        r.problem("'dataset' is not a record of the open dataset as objector keeps it")
        return None


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
    from ..kept import parsed_toml

    return parse(parsed_toml(data_file("controllers.toml")), "objector/data/controllers.toml", builtin=True)


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


def service_named(name: str, extra: tuple[Controller, ...] = ()) -> str | None:
    """The verified service a name leads to: its own name or alias, or the slug of a dataset record that a
    verified record supersedes (`oculuscom` → `meta`: the verified one wins). None for a controller id and for
    a name only the dataset knows. The dataset is read only for a name that is neither a service nor an id."""
    service = service_of(name, extra)
    key = name.strip().lower()
    if service is not None or any(c.id == key for c in _all(extra)):
        return service
    from .secondary import superseding

    return superseding(key, controllers()) or None


def _unknown(name: str, extra: tuple[Controller, ...]) -> NotFoundError:
    import difflib

    names = {n for c in _all(extra) for n in (c.id, c.service, *c.aliases)}
    close = difflib.get_close_matches(name.strip().lower(), sorted(names), n=3, cutoff=0.6)
    if not close:  # none among the verified: the dataset's closest companies
        from .secondary import close_slugs

        close = close_slugs(name)
    guess = f"; did you mean {' or '.join(close)}?" if close else ""
    return NotFoundError(f"unknown controller {name!r}{guess}",
                         hint=f"`objector controllers search {name.strip()!r}` looks by name, brand and website")


def _from_dataset(name: str) -> Controller | None:
    """The open dataset's record for a name no verified controller has (loaded only now, never before)."""
    from .secondary import find

    return find(name, controllers())


def get(controller_id: str, *, extra: tuple[Controller, ...] = ()) -> Controller:
    """A controller by its own id (e.g. `meta-ireland`)."""
    for controller in _all(extra):
        if controller.id == controller_id:
            return controller
    found = _from_dataset(controller_id)
    if found is None:
        raise _unknown(controller_id, extra)
    return found


def entities(name: str, *, extra: tuple[Controller, ...] = ()) -> tuple[Controller, ...]:
    """Every record a name may mean: all entities of a service or alias, or the one record with that id."""
    service = service_named(name, extra)
    if service is None:
        return (get(name.strip().lower(), extra=extra),)
    return tuple(c for c in _all(extra) if c.service == service)


def resolve(name: str, country: str, *, extra: tuple[Controller, ...] = ()) -> Controller:
    """The entity a person in `country` deals with: `meta` or `instagram` → Meta Platforms Ireland for an EU
    resident. A controller id is taken as it is."""
    service = service_named(name, extra)
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
            if not purposes and controller.secondary:  # no record of processing: Art. 21(2) needs none
                purposes = ("direct-marketing",)
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
    unreadable = controller.secondary.address_problem if controller.secondary else ""
    known = (f"the dataset's address for {controller.name} cannot be read as a postal address ({unreadable})"
             if unreadable else f"objector knows no postal address for {controller.name}")
    return f"{known}: {instead}; `--format txt` gives the letter's text to paste into a web form"


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
