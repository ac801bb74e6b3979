"""The Typer application and what every command shares: error reporting, options, printing.

Commands live in the sibling modules (one group of commands each) and only parse, call the core and
print. An ObjectorError becomes one line on stderr and its documented exit code; any other exception
is a bug, reported in one line too (set OBJECTOR_DEBUG=1 for the traceback).
"""

from __future__ import annotations

import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from ..errors import EXIT_BUG, EXIT_INTERRUPTED, InputError, ObjectorError
from ..text import plural  # noqa: F401  (the commands import it from here)

# Every command, the module that registers it, and the first sentence of its help, in the order `--help` lists
# them. `objector --help` prints this table instead of importing every command module and building every command
# (about half of its time); a command is built when it is run. tests/cli/test_commands.py keeps the table equal
# to the commands themselves.
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("people", "Ask for your details and save them as your profile (mode 0600)."),
    "guide": ("guide", "The steps to object to AI training where you live: Meta's in-app form (EU, UK) with the "
                       "forms' addresses and what to keep, or what helps where no law gives the right (US); for "
                       "other services their own setting or form from the registry; what an objection cannot do."),
    "letter": ("letters", "Write a letter (PDF by default) and record it in the journal as drafted."),
    "followup": ("letters", "Write the reminder for a request whose deadline has passed, and note it on its "
                            "timeline."),
    "complaint": ("complaint", "Write the complaint to the supervisory authority about a late or refused request, "
                               "and note it on its timeline."),
    "record": ("requests", "Record a request you made without a letter (e.g."),
    "discard": ("requests", "Take a letter that was never sent out of your requests."),
    "batch": ("batch", "Write a letter for every row of a CSV file, in parallel, recording each in the journal."),
    "status": ("status", "Your requests that are under way (sent, not yet answered): how many in each state, then "
                         "the most urgent ones with state, due date, days left, whose request; overdue ones "
                         "highlighted; how fast each controller answers."),
    "show": ("status", "One request: its letter, its timeline, and how its deadline was counted."),
    "calendar": ("journal", "Write the dates ahead as a calendar (.ics): each open request's deadline, or its "
                            "reminder's last time limit, as an all-day event with a reminder the day before; dates "
                            "that have passed are left out."),
    "export": ("journal", "Export the whole journal: requests, events with their hashes, evidence (JSON)."),
    "import": ("journal", "Import an export into this journal: every hash is checked, and references already here "
                          "are refused."),
    "verify": ("journal", "Check the journal's hash chain, its requests and every evidence file; exit 8 naming "
                          "what changed."),
    "inbox": ("inbox", "Read the controllers' replies from your mail and record them: each message is matched to a "
                       "request (its reference, the Message-ID of the .eml objector wrote, or the controller's "
                       "sender domain and the request's time window), its outcome guessed from its wording, and the "
                       "event recorded with the message and its attachments as evidence, after a yes at the prompt "
                       "or with --apply."),
    "doctor": ("doctor", "Check Pango, HarfBuzz subsetting, fonts, the data folder's permissions, the journal, and "
                         "your supervisory authority."),
    "profile": ("people", "Your saved details."),
    "controllers": ("people", "The companies objector writes to: its verified records, and the open dataset's."),
    "authorities": ("complaint", "The supervisory authorities a complaint can go to."),
    "log": ("log", "Record what happened to a request: sent, confirmed, reply, supplied (ID), note."),
}


