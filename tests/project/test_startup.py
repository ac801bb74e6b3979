"""Commands that make no PDF import nothing heavy: start-up stays close to Typer's own."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

PROBE = """
import json, sys
from objector.cli import app
try:
    app(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(m for m in ("weasyprint", "holidays", "jinja2", "babel.messages", "pydyf", "icalendar") if m in sys.modules)))
"""


@pytest.mark.parametrize(
    ("args", "allowed"),
    [
        (["--help"], []),
        (["letter", "--help"], []),
        (["controllers", "list"], []),
        (["status", "--json"], []),  # an empty journal: no deadline to count
        (["verify"], []),
    ],
)
def test_no_heavy_import(args, allowed, tmp_path):
    env = os.environ | {"OBJECTOR_HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", PROBE, *args], env=env, capture_output=True, text=True, cwd=tmp_path)
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert loaded == allowed, (args, loaded, done.stderr)
