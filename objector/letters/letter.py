"""A request becomes a letter: the context a template needs, then HTML (for the PDF) or plain text.

One template per letter kind (templates/letters/<kind>.html.j2) holds the wording once; the plain-text
form for web forms and e-mails is derived from the same HTML, so the two can never say different things.
Every input that shapes the text is kept in `LetterRequest.inputs()` (objector.letters.request), which the
journal stores: the same inputs give the same letter. The request's names are re-exported here, so callers
that write a letter need one module.
"""

from __future__ import annotations

import base64
from datetime import date
from functools import cache
from pathlib import Path

from .. import i18n
from ..errors import InputError
from ..law import laws
from ..people import registry
from ..people.profile import Address, Profile
from ..resources import templates_dir
from .request import IMAGE_TYPES
from .request import Agent as Agent
from .request import FollowupFacts as FollowupFacts
from .request import LetterRequest as LetterRequest
from .request import check_signature as check_signature
from .request import from_inputs as from_inputs
from .request import prepare as prepare
from .request import read_signature as read_signature


def N_(message: str) -> str:
    """Marks a message for extraction; translated where it is used."""
    return message


SUBJECTS = {
    ("objection", "ai-training"): N_("Objection under {art} to the use of my personal data for artificial intelligence at {brand}"),
    ("objection", "direct-marketing"): N_("Objection under {art} to the use of my personal data for direct marketing"),
    ("access", None): N_("Request for access to my personal data under {art}"),
    ("erasure", None): N_("Request for erasure of my personal data under {art}"),
    ("portability", None): N_("Request to receive my personal data under {art} (data portability)"),
    ("rectification", None): N_("Request for rectification of my personal data under {art}"),
    ("restriction", None): N_("Request for restriction of the processing of my personal data under {art}"),
    ("withdraw-consent", None): N_("Withdrawal of my consent under {art}"),
}
SUBJECT_ARTICLES = {
    ("objection", "ai-training"): "21(1)", ("objection", "direct-marketing"): "21(2)", ("access", None): "15",
    ("erasure", None): "17", ("portability", None): "20", ("rectification", None): "16", ("restriction", None): "18",
    ("withdraw-consent", None): "7(3)",
}
# US letters are written in English only: their subjects are plain English, not catalog messages.
US_SUBJECTS = {
    "access": "Request to confirm and access my {data}",
    "erasure": "Request to delete my {data}",
    "rectification": "Request to correct inaccurate {data}",
    "portability": "Request for a portable copy of my {data}",
    "opt-out": "Request to opt out of targeted advertising, the sale of my {data} and profiling",
}
CCPA_SUBJECTS = US_SUBJECTS | {  # the CCPA's own names for its rights
    "access": "Request to know the {data} you have collected about me",
    "opt-out": "Request to opt out of the sale and sharing of my {data}",
    "limit-sensitive": "Request to limit the use of my sensitive {data}",
}
REMINDER_SUBJECT = N_("Reminder: my request under {art} of {date}, reference {reference}")
REMINDER_SUBJECT_OBJECTION = N_("Reminder: my objection under {art} of {date}, reference {reference}")
REMINDER_DAYS = 14  # the time a reminder gives before the complaint it announces
PLACE_DATE = N_("{place}, {date}")
LAW_NAME = N_("{short}: {name}")  # the regulation's full name, under the subject that first cites it
NBSP = "\u00a0"
WORD_JOINER = "\u2060"  # after a hyphen: no line break there (the hyphen belongs to the name, not to the line)
BREAK_HERE = "\u200b"  # zero-width space: where an e-mail address may break when it must
SEPARATOR = NBSP + "· "  # between the return line's parts: a line may break after a dot, never inside a part
RETURN_LINE_SMALL = 66  # characters: a longer return line is set smaller (it still wraps between parts)
CONTINUATION = N_("Reference {reference}, page")
REASON_LIMIT = 1500  # a safe length for the optional reason field of Meta's objection form (legal.md)
FORM_LIMIT = REASON_LIMIT  # Meta states no limit for that field; legal.md: keep pasted text within 1,500 characters
FORM_OPTIONAL = ("confirmation", "consequences")  # the form text's optional paragraphs, dropped in this order
# UK: what the Data (Use and Access) Act 2025 changed, from when (the letter's date decides). Sources are
# secondary (law firms' notes; legislation.gov.uk not checked): the letters only name the provisions and
# promise nothing the statute might not say.
UK_COMPLAINTS_FROM = date(2026, 6, 19)  # DPA 2018 s.164A (complaint to the controller first; acknowledge within
# 30 days), inserted by DUAA s.103; commencement regs 2026 set 19 June 2026 (Stephenson Harwood, Brightmine,
# Slaughter and May, 2026) - verified (secondary)
UK_STOP_THE_CLOCK_FROM = laws.UK_ARTICLE_12A_FROM  # Art. 12A UK GDPR; Commencement No. 6 Regulations 2026 in force


