"""`objector inbox`: replies read from the person's mailbox (read-only), matched to requests, recorded on a yes.
It parses, calls objector.inbox (scan, record) and prints."""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from ..text import printable
from .app import JsonOption, app, parse_date, plural, print_json, warn

if TYPE_CHECKING:
    from ..inbox.message import Mail
    from ..inbox.record import Recorded
    from ..inbox.scan import Proposal, Scan

UNMATCHED_SHOWN = 20  # the text output lists this many unmatched messages; --json lists them all


@app.command("inbox")
def inbox(
    sources: Annotated[list[str], typer.Argument(
        metavar="SOURCE...", help="Where the replies are: an .eml file, an mbox file, a Maildir folder, or an IMAP "
        "mailbox imaps://user@host/MAILBOX (imap://, upgraded with STARTTLS, only for localhost). Only read: nothing "
        "in it is changed, moved, deleted or marked as read.")],
    since: Annotated[Optional[str], typer.Option("--since", metavar="DATE", help="Only messages from this day on, "
                                                 "YYYY-MM-DD (IMAP: searched on the server).")] = None,
    apply: Annotated[bool, typer.Option("--apply", help="Record every proposed event without asking (the guessed "
                                        "outcomes as they are shown).")] = False,
    max_size: Annotated[int, typer.Option("--max-size", metavar="MB", min=1, help="Messages larger than this are "
                                          "listed, not read or recorded.")] = 25,
    as_json: JsonOption = False,
) -> None:
    """Read the controllers' replies from your mail and record them: each message is matched to a request (its
    reference, the Message-ID of the .eml objector wrote, or the controller's sender domain and the request's time
    window), its outcome guessed from its wording, and the event recorded with the message and its attachments
    as evidence, after a yes at the prompt or with --apply. A message is never recorded twice. IMAP password:
    OBJECTOR_IMAP_PASSWORD, or the system keyring (service objector, user user@host) when the optional keyring
    package is installed; a server's own CA file: OBJECTOR_IMAP_CAFILE."""
    from ..clock import today as clock_today
    from ..inbox.record import record
    from ..inbox.scan import scan
    from ..journal import Journal

    first = parse_date(since, "--since")
    today = clock_today()
    with Journal.open(create=False) as journal:
        if not journal.requests():
            if as_json:
                print_json({"read": 0, "proposals": [], "recorded": []})
            else:
                typer.echo("No requests in the journal yet: there is nothing to match replies to.")
            return
        with _Progress(quiet=as_json) as progress:
            result = scan(journal, sources, today=today, since=first, max_size=max_size << 20, progress=progress)
        if not as_json:
            _print_scan(result)
        chosen = _choose(result.proposals, apply, as_json)
        done = record(journal, chosen, today=today) if chosen else []
    if as_json:
        print_json(result.to_dict() | {"recorded": [_recorded_json(r) for r in done]})
        return
    _print_recorded(result, done, apply, asked=_asking() and not apply)


# --------------------------------------------------------------------------- choosing


def _asking() -> bool:
    """Ask about each proposal when a person is at the terminal."""
    return sys.stdin.isatty()


def _choose(proposals: list[Proposal], apply: bool, as_json: bool) -> list[Proposal]:
    recordable = [p for p in proposals if not p.problem]
    if apply:
        return recordable
    if as_json or not _asking():
        return []
    from ..inbox.outcomes import from_label
    from ..tracking.timeline import OUTCOMES

    labels = ("confirmed", *OUTCOMES)
    chosen = []
    for n, proposal in enumerate(proposals, 1):
        if proposal.problem:
            continue
        while True:
            answer = typer.prompt(f"[{n}] Record {proposal.reference}: {_event_words(proposal)}? y, n, or another "
                                  f"({', '.join(labels)})", default="n").strip().lower()
            if answer in ("y", "yes"):
                chosen.append(proposal)
            elif answer in labels:
                proposal.guess = from_label(answer, "chosen by you")
                chosen.append(proposal)
            elif answer not in ("n", "no"):
                typer.echo(f"Please answer y, n or one of {', '.join(labels)}.")
                continue
            break
    return chosen


# --------------------------------------------------------------------------- printing


