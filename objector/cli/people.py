"""`objector init`, `objector profile show`, `objector controllers list|search|show|update`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Optional

import typer

from .app import ControllerFileOption, JsonOption, ProfileOption, app, print_json

profile_app = typer.Typer(help="Your saved details.", no_args_is_help=True)
controllers_app = typer.Typer(help="The companies objector writes to: its verified records, and the open dataset's.",
                               no_args_is_help=True)
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
    from ..errors import OutputError
    from ..i18n import supported_languages
    from ..people import profile as profiles

    path = Path(profile) if profile else profiles.default_path()
    if path.exists() and not force and not typer.confirm(f"A profile exists at {path}. Replace it?", default=False):
        raise OutputError(f"{path} exists; kept it unchanged")
    optional = lambda label: (lambda value: profiles.validate_line(label, value, required=False))  # noqa: E731
    name = ask("Full name", profiles.validate_name)
    email = ask("E-mail address (the one your accounts use)", profiles.validate_email)
    language = ask(f"Letter language ({', '.join(supported_languages())})", profiles.validate_language, "en")
    lines = [line for line in [ask("c/o line (optional: the person or company your post goes through)",
                                   optional("c/o line"), "")] if line]
    lines.append(ask("Street and number", lambda v: profiles.validate_line("street", v)))
    while len(lines) < profiles.MAX_ADDRESS_LINES:  # the documented maximum, and no more
        more = ask(f"Further address line (optional, {profiles.MAX_ADDRESS_LINES - len(lines)} more at most: "
                   "building, floor, district; Enter ends the address)", optional("address line"), "")
        if not more:
            break
        lines.append(more)
    postcode = ask("Postcode (optional where none is used)", optional("postcode"), "")
    city = ask("City", lambda v: profiles.validate_line("city", v))
    country = ask("Country (ISO code, e.g. IE, DE, GB, US)", profiles.validate_country)
    region = ""
    if country in {"US", "GB"}:
        region = ask("State or nation (e.g. CA for California, SCT for Scotland; optional)", optional("region"), "")
    elif country == "DE":
        from ..law.authorities import GERMAN_LANDS

        # Each Land has its own data-protection authority: a complaint goes to the Land's.
        region = ask(f"Land ({', '.join(GERMAN_LANDS)}; e.g. BE for Berlin: your Land's authority takes a complaint)",
                     lambda v: profiles.validate_region(v, "DE") or profiles.validate_line("Land", v))
    accounts = {}
    for service in ("instagram", "facebook", "threads"):
        handle = ask(f"{service.title()} username or profile URL (optional)", optional(service), "")
        if handle:
            accounts[service] = handle
    person = profiles.from_dict({
        "name": name, "email": email, "language": language,
        "address": {"lines": lines, "postcode": postcode, "city": city, "country": country, "region": region},
        "accounts": accounts,
    })
    typer.echo("\nYour profile:\n" + profiles.dumps(person).rstrip() + "\n")
    if not typer.confirm(f"Save it to {path}?", default=True):
        typer.echo("Nothing was saved: run `objector init` again to start over.")
        return
    written = profiles.save(person, path, overwrite=True)
    typer.echo(f"Saved your profile to {written}. Next: `objector guide` shows the ways to object where you live.")


@profile_app.command("show")
def profile_show(profile: ProfileOption = None, as_json: JsonOption = False) -> None:
    """Show the profile the letters are written from."""
    from ..people import profile as profiles

    person = profiles.load(profile)
    if as_json:
        print_json(person.to_dict())
    else:
        typer.echo(profiles.dumps(person).rstrip())


@profile_app.command("edit")
def profile_edit(
    key: Annotated[str, typer.Argument(metavar="KEY", help="name, email, language, street (the street line; a c/o "
                                       "line above it stays), street1 to street4 (the address lines by position), "
                                       "lines (all address lines at once, one VALUE each), postcode, city, country, "
                                       "region (a US state, a UK nation or a German Land, e.g. BE), or "
                                       "accounts.SERVICE (e.g. accounts.instagram).")],
    value: Annotated[list[str], typer.Argument(metavar="VALUE...", help="The new value (\"\" removes an account, an "
                                               "address line or an optional field); for lines, one value a line.")],
    profile: ProfileOption = None,
) -> None:
    """Change one field of your profile, checked like the whole profile."""
    from ..people import profile as profiles

    path = Path(profile) if profile else profiles.default_path()
    person, old = profiles.edit(profiles.load(path), key, value)
    profiles.save(person, path, overwrite=True)
    removed = not " ".join(value).strip()
    new = "" if removed else profiles.edit(person, key, value)[1]  # as validated (e.g. a country in capitals)
    shown = lambda v: " / ".join(v) if isinstance(v, list) else v  # noqa: E731
    typer.echo(f"{key}: {shown(old) or '(empty)'} → {shown(new) or '(removed)'}; saved to {path}")


@controllers_app.command("list")
def controllers_list(
    country: Annotated[Optional[str], typer.Option("--country", help="Only who is the controller for a person living in this country (ISO code; US-CA for a state).")] = None,
    controller_file: ControllerFileOption = None,
    as_json: JsonOption = False,
) -> None:
    """List the controllers objector knows, or who is the controller for a person in one country."""
    from ..letters.guide import parse_where
    from ..people import registry

    extra = registry.load_file(controller_file)
    if country is None:
        entries = registry.all_controllers(extra=extra)
        if as_json:
            print_json([c.to_dict() for c in entries])
            return
        for c in entries:
            typer.echo(f"{c.id:<26} {c.service:<14} {c.name} ({', '.join(c.products)}; for {', '.join(c.regions)}){_flags(c)}")
        return
    code = parse_where(country)[0]  # the entity depends on the country alone; a state (US-CA) is accepted
    found = registry.for_country(code, extra=extra)
    if as_json:
        print_json([{"service": service, "controller": c.to_dict() if c else None} for service, c in found])
        return
    typer.echo(f"Controllers for a person in {code}:")
    for service, entity in found:
        if entity is None:
            typer.echo(f"  {service:<14} -  (objector knows no {service} entity for people in {code})")
        else:
            typer.echo(f"  {service:<14} {entity.id:<26} {entity.name}{_flags(entity)}")


def _flags(c) -> str:
    flags = [] if c.verified else ["controller unverified"]
    if not c.address:
        flags.append("no postal address")
    elif not c.address_verified:
        flags.append("address unverified")
    return f"  [{'; '.join(flags)}]" if flags else ""


@controllers_app.command("show")
def controllers_show(
    controller_id: Annotated[str, typer.Argument(metavar="ID", help="A service (`meta`), a product (`instagram`), a controller id (`meta-ireland`) or the slug of an open-dataset record (`controllers search` finds it).")],
    country: Annotated[Optional[str], typer.Option("--country", help="Resolve a service for this country, e.g. DE or US-CA (default: your profile's).")] = None,
    profile: ProfileOption = None,
    controller_file: ControllerFileOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show a controller: address, routes, opt-outs, processing, sources, what is unverified, and which
    letters you can send it. A service shows the entity for your country, or every entity without a profile."""
    from ..letters.guide import parse_where
    from ..people import registry

    extra = registry.load_file(controller_file)
    person = _optional_profile(profile)
    where, region = parse_where(country) if country else (person.address.country, "") if person else (None, "")
    if not region and person and person.address.country == where:
        region = person.address.region  # the state decides which US law's letters can be sent
    entries: tuple[registry.Controller, ...]
    if where and registry.service_named(controller_id, extra):
        entries = (registry.resolve(controller_id, where, extra=extra),)
    else:
        entries = registry.entities(controller_id, extra=extra)
    if as_json:
        data = [c.to_dict() | ({"letters": _letters_json(c, where, region, extra)} if where else {}) for c in entries]
        print_json(data[0] if len(entries) == 1 else data)
        return
    blocks = [_describe(c) + (_letters_text(c, where, region, extra) if where else []) for c in entries]
    typer.echo("\n\n".join("\n".join(lines) for lines in blocks))


