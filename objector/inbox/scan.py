"""One pass over the sources: every message read once, in order, and sorted into proposals (a matched reply with
its event, date and evidence), messages already recorded, ambiguous ones, unmatched ones and skipped ones.

Nothing is recorded here. Every source is read to its end before anything is proposed, so a source that fails
(a damaged mbox, a refused login, an untrusted certificate) stops the run with nothing recorded. Only the
matched messages are kept whole in memory; the others are kept as a line each (sender, date, subject).

"Seen" is read from the journal itself: an event recorded from a message keeps the message's Message-ID and
the hash of its raw text in its data (``mail``), and an event whose evidence is the very same file counts too;
within a run, a message read twice (from two sources) is proposed once.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..text import BIDI_CONTROLS
from . import outcomes
from .matching import Match, Matcher
from .message import Mail, attachments, read_mail
from .raw import Source
from .sources import describe_size, open_source

if TYPE_CHECKING:
    from ..journal import Event, Journal, Request

Progress = Callable[[str, Any, Any], None]  # ("start", label, (total, unit)) | ("advance", amount, None) | ("done", ...)


@dataclass(frozen=True)
class EvidenceFile:
    name: str
    data: bytes = field(repr=False)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "sha256": self.sha256, "size": len(self.data)}


@dataclass
class Proposal:
    """A matched message and the event it would become."""

    mail: Mail
    request: Request
    match: Match
    guess: outcomes.Guess
    evidence: tuple[EvidenceFile, ...]
    problem: str = ""  # why the request's timeline refuses it as it stands ("" if it fits)

    @property
    def reference(self) -> str:
        return self.request.reference

    @property
    def on(self) -> date:
        assert self.mail.day is not None
        return self.mail.day

    def data(self) -> dict[str, Any]:
        """The event's details: the outcome and a note for a reply, and what identifies the message."""
        mail = {"message_id": self.mail.message_id or None, "sha256": self.mail.digest, "from": self.mail.sender,
                "subject": _one_line(self.mail.subject, 200), "matched": self.match.how}
        if self.guess.event == "confirmed":
            return {"mail": mail}
        subject = _one_line(self.mail.subject, 120) or "(no subject)"
        return {"outcome": self.guess.outcome, "note": f"e-mail from {self.mail.sender or 'an unknown sender'}: {subject}",
                "mail": mail}

    def to_dict(self) -> dict[str, Any]:
        return {"message": self.mail.summary(), "reference": self.reference, "matched": self.match.how,
                "why": list(self.match.why), "event": self.guess.event, "outcome": self.guess.outcome,
                "guess": self.guess.why, "on": self.on.isoformat(), "evidence": [e.to_dict() for e in self.evidence],
                "problem": self.problem or None}


@dataclass
class Scan:
    read: int = 0
    proposals: list[Proposal] = field(default_factory=list)
    seen: list[tuple[Mail, str]] = field(default_factory=list)  # (message, where it is recorded already)
    ambiguous: list[tuple[Mail, Match]] = field(default_factory=list)
    unmatched: list[Mail] = field(default_factory=list)
    skipped: list[tuple[Mail, str]] = field(default_factory=list)  # (message, why it is not recorded)

    def to_dict(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "proposals": [p.to_dict() for p in self.proposals],
            "already_recorded": [m.summary() | {"recorded": where} for m, where in self.seen],
            "ambiguous": [m.summary() | {"references": list(match.references), "why": list(match.why)}
                          for m, match in self.ambiguous],
            "unmatched": [m.summary() for m in self.unmatched],
            "skipped": [m.summary() | {"why": why} for m, why in self.skipped],
        }


class SeenIndex:
    """The messages the journal holds already: by Message-ID, by raw hash, and by evidence hash."""

    def __init__(self, events: Iterable[Event]):
        self.ids: dict[str, str] = {}
        self.hashes: dict[str, str] = {}
        for event in events:
            where = f"{event.reference}, event #{event.seq}"
            mail = event.data.get("mail")
            if isinstance(mail, dict):
                if mail.get("message_id"):
                    self.ids.setdefault(str(mail["message_id"]), where)
                if mail.get("sha256"):
                    self.hashes.setdefault(str(mail["sha256"]), where)
            for evidence in event.evidence:
                self.hashes.setdefault(evidence.sha256, where)

    def find(self, mail: Mail) -> str | None:
        if mail.message_id and mail.message_id in self.ids:
            return self.ids[mail.message_id]
        for digest in (mail.digest, mail.raw_sha256):
            if digest and digest in self.hashes:
                return self.hashes[digest]
        return None

    def add(self, mail: Mail, where: str) -> None:
        if mail.message_id:
            self.ids.setdefault(mail.message_id, where)
        if mail.digest:
            self.hashes.setdefault(mail.digest, where)


