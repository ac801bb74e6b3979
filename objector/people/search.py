"""Finding a company by what a person remembers of it: its name, a brand or product, its website, with a typo.

Both tiers are searched: the verified controllers (by service, product, brand and legal name) and the open
dataset's records (by name, slug, the brands they run, and the domains of their website and e-mail address).
A dataset record that a verified one supersedes shows as the verified service. With a country, only who is
relevant there is kept: a verified service with an entity for that country, a dataset record whose
relevant-countries name it (or "all").
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import cache

from . import dataset, secondary
from .postal import normalise
from .registry import Controller, NotFoundError, all_controllers, controllers, resolve

TYPO = 0.8  # the least similarity (difflib's ratio) that counts as a typo of a name
TYPO_SCORE = 0.6  # scores up to this one are typos' (score() gives 0.6 times the similarity)


@dataclass(frozen=True)
class Hit:
    name: str  # what to type: a verified service, or the dataset record's slug
    title: str  # the legal name
    tier: str  # verified (objector's own records, including a --controller-file's) or secondary (the dataset)
    matched: str  # what matched, e.g. "brand Instagram", "domain asos.com"
    score: float
    regions: tuple[str, ...]

    def to_dict(self) -> dict:
        return {"name": self.name, "title": self.title, "tier": self.tier, "matched": self.matched,
                "score": round(self.score, 3), "regions": list(self.regions)}


def score(query: str, key: str) -> float:
    """How well a normalised query matches a normalised key: 1 the same, then a word, a prefix, a part, a typo."""
    if not key or not query:
        return 0.0
    if key == query:
        return 1.0
    words = key.split()
    if key.startswith(query + " ") or query in words:
        return 0.9
    if len(query) >= 3 and any(word.startswith(query) for word in words):
        return 0.8
    if len(query) >= 4 and query in key:
        return 0.7
    size = len(query.split())
    best = 0.0
    for part in {key, *(" ".join(words[i:i + size]) for i in range(len(words) - size + 1))}:
        if abs(len(part) - len(query)) > max(2, len(query) // 4):
            continue
        matcher = difflib.SequenceMatcher(None, query, part, autojunk=False)
        if matcher.real_quick_ratio() >= TYPO and matcher.quick_ratio() >= TYPO:
            best = max(best, matcher.ratio())
    return 0.6 * best if best >= TYPO else 0.0


def _keys(names: dict[str, list[str]]) -> list[tuple[str, str, str]]:
    """(kind, shown text, normalised text) for each name; domains stay as they are."""
    keys = []
    for kind, values in names.items():
        for value in values:
            if value:
                keys.append((kind, value, value if kind == "domain" else secondary.company_name(value) or normalise(value)))
    return keys


@cache
def _dataset_index(commit: str) -> list[tuple[dict, list[tuple[str, str, str]]]]:
    del commit  # the cache's key: an updated dataset gets a new index
    snapshot, _ = dataset.load()
    index = []
    for record in snapshot.records.values():
        domains = {secondary.domain_of(record.get(field, "")) for field in ("web", "email")} - {""}
        index.append((record, _keys({"name": [record["name"]], "slug": [record["slug"].replace("-", " ")],
                                     "brand": record.get("runs", []), "domain": sorted(domains)})))
    return index


def _verified_keys(c: Controller) -> list[tuple[str, str, str]]:
    domains = {secondary.domain_of(c.email)} | {secondary.domain_of(f.url) for f in c.web_forms}
    return _keys({"name": [c.name, c.brand], "service": [c.service, *c.aliases], "product": list(c.products),
                  "domain": sorted(domains - {""})})


def _best(query: str, domain: str, keys: list[tuple[str, str, str]]) -> tuple[float, str]:
    best, matched = 0.0, ""
    for kind, shown, key in keys:
        if kind == "domain":
            value = 1.0 if domain and key == domain else 0.95 if domain and (key.endswith("." + domain) or domain.endswith("." + key)) else 0.0
            if not value and not domain:
                value = 0.9 if query and key.split(".")[0] == query.replace(" ", "") else 0.0
        else:
            value = score(query, key)
        if value > best:
            best, matched = value, f"{kind} {shown}"
    return best, matched


def search(text: str, country: str | None = None, *, limit: int = 10,
           extra: tuple[Controller, ...] = ()) -> tuple[list[Hit], int]:
    """The best matches (at most `limit`), and how many more match only for other countries."""
    query = secondary.company_name(text) or normalise(text)
    domain = secondary.domain_of(text) if "." in text and " " not in text.strip() else ""
    if not query and not domain:
        return [], 0
    found: dict[str, Hit] = {}
    elsewhere: set[str] = set()  # what matches, but only for other countries

    def keep(hit: Hit) -> None:
        if hit.name not in found or found[hit.name].score < hit.score:
            found[hit.name] = hit

    for c in all_controllers(extra=extra):
        value, matched = _best(query, domain, _verified_keys(c))
        if value:
            entity = _entity(c.service, country, extra) if country else c
            if entity is None:
                elsewhere.add(c.service)
                continue
            keep(Hit(c.service, entity.name, "verified", matched, value, c.regions))
    snapshot, _ = dataset.load()
    for record, keys in _dataset_index(snapshot.commit):
        value, matched = _best(query, domain, keys)
        if not value:
            continue
        regions = tuple(record.get("regions", ("*",)))
        service = secondary.superseded_by(record, controllers())
        if service:
            entity = _entity(service, country, extra) if country else None
            if country and entity is None:
                continue
            keep(Hit(service, entity.name if entity else record["name"], "verified",
                     f"{matched} (the dataset's record {record['slug']!r}, superseded)", value - 0.01, ()))
        elif country and "*" not in regions and country not in regions:
            elsewhere.add(record["slug"])
        else:
            keep(Hit(record["slug"], record["name"], "secondary", matched, value, regions))
    hits = sorted(found.values(), key=lambda h: (-h.score, h.tier != "verified", h.title.casefold()))
    if hits and hits[0].score > TYPO_SCORE:  # a typo's guesses only where nothing matches as typed
        hits = [hit for hit in hits if hit.score > TYPO_SCORE]
    return hits[:limit], len(elsewhere - set(found))


def _entity(service: str, country: str | None, extra: tuple[Controller, ...]) -> Controller | None:
    try:
        return resolve(service, country or "", extra=extra)
    except NotFoundError:
        return None


def suggestions(name: str, count: int = 3) -> list[str]:
    """Dataset slugs close to a mistyped name, for the 'did you mean' of an unknown controller."""
    hits, _ = search(name, limit=count)
    return [hit.name for hit in hits if hit.score >= 0.5]
