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


class ObjectorGroup(TyperGroup):
    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except ObjectorError as exc:
            fail(exc)
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
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def fail(exc: ObjectorError) -> None:
    message = exc.message.rstrip(".")
    if exc.hint:
        message += f" ({exc.hint})"
    typer.echo(f"objector: {message}", err=True)
    sys.exit(exc.exit_code)


def warn(message: str) -> None:
    typer.echo(f"objector: warning: {message}", err=True)


def print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def parse_date(value: str | None, label: str = "--date") -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{label}: {value!r} is not a date in the form YYYY-MM-DD") from None


ProfileOption = Annotated[
    Path | None,
    typer.Option("--profile", help="Profile file (TOML). Default: profile.toml in the data directory ($OBJECTOR_HOME)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