def _optional_profile(path: Path | None):
    """The profile if there is one; a missing default profile is no error here (a named one is)."""
    from ..errors import NotFoundError
    from ..people import profile as profiles

    try:
        return profiles.load(path)
    except NotFoundError:
        if path is not None:
            raise
        return None


def _describe(c) -> list[str]:
    unverified = lambda ok: "" if ok else "  [UNVERIFIED]"  # noqa: E731
    also = f" (also: {', '.join(c.aliases)})" if c.aliases else ""
    address = f"{', '.join(c.address)}, {c.address_country}{unverified(c.address_verified)}" if c.address else "none known"
    lines = [
        f"{c.name}  ({c.id})",
        f"  service:   {c.service}{also}",
        f"  products:  {', '.join(c.products)}",
        f"  for:       {', '.join(c.regions)}",
        f"  address:   {address}",
        f"  e-mail:    {c.email or 'none published'}",
    ]
    lines += [f"  web form:  {f.label}" + (f": {f.url}" if f.url else "") + unverified(f.verified) for f in c.web_forms]
    for o in c.opt_outs:
        where = "; ".join(part for part in (o.url, f"in the app: {o.path}" if o.path else "") if part)
        lines.append(f"  opt-out:   {o.purpose}: {o.label} ({where}){unverified(o.verified)}")
    for p in c.processing:
        basis = f", basis Art. {p.basis}" if p.basis else ""
        since = f", since {p.since.isoformat()}" if p.since else ""
        lines.append(f"  processing: {p.purpose}{basis}{since} ({p.source})")
    lines += [f"  replies from: {d.domain} ({d.source})" for d in c.reply_domains]
    if c.secondary:
        lines += _secondary_lines(c)
    else:
        lines.append(f"  verified:  {'yes' if c.verified else 'NO'} (checked {c.checked})")
    lines += [f"  source:    {s}" for s in c.sources]
    lines += [f"  note:      {n}" for n in c.notes]
    if not c.builtin and not c.secondary:
        lines.append("  from:      --controller-file")
    return lines


