"""`objector complaint` and `objector authorities list|show`: the complaint to a supervisory authority."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Annotated, Optional

import typer

from .app import JsonOption, app, parse_date, prefetch_renderer, print_json, warn
from .letters import DateOption, ForceOption, SignatureOption, _signature

authorities_app = typer.Typer(help="The supervisory authorities a complaint can go to.", no_args_is_help=True)
app.add_typer(authorities_app, name="authorities")


@app.command("complaint")
def complaint(
    ref: Annotated[str, typer.Argument(metavar="REF", help="The request's reference, e.g. OBJ-2026-7K3F9Q: overdue, "
                                       "refused, answered in part or answered late.")],
    authority: Annotated[Optional[str], typer.Option(
        "--authority", help="Where to complain (default: the authority where you live, Art. 77(1); in Germany your "
        "Land's, from the profile's region). An id from `objector authorities list`, e.g. dpc for the Irish lead "
        "authority.")] = None,
    lang: Annotated[Optional[str], typer.Option("--lang", help="Letter language (default: the request's, unless the "
                                                "authority is listed as working in another language objector writes).")] = None,
    fmt: Annotated[Optional[str], typer.Option("--format", "-f", help="pdf (default), html or txt. US state laws: form "
                                               "(default: the text for the authority's online form, within its "
                                               "character limit) or txt (in full).")] = None,
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="Output file (default: <complaint reference>-complaint-<authority>.<format> here); - "
        "writes it to standard output (a PDF only into a pipe or a file).")] = None,
    bundle: Annotated[Optional[Path], typer.Option(
        "--bundle", help="Also write a .zip with the complaint, the original letters, the evidence and manifest.json "
        "(SHA-256 of each file). It holds personal data.")] = None,
    letters_dir: Annotated[Optional[Path], typer.Option(
        "--letters", help="Folder holding the original letters for --bundle (default: the current folder).")] = None,
    on: DateOption = None,
    signature: SignatureOption = None,
    profile: Annotated[Optional[Path], typer.Option(
        "--profile", help="Your current profile (default: the saved one): gives what the letter's copy of your details "
        "lacks, such as your German Land after `objector profile edit region BE`.")] = None,
    force: ForceOption = False,
    as_json: JsonOption = False,
) -> None:
    """Write the complaint to the supervisory authority about a late or refused request, and note it on its timeline."""
    from ..letters.compose import check_stdout, is_stdout, print_document
    from ..paths import check_target
    from ..tracking import complaint as complaints
    from ..tracking.next_steps import after_complaint

    to_stdout = is_stdout(output)  # -o -: the complaint on stdout, what is said about it on stderr
    say = partial(typer.echo, err=to_stdout)
    if to_stdout and as_json:
        check_stdout("txt", output, as_json=True)
    if fmt in (None, "pdf"):
        prefetch_renderer()
    c = complaints.prepare(ref, authority=authority, lang=lang, on=parse_date(on), signature=_signature(signature),
                           profile_path=profile)
    if fmt is None and output is not None and c.statute is None:  # -o c.txt writes text, as `letter -o` does
        fmt = {".txt": "txt", ".html": "html", ".htm": "html"}.get(output.suffix.lower())
    fmt = fmt or c.default_format
    path = output or complaints.default_path(c, fmt)
    if bundle is not None:
        from ..errors import InputError

        if bundle.resolve() == path.resolve():
            raise InputError("--bundle: give the zip a name of its own, not the complaint's file name")
        check_target(bundle, overwrite=force)  # before anything is written or recorded
    written = complaints.write(c, fmt, path, overwrite=force)
    if to_stdout:
        print_document(written.data)
    for message in written.warnings:
        warn(f"WeasyPrint: {message}")
    for message in c.warnings():
        warn(message)
    if fmt == "txt" and c.authority.form_limit and written.chars and written.chars > c.authority.form_limit:
        warn(f"the text has {written.chars} characters; the online form of {c.authority.name_en} takes "
             f"{c.authority.form_limit}: summarise it there and attach the PDF as a supporting document")
    packed = None
    if bundle is not None:
        from ..tracking.bundle import write_bundle

        packed = write_bundle(written, bundle, letters_dir=letters_dir or Path("."), overwrite=force)
        for missing in packed.missing:
            warn(f"not in the bundle: {missing}")
        warn(f"{bundle} holds personal data (your letters and evidence): keep it private and send it only to the authority")
    if as_json:
        print_json(written.to_dict() | {"bundle": packed.to_dict() if packed else None})
        return
    a = c.authority
    say(f"{c.reference}  {'(standard output)' if to_stdout else path}")
    if c.statute is not None:
        _us_report(c, path, written.chars, say)
        if packed is not None:
            say(f"bundle: {bundle} ({len(packed.files)} files, manifest.json lists their SHA-256)")
        return
    say(f"complaint to {a.name_en} ({a.id}) about {c.request_reference}, in {_language(c.lang)}; "
               "noted on the request's timeline")
    if c.completed:
        address = c.sender.address
        taken = " and ".join(f"{name} {getattr(address, name)}" for name in c.completed)
        typer.echo(f"your {taken} taken from your current profile: the letter's copy of your details had none")
    if lang is None and c.lang != c.request.lang:
        works = "works in" if a.is_verified("languages") else "is listed as working in (UNVERIFIED)"
        say(f"written in {_language(c.lang)}: {a.name_en} {works} {', '.join(a.languages)}; "
                   f"--lang {c.request.lang} writes it in {_language(c.request.lang)}")
    if a.web:
        say(f"online route: {a.web}" + ("" if a.is_verified("web") else " (UNVERIFIED)"))
    if a.route:
        say(f"how {a.name_en} takes complaints: {a.route}" + ("" if a.is_verified("route") else " (UNVERIFIED)"))
    if c.lead is not None and c.lead.id != a.id:
        say(f"the lead authority for {c.request.controller.name} is {c.lead.name_en} (Art. 56(1)): "
                   f"--authority {c.lead.short_ids[-1]} writes to it instead")
    elif c.residence is not None and c.residence.id != a.id:
        say(f"the authority where you live is {c.residence.name_en}: --authority {c.residence.short_ids[-1]}")
    if packed is not None:
        say(f"bundle: {bundle} ({len(packed.files)} files, manifest.json lists their SHA-256)")
    for line in after_complaint(c, fmt, path.name):
        say(line)


def _us_report(c, path: Path, chars: int | None, say) -> None:
    """Where a US complaint's text goes: the CPPA's online form, or the Attorney General's route."""
    a = c.authority
    say(f"complaint to {a.name_en} about {c.request_reference} under {c.request.law.title}; noted on the "
               "request's timeline")
    if a.web:
        limit = f" ({chars} characters of the {a.form_limit} the form takes)" if a.form_limit and chars else ""
        say(f"Next: paste the text into the description field of the online complaint form of {a.name_en}: "
                   f"{a.web}{'' if a.is_verified('web') else ' (UNVERIFIED)'}{limit}")
    else:
        say(f"Next: paste the text of {path} into the complaint form of {a.name_en} (find it on the official "
                   "website: objector knows no verified route)")
    if a.route:
        say(f"how {a.name_en} takes complaints: {a.route}" + ("" if a.is_verified("route") else " (UNVERIFIED)"))
    say("Keep the documents the text lists: the authority may ask for them.")


