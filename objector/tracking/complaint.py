"""Complaints: when a controller is late or says no, the complaint to the supervisory authority.

Built the way a reminder is, from the journal's facts: the first letter's inputs (person, controller,
law, language), its timeline (sent, received, replies, reminders), the deadline as tracking counted it,
and every evidence file with its SHA-256. The complaint gets its own reference (CMP-...) and is noted on
the request's timeline, with the written file kept as evidence.

Which authority: the one where the person lives (GDPR Art. 77(1); a German Land from the profile's
region); the lead authority of the controller's main establishment (Art. 56(1), the Irish DPC for Meta
Ireland) is one option away. UK: the Information Commissioner (s.165 DPA 2018), after the complaint to
the controller that s.164A (inserted by the Data (Use and Access) Act 2025) provides for.

US state laws (English only): the text for the authority's online form, from the same journal facts
(objector.tracking.complaint_us).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from .. import i18n
from ..clock import today as clock_today
from ..errors import InputError, NoRightError, TamperedError
from ..law import authorities, deadlines, rights
from ..letters import letter as letters
from ..reference import new_reference, normalize
from ..text import plural
from . import complaint_us
from .complaint_timeline import EVENT_WORDS, Document, TimelineEntry, documents, reminder_limits, reminders_of, timeline
from .complaint_us import us_text as us_text
from .events import add_event

if TYPE_CHECKING:
    from ..law.laws import Statute
    from ..people.profile import Profile
    from .timeline import Tracking

N_ = letters.N_

LAWS = ("gdpr", "uk-gdpr")  # the laws whose glossaries cite the articles a complaint rests on
FORMATS = ("pdf", "html", "txt", "form")  # form: the text for an authority's online form, within its limit
US_FORMATS = ("form", "txt")  # a US complaint is text for an online form (no verified postal address to write to)
COMPLAINABLE = frozenset({"refused", "partial", "other"})  # final replies that leave something to complain of
NOTIFY_KINDS = ("erasure", "rectification", "restriction", "withdraw-consent")  # the requests Art. 19 makes notifiable
S164A_IN_FORCE = date(2026, 6, 19)  # DPA 2018 s.164A, inserted by DUAA 2025 s.103 (controllers.md: several sources)
# s.164A(3): the controller acknowledges a complaint "within the period of 30 days beginning when the complaint is
# received" (legislation.gov.uk, DUAA 2025 s.103): the day of receipt is the first of the 30.
S164A_ACKNOWLEDGE_DAYS = 30

SUBJECT = N_("Complaint against {controller} concerning my request under {art} of {date}, reference {reference}")
# An objection (Art. 21) and a withdrawal of consent (Art. 7(3)) are not requests: the subject names them as the law does.
SUBJECTS = {
    "objection": N_("Complaint against {controller} concerning my objection under {art} of {date}, reference {reference}"),
    "withdraw-consent": N_("Complaint against {controller} concerning my withdrawal of consent under {art} of {date}, "
                           "reference {reference}"),
}
RULES = {"gdpr": N_("Regulation (EEC, Euratom) No 1182/71"), "uk-gdpr": N_("the Information Commissioner’s guidance")}
# UK, from Article 12A's commencement: the article that now sets the period's start, with the ICO's guidance.
RULE_UK_12A = N_("{art} and the Information Commissioner’s guidance")
# The days a time limit moved over (Saturday, Sunday, public holiday at the controller), each named, then listed.
ROLLED_DAYS = {
    5: N_("{date} is a Saturday"),
    6: N_("{date} is a Sunday"),
}
ROLLED_HOLIDAY = N_("{date} is a public holiday ({name})")


@dataclass(frozen=True)
class Complaint:
    reference: str  # the complaint's own reference, CMP-...
    request: letters.LetterRequest  # the first letter, rebuilt from the journal
    authority: authorities.Authority
    residence: authorities.Authority | None  # where the person lives (None if unknown)
    lead: authorities.Authority | None  # the controller's lead authority (GDPR Art. 56(1))
    lang: str
    on: date
    tracking: Tracking
    timeline: tuple[TimelineEntry, ...]
    documents: tuple[Document, ...]
    reminders: tuple[Document, ...]
    journal_head: tuple[int, str]
    signature: bytes | None = field(default=None, repr=False)
    reminder_limits: tuple[tuple[date, date], ...] = ()  # each reminder's (date, last time limit)
    missing: str = ""  # what a partial answer left out, in the person's words (`log reply --missing`)
    person: Profile | None = None  # the letter's copy of the person's details, completed from the current profile
    completed: tuple[str, ...] = ()  # the fields taken from the current profile (region, postcode)

    @property
    def sender(self) -> Profile:
        """Who complains, and from where: the letter's copy of the profile, completed where it lacked a field."""
        return self.person or self.request.profile

    @property
    def file_stem(self) -> str:
        return f"{self.reference}-complaint-{self.authority.id}"

    @property
    def request_reference(self) -> str:
        return self.request.reference

    @property
    def statute(self) -> Statute | None:
        """The US state law the request was made under (None: GDPR or UK GDPR)."""
        return self.request.law.statute

    @property
    def default_format(self) -> str:
        return "form" if self.statute is not None else "pdf"

    @property
    def made_on(self) -> date:
        """The day the request was made: its letter's date, or the day it was really sent where that was earlier
        (`log sent --before-draft`: made in the app first, the letter written after)."""
        sent = self.tracking.sent
        return sent if sent is not None and sent < self.request.on else self.request.on

    @property
    def uk_controller_complaint(self) -> tuple[date, date] | None:
        """UK: the latest reminder written since s.164A came into force (it is the complaint to the controller),
        with the last day of the 30 the controller has to acknowledge it, counted from the day the reminder is
        taken to arrive (its last time limit less the REMINDER_DAYS it gave)."""
        made = [(on, limit) for on, limit in self.reminder_limits if on >= S164A_IN_FORCE]
        if self.request.law.id != "uk-gdpr" or not made:
            return None
        on, limit = made[-1]
        received = limit - timedelta(days=letters.REMINDER_DAYS)
        return on, received + timedelta(days=S164A_ACKNOWLEDGE_DAYS - 1)

    def warnings(self) -> list[str]:
        """What the person must know before sending it: on the terminal, never in the letter to the authority."""
        if self.statute is not None:
            return complaint_us.warnings(self)
        a = self.authority
        notes = []
        if not a.address:
            notes.append(f"objector knows no postal address for {a.name_en}: use its complaint route"
                         + (f" ({a.web})" if a.web else "") + "; the letter has no address in its window")
        elif not a.verified:
            notes.append(f"the complaint is addressed to {a.name_en}, {', '.join(a.address)}: this address is NOT "
                         "verified (secondary sources only, not its own website): check it before posting")
        elif a.outdated_address:
            notes.append(f"the complaint is addressed to {a.name_en}, {', '.join(a.address)}")
        if a.outdated_address:  # after the address used: which one it is comes first, then which one it is not
            notes.append(f"the older address {', '.join(a.outdated_address)} is outdated: {a.name_en} has moved; "
                         "do not post there")
        if a.competence:
            notes.append(f"{a.name_en}: {a.competence}")
        if a.languages and self.lang not in a.languages:
            rule = a.languages_rule or f"it is listed as working in {', '.join(a.languages)}"
            if not a.is_verified("languages"):
                rule += " (UNVERIFIED)"
            notes.append(f"the complaint is in {i18n.language_name(self.lang)}, but {a.name_en}: {rule}")
        notes += [f"{a.name_en}: {note}" for note in a.notes]
        controller_complaint = self.uk_controller_complaint
        if self.request.law.id == "uk-gdpr" and controller_complaint is None:
            notes.append("since 19 June 2026 a controller must handle complaints itself (s.164A DPA 2018, inserted by "
                         "the Data (Use and Access) Act 2025) and the ICO usually considers a complaint only after that: "
                         f"send the reminder first (`objector followup {self.request_reference}`)")
        elif controller_complaint is not None and self.on <= controller_complaint[1]:
            notes.append(f"your reminder of {controller_complaint[0].isoformat()} is your complaint to the controller "
                         "under s.164A DPA 2018, and the controller has 30 days from receiving it to acknowledge it "
                         f"(s.164A(3)), until {controller_complaint[1].isoformat()}; the ICO usually considers a "
                         "complaint only once the controller has had that time, so the letter does not say the "
                         "controller failed to resolve it: consider waiting until then (`--date` cannot be later "
                         "than today)")
        return notes

