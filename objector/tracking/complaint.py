"""Complaints: when a controller is late or says no, the complaint to the supervisory authority.

Built the way a reminder is, from the journal's facts: the first letter's inputs (person, controller,
law, language), its timeline (sent, received, replies, reminders), the deadline as tracking counted it,
and every evidence file with its SHA-256. The complaint gets its own reference (CMP-...) and is noted on
the request's timeline, with the written file kept as evidence.

Which authority: the one where the person lives (GDPR Art. 77(1); a German Land from the profile's
region); the lead authority of the controller's main establishment (Art. 56(1), the Irish DPC for Meta
Ireland) is one option away. UK: the Information Commissioner (s.165 DPA 2018), after the complaint to
the controller that s.164A (inserted by the Data (Use and Access) Act 2025) provides for.

US state laws (English only): for a CCPA request, the text for the California Privacy Protection Agency's
online complaint form, kept within the form's 4,000 characters (`--format form`); for the other states, the
same text for the state's Attorney General, whose address and complaint route objector's reference does not
verify (the command says so). Same journal facts, same timeline and documents, another wording.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from .. import i18n
from ..clock import today as clock_today
from ..errors import InputError, NoRightError, TamperedError
from ..law import authorities, rights
from ..law.laws import US_STATE_LAWS
from ..letters import letter as letters
from ..reference import new_reference, normalize
from ..text import plural
from .complaint_timeline import EVENT_WORDS, US_EVENT_WORDS, Document, TimelineEntry, documents, reminders_of, timeline
from .events import add_event

if TYPE_CHECKING:
    from ..law.laws import Statute
    from .timeline import Tracking

N_ = letters.N_

LAWS = ("gdpr", "uk-gdpr")  # the laws whose glossaries cite the articles a complaint rests on
FORMATS = ("pdf", "html", "txt", "form")  # form: the text for an authority's online form, within its limit
US_FORMATS = ("form", "txt")  # a US complaint is text for an online form (no verified postal address to write to)
COMPLAINABLE = frozenset({"refused", "partial", "other"})  # final replies that leave something to complain of
NOTIFY_KINDS = ("erasure", "rectification", "restriction", "withdraw-consent")  # the requests Art. 19 makes notifiable
S164A_IN_FORCE = date(2026, 6, 19)  # DPA 2018 s.164A, inserted by DUAA 2025 s.103 (controllers.md: several sources)

SUBJECT = N_("Complaint against {controller} concerning my request under {art} of {date}, reference {reference}")
# An objection (Art. 21) and a withdrawal of consent (Art. 7(3)) are not requests: the subject names them as the law does.
SUBJECTS = {
    "objection": N_("Complaint against {controller} concerning my objection under {art} of {date}, reference {reference}"),
    "withdraw-consent": N_("Complaint against {controller} concerning my withdrawal of consent under {art} of {date}, "
                           "reference {reference}"),
}
RULES = {"gdpr": N_("Regulation (EEC, Euratom) No 1182/71"), "uk-gdpr": N_("the Information Commissioner’s guidance")}


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

    def warnings(self) -> list[str]:
        """What the person must know before sending it."""
        if self.statute is not None:
            return self._us_warnings()
        a = self.authority
        notes = []
        if not a.address:
            notes.append(f"objector knows no postal address for {a.name_en}: use its complaint route"
                         + (f" ({a.web})" if a.web else "") + "; the letter says the address is unknown")
        elif not a.verified:
            notes.append(f"the postal address of {a.name_en} is NOT verified (secondary sources only): check it "
                         "before posting; the letter says so")
        if a.competence:
            notes.append(f"{a.name_en}: {a.competence}")
        if a.languages and self.lang not in a.languages:
            rule = a.languages_rule or f"it is listed as working in {', '.join(a.languages)}"
            if not a.is_verified("languages"):
                rule += " (UNVERIFIED)"
            notes.append(f"the complaint is in {i18n.language_name(self.lang)}, but {a.name_en}: {rule}")
        notes += [f"{a.name_en}: {note}" for note in a.notes]
        if self.request.law.id == "uk-gdpr" and not any(r.on >= S164A_IN_FORCE for r in self.reminders):
            notes.append("since 19 June 2026 a controller must handle complaints itself (s.164A DPA 2018, inserted by "
                         "the Data (Use and Access) Act 2025) and the ICO usually considers a complaint only after that: "
                         f"send the reminder first (`objector followup {self.request_reference}`)")
        return notes

    def _us_warnings(self) -> list[str]:
        statute, a = self.statute, self.authority
        assert statute is not None
        notes = []
        if not a.sources:  # a state's Attorney General: authorities.md has no record of it
            notes.append(f"objector's reference verifies no address or complaint route for {a.name_en}: find the "
                         "complaint form on its official website and paste the text there (or print it and post it "
                         "to the address that website gives)")
        elif not a.verified and not a.web:
            notes.append(f"objector knows no verified address or complaint route for {a.name_en}")
        if not statute.verified:
            notes.append(f"objector's reference gives no source for the sections or periods of {self.request.law.title}: "
                         "the text cites none; check the statute before you send it")
        appealed = any(e.what == "appeal" for e in self.timeline)
        if statute.appeals and self.tracking.outcome in ("refused", "partial") and not appealed:
            notes.append(f"{statute.state}'s law lets you appeal the refusal to the business first, and the Attorney "
                         f"General expects that: `objector followup {self.request_reference}` writes the appeal")
        return notes


def state_attorney_general(law) -> authorities.Authority:
    """A US state's Attorney General as far as objector knows it: the name laws.py gives, nothing else.

    authorities.md records no address, e-mail or complaint route for these offices, so none is made up: the
    record has no sources, is unverified, and the command says where to look."""
    statute = law.statute
    name = statute.authority.removeprefix("the ").split(" (", 1)[0]  # "Attorney General of Texas"
    region = next(code for code, state_law in US_STATE_LAWS.items() if state_law.id == law.id)
    return authorities.Authority(
        id=f"us-{region.lower()}-ag", country="US", region=region, name=name, name_en=name, address=(),
        verified=False, email="", web="", route="", languages=("en",), languages_rule="",
        unverified=("address", "web", "route"), competence="", notes=(), sources=(),
    )


# --------------------------------------------------------------------------- from the journal


def prepare(reference: str, *, authority: str | None = None, lang: str | None = None, on: date | None = None,
            signature: bytes | None = None) -> Complaint:
    """The complaint about one request, from the journal; refused if there is nothing to complain of yet."""
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
    country, region = first.profile.address.country, first.profile.address.region
    residence = _residence(first.law.id, country, region) if first.law.statute is None else None
    lead = authorities.for_establishment(first.controller.establishment) if first.law.id == "gdpr" else None
    if authority:
        chosen = authorities.get(authority)
    elif first.law.statute is not None:
        chosen = state_attorney_general(first.law)
    elif residence is not None:
        chosen = residence
    elif country == "DE" and not region:
        # Germany's authorities are per Land, and the letter's profile (kept with the request) named none.
        raise InputError("the letter's profile names no German Land (address.region), and each Land has its own "
                         "authority: choose yours with --authority, e.g. de-be for Berlin (`objector authorities list`)")
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
    cite = lambda ref: letters.citation(glossary.cite(first.law.id, ref))  # noqa: E731
    profile, a = first.profile, c.authority
    date_long = long(c.on)
    subject = SUBJECTS.get(first.kind, SUBJECT)
    article = letters.SUBJECT_ARTICLES[(first.kind, first.purpose if first.kind == "objection" else None)]
    recipient = [a.name, *a.address]
    if a.address and a.country != profile.address.country:
        recipient.append(i18n.country_name(a.country, lang).upper())
    controller = first.controller
    deadline = t.deadline
    month_end = None
    if deadline is not None:
        from ..law.deadlines import add_months

        month_end = add_months(deadline.start, 3 if deadline.extended else 1)
    reply = next((e for e in reversed(c.timeline) if e.what.startswith("reply-") and e.what != "reply-extended"
                  and e.what != "reply-needs-id"), None)
    paused = [e for e in c.timeline if e.what == "reply-needs-id"]
    supplied = [e for e in c.timeline if e.what == "supplied"]
    return {
        "lang": lang,
        "law_id": first.law.id,
        "reference": c.reference,
        "request_reference": c.request_reference,
        "subject": gettext(subject).format(controller=controller.name, art=glossary.cite(first.law.id, article),
                                           date=long(first.on), reference=c.request_reference),
        # The heading keeps the article and the reference each on one line (never "OBJ-2026-" / "QY620D").
        "subject_line": Markup(escape(gettext(subject))).format(
            controller=controller.name, art=cite(article), date=long(first.on),
            reference=letters.citation(c.request_reference)),
        "date_long": date_long,
        "place_date": gettext(letters.PLACE_DATE).format(place=profile.address.city, date=date_long),
        "continuation": gettext(letters.CONTINUATION).format(reference=c.reference),
        "sender": letters.sender_context(profile, lang, a.country),
        "law_name": letters.law_name(first.law.id, lang),
        "recipient": {"lines": recipient},
        "authority": a,
        "address_known": bool(a.address),
        "address_verified": a.verified,
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
        "written": long(first.on),
        "sent": long(t.sent),
        "received": long(t.received),
        "post_days": (t.received - t.sent).days if t.receipt_assumed and t.received and t.sent else 0,
        "receipt_assumed": t.receipt_assumed,
        "clock_start": long(deadline.start) if deadline else "",
        "restarted": bool(paused and supplied),
        "asked": long(paused[-1].on) if paused else "",
        "supplied": long(supplied[-1].on) if supplied else "",
        "extended": t.extended,
        "month_end": long(month_end) if month_end else "",
        "rolled": bool(deadline and month_end and month_end != deadline.due),
        "due": long(t.due) if t.due else "",
        "pending": bool(t.due and t.due >= c.on),  # refused before the time limit ended: it has not ended yet
        "counting_rule": gettext(RULES[first.law.id]),
        "state": t.state,
        "outcome": t.outcome,
        "reply_on": long(reply.on) if reply else "",
        "answered_late": bool(t.answered_late),
        "timeline": [{"on": alone(e.on), "what": gettext(EVENT_WORDS[e.what]), "note": e.note} for e in c.timeline],
        "documents": [{"role": d.role, "name": d.name, "sha256": d.sha256, "on": alone(d.on)} for d in c.documents],
        "uk_controller_complaint": next((long(r.on) for r in reversed(c.reminders) if r.on >= S164A_IN_FORCE), ""),
        "journal_head": {"seq": c.journal_head[0], "hash": c.journal_head[1]},
        "signature_url": letters.signature_url(c.signature),
        "cite": cite,
    }


# The shortening steps of the form text, in order, until it fits the form (the CPPA's description: 4,000
# characters): the documents' SHA-256 (the journal keeps them), the journal's chain head, long reply notes.
US_SHORTENING: tuple[dict[str, Any], ...] = ({}, {"hashes": False}, {"hashes": False, "head": False},
                 {"hashes": False, "head": False, "note_limit": 200})


def us_text(c: Complaint, fmt: str) -> str:
    """The complaint under a US state law as plain text; `form` keeps it within the authority's form limit."""
    from ..letters.plaintext import html_to_text

    limit = c.authority.form_limit if fmt == "form" else None
    template = letters.environment("en").get_template("letters/us/complaint.html.j2")
    for step in US_SHORTENING:
        text = html_to_text(template.render(us_context(c, **step)))
        if limit is None or len(text) <= limit:
            return text
    raise InputError(f"--format form: even shortened, the complaint has {len(text)} characters and the form of "
                     f"{c.authority.name_en} takes {limit}; --format txt writes it in full, to summarise by hand")


