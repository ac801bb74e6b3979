"""Which law protects a person, which letters objector writes under it, and which articles they rest on.

The facts come from ../shared/reference/legal.md; the US state laws' sections from
../shared/reference/controllers.md ("US state privacy laws"). A law objector knows the deadline of but writes
no letter under yet (LGPD, revFADP) still resolves, so that the person is told plainly that no letter is
available rather than given a wrong one. Each law's `kinds` is the one list of the letters it gives.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from ..errors import NoRightError

EU = frozenset(
    "AT BE BG HR CY CZ DK EE FI FR DE GR IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split()
)
EEA = EU | {"IS", "LI", "NO"}

KINDS = ("objection", "access", "erasure", "portability", "rectification", "restriction", "withdraw-consent")
GDPR_KINDS = frozenset(KINDS)  # the GDPR and the UK GDPR give every right objector writes letters for
# The letters the US state laws give: the GDPR's names where the right matches (access = the right to know or
# access, erasure = delete, rectification = correct, portability), and two rights only US laws have.
US_KINDS = ("access", "erasure", "rectification", "portability", "opt-out", "limit-sensitive")
PURPOSES = ("ai-training", "direct-marketing")
# UK: Article 12A UK GDPR (time limits for responding to requests: one month beginning with the day of receipt,
# and "stop the clock"), inserted by the Data (Use and Access) Act 2025, in force from 5 February 2026 (Commencement
# No. 6 Regulations 2026; Stephenson Harwood, Brightmine: secondary sources, legislation.gov.uk not checked).
UK_ARTICLE_12A_FROM = date(2026, 2, 5)

# What helps where no law gives a right to object: the seed's own advice.
SELF_HELP = (
    "set your account to private (Settings → Privacy → Private account), so that your posts are not public",
    "review and remove third-party apps (Settings → Security → Apps and websites)",
    "limit who can tag you (Settings → Privacy → Posts)",
    'ignore "Goodbye Meta AI" posts: copying that text has no legal effect',
)


@dataclass(frozen=True)
class Statute:
    """A US state privacy law as its letters cite it. A section the reference does not give is "" and is
    not cited: the letter then names the right without a section (never a guessed one)."""

    state: str  # "Virginia"
    name: str  # the law's name and where it is codified, as a sentence names it ("the ... Act (...)")
    short: str  # "VCDPA"
    rights: Mapping[str, str]  # letter kind → the section(s) that give the right ("" = none verified)
    reply: str  # the section that sets the 45-day reply period ("" = not verified: no period is printed)
    appeal: str  # the section on appeals ("" = not verified: the appeal is asked for without a section)
    appeal_period: str = ""  # the time to decide an appeal, where the reference verifies it
    decline: str = ""  # the section(s) that oblige a controller declining to act to give reasons and the way to
    # appeal ("" = cite `appeal` for that, where there is one)
    appeals: bool = True  # the law lets a consumer appeal a refusal to the business (CCPA: no; NJ: not verified)
    authority: str = ""  # who hears a complaint once the business has had its say
    profiling: str = "decisions that produce legal or similarly significant effects concerning me"
    verified: bool = True  # False: the reference has no source for this law's sections or periods


@dataclass(frozen=True)
class Law:
    id: str  # also the deadline rule's id in deadlines.py
    title: str  # English, for the CLI
    kinds: frozenset[str] = field(default_factory=frozenset)  # letters objector writes under it
    no_objection: str = ""  # why an objection is not available, where that is the case
    statute: Statute | None = None  # US state laws: the sections their letters cite
    languages: tuple[str, ...] = ()  # the languages its letters are written in (empty: every language)

    def holiday_calendar(self, establishment: str, region: str) -> tuple[str, str | None]:
        """The public holidays that move this law's deadlines: (country, subdivision)."""
        if self.id == "uk-gdpr":
            # England & Wales bank holidays unless the person lives in Scotland or Northern Ireland.
            return "GB", region if region in {"SCT", "NIR", "ENG", "WLS"} else "ENG"
        if self.id == "ccpa":
            return "US", "CA"
        return establishment, None


GDPR = Law("gdpr", "GDPR (Regulation (EU) 2016/679)", GDPR_KINDS)
UK_GDPR = Law("uk-gdpr", "UK GDPR and Data Protection Act 2018", GDPR_KINDS)


def _state_rights(section: str) -> MappingProxyType:
    """The rights a state law other than California's gives, all in one section of it ("" where unsourced):
    every US kind but limit-sensitive, which only the CCPA has."""
    return MappingProxyType({kind: section for kind in US_KINDS if kind != "limit-sensitive"})


