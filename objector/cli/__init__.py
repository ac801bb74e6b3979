"""objector's command line: `objector = objector.cli:main`."""

from __future__ import annotations

from . import batch, doctor, journal, letters, people  # noqa: F401  (each module registers its commands on `app`)
from .app import app


def main() -> None:
    from ..render import allow_prefetch

    allow_prefetch()  # a whole process of its own: a PDF may be prepared in a forked helper
    app()