def _secondary_lines(c) -> list[str]:
    """What a dataset record says besides where to write: its tier first, so that it is never taken for verified."""
    facts = c.secondary
    lines = [f"  tier:      secondary: the open dataset's record, not verified by objector (quality {facts.quality!r} "
             f"is the dataset's own judgement; snapshot of {c.checked})"]
    if facts.address_problem:
        lines.append(f"  address as given: {facts.address_text!r} (cannot be read: {facts.address_problem})")
    if facts.required:
        needs = ", ".join(f"{desc} ({kind}{', optional' if optional else ''})" for desc, kind, optional in facts.required)
        lines.append(f"  needs:     {needs} (add what the letter lacks with --detail 'LABEL: VALUE')")
    if facts.language:
        lines.append(f"  language:  requests in {facts.language!r}")
    if facts.needs_id:
        lines.append("  ID:        asks for an ID document with every request")
    if facts.medium:
        lines.append(f"  send by:   {facts.medium} (what the dataset suggests)")
    return lines


@controllers_app.command("search")
def controllers_search(
    text: Annotated[str, typer.Argument(metavar="TEXT", help="A name, brand, product or website (asos.com); a typo is forgiven.")],
    country: Annotated[Optional[str], typer.Option("--country", help="Only companies relevant for a person in this country (ISO code; default: your profile's; `all` for every country).")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=100, help="How many to show at most.")] = 10,
    profile: ProfileOption = None,
    controller_file: ControllerFileOption = None,
    as_json: JsonOption = False,
) -> None:
    """Find a company among the verified controllers and the open dataset's 3,000, by name, brand or website."""
    from ..letters.guide import parse_where
    from ..people import registry
    from ..people.search import search

    extra = registry.load_file(controller_file)
    if country and country.strip().lower() == "all":
        where = None
    elif country:
        where = parse_where(country)[0]
    else:
        person = _optional_profile(profile)
        where = person.address.country if person else None
    hits, elsewhere = search(text, where, limit=limit, extra=extra)
    if as_json:
        print_json({"country": where, "hits": [h.to_dict() for h in hits], "only_elsewhere": elsewhere})
        return
    for h in hits:
        tier = "verified " if h.tier == "verified" else "secondary"
        typer.echo(f"{h.name:<26} {tier}  {h.title}  ({h.matched})")
    if not hits:
        typer.echo(f"No company matches {text!r}" + (f" for {where}" if where else "") + ".")
    if elsewhere:
        more = "1 more company matches" if elsewhere == 1 else f"{elsewhere} more companies match"
        typer.echo(f"({more} only for other countries than {where}: --country all shows them)")
    if hits:
        typer.echo(f"`objector controllers show {hits[0].name}` shows one; `objector letter KIND {hits[0].name}` writes to it. "
                   "Secondary records come from the open dataset and are not verified by objector.")