# --------------------------------------------------------------------------- from the journal


def prepare(reference: str, *, authority: str | None = None, lang: str | None = None, on: date | None = None,
            signature: bytes | None = None, profile_path: Path | None = None) -> Complaint:
    """The complaint about one request, from the journal; refused if there is nothing to complain of yet.
    `profile_path`: the person's current profile (default: the saved one), for what the letter's copy lacks."""
    from ..journal import Journal
    from .timeline import track

    reference = normalize(reference)
    today = clock_today()
    with Journal.open(create=False) as journal:
        entry = journal.get_request(reference)
        events = journal.events(reference)
        report = journal.verify()  # a complaint rests on the journal: it must be intact, and its head is cited
    if not report.ok:
        raise TamperedError(f"the journal failed verification ({report.problems[0]}); `objector verify` lists "
                            "every problem, and no complaint is written from a journal that has been altered")
    tracking = track(entry, [e for e in events if e.type != "note"], today)
    why = why_no_complaint(tracking)
    if why:
        raise InputError(f"{reference}: {why}")
    from ..law.laws import ALL

    law = ALL.get(entry.law)
    if entry.law not in LAWS and (law is None or law.statute is None):
        title = law.title if law is not None else entry.law
        raise NoRightError(f"objector writes complaints under the GDPR, the UK GDPR and the US state laws, not under {title}")
    first = letters.from_inputs(entry.inputs)
    if first.law.statute is not None:
        if lang is not None and lang not in first.law.languages:
            raise InputError(f"--lang: a complaint under {first.law.title} is written in "
                             f"{', '.join(first.law.languages)} only")
        lang = "en"
        if authority is None:
            authority = "us-ca-cppa" if first.law.id == "ccpa" else None
    from ..people.profile import completed_from_saved

    person, completed = completed_from_saved(first.profile, profile_path)
    country, region = person.address.country, person.address.region
    residence = _residence(first.law.id, country, region) if first.law.statute is None else None
    lead = authorities.for_establishment(first.controller.establishment) if first.law.id == "gdpr" else None
    if authority:
        chosen = authorities.get(authority)
    elif first.law.statute is not None:
        chosen = complaint_us.state_attorney_general(first.law)
    elif residence is not None:
        chosen = residence
    elif country == "DE" and not region:
        # Germany's authorities are per Land, and neither the letter's copy of the profile nor the profile names one.
        raise InputError("your profile names no German Land, and each Land has its own authority: set yours with "
                         "`objector profile edit region BE` (BE for Berlin; `objector authorities list --country DE` "
                         "lists them), or choose the authority with --authority, e.g. de-be")
    else:
        raise InputError(f"objector cannot tell your supervisory authority from your profile ({country}"
                         f"{'-' + region if region else ''}); choose one with --authority (`objector authorities list`)")
    if signature is not None:
        letters.check_signature(signature)
    on = on or today
    if on > today:
        raise InputError(f"--date: {on} is in the future (today is {today})")
    if on < (tracking.due or entry.created_on) and tracking.outcome not in COMPLAINABLE:
        raise InputError(f"--date: {on} is before the time limit ended ({tracking.due})")
    reminders = tuple(reminders_of(events))
    if lang is None:
        # Write to an authority in a language it works in where objector writes one (authorities.md, "Language"):
        # a complaint to the Irish DPC in English, to a German Land in German.
        written_in = [code for code in chosen.languages if code in i18n.supported_languages()]
        lang = first.lang if first.lang in chosen.languages or not written_in else written_in[0]
    return Complaint(
        reference=new_reference("complaint", on.year),
        request=first,
        authority=chosen,
        residence=residence,
        lead=lead,
        lang=i18n.check_language(lang),
        on=on,
        tracking=tracking,
        timeline=tuple(timeline(entry, events, tracking)),
        documents=tuple(documents(entry, events)),
        reminders=reminders,
        journal_head=(report.head_seq, report.head_hash),
        signature=signature,
        reminder_limits=tuple(reminder_limits(events)),
        missing=next((str(e.data.get("missing", "")) for e in reversed(events)
                      if e.type == "reply" and e.data.get("outcome") == "partial"), ""),
        person=person,
        completed=completed,
    )


