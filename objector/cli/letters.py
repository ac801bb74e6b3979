"""`objector letter` and `objector followup`: write a letter and record it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from .app import JsonOption, ProfileOption, app, parse_date, print_json, warn

if TYPE_CHECKING:
    from ..compose import Written

# Options both letter-writing commands take.
FormatOption = Annotated[str, typer.Option("--format", "-f", help="pdf, html, txt (for a web form or e-mail body) or eml (e-mail with the PDF attached).")]
OutputOption = Annotated[Optional[Path], typer.Option("--output", "-o", help="Output file (default: <reference>-<kind>-<controller>.<format> here).")]
DateOption = Annotated[Optional[str], typer.Option("--date", help="The letter's date, YYYY-MM-DD (default: today).")]
SignatureOption = Annotated[Optional[Path], typer.Option("--signature", help="PNG or JPEG image of your signature (default: a line to sign by hand).")]
ForceOption = Annotated[bool, typer.Option("--force", help="Replace an existing output file.")]
PdfVariantOption = Annotated[str, typer.Option(
    "--pdf-variant", metavar="VARIANT", help="pdf (default), pdf/a-2b, pdf/a-3b, pdf/a-3u (archival PDF/A) or pdf/ua-1 "
    "(accessible PDF/UA: tagged, with language and title); also for the PDF an .eml carries.")]


def _check_format(fmt: str, pdf_variant: str = "pdf") -> None:
    from ..compose import FORMATS, PDF_FORMATS
    from ..errors import InputError

    if pdf_variant != "pdf":
        from ..render import check_variant

        check_variant(pdf_variant)
    if fmt not in FORMATS:
        raise InputError(f"--format: {fmt!r} is not one of {', '.join(FORMATS)}")
    if fmt in PDF_FORMATS:
        from ..render import prefetch

        prefetch()  # WeasyPrint's import overlaps with loading the inputs and filling the template


def _signature(path: Path | None) -> bytes | None:
    from ..letters import read_signature

    return read_signature(path) if path else None


def _report(written: Written, as_json: bool, advice: list[str]) -> bool:
    """Warnings on stderr; the JSON summary if asked (then True: nothing more to print)."""
    for message in written.warnings:
        warn(f"WeasyPrint: {message}")
    for message in advice:
        warn(message)
    if as_json:
        print_json(written.to_dict())
        return True
    typer.echo(f"{written.reference}  {written.path}")
    return False


@app.command("letter")
def letter(
    kind: Annotated[str, typer.Argument(help="objection or access.")],
    controller: Annotated[str, typer.Argument(help="Who it goes to: a service such as `meta` (resolved from your country) or a controller id (`objector controllers list`).")],
    profile: ProfileOption = None,
    lang: Annotated[Optional[str], typer.Option("--lang", help="Letter language (default: the profile's).")] = None,
    law: Annotated[Optional[str], typer.Option("--law", help="Law to cite (default: the one where you live): gdpr, uk-gdpr.")] = None,
    purpose: Annotated[Optional[str], typer.Option("--purpose", help="Objection only: ai-training (Art. 21(1), default for Meta) or direct-marketing (Art. 21(2)).")] = None,
    reason: Annotated[Optional[str], typer.Option("--reason", help="Objection only: your particular situation, in your words (replaces the default paragraph).")] = None,
    fmt: FormatOption = "pdf",
    output: OutputOption = None,
    on: DateOption = None,
    signature: SignatureOption = None,
    force: ForceOption = False,
    no_record: Annotated[bool, typer.Option("--no-record", help="Do not record the request in the journal.")] = False,
    pdf_variant: PdfVariantOption = "pdf",
    as_json: JsonOption = False,
) -> None:
    """Write a letter (PDF by default) and record it in the journal as drafted."""
    from .. import compose, letters
    from .. import profile as profiles
    from ..i18n import language_name

    _check_format(fmt, pdf_variant)
    person = profiles.load(profile)
    request = letters.prepare(
        kind, controller, person, lang=lang, law=law, purpose=purpose, reason=reason,
        on=parse_date(on), signature=_signature(signature),
    )
    written = compose.write_letter(request, fmt, output or compose.default_path(request, fmt), overwrite=force,
                                   record=not no_record, pdf_variant=pdf_variant)
    if _report(written, as_json, letters.advice(request, fmt, written.chars)):
        return
    detail = f"{request.kind} to {request.controller.name} under {request.law.title}, in {language_name(request.lang)}"
    if written.pages:
        detail += f", {written.pages} page{'s' if written.pages > 1 else ''}"
    typer.echo(detail + ("" if no_record else "; recorded as drafted"))


@app.command("followup")
def followup(
    ref: Annotated[str, typer.Argument(metavar="REF", help="The overdue request's reference, e.g. OBJ-2026-7K3F9Q.")],
    lang: Annotated[Optional[str], typer.Option("--lang", help="Letter language (default: the first letter's).")] = None,
    fmt: FormatOption = "pdf",
    output: OutputOption = None,
    on: DateOption = None,
    signature: SignatureOption = None,
    force: ForceOption = False,
    pdf_variant: PdfVariantOption = "pdf",
    as_json: JsonOption = False,
) -> None:
    """Write the reminder for a request whose deadline has passed, and note it on its timeline."""
    from .. import compose, letters
    from ..followup import prepare_reminder, write_reminder

    _check_format(fmt, pdf_variant)
    request = prepare_reminder(ref, lang=lang, on=parse_date(on), signature=_signature(signature))
    written = write_reminder(request, fmt, output or compose.default_path(request, fmt), overwrite=force,
                             pdf_variant=pdf_variant)
    if _report(written, as_json, letters.advice(request, fmt, written.chars)):
        return
    typer.echo(f"reminder to {request.controller.name}: the answer was due {request.followup.due.isoformat()}; "  # type: ignore[union-attr]
               "noted on the request's timeline")
