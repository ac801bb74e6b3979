"""`objector letter`: write a letter and record it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .app import JsonOption, ProfileOption, app, parse_date, print_json, warn


@app.command("letter")
def letter(
    kind: Annotated[str, typer.Argument(help="objection or access.")],
    controller: Annotated[str, typer.Argument(help="Who it goes to: a service such as `meta` (resolved from your country) or a controller id (`objector controllers list`).")],
    profile: ProfileOption = None,
    lang: Annotated[Optional[str], typer.Option("--lang", help="Letter language (default: the profile's).")] = None,
    law: Annotated[Optional[str], typer.Option("--law", help="Law to cite (default: the one where you live): gdpr, uk-gdpr.")] = None,
    purpose: Annotated[Optional[str], typer.Option("--purpose", help="Objection only: ai-training (Art. 21(1), default for Meta) or direct-marketing (Art. 21(2)).")] = None,
    reason: Annotated[Optional[str], typer.Option("--reason", help="Objection only: your particular situation, in your words (replaces the default paragraph).")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="pdf, html, txt (for a web form or e-mail body) or eml (e-mail with the PDF attached).")] = "pdf",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Output file (default: <reference>-<kind>-<controller>.<format> here).")] = None,
    on: Annotated[Optional[str], typer.Option("--date", help="The letter's date, YYYY-MM-DD (default: today).")] = None,
    signature: Annotated[Optional[Path], typer.Option("--signature", help="PNG or JPEG image of your signature (default: a line to sign by hand).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing output file.")] = False,
    no_record: Annotated[bool, typer.Option("--no-record", help="Do not record the request in the journal.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Write a letter (PDF by default) and record it in the journal as drafted."""
    from .. import compose, letters
    from .. import profile as profiles
    from ..errors import InputError
    from ..i18n import language_name

    if fmt not in compose.FORMATS:
        raise InputError(f"--format: {fmt!r} is not one of {', '.join(compose.FORMATS)}")
    if fmt in compose.PDF_FORMATS:
        from ..render import prefetch

        prefetch()  # WeasyPrint's import overlaps with loading the profile and filling the template
    person = profiles.load(profile)
    request = letters.prepare(
        kind, controller, person, lang=lang, law=law, purpose=purpose, reason=reason,
        on=parse_date(on), signature=letters.read_signature(signature) if signature else None,
    )
    path = output or compose.default_path(request, fmt)
    written = compose.write_letter(request, fmt, path, overwrite=force, record=not no_record)
    for message in written.warnings:
        warn(f"WeasyPrint: {message}")
    for message in letters.advice(request, fmt, written.chars):
        warn(message)
    if as_json:
        print_json(written.to_dict())
        return
    typer.echo(f"{written.reference}  {written.path}")
    detail = f"{request.kind} to {request.controller.name} under {request.law.title}, in {language_name(request.lang)}"
    if written.pages:
        detail += f", {written.pages} page{'s' if written.pages > 1 else ''}"
    typer.echo(detail + ("" if no_record else "; recorded as drafted"))


@app.command("followup")
def followup(
    ref: Annotated[str, typer.Argument(metavar="REF", help="The overdue request's reference, e.g. OBJ-2026-7K3F9Q.")],
    lang: Annotated[Optional[str], typer.Option("--lang", help="Letter language (default: the first letter's).")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="pdf, html, txt or eml.")] = "pdf",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Output file (default: <reference>-reminder-<controller>.<format> here).")] = None,
    on: Annotated[Optional[str], typer.Option("--date", help="The reminder's date, YYYY-MM-DD (default: today).")] = None,
    signature: Annotated[Optional[Path], typer.Option("--signature", help="PNG or JPEG image of your signature.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing output file.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Write the reminder for a request whose deadline has passed, and note it on its timeline."""
    from .. import compose, letters
    from ..errors import InputError
    from ..followup import prepare_reminder, write_reminder

    if fmt not in compose.FORMATS:
        raise InputError(f"--format: {fmt!r} is not one of {', '.join(compose.FORMATS)}")
    request = prepare_reminder(ref, lang=lang, on=parse_date(on),
                               signature=letters.read_signature(signature) if signature else None)
    path = output or compose.default_path(request, fmt)
    written = write_reminder(request, fmt, path, overwrite=force)
    for message in written.warnings:
        warn(f"WeasyPrint: {message}")
    if as_json:
        print_json(written.to_dict())
        return
    typer.echo(f"{written.reference}  {written.path}")
    typer.echo(f"reminder to {request.controller.name}: the answer was due {request.followup.due.isoformat()}; "
               "noted on the request's timeline")
