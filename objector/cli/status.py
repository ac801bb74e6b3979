"""`objector status` (the requests under way, in a table) and `objector show REF` (one request's timeline).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from ..text import printable
from .app import JsonOption, RefArgument, app, plural, print_json

if TYPE_CHECKING:
    from ..journal import Event
    from ..tracking.status import StatusView
    from ..tracking.timeline import Tracking




# `status` lists this many requests, the most urgent first, unless --limit or --all says otherwise.
STATUS_LIMIT = 20



@app.command("status")
def status(
    drafts: Annotated[bool, typer.Option("--drafts", help="Include letters not sent yet (drafts).")] = False,
    all_: Annotated[bool, typer.Option("--all", help="Include everything: answered requests, drafts and "
                                       "discarded drafts, every one of them (no limit unless --limit).")] = False,
    limit: Annotated[Optional[int], typer.Option(
        "--limit", "-n", min=1, metavar="N", help=f"List at most N requests, the most urgent first (default "
        f"{STATUS_LIMIT}; with --all or --json: every one).")] = None,
    wide: Annotated[bool, typer.Option("--wide", help="Every column, however wide the terminal (by default columns "
                                       "are left out, the least needed first, until the table fits).")] = False,
    as_json: JsonOption = False,
) -> None:
    """Your requests that are under way (sent, not yet answered): how many in each state, then the most urgent
    ones with state, due date, days left, whose request; overdue ones highlighted; how fast each controller
    answers. A letter counts once it is logged as sent."""
    import gc

    # 10,000 requests make some 50,000 objects, none of them in a cycle: the cyclic collector, run every
    # 700 allocations, would walk them again and again for nothing (about a tenth of the command's time).
    paused = gc.isenabled()
    gc.disable()
    try:
        _status(drafts, all_, limit if limit is not None or all_ or as_json else STATUS_LIMIT, as_json, wide)
    finally:
        if paused:
            gc.enable()



def _status(drafts: bool, all_: bool, limit: int | None, as_json: bool, wide: bool = False) -> None:
    from ..tracking.status import status_view

    hidden = set() if all_ else {"answered", "discarded"} | (set() if drafts else {"drafted"})
    view = status_view(hidden, limit, summary=not as_json)
    if as_json:
        print_json([t.to_dict() for t in view.shown])
    else:
        _print_status(view, hidden, wide)
    if view.unreadable:  # requests that cannot be read: named at the end, the rest shown
        from ..errors import JournalError

        raise JournalError("\n".join(view.unreadable), hint="run `objector verify`; the other requests are shown above")


def _print_status(view: StatusView, hidden: set[str], wide: bool) -> None:
    from ..tracking.status import RANK
    from ..tracking.timeline import STATES

    if not view.shown:
        typer.echo("No requests in the journal yet: `objector guide` shows the ways to object, "
                   "`objector letter objection meta` writes a letter."
                   if not view.total else "No requests under way.")
    else:
        listed = sorted((state for state in view.counts if state not in hidden),
                        key=lambda s: (RANK.get(s, 5), STATES.index(s) if s in STATES else 0, s))
        typer.echo(f"{view.matching:,} request{'' if view.matching == 1 else 's'}: "
                   + ", ".join(f"{view.counts[state]:,} {state}" for state in listed) + ".")
        _print_status_table(view.shown, view.complained, None if wide else terminal_width())
        if len(view.shown) < view.matching:
            typer.echo(f"Listed: the {len(view.shown)} most urgent of {view.matching:,}; "
                       f"`objector status --limit {max(100, 2 * len(view.shown))}` lists more, `--all` every request.")
        unreminded, first = view.unreminded
        if unreminded:
            typer.echo(f"{plural(unreminded, 'request')} overdue: `objector followup {first}` writes the reminder.")
    ready, first = view.ready
    if ready:
        typer.echo(f"{plural(ready, 'request')} refused, or unanswered past a reminder's last time limit: "
                   f"`objector complaint {first}` writes the complaint to the supervisory authority.")
    counts = {state: view.counts.get(state, 0) for state in sorted(hidden)}
    left_out = [f"{plural(n, {'answered': 'answered request', 'drafted': 'draft', 'discarded': 'discarded draft'}[k])}"
                for k, n in counts.items() if n and k != "discarded"]
    if left_out:
        typer.echo(f"Not shown: {' and '.join(left_out)} (" + ("--drafts, " if counts.get("drafted") else "")
                   + "--all lists everything).")
    stats = [s for s in view.stats if s.answered or s.overdue]
    if stats:
        _print_stats_table(stats)



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



# The status table's columns in the order they are left out when the terminal is too narrow (--wide keeps them
# all): the one that says least first. Reference, State, Due and Days left always stay.
DROP_ORDER = ("Sent", "Answered in", "Person", "Kind", "Last limit", "Controller")
NARROWEST = 8  # a text column is cut (with "…") no narrower than this, when leaving columns out was not enough


def terminal_width() -> int | None:
    """The width to fit: $COLUMNS if set, else the terminal's; None when the output is not a terminal (piped into
    a file or another program, the table keeps every column)."""
    import os
    import shutil

    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    return None


def _print_status_table(trackings: list[Tracking], complained: set[str] = frozenset(), width: int | None = None  # type: ignore[assignment]
                        ) -> None:
    from ..tracking.status import state_words

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
        state = state_words(t, t.request.reference in complained)
        last = t.last_limit.isoformat() + (" passed" if t.last_limit_passed else "") if t.last_limit else ""
        rows.append(([t.request.reference, t.person, t.request.controller, t.request.kind, state,
                      t.sent.isoformat() if t.sent else "", due, left, last, took], t.overdue))
    headers = ["Reference", "Person", "Controller", "Kind", "State", "Sent", "Due", "Days left", "Last limit",
               "Answered in"]
    if not any(cells[8] for cells, _ in rows):  # the reminder's limit: a column only once there is one
        headers.pop(8)
        rows = [(cells[:8] + cells[9:], alert) for cells, alert in rows]
    left_out: list[str] = []
    if width is not None:
        headers, rows, left_out = _fit(headers, rows, width)
    _print_table(headers, rows, right={i for i, h in enumerate(headers) if h in ("Days left", "Answered in")})
    if assumed and "Due" in headers:
        typer.echo("* due date counted from an assumed receipt (post: 5 days after posting, 8 abroad); "
                   "`objector log sent REF --received-on DATE` gives the real one.")
    if left_out:
        typer.echo(f"Left out to fit {width} columns: {', '.join(left_out)} (`objector status --wide` shows "
                   f"{'it' if len(left_out) == 1 else 'them'}).")


def _fit(headers: list[str], rows: list[tuple[list[str], bool]], width: int
         ) -> tuple[list[str], list[tuple[list[str], bool]], list[str]]:
    """The table within `width` characters: columns left out in DROP_ORDER (one that tells nothing, empty or naming
    one person only, goes first), then the widest text cells cut short. Returns the columns left out too."""
    widths = [max([cell_width(h)] + [cell_width(cells[i]) for cells, _ in rows]) for i, h in enumerate(headers)]

    def total() -> int:
        return sum(widths) + 2 * (len(widths) - 1)

    def drop(name: str) -> None:
        i = headers.index(name)
        del headers[i], widths[i]
        for cells, _ in rows:
            del cells[i]

    headers, rows = list(headers), [(list(cells), alert) for cells, alert in rows]
    left_out = []
    # First the columns that tell nothing: empty in every row, or naming one person only.
    empty = [h for i, h in enumerate(headers) if h in DROP_ORDER and not any(cells[i] for cells, _ in rows)]
    if "Person" in headers and len({cells[headers.index("Person")] for cells, _ in rows}) <= 1:
        empty.append("Person")
    order = list(dict.fromkeys([*empty, *DROP_ORDER]))
    for name in order:
        if total() <= width:
            break
        if name in headers:
            drop(name)
            left_out.append(name)
    for name in ("Controller", "State"):  # still too wide: cut the text columns, keeping their start
        if total() <= width or name not in headers:
            continue
        i = headers.index(name)
        widths[i] = max(NARROWEST, widths[i] - (total() - width), cell_width(headers[i]))
        for cells, _ in rows:
            if cell_width(cells[i]) > widths[i]:
                cells[i] = cells[i][:widths[i] - 1] + "…"
    return headers, rows, left_out


def cell_width(text: str) -> int:
    """Terminal cells a text takes (a wide character takes two)."""
    if text.isascii():  # printable ASCII: one cell a character (checked in C)
        return len(text)
    from rich.cells import cell_len

    return cell_len(text)


def _print_stats_table(stats) -> None:
    rows = [([s.controller, str(s.requests), str(s.answered), "" if s.average_days is None else f"{s.average_days:g}",
              "" if s.fastest is None else str(s.fastest), "" if s.slowest is None else str(s.slowest),
              str(s.late), str(s.overdue)], bool(s.overdue)) for s in stats]
    typer.echo("")
    _print_table(["Controller", "Requests", "Answered", "Average", "Fastest", "Slowest", "Late", "Overdue now"], rows,
                 right=set(range(1, 8)), title="How fast controllers answer (days from receipt to answer)")



@app.command("show")
def show(
    ref: RefArgument,
    letter: Annotated[bool, typer.Option("--letter", help="Write the request's letter again from the inputs the journal kept (to -o, default: its recorded name; - prints it) and say whether it is byte for byte the one recorded (a PDF: under the same SOURCE_DATE_EPOCH).")] = False,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="With --letter: the file to write.")] = None,
    force: Annotated[bool, typer.Option("--force", help="With --letter: replace an existing file.")] = False,
    as_json: JsonOption = False,
) -> None:
    """One request: its letter, its timeline, and how its deadline was counted."""
    from ..clock import today as clock_today
    from ..law.deadlines import format_date
    from ..reference import normalize
    from ..tracking.timeline import track_reference

    reference = normalize(ref)
    if letter or output is not None:
        _write_letter_again(reference, output, force, as_json)
        return
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
    say = lambda line, **style: _print_indented(console, line, **style)  # noqa: E731
    say(reference + printable(f"  {request.kind}{whose} to {controller_name(request)} ({request.controller}) under "
                              f"{law}, in {language_name(request.language)}"), bold=len(reference))
    if request.document:
        say(printable(f"Letter: {request.document} (sha256 {request.sha256[:16]}…), "
                      f"dated {format_date(request.created_on)}"))
    else:
        say(f"No letter: made outside objector, recorded {format_date(request.created_on)}")
    say(printable(f"Now: {standing_words(t)}"), style="bold red" if t.overdue else "")
    from ..tracking.next_steps import after_event

    for line in after_event(t, events):
        say(printable(line))  # a complaint's note may come from an import

    table = Table(title="Timeline", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Date", no_wrap=True)
    table.add_column("Event")
    table.add_column("Evidence")
    for number, e in enumerate(events, 1):  # the request's own events, 1..n (the journal's seq spans every request)
        table.add_row(str(number), format_date(e.on), Text(printable(event_words(e, dated=False))),
                      Text("\n".join(printable(f"{x.name} ({x.sha256[:12]}…)") for x in e.evidence)))
    console.print(table)

    sections = [("How the deadline is counted", ([t.deadline.rule] if t.deadline else [])
                 + [f"  {n}. {step}" for n, step in enumerate(t.derivation, 1)]),
                ("Assumptions and caveats", [f"  - {note}" for note in t.notes])]
    for title, lines in sections:
        if lines:
            console.print(Text(title, style="bold"))
            for line in lines:
                say(printable(line))



def _print_indented(console, line: str, *, style: str = "", bold: int = 0) -> None:
    """One line of `show`, wrapped to the console's width with its continuation lines indented under its text:
    a numbered step ("  1. ...") or a list item ("  - ...") under its words, any other line by two spaces.
    `bold`: how many characters at its start are bold (the reference)."""
    import re
    import textwrap

    from rich.text import Text

    marker = re.match(r"\s*(\d+\.|-)\s+", line)
    indent = " " * (marker.end() if marker else len(line) - len(line.lstrip()) + 2)
    wrapped = textwrap.fill(line, width=max(console.width, 40), subsequent_indent=indent, break_on_hyphens=False,
                            drop_whitespace=True, replace_whitespace=False)
    text = Text(wrapped, style=style)
    if bold:
        text.stylize("bold", 0, bold)
    console.print(text, soft_wrap=True)


def _write_letter_again(reference: str, output: Path | None, force: bool, as_json: bool) -> None:
    """`show REF --letter`: the recorded letter written again, and whether it is the one recorded."""
    from ..letters.compose import check_stdout, is_stdout, print_document, write_recorded

    if output is not None and is_stdout(output) and as_json:
        check_stdout("txt", output, as_json=True)
    written, recorded = write_recorded(reference, output, overwrite=force)
    to_stdout = is_stdout(written.path)
    if to_stdout:
        print_document(written.data)
    same = written.sha256 == recorded
    if as_json:
        print_json(written.to_dict() | {"recorded_sha256": recorded, "identical": same})
        return
    where = "(standard output)" if to_stdout else str(written.path)
    typer.echo(f"{reference}  {where}", err=to_stdout)
    if same:
        typer.echo(f"byte for byte the letter recorded (sha256 {recorded})", err=to_stdout)
    else:
        typer.echo(f"not the letter recorded: sha256 {written.sha256}, the journal has {recorded} (a PDF's "
                   "creation date differs unless SOURCE_DATE_EPOCH is the same; the registry or objector's wording "
                   "may have changed since; the journal keeps the original as evidence)", err=to_stdout)


def event_words(e: Event, *, dated: bool = True) -> str:
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



def standing_words(t: Tracking) -> str:
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



def controller_name(request) -> str:
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
