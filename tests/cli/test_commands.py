"""`objector --help` lists the commands from a table instead of building them (app.COMMANDS): the table must
name every command, its module and the start of its help exactly as the command itself has them."""

from __future__ import annotations

import importlib
import subprocess
import sys

import typer
from typer._click.utils import make_default_short_help
from typer.main import get_command_name

from objector.cli.app import COMMANDS, app


def registered() -> dict[str, tuple[str, str]]:
    """Every command the modules register: name → (module, help), after importing each module there is."""
    from pathlib import Path

    import objector.cli

    for path in Path(objector.cli.__file__).parent.glob("*.py"):
        importlib.import_module(f"objector.cli.{path.stem}")
    found = {}
    for info in app.registered_commands:
        found[info.name or get_command_name(info.callback.__name__)] = (info.callback.__module__, info.callback.__doc__ or "")
    for group in app.registered_groups:
        module = sys.modules[group.typer_instance.registered_commands[0].callback.__module__].__name__
        found[group.name] = (module, group.typer_instance.info.help or "")
    return found


def test_the_table_names_every_command_and_the_module_that_registers_it():
    commands = registered()
    assert set(COMMANDS) == set(commands)
    for name, (module, _) in COMMANDS.items():
        assert commands[name][0] == f"objector.cli.{module}", name


def test_the_tables_help_reads_as_the_commands_own_at_every_width():
    commands = registered()
    for name, (_, text) in COMMANDS.items():
        own = typer.main.get_command(app).get_command(typer.Context(typer.main.get_command(app)), name)
        for limit in range(20, 120):
            assert make_default_short_help(text, limit) == own.get_short_help_str(limit), (name, limit)
        assert own.help and " ".join(own.help.split()).startswith(" ".join(text.split())), name
        assert commands[name][1]


def test_help_imports_no_command_module():
    probe = ("import sys\nfrom objector.cli import app\ntry:\n    app(['--help'])\nexcept SystemExit:\n    pass\n"
             "print(sorted(m for m in sys.modules if m.startswith('objector.cli.') and m != 'objector.cli.app'))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"
    assert "letter " in done.stdout and "controllers " in done.stdout
