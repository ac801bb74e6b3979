from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_PROFILE = REPO / "examples" / "profile.toml"


@pytest.fixture(autouse=True)
def objector_home(tmp_path, monkeypatch) -> Path:
    """Every test gets its own empty data directory."""
    home = tmp_path / "home"
    monkeypatch.setenv("OBJECTOR_HOME", str(home))
    monkeypatch.delenv("COLUMNS", raising=False)  # a terminal's width only where a test sets one (status fits it)
    monkeypatch.chdir(tmp_path)
    return home


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def invoke(runner):
    """Run the CLI in-process: invoke("letter", "objection", "meta", ...) → Result."""
    from objector.cli import app

    def run(*args: str, input: str | None = None):
        return runner.invoke(app, [str(a) for a in args], input=input)

    return run
