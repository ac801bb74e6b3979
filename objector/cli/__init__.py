"""objector's command line: `objector = objector.cli:main`."""

from __future__ import annotations

# The command modules are imported when their command runs (app.COMMANDS says which module registers which).
from .app import app


def main() -> None:
    from ..letters.render import allow_prefetch

    allow_prefetch()  # a whole process of its own: a PDF may be prepared in a forked helper
    try:
        app()
    except BrokenPipeError:  # raised by the last flush, after the command itself finished
        from .app import quiet_broken_pipe

        quiet_broken_pipe()