def _us_law(id: str, title: str, statute: Statute, no_objection: str) -> Law:
    """A US state law: the letters its statute gives, written in English only (the statutes' language)."""
    return Law(id, title, frozenset(statute.rights), no_objection=no_objection, statute=statute, languages=("en",))


# California: Cal. Civ. Code §1798.100 et seq. (CCPA as amended by the CPRA) and its regulations, 11 CCR §7000 et seq.
CCPA = _us_law(
    "ccpa",
    "California Consumer Privacy Act (CCPA/CPRA)",
    Statute(
        state="California",
        name="the California Consumer Privacy Act of 2018, as amended by the California Privacy Rights Act "
        "(Cal. Civ. Code §1798.100 et seq.)",
        short="CCPA",
        rights=MappingProxyType({
            "access": "Cal. Civ. Code §§1798.100, 1798.110 and 1798.115",
            "erasure": "Cal. Civ. Code §1798.105",
            "rectification": "Cal. Civ. Code §1798.106",
            "opt-out": "Cal. Civ. Code §1798.120(a)",
            "limit-sensitive": "Cal. Civ. Code §1798.121(a)",
        }),
        reply="Cal. Civ. Code §1798.130(a)(2)(A)",
        appeal="",  # the CCPA sets no appeal to the business; a complaint goes to the agency
        authority="the California Privacy Protection Agency",
        appeals=False,
    ),
    no_objection="The CCPA gives Californians no right to object to AI training or to direct marketing; for "
    "targeted advertising and profiling its answer is the right to opt out of the sale and sharing of personal "
    "information (Cal. Civ. Code §1798.120): objector letter opt-out",
)
_STATE_NO_OBJECTION = (
    "{state}'s privacy law gives no general right to object to AI training; for targeted advertising, the sale "
    "of personal data and profiling it gives a right to opt out: objector letter opt-out"
)
VIRGINIA = _us_law(
    "us-va",
    "Virginia Consumer Data Protection Act (VCDPA)",
    Statute(
        state="Virginia",
        name="the Virginia Consumer Data Protection Act (Va. Code §59.1-575 et seq.)",
        short="VCDPA",
        rights=_state_rights("Va. Code §59.1-577(A)"),
        reply="Va. Code §59.1-577(B)",
        appeal="Va. Code §59.1-577(C)",
        # (B)(2): a controller that declines to act tells the consumer why and how to appeal under (C).
        decline="Va. Code §59.1-577(B)(2) and (C)",
        authority="the Attorney General of Virginia",
    ),
    no_objection=_STATE_NO_OBJECTION.format(state="Virginia"),
)
COLORADO = _us_law(
    "us-co",
    "Colorado Privacy Act (CPA)",
    Statute(
        state="Colorado",
        name="the Colorado Privacy Act (C.R.S. §6-1-1301 to §6-1-1313)",
        short="CPA",
        rights=_state_rights("C.R.S. §6-1-1306"),
        reply="C.R.S. §6-1-1306",
        appeal="",  # the appeal exists; its section and period are not verified
        authority="the Attorney General of Colorado",
    ),
    no_objection=_STATE_NO_OBJECTION.format(state="Colorado"),
)
CONNECTICUT = _us_law(
    "us-ct",
    "Connecticut Data Privacy Act (CTDPA)",
    Statute(
        state="Connecticut",
        name="the Connecticut Data Privacy Act (Conn. Gen. Stat. §42-515 et seq.)",
        short="CTDPA",
        rights=_state_rights("Conn. Gen. Stat. §42-518(a)"),
        reply="Conn. Gen. Stat. §42-518(c)(1)",
        appeal="",  # the appeal exists; its section is not given by the reference
        authority="the Attorney General of Connecticut",
        profiling="solely automated decisions that produce legal or similarly significant effects concerning me",
    ),
    no_objection=_STATE_NO_OBJECTION.format(state="Connecticut"),
)
TEXAS = _us_law(
    "us-tx",
    "Texas Data Privacy and Security Act (TDPSA)",
    Statute(
        state="Texas",
        name="the Texas Data Privacy and Security Act (Tex. Bus. & Com. Code ch. 541)",
        short="TDPSA",
        rights=_state_rights("Tex. Bus. & Com. Code §541.051"),
        reply="Tex. Bus. & Com. Code §541.052(b)",
        appeal="Tex. Bus. & Com. Code §541.053",
        authority="the Attorney General of Texas (Tex. Bus. & Com. Code §541.152)",
    ),
    no_objection=_STATE_NO_OBJECTION.format(state="Texas"),
)
OREGON = _us_law(
    "us-or",
    "Oregon Consumer Privacy Act (OCPA)",
    Statute(
        state="Oregon",
        name="the Oregon Consumer Privacy Act (ORS 646A.570 to 646A.589)",
        short="OCPA",
        rights=_state_rights("ORS 646A.574"),
        reply="ORS 646A.576",
        appeal="ORS 646A.576",
        appeal_period="45 days",  # ORS 646A.576(6)(d)
        authority="the Attorney General of Oregon",
    ),
    no_objection=_STATE_NO_OBJECTION.format(state="Oregon"),
)
# New Jersey: P.L. 2023, c. 266, N.J.S.A. 56:8-166.4 et seq. (in force 15 January 2025). The sections were checked
# against the statute's text as published by casetext.com and lexace.ai and reprinted in the "GDPR and US States
# General Privacy Laws Deskbook" (2026): §56:8-166.10(a) the consumer's rights (confirm and access, correct, delete,
# a portable copy, opt out of targeted advertising, sale and profiling); §56:8-166.7(a) a response within 45 days
# of receipt, extendable once by 45 days with notice and reasons within the first 45; §56:8-166.7(c) a controller
# that declines to act gives its justification and instructions for how to appeal within 45 days. The law thus
# provides an appeal; the section setting its process and period was not found, so none is cited.
NEW_JERSEY = _us_law(
    "us-nj",
    "New Jersey Data Privacy Act (NJDPA)",
    Statute(
        state="New Jersey",
        name="the New Jersey Data Privacy Act (P.L. 2023, c. 266, N.J.S.A. 56:8-166.4 et seq.)",
        short="NJDPA",
        rights=_state_rights("N.J.S.A. 56:8-166.10(a)"),
        reply="N.J.S.A. 56:8-166.7(a)",
        appeal="",  # the appeal exists (§56:8-166.7(c)); its own section is not verified
        decline="N.J.S.A. 56:8-166.7(c)",
        authority="the Attorney General of New Jersey",
    ),
    no_objection=_STATE_NO_OBJECTION.format(state="New Jersey"),
)
# Requests recorded before the state laws were told apart keep their deadline rule (deadlines.py "us-state").
US_STATE = Law(
    "us-state",
    "US state privacy law (VA, CO, CT, TX, OR)",
    no_objection="Your state's privacy law gives no general right to object to AI training.",
)
LGPD = Law("lgpd", "Brazil's LGPD (Lei 13.709/2018)")
FADP = Law("fadp", "Switzerland's revised FADP")
US_STATE_LAWS = {"CA": CCPA, "VA": VIRGINIA, "CO": COLORADO, "CT": CONNECTICUT, "TX": TEXAS, "OR": OREGON,
                 "NJ": NEW_JERSEY}  # region code → law
