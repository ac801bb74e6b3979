"""Which law protects a person, which letters objector writes under it, and which articles they rest on.

The facts come from ../shared/reference/legal.md. A law objector knows the deadline of but writes no
letter under yet (LGPD, revFADP, the US state laws) still resolves, so that the person is told plainly
that no letter is available rather than given a wrong one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import NoRightError

EU = frozenset(
    "AT BE BG HR CY CZ DK EE FI FR DE GR IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split()
)
EEA = EU | {"IS", "LI", "NO"}
US_STATES_45_DAYS = frozenset({"VA", "CO", "CT", "TX", "OR"})

KINDS = ("objection", "access")
PURPOSES = ("ai-training", "direct-marketing")

# What helps where no law gives a right to object: the seed's own advice.
SELF_HELP = (
    "set your account to private (Settings → Privacy → Private account), so that your posts are not public",
    "review and remove third-party apps (Settings → Security → Apps and websites)",
    "limit who can tag you (Settings → Privacy → Posts)",
    'ignore "Goodbye Meta AI" posts: copying that text has no legal effect',
)


@dataclass(frozen=True)
class Law:
    id: str  # also the deadline rule's id in deadlines.py
    title: str  # English, for the CLI
    kinds: frozenset[str] = field(default_factory=frozenset)  # letters objector writes under it
    no_objection: str = ""  # why an objection is not available, where that is the case

    def holiday_calendar(self, establishment: str, region: str) -> tuple[str, str | None]:
        """The public holidays that move this law's deadlines: (country, subdivision)."""
        if self.id == "uk-gdpr":
            # England & Wales bank holidays unless the person lives in Scotland or Northern Ireland.
            return "GB", region if region in {"SCT", "NIR", "ENG", "WLS"} else "ENG"
        if self.id == "ccpa":
            return "US", "CA"
        return establishment, None


GDPR = Law("gdpr", "GDPR (Regulation (EU) 2016/679)", frozenset(KINDS))
UK_GDPR = Law("uk-gdpr", "UK GDPR and Data Protection Act 2018", frozenset(KINDS))
CCPA = Law(
    "ccpa",
    "California Consumer Privacy Act (CCPA/CPRA)",
    no_objection="The CCPA gives Californians no right to object to AI training; it gives rights to know, "
    "delete, correct, and opt out of the sale or sharing of personal information.",
)
US_STATE = Law(
    "us-state",
    "US state privacy law (VA, CO, CT, TX, OR)",
    no_objection="Your state's privacy law gives no general right to object to AI training.",
)
LGPD = Law("lgpd", "Brazil's LGPD (Lei 13.709/2018)")
FADP = Law("fadp", "Switzerland's revised FADP")
ALL = {law.id: law for law in (GDPR, UK_GDPR, CCPA, US_STATE, LGPD, FADP)}


def law_for(country: str, region: str = "") -> Law | None:
    """The data-protection law that applies to a person living in `country` (and `region`)."""
    if country in EEA:
        return GDPR
    if country == "GB":
        return UK_GDPR
    if country == "CH":
        return FADP
    if country == "BR":
        return LGPD
    if country == "US":
        if region == "CA":
            return CCPA
        if region in US_STATES_45_DAYS:
            return US_STATE
    return None


def require_letter(law: Law | None, kind: str, country: str, region: str) -> Law:
    """The law under which a `kind` letter can be written, or a NoRightError that says what helps."""
    where = f"{country}-{region}" if region else country
    if law is None:
        reason = f"no data-protection law objector knows gives people in {where} a right to {_verb(kind)}"
    elif kind in law.kinds:
        return law
    elif kind == "objection" and law.no_objection:
        reason = law.no_objection
    else:
        reason = f"objector does not yet write {kind} letters under {law.title}"
    if kind == "objection":
        return _refuse(reason.rstrip(".") + ". What helps instead: " + "; ".join(SELF_HELP) + ".")
    return _refuse(reason + ".")


def _verb(kind: str) -> str:
    return {"objection": "object to this processing", "access": "see the data held about them"}.get(kind, kind)


def _refuse(message: str):
    raise NoRightError(message)
