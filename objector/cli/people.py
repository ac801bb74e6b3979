"""`objector init`, `objector profile show`, `objector controllers list|show`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Optional

import typer

from .app import JsonOption, ProfileOption, app, print_json

profile_app = typer.Typer(help="Your saved details.", no_args_is_help=True)
controllers_app = typer.Typer(help="The companies objector writes to.", no_args_is_help=True)
app.add_typer(profile_app, name="profile")
app.add_typer(controllers_app, name="controllers")


def ask(label: str, check: Callable[[str], str], default: str | None = None) -> str:
    """Prompt until the answer passes `check`; an invalid answer is explained and asked again."""
    from ..errors import InputError

    while True:
        answer = typer.prompt(label, default=default, show_default=bool(default)) if default is not None else typer.prompt(label)
        try:
            return check(answer)
        except InputError as exc:
            typer.echo(f"  {exc.message}", err=True)


@app.command("init")
def init(
    profile: ProfileOption = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing profile without asking.")] = False,
) -> None:
    """Ask for your details and save them as your profile (mode 0600)."""
    from .. import profile as profiles
    from ..errors import OutputError
    from ..i18n import supported_languages

    path = Path(profile) if profile else profiles.default_path()
    if path.exists() and not force and not typer.confirm(f"A profile exists at {path}. Replace it?", default=False):
        raise OutputError(f"{path} exists; kept it unchanged")
    optional = lambda label: (lambda value: profiles.validate_line(label, value, required=False))  # noqa: E731
    name = ask("Full name", profiles.validate_name)
    email = ask("E-mail address (the one your accounts use)", profiles.validate_email)
    language = ask(f"Letter language ({', '.join(supported_languages())})", profiles.validate_language, "en")
    street = ask("Street and number", lambda v: profiles.validate_line("street", v))
    street2 = ask("Second address line (optional)", optional("address line"), "")
    postcode = ask("Postcode (optional where none is used)", optional("postcode"), "")
    city = ask("City", lambda v: profiles.validate_line("city", v))
    country = ask("Country (ISO code, e.g. IE, DE, GB, US)", profiles.validate_country)
    region = ""
    if country in {"US", "GB"}:
        region = ask("State or nation (e.g. CA for California, SCT for Scotland; optional)", optional("region"), "")
    accounts = {}
    for service in ("instagram", "facebook", "threads"):
        handle = ask(f"{service.title()} username or profile URL (optional)", optional(service), "")
        if handle:
            accounts[service] = handle
    person = profiles.from_dict({
        "name": name, "email": email, "language": language,
        "address": {"lines": [street, street2], "postcode": postcode, "city": city, "country": country, "region": region},
        "accounts": accounts,
    })
    written = profiles.save(person, path, overwrite=True)
    typer.echo(f"Saved your profile to {written}")


@profile_app.command("show")
def profile_show(profile: ProfileOption = None, as_json: JsonOption = False) -> None:
    """Show the profile the letters are written from."""
    from .. import profile as profiles

    person = profiles.load(profile)
    if as_json:
        print_json(person.to_dict())
    else:
        typer.echo(profiles.dumps(person).rstrip())


@controllers_app.command("list")
def controllers_list(as_json: JsonOption = False) -> None:
    """List the controllers objector knows."""
    from .. import registry

    entries = registry.controllers()
    if as_json:
        print_json([c.to_dict() for c in entries])
        return
    for c in entries:
        flag = "" if c.verified and c.address_verified else "  [unverified]"
        typer.echo(f"{c.id:<18} {c.service:<10} {c.name} ({', '.join(c.products)}; for {', '.join(c.regions)}){flag}")


@controllers_app.command("show")
def controllers_show(
    controller_id: Annotated[str, typer.Argument(metavar="ID", help="A controller id, or a service with --country.")],
    country: Annotated[Optional[str], typer.Option("--country", help="Resolve a service such as `meta` for this country.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Show one controller: address, routes, processing, sources and what is unverified."""
    from .. import registry
    from ..profile import validate_country

    c = registry.resolve(controller_id, validate_country(country)) if country else registry.get(controller_id)
    if as_json:
        print_json(c.to_dict())
        return
    lines = [
        f"{c.name}  ({c.id})",
        f"  products:  {', '.join(c.products)}",
        f"  for:       {', '.join(c.regions)}",
        f"  address:   {', '.join(c.address)}, {c.address_country}" + ("" if c.address_verified else "  [UNVERIFIED]"),
        f"  e-mail:    {c.email or 'none published'}",
    ]
    lines += [f"  web form:  {f.label}" + (f": {f.url}" if f.url else "") for f in c.web_forms]
    for p in c.processing:
        basis = f", basis Art. {p.basis} GDPR" if p.basis else ""
        since = f", since {p.since.isoformat()}" if p.since else ""
        lines.append(f"  processing: {p.purpose}{basis}{since} ({p.source})")
    lines.append(f"  verified:  {'yes' if c.verified else 'NO'} (checked {c.checked})")
    lines += [f"  source:    {s}" for s in c.sources]
    lines += [f"  note:      {n}" for n in c.notes]
    typer.echo("\n".join(lines))
