"""A controller as objector knows it: the entity letters go to, with its address, forms, processing and sources;
and, for the open dataset's companies, where the record comes from and what it says about requests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..law.laws import EEA


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
    builtin: bool = True  # False: from a --controller-file or the dataset (the journal then keeps the record itself)
    secondary: Secondary | None = None  # from the open dataset (people/secondary.py): its source and its facts

    @property
    def tier(self) -> str:
        """verified: objector's own records (and a --controller-file's); secondary: the open dataset's."""
        return "secondary" if self.secondary else "verified"

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
            "tier": self.tier,
        } | ({"dataset": self.secondary.to_dict()} if self.secondary else {})

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
             if self.reply_domains else {}) | ({"dataset": self.secondary.to_dict()} if self.secondary else {})


@dataclass(frozen=True)
class Secondary:
    """Where a secondary controller comes from, and what its record says about requests to it."""

    slug: str
    commit: str  # the snapshot's commit of the dataset's repository
    quality: str  # the dataset's own judgement: tested, verified, imported or scraped
    required: tuple[tuple[str, str, bool], ...] = ()  # (description, type, optional): what it needs to find you
    language: str = ""  # the language it takes requests in (ISO 639-1), "" where not said
    needs_id: bool = False  # an ID document is required for every request, per the record
    medium: str = ""  # suggested-transport-medium: email, letter, webform or fax
    address_problem: str = ""  # why its address could not be read as a postal address
    address_text: str = ""  # ... and that address as the record gives it

    @property
    def source(self) -> str:
        from .dataset import SOURCE  # the dataset module is loaded only where a dataset record is used

        return f"{SOURCE} at commit {self.commit[:12]}, record {self.slug!r}"

    def to_dict(self) -> dict:
        from .dataset import SOURCE

        return {"source": SOURCE, "commit": self.commit, "slug": self.slug, "quality": self.quality,
                "required": [list(element) for element in self.required], "language": self.language,
                "needs_id": self.needs_id, "medium": self.medium, "address_problem": self.address_problem,
                "address_text": self.address_text}

    @classmethod
    def from_dict(cls, data: dict) -> Secondary:
        return cls(slug=data["slug"], commit=data["commit"], quality=data["quality"],
                   required=tuple((d, t, o) for d, t, o in data.get("required", ())),
                   language=data.get("language", ""), needs_id=data.get("needs_id", False),
                   medium=data.get("medium", ""), address_problem=data.get("address_problem", ""),
                   address_text=data.get("address_text", ""))