def us_context(c: Complaint, *, hashes: bool = True, head: bool = True, note_limit: int | None = None) -> dict:
    """What templates/letters/us/complaint.html.j2 needs (English, the statute's own terms)."""
    first, t, statute = c.request, c.tracking, c.statute
    assert statute is not None
    long = lambda day: i18n.format_date(day, "en")  # noqa: E731
    party = "business" if first.law.id == "ccpa" else "controller"
    note = lambda text: text if note_limit is None or len(text) <= note_limit else text[:note_limit - 1] + "…"  # noqa: E731
    reply = next((e for e in reversed(c.timeline) if e.what in ("reply-refused", "reply-partial", "reply-other",
                                                                  "reply-complied")), None)
    appeals = [e for e in c.timeline if e.what == "appeal"]
    controller = first.controller
    return {
        "law_id": first.law.id,
        "statute": statute,
        "section": letters.citation,
        "party": party,
        "reference": c.reference,
        "request_reference": c.request_reference,
        "authority": c.authority,
        "person": first.profile,
        "controller": controller,
        "controller_address": ", ".join(controller.address),
        "request_subject": letters.us_request_subject(first.law, first.kind),
        "kind": first.kind,
        "right": statute.rights.get(first.kind, ""),
        "written": long(first.on),
        "sent": long(t.sent) if t.sent else "",
        "received": long(t.received) if t.received else "",
        "receipt_assumed": t.receipt_assumed,
        "extended": t.extended,
        "due": long(t.due) if t.due else "",
        "pending": bool(t.due and t.due >= c.on),
        "state": t.state,
        "outcome": t.outcome,
        "reply_on": long(reply.on) if reply else "",
        "reply_note": note(reply.note) if reply else "",
        "answered_late": bool(t.answered_late),
        "appealed": long(appeals[-1].on) if appeals else "",
        "timeline": [{"on": long(e.on), "what": US_EVENT_WORDS[e.what].format(party=party), "note": note(e.note)}
                     for e in c.timeline],
        "documents": [{"role": d.role, "name": d.name, "sha256": d.sha256, "on": long(d.on)} for d in c.documents],
        "hashes": hashes,
        "journal_head": {"seq": c.journal_head[0], "hash": c.journal_head[1]} if head else None,
    }


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
