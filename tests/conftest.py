from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_PROFILE = REPO / "examples" / "profile.toml"


def pytest_configure(config) -> None:
    """A module's or a session's fixtures run before any test's own home is set: they get a throw-away home too,
    never the real per-user folders (platformdirs' data and cache dirs)."""
    import os
    import tempfile

    config.objector_home = os.environ["OBJECTOR_HOME"] = tempfile.mkdtemp(prefix="objector-tests-")


def pytest_unconfigure(config) -> None:
    import shutil

    if getattr(config, "objector_home", None):
        shutil.rmtree(config.objector_home, ignore_errors=True)


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
