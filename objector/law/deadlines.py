"""Legal deadlines: pure date arithmetic, no I/O.

The rules follow ../shared/reference/legal.md ("Deadlines"). Public holidays come from the
``holidays`` package, imported lazily (it is slow to import) and cached per
(country, subdivision, year).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from types import MappingProxyType

__all__ = [
    "LAWS",
    "Deadline",
    "compute_deadline",
    "add_months",
    "next_working_day",
    "is_working_day",
    "holiday_name",
    "add_business_days",
    "days_left",
    "format_date",
    "extendable",
]

# The US states whose laws give 45 days, extendable once by 45 (objector.law.laws has the sections they cite).
US_STATE_RULES = ("us-va", "us-co", "us-ct", "us-tx", "us-or", "us-nj")
LAWS = ("gdpr", "uk-gdpr", "ccpa", "us-state", "lgpd", "fadp", *US_STATE_RULES)
# CCPA requests a business must act on within 15 business days, with no extension: kind → (rule, note).
CCPA_BUSINESS_DAYS = 15
CCPA_PROMPT_KINDS = {
    "opt-out": ("CCPA (11 CCR §7026): an opt-out of sale or sharing is complied with no later than 15 business "
                "days from receipt.", None),
    "limit-sensitive": ("CCPA (11 CCR §7027(g)(1)): a request to limit the use of sensitive personal information "
                        "is complied with by ceasing the use no later than 15 business days from receipt.", None),
}

REG_1182_71 = "Regulation (EEC, Euratom) No 1182/71"

# English names for the countries whose holidays are likely to matter; others fall back to the code.
_COUNTRY_NAMES = {
    "AT": "Austria", "BE": "Belgium", "BG": "Bulgaria", "HR": "Croatia", "CY": "Cyprus",
    "CZ": "Czechia", "DK": "Denmark", "EE": "Estonia", "FI": "Finland", "FR": "France",
    "DE": "Germany", "GR": "Greece", "HU": "Hungary", "IE": "Ireland", "IT": "Italy",
    "LV": "Latvia", "LT": "Lithuania", "LU": "Luxembourg", "MT": "Malta",
    "NL": "the Netherlands", "PL": "Poland", "PT": "Portugal", "RO": "Romania",
    "SK": "Slovakia", "SI": "Slovenia", "ES": "Spain", "SE": "Sweden", "IS": "Iceland",
    "LI": "Liechtenstein", "NO": "Norway", "CH": "Switzerland", "GB": "the United Kingdom",
    "US": "the United States", "BR": "Brazil",
}

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Deadline:
    law: str
    start: date  # the day the clock started (receipt, or the day ID/clarification arrived)
    due: date  # last day for the controller's reply
    rule: str  # one English sentence naming the rule used
    steps: tuple[str, ...]  # the derivation in plain English, one sentence a step
    extended: bool
    acknowledge_by: date | None = None  # CCPA: confirm receipt within 10 business days
    assumptions: tuple[str, ...] = ()


# --------------------------------------------------------------------------- formatting


def format_date(d: date) -> str:
    """'Mon 17 Mar 2025' — locale independent, no leading zero on the day."""
    return f"{_WEEKDAYS[d.weekday()][:3]} {d.day} {_MONTHS[d.month - 1][:3]} {d.year}"


def _short(d: date) -> str:
    """'17 Mar 2025' (no weekday)."""
    return f"{d.day} {_MONTHS[d.month - 1][:3]} {d.year}"


# --------------------------------------------------------------------------- calendar arithmetic


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def add_months(d: date, months: int) -> date:
    """The same date ``months`` later (or earlier, if negative); the last day of that month
    when the date does not exist there (31 Jan + 1 month = 28/29 Feb)."""
    index = d.year * 12 + (d.month - 1) + months
    year, month0 = divmod(index, 12)
    month = month0 + 1
    if not 1 <= year <= 9999:
        raise ValueError(f"date out of range: {d.isoformat()} + {months} months")
    return date(year, month, min(d.day, _days_in_month(year, month)))


def days_left(due: date, today: date) -> int:
    """Days from ``today`` until ``due``: 0 on the due day, negative when overdue."""
    return (due - today).days


# --------------------------------------------------------------------------- holidays


def _normalise_country(country: str | None) -> str:
    if not isinstance(country, str) or not country.strip():
        raise ValueError("a holiday country is required (ISO 3166-1 alpha-2 code, e.g. 'IE')")
    return country.strip().upper()


def _normalise_subdivision(subdivision: str | None) -> str | None:
    if subdivision is None:
        return None
    subdivision = subdivision.strip()
    return subdivision or None


def _build(country: str, subdivision: str | None, year: int):
    import holidays  # lazy: slow to import

    try:
        cal = holidays.country_holidays(country, subdiv=subdivision, years=year)
    except NotImplementedError as exc:
        if subdivision is not None and subdivision.upper() != subdivision:
            return _build(country, subdivision.upper(), year)
        if subdivision is None:
            raise ValueError(f"unknown holiday country {country!r}: the holidays package has no "
                             f"calendar for it (use an ISO 3166-1 alpha-2 code such as 'IE')") from exc
        raise ValueError(f"unknown holiday subdivision {subdivision!r} for country {country!r} "
                         f"({exc})") from exc
    # Holiday names in English: keep an English default (en_IE, en_GB), else en_US if offered.
    default = getattr(cal, "default_language", None) or ""
    if not default.startswith("en") and "en_US" in (getattr(cal, "supported_languages", ()) or ()):
        cal = holidays.country_holidays(country, subdiv=subdivision, years=year, language="en_US")
    return cal


@lru_cache(maxsize=512)
def _calendar(country: str, subdivision: str | None, year: int) -> Mapping[date, str]:
    """Public holidays of one year as a read-only {date: English name} mapping."""
    cal = _build(country, subdivision, year)
    return MappingProxyType({d: name for d, name in cal.items() if d.year == year})


@lru_cache(maxsize=128)
def _place(country: str, subdivision: str | None) -> str:
    """'Ireland', 'the United Kingdom (England)', 'the United States (California)'."""
    name = _COUNTRY_NAMES.get(country, country)
    if subdivision is None:
        return name
    cal = _build(country, subdivision, 2000)
    aliases = getattr(cal, "subdivisions_aliases", {}) or {}
    code = getattr(cal, "subdiv", subdivision)
    sub_names = [alias for alias, c in aliases.items() if c == code]
    return f"{name} ({sub_names[0] if sub_names else subdivision})"


def holiday_name(d: date, country: str, subdivision: str | None = None, *, language: str | None = None) -> str | None:
    """Name of the public holiday on ``d``, else None: in English where the package offers it, or in
    ``language`` (a letter's, e.g. "de") where the country's calendar has its names in that language."""
    country, subdivision = _normalise_country(country), _normalise_subdivision(subdivision)
    name = _calendar(country, subdivision, d.year).get(d)
    if name is None or language is None:
        return name
    return _named_calendar(country, subdivision, d.year, language).get(d, name)


# A letter's language as the holiday calendars code it where they differ: Norway's names its holidays in "no".
CALENDAR_LANGUAGE = {"nb": "no"}


@lru_cache(maxsize=64)
def _named_calendar(country: str, subdivision: str | None, year: int, language: str) -> Mapping[date, str]:
    """The holidays of one year named in ``language`` where the calendar offers it (en: en_IE, en_GB, en_US as
    the calendar prefers), else empty (the English names stand)."""
    import holidays  # lazy: slow to import

    cal = _build(country, subdivision, year)
    language = CALENDAR_LANGUAGE.get(language, language)
    offered = [code for code in (getattr(cal, "supported_languages", ()) or ()) if code.split("_")[0] == language]
    default = getattr(cal, "default_language", None) or ""
    if not offered:
        return MappingProxyType({})
    code = default if default in offered else offered[0]
    named = holidays.country_holidays(country, subdiv=subdivision, years=year, language=code)
    return MappingProxyType({d: name for d, name in named.items() if d.year == year})


def is_working_day(d: date, country: str, subdivision: str | None = None) -> bool:
    """Monday to Friday and not a public holiday of ``country``/``subdivision``."""
    if d.weekday() >= 5:
        # still validate the country so a typo never passes silently on a weekend
        _calendar(_normalise_country(country), _normalise_subdivision(subdivision), d.year)
        return False
    return holiday_name(d, country, subdivision) is None


def next_working_day(d: date, country: str, subdivision: str | None = None) -> date:
    """``d`` itself if it is a working day, else the first working day after it."""
    while not is_working_day(d, country, subdivision):
        d += timedelta(days=1)
    return d


def add_business_days(d: date, n: int, country: str, subdivision: str | None = None) -> date:
    """The n-th working day after ``d`` (``d`` itself is not counted; n=0 returns ``d``)."""
    if n < 0:
        raise ValueError("add_business_days counts forward only: n must be >= 0")
    _calendar(_normalise_country(country), _normalise_subdivision(subdivision), d.year)  # validate
    while n > 0:
        d += timedelta(days=1)
        if is_working_day(d, country, subdivision):
            n -= 1
    return d


def _roll(end: date, country: str, subdivision: str | None, holiday_word: str) -> tuple[date, str]:
    """Move ``end`` to the next working day; return it and the sentence explaining it."""
    place = _place(country, subdivision)
    if is_working_day(end, country, subdivision):
        return end, f"{format_date(end)} is a working day in {place}, so it is the deadline."
    reasons = []
    d = end
    while not is_working_day(d, country, subdivision):
        name = holiday_name(d, country, subdivision)
        if name:
            reasons.append(f"{format_date(d)} is {name}, a {holiday_word} in {place}")
        else:
            reasons.append(f"{format_date(d)} is a {_WEEKDAYS[d.weekday()]}")
        d += timedelta(days=1)
    if len(reasons) == 1:
        why = reasons[0]
    else:
        why = "; ".join(reasons[:-1]) + " and " + reasons[-1]
    return d, f"{why}, so the deadline moves to the next working day, {format_date(d)}."


# --------------------------------------------------------------------------- laws


def _month_period(start: date, months: int, country: str, subdivision: str | None,
                  holiday_word: str) -> tuple[date, list[str]]:
    """Months counted from ``start`` under the same-date rule, rolled to a working day."""
    raw = add_months(start, months)
    words = {1: "One month", 2: "Two months", 3: "Three months"}.get(months, f"{months} months")
    if raw.day == start.day:
        step = f"{words} later is {format_date(raw)}."
    else:
        target_month = _MONTHS[raw.month - 1]
        step = (f"There is no {start.day} {target_month} {raw.year}, so the period ends on the last "
                f"day of {target_month}, {format_date(raw)}.")
    due, roll_step = _roll(raw, country, subdivision, holiday_word)
    return due, [step, roll_step]


def _gdpr_like(law: str, start: date, country: str, subdivision: str | None,
               extended: bool) -> Deadline:
    from .laws import UK_ARTICLE_12A_FROM

    uk = law == "uk-gdpr"
    holiday_word = "bank holiday" if uk else "public holiday"
    name = ("UK GDPR Arts. 12(3) and 12A" if start >= UK_ARTICLE_12A_FROM else "UK GDPR Art. 12(3)") if uk else "GDPR Art. 12(3)"
    counting = ("the calendar-month rule of the ICO's guidance" if uk
                else REG_1182_71)
    # The UK counts from the day of receipt itself to the corresponding date (Art. 12A(1) UK GDPR: a month
    # "beginning with" the day of receipt; the ICO's guidance); the EU leaves the first day out (Reg. 1182/71
    # Art. 3(1)). Both end on the same calendar date.
    steps = [f"Received {format_date(start)}; the period runs from that day to the corresponding date"
             + (" (Art. 12A(1) UK GDPR and the ICO's guidance)." if start >= UK_ARTICLE_12A_FROM
                else " (the ICO's guidance).")
             if uk else f"Received {format_date(start)}; the day of receipt is not counted."]
    assumptions: list[str] = []
    first_due, first_steps = _month_period(start, 1, country, subdivision, holiday_word)
    if not extended:
        steps += first_steps
        due = first_due
        rule = f"{name}: one month from receipt, counted under {counting}."
    else:
        due, ext_steps = _month_period(start, 3, country, subdivision, holiday_word)
        steps.append(f"Without the extension the deadline would be {format_date(first_due)}.")
        steps.append("The extension by two further months is counted here as three months from "
                     "receipt.")
        steps += ext_steps
        rule = (f"{name}: one month from receipt extended by two further months, "
                f"counted as three months from receipt under {counting}.")
        alt = next_working_day(add_months(first_due, 2), country, subdivision)
        assumptions.append(
            "Open question: the extension may instead run two months from the first deadline "
            f"({format_date(first_due)}), which would end on {format_date(alt)}; "
            "this tool counts three months from receipt.")
        assumptions.append("An extension is valid only if the controller gave notice with reasons "
                           "within the first month.")
    if uk:
        assumptions.append("The clock starts when the request, and any ID proof or fee asked for, "
                           "arrives; pauses while clarification is awaited are not counted here.")
        if subdivision == "ENG":
            assumptions.append("Bank holidays of England are used (the same as Wales) unless "
                               "another part of the UK is given.")
    return Deadline(law=law, start=start, due=due, rule=rule, steps=tuple(steps),
                    extended=extended, acknowledge_by=None, assumptions=tuple(assumptions))


# Laws with a fixed period in calendar days and no extension: days, the rule in words, the law's name.
UNEXTENDABLE = {
    "lgpd": (15, "LGPD Art. 19: full reply within 15 days of the request.", "LGPD"),
    "fadp": (30, "Swiss revFADP Art. 25(7): reply generally within 30 days of the request.", "the revFADP"),
}


def extendable(law: str, kind: str | None = None) -> bool:
    """Whether the law lets the controller extend its reply period for this kind of request."""
    return law not in UNEXTENDABLE and not (law == "ccpa" and kind in CCPA_PROMPT_KINDS)


def _ccpa_business_days(start: date, kind: str, extended: bool) -> Deadline:
    rule, note = CCPA_PROMPT_KINDS[kind]
    if extended:
        raise ValueError(f"{rule.split(':')[0]} provides no extension of the {CCPA_BUSINESS_DAYS}-business-day period")
    due = add_business_days(start, CCPA_BUSINESS_DAYS, "US", "CA")
    steps = (f"Received {format_date(start)}; the day of receipt is not counted.",
             f"{CCPA_BUSINESS_DAYS} business days later (Monday to Friday, California state holidays excluded) is "
             f"{format_date(due)}.")
    return Deadline(law="ccpa", start=start, due=due, rule=rule, steps=steps, extended=False,
                    assumptions=(note,) if note else ())


def _us_state(law: str, start: date, extended: bool) -> tuple[int, str, list[str]]:
    """A state law's 45 days (90 extended): the days, the rule naming its section, and what is not verified."""
    from .laws import ALL

    statute = ALL[law].statute
    assert statute is not None, law  # only US state laws have this rule
    where = f" ({statute.reply})" if statute.reply else ""
    rule = (f"{statute.short}{where}: reply within "
            + ("45 days of receipt, extended once by 45 days to 90 days." if extended else "45 days of receipt."))
    assumptions = ["The days are counted as calendar days with no weekend or holiday rule, as for the CCPA."]
    if not statute.verified:
        assumptions.insert(0, f"UNVERIFIED: no source for the reply period of {statute.name} was found; 45 days, "
                              "extendable by 45, is what the other states' laws give. Check the statute.")
    if extended:
        assumptions.append("An extension is valid only if the business gave notice within the first 45 days.")
    return (90 if extended else 45), rule, assumptions


def _day_count(law: str, start: date, extended: bool) -> Deadline:
    steps = [f"Received {format_date(start)}; the day of receipt is not counted."]
    assumptions: list[str] = []
    acknowledge_by = None
    if law == "ccpa":
        days = 90 if extended else 45
        acknowledge_by = add_business_days(start, 10, "US", "CA")
        steps.append(f"Receipt must be confirmed within 10 business days (Monday to Friday, "
                     f"California state holidays excluded): by {format_date(acknowledge_by)}.")
        rule = ("CCPA (11 CCR §7021): confirm receipt within 10 business days and reply within "
                + ("45 calendar days of receipt, extended once by 45 days to 90 calendar days."
                   if extended else "45 calendar days of receipt."))
        if extended:
            assumptions.append("An extension is valid only if the business gave notice with "
                               "reasons within the first 45 days.")
    elif law in US_STATE_RULES:
        days, rule, assumptions = _us_state(law, start, extended)
    elif law == "us-state":
        days = 90 if extended else 45
        rule = ("US state privacy laws (VA, CO, CT, TX, OR): reply within "
                + ("45 days of receipt, extended once by 45 days to 90 days."
                   if extended else "45 days of receipt."))
        assumptions.append("The days are counted as calendar days with no weekend or holiday "
                           "rule, as for the CCPA.")
    elif law in UNEXTENDABLE:
        days, rule, name = UNEXTENDABLE[law]
        if extended:
            raise ValueError(f"{rule.split(':')[0]} provides no extension of the {days}-day period")
        assumptions.append(f"No weekend or holiday rule applied: none is verified for {name} "
                           "(UNVERIFIED); the days are counted as calendar days.")
    else:  # pragma: no cover - guarded by compute_deadline
        raise ValueError(f"unknown law {law!r}")
    due = start + timedelta(days=days)
    steps.append(f"{days} calendar days later is {format_date(due)}.")
    steps.append("The period is counted in calendar days, so the deadline does not move off a "
                 "weekend or holiday.")
    return Deadline(law=law, start=start, due=due, rule=rule, steps=tuple(steps),
                    extended=extended, acknowledge_by=acknowledge_by,
                    assumptions=tuple(assumptions))


def compute_deadline(law: str, start: date, *, holiday_country: str | None = None,
                     holiday_subdivision: str | None = None, extended: bool = False,
                     kind: str | None = None) -> Deadline:
    """The reply deadline under ``law`` for a request whose clock started on ``start``.

    gdpr needs ``holiday_country`` (the member state where the controller acts, e.g. "IE").
    uk-gdpr uses England's bank holidays (GB/ENG) unless told otherwise. The other laws count
    calendar days and ignore the holiday arguments, except the CCPA's opt-out and limit requests
    (``kind``), which count California business days.
    """
    key = law.strip().lower() if isinstance(law, str) else law
    if key not in LAWS:
        raise ValueError(f"unknown law {law!r}: expected one of {', '.join(LAWS)}")
    if not isinstance(start, date):
        raise TypeError("start must be a datetime.date")
    if key == "gdpr":
        if holiday_country is None:
            raise ValueError("gdpr needs holiday_country: the member state whose public holidays "
                             "apply (where the controller acts, e.g. 'IE' for Meta Ireland)")
        country = _normalise_country(holiday_country)
        return _gdpr_like(key, start, country, _normalise_subdivision(holiday_subdivision),
                          extended)
    if key == "uk-gdpr":
        country = _normalise_country(holiday_country) if holiday_country else "GB"
        subdivision = _normalise_subdivision(holiday_subdivision)
        if subdivision is None and country == "GB":
            subdivision = "ENG"
        return _gdpr_like(key, start, country, subdivision, extended)
    if key == "ccpa" and kind in CCPA_PROMPT_KINDS:
        return _ccpa_business_days(start, kind, extended)
    return _day_count(key, start, extended)
