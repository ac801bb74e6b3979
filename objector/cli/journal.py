"""The journal's commands: `log sent|confirmed|reply|supplied|note`, `status`, `show`, `calendar`,
`export`, `import`, `verify`. They parse, call objector.journal.store / objector.tracking.timeline and print."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from ..text import printable
from .app import JsonOption, app, parse_date, plural, print_json

if TYPE_CHECKING:
    from ..journal import Event
    from ..tracking.timeline import Tracking

log_app = typer.Typer(
    help="Record what happened to a request: sent, confirmed, reply, supplied (ID), note.",
    no_args_is_help=True,
)
app.add_typer(log_app, name="log")

RefArgument = Annotated[str, typer.Argument(metavar="REF", help="The request's reference, e.g. OBJ-2026-7K3F9Q "
                                            "(case, and O for 0, do not matter).")]
OnOption = Annotated[Optional[str], typer.Option("--on", metavar="DATE", help="The day it happened, YYYY-MM-DD "
                                                 "(default: the Date header of an .eml given as --evidence, else today).")]
EvidenceOption = Annotated[
    Optional[list[Path]],
    typer.Option("--evidence", metavar="FILE", help="A file to keep as proof (screenshot, e-mail, PDF): copied into the journal. "
                 "Repeat for several."),
]
ForceOption = Annotated[bool, typer.Option("--force", help="Replace an existing output file.")]


# --------------------------------------------------------------------------- log


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
    evidence: EvidenceOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record the controller's reply and its outcome."""
    _log(ref, "reply", as_json, on=parse_date(on, "--on"), outcome=outcome, note=note, evidence=evidence or ())


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
        tracking = track(journal.get_request(reference), journal.events(reference), today)
    if as_json:
        print_json({"event": event.to_dict(), "status": tracking.to_dict(), "next": after_event(tracking)})
        return
    _say_dated(dated_by)
    typer.echo(printable(f"{reference}: {_event_words(event)}. {_standing(tracking)}"))
    for line in after_event(tracking):
        typer.echo(line)


def _say_dated(dated_by) -> None:
    """Say where the day came from when an e-mail's Date header gave it (`log` and `record` without --on)."""
    if dated_by:
        typer.echo(f"Dated {dated_by[1].isoformat()} from the Date header of {dated_by[0].name} (--on DATE overrides it).")


# --------------------------------------------------------------------------- status