@controllers_app.command("update")
def controllers_update(
    snapshot: Annotated[Path, typer.Argument(metavar="FILE", help="A newer snapshot of the open dataset (JSON, or JSON.gz), in the schema of the one objector ships.")],
    as_json: JsonOption = False,
) -> None:
    """Use a newer snapshot of the open controller dataset: checked record by record, kept in your data
    directory (mode 0600) in preference to the shipped one. objector never fetches it by itself."""
    from ..people import dataset

    new = dataset.read_snapshot(snapshot)
    old, origin = dataset.load()
    changed = dataset.changes(old, new)
    path = dataset.install(new)
    if as_json:
        print_json({"path": str(path), "commit": new.commit, "commit_date": new.commit_date,
                    "loaded": len(new.records), "refused": new.refused, "added": list(changed.added),
                    "removed": list(changed.removed), "changed": list(changed.changed)})
        return
    before = "the shipped snapshot" if origin == "shipped" else "your previous snapshot"
    typer.echo(f"{len(new.records)} companies from the snapshot of {new.commit_date} (commit {new.commit[:12]}), "
               f"saved to {path}")
    typer.echo(f"compared with {before} (commit {old.commit[:12]}): {len(changed.added)} added, "
               f"{len(changed.removed)} removed, {len(changed.changed)} changed")
    for label, slugs in (("added", changed.added), ("removed", changed.removed), ("changed", changed.changed)):
        if slugs:
            shown = ", ".join(slugs[:10]) + (f" and {len(slugs) - 10} more" if len(slugs) > 10 else "")
            typer.echo(f"  {label}: {shown}")
    if new.refused:
        typer.echo(f"{len(new.refused)} {'record' if len(new.refused) == 1 else 'records'} refused:")
        for slug, reason in new.refused.items():
            typer.echo(f"  {slug}: {reason}")


def _letters_json(c, where: str, region: str, extra) -> dict:
    from ..people import registry

    other = _entity_for(c, where, extra)
    if other is not c:
        return {"country": where, "region": region or None, "controller_for_you": other.id if other else None, "kinds": []}
    return {
        "country": where, "region": region or None, "controller_for_you": c.id,
        "by_post": not registry.postal_problem(c),
        "kinds": [{"kind": o.kind, "law": o.law_title or None, "purposes": list(o.purposes), "refusal": o.refusal or None}
                  for o in registry.letter_options(c, where, region)],
    }


def _letters_text(c, where: str, region: str, extra) -> list[str]:
    from ..people import registry

    person = f"{where}-{region}" if region else where
    other = _entity_for(c, where, extra)
    if other is None:
        return [f"  letters:   objector knows no {c.service} entity that is the controller for people in {person}"]
    if other is not c:
        return [f"  letters:   not the controller for people in {person}: that is {other.name} ({other.id})"]
    lines = [f"  letters for a person in {person}:"]
    for o in registry.letter_options(c, where, region):
        if o.refusal:
            lines.append(f"    {o.kind}: no: {o.refusal}")
        else:
            lines.append(f"    {o.kind}: yes, under {o.law_title}" + (f" ({', '.join(o.purposes)})" if o.purposes else ""))
    problem = registry.postal_problem(c)
    if problem:
        lines.append(f"    by post: no: {problem}")
    return lines


def _entity_for(c, where: str, extra):
    """The entity of c's service that is the controller for people in `where` (c itself, another, or None)."""
    from ..errors import NotFoundError
    from ..people import registry

    try:
        found = registry.resolve(c.service, where, extra=extra)
    except NotFoundError:
        return None
    return c if found.id == c.id else found