def subject(request: LetterRequest) -> str:
    gettext = i18n.translations(request.lang).gettext
    cite = i18n.glossary(request.lang).cite
    if request.followup and request.law.statute is not None:
        return us_followup_subject(request)
    if request.followup:
        first = request.followup
        article = SUBJECT_ARTICLES[(first.kind, first.purpose if first.kind == "objection" else None)]
        message = REMINDER_SUBJECT_OBJECTION if first.kind == "objection" else REMINDER_SUBJECT
        return gettext(message).format(
            art=cite(request.law.id, article), date=long_date(first.written, request.lang), reference=request.reference
        )
    if request.law.statute is not None:
        return us_request_subject(request.law, request.kind)
    key = (request.kind, request.purpose if request.kind == "objection" else None)
    return gettext(SUBJECTS[key]).format(art=cite(request.law.id, SUBJECT_ARTICLES[key]), brand=request.controller.brand)


def us_request_subject(law: laws.Law, kind: str) -> str:
    """A US request as its subject names it: "Request to delete my personal information (Cal. Civ. Code §1798.105)"."""
    statute = law.statute
    assert statute is not None
    ccpa = law.id == "ccpa"
    text = (CCPA_SUBJECTS if ccpa else US_SUBJECTS)[kind].format(data="personal information" if ccpa else "personal data")
    return f"{text} ({statute.rights[kind] or statute.short})"


def us_followup_subject(request: LetterRequest) -> str:
    """"Reminder: Request to delete my personal information (Cal. Civ. Code §1798.105) of 27 November 2026, ..."."""
    first = request.followup
    assert first is not None
    what = "Appeal:" if request.kind == "appeal" else "Reminder:"
    return (f"{what} {us_request_subject(request.law, first.kind)} of {us_date(first.written)}, "
            f"reference {request.reference}")


def context(request: LetterRequest) -> dict:
    lang, profile, controller = request.lang, request.profile, request.controller
    gettext = i18n.translations(lang).gettext

    us_letter = request.law.statute is not None
    date_long = us_date(request.on) if us_letter else long_date(request.on, lang)
    processing = controller.processing_for(request.purpose) if request.purpose else None
    return {
        "lang": lang,
        "kind": request.kind,
        "law_id": request.law.id,
        "us_letter": us_letter,  # US Letter paper and a #10 window envelope, US date and closing (base.html.j2)
        "reference": request.reference,
        "subject": subject(request),
        "law_name": law_name(request.law.id, lang),
        "date_long": date_long,
        # A US business letter is dated without the place ("December 5, 2026").
        "place_date": date_long if us_letter else gettext(PLACE_DATE).format(place=profile.address.city, date=date_long),
        "continuation": gettext(CONTINUATION).format(reference=request.reference),
        "sender": sender_context(profile, lang, controller.address_country),
        "recipient": {"lines": recipient_lines(controller, lang, profile.address.country)},
        "controller": controller,
        "products": i18n.join_list(list(controller.products), lang),
        "accounts": accounts_for(profile, controller) + [{"service": k, "handle": v} for k, v in request.details],
        "purpose": request.purpose,
        "processing": processing,
        "processing_since": long_date(processing.since, lang) if processing and processing.since else "",
        "trains_ai": controller.processing_for("ai-training") is not None,
        "reason": request.reason,
        "options": request.options,
        "uk": {"complaints": request.on >= UK_COMPLAINTS_FROM, "stop_the_clock": request.on >= UK_STOP_THE_CLOCK_FROM},
        "followup": followup_context(request),
        "signature_url": signature_url(request.signature),
        "cite": citer(request.law.id, lang, request.on),
        # US letters: the statute's sections, cited as written, kept on one line (e.g. "Cal. Civ. Code §1798.105").
        "statute": request.law.statute,
        "section": lambda text: citation(text.replace(" ", NBSP)),
        "agent": request.agent,
        "journal_head": {"seq": request.journal_head[0], "hash": request.journal_head[1]} if request.journal_head
        else None,
    }