def why_no_complaint(tracking: Tracking) -> str:
    """Empty if the request gives cause for a complaint (overdue, refused, partly answered, answered late)."""
    state = tracking.state
    if state == "overdue" or (state == "answered" and (tracking.outcome in COMPLAINABLE or tracking.answered_late)):
        return ""
    if state == "drafted":
        return "not sent yet; a complaint follows once the controller's time has run out or it refused"
    if state == "answered":
        return f"answered in time ({tracking.outcome}); there is nothing to complain of"
    if state == "waiting-for-you":
        return "the controller is waiting for the ID or clarification it asked for (`objector log supplied`)"
    left = f", {plural(tracking.days_left, 'day')} left" if tracking.days_left is not None else ""
    due = f"due {tracking.due.isoformat()}{left}" if tracking.due else state
    return f"not overdue ({due}); a complaint follows once the controller's time has run out or it refused"


def _residence(law: str, country: str, region: str) -> authorities.Authority | None:
    from ..errors import ObjectorError

    if law == "uk-gdpr":
        return authorities.get("gb-ico")
    try:
        return authorities.for_residence(country, region)
    except ObjectorError:
        return None


# --------------------------------------------------------------------------- the letter


def context(c: Complaint) -> dict:
    """What templates/letters/complaint.html.j2 needs, in the letter's language."""
    lang, first, t = c.lang, c.request, c.tracking
    gettext = i18n.translations(lang).gettext
    glossary = i18n.glossary(lang)
    long = lambda day: letters.long_date(day, lang)  # noqa: E731
    alone = lambda day: letters.standalone_date(day, lang)  # noqa: E731  (the tables' date column)
    cite = letters.citer(first.law.id, lang, first.on)
    profile, a = c.sender, c.authority
    date_long = long(c.on)
    subject = SUBJECTS.get(first.kind, SUBJECT)
    article = letters.SUBJECT_ARTICLES[(first.kind, first.purpose if first.kind == "objection" else None)]
    recipient = [a.name, *a.address]
    if a.address and a.country != profile.address.country:
        recipient.append(i18n.postal_country(a.country, lang))
    controller = first.controller
    deadline = t.deadline
    month_end = deadlines.add_months(deadline.start, 3 if deadline.extended else 1) if deadline is not None else None
    reply = next((e for e in reversed(c.timeline) if e.what.startswith("reply-") and e.what != "reply-extended"
                  and e.what != "reply-needs-id"), None)
    paused = [e for e in c.timeline if e.what == "reply-needs-id"]
    supplied = [e for e in c.timeline if e.what == "supplied"]
    uk_12a = first.law.id == "uk-gdpr" and first.on >= letters.UK_STOP_THE_CLOCK_FROM
    controller_complaint = c.uk_controller_complaint
    return {
        "lang": lang,
        "law_id": first.law.id,
        "us_letter": False,
        "reference": c.reference,
        "request_reference": c.request_reference,
        "subject": gettext(subject).format(controller=controller.name, art=glossary.cite(first.law.id, article),
                                           date=long(c.made_on), reference=c.request_reference),
        # The heading keeps the article and the reference each on one line (never "OBJ-2026-" / "QY620D").
        "subject_line": Markup(escape(gettext(subject))).format(
            controller=controller.name, art=cite(article), date=long(c.made_on),
            reference=letters.citation(c.request_reference)),
        "date_long": date_long,
        "place_date": gettext(letters.PLACE_DATE).format(place=profile.address.city, date=date_long),
        "continuation": gettext(letters.CONTINUATION).format(reference=c.reference),
        "sender": letters.sender_context(profile, lang, a.country),
        "law_name": letters.law_name(first.law.id, lang),
        "recipient": {"lines": recipient},
        "authority": a,
        "is_residence": c.residence is not None and a.id == c.residence.id,
        "is_lead": c.lead is not None and a.id == c.lead.id,
        # A Land's authority is the authority of the Land, not of the whole country: "Berlin, Deutschland".
        "country": ", ".join([*([authorities.GERMAN_LANDS[a.region]] if a.country == "DE" and a.region else []),
                              i18n.country_name(profile.address.country, lang)]),
        "controller": controller,
        "controller_address": ", ".join([*controller.address, i18n.country_name(controller.address_country, lang)]),
        "kind": first.kind,
        "purpose": first.purpose,
        "article": article,
        "options": first.options,
        # The grounds the request relied on (Art. 17(1) or 18(1) points), each cited in full, in the law's order.
        "grounds": Markup(", ").join(cite(f"{rights.GROUND_ARTICLES[first.kind]}({point})")
                                     for point in first.options.grounds) if first.kind in rights.GROUND_ARTICLES else "",
        "notify_kinds": NOTIFY_KINDS,
        "written": long(c.made_on),
        "sent": long(t.sent),
        "received": long(t.received),
        "post_days": (t.received - t.sent).days if t.receipt_assumed and t.received and t.sent else 0,
        "receipt_assumed": t.receipt_assumed,
        "clock_start": long(deadline.start) if deadline else "",
        "restarted": bool(paused and supplied),
        "asked": long(paused[-1].on) if paused else "",
        "supplied": long(supplied[-1].on) if supplied else "",
        "extended": t.extended,
        "rolled": bool(deadline and month_end and month_end != deadline.due),
        "rolled_days": rolled_days(c, month_end) if deadline and month_end and month_end != deadline.due else "",
        "due": long(t.due) if t.due else "",
        "pending": bool(t.due and t.due >= c.on),  # refused before the time limit ended: it has not ended yet
        "counting_rule": (Markup(escape(gettext(RULE_UK_12A))).format(art=cite("12A(1)")) if uk_12a
                          else gettext(RULES[first.law.id])),
        "state": t.state,
        "outcome": t.outcome,
        "reply_on": long(reply.on) if reply else "",
        "missing": c.missing,
        "answered_late": bool(t.answered_late),
        "timeline": [{"on": alone(e.on), "what": gettext(EVENT_WORDS[e.what]), "note": e.note} for e in c.timeline],
        "documents": [{"role": d.role, "name": d.name, "sha256": d.sha256, "on": alone(d.on)} for d in c.documents],
        "uk_controller_complaint": long(controller_complaint[0]) if controller_complaint else "",
        # Written before the 30 days of s.164A(3) ran out: the letter says when they end, not that they failed.
        "uk_acknowledge_by": (long(controller_complaint[1]) if controller_complaint and c.on <= controller_complaint[1]
                              else ""),
        "journal_head": {"seq": c.journal_head[0], "hash": c.journal_head[1]},
        "signature_url": letters.signature_url(c.signature),
        "cite": cite,
    }


