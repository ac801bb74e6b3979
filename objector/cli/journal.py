"""`objector calendar`, `export`, `import` and `verify`: the journal as a whole.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from ..text import printable
from .app import JsonOption, app, plural, print_json

if TYPE_CHECKING:
    from ..journal import Journal




ForceOption = Annotated[bool, typer.Option("--force", help="Replace an existing output file.")]



@app.command("calendar")
def calendar(
    output: Annotated[Path, typer.Option("--output", "-o", help="The .ics file to write; - prints it.")]
    = Path("objector-deadlines.ics"),
    force: ForceOption = False,
) -> None:
    """Write the dates ahead as a calendar (.ics): each open request's deadline, or its reminder's last time
    limit, as an all-day event with a reminder the day before; dates that have passed are left out."""
    from ..tracking.calendar_export import deadlines_ics, open_deadlines, past_deadlines
    from ..tracking.status import all_trackings
    from .status import controller_name

    unreadable: list[str] = []
    trackings = all_trackings(unreadable)
    data = deadlines_ics(trackings, controller_name=controller_name)
    count, past = len(open_deadlines(trackings)), past_deadlines(trackings)
    _write_or_print(data, None if str(output) == "-" else output, force, f"Wrote {plural(count, 'deadline')}")
    if past and str(output) != "-":
        typer.echo(f"Left out: {plural(past, 'request')} whose time has run out (`objector status` lists "
                   f"{'it' if past == 1 else 'them'} with the next step).")
    if unreadable:  # the others' deadlines are written; these are named, and the command fails
        from ..errors import JournalError

        raise JournalError("\n".join(unreadable), hint="run `objector verify`; their deadlines are not in the calendar")



@app.command("export")
def export(
    fmt: Annotated[str, typer.Option("--format", "-f", help="json (everything, evidence files included: "
                                     "`objector import` restores it) or csv (one row per event).")] = "json",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="File to write (default: print).")] = None,
    force: ForceOption = False,
) -> None:
    """Export the whole journal: requests, events with their hashes, evidence (JSON)."""
    from ..errors import InputError
    from ..journal import Journal

    if fmt not in ("json", "csv"):
        raise InputError(f"--format: {fmt!r} is not an export format; use json or csv")
    with Journal.open(create=False) as journal, journal.snapshot():
        requests, events = journal.count()
        done = f"Exported {plural(requests, 'request')} and {plural(events, 'event')}"
        # Streamed, JSON and CSV alike: each row written as it is read, each evidence file a piece at a time.
        write = journal.write_csv_export if fmt == "csv" else journal.write_json_export
        if output is None:
            sys.stdout.flush()
            write(sys.stdout.buffer)
            sys.stdout.buffer.flush()
        else:
            from ..paths import atomic_writer

            with atomic_writer(output, overwrite=force) as handle:
                write(handle)
            typer.echo(f"{done} to {output}")



def _write_or_print(data: bytes, output: Path | None, force: bool, done: str) -> None:
    """Print `data` (no output file), or write it atomically (0600) and say `done ... to FILE`."""
    from ..paths import atomic_write

    if output is None:
        sys.stdout.write(data.decode("utf-8"))
        return
    atomic_write(output, data, overwrite=force)
    typer.echo(f"{done} to {output}")



@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A file written by `objector export` (JSON or CSV).")],
) -> None:
    """Import an export into this journal: every hash is checked, and references already here are refused."""
    from ..journal import Journal
    from ..tracking.checks import check_imported

    with Journal.open() as journal:
        report = journal.import_file(file, check=check_imported)  # every field, as `log` would take it
    how = "" if report.verbatim else " (appended to this journal's chain)"
    typer.echo(f"Imported {plural(report.requests, 'request')}, {plural(report.events, 'event')} and "
               f"{plural(report.evidence_files, 'evidence file')} from {file}{how}")



@app.command("verify")
def verify(as_json: JsonOption = False) -> None:
    """Check the journal's hash chain, its requests and every evidence file; exit 8 naming what changed. A clean
    journal's kept standings are then checked against its records and made current, for `status`."""
    from ..errors import TamperedError
    from ..journal import Journal, JournalLostError

    try:
        journal = Journal.open(create=False, check=False)  # verify checks everything itself, and names it
    except JournalLostError as exc:  # a deleted or emptied journal is the worst tampering of all
        raise TamperedError(exc.message, hint=exc.hint) from None
    with journal:
        if journal.path is None and not as_json:
            typer.echo("No journal yet: nothing to verify.")
            return
        report = journal.verify()
        cache_notes = _renew_standings(journal, report.ok) if journal.path is not None else []
    if cache_notes:
        report = replace(report, warnings=(*report.warnings, *cache_notes))
    if as_json:
        print_json(report.to_dict())
    elif report.ok:
        typer.echo(f"Journal intact: {plural(report.requests, 'request')}, {plural(report.events, 'event')}, "
                   f"{plural(report.evidence_files, 'evidence file')}. "
                   f"Chain head: event #{report.head_seq}, {report.head_hash}")
    else:
        for problem in report.problems:
            typer.echo(f"TAMPERED: {printable(problem)}")
    if not as_json:
        for warning in report.warnings:
            typer.echo(f"note: {printable(warning)}")
    if not report.ok:
        raise TamperedError(f"the journal failed verification: {plural(len(report.problems), 'problem')} "
                            "(listed above)")



def _renew_standings(journal: Journal, verified: bool) -> list[str]:
    """verify's own second pass over the standing cache: checked against the events just verified and made current,
    so the next `status` folds nothing; emptied when verification failed (its rows stood for records that changed)."""
    from ..tracking.status import renew_standings

    if verified:
        return renew_standings(journal)
    dropped = journal.drop_standings()
    return [dropped] if dropped else []