@app.command("status")
def status(
    drafts: Annotated[bool, typer.Option("--drafts", help="Include letters not sent yet (drafts).")] = False,
    all_: Annotated[bool, typer.Option("--all", help="Include everything: answered requests, drafts and "
                                       "discarded drafts.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Your requests that are under way (sent, not yet answered): state, due date, days left, whose request;
    overdue ones highlighted; how fast each controller answers. A letter counts once it is logged as sent."""
    import gc

    # 10,000 requests make some 50,000 objects, none of them in a cycle: the cyclic collector, run every
    # 700 allocations, would walk them again and again for nothing (about a tenth of the command's time).
    paused = gc.isenabled()
    gc.disable()
    try:
        _status(drafts, all_, as_json)
    finally:
        if paused:
            gc.enable()


def _status(drafts: bool, all_: bool, as_json: bool) -> None:
    from collections import Counter

    from ..tracking.timeline import controller_stats

    trackings = _standing_trackings()
    hidden_states = set() if all_ else {"answered", "discarded"} | (set() if drafts else {"drafted"})
    shown = [t for t in trackings if t.state not in hidden_states]
    if as_json:
        print_json([t.to_dict() for t in shown])
        return
    if not shown:
        typer.echo("No requests in the journal yet: `objector guide` shows the ways to object, "
                   "`objector letter objection meta` writes a letter."
                   if not trackings else "No requests under way.")
    else:
        _print_status_table(shown)
        overdue = [t for t in shown if t.overdue]
        unreminded = [t.request.reference for t in overdue if t.last_limit is None]
        if unreminded:
            typer.echo(f"{plural(len(unreminded), 'request')} overdue: `objector followup {unreminded[0]}` "
                       "writes the reminder.")
    ready = _ready_for_complaint(trackings)
    if ready:
        typer.echo(f"{plural(len(ready), 'request')} refused, or unanswered past a reminder's last time limit: "
                   f"`objector complaint {ready[0]}` writes the complaint to the supervisory authority.")
    every = Counter(t.state for t in trackings)
    counts = {state: every[state] for state in sorted(hidden_states)}
    left_out = [f"{plural(n, {'answered': 'answered request', 'drafted': 'draft', 'discarded': 'discarded draft'}[k])}"
                for k, n in counts.items() if n and k != "discarded"]
    if left_out:
        typer.echo(f"Not shown: {' and '.join(left_out)} (" + ("--drafts, " if counts.get("drafted") else "")
                   + "--all lists everything).")
    stats = [s for s in controller_stats(t for t in trackings if t.state not in ("drafted", "discarded"))
             if s.answered or s.overdue]
    if stats:
        _print_stats_table(stats)


def _ready_for_complaint(trackings: list[Tracking]) -> list[str]:
    """References `complaint` fits: refused or partly answered, or past a reminder's last time limit, and no
    complaint written yet."""
    from ..journal import Journal
    from ..tracking.timeline import ready_for_complaint

    candidates = [t for t in trackings if t.last_limit_passed or t.outcome in ("refused", "partial")]
    if not candidates:
        return []
    with Journal.open(create=False) as journal:  # complaints are notes, which the status table does not load
        notes = journal.events(notes_only=True)
    by_reference: dict[str, list] = {}
    for note in notes:
        by_reference.setdefault(note.reference, []).append(note)
    return [t.request.reference for t in candidates if ready_for_complaint(t, by_reference.get(t.request.reference, []))]


def _all_trackings() -> list[Tracking]:
    from ..clock import today as clock_today
    from ..journal import Journal
    from ..tracking.timeline import track_all

    today = clock_today()
    with Journal.open(create=False) as journal, journal.snapshot():
        requests = journal.requests()
        events = journal.events_by_reference(timeline_only=True)
    trackings = track_all(requests, events, today)
    return sorted(trackings, key=_order)


def _standing_trackings() -> list[Tracking]:
    """Like _all_trackings, from the journal's standing cache: only requests whose events changed since
    (or never folded) are folded again, and their new standings kept (objector.journal.store explains the cache).
    The trackings carry no derivation or notes: `status` shows neither."""
    import json

    from ..clock import today as clock_today
    from ..journal import Journal, canonical_json
    from ..tracking.timeline import IsoDates, from_standing, rules_fingerprint, standing, track

    today = clock_today()
    rules = rules_fingerprint()
    dates = IsoDates()
    loads = json.loads
    trackings: list[Tracking] = []
    stale = []
    with Journal.open(create=False) as journal:
        with journal.snapshot():
            for request, last, data in journal.standings(rules):
                if data is not None:
                    try:
                        trackings.append(from_standing(request, loads(data), today, dates))
                        continue
                    except (ValueError, TypeError, KeyError, IndexError, AttributeError):
                        pass  # not a standing objector wrote: fold the events again
                stale.append((request.reference, last))
            if stale:  # fold them from their events, as _all_trackings does
                wanted = {reference for reference, _ in stale}
                if len(stale) > 50:
                    requests = {r.reference: r for r in journal.requests() if r.reference in wanted}
                    events = journal.events_by_reference(timeline_only=True)
                else:
                    requests = {reference: journal.get_request(reference) for reference in wanted}
                    events = {reference: journal.events(reference, timeline_only=True) for reference in wanted}
        new_rows = []
        for reference, last in stale:
            t = track(requests[reference], events.get(reference, ()), today)
            trackings.append(t)
            if last is not None:
                new_rows.append((reference, last, rules, canonical_json(standing(t))))
        journal.store_standings(new_rows)
    return sorted(trackings, key=_order)


_RANK = {"overdue": 0, "sent": 1, "confirmed": 1, "extended": 1, "waiting-for-you": 2, "drafted": 3, "answered": 4,
         "discarded": 5}


def _order(t: Tracking) -> tuple:
    return (_RANK.get(t.state, 5), t.due or t.request.created_on, t.request.reference)


def _console():
    from rich.console import Console

    console = Console(file=sys.stdout, highlight=False)
    if not console.is_terminal:  # piped: do not cut lines to 80 characters
        console = Console(file=sys.stdout, highlight=False, width=max(console.width, 120))
    return console


def _print_table(headers: list[str], rows: list[tuple[list[str], bool]], *, right: set[int] = frozenset(),  # type: ignore[assignment]
                 title: str | None = None) -> None:
    """Aligned columns, one line a row; rows marked True in red on a terminal (plain text when piped).

    Not rich.Table: it renders about 1 ms a row, 10 s for a journal of 10,000 requests."""
    def cells_wide(text: str) -> int:
        if text.isascii():  # printable ASCII: one cell a character (checked in C)
            return len(text)
        from rich.cells import cell_len

        return cell_len(text)

    # Journal text is shown, not obeyed (printable); each cell is measured once (status prints 80,000).
    sized = []
    for cells, alert in rows:
        joined = "".join(cells)
        if not joined.isprintable():
            cells = [printable(cell) for cell in cells]
        sized.append((cells, list(map(len, cells)) if joined.isascii() else [cells_wide(c) for c in cells], alert))
    widths = [max([cells_wide(h)] + [lens[i] for _, lens, _ in sized]) for i, h in enumerate(headers)]
    # A row whose cells are one character a cell is laid out by str.format, in C.
    layout = "  ".join(f"{{:{'>' if i in right else '<'}{w}}}" for i, w in enumerate(widths)).format

    def line(cells: list[str], lens: list[int]) -> str:
        if lens == list(map(len, cells)):
            return layout(*cells).rstrip()
        out = []
        for i, (cell, n, width) in enumerate(zip(cells, lens, widths, strict=True)):
            pad = " " * (width - n)
            out.append(pad + cell if i in right else cell + pad)
        return "  ".join(out).rstrip()

    lines = [typer.style(title, bold=True)] if title else []
    lines.append(typer.style(line(headers, [cells_wide(h) for h in headers]), bold=True))
    lines.append("  ".join("─" * w for w in widths))
    red, reset = typer.style("\0", fg="red", bold=True).split("\0")  # the codes typer.style puts around a line
    lines += [red + line(cells, lens) + reset if alert else line(cells, lens) for cells, lens, alert in sized]
    typer.echo("\n".join(lines))


def _print_status_table(trackings: list[Tracking]) -> None:
    rows = []
    assumed = False
    for t in trackings:
        due_date, days_left = t.due, t.days_left
        due = due_date.isoformat() if due_date else ("paused" if t.state == "waiting-for-you" else "")
        if due_date and t.receipt_assumed:
            due += "*"
            assumed = True
        left = ""
        if days_left is not None:
            left = f"{-days_left} late" if days_left < 0 else str(days_left)
        took = ""
        if t.answered is not None and t.days_to_reply is not None:
            took = f"{t.days_to_reply} d" + (" (late)" if t.answered_late else "")
        state = t.state + (" (reminded)" if t.last_limit and t.state == "overdue" else "")
        last = t.last_limit.isoformat() + (" passed" if t.last_limit_passed else "") if t.last_limit else ""
        rows.append(([t.request.reference, t.person, t.request.controller, t.request.kind, state,
                      t.sent.isoformat() if t.sent else "", due, left, last, took], t.overdue))
    headers = ["Reference", "Person", "Controller", "Kind", "State", "Sent", "Due", "Days left", "Last limit",
               "Answered in"]
    if not any(cells[8] for cells, _ in rows):  # the reminder's limit: a column only once there is one
        headers.pop(8)
        rows = [(cells[:8] + cells[9:], alert) for cells, alert in rows]
    _print_table(headers, rows, right={7, len(headers) - 1})
    if assumed:
        typer.echo("* due date counted from an assumed receipt (post: 5 days after posting, 8 abroad); "
                   "`objector log sent REF --received-on DATE` gives the real one.")


def _print_stats_table(stats) -> None:
    rows = [([s.controller, str(s.requests), str(s.answered), "" if s.average_days is None else f"{s.average_days:g}",
              "" if s.fastest is None else str(s.fastest), "" if s.slowest is None else str(s.slowest),
              str(s.late), str(s.overdue)], bool(s.overdue)) for s in stats]
    typer.echo("")
    _print_table(["Controller", "Requests", "Answered", "Average", "Fastest", "Slowest", "Late", "Overdue now"], rows,
                 right=set(range(1, 8)), title="How fast controllers answer (days from receipt to answer)")


# --------------------------------------------------------------------------- show


@app.command("show")
def show(ref: RefArgument, as_json: JsonOption = False) -> None:
    """One request: its letter, its timeline, and how its deadline was counted."""
    from ..clock import today as clock_today
    from ..law.deadlines import format_date
    from ..reference import normalize
    from ..tracking.timeline import track_reference

    reference = normalize(ref)
    today = clock_today()
    request, events, t = track_reference(reference, today)
    if as_json:
        data = t.to_dict() | {
            "region": request.region,
            "sha256": request.sha256,
            "inputs": request.inputs,
            "rule": t.deadline.rule if t.deadline else None,
            "derivation": list(t.derivation),
            "notes": list(t.notes),
            "timeline": [e.to_dict() for e in events],
        }
        print_json(data)
        return

    from rich import box
    from rich.table import Table
    from rich.text import Text

    # Everything from the journal is printed as Text, never parsed as rich markup: a note is data.
    console = _console()
    from ..i18n import language_name
    from ..law.laws import ALL as LAWS

    law = LAWS[request.law].title if request.law in LAWS else request.law
    whose = f" for {t.person}" if t.person else ""
    # printable(): an imported note or file name may carry terminal escapes; they are shown, not obeyed.
    console.print(Text.assemble((reference, "bold"), printable(
        f"  {request.kind}{whose} to {_controller_name(request)} ({request.controller}) under {law}, "
        f"in {language_name(request.language)}")))
    if request.document:
        console.print(Text(printable(f"Letter: {request.document} (sha256 {request.sha256[:16]}…), "
                                     f"dated {format_date(request.created_on)}")))
    else:
        console.print(Text(f"No letter: made outside objector, recorded {format_date(request.created_on)}"))
    console.print(Text(printable(f"Now: {_standing(t)}"), style="bold red" if t.overdue else ""))
    from ..tracking.next_steps import after_event

    for line in after_event(t):
        console.print(Text(line))

    table = Table(title="Timeline", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Date", no_wrap=True)
    table.add_column("Event")
    table.add_column("Evidence")
    for e in events:
        table.add_row(str(e.seq), format_date(e.on), Text(printable(_event_words(e, dated=False))),
                      Text("\n".join(printable(f"{x.name} ({x.sha256[:12]}…)") for x in e.evidence)))
    console.print(table)

    sections = [("How the deadline is counted", ([t.deadline.rule] if t.deadline else [])
                 + [f"  {n}. {step}" for n, step in enumerate(t.derivation, 1)]),
                ("Assumptions and caveats", [f"  - {note}" for note in t.notes])]
    for title, lines in sections:
        if lines:
            console.print(Text(title, style="bold"))
            for line in lines:
                console.print(Text(printable(line)))


def _event_words(e: Event, *, dated: bool = True) -> str:
    """'sent by post on 2025-01-31, received 2025-02-03'; without the date where a column shows it."""
    d = e.data
    on = f" on {e.on.isoformat()}" if dated else ""
    note = f" ({d['note']})" if d.get("note") else ""
    received = f", received {d['received_on']}" if d.get("received_on") else ""
    if e.type == "drafted":
        return "recorded without a letter" if d.get("without_letter") else "letter written"
    if e.type == "reminder":
        return f"{d.get('note', 'reminder written')}; last time limit {d.get('respond_by')}"
    if e.type == "discarded":
        return f"discarded: never sent{note}"
    if e.type == "sent":
        from ..tracking.timeline import VIA_WORDS

        return f"sent {VIA_WORDS.get(d.get('via', ''), 'via ' + str(d.get('via')))}{on}{received}"
    if e.type == "confirmed":
        return f"receipt confirmed{on}{received}"
    if e.type == "reply":
        return f"reply{on}: {d.get('outcome')}{note}"
    if e.type == "supplied":
        return f"ID or clarification supplied{on}{note}"
    if e.type == "note":
        return f"note: {d.get('note', '')}"
    return e.type


def _standing(t: Tracking) -> str:
    from ..law.deadlines import format_date

    if t.state == "drafted":
        return "Not sent yet."
    if t.state == "discarded":
        return "Discarded: a draft that was never sent; it stays in the journal's record, out of `status`."
    if t.state == "answered":
        took = f" after {plural(t.days_to_reply, 'day')}" if t.days_to_reply is not None else ""
        late = " (late)" if t.answered_late else ""
        return f"Answered ({t.outcome}) on {format_date(t.answered)}{took}{late}." if t.answered else \
            f"Answered ({t.outcome})."
    if t.state == "waiting-for-you":
        return (f"Waiting for you: the controller asked for ID or clarification on {format_date(t.paused_since)}; "  # type: ignore[arg-type]
                "the clock is stopped until `objector log supplied REF`.")
    received = f"received {format_date(t.received)}" + (" (assumed)" if t.receipt_assumed else "")  # type: ignore[arg-type]
    if t.due is None:
        return f"{t.state.capitalize()}, {received}; no deadline could be computed: {' '.join(t.notes)}"
    left = t.days_left
    if t.overdue:
        when = f"was due {format_date(t.due)}: {plural(-left, 'day')} overdue"  # type: ignore[operator]
    elif left == 0:
        when = f"due today, {format_date(t.due)}"
    else:
        when = f"due {format_date(t.due)}, {plural(left, 'day')} left"  # type: ignore[arg-type]
    state = {"sent": "Sent", "confirmed": "Receipt confirmed", "extended": "Extended", "overdue": "Overdue"}[t.state]
    return f"{state}, {received}; reply {when}" + (" (from an assumed receipt)." if t.receipt_assumed else ".")


def _controller_name(request) -> str:
    """The controller's name: from the registry, or from the record kept with a letter to a --controller-file
    controller (the file may be gone); the id where neither knows it."""
    from ..errors import ObjectorError
    from ..people.registry import get

    record = request.inputs.get("controller_record")
    if record and record.get("name"):
        return str(record["name"])
    try:
        return get(request.controller).name
    except ObjectorError:
        return request.controller


# --------------------------------------------------------------------------- calendar, export, import, verify


@app.command("calendar")
def calendar(
    output: Annotated[Path, typer.Option("--output", "-o", help="The .ics file to write; - prints it.")]
    = Path("objector-deadlines.ics"),
    force: ForceOption = False,
) -> None:
    """Write the open deadlines as a calendar (.ics): each an all-day event with a reminder the day before."""
    from ..tracking.calendar_export import deadlines_ics, open_deadlines

    trackings = _all_trackings()
    data = deadlines_ics(trackings, controller_name=_controller_name)
    count = len(open_deadlines(trackings))
    _write_or_print(data, None if str(output) == "-" else output, force, f"Wrote {plural(count, 'deadline')}")


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
        if fmt == "csv":
            _write_or_print(journal.export_csv(), output, force, done)
        elif output is None:  # JSON is streamed: evidence files are never held in memory whole
            sys.stdout.flush()
            journal.write_json_export(sys.stdout.buffer)
            sys.stdout.buffer.flush()
        else:
            from ..paths import atomic_writer

            with atomic_writer(output, overwrite=force) as handle:
                journal.write_json_export(handle)
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

    with Journal.open() as journal:
        report = journal.import_file(file)
    how = "" if report.verbatim else " (appended to this journal's chain)"
    typer.echo(f"Imported {plural(report.requests, 'request')}, {plural(report.events, 'event')} and "
               f"{plural(report.evidence_files, 'evidence file')} from {file}{how}")


@app.command("verify")
def verify(as_json: JsonOption = False) -> None:
    """Check the journal's hash chain, its requests and every evidence file; exit 8 naming what changed."""
    from ..errors import TamperedError
    from ..journal import Journal, JournalLostError

    try:
        journal = Journal.open(create=False)
    except JournalLostError as exc:  # a deleted or emptied journal is the worst tampering of all
        raise TamperedError(exc.message, hint=exc.hint) from None
    with journal:
        if journal.path is None and not as_json:
            typer.echo("No journal yet: nothing to verify.")
            return
        report = journal.verify()
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