class ObjectorGroup(TyperGroup):
    def list_commands(self, ctx: typer.Context) -> list[str]:  # type: ignore[override]
        return list(COMMANDS)

    def get_command(self, ctx: typer.Context, name: str) -> Any:  # type: ignore[override]
        """Build a command when it is first asked for: import its module (which registers it on `app`), then
        convert what it registered, as Typer would have done for all of them at start-up. Typer's converters
        are internal API, hence typer < 0.29 in pyproject."""
        if name not in self.commands and name in COMMANDS:
            import importlib

            from typer.main import get_command_from_info, get_command_name, get_group_from_info

            importlib.import_module(f"{__package__}.{COMMANDS[name][0]}")
            for info in app.registered_commands:
                if (info.name or get_command_name(info.callback.__name__)) == name:  # type: ignore[union-attr]
                    self.commands[name] = get_command_from_info(
                        info, pretty_exceptions_short=True, rich_markup_mode=None)
            for group in app.registered_groups:
                if group.name == name:
                    self.commands[name] = get_group_from_info(
                        group, pretty_exceptions_short=True, suggest_commands=True, rich_markup_mode=None)
        return self.commands.get(name)

    def format_commands(self, ctx: typer.Context, formatter: Any) -> None:  # type: ignore[override]
        """The command list of `--help`, from COMMANDS: no command module is imported to print it."""
        from typer._click.utils import make_default_short_help

        limit = formatter.width - 6 - max(len(name) for name in COMMANDS)
        with formatter.section("Commands"):
            formatter.write_dl([(name, make_default_short_help(text, limit)) for name, (_, text) in COMMANDS.items()])

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except ObjectorError as exc:
            fail(exc)
        except BrokenPipeError:
            quiet_broken_pipe()
        except (typer.Exit, typer.TyperException):
            raise
        except (KeyboardInterrupt, typer.Abort):
            typer.echo("objector: interrupted; nothing was saved by the step that was running", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback reaches the user
            if os.environ.get("OBJECTOR_DEBUG"):
                raise
            typer.echo(f"objector: unexpected error: {type(exc).__name__}: {exc} (a bug; OBJECTOR_DEBUG=1 shows where)", err=True)
            sys.exit(EXIT_BUG)


app = typer.Typer(
    cls=ObjectorGroup,
    name="objector",
    help="Exercise your data-protection rights (object, ask for access) and keep the proof: letters as PDF, "
    "text or e-mail in your language, and a dated journal that counts the legal deadlines.",
    no_args_is_help=True,
    add_completion=True,  # --install-completion / --show-completion for bash, zsh, fish, PowerShell
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from .. import __version__

        typer.echo(f"objector {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    show_version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                               help="Print objector's version and exit.")] = False,
) -> None:
    pass


def quiet_broken_pipe() -> None:
    """The reader of our output went away (`objector status | head`): stop quietly, as cat and grep do."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # the interpreter's last flush would complain otherwise
    except (OSError, ValueError):
        pass
    sys.exit(0)


def fail(exc: ObjectorError) -> None:
    message = exc.message.rstrip(".")
    if exc.hint:
        message += f" ({exc.hint})"
    for line in message.splitlines():  # several problems (a controller file's): one line each
        typer.echo(f"objector: {line}", err=True)
    sys.exit(exc.exit_code)


def warn(message: str) -> None:
    typer.echo(f"objector: warning: {message}", err=True)


def print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def parse_date(value: str | None, label: str = "--date") -> date | None:
    if value is None:
        return None
    return iso_date(value, label)


def iso_date(value: str, label: str) -> date:
    """A YYYY-MM-DD date; a well-formed but impossible day (2026-02-30) is named as such."""
    import calendar
    import re

    try:
        return date.fromisoformat(value)
    except ValueError:
        match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value.strip())
        if match:
            year, month, day = (int(part) for part in match.groups())
            if not 1 <= month <= 12:
                raise InputError(f"{label}: {value!r}: there is no month {month}") from None
            last = calendar.monthrange(year, month)[1]
            raise InputError(f"{label}: {value!r}: there is no day {day} in {calendar.month_name[month]} {year} "
                             f"(it has {last} days)") from None
        raise InputError(f"{label}: {value!r} is not a date in the form YYYY-MM-DD") from None


ProfileOption = Annotated[
    Path | None,
    typer.Option("--profile", help="Profile file (TOML). Default: profile.toml in the data directory ($OBJECTOR_HOME)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
ControllerFileOption = Annotated[
    Path | None,
    typer.Option("--controller-file", metavar="PATH", help="TOML file with more controllers, in the format of "
                 "objector/data/controllers.toml; its records come before the built-in ones."),
]

RefArgument = Annotated[str, typer.Argument(metavar="REF", help="The request's reference, e.g. OBJ-2026-7K3F9Q "
                                            "(case, and O for 0, do not matter).")]


# Set by main(): objector runs as a whole process of its own (the console script), where a PDF may be prepared in
# a forked helper; in-process callers (the tests' CliRunner) render in their own process.
CONSOLE_SCRIPT = False


def as_console_script() -> None:
    global CONSOLE_SCRIPT
    CONSOLE_SCRIPT = True


def prefetch_renderer() -> None:
    """For a command that will render a PDF: start importing WeasyPrint in a forked helper (console script only)."""
    from ..letters.render import allow_prefetch, prefetch

    if CONSOLE_SCRIPT:
        allow_prefetch()
    prefetch()