def sender_context(profile: Profile, lang: str, recipient_country: str) -> dict:
    """The letterhead's sender and the window's return line (base.html.j2), for any recipient."""
    # A letter within the United States, as US letters go: no country in the return address.
    domestic_us = profile.address.country == "US" == recipient_country
    return_line = return_address(profile, lang, show_country=not domestic_us)
    return {
        "name": profile.name,
        "email": breakable_email(profile.email),
        "lines": postal_lines(profile.address, lang, show_country=profile.address.country != recipient_country),
        "return_line": return_line,
        "return_small": len(return_line) > RETURN_LINE_SMALL,
    }


def law_name(law_id: str, lang: str) -> str:
    """The law's full name, printed under the subject that first cites it."""
    statute = laws.ALL[law_id].statute if law_id in laws.ALL else None
    if statute is not None:  # a US law: its letters are in English, its name is the statute's own
        return f"{statute.short}: {statute.name.removeprefix('the ')}"
    glossary = i18n.glossary(lang)
    return i18n.translations(lang).gettext(LAW_NAME).format(short=glossary.law_short(law_id), name=glossary.law_name(law_id))


def followup_context(request: LetterRequest) -> dict | None:
    """The dates a reminder quotes, written the way the letter's language writes dates."""
    first = request.followup
    if first is None:
        return None
    statute = request.law.statute
    long = us_date if statute is not None else (lambda day: long_date(day, request.lang))  # noqa: E731
    return {
        "kind": first.kind,
        # GDPR: the article the first letter rests on; a US law: the section that gives the right ("" where none).
        "article": SUBJECT_ARTICLES.get((first.kind, first.purpose if first.kind == "objection" else None), ""),
        "section": statute.rights.get(first.kind, "") if statute is not None else "",
        "outcome": first.outcome,
        "replied": long(first.replied) if first.replied else "",
        "reply_note": first.reply_note,
        "written": long(first.written),
        "sent": long(first.sent),
        "received": long(first.received),
        "receipt_assumed": first.receipt_assumed,
        "due": long(first.due),
        "extended": first.extended,
        "respond_by": long(respond_by(request)),
    }


def respond_by(request: LetterRequest) -> date:
    """The last time limit a reminder sets: REMINDER_DAYS from the day it is taken to arrive (as the journal
    assumes it, FollowupFacts.reminder_received), else from its date."""
    from datetime import timedelta

    first = request.followup
    arrives = first.reminder_received if first is not None and first.reminder_received else request.on
    return arrives + timedelta(days=REMINDER_DAYS)


def citer(law_id: str, lang: str, on: date):
    """cite(ref) for a letter under `law_id` dated `on`, each citation kept on one line. Under the UK GDPR, from
    the day Article 12A came into force, the one-month period is cited with it: "(Articles 12(3) and 12A UK
    GDPR)", Art. 12A(1) being where the period and the day it starts are now set."""
    glossary = i18n.glossary(lang)
    uk_12a = law_id == "uk-gdpr" and on >= UK_STOP_THE_CLOCK_FROM

    def cite(ref: str):
        return citation(glossary.cite(law_id, "12(3)+12A" if uk_12a and ref == "12(3)" else ref))

    return cite


def us_date(day: date, *, one_line: bool = True) -> str:
    """A date in a US letter, month first ("December\u00a05,\u00a02026"), kept on one line unless the text is
    for a web form (`one_line=False`: plain spaces, as the complaint text for an authority's form has them)."""
    from ..cldr import long_date

    text = long_date(day, "en_US")
    return text.replace(" ", NBSP) if one_line else text


def long_date(day: date, lang: str) -> str:
    """The date as the letter's language writes it, kept on one line ("30.\u00a0September\u00a02026")."""
    return i18n.format_date(day, lang).replace(" ", NBSP)


# Where a date stands alone (a table's date column), the words a sentence's msgstr would put after it:
# Polish writes "r." (roku) after a date, as the Polish catalog does in every sentence that prints one.
STANDALONE_DATE_SUFFIX = {"pl": NBSP + "r."}


def standalone_date(day: date, lang: str) -> str:
    """The long date as it stands alone, outside a sentence ("30\u00a0września\u00a02026\u00a0r.")."""
    return long_date(day, lang) + STANDALONE_DATE_SUFFIX.get(lang, "")


def return_address(profile: Profile, lang: str, *, show_country: bool = True) -> str:
    """The return line in the envelope's window: name, address, and the country last (the post returns an
    undeliverable letter from abroad only with it; a domestic US letter goes without). Each part keeps its
    spaces unbreakable, so the line wraps between parts and never cuts a word or drops the country."""
    parts = [profile.name, *postal_lines(profile.address, lang, show_country=show_country)]
    return SEPARATOR.join(unbreakable(part) for part in parts)


