"""Supervisory authorities (where a complaint goes), loaded from objector/data/authorities.toml.

The records transcribe ../shared/reference/authorities.md. `verified` says whether the postal address was
seen on an official page; `unverified` names each field that rests on secondary sources only. Such a
field is never printed as fact: the complaint letter and the commands say that it is unconfirmed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ..errors import InputError, NotFoundError
from ..resources import data_file

# The German Länder by the region code that selects their authority, under their own (German) names: a Land's
# authority is competent for the Land, not for Germany, and the complaint says so.
GERMAN_LANDS = {
    "BW": "Baden-Württemberg", "BY": "Bayern", "BE": "Berlin", "BB": "Brandenburg", "HB": "Bremen",
    "HH": "Hamburg", "HE": "Hessen", "MV": "Mecklenburg-Vorpommern", "NI": "Niedersachsen",
    "NW": "Nordrhein-Westfalen", "RP": "Rheinland-Pfalz", "SL": "Saarland", "SN": "Sachsen",
    "ST": "Sachsen-Anhalt", "SH": "Schleswig-Holstein", "TH": "Thüringen",
}


@dataclass(frozen=True)
class Authority:
    id: str
    country: str
    region: str
    name: str
    name_en: str
    address: tuple[str, ...]  # () where no postal address was seen at all
    verified: bool  # the postal address was seen on an official page
    email: str
    web: str
    route: str
    languages: tuple[str, ...]
    languages_rule: str  # the authority's own rule, where it states one
    unverified: tuple[str, ...]  # fields that rest on secondary sources only
    competence: str  # set where it is not the authority for complaints about private companies
    notes: tuple[str, ...]
    sources: tuple[str, ...]
    form_limit: int | None = None  # characters the online form's description takes, where known
    outdated_address: tuple[str, ...] = ()  # an address it has left, still shown on the web: never posted to

    def is_verified(self, field: str) -> bool:
        return field not in self.unverified

    @property
    def short_ids(self) -> tuple[str, ...]:
        """What a person may type for it: the id, or the part after the country (`dpc`, `ico`, `by`)."""
        return (self.id, self.id.split("-", 1)[1]) if "-" in self.id else (self.id,)

    def to_dict(self) -> dict:
        return {
            "id": self.id, "country": self.country, "region": self.region or None, "name": self.name,
            "name_en": self.name_en, "address": list(self.address), "verified": self.verified,
            "email": self.email or None, "web": self.web or None, "route": self.route,
            "languages": list(self.languages), "languages_rule": self.languages_rule or None,
            "unverified": list(self.unverified), "competence": self.competence or None,
            "notes": list(self.notes), "sources": list(self.sources), "form_limit": self.form_limit,
            "outdated_address": list(self.outdated_address),
        }


@cache
def authorities() -> tuple[Authority, ...]:
    from ..kept import parsed_toml

    data = parsed_toml(data_file("authorities.toml"))
    return tuple(
        Authority(
            id=a["id"], country=a["country"], region=a.get("region", ""), name=a["name"],
            name_en=a.get("name_en", a["name"]), address=tuple(a["address"]), verified=a["verified"],
            email=a.get("email", ""), web=a.get("web", ""), route=a.get("route", ""),
            languages=tuple(a.get("languages", ())), languages_rule=a.get("languages_rule", ""),
            unverified=tuple(a.get("unverified", ())), competence=a.get("competence", ""),
            notes=tuple(a.get("notes", ())), sources=tuple(a["sources"]), form_limit=a.get("form_limit"),
            outdated_address=tuple(a.get("outdated_address", ())),
        )
        for a in data["authority"]
    )


def get(name: str) -> Authority:
    """An authority by its id (`ie-dpc`) or the id's unique short part (`dpc`)."""
    key = name.strip().lower()
    found = [a for a in authorities() if key in a.short_ids]
    if len(found) == 1:
        return found[0]
    if found:
        raise InputError(f"--authority: {name!r} could mean {', '.join(a.id for a in found)}; give the full id")
    raise NotFoundError(f"unknown authority {name!r}", hint="`objector authorities list` shows them")


def for_residence(country: str, region: str = "") -> Authority:
    """The authority of the person's habitual residence (Art. 77(1)): national, or the German Land's."""
    if country == "DE":
        land = next((a for a in authorities() if a.country == "DE" and a.region and a.region == region), None)
        if land is None:
            lands = ", ".join(a.region for a in authorities() if a.country == "DE" and a.region)
            raise InputError("in Germany the Land authority takes complaints about companies: set address.region in "
                             f"your profile to your Land ({lands}) or choose one with --authority, e.g. de-by")
        return land
    if country == "US":
        if region == "CA":
            return get("us-ca-cppa")
        raise NotFoundError(f"objector knows no privacy regulator for US-{region or '?'}; choose one with --authority")
    national = [a for a in authorities() if a.country == country and not a.region and not a.competence]
    if not national:
        raise NotFoundError(f"objector knows no supervisory authority for {country}",
                            hint="choose one with --authority (`objector authorities list`)")
    return national[0]


def for_establishment(country: str) -> Authority | None:
    """The authority of a controller's main establishment: the lead authority (Art. 56(1)) where it is in the EEA."""
    national = [a for a in authorities() if a.country == country and not a.region and not a.competence]
    return national[0] if national else None
