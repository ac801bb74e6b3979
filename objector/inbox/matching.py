"""Which request a message answers, and why, most certain first:

1. the request's reference in the subject, then in the text (read as `objector show` reads one: any case,
   O for 0, I or L for 1, spaces or nothing for the dashes);
2. In-Reply-To or References naming the Message-ID of the .eml objector wrote for the request (kept in the
   journal as the letter's evidence), or a Message-ID with the reference in it (as objector makes them);
3. the sender's domain, one of the controller's reply domains in the registry (a subdomain counts), with the
   message dated within the request's time window: from the day it was sent to 30 days after its due date
   (or after a reminder's last time limit, whichever is later).

The first signal that names any request decides; a later one only narrows several down. Several requests
left: the message is listed as ambiguous, never recorded. A letter objector wrote (X-Objector-Reference, or
its own Message-ID) and a message from the person's own address are not replies.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from email import policy
from email.parser import BytesHeaderParser
from typing import TYPE_CHECKING

from ..reference import normalize
from .message import Mail, header_text

if TYPE_CHECKING:
    from ..journal import Event, Journal, Request

WINDOW_AFTER_DUE = timedelta(days=30)
_SEPARATOR = r"[\s_‐‑–—-]{0,2}"
_SOFT_BREAK = re.compile(rb"=\r?\n")  # quoted-printable's soft line break: may split a reference in the raw text
_BASE64_TEXT = re.compile(  # a text part (or message) in base64, in lower-cased raw bytes: its words are hidden
    rb"(?m)^content-type:[ \t]*text/[^\n]*\n(?:[^\n]+\n)*?content-transfer-encoding:[ \t]*base64"
    rb"|^content-transfer-encoding:[ \t]*base64[^\n]*\n(?:[^\n]+\n)*?content-type:[ \t]*text/")
_RAW_SEPARATOR = rb"(?:[\s_-]|\xe2\x80[\x90\x91\x93\x94]){0,2}"  # the same, as UTF-8 bytes


@dataclass(frozen=True)
class Match:
    references: tuple[str, ...]  # one: matched; several: ambiguous; none: matched nothing
    how: str  # reference | message-id | domain | own (a letter or message of the person's) | ""
    why: tuple[str, ...]

    @property
    def reference(self) -> str | None:
        return self.references[0] if len(self.references) == 1 and self.how != "own" else None


@dataclass(frozen=True)
class Window:
    controller: str  # controller id
    start: date  # the day it was sent
    end: date | None  # None: no due date to count from (waiting for ID, or no rule)


class Matcher:
    """What the journal knows that a reply can be matched against, read once per run."""

    def __init__(self, references: Iterable[str], *, letter_ids: dict[str, str] | None = None,
                 own_addresses: dict[str, str] | None = None, windows: dict[str, Window] | None = None,
                 domains: dict[str, tuple[str, ...]] | None = None, names: dict[str, str] | None = None):
        self.references = frozenset(references)
        prefixes = "|".join(sorted({r.split("-", 1)[0] for r in self.references})) or "(?!)"
        body = rf"({prefixes}){_SEPARATOR}([0-9O]{{4}}){_SEPARATOR}([0-9A-Z]{{6}})"
        self._pattern = re.compile(rf"(?<![A-Za-z0-9]){body}(?![A-Za-z0-9])", re.I)
        raw_prefixes = "|".join(sorted({r.split("-", 1)[0].lower() for r in self.references})) or "(?!)"
        self._raw_pattern = re.compile(rb"(" + raw_prefixes.encode() + rb")" + _RAW_SEPARATOR + rb"([0-9o]{4})"
                                       + _RAW_SEPARATOR + rb"([0-9a-z]{6})")  # searched in lower-cased bytes
        self.letter_ids = letter_ids or {}  # Message-ID of a letter's .eml → its reference
        self.own_addresses = own_addresses or {}  # reference → the person's e-mail address
        self.windows = windows or {}  # reference → when a reply to it is expected
        self.domains = domains or {}  # controller id → its reply domains
        self.names = names or {}  # controller id → its name
        self.by_domain: dict[str, list[tuple[str, Window]]] = {}  # reply domain → the requests it may answer
        for reference, window in self.windows.items():
            for domain in self.domains.get(window.controller, ()):
                self.by_domain.setdefault(domain, []).append((reference, window))

    @classmethod
    def from_journal(cls, journal: Journal, today: date) -> Matcher:
        from ..tracking.timeline import track

        requests = journal.requests()
        events = journal.events_by_reference()
        letter_ids: dict[str, str] = {}
        own: dict[str, str] = {}
        windows: dict[str, Window] = {}
        domains: dict[str, tuple[str, ...]] = {}
        names: dict[str, str] = {}
        for request in requests:
            timeline = events.get(request.reference, [])
            message_id = _letter_message_id(journal, request, timeline)
            if message_id:
                letter_ids[message_id] = request.reference
            profile = request.inputs.get("profile")
            if isinstance(profile, dict) and isinstance(profile.get("email"), str) and profile["email"]:
                own[request.reference] = profile["email"].strip().lower()
            if request.controller not in domains:
                controller = _controller(request)
                domains[request.controller] = tuple(d.domain for d in getattr(controller, "reply_domains", ()))
                names[request.controller] = getattr(controller, "name", request.controller)
            if not domains[request.controller]:
                continue
            standing = track(request, [e for e in timeline if e.type != "note"], today)
            if standing.sent is None or standing.state == "discarded":
                continue
            ends = [d for d in (standing.due, standing.last_limit) if d is not None]
            windows[request.reference] = Window(request.controller, standing.sent,
                                                max(ends) + WINDOW_AFTER_DUE if ends else None)
        return cls((r.reference for r in requests), letter_ids=letter_ids, own_addresses=own, windows=windows,
                   domains=domains, names=names)

    def match(self, mail: Mail) -> Match:
        ours = self.letter_ids.get(mail.message_id) or (normalize(mail.objector_reference)
                                                         if mail.objector_reference else "")
        if ours:
            return Match((ours,), "own", (f"it is the letter objector wrote for {ours}, not a reply",))
        signals: list[tuple[str, dict[str, str]]] = [
            ("reference", {r: f"the reference {r} is in the subject" for r in self.find_references(mail.subject)}),
            ("reference", {r: f"the reference {r} is in the text" for r in self.find_references(mail.text)}),
            ("message-id", self._answered(mail)),
            ("domain", self._by_domain(mail)),
        ]
        candidates: set[str] | None = None
        how = ""
        why: dict[str, list[str]] = {}
        for kind, found in signals:
            if not found:
                continue
            if candidates is None:
                candidates, how = set(found), kind
            elif candidates & set(found):
                candidates &= set(found)
            else:
                continue
            for reference in candidates:
                if reference in found and found[reference] not in why.setdefault(reference, []):
                    why[reference].append(found[reference])
            if len(candidates) == 1:
                break
        if not candidates:
            return Match((), "", ())
        chosen = tuple(sorted(candidates))
        if len(chosen) == 1:
            reference = chosen[0]
            if mail.sender and mail.sender == self.own_addresses.get(reference):
                return Match(chosen, "own", (f"it comes from your own address {mail.sender}, not from the controller",))
            return Match(chosen, how, tuple(why[reference]))
        return Match(chosen, how, (f"it could answer any of {', '.join(chosen)}",))

    def _answered(self, mail: Mail) -> dict[str, str]:
        """The requests whose e-mail the message answers: the Message-ID of a letter's .eml, or one that names the
        reference (objector writes it into the Message-ID of every .eml, so a reminder's counts too)."""
        found: dict[str, str] = {}
        for message_id in mail.replies_to:
            if message_id in self.letter_ids:
                reference = self.letter_ids[message_id]
                found[reference] = f"it answers the e-mail objector wrote for {reference} (In-Reply-To/References: " \
                                   f"{message_id})"
            else:
                for reference in self.find_references(message_id):
                    found.setdefault(reference, f"it answers an e-mail whose Message-ID names {reference} "
                                                f"(In-Reply-To/References: {message_id}), as objector's e-mails do")
        return found

    def find_references(self, text: str) -> list[str]:
        """The journal's references named in ``text``, in the order they first appear."""
        found: dict[str, None] = {}
        if not text:
            return []
        for prefix, year, code in self._pattern.findall(text):
            reference = normalize(f"{prefix}-{year.upper().replace('O', '0')}-{code}")
            if reference in self.references:
                found[reference] = None
        return list(found)

    def needs_text(self, raw: bytes) -> bool:
        """Whether a message's text could name a reference: found in its raw bytes (quoted-printable soft breaks
        taken out), or not to be known without decoding (a text part in base64). Most mail is neither: its
        headers alone are read, and the rest only when they match it to a request."""
        low = raw.lower()  # one pass in C; the patterns then search with no case folding (five times faster)
        if b"base64" in low and _BASE64_TEXT.search(low):
            return True
        if b"=\n" in low or b"=\r\n" in low:
            low = _SOFT_BREAK.sub(b"", low)
        for prefix, year, code in self._raw_pattern.findall(low):
            text = f"{prefix.decode()}-{year.decode().replace('o', '0')}-{code.decode()}".upper()
            if normalize(text) in self.references:
                return True
        return False

    def _domain_of(self, domain: str) -> str | None:
        """The reply domain ``domain`` is, or is a subdomain of."""
        while domain:
            if domain in self.by_domain:
                return domain
            domain = domain.partition(".")[2]
        return None

    def _by_domain(self, mail: Mail) -> dict[str, str]:
        day, domain = mail.day, mail.domain
        owned = self._domain_of(domain) if day is not None else None
        if owned is None or day is None:
            return {}
        found = {}
        for reference, window in self.by_domain[owned]:
            if day < window.start or (window.end is not None and day > window.end):
                continue
            until = f"to {window.end.isoformat()}" if window.end else "on (no due date yet)"
            found[reference] = (f"it comes from {domain}, a reply domain of {self.names.get(window.controller)} "
                                f"(registry), and is dated {day.isoformat()}, within the request's time window "
                                f"(sent {window.start.isoformat()}, {until})")
        return found


def _letter_message_id(journal: Journal, request: Request, timeline: list[Event]) -> str:
    """The Message-ID of the .eml objector wrote for the request, read from the letter kept as evidence."""
    if not request.document.lower().endswith(".eml"):
        return ""
    drafted = next((e for e in timeline if e.type == "drafted"), None)
    for evidence in drafted.evidence if drafted else ():
        try:
            with open(journal.evidence_path(evidence.sha256), "rb") as handle:
                headers = BytesHeaderParser(policy=policy.compat32).parsebytes(handle.read(64 * 1024))
        except OSError:
            continue
        found = re.findall(r"<[^<>\s]+>", header_text(headers.get("Message-ID")))
        if found:
            return found[0]
    return ""


def _controller(request: Request) -> object | None:
    """The registry's record of the request's controller, or the record the journal kept (--controller-file)."""
    from ..errors import ObjectorError
    from ..people import registry

    try:
        return registry.get(request.controller)
    except ObjectorError:
        pass
    record = request.inputs.get("controller_record")
    if isinstance(record, dict):
        try:
            return registry.from_record(record, f"the journal's record of {request.controller}")
        except ObjectorError:
            return None
    return None
