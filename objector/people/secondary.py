"""The second tier of the registry: the open dataset's companies as controllers objector can write to.

Loaded only when a name is not among the verified controllers (people/registry.py asks this module last), so
that start-up and a letter to a verified company never read the 3,000 records. Each controller built here
keeps its source (the dataset, the snapshot's commit, the record's slug) in `Controller.secondary`; the command
line says so whenever it writes to one, the letter itself does not. A dataset record for a company objector
has verified (by a verified name, or by the same legal name) is superseded: the verified record wins.
"""

from __future__ import annotations

import re
from functools import cache

from . import dataset
from .controller import Controller, Secondary, WebForm

# Words of a legal form, left out when names are compared ("Meta Platforms Ireland Ltd." is "... Limited").
LEGAL_FORMS = frozenset("limited ltd inc incorporated llc gmbh co kg ag se sarl sas sa s a bv b v nv unlimited company "
                        "corp corporation plc ab as oy spa srl mbh ug haftungsbeschrankt".split())


def controller(record: dict, commit: str, day: str) -> Controller:
    """A compact dataset record (people/dataset.py) as a Controller of the secondary tier."""

    slug = record["slug"]
    facts = Secondary(slug=slug, commit=commit, quality=record.get("quality", ""),
                      required=tuple((d, t, o) for d, t, o in record.get("required", ())),
                      language=record.get("language", ""), needs_id=record.get("needs_id", False),
                      medium=record.get("medium", ""), address_problem=record.get("address_problem", ""),
                      address_text=record.get("address_text", ""))
    forms = (WebForm("Privacy web form (from the dataset)", record["webform"], verified=False),) if record.get("webform") else ()
    return Controller(
        id=slug, service=slug, name=record["name"], brand=record["name"], products=products(record),
        regions=tuple(record.get("regions", ("*",))), establishment=record.get("country", ""),
        address=tuple(record.get("address", ())), address_country=record.get("country", ""), address_verified=False,
        email=record.get("email", ""), web_forms=forms, verified=False, checked=day,
        sources=(f"{facts.source} (quality {facts.quality!r}: the dataset's own judgement)", *record.get("sources", ())),
        notes=tuple(record.get("comments", ())), processing=(), builtin=False, secondary=facts,
    )


def products(record: dict) -> tuple[str, ...]:
    """What the letter says the request concerns: the brands the company runs, else its website, else its name.
    A brand the record marks as former is left out: the letter concerns what it runs now."""
    runs = tuple(name for name in record.get("runs", ()) if "formerly" not in name.lower())
    if runs:
        return runs
    domain = domain_of(record.get("web", ""))
    return (domain,) if domain else (record["name"],)


def domain_of(text: str) -> str:
    """"https://www.Example.com/privacy" → "example.com"; an e-mail address gives its domain."""
    text = text.strip().lower().rpartition("@")[2]
    text = re.sub(r"^[a-z][a-z0-9+.-]*://", "", text).split("/", 1)[0].split("?", 1)[0].split(":", 1)[0]
    return text.removeprefix("www.").strip(".")


def company_name(text: str) -> str:
    """A name reduced for comparison: normalised, legal forms left out."""
    from .postal import normalise

    return " ".join(word for word in normalise(text).split() if word not in LEGAL_FORMS)


@cache
def _verified_names(verified: tuple[Controller, ...]) -> tuple[dict[str, str], dict[str, str]]:
    """(every id, service and alias → its service; every entity's reduced legal name → its service)."""
    names: dict[str, str] = {}
    legal: dict[str, str] = {}
    for c in verified:
        for name in (c.id, c.service, *c.aliases):
            names.setdefault(name, c.service)
        legal.setdefault(company_name(c.name), c.service)
    return names, legal


def superseded_by(record: dict, verified: tuple[Controller, ...]) -> str:
    """The verified service that replaces a dataset record ("" where none does): the verified records win.
    ``verified``: the registry's own controllers, passed in (this tier never imports the registry)."""
    names, legal = _verified_names(verified)
    return names.get(record["slug"]) or legal.get(company_name(record["name"]), "")


def find(slug: str, verified: tuple[Controller, ...]) -> Controller | None:
    """The dataset's controller with this slug (None where there is none), unless a verified one supersedes it."""
    snapshot, _ = dataset.load()
    record = snapshot.records.get(slug.strip().lower())
    if record is None or superseded_by(record, verified):
        return None
    return controller(record, snapshot.commit, snapshot.commit_date)


def superseding(slug: str, verified: tuple[Controller, ...]) -> str:
    """The verified service a dataset slug stands for ("" where the slug is no superseded record)."""
    snapshot, _ = dataset.load()
    record = snapshot.records.get(slug.strip().lower())
    return superseded_by(record, verified) if record else ""


def close_slugs(name: str, count: int = 3) -> list[str]:
    """Dataset slugs close to a mistyped name, for the 'did you mean' of an unknown controller (the verified
    names are the registry's to suggest; `controllers search` ranks both tiers properly)."""
    import difflib

    snapshot, _ = dataset.load()
    return difflib.get_close_matches(name.strip().lower(), list(snapshot.records), n=count, cutoff=0.75)
