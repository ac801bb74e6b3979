"""The complaint under a US state law: text for the authority's online form, in English, with US dates.

For a CCPA request, the text for the California Privacy Protection Agency's online complaint form, kept within
the form's 4,000 characters (`--format form`); for the other states, the same text for the state's Attorney
General, whose address and complaint route objector's reference does not verify (the command says so). Built from
the same journal facts as the complaint to a data-protection authority (objector.tracking.complaint).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..law import authorities
from ..law.laws import US_STATE_LAWS
from ..letters import letter as letters
from .complaint_timeline import US_EVENT_WORDS

if TYPE_CHECKING:
    from .complaint import Complaint


def warnings(c: Complaint) -> list[str]:
    """What the person must know before pasting a US complaint into the authority's form."""
    statute, a = c.statute, c.authority
    assert statute is not None
    notes = []
    if not a.sources:  # a state's Attorney General: authorities.md has no record of it
        notes.append(f"objector's reference verifies no address or complaint route for {a.name_en}: find the "
                     "complaint form on its official website and paste the text there (or print it and post it "
                     "to the address that website gives)")
    elif not a.verified and not a.web:
        notes.append(f"objector knows no verified address or complaint route for {a.name_en}")
    if not statute.verified:
        notes.append(f"objector's reference gives no source for the sections or periods of {c.request.law.title}: "
                     "the text cites none; check the statute before you send it")
    appealed = any(e.what == "appeal" for e in c.timeline)
    if statute.appeals and c.tracking.outcome in ("refused", "partial") and not appealed:
        notes.append(f"{statute.state}'s law lets you appeal the refusal to the business first, and the Attorney "
                     f"General expects that: `objector followup {c.request_reference}` writes the appeal")
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
    """What templates/letters/us/complaint.html.j2 needs (English, the statute's own terms, US dates)."""
    first, t, statute = c.request, c.tracking, c.statute
    assert statute is not None
    long = lambda day: letters.us_date(day, one_line=False)  # noqa: E731  (text for a web form)
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
        "person": c.sender,
        "controller": controller,
        "controller_address": ", ".join(controller.address),
        "request_subject": letters.us_request_subject(first.law, first.kind),
        "kind": first.kind,
        "right": statute.rights.get(first.kind, ""),
        "written": long(c.made_on),
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
        "missing": note(c.missing),
        "answered_late": bool(t.answered_late),
        "appealed": long(appeals[-1].on) if appeals else "",
        "timeline": [{"on": long(e.on), "what": US_EVENT_WORDS[e.what].format(party=party), "note": note(e.note)}
                     for e in c.timeline],
        "documents": [{"role": d.role, "name": d.name, "sha256": d.sha256, "on": long(d.on)} for d in c.documents],
        "hashes": hashes,
        "journal_head": {"seq": c.journal_head[0], "hash": c.journal_head[1]} if head else None,
    }
