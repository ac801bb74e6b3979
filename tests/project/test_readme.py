"""README stays true: its commands, its exit-code table and its CLI reference match the code.

Run `python tests/test_readme.py` to rewrite the generated sections after changing a command.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"


def readme_commands() -> list[str]:
    """The shell commands in README's first two code blocks."""
    blocks = re.findall(r"```sh\n(.*?)\n```", README.read_text("utf-8"), flags=re.S)
    return [block.strip() for block in blocks[:2]]


def exit_code_table() -> str:
    from objector.errors import EXIT_CODES

    rows = ["| code | meaning |", "| --- | --- |"] + [f"| {code} | {text} |" for code, text in EXIT_CODES.items()]
    return "\n".join(rows)


def command_paths() -> list[list[str]]:
    import typer
    import typer.main

    from objector.cli import app

    paths: list[list[str]] = []

    def walk(command, path):
        paths.append(path)
        if hasattr(command, "list_commands"):  # a group: its commands are built when asked for
            context = typer.Context(command)
            for name in sorted(command.list_commands(context)):
                walk(command.get_command(context, name), [*path, name])

    walk(typer.main.get_command(app), [])
    return paths


def cli_reference() -> str:
    from typer.testing import CliRunner

    from objector.cli import app

    runner = CliRunner()
    parts = []
    for path in command_paths():
        result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "100"})
        assert result.exit_code == 0, result.output
        title = " ".join(["objector", *path])
        parts.append(f"### {title}\n\n```text\n{result.output.rstrip()}\n```")
    return "\n\n".join(parts)


def section(text: str, name: str) -> str:
    match = re.search(rf"<!-- {name}:start -->\n(.*?)<!-- {name}:end -->", text, flags=re.S)
    assert match, f"README has no {name} section"
    return match.group(1).strip()


def replace_section(text: str, name: str, body: str) -> str:
    return re.sub(
        rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)",
        lambda m: f"{m.group(1)}{body}\n{m.group(2)}",
        text,
        flags=re.S,
    )


def test_readme_opens_with_an_install_and_letter_command_and_an_install_and_test_command():
    letter, tests = readme_commands()
    assert "pip install ." in letter and "objector letter" in letter and "examples/" in letter
    assert "--no-record" in letter  # a try-out with the fictional person stays out of the reader's journal
    assert "pip install" in tests and "pytest" in tests


def test_ci_runs_the_readme_test_command():
    _, tests = readme_commands()
    ci = (REPO / ".ci" / "run").read_text("utf-8")
    assert tests in ci.splitlines(), "the test command in README.md and .ci/run must be the same"
    assert "apt-get update" in ci and "libharfbuzz-subset0" in ci


def test_exit_code_table_matches_the_code():
    assert section(README.read_text("utf-8"), "exit-codes") == exit_code_table(), "run python tests/test_readme.py"


def test_cli_reference_matches_help():
    assert section(README.read_text("utf-8"), "cli-reference") == cli_reference(), "run python tests/test_readme.py"


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    text = README.read_text("utf-8")
    text = replace_section(text, "exit-codes", exit_code_table())
    text = replace_section(text, "cli-reference", cli_reference())
    README.write_text(text, "utf-8")
    print("README.md updated")
