"""objector's command line: `objector = objector.cli:main`."""

from __future__ import annotations

from . import batch, doctor, journal, letters, people  # noqa: F401  (each module registers its commands on `app`)
from .app import app


def main() -> None:
    app()