def _print_scan(result: Scan) -> None:
    typer.echo(f"Read {plural(result.read, 'message')}.")
    for n, p in enumerate(result.proposals, 1):
        typer.echo("")
        typer.echo(f"[{n}] {_message_line(p.mail)}")
        typer.echo(printable(f"    request: {p.reference}: {'; '.join(p.match.why)}"))
        typer.echo(printable(f"    proposed: {_event_words(p)} on {p.on.isoformat()} (guessed from {p.guess.why})"))
        files = ", ".join(f"{e.name} ({_size(len(e.data))}, sha256 {e.sha256[:12]}…)" for e in p.evidence)
        typer.echo(printable(f"    evidence: {files}"))
        if p.problem:
            typer.echo(printable(f"    cannot be recorded: {p.problem}"))
    _section("Recorded before ({count}, not again):", [(mail, where) for mail, where in result.seen])
    _section("Matching several requests ({count}, not recorded: `objector log reply REF --evidence FILE` records "
             "one by hand):", [(mail, match.why[0]) for mail, match in result.ambiguous])
    _section("Skipped ({count}):", list(result.skipped))
    _section("Matched no request ({count}, not stored):", [(mail, "") for mail in result.unmatched],
             shown=UNMATCHED_SHOWN)
    if len(result.unmatched) > UNMATCHED_SHOWN:
        typer.echo(f"  and {len(result.unmatched) - UNMATCHED_SHOWN} more (--json lists them all)")


def _print_recorded(result: Scan, done: list[Recorded], apply: bool, *, asked: bool) -> None:
    recorded = [r for r in done if r.event is not None]
    typer.echo("")
    for r in done:
        if r.event is None:
            warn(printable(f"not recorded: {r.proposal.reference} from {r.proposal.mail.origin}: {r.problem}"))
    for r in recorded:
        assert r.event is not None
        typer.echo(printable(f"Recorded on {r.proposal.reference}: {_event_words(r.proposal)} on {r.event.on.isoformat()} "
                             f"(event #{r.event.seq}), with {plural(len(r.proposal.evidence), 'evidence file')}."))
    open_ = [p for p in result.proposals if not p.problem]
    if recorded:
        shown = recorded[0].proposal.reference
        typer.echo(f"{plural(len(recorded), 'event')} recorded: `objector status` shows where the requests stand, "
                   f"`objector show {shown}` the timeline.")
    elif open_ and not apply and not asked:
        typer.echo(f"Nothing recorded: `--apply` records the {plural(len(open_), 'proposed event')} as shown "
                   "(or run it at a terminal to answer for each).")
    elif not result.proposals:
        typer.echo("No new replies to record.")
    else:
        typer.echo("Nothing recorded.")


def _section(title: str, rows: list[tuple[Mail, str]], shown: int | None = None) -> None:
    """One group of messages: a blank line, its title with the count, then a line each (with why, where given)."""
    if not rows:
        return
    typer.echo("")
    typer.echo(title.format(count=plural(len(rows), "message")))
    for mail, why in rows[:shown]:
        typer.echo(printable(f"  {_message_line(mail)}" + (f": {why}" if why else "")))


def _event_words(p: Proposal) -> str:
    if p.guess.event == "confirmed":
        return "receipt confirmed"
    return f"reply, outcome {p.guess.outcome}"


def _message_line(mail: Mail) -> str:
    day = mail.day.isoformat() if mail.day else "undated"
    subject = mail.subject[:100] + ("…" if len(mail.subject) > 100 else "")
    return printable(f"{mail.origin} — {mail.sender or 'no sender'}, {day}: “{subject}”")


def _size(size: int) -> str:
    from ..inbox.sources import describe_size

    return describe_size(size)


def _recorded_json(r: Recorded) -> dict[str, Any]:
    return {"reference": r.proposal.reference, "message": r.proposal.mail.summary(),
            "event": r.event.to_dict() if r.event is not None else None, "problem": r.problem or None}


class _Progress:
    """A progress bar on stderr per source, with messages (or megabytes) per second; nothing when not a terminal."""

    def __init__(self, *, quiet: bool):
        self.quiet = quiet or not sys.stderr.isatty()
        self.bar: Any = None
        self.task: Any = None
        self.started = 0.0

    def __enter__(self):
        return self

    def __call__(self, what: str, value: Any, extra: Any) -> None:
        if self.quiet:
            return
        if what == "start":
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                DownloadColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            total, unit = extra
            count = DownloadColumn() if unit == "bytes" else MofNCompleteColumn()
            self.bar = Progress(TextColumn(printable(str(value))[-40:]), BarColumn(), count, TimeRemainingColumn(),
                                console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("read", total=total)
            self.started = time.perf_counter()
        elif what == "advance" and self.bar is not None:
            self.bar.advance(self.task, value)
        elif what == "done":
            self._stop()

    def _stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None

    def __exit__(self, *exc: object) -> None:
        self._stop()