# Characters a line may break after (Unicode line breaking): a hyphen, a dash, a slash ("c/o").
BREAKS_AFTER = str.maketrans({ch: ch + WORD_JOINER for ch in "-\u2010\u2013\u2014/"})


def unbreakable(text: str) -> str:
    """Text no line breaks inside: no-break spaces, and a word joiner after each hyphen, dash or slash
    ("Poniatowskiego-Wielkiego" would otherwise break after its hyphen, as if hyphenated there, and "c/o" after
    its slash)."""
    return text.replace(" ", NBSP).translate(BREAKS_AFTER)


def breakable_email(email: str) -> str:
    """An e-mail address as the PDF may break it when it is too long for its column: after the @ and before a dot,
    never at a hyphen of its own (a reader would take "correio-" at a line's end for a hyphenation). The marks are
    invisible and dropped from the plain text (letters.plaintext)."""
    local, at, domain = email.rpartition("@")
    marked = lambda part: part.replace("-", "-" + WORD_JOINER).replace(".", BREAK_HERE + ".")  # noqa: E731
    return f"{marked(local)}{at}{BREAK_HERE}{marked(domain)}" if at else marked(email)


def citation(text: str):
    """A citation kept on one line in the PDF ("Article 15(1)(f) GDPR" never splits after "(1)")."""
    from markupsafe import Markup

    return Markup('<span class="cite">{}</span>').format(text)


def postal_lines(address: Address, lang: str, *, show_country: bool) -> list[str]:
    """The person's address as the post of their country writes it."""
    lines = list(address.lines)
    if address.country in {"GB", "IE"}:
        lines += [address.city, address.postcode]
    elif address.country in {"US", "CA", "AU"}:
        lines.append(" ".join(part for part in (f"{address.city},", address.region, address.postcode) if part).rstrip(","))
    else:
        lines.append(" ".join(part for part in (address.postcode, address.city) if part))
    if show_country:
        lines.append(i18n.postal_country(address.country, lang))
    return [line for line in lines if line]


def recipient_lines(controller: registry.Controller, lang: str, sender_country: str) -> list[str]:
    lines = [controller.name, *controller.address]
    if controller.address_country and controller.address_country != sender_country:
        # International post: the destination country last, in capitals, in the sender's language; where that
        # language is not written in Latin letters, in English too, as the UPU asks for an internationally known
        # language beside it ("ИРЛАНДИЯ / IRELAND"), so a sorting office abroad can read it.
        country = i18n.postal_country(controller.address_country, lang)
        if not country.isascii() and not all(ch.isascii() or "\u00c0" <= ch <= "\u024f" for ch in country):
            country = f"{country} / {i18n.postal_country(controller.address_country, 'en')}"
        lines.append(country)
    return lines


def accounts_for(profile: Profile, controller: registry.Controller) -> list[dict]:
    """The person's accounts on this controller's products (an unrelated account is left out)."""
    # In the controller's order of products, not the profile's: the journal stores inputs with sorted
    # keys, and the same inputs must give the same letter.
    return [
        {"service": product, "handle": profile.accounts[product.lower()]}
        for product in controller.products
        if product.lower() in profile.accounts
    ]


def signature_url(data: bytes | None) -> str:
    if not data:
        return ""
    mime = next(kind for magic, kind in IMAGE_TYPES.items() if data.startswith(magic))
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


