"""A letter request: who writes to whom, under which law, in which language, with which options; built from the
profile and the registry (prepare) or from the inputs the journal kept (from_inputs), so the same inputs give
the same letter. Also the signature image a PDF may carry.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .. import i18n
from ..clock import today
from ..errors import InputError, NoRightError, NotFoundError
from ..law import laws, rights
from ..people import registry
from ..people.profile import Profile
from ..reference import new_reference

AGENT_KINDS = ("access", "erasure", "rectification")  # the requests 11 CCR §7063 lets an authorized agent make


SIGNATURE_LIMIT = 2_000_000
# The longest --reason a letter takes (text.LONG_TEXT_MAX, and LONG_TEXT_LINES lines): the reason is the one field
# of a letter with no natural size (argv alone allows 128 KiB).


# 5 February 2026 (Stephenson Harwood; ashfords.co.uk says made 5-6 Feb) - exact date UNVERIFIED
IMAGE_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


@dataclass(frozen=True)
class FollowupFacts:
    """What a reminder says about the request it follows up (from the journal)."""

    kind: str  # the first letter's kind
    purpose: str | None
    written: date  # the first letter's date
    sent: date
    received: date
    receipt_assumed: bool
    due: date
    extended: bool
    outcome: str | None = None  # an appeal (US state laws): the reply it is against, refused or partial
    replied: date | None = None  # ... and that reply's date
    reply_note: str = ""  # ... and the person's note about it
    reminder_received: date | None = None  # a reminder: the day it is taken to arrive, sent as the request was

    def to_dict(self) -> dict:
        return {k: v.isoformat() if isinstance(v, date) else v for k, v in self.__dict__.items()}

    @classmethod
    def from_dict(cls, data: dict) -> FollowupFacts:
        dates = {"written", "sent", "received", "due", "replied", "reminder_received"}
        return cls(**{k: date.fromisoformat(v) if k in dates and v else v for k, v in data.items()})  # type: ignore[arg-type]


@dataclass(frozen=True)
class Agent:
    """An authorized agent who submits a Californian's request (11 CCR §7063)."""

    name: str
    email: str = ""

    def to_dict(self) -> dict:
        return {"name": self.name, "email": self.email}


@dataclass(frozen=True)
class LetterRequest:
    kind: str
    controller: registry.Controller
    law: laws.Law
    lang: str
    profile: Profile
    on: date
    reference: str
    purpose: str | None = None
    reason: str | None = None
    options: rights.Options = rights.Options()  # the kind's own choices: grounds, corrections, consents...
    signature: bytes | None = field(default=None, repr=False)
    batch_key: str | None = None  # the batch row this letter was written from
    followup: FollowupFacts | None = None  # a reminder: the request it follows up
    agent: Agent | None = None  # CCPA: the authorized agent submitting it
    details: tuple[tuple[str, str], ...] = ()  # (label, value): more that identifies the person (--detail)
    journal_head: tuple[int, str] | None = None  # the journal's chain head when it was written (seq, hash)

    def inputs(self) -> dict:
        """Everything that shapes the letter, as JSON-able data (the journal keeps it)."""
        extra: dict = {"batch_key": self.batch_key} if self.batch_key else {}
        if self.followup:
            extra["followup"] = self.followup.to_dict()
        if not self.controller.builtin:  # from a --controller-file: kept, so the letter can be written again
            extra["controller_record"] = self.controller.to_record()
        if self.agent:
            extra["agent"] = self.agent.to_dict()
        if self.details:  # kept out when there are none, so older entries read the same
            extra["details"] = [list(detail) for detail in self.details]
        if self.options.to_dict():  # kept out for kinds without options, so older entries read the same
            extra["options"] = self.options.to_dict()
        if self.journal_head:
            extra["journal_head"] = {"seq": self.journal_head[0], "hash": self.journal_head[1]}
        return extra | {
            "kind": self.kind,
            "controller": self.controller.id,
            "law": self.law.id,
            "lang": self.lang,
            "date": self.on.isoformat(),
            "reference": self.reference,
            "purpose": self.purpose,
            "reason": self.reason,
            "profile": self.profile.to_dict(),
            "signature_sha256": hashlib.sha256(self.signature).hexdigest() if self.signature else None,
        }

    @property
    def file_stem(self) -> str:
        return f"{self.reference}-{self.kind}-{self.controller.service}"