def rolled_days(c: Complaint, month_end: date) -> str:
    """The days a time limit moved over to the next working day, each named ("30 May 2026 is a Saturday, 31 May
    2026 is a Sunday and 1 June 2026 is a public holiday (June Bank Holiday)"): the holidays of the controller's
    country (UK: of the person's part of it), named in the letter's language where the holiday calendar has it."""
    from .timeline import holiday_calendar

    lang, request, due = c.lang, c.tracking.request, c.tracking.due
    gettext = i18n.translations(lang).gettext
    kept = (request.inputs.get("controller_record") or {}).get("establishment", "")
    country, subdivision = holiday_calendar(request.law, request.controller, request.region, kept)
    days, day = [], month_end
    while due is not None and day < due:
        when = letters.long_date(day, lang)
        if day.weekday() in ROLLED_DAYS:
            days.append(gettext(ROLLED_DAYS[day.weekday()]).format(date=when))
        else:
            name = deadlines.holiday_name(day, country, subdivision, language=lang) or ""
            days.append(gettext(ROLLED_HOLIDAY).format(date=when, name=name))
        day += timedelta(days=1)
    text = i18n.join_list(days, lang)  # as the language joins a list (Maltese: no comma before "u"; Welsh "a"/"ac")
    return text[:1].upper() + text[1:]  # it opens the sentence ("Der 30. Mai 2026 ist ein Samstag, ...")


