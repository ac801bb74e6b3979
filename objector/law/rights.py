"""What a letter for one right needs besides the person and the controller: the options of each kind.

Erasure and restriction rest on grounds the person picks from the law's list (GDPR Art. 17(1) and 18(1));
rectification on the corrections the person gives; withdrawal of consent on what the consent covered;
portability optionally on the controller the data are to go to. Every option is checked here, once, for
every command that writes letters (`letter`, `batch`, and `followup` through the journal's inputs), and
for every law: a law that gives the same right without grounds (a US deletion request) refuses
`--ground` with the same machinery.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import InputError

# Which option belongs to which letter kind, with the option's name as the person types it.
OPTION_KINDS = {
    "grounds": ("--ground", {"erasure", "restriction"}),
    "made_public": ("--made-public", {"erasure"}),
    "corrections": ("--correction", {"rectification"}),
    "completions": ("--completion", {"rectification"}),
    "consents": ("--consent", {"withdraw-consent"}),
    "transmit_to": ("--transmit-to", {"portability"}),
}
REASON_KINDS = ("objection", "erasure", "restriction")  # letters with room for the person's own words

# The grounds of GDPR Art. 17(1) and 18(1) (the same in the UK GDPR), by point, with a name to type.
GDPR_GROUNDS = {
    "erasure": {
        "a": "no-longer-needed",
        "b": "consent-withdrawn",
        "c": "objected",
        "d": "unlawful",
        "e": "legal-obligation",
        "f": "child",
    },
    "restriction": {
        "a": "accuracy-contested",
        "b": "unlawful-keep",
        "c": "legal-claims",
        "d": "objection-pending",
    },
}
GROUND_ARTICLES = {"erasure": "17(1)", "restriction": "18(1)"}
GROUNDS = {"gdpr": GDPR_GROUNDS, "uk-gdpr": GDPR_GROUNDS}  # law id → kind → point → name

TEXT_LIMIT = 1000  # characters of one correction, consent or recipient: a letter, not an essay
ITEM_LIMIT = 20  # corrections, completions or consents in one letter


@dataclass(frozen=True)
class Correction:
    field: str  # what the controller holds, as the person names it ("Date of birth")
    value: str  # what it should say

    def __str__(self) -> str:
        return f"{self.field}: {self.value}"


@dataclass(frozen=True)
class Options:
    """A letter kind's own choices, checked (see `check`)."""

    grounds: tuple[str, ...] = ()  # points of the law's list, e.g. ("a", "d"), in the law's order
    made_public: bool = False
    corrections: tuple[Correction, ...] = ()
    completions: tuple[Correction, ...] = ()
    consents: tuple[str, ...] = ()
    transmit_to: str | None = None

    def to_dict(self) -> dict:
        """The options that are set, as JSON-able data for the journal (empty for kinds without options)."""
        data = {
            "grounds": list(self.grounds),
            "made_public": self.made_public,
            "corrections": [str(c) for c in self.corrections],
            "completions": [str(c) for c in self.completions],
            "consents": list(self.consents),
            "transmit_to": self.transmit_to,
        }
        return {name: value for name, value in data.items() if value}


def check(kind: str, law_id: str, *, grounds=(), made_public: bool = False, corrections=(), completions=(),
          consents=(), transmit_to: str | None = None) -> Options:
    """The options of a `kind` letter under a law, validated; an InputError names the option and the fix."""
    given = {"grounds": grounds, "made_public": made_public, "corrections": corrections,
             "completions": completions, "consents": consents, "transmit_to": transmit_to}
    for name, value in given.items():
        option, kinds = OPTION_KINDS[name]
        if value and kind not in kinds:
            raise InputError(f"{option}: applies to {' and '.join(sorted(kinds))} letters, not to {kind} letters")
    options = Options(
        grounds=_grounds(kind, law_id, grounds),
        made_public=bool(made_public),
        corrections=tuple(_correction(text, "--correction") for text in _items(corrections, "--correction")),
        completions=tuple(_correction(text, "--completion") for text in _items(completions, "--completion")),
        consents=tuple(_text(text, "--consent") for text in _items(consents, "--consent")),
        transmit_to=_text(transmit_to, "--transmit-to") if transmit_to is not None else None,
    )
    if kind == "rectification" and not (options.corrections or options.completions):
        raise InputError('--correction: say what is wrong and what is right, e.g. --correction "Date of birth: 4 May 1990" '
                         '(or --completion for data that are incomplete)')
    if kind == "withdraw-consent" and not options.consents:
        raise InputError('--consent: name what your consent covered, e.g. --consent "personalised advertising based on '
                         'my activity" (repeat for several)')
    return options


def ground_choices(kind: str, law_id: str) -> dict[str, str]:
    """point → name of the grounds a law lists for `kind` ({} where the law asks for none)."""
    return GROUNDS.get(law_id, {}).get(kind, {})


def _grounds(kind: str, law_id: str, given) -> tuple[str, ...]:
    choices = ground_choices(kind, law_id)
    if kind not in OPTION_KINDS["grounds"][1]:
        return ()
    if not choices:
        if given:
            raise InputError(f"--ground: {kind} under this law needs no grounds; leave --ground out")
        return ()
    listing = ", ".join(f"{point} ({name})" for point, name in choices.items())
    article = GROUND_ARTICLES[kind]
    if not given:
        raise InputError(f"--ground: name at least one ground of Art. {article} for {kind}: {listing}")
    by_name = {name: point for point, name in choices.items()}
    picked = set()
    for word in given:
        word = word.strip().lower().removeprefix("(").removesuffix(")")
        point = word if word in choices else by_name.get(word)
        if point is None:
            raise InputError(f"--ground: {word!r} is not a ground of Art. {article}; choose from {listing}")
        picked.add(point)
    return tuple(point for point in choices if point in picked)


def _items(values, option: str) -> list:
    values = [v for v in values if v is not None]
    if len(values) > ITEM_LIMIT:
        raise InputError(f"{option}: at most {ITEM_LIMIT} in one letter; write a second letter for the rest")
    return values


def _text(value: str, option: str) -> str:
    from ..text import check_text

    text = " ".join(check_text(option, str(value)).split())  # one line: the letter sets the layout
    if not text:
        raise InputError(f"{option}: the text is empty")
    if len(text) > TEXT_LIMIT:
        raise InputError(f"{option}: {len(text)} characters; keep each to {TEXT_LIMIT}")
    return text


def _correction(value: str, option: str) -> Correction:
    field, sep, right = _text(value, option).partition(":")
    if not sep or not field.strip() or not right.strip():
        raise InputError(f'{option}: {value!r} is not "FIELD: correct value", e.g. "Date of birth: 4 May 1990"')
    return Correction(field.strip(), right.strip())