def check_reference(kind: str, reference: str) -> str:
    """A reference given for a new letter (--reference): objector's form, with the prefix of the letter's kind."""
    from ..reference import PATTERN, PREFIXES, normalize

    reference = normalize(reference)
    if not PATTERN.fullmatch(reference):
        raise InputError(f"--reference: {reference!r} is not a reference in objector's form, e.g. "
                         f"{PREFIXES.get(kind, 'OBJ')}-2026-7K3F9Q")
    if kind in PREFIXES and reference[:3] != PREFIXES[kind]:
        raise InputError(f"--reference: {reference} is not a reference for {kind} letters (those start with "
                         f"{PREFIXES[kind]}-)")
    return reference


def prepare(
    kind: str,
    controller_name: str,
    profile: Profile,
    *,
    lang: str | None = None,
    law: str | None = None,
    purpose: str | None = None,
    reason: str | None = None,
    on: date | None = None,
    signature: bytes | None = None,
    reference: str | None = None,
    batch_key: str | None = None,
    extra_controllers: tuple[registry.Controller, ...] = (),
    agent_name: str | None = None,
    agent_email: str | None = None,
    options: dict | None = None,
    details: tuple[str, ...] = (),
) -> LetterRequest:
    """Check every choice against the registry and the law, and fix the letter's reference and date.

    `extra_controllers` (from a --controller-file) are looked up before the built-in ones; `options` holds the
    kind's own choices as rights.check takes them (grounds, corrections, ...)."""
    if kind not in laws.ALL_KINDS:
        raise NotFoundError(f"unknown letter kind {kind!r}; objector writes: {', '.join(laws.ALL_KINDS)}")
    country, region = profile.address.country, profile.address.region
    controller = registry.resolve(controller_name, country, extra=extra_controllers)
    if law is None:
        chosen = laws.law_for(country, region)
    elif law in laws.ALL:
        chosen = laws.ALL[law]
    else:
        raise InputError(f"--law: unknown law {law!r}; known: {', '.join(laws.ALL)}")
    chosen = laws.require_letter(chosen, kind, country, region)
    _check_residence(chosen, country, region)
    lang = _language(chosen, lang, profile.language)
    agent = _agent(chosen, kind, agent_name, agent_email)
    if kind == "objection":
        purpose = purpose or (controller.processing[0].purpose if controller.processing else "direct-marketing")
        if purpose not in laws.PURPOSES:
            raise InputError(f"--purpose: unknown purpose {purpose!r}; choose {' or '.join(laws.PURPOSES)}")
        # The dataset records no processing; an objection to direct marketing needs no record of it, as it
        # needs no reasons (Art. 21(2)-(3)): it holds in so far as the company does it.
        if controller.processing_for(purpose) is None and not (controller.secondary and purpose == "direct-marketing"):
            known = ", ".join(p.purpose for p in controller.processing) or "none"
            raise InputError(f"--purpose: objector has no record of {controller.name} processing data for {purpose} (recorded: {known})")
        if purpose == "direct-marketing" and reason:
            raise InputError("--reason: an objection to direct marketing needs no reason (Art. 21(2)); leave it out")
    elif purpose:
        raise InputError(f"--purpose: applies to objections, not to {kind} letters")
    if reason and kind not in rights.REASON_KINDS:
        raise InputError(f"--reason: applies to {', '.join(rights.REASON_KINDS[:-1])} and {rights.REASON_KINDS[-1]} letters, "
                         f"not to {kind} letters")
    if reason and chosen.statute is not None:  # a US letter states the right from the statute, without reasons
        raise InputError(f"--reason: letters under {chosen.title} state the right without reasons; leave it out")
    if reason is not None:
        from ..text import check_length, check_text, fold_separators

        reason = check_length("--reason", fold_separators(check_text("--reason", reason)).strip())
        if not reason:
            raise InputError("--reason: the text is empty")
    checked = rights.check(kind, chosen.id, **(options or {}))
    if signature is not None:
        check_signature(signature)
    on = on or today()
    return LetterRequest(
        kind=kind,
        controller=controller,
        law=chosen,
        lang=lang,
        profile=profile,
        on=on,
        reference=reference or new_reference(kind, on.year),
        purpose=purpose,
        reason=reason,
        options=checked,
        signature=signature,
        batch_key=batch_key,
        agent=agent,
        details=tuple(_detail(text) for text in details),
    )


