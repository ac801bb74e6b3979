"""`objector letter` and `objector followup`: write a letter and record it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from .app import (
    ControllerFileOption,
    JsonOption,
    ProfileOption,
    app,
    parse_date,
    plural,
    prefetch_renderer,
    print_json,
    warn,
)

if TYPE_CHECKING:
    from ..letters.compose import Written

# Options both letter-writing commands take.
FormatOption = Annotated[Optional[str], typer.Option("--format", "-f", help="pdf, html, txt (for a web form or e-mail body), eml (e-mail with the PDF attached) or form (the text for the free-text field of Meta's objection form, within 1,500 characters). Default: the extension of -o, else pdf.")]
OutputOption = Annotated[Optional[Path], typer.Option("--output", "-o", help="Output file (default: <reference>-<kind>-<controller>.<format> here); - writes it to standard output (a PDF only into a pipe or a file).")]
DateOption = Annotated[Optional[str], typer.Option("--date", help="The letter's date, YYYY-MM-DD (default: today).")]
SignatureOption = Annotated[Optional[Path], typer.Option("--signature", help="PNG or JPEG image of your signature (default: a line to sign by hand).")]
ForceOption = Annotated[bool, typer.Option("--force", help="Replace an existing output file.")]
PdfVariantOption = Annotated[str, typer.Option(
    "--pdf-variant", metavar="VARIANT", help="pdf (default), pdf/a-2b, pdf/a-3b, pdf/a-3u (archival PDF/A) or pdf/ua-1 "
    "(accessible PDF/UA: tagged, with language and title); also for the PDF an .eml carries.")]


def _check_format(fmt: str | None, output: Path | None, pdf_variant: str = "pdf", as_json: bool = False) -> str:
    from ..letters.compose import PDF_FORMATS, check_stdout, choose_format

    if pdf_variant != "pdf":
        from ..letters.render import check_variant

        check_variant(pdf_variant)
    fmt = choose_format(fmt, output)
    check_stdout(fmt, output, as_json=as_json)
    if fmt in PDF_FORMATS:
        prefetch_renderer()  # WeasyPrint's import overlaps with loading the inputs and filling the template
    return fmt


def _signature(path: Path | None) -> bytes | None:
    from ..letters.letter import read_signature

    return read_signature(path) if path else None


def _report(written: Written, as_json: bool, advice: list[str]) -> bool:
    """Warnings on stderr; the JSON summary if asked (then True: nothing more to print). With -o - the letter
    itself is printed, and what is said about it goes to stderr (see _say)."""
    from ..letters.compose import is_stdout, print_document

    for message in written.warnings:
        warn(f"WeasyPrint: {message}")
    for message in advice:
        warn(message)
    if is_stdout(written.path):
        print_document(written.data)
    if as_json:
        print_json(written.to_dict())
        return True
    _say(written, f"{written.reference}  {'(standard output)' if is_stdout(written.path) else written.path}")
    return False


def _say(written: Written, line: str) -> None:
    """A line about the letter: on stdout, or on stderr when stdout carries the letter itself (-o -)."""
    from ..letters.compose import is_stdout

    typer.echo(line, err=is_stdout(written.path))


@app.command("letter")
def letter(
    kind: Annotated[str, typer.Argument(help="objection, access, erasure, portability, rectification, restriction or withdraw-consent; under US state laws access, erasure, rectification, portability, opt-out or limit-sensitive (California).")],
    controller: Annotated[str, typer.Argument(help="Who it goes to: a service such as `meta` or a product such as `instagram` (resolved from your country), a controller id (`objector controllers list`), or the slug of a company in the open dataset (`objector controllers search`).")],
    profile: ProfileOption = None,
    lang: Annotated[Optional[str], typer.Option("--lang", help="Letter language (default: the profile's).")] = None,
    law: Annotated[Optional[str], typer.Option("--law", help="Law to cite (default: the one where you live): gdpr, uk-gdpr, ccpa, us-va, us-co, us-ct, us-tx, us-or, us-nj.")] = None,
    purpose: Annotated[Optional[str], typer.Option("--purpose", help="Objection only: ai-training (Art. 21(1), default for Meta) or direct-marketing (Art. 21(2)).")] = None,
    reason: Annotated[Optional[str], typer.Option("--reason", help="Objection: your particular situation, in your words (added to the general grounds); erasure, restriction: the facts behind your grounds.")] = None,
    ground: Annotated[Optional[list[str]], typer.Option("--ground", help="Erasure: a ground of Art. 17(1), a-f or its name (no-longer-needed, consent-withdrawn, objected, unlawful, legal-obligation, child); restriction: of Art. 18(1), a-d (accuracy-contested, unlawful-keep, legal-claims, objection-pending). Repeat for several.")] = None,
    made_public: Annotated[bool, typer.Option("--made-public", help="Erasure: the controller made the data public; it must tell others who copy or link to them (Art. 17(2)).")] = False,
    correction: Annotated[Optional[list[str]], typer.Option("--correction", metavar="TEXT", help="Rectification (also under US laws): inaccurate data and the correct value, e.g. 'Date of birth: 4 May 1990' (Art. 16). Repeat for several.")] = None,
    completion: Annotated[Optional[list[str]], typer.Option("--completion", metavar="TEXT", help="Rectification: incomplete data and what completes them (Art. 16, second sentence). Repeat for several.")] = None,
    consent: Annotated[Optional[list[str]], typer.Option("--consent", metavar="TEXT", help="Withdraw-consent: what the consent covered, e.g. 'personalised advertising' (Art. 7(3)). Repeat for several.")] = None,
    transmit_to: Annotated[Optional[str], typer.Option("--transmit-to", metavar="NAME", help="Portability: the controller to send the data to directly, where technically feasible (Art. 20(2)).")] = None,
    agent_name: Annotated[Optional[str], typer.Option("--agent-name", help="CCPA requests to know, delete or correct: the authorized agent who submits it for you (11 CCR §7063); you sign the letter as your permission.")] = None,
    agent_email: Annotated[Optional[str], typer.Option("--agent-email", help="With --agent-name: the agent's e-mail address.")] = None,
    details: Annotated[Optional[list[str]], typer.Option("--detail", metavar="'LABEL: VALUE'", help="A detail the company needs to find you, e.g. 'Customer number: 12345', listed in the letter with your e-mail address (`controllers show` says which a company asks for). Repeat for several.")] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    on: DateOption = None,
    signature: SignatureOption = None,
    force: ForceOption = False,
    no_record: Annotated[bool, typer.Option("--no-record", help="Do not record the request in the journal.")] = False,
    controller_file: ControllerFileOption = None,
    pdf_variant: PdfVariantOption = "pdf",
    reference: Annotated[Optional[str], typer.Option("--reference", metavar="REF", help="The letter's reference, in objector's form and of its kind (default: a new one); one already in the journal is refused (`objector show REF --letter` writes a recorded letter again).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Write a letter (PDF by default) and record it in the journal as drafted."""
    from ..i18n import language_name
    from ..letters import compose
    from ..letters import letter as letters
    from ..people import profile as profiles
    from ..people import registry
    from ..tracking.next_steps import after_letter

    chosen = compose.format_chosen(fmt, output)
    fmt = _check_format(fmt, output, pdf_variant, as_json)
    if reference is not None:
        reference = _new_reference(kind, reference, recorded=not no_record)
    person = profiles.load(profile)
    request = letters.prepare(
        kind, controller, person, lang=lang, law=law, purpose=purpose, reason=reason,
        on=parse_date(on), signature=_signature(signature), extra_controllers=registry.load_file(controller_file),
        agent_name=agent_name, agent_email=agent_email, reference=reference,
        options={"grounds": ground or (), "made_public": made_public, "corrections": correction or (),
                 "completions": completion or (), "consents": consent or (), "transmit_to": transmit_to},
        details=tuple(details or ()),
    )
    if not chosen:
        fmt = _suggested_format(request, fmt, pdf_variant)
    written = compose.write_letter(request, fmt, output or compose.default_path(request, fmt), overwrite=force,
                                   record=not no_record, pdf_variant=pdf_variant)
    if _report(written, as_json, letters.advice(request, fmt, written.chars)):
        return
    detail = f"{request.kind} to {request.controller.name} under {request.law.title}, in {language_name(request.lang)}"
    if request.controller.secondary:
        detail += " (a secondary record, from the open dataset)"
    if request.agent:
        detail += f", submitted by {request.agent.name} as authorized agent"
    if written.pages:
        detail += f", {plural(written.pages, 'page')}"
    _say(written, detail + ("" if no_record else "; recorded as a draft: it becomes a request once you log it as sent"))
    for line in after_letter(request, fmt, written.document, recorded=not no_record):
        _say(written, line)