@cache
def environment(lang: str):
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        undefined=jinja2.StrictUndefined,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=template_cache(),
    )
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_translations(i18n.translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.filters["css_string"] = css_string
    env.globals["item_end"] = i18n.glossary(lang).semicolon  # a list item's end, but the last one's
    return env


def template_cache():
    """Compiled templates kept between runs (keyed by each template's source, so an edited template is compiled
    again): a letter skips Jinja's compiler, some 15 ms. A cache that cannot be written is no cache, never an error."""
    from ..paths import cache_dir

    return _template_cache(cache_dir())


@cache
def _template_cache(root: Path):
    import jinja2

    from ..paths import ensure_private_dir

    class QuietBytecodeCache(jinja2.FileSystemBytecodeCache):
        def load_bytecode(self, bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except (OSError, ValueError, EOFError):
                bucket.reset()

        def dump_bytecode(self, bucket) -> None:
            try:
                super().dump_bytecode(bucket)
            except OSError:
                pass

    try:
        folder = ensure_private_dir(root / "templates")
    except Exception:  # noqa: BLE001 - any reason the folder cannot be made: compile as before
        return None
    return QuietBytecodeCache(str(folder))


def css_string(value: str) -> str:
    """Text safe inside a CSS double-quoted string (a translation never becomes CSS)."""
    return "".join(ch if ch.isalnum() or ch in " .,:;-_/()" else f"\\{ord(ch):x} " for ch in str(value))


def template_name(request: LetterRequest) -> str:
    """letters/<kind>.html.j2; a US state law's letters are in letters/us/ (one per kind, with state blocks)."""
    folder = "letters/us" if request.law.statute is not None else "letters"
    return f"{folder}/{request.kind}.html.j2"


def render_html(request: LetterRequest) -> str:
    return environment(request.lang).get_template(template_name(request)).render(context(request))


def render_text(request: LetterRequest, html: str | None = None) -> str:
    from .plaintext import html_to_text

    return html_to_text(html if html is not None else render_html(request))


def render_form(request: LetterRequest) -> str:
    """The objection as text for the free-text field of the controller's objection form (e.g. Meta's in-app
    form): the person's reason first, then the objection, then (if they fit within FORM_LIMIT characters)
    what the controller must show to continue and the confirmation asked for. No addresses, no reference."""
    from .plaintext import html_to_text

    if request.kind != "objection":
        raise InputError(f"--format form: the form text exists for objections; for {request.kind} requests use "
                         "--format txt")
    template = environment(request.lang).get_template("letters/objection.form.html.j2")
    parts = list(FORM_OPTIONAL)
    while True:
        text = _sentence_case(html_to_text(template.render(context(request) | {"parts": tuple(parts)})), request.reason)
        if len(text) <= FORM_LIMIT or not parts:
            return text
        parts.pop(0)


def _sentence_case(text: str, reason: str | None) -> str:
    """Paragraphs start with a capital: in a letter the objection follows the salutation, and languages such as
    German then begin it in lower case ("hiermit widerspreche ich"); in the form it follows the reason.
    The person's own words are left as they are."""
    paragraphs = text.split("\n\n")
    return "\n\n".join(p if (reason and p.strip() == reason.strip()) else p[:1].upper() + p[1:] for p in paragraphs)


def advice(request: LetterRequest, fmt: str, chars: int | None) -> list[str]:
    """What the person should know before sending: unverified facts, routes, lengths."""
    controller = request.controller
    notes = []
    if controller.secondary:
        from .secondary import advice as secondary_advice

        notes += secondary_advice(request, fmt)
    elif not controller.verified:
        notes.append(f"that {controller.name} is the controller for you is not verified: check its privacy policy "
                     f"before sending (`objector controllers show {controller.id}` says what is known)")
    if controller.address and not controller.address_verified and not controller.secondary:
        notes.append(f"the postal address of {controller.name} is not verified: check it before posting")
    statute = request.law.statute
    if statute is not None and not statute.verified:
        notes.append(f"objector has no verified source for the sections and reply period of {statute.name}: the "
                     "letter names the rights without citing a section; check the statute before sending")
    if request.agent:
        notes.append(f"sign the letter yourself: signed by you, it is your permission for {request.agent.name} to "
                     "submit it (11 CCR §7063); the business may still ask you to verify your identity directly")
    if fmt == "eml" and not controller.email:
        notes.append(f"{controller.name} publishes no privacy e-mail address: the .eml has no recipient; paste its text "
                     "into the web form or post the PDF it carries")
    if fmt == "form" and chars and chars > FORM_LIMIT:
        notes.append(f"the form text is {chars} characters, more than the {FORM_LIMIT} that are safe in the form's "
                     "field: shorten your --reason")
    elif fmt == "txt" and chars and chars > REASON_LIMIT:
        shorter = "--format form writes a text that fits" if request.kind == "objection" else "e.g. paste the main paragraphs alone"
        notes.append(f"the text is {chars} characters; if a web form's field refuses it, keep to about {REASON_LIMIT} characters ({shorter})")
    if request.kind == "objection" and request.purpose != "direct-marketing" and not request.reason:
        notes.append("no --reason given: Art. 21(1) asks for grounds from your particular situation; the letter "
                     "gives general ones, and a sentence or two on how this processing affects you makes it stronger")
    if request.reason and len(request.reason) > REASON_LIMIT and fmt != "form":
        notes.append(f"your reason is {len(request.reason)} characters; Meta's form field is best kept under {REASON_LIMIT}")
    return notes
