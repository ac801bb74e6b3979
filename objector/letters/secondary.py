"""What a person should know before sending a letter to a company from the open dataset, and how to send it.

The dataset's record says more than where to write: the details the company needs to find the person
(required-elements), the language it takes requests in, whether it asks for an ID document, and the way to
send (suggested-transport-medium). The command line says these things; the letter stays the same letter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..people.registry import Controller
    from .letter import LetterRequest

# The details every letter gives already: the sender's name and postal address, and the e-mail address in
# the table of identifying details.
IN_EVERY_LETTER = ("name", "email", "address")
FORMAT_OF_MEDIUM = {"email": "eml", "letter": "pdf", "fax": "pdf", "webform": "txt"}


def suggested_format(controller: Controller) -> str | None:
    """The format for the way the record suggests to send (None where it suggests none, or cannot be followed:
    e-mail without an address, a letter without a readable postal address)."""
    facts = controller.secondary
    if facts is None or not facts.medium:
        return None
    fmt = FORMAT_OF_MEDIUM[facts.medium]
    if (fmt == "eml" and not controller.email) or (fmt == "pdf" and not controller.address):
        return None
    return fmt


def advice(request: LetterRequest, fmt: str) -> list[str]:
    from ..i18n import language_name, supported_languages

    controller = request.controller
    facts = controller.secondary
    assert facts is not None
    notes = [f"{controller.name} is a secondary record, from the open dataset ({facts.source}; quality "
             f"{facts.quality!r} is its volunteers' judgement): objector has not verified it, so check its address "
             f"and e-mail in its privacy policy before sending (`objector controllers show {controller.id}`)"]
    country = request.profile.address.country
    if "*" not in controller.regions and country not in controller.regions:
        notes.append(f"the dataset lists {controller.name} for {', '.join(controller.regions)}, not for {country}: "
                     "a branch of it may be the one for you")
    missing = [desc for desc, kind, optional in facts.required if kind not in IN_EVERY_LETTER and not optional]
    given = {label.casefold() for label, _ in request.details}
    missing = [desc for desc in missing if desc.casefold() not in given]
    if missing:
        notes.append(f"{controller.name} needs these details to find you: {', '.join(missing)}; add each with "
                     f"--detail '{missing[0]}: ...' (the letter lists them with your e-mail address)")
    if facts.needs_id:
        notes.append(f"{controller.name} asks for an ID document with every request, per the dataset: expect to "
                     "send a copy, and black out what it does not need to identify you (photo, ID number)")
    if facts.language and facts.language != request.lang:
        if facts.language in supported_languages():
            notes.append(f"{controller.name} takes requests in {language_name(facts.language)}: "
                         f"--lang {facts.language} writes this letter in it")
        else:
            notes.append(f"{controller.name} takes requests in the language {facts.language!r}, which objector does "
                         "not write; a letter in English is usually understood")
    if facts.address_problem and fmt == "txt":
        notes.append(f"the dataset's address for {controller.name} cannot be read as a postal address "
                     f"({facts.address_problem}): send this text by e-mail or web form")
    return notes