def _new_reference(kind: str, reference: str, *, recorded: bool) -> str:
    """--reference: objector's form, of the letter's kind, and (for a letter that is recorded) new to the journal."""
    from ..errors import InputError, NotFoundError
    from ..journal import Journal
    from ..letters.request import check_reference

    reference = check_reference(kind, reference)
    if recorded:
        with Journal.open(create=False) as journal:
            try:
                journal.get_request(reference)
            except NotFoundError:
                return reference
        raise InputError(f"--reference: {reference} is already in the journal; a new letter needs a reference of its "
                         f"own", hint=f"`objector show {reference} --letter` writes that letter again")
    return reference


def _suggested_format(request, fmt: str, pdf_variant: str) -> str:
    """The format for the way a dataset record suggests to send (e-mail: .eml), where none was asked for."""
    from ..letters.secondary import suggested_format

    suggested = suggested_format(request.controller)
    if suggested is None or suggested == fmt:
        return fmt
    typer.echo(f"objector: {suggested} (no --format given): the dataset suggests sending to {request.controller.name} by "
               f"{request.controller.secondary.medium}", err=True)
    return _check_format(suggested, None, pdf_variant)


@app.command("followup")
def followup(
    ref: Annotated[str, typer.Argument(metavar="REF", help="The request's reference, e.g. OBJ-2026-7K3F9Q: overdue, or, under a US state law with an appeal, refused or answered in part.")],
    lang: Annotated[Optional[str], typer.Option("--lang", help="Letter language (default: the first letter's).")] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    on: DateOption = None,
    signature: SignatureOption = None,
    force: ForceOption = False,
    pdf_variant: PdfVariantOption = "pdf",
    as_json: JsonOption = False,
) -> None:
    """Write the reminder for a request whose deadline has passed, and note it on its timeline. Under a US state
    law that gives an appeal, a request the business refused gets the appeal to the business instead."""
    from ..letters import compose
    from ..letters import letter as letters
    from ..tracking.followup import prepare, respond_by, write_reminder

    fmt = _check_format(fmt, output, pdf_variant, as_json)
    request = prepare(ref, lang=lang, on=parse_date(on), signature=_signature(signature))
    written = write_reminder(request, fmt, output or compose.default_path(request, fmt), overwrite=force,
                             pdf_variant=pdf_variant)
    if _report(written, as_json, letters.advice(request, fmt, written.chars)):
        return
    facts = request.followup
    assert facts is not None
    statute = request.law.statute
    if request.kind == "appeal":
        _say(written, f"appeal to {request.controller.name} against its reply of {facts.replied.isoformat()}"  # type: ignore[union-attr]
             f"{' under ' + statute.appeal if statute and statute.appeal else ''}; noted on the request's timeline")
        _say(written, f"Next: send it as you sent the request. Once the business has decided on the appeal, or has "
             f"not, `objector complaint {request.reference}` writes the complaint to "
             f"{statute.authority if statute else ''}.")
        return
    _say(written, f"reminder to {request.controller.name}: the answer was due {facts.due.isoformat()}; "
         "noted on the request's timeline")
    _say(written, f"Next: send it as you sent the request. No answer by {respond_by(request).isoformat()} (its last "
         f"time limit, tracked in `objector status`): `objector complaint {request.reference}`.")
