"""`objector doctor`: what this machine has and lacks for making letters, and the data's health."""

from __future__ import annotations

import sys

import typer

from .app import JsonOption, app, print_json


@app.command("doctor")
def doctor(as_json: JsonOption = False) -> None:
    """Check Pango, HarfBuzz subsetting, fonts, the data folder's permissions, the journal, and your supervisory authority."""
    from .. import doctor as checks

    results = checks.run_checks()
    if as_json:
        print_json([{"check": c.name, "status": c.status, "detail": c.detail, "fix": c.fix or None} for c in results])
    else:
        for c in results:
            typer.echo(f"{c.status:>4}  {c.name:<16} {c.detail}")
            if not c.ok and c.fix:
                typer.echo(f"{'':>4}  {'':<16} → {c.fix}")
    code = checks.exit_code(results)
    if code:
        sys.exit(code)
