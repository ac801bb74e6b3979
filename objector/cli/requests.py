"""`objector record` (a request made outside objector, e.g. in the app) and `objector discard` (a draft
never sent)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .app import ControllerFileOption, JsonOption, ProfileOption, app, parse_date, print_json


@app.command("record")
def record(
    kind: Annotated[str, typer.Argument(help="objection or access.")],
    controller: Annotated[str, typer.Argument(help="Who it went to: a service such as `meta` (resolved from your "
                                              "country) or a controller id.")],
    via: Annotated[str, typer.Option("--via", help="How you made it: app (Meta's in-app form), webform, email or "
                                     "post.")] = "app",
    on: Annotated[Optional[str], typer.Option("--on", metavar="DATE", help="The day you sent it, YYYY-MM-DD "
                                              "(default: the Date header of an .eml given as --evidence, else today).")] = None,
    received_on: Annotated[Optional[str], typer.Option("--received-on", metavar="DATE", help="The day it was received, "
                                                       "if it differs (post).")] = None,
    evidence: Annotated[Optional[list[Path]], typer.Option("--evidence", metavar="FILE", help="The confirmation to keep "
                                                           "(e-mail as .eml, screenshot): copied into the journal. "
                                                           "Repeat for several.")] = None,
    purpose: Annotated[Optional[str], typer.Option("--purpose", help="Objection only: ai-training (default for Meta) "
                                                   "or direct-marketing.")] = None,
    law: Annotated[Optional[str], typer.Option("--law", help="Law it was made under (default: the one where you "
                                               "live).")] = None,
    profile: ProfileOption = None,
    controller_file: ControllerFileOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record a request you made without a letter (e.g. Meta's in-app objection form): it gets a reference,
    its deadline is counted, and it is tracked like a letter."""
    from ..letters.eml import dated_by_message
    from ..people import profile as profiles
    from ..people import registry
    from ..tracking.next_steps import after_event
    from ..tracking.recording import record_request
    from .log import say_dated
    from .status import controller_name, standing_words

    files = list(evidence or ())
    day = parse_date(on, "--on")
    dated_by = dated_by_message(files) if day is None else None
    if dated_by:
        day = dated_by[1]
    tracking = record_request(kind, controller, profiles.load(profile), via=via, on=day,
                              received_on=parse_date(received_on, "--received-on"), evidence=files,
                              law=law, purpose=purpose, extra_controllers=registry.load_file(controller_file))
    if as_json:
        print_json({"status": tracking.to_dict(), "next": after_event(tracking)})
        return
    say_dated(dated_by)
    r = tracking.request
    typer.echo(f"{r.reference}  {r.kind} to {controller_name(r)} recorded without a letter, sent "
               f"{tracking.via_words}. "
               f"{standing_words(tracking)}")
    for line in after_event(tracking):
        typer.echo(line)


@app.command("discard")
def discard(
    ref: Annotated[str, typer.Argument(metavar="REF", help="The draft's reference, e.g. OBJ-2026-7K3F9Q.")],
    note: Annotated[Optional[str], typer.Option("--note", help="Why, in a few words.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Take a letter that was never sent out of your requests. The journal keeps it, marked discarded: the record
    is never deleted."""
    from ..journal import Journal
    from ..reference import normalize
    from ..tracking.events import discard as discard_draft

    reference = normalize(ref)
    with Journal.open(create=False) as journal:
        event = discard_draft(journal, reference, note=note)
    if as_json:
        print_json({"event": event.to_dict()})
        return
    typer.echo(f"{reference}: discarded (never sent). It no longer shows in `objector status`; "
               f"`objector show {reference}` still shows its record.")
