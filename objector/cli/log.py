"""`objector log sent|confirmed|reply|supplied|note`: what happened to a request, recorded on its timeline.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from ..text import printable
from .app import JsonOption, RefArgument, app, parse_date, print_json

if TYPE_CHECKING:
    pass




log_app = typer.Typer(
    help="Record what happened to a request: sent, confirmed, reply, supplied (ID), note.",
    no_args_is_help=True,
)



app.add_typer(log_app, name="log")






OnOption = Annotated[Optional[str], typer.Option("--on", metavar="DATE", help="The day it happened, YYYY-MM-DD "
                                                 "(default: the Date header of an .eml given as --evidence, else today).")]



EvidenceOption = Annotated[
    Optional[list[Path]],
    typer.Option("--evidence", metavar="FILE", help="A file to keep as proof (screenshot, e-mail, PDF): copied into the journal. "
                 "Repeat for several."),
]



@log_app.command("sent")
def log_sent(
    ref: RefArgument,
    on: OnOption = None,
    via: Annotated[Optional[str], typer.Option("--via", help="post, email, webform or app (default: post for a PDF, "
                                               "email for an .eml, webform for a .txt).")] = None,
    received_on: Annotated[Optional[str], typer.Option(
        "--received-on", metavar="DATE", help="The day the controller received it, if known, YYYY-MM-DD. Without it: the sent date "
        "for email, webform and app; for post, 5 days after posting, 8 to another country, never a Sunday or holiday (shown as assumed).")] = None,
    evidence: EvidenceOption = None,
    before_draft: Annotated[bool, typer.Option("--before-draft", help="Accept an --on date before the letter's: you "
                                               "really sent the request earlier (e.g. through the app).")] = False,
    as_json: JsonOption = False,
) -> None:
    """Record that you sent the request (again: corrects the date, or adds --received-on)."""
    _log(ref, "sent", as_json, on=parse_date(on, "--on"), via=via,
         received_on=parse_date(received_on, "--received-on"), evidence=evidence or (),
         before_draft=before_draft)



@log_app.command("confirmed")
def log_confirmed(
    ref: RefArgument,
    on: OnOption = None,
    received_on: Annotated[Optional[str], typer.Option(
        "--received-on", metavar="DATE", help="The day of receipt the confirmation states, YYYY-MM-DD, if it says.")] = None,
    evidence: EvidenceOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record that the controller confirmed receipt."""
    _log(ref, "confirmed", as_json, on=parse_date(on, "--on"), received_on=parse_date(received_on, "--received-on"),
         evidence=evidence or ())



@log_app.command("reply")
def log_reply(
    ref: RefArgument,
    outcome: Annotated[str, typer.Option("--outcome", help="complied, refused, partial, extended (deadline extended), "
                                         "needs-id (asks for ID or clarification: the clock stops) or other.")],
    on: OnOption = None,
    note: Annotated[Optional[str], typer.Option("--note", help="What the reply said, in a few words.")] = None,
    missing: Annotated[Optional[str], typer.Option("--missing", help="With --outcome partial: what the reply left "
                                                   "out, in a few words; a complaint names it.")] = None,
    evidence: EvidenceOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record the controller's reply and its outcome."""
    _log(ref, "reply", as_json, on=parse_date(on, "--on"), outcome=outcome, note=note, missing=missing,
         evidence=evidence or ())



@log_app.command("supplied")
def log_supplied(
    ref: RefArgument,
    on: OnOption = None,
    note: Annotated[Optional[str], typer.Option("--note", help="What you supplied.")] = None,
    evidence: EvidenceOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record that you supplied the ID or clarification asked for: the clock starts again."""
    _log(ref, "supplied", as_json, on=parse_date(on, "--on"), note=note, evidence=evidence or ())



@log_app.command("note")
def log_note(
    ref: RefArgument,
    text: Annotated[str, typer.Argument(metavar="TEXT", help="The note.")],
    on: OnOption = None,
    evidence: EvidenceOption = None,
    as_json: JsonOption = False,
) -> None:
    """Add a note (a phone call, a reminder sent, anything worth keeping) to a request's timeline."""
    _log(ref, "note", as_json, on=parse_date(on, "--on"), text=text, evidence=evidence or ())



def _log(ref: str, kind: str, as_json: bool, **options) -> None:
    from ..clock import today as clock_today
    from ..journal import Journal
    from ..letters.eml import dated_by_message
    from ..reference import normalize
    from ..tracking import events
    from ..tracking.next_steps import after_event
    from ..tracking.timeline import track
    from .status import event_words, standing_words

    reference = normalize(ref)
    today = clock_today()
    # An e-mail kept as evidence knows its own day: the Date header, unless --on says otherwise.
    dated_by = dated_by_message(options["evidence"]) if options.get("on") is None else None
    if dated_by:
        options["on"] = dated_by[1]
    with Journal.open(create=False) as journal:  # no journal yet: the reference is unknown, and nothing is created
        log = {"sent": events.log_sent, "confirmed": events.log_confirmed, "reply": events.log_reply,
               "supplied": events.log_supplied, "note": events.log_note}[kind]
        if kind == "note":
            event = log(journal, reference, options.pop("text"), today=today, **options)  # type: ignore[operator]
        else:
            event = log(journal, reference, today=today, **options)  # type: ignore[operator]
        timeline = journal.events(reference)
        tracking = track(journal.get_request(reference), timeline, today)
    if as_json:
        print_json({"event": event.to_dict(), "status": tracking.to_dict(), "next": after_event(tracking, timeline)})
        return
    say_dated(dated_by)
    typer.echo(printable(f"{reference}: {event_words(event)}. {standing_words(tracking)}"))
    for line in after_event(tracking, timeline):
        typer.echo(printable(line))



def say_dated(dated_by) -> None:
    """Say where the day came from when an e-mail's Date header gave it (`log` and `record` without --on)."""
    if dated_by:
        typer.echo(f"Dated {dated_by[1].isoformat()} from the Date header of {dated_by[0].name} (--on DATE overrides it).")