def _detail(text: str) -> tuple[str, str]:
    """'Customer number: 12345' → ("Customer number", "12345"): a row of the letter's table of identifying details."""
    from ..text import check_text

    label, colon, value = check_text("--detail", text).partition(":")
    if not colon or not label.strip() or not value.strip():
        raise InputError(f"--detail: {text!r} is not 'LABEL: VALUE' (e.g. 'Customer number: 12345')")
    if "\n" in text:
        raise InputError("--detail: one line only")
    return label.strip(), value.strip()


def _check_residence(law: laws.Law, country: str, region: str) -> None:
    """A US letter states that the person lives in the law's state: --law cannot choose another state's law."""
    statute = law.statute
    if statute is not None and laws.law_for(country, region) is not law:
        where = f"{country}-{region}" if region else country
        raise NoRightError(f"--law {law.id}: {law.title} protects residents of {statute.state}, and your profile's "
                           f"address is in {where}")


def _language(law: laws.Law, lang: str | None, profile_language: str) -> str:
    """The letter's language: the one asked for or the profile's, within the languages the law's letters exist in."""
    if not law.languages:
        return i18n.check_language(lang or profile_language)
    if lang is None:
        return law.languages[0]  # a US letter is in English whatever the profile's language
    code = i18n.check_language(lang)
    if code not in law.languages:
        raise InputError(f"--lang: letters under {law.title} are written in {', '.join(law.languages)} only")
    return code


def _agent(law: laws.Law, kind: str, name: str | None, email: str | None) -> Agent | None:
    """The authorized agent, checked: the CCPA's requests to know, delete and correct (11 CCR §7063)."""
    from ..people.profile import validate_email, validate_name

    if name is None:
        if email is not None:
            raise InputError("--agent-email: give the agent's name with --agent-name too")
        return None
    if law.id != "ccpa":
        raise NoRightError(f"--agent-name: objector writes authorized-agent letters under the CCPA only "
                           f"(11 CCR §7063), not under {law.title}")
    if kind not in AGENT_KINDS:
        raise NoRightError(f"--agent-name: objector writes authorized-agent letters for requests to know, delete "
                           f"and correct (11 CCR §7063: {', '.join(AGENT_KINDS)}), not for {kind}")
    try:
        return Agent(validate_name(name), validate_email(email) if email is not None else "")
    except InputError as exc:
        raise InputError(f"--agent-{exc.message}") from None


def from_inputs(inputs: dict, *, signature: bytes | None = None) -> LetterRequest:
    """The request a journal entry was written from: the same inputs give the same letter."""
    from ..people.profile import from_dict

    record = inputs.get("controller_record")
    extra = (registry.from_record(record, f"the journal's record of {inputs['reference']}"),) if record else ()
    agent = inputs.get("agent") or {}
    head = inputs.get("journal_head")
    request = prepare(
        inputs["kind"], inputs["controller"], from_dict(inputs["profile"]), lang=inputs["lang"], law=inputs["law"],
        purpose=inputs["purpose"], reason=inputs["reason"], on=date.fromisoformat(inputs["date"]),
        signature=signature, reference=inputs["reference"], batch_key=inputs.get("batch_key"),
        extra_controllers=extra, agent_name=agent.get("name"), agent_email=agent.get("email") or None,
        options=inputs.get("options"), details=tuple(f"{label}: {value}" for label, value in inputs.get("details", ())),
    )
    if head:  # printed on the letter: the same inputs give the same letter
        from dataclasses import replace

        request = replace(request, journal_head=(int(head["seq"]), str(head["hash"])))
    return request


def check_signature(data: bytes) -> None:
    if len(data) > SIGNATURE_LIMIT:
        raise InputError(f"--signature: the image is larger than {SIGNATURE_LIMIT // 1_000_000} MB")
    if not any(data.startswith(magic) for magic in IMAGE_TYPES):
        raise InputError("--signature: not a PNG or JPEG image")


def read_signature(path: Path) -> bytes:
    from ..paths import read_user_file

    data = read_user_file(path, "--signature", limit=SIGNATURE_LIMIT)  # never read beyond the limit
    check_signature(data)
    return data
