"""A wheel (`pip install .`, not editable) carries its templates, catalogs and compiled .mo files."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from helpers import flat, pdf_text, write_profile

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(REPO)],
                   check=True, capture_output=True)
    return next(out.glob("objector-*.whl"))


def test_wheel_contains_templates_and_compiled_catalogs(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "objector/templates/letters/objection.html.j2" in names
    assert "objector/templates/letters/us/opt-out.html.j2" in names  # the US letters' own folder
    assert "objector/templates/letter.css" in names
    assert "objector/data/controllers.toml" in names
    for lang in ("de", "fr", "es", "it", "nl", "pl", "pt", "ro", "sv"):
        assert f"objector/locales/{lang}/LC_MESSAGES/objector.mo" in names, lang
        assert f"objector/locales/{lang}/glossary.toml" in names, lang
    assert "objector/locales/en/glossary.toml" in names


def test_installed_wheel_writes_a_localized_letter(wheel, tmp_path):
    # The wheel installed on its own path, ahead of the checkout; its dependencies are this interpreter's.
    target = tmp_path / "installed"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    env = {"PYTHONPATH": str(target), "OBJECTOR_HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin"}
    located = subprocess.run([sys.executable, "-c", "import objector, objector.resources as r; print(objector.__file__); print(r.templates_dir())"],
                             cwd=tmp_path, env=env, check=True, capture_output=True, text=True).stdout.splitlines()
    assert str(target) in located[0] and str(target) in located[1]  # the wheel's copy, not the checkout's
    profile = write_profile(tmp_path)
    done = subprocess.run([sys.executable, "-m", "objector", "letter", "objection", "meta", "--profile", str(profile), "--lang", "de",
                           "--date", "2026-11-27", "--no-record", "-o", "de.pdf"], cwd=tmp_path, capture_output=True, text=True,
                          env=env)
    assert done.returncode == 0, done.stderr
    text = flat(pdf_text(tmp_path / "de.pdf"))
    assert "Art. 21 Abs. 1 DSGVO" in text and "27. November 2026" in text and "IRLAND" in text
