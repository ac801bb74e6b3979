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


class ObjectorGroup(TyperGroup):
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
