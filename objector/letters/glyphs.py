"""Characters no installed font can show, found before a PDF is rendered.

Pango draws an empty box for a character none of the system's fonts has (a Chinese name, a rare emoji),
and WeasyPrint says nothing. A letter with boxes for a name must not be posted, so the characters are
checked against Fontconfig, the same font set WeasyPrint uses, and the letter is refused in one line that
lists them. One `fc-list` call asks whether a single font holds them all (the usual case: DejaVu covers
every language the letters are written in); only when none does is each character asked about alone.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from functools import lru_cache

from ..errors import InputError

SKIPPED_CATEGORIES = {"Cc", "Cf", "Zl", "Zp"}  # controls and format characters draw nothing


def _covered(chars: frozenset[str]) -> bool:
    """Whether one installed font holds every character of `chars` (True where Fontconfig is absent)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return True  # cannot check here; WeasyPrint's own warnings remain
    charset = " ".join(f"{ord(ch):x}" for ch in sorted(chars))
    try:
        found = subprocess.run([fc_list, f":charset={charset}", "family"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return True
    return bool(found.stdout.strip())


@lru_cache(maxsize=512)
def _covered_cached(chars: frozenset[str]) -> bool:
    return _covered(chars)


def missing(text: str) -> list[str]:
    """The characters of `text` that no installed font can show, in order of first appearance."""
    wanted = frozenset(ch for ch in text if ord(ch) > 0x7E and unicodedata.category(ch) not in SKIPPED_CATEGORIES)
    if not wanted or _covered_cached(wanted):
        return []
    lost = {ch for ch in wanted if not _covered_cached(frozenset({ch}))}
    return list(dict.fromkeys(ch for ch in text if ch in lost))


def check(text: str) -> None:
    lost = missing(text)
    if lost:
        listed = ", ".join(f"{ch} (U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed').lower()})" for ch in lost[:12])
        more = f" and {len(lost) - 12} more" if len(lost) > 12 else ""
        raise InputError(f"no installed font can show {listed}{more}: the PDF would print empty boxes; install a font "
                         "that covers them (e.g. Noto CJK for Chinese, Japanese and Korean) or write them in Latin "
                         "letters in the profile or --reason")