def render_html(c: Complaint) -> str:
    return letters.environment(c.lang).get_template("letters/complaint.html.j2").render(context(c))


def produce(c: Complaint, fmt: str) -> tuple[bytes, int | None, list[str]]:
    """The complaint's bytes in `fmt`, its page count (PDF) and WeasyPrint's warnings."""
    if fmt not in FORMATS:
        raise InputError(f"--format: {fmt!r} is not one of {', '.join(FORMATS)}")
    if c.statute is not None:
        if fmt not in US_FORMATS:
            raise InputError(f"--format {fmt}: a complaint under {c.request.law.title} is the text for "
                             f"{c.authority.name_en}'s complaint form: --format form (or txt)")
        return us_text(c, fmt).encode("utf-8"), None, []
    if fmt == "form":
        raise InputError("--format form: the text for an online form is written for complaints under US state laws; "
                         "--format txt gives this complaint as plain text")
    html = render_html(c)
    if fmt == "html":
        return html.encode("utf-8"), None, []
    if fmt == "txt":
        return letters.render_text(c.request, html).encode("utf-8"), None, []
    from ..letters.render import html_to_pdf

    pdf = html_to_pdf(html)
    return pdf.data, pdf.pages, pdf.warnings


@dataclass
class WrittenComplaint:
    complaint: Complaint
    path: Path
    sha256: str
    pages: int | None
    warnings: list[str]
    chars: int | None = None  # the text's length (txt)
    data: bytes = field(default=b"", repr=False)
    document: str = ""  # the name the journal keeps it under (the file's, or the default name for -o -)

    def to_dict(self) -> dict:
        c = self.complaint
        return {"reference": c.reference, "request": c.request_reference, "authority": c.authority.id,
                "authority_verified": c.authority.verified, "lead_authority": c.lead.id if c.lead else None,
                "path": str(self.path), "sha256": self.sha256, "pages": self.pages}


