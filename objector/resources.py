"""Where the package's own files are: templates/, locales/ and data/.

In a wheel, templates/ and locales/ are force-included inside the package (objector/templates,
objector/locales). In a source checkout or an editable install they stay at the repository's top level.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def resource_dir(name: str) -> Path:
    inside = PACKAGE_DIR / name
    if inside.is_dir():
        return inside
    beside = PACKAGE_DIR.parent / name
    if beside.is_dir():
        return beside
    raise FileNotFoundError(f"objector is installed without its {name}/ folder (looked in {inside} and {beside})")


def templates_dir() -> Path:
    return resource_dir("templates")


def locales_dir() -> Path:
    return resource_dir("locales")


def data_file(name: str) -> Path:
    return PACKAGE_DIR / "data" / name