def scan(journal: Journal, specs: list[str], *, today: date, since: date | None = None, max_size: int,
         progress: Progress | None = None) -> Scan:
    """Read every source and sort its messages (see the module's docstring)."""
    from ..journal import Event
    from ..tracking.checks import check_event

    progress = progress or (lambda *args: None)
    sources = [open_source(spec, max_size=max_size, since=since) for spec in specs]  # bad names fail first
    matcher = Matcher.from_journal(journal, today)
    seen = SeenIndex(journal.events())
    requests = {r.reference: r for r in journal.requests()}
    result = Scan()
    for source in sources:
        _read(source, result, matcher, seen, requests, since, max_size, progress)
    result.proposals.sort(key=lambda p: (p.on, p.mail.sent_at.timestamp() if p.mail.sent_at else 0))
    timelines: dict[str, list[Event]] = {}
    for proposal in result.proposals:  # as they would be recorded, in date order: each checked after the ones before
        events = timelines.setdefault(proposal.reference, journal.events(proposal.reference, timeline_only=True))
        try:
            on, data = check_event(proposal.request, events, proposal.guess.event, proposal.on, proposal.data(), today)
        except InputError as exc:
            proposal.problem = exc.message
            continue
        events.append(Event(0, proposal.reference, proposal.guess.event, on, "", data))
    return result


def _read(source: Source, result: Scan, matcher: Matcher, seen: SeenIndex, requests: dict[str, Request],
          since: date | None, max_size: int, progress: Progress) -> None:
    try:
        source.open()
        progress("start", source.label, (source.total, source.unit))
        for raw in source:
            progress("advance", raw.advance, None)
            light = raw.raw is not None and not matcher.needs_text(raw.raw)
            mail = read_mail(raw.origin, raw.raw, headers=raw.headers, size=raw.size, text=not light)
            if since is not None and mail.day is not None and mail.day < since:
                continue
            result.read += 1
            _sort(mail, result, matcher, seen, requests, max_size)
    finally:
        progress("done", source.label, None)
        source.close()


def _sort(mail: Mail, result: Scan, matcher: Matcher, seen: SeenIndex, requests: dict[str, Request],
          max_size: int) -> None:
    match = matcher.match(mail)
    if match.references and not mail.text_read and mail.raw is not None:  # matched by its headers: read it all
        mail = read_mail(mail.origin, mail.raw, size=mail.size)
        match = matcher.match(mail)
    where = seen.find(mail) if match.how != "own" else None  # a letter objector wrote is its own evidence
    if where is not None:
        result.seen.append((_light(mail), where))
        return
    if mail.raw is None:  # over the size limit: listed with what its headers say
        about = f"; it answers {match.reference} ({match.why[0]})" if match.reference else ""
        result.skipped.append((_light(mail), f"it is {describe_size(mail.size)}, over --max-size "
                               f"{describe_size(max_size)}{about}; a larger --max-size reads it"))
        return
    if match.how == "own":
        result.skipped.append((_light(mail), match.why[0]))
        return
    if match.reference is None:
        if match.references:
            result.ambiguous.append((_light(mail), match))
        else:
            result.unmatched.append(_light(mail))
        return
    if mail.day is None:
        result.skipped.append((_light(mail), f"{mail.date_problem}, so the day of the reply to {match.reference} is "
                               "not known; `objector log reply` records it by hand"))
        return
    request = requests[match.reference]
    guess = outcomes.guess(mail.subject, mail.text, _service(request))
    result.proposals.append(Proposal(mail, request, match, guess, _evidence(mail)))
    seen.add(mail, f"{match.reference}, proposed above")


def _evidence(mail: Mail) -> tuple[EvidenceFile, ...]:
    """The raw message as an .eml, then each attachment under a name that is safe as a file name."""
    assert mail.raw is not None
    day = mail.day.isoformat() if mail.day else "undated"
    files = [EvidenceFile(f"mail-{day}-{mail.raw_sha256[:8]}.eml", mail.raw)]
    taken = {files[0].name.lower()}
    for n, attachment in enumerate(attachments(mail), 1):
        name = safe_name(attachment.name) or f"attachment-{n}"
        stem, dot, suffix = name.rpartition(".")
        candidate, k = name, 1
        while candidate.lower() in taken:
            k += 1
            candidate = f"{stem}-{k}.{suffix}" if dot and stem else f"{name}-{k}"
        taken.add(candidate.lower())
        files.append(EvidenceFile(candidate, attachment.data))
    return tuple(files)


def safe_name(name: str) -> str:
    """An attachment's name as a file name: no folders, control characters, bidi overrides or leading dots."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable() and c not in BIDI_CONTROLS and c not in '<>:"|?*')
    name = " ".join(name.split()).strip(" .")
    if len(name) > 120:
        stem, dot, suffix = name.rpartition(".")
        name = (stem[:110] + dot + suffix[:9]) if dot and len(suffix) <= 9 else name[:120]
    return name


def _one_line(text: str, limit: int) -> str:
    """Header text made fit for the journal: no control characters or bidi overrides, one line, bounded."""
    text = "".join(c if c.isprintable() and c not in BIDI_CONTROLS else " " for c in text)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _light(mail: Mail) -> Mail:
    """The message as listed: its headers' facts, not its bytes."""
    return dataclasses.replace(mail, raw=None, text="")


def _service(request: Request) -> str:
    from ..errors import ObjectorError
    from ..people import registry

    try:
        return registry.get(request.controller).service
    except ObjectorError:
        record = request.inputs.get("controller_record")
        return str(record.get("service", "")) if isinstance(record, dict) else ""
