"""What a reply says, guessed from its wording: a confirmation of receipt, a request for ID, an extension, or an
answer (complied, refused, partly) — a guess the person confirms or changes, never a reading of the law.

Phrases are kept per language (English and German most fully; French, Spanish, Italian and Dutch with the
common formulas) and per controller (by service) for automatic messages. Text quoted from earlier mail (lines
starting with '>' and everything after an "Original Message" or "... wrote:" line) is left out, so that a reply
quoting the person's own letter is not read as saying what the letter says. Where several kinds of phrase occur,
the most consequential wins: a request for ID, then an extension, a partial answer, a refusal, compliance, and
last a plain confirmation. Nothing found: "other", as `log reply --outcome other`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The order in which found phrases decide the guess (see above).
PRIORITY = ("needs-id", "extended", "partial", "refused", "complied", "confirmed")

_LANGUAGE_NAMES = {"en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian", "nl": "Dutch"}

PHRASES: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "needs-id": (r"verify your identity", r"confirm your identity", r"proof of (your )?identity",
                     r"(copy|photo|scan) of (a |your )?(valid )?(government[- ]issued )?(photo )?"
                     r"(id\b|identification|identity (card|document)|passport|driver'?s licen[cs]e)",
                     r"(need|require) (some )?(more|additional|further) information (from you )?(to|before|in order)",
                     r"unable to (locate|identify|find) (an |your )?account"),
        "extended": (r"extend(ed|ing)? (the|our) (response )?(time|deadline|period|time limit)",
                     r"(further|additional|extra) (two|2) months", r"extension of (the )?(time|deadline|period)",
                     r"(further|additional) (45|forty-five) days", r"need (more|additional) time to (respond|reply)"),
        "partial": (r"partially (comply|complied|uphold|upheld|grant|granted|accept|accepted|honou?r)",
                    r"\bin part\b"),
        "refused": (r"unable to (comply|action|fulfil|fulfill|accommodate|grant|honou?r|uphold)",
                    r"(cannot|can't|can not|will not|won't) (comply|action|honou?r|grant|uphold|accept|stop)",
                    r"(decline|reject|refuse)[ds]? (to act on )?(your )?(request|objection)",
                    r"compelling legitimate grounds", r"not (able|in a position) to (comply|honou?r|action)"),
        "complied": (r"(we will|we'll|we have|we've) (now )?(honou?red?|upheld|uphold|accepted|actioned|processed|"
                     r"completed) your (objection|request)",
                     r"your (objection|request) (has been|was|is) (honou?red|upheld|accepted|actioned|granted|completed)",
                     r"(will|shall) no longer (use|process)", r"(have )?(deleted|erased) your (data|personal|account)",
                     r"(attached|enclosed) (is|are|please find|you will find) (a copy of )?your (personal )?(data|information)"),
        "confirmed": (r"(we have|we've) received your (request|objection|message|letter|email|e-mail|enquiry|inquiry)",
                      r"(thank you|thanks) for (contacting us|your (request|message|email|e-mail|letter))",
                      r"this is an automated (response|reply|message)", r"acknowledge (receipt|your (request|objection))",
                      r"confirm(ing)? (receipt|that we (have )?received)"),
    },
    "de": {
        "needs-id": (r"identität (zu )?(bestätigen|verifizieren|nachweisen|überprüfen|prüfen)", r"identitätsnachweis",
                     r"(kopie|nachweis|scan) (ihres|eines|des) (gültigen )?(personalausweis|ausweis|reisepass|lichtbildausweis)",
                     r"ausweisdokument", r"(benötigen|brauchen) (wir )?(noch )?(weitere|zusätzliche) (informationen|angaben)"),
        "extended": (r"frist\w* .{0,60}verlänger", r"verlänger\w* .{0,40}frist", r"um (weitere )?(zwei|2) monate",
                     r"fristverlängerung"),
        "partial": (r"teilweise (stattgegeben|entsprochen|nachgekommen|umgesetzt)",),
        "refused": (r"(können|werden) wir (ihrem|ihren|dem) (antrag|widerspruch|anliegen|ersuchen) nicht",
                    r"nicht (nachkommen|entsprechen|stattgeben)", r"(lehnen|weisen) .{0,60}\bab\b",
                    r"zwingende\w* schutzwürdige\w* gründe", r"abgelehnt"),
        "complied": (r"(ihrem|ihren|dem) (widerspruch|antrag) .{0,60}(stattgegeben|entsprochen|nachgekommen|umgesetzt)",
                     r"widerspruch (wurde|wird) .{0,40}(berücksichtigt|umgesetzt|akzeptiert|bearbeitet)",
                     r"nicht (mehr|länger) (verwenden|verarbeiten|nutzen)", r"(wurden|haben wir) .{0,40}gelöscht",
                     r"(anbei|im anhang) .{0,60}(kopie|ihre daten|auskunft)"),
        "confirmed": (r"(ihre|ihr|ihren) (anfrage|antrag|widerspruch|nachricht|schreiben|e-mail) .{0,40}"
                      r"(erhalten|eingegangen)",
                      r"eingangsbestätigung", r"(vielen )?dank für ihre (anfrage|nachricht|e-mail|mail|kontaktaufnahme)",
                      r"automatisch (erstellte|generierte|versandte) (nachricht|antwort|e-mail)"),
    },
    "fr": {
        "needs-id": (r"vérifier votre identité", r"justificatif d'identité", r"pièce d'identité"),
        "extended": (r"prolong\w* (le|du|de notre) délai", r"deux mois supplémentaires"),
        "refused": (r"ne (pouvons|sommes) pas (en mesure de )?(donner suite|faire droit|accéder)", r"rejet\w* votre"),
        "complied": (r"(nous avons|avons) (pris en compte|traité|fait droit à) votre (opposition|demande)",),
        "confirmed": (r"(nous avons|avons bien) reçu votre (demande|message|courrier)", r"accusé de réception"),
    },
    "es": {
        "needs-id": (r"verificar su identidad", r"documento (nacional )?de identidad"),
        "extended": (r"prorrog\w* el plazo", r"ampliar el plazo", r"dos meses (más|adicionales)"),
        "refused": (r"no (podemos|es posible) (atender|acceder a|estimar)", r"denegad[oa]"),
        "complied": (r"hemos (atendido|tramitado|procesado) su (solicitud|oposición)",),
        "confirmed": (r"hemos recibido su (solicitud|mensaje|escrito)", r"acuse de recibo"),
    },
    "it": {
        "needs-id": (r"verificare la (sua|tua) identità", r"documento d'identità"),
        "extended": (r"proroga\w*", r"ulteriori due mesi"),
        "refused": (r"non (possiamo|siamo in grado di) (dare seguito|accogliere)", r"rigettat[ao]"),
        "complied": (r"abbiamo (accolto|elaborato|gestito) la (sua|tua) (richiesta|opposizione)",),
        "confirmed": (r"abbiamo ricevuto la (sua|tua) (richiesta|email|lettera)",),
    },
    "nl": {
        "needs-id": (r"(uw|je) identiteit (te )?(verifiëren|bevestigen|controleren)",
                     r"kopie van (uw|je) (identiteitsbewijs|paspoort)"),
        "extended": (r"termijn .{0,40}verleng", r"met (twee|2) maanden verleng"),
        "refused": (r"(kunnen|zullen) (wij|we) (uw|je) (verzoek|bezwaar) niet", r"afgewezen"),
        "complied": (r"(uw|je) (bezwaar|verzoek) (is|wordt) (gehonoreerd|toegewezen|ingewilligd)",),
        "confirmed": (r"(wij|we) hebben (uw|je) (verzoek|bericht|brief|e-mail) ontvangen", r"ontvangstbevestiging"),
    },
}

# Automatic messages of one controller (by service). Meta's wording is as users reported its answers to the
# AI-training objection form (2024-2025) and as objector's test fixtures reproduce it: no copy of such a
# message is kept in objector's sources, so these phrases are a convenience, and the guess is shown as one.
CONTROLLER_PHRASES: dict[str, dict[str, tuple[str, ...]]] = {
    "meta": {
        "complied": (r"(we'll|we will) honou?r your objection", r"your objection (has been|was) honou?red",
                     r"applied going forward"),
        "needs-id": (r"(need|needs) (more|additional) information (from you )?to (process|review) your (request|objection)",),
        "confirmed": (r"(we've|we have) received your (objection|request|form|report)",
                      r"thanks for contacting (us|meta)"),
    },
}

_QUOTE_START = re.compile(
    r"^\s*(-{2,}\s*(original message|ursprüngliche nachricht|message d'origine|mensaje original|messaggio originale|"
    r"oorspronkelijk bericht)\b|(on|am|le|el|il|op) .{0,200}(wrote|schrieb|a écrit|escribió|ha scritto|schreef)\s*:\s*$)",
    re.I | re.M)
_COMPILED: dict[str, list[tuple[str, str, str, re.Pattern]]] = {}  # service ("" for none) → its patterns


@dataclass(frozen=True)
class Guess:
    event: str  # confirmed | reply
    outcome: str | None  # for a reply: one of objector.tracking.timeline.OUTCOMES
    why: str

    @property
    def label(self) -> str:
        """The value a person types to choose it: an outcome, or 'confirmed'."""
        return self.outcome or self.event


def guess(subject: str, text: str, service: str = "") -> Guess:
    """The likely event for a reply, and the words it rests on."""
    own = _unquoted(f"{subject}\n{text}").lower().replace("’", "'")
    found: dict[str, str] = {}  # outcome → why
    for scope, outcome, language, pattern in _patterns(service):
        if outcome in found:
            continue
        hit = pattern.search(own)
        if hit:
            words = " ".join(hit.group(0).split())
            if len(words) > 50:
                words = f"{words[:24]}…{words[-24:]}"
            found[outcome] = (f"{service.capitalize()}'s automatic wording “{words}”" if scope == "service"
                              else f"the words “{words}” ({_LANGUAGE_NAMES[language]})")
    for outcome in PRIORITY:
        if outcome in found:
            if outcome == "confirmed":
                return Guess("confirmed", None, found[outcome])
            return Guess("reply", outcome, found[outcome])
    return Guess("reply", "other", "no wording objector knows: left as other")


def from_label(label: str, why: str) -> Guess:
    """The guess a person chose instead ('confirmed' or a reply's outcome)."""
    return Guess("confirmed", None, why) if label == "confirmed" else Guess("reply", label, why)


def _patterns(service: str) -> list[tuple[str, str, str, re.Pattern]]:
    """The controller's own phrases first, then every language's (compiled once)."""
    if "" not in _COMPILED:
        _COMPILED[""] = [("language", outcome, language, re.compile(p)) for language, table in PHRASES.items()
                         for outcome, phrases in table.items() for p in phrases]
    if service not in _COMPILED:
        _COMPILED[service] = [("service", outcome, "", re.compile(p)) for outcome, phrases in
                              CONTROLLER_PHRASES.get(service, {}).items() for p in phrases] + _COMPILED[""]
    return _COMPILED[service]


def _unquoted(text: str) -> str:
    """The reply's own words: quoted lines and everything after a quoted message's header left out."""
    cut = _QUOTE_START.search(text)
    if cut:
        text = text[:cut.start()]
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(">"))
