"""objector's command line: `objector = objector.cli:main`."""

from __future__ import annotations

# Imported in the order `objector --help` lists the commands: a person's path from first use to upkeep.
from . import people, guide, letters, complaint, requests, batch, journal, inbox, doctor  # noqa: F401, I001  (each registers its commands on `app`)
from .app import app


def main() -> None:
    from ..letters.render import allow_prefetch

    allow_prefetch()  # a whole process of its own: a PDF may be prepared in a forked helper
    try:
        app()
    except BrokenPipeError:  # raised by the last flush, after the command itself finished
        from .app import quiet_broken_pipe

        quiet_broken_pipe()