def write(c: Complaint, fmt: str, path: Path, *, overwrite: bool = False) -> WrittenComplaint:
    """Write the complaint, then note it on the request's timeline with the file as evidence.

    If the journal cannot record it, the file is removed again: the journal and the disk never disagree."""
    from ..journal import Journal
    from ..letters.compose import check_stdout, is_stdout
    from ..paths import atomic_write, check_target

    to_stdout = is_stdout(path)  # -o -: the caller prints the data once it is recorded
    if to_stdout:
        check_stdout(fmt, path)
    else:
        check_target(path, overwrite=overwrite)
    name = default_path(c, fmt).name if to_stdout else path.name
    data, pages, warnings = produce(c, fmt)
    if not to_stdout:
        atomic_write(path, data, overwrite=overwrite)
    digest = hashlib.sha256(data).hexdigest()
    try:
        with Journal.open(create=False) as journal:
            add_event(journal,
                c.request_reference, "note", c.on,
                {"note": f"complaint {c.reference} to {c.authority.name_en} written: {name} (sha256 {digest})",
                 "complaint": {"reference": c.reference, "authority": c.authority.id, "document": name,
                               "sha256": digest, "language": c.lang}},
                evidence=[(name, data) if to_stdout else path], today=clock_today(),
            )
    except BaseException:
        if not to_stdout:
            path.unlink(missing_ok=True)
        raise
    chars = len(data.decode("utf-8")) if fmt in ("txt", "form") else None
    return WrittenComplaint(c, path, digest, pages, warnings, chars, data, name)


def default_path(c: Complaint, fmt: str) -> Path:
    return Path(f"{c.file_stem}-form.txt" if fmt == "form" else f"{c.file_stem}.{fmt}")
