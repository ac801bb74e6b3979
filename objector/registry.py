"""Controllers (who letters go to), loaded from objector/data/controllers.toml."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache

from .errors import NotFoundError
from .laws import EEA
from .resources import data_file


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
    checked: str  # when the facts were gathered, as precisely as the source says (e.g. "2026-11")
    sources: tuple[str, ...]
    notes: tuple[str, ...]
    processing: tuple[Processing, ...]

    def serves(self, country: str) -> bool:
        return country in self.regions or ("EEA" in self.regions and country in EEA)

    def processing_for(self, purpose: str) -> Processing | None:
        return next((p for p in self.processing if p.purpose == purpose), None)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "service": self.service,
            "name": self.name,
            "products": list(self.products),
            "regions": list(self.regions),
            "establishment": self.establishment,
            "address": list(self.address),
            "address_country": self.address_country,
            "address_verified": self.address_verified,
            "email": self.email or None,
            "web_forms": [{"label": f.label, "url": f.url or None} for f in self.web_forms],
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
        }


@cache
def controllers() -> tuple[Controller, ...]:
    data = tomllib.loads(data_file("controllers.toml").read_text("utf-8"))
    return tuple(
        Controller(
            id=c["id"],
            service=c["service"],
            name=c["name"],
            brand=c["brand"],
            products=tuple(c["products"]),
            regions=tuple(c["regions"]),
            establishment=c["establishment"],
            address=tuple(c["address"]),
            address_country=c["address_country"],
            address_verified=c["address_verified"],
            email=c.get("email", ""),
            web_forms=tuple(WebForm(f["label"], f.get("url", "")) for f in c.get("web_forms", [])),
            verified=c["verified"],
            checked=str(c["checked"]),
            sources=tuple(c["sources"]),
            notes=tuple(c.get("notes", [])),
            processing=tuple(
                Processing(p["purpose"], p.get("basis", ""), p.get("since"), p.get("source", ""))
                for p in c.get("processing", [])
            ),
        )
        for c in data["controller"]
    )


def services() -> tuple[str, ...]:
    return tuple(dict.fromkeys(c.service for c in controllers()))


def get(controller_id: str) -> Controller:
    """A controller by its own id (e.g. `meta-ireland`)."""
    for controller in controllers():
        if controller.id == controller_id:
            return controller
    raise NotFoundError(f"unknown controller {controller_id!r}; known: {', '.join(c.id for c in controllers())}")


def resolve(name: str, country: str) -> Controller:
    """The entity a person in `country` deals with: `meta` → Meta Platforms Ireland for an EU resident."""
    name = name.strip().lower()
    if name not in services():
        return get(name)
    candidates = [c for c in controllers() if c.service == name]
    for controller in candidates:
        if controller.serves(country):
            return controller
    for controller in candidates:
        if "*" in controller.regions:
            return controller
    raise NotFoundError(
        f"objector knows no {name} entity that is the controller for people in {country}"
    )