def _language(lang: str) -> str:
    from ..i18n import language_name

    return language_name(lang)


@authorities_app.command("list")
def authorities_list(
    country: Annotated[Optional[str], typer.Option("--country", help="Only this country (ISO code, e.g. DE).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Every supervisory authority objector knows, and whether its postal address is verified."""
    from ..law.authorities import authorities

    shown = [a for a in authorities() if country is None or a.country == country.strip().upper()]
    if as_json:
        print_json([a.to_dict() for a in shown])
        return
    width = max((len(a.id) for a in shown), default=2)
    for a in shown:
        where = a.country + (f"-{a.region}" if a.region else "")
        mark = "verified" if a.verified else "UNVERIFIED address"
        typer.echo(f"{a.id:<{width}}  {where:<5}  {mark:<18}  {a.name_en}")
    verified = sum(a.verified for a in shown)
    typer.echo(f"{len(shown)} authorities, {verified} with a verified postal address; "
               "`objector authorities show ID` gives the details and sources")


@authorities_app.command("show")
def authorities_show(
    authority: Annotated[str, typer.Argument(metavar="ID", help="An id from `objector authorities list`, e.g. ie-dpc or dpc.")],
    as_json: JsonOption = False,
) -> None:
    """One authority: name, address, complaint route, languages, sources, and what is not verified."""
    from ..law.authorities import get

    a = get(authority)
    if as_json:
        print_json(a.to_dict())
        return
    flag = lambda field: "" if a.is_verified(field) else "  (UNVERIFIED)"  # noqa: E731
    lines = [f"{a.id}  {a.name}{flag('name')}", f"  English: {a.name_en}"]
    lines.append("  address: " + (" / ".join(a.address) if a.address else "none known")
                 + ("" if a.verified else "  (UNVERIFIED: not seen on an official page)"))
    if a.email:
        lines.append(f"  e-mail: {a.email}{flag('email')}")
    if a.web:
        lines.append(f"  online: {a.web}{flag('web')}")
    if a.route:
        lines.append(f"  route: {a.route}{flag('route')}")
    if a.languages_rule:
        lines.append(f"  languages: {a.languages_rule}")
    elif a.languages:
        lines.append(f"  languages: {', '.join(a.languages)}{flag('languages')}")
    if a.competence:
        lines.append(f"  competence: {a.competence}")
    if a.outdated_address:
        lines.append(f"  outdated address: {' / '.join(a.outdated_address)} (the authority has moved: do not post there)")
    lines += [f"  note: {note}" for note in a.notes]
    lines += ["  sources:"] + [f"    - {source}" for source in a.sources]
    for line in lines:
        typer.echo(line)