ALL = {law.id: law for law in (GDPR, UK_GDPR, *US_STATE_LAWS.values(), US_STATE, LGPD, FADP)}
# Every letter kind some law gives: the GDPR's first, then the US laws'.
ALL_KINDS = tuple(dict.fromkeys([*KINDS, *US_KINDS, *(kind for law in ALL.values() for kind in sorted(law.kinds))]))


def kinds_of(law: Law) -> list[str]:
    """The letters a law gives, in objector's order of kinds."""
    return [kind for kind in ALL_KINDS if kind in law.kinds]


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
        return US_STATE_LAWS.get(region)
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
    elif law.kinds:
        reason = f"{law.title} gives no {kind} letter; under it objector writes: {', '.join(kinds_of(law))}"
    else:
        reason = f"objector does not yet write {kind} letters under {law.title}"
    if kind == "objection":
        return _refuse(reason.rstrip(".") + ". What helps instead: " + "; ".join(SELF_HELP) + ".")
    return _refuse(reason + ".")


def _verb(kind: str) -> str:
    return {
        "objection": "object to this processing",
        "access": "see the data held about them",
        "erasure": "have their data erased",
        "portability": "take their data to another service",
        "rectification": "have their data corrected",
        "restriction": "have the processing of their data restricted",
        "withdraw-consent": "withdraw consent given under a data-protection law",
        "opt-out": "opt out of the sale of their data, targeted advertising or profiling",
        "limit-sensitive": "limit the use of their sensitive personal information",
    }.get(kind, kind)


def _refuse(message: str):
    raise NoRightError(message)
