"""`objector guide`: the ways to object where you live, in your language."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from .app import ControllerFileOption, JsonOption, ProfileOption, app, print_json


@app.command("guide")
def guide(
    controller: Annotated[str, typer.Argument(help="The service, e.g. meta (resolved from your country).")] = "meta",
    country: Annotated[Optional[str], typer.Option("--country", help="Where you live: an ISO code such as DE, GB or "
                                                   "US-CA (default: your profile's).")] = None,
    lang: Annotated[Optional[str], typer.Option("--lang", help="Language of the guide (default: your profile's, "
                                                "else en).")] = None,
    profile: ProfileOption = None,
    controller_file: ControllerFileOption = None,
    as_json: JsonOption = False,
) -> None:
    """The steps to object to AI training where you live: Meta's in-app form (EU, UK) with the forms' addresses
    and what to keep, or what helps where no law gives the right (US); for other services their own setting or
    form from the registry; what an objection cannot do."""
    from ..errors import InputError, NotFoundError
    from ..letters import guide as guides
    from ..people import profile as profiles
    from ..people import registry

    person = None
    try:
        person = profiles.load(profile)
    except NotFoundError:
        if profile is not None or country is None:
            raise InputError("where do you live? Give --country (e.g. --country DE, --country US-CA), "
                             "or save a profile with `objector init`") from None
    if country is not None:
        where = guides.parse_where(country)
    else:
        assert person is not None  # no profile and no --country was refused above
        where = (person.address.country, person.address.region)
    result = guides.build(controller, *where, lang=lang or (person.language if person else "en"),
                          extra=registry.load_file(controller_file))
    if as_json:
        print_json(result.to_dict())
    else:
        typer.echo(result.text(), nl=False)
