"""`objector doctor`: is this machine able to produce good letters, and is the person's data safe?

Each check says what it found and, where something is missing, what to install or change.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .errors import EXIT_JOURNAL, EXIT_OUTPUT, EXIT_RENDER, EXIT_TAMPERED
from .text import plural

LETTER_FONTS = ("DejaVu Serif",)  # the first family of templates/letter.css


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""
    required: bool = True
    exit_code: int = 0  # the exit code a failure of this check maps to

    @property
    def status(self) -> str:
        return "ok" if self.ok else ("FAIL" if self.required else "warn")


def check_python() -> Check:
    version = ".".join(map(str, sys.version_info[:3]))
    return Check("python", sys.version_info >= (3, 11), f"Python {version}", "install Python 3.11 or later")


def check_pango() -> Check:
    try:
        import weasyprint
        from weasyprint.text.ffi import pango

        number = pango.pango_version()  # 1.50.12 → 15012
        version = f"{number // 10000}.{number // 100 % 100}.{number % 100}"

        return Check("pango", True, f"WeasyPrint {weasyprint.__version__}, Pango {version}", exit_code=EXIT_RENDER)
    except (ImportError, OSError) as exc:
        return Check("pango", False, f"WeasyPrint cannot load Pango: {exc}",
                     "apt-get install libpango-1.0-0 libpangoft2-1.0-0 (Debian/Ubuntu)", exit_code=EXIT_RENDER)


def check_harfbuzz_subset() -> Check:
    try:
        from weasyprint.text.ffi import harfbuzz_subset
    except (ImportError, OSError):
        harfbuzz_subset = None
    if harfbuzz_subset is not None:
        return Check("harfbuzz-subset", True, "libharfbuzz-subset found: fonts are subset by HarfBuzz", required=False)
    return Check("harfbuzz-subset", False, "libharfbuzz-subset missing: fonts are subset by fontTools, about 5x slower",
                 "apt-get install libharfbuzz-subset0 (Debian/Ubuntu)", required=False)


def letter_characters() -> dict[str, set[str]]:
    """Every character each language's letters can contain: its catalog, glossary, months, countries."""
    from babel import Locale
    from babel.messages.pofile import read_po

    from .i18n import glossary, supported_languages
    from .resources import locales_dir

    chars: dict[str, set[str]] = {}
    for lang in supported_languages():
        text = []
        po = locales_dir() / lang / "LC_MESSAGES" / "objector.po"
        if po.is_file():
            with po.open("rb") as handle:
                text += [m.string for m in read_po(handle) if isinstance(m.string, str)]
        entry = glossary(lang)
        text += [str(v) for law in entry.laws.values() for v in law.values()]
        locale = Locale.parse(entry.locale)
        text += list(locale.months["format"]["wide"].values())
        text += [locale.territories.get(code, "") for code in ("IE", "US", "GB", "DE", "FR", "PL", "RO", "SE")]
        chars[lang] = {ch for ch in "".join(text) if not ch.isspace()}
    return chars


def font_file(family: str) -> Path | None:
    if not shutil.which("fc-match"):
        return None
    found = subprocess.run(["fc-match", "-f", "%{family}\n%{file}", family], capture_output=True, text=True, check=False)
    lines = found.stdout.splitlines()
    if len(lines) == 2 and family.lower() in lines[0].lower():
        return Path(lines[1])
    return None


def check_fonts() -> Check:
    from fontTools.ttLib import TTFont

    path = next((p for p in map(font_file, LETTER_FONTS) if p), None)
    if path is None:
        how = "fc-match is missing, cannot look" if not shutil.which("fc-match") else f"{LETTER_FONTS[0]} is not installed"
        return Check("fonts", False, how, "apt-get install fontconfig fonts-dejavu-core (Debian/Ubuntu)", required=False)
    cmap = TTFont(str(path), lazy=True).getBestCmap()
    characters = letter_characters()  # parses every catalog: read once
    gaps = {lang: sorted(ch for ch in chars if ord(ch) not in cmap) for lang, chars in characters.items()}
    gaps = {lang: missing for lang, missing in gaps.items() if missing}
    if gaps:
        detail = "; ".join(f"{lang}: {''.join(missing)}" for lang, missing in gaps.items())
        return Check("fonts", False, f"{path.name} lacks characters: {detail}", "apt-get install fonts-dejavu-core fonts-noto-core", exit_code=EXIT_RENDER)
    langs = ", ".join(characters)
    return Check("fonts", True, f"{path.name} covers every letter language ({langs})")


def check_data_dir() -> Check:
    from .paths import data_dir

    home = data_dir()
    if not home.exists():
        return Check("data dir", True, f"{home} (not created yet)")
    problems = []
    if stat.S_IMODE(home.stat().st_mode) & 0o077:
        problems.append(f"{home} is mode {stat.S_IMODE(home.stat().st_mode):o}, not 700")
    for root, _dirs, files in os.walk(home):
        for name in files:
            path = Path(root, name)
            if stat.S_IMODE(path.stat().st_mode) & 0o077:
                problems.append(f"{path} is readable by others")
    if problems:
        return Check("data dir", False, "; ".join(problems[:3]), f"chmod 700 {home} and chmod 600 the files in it", exit_code=EXIT_OUTPUT)
    return Check("data dir", True, f"{home} is private (700, files 600)")


def check_journal() -> Check:
    from .errors import JournalError
    from .journal import Journal, journal_path

    path = journal_path()
    if not path.exists():
        return Check("journal", True, "no journal yet")
    try:
        with Journal.open(path, create=False) as journal:
            report = journal.verify()
    except JournalError as exc:
        return Check("journal", False, exc.message, "keep the file; restore it from a backup or an export", exit_code=EXIT_JOURNAL)
    if not report.ok:
        return Check("journal", False, f"{len(report.problems)} problem(s), first: {report.problems[0]}",
                     "run `objector verify` for the details", exit_code=EXIT_TAMPERED)
    return Check("journal", True, f"{plural(report.requests, 'request')}, {plural(report.events, 'event')}, "
                 f"{plural(report.evidence_files, 'evidence file')}; hash chain intact")


def check_authority() -> Check:
    """The supervisory authority where the profile's person lives, and whether its postal address is verified."""
    from .errors import ObjectorError
    from .law import authorities, laws
    from .people.profile import default_path, load

    if not default_path().exists():
        return Check("authority", True, "no profile yet", required=False)
    try:
        address = load().address
        law = laws.law_for(address.country, address.region)
        authority = authorities.get("gb-ico") if law is laws.UK_GDPR else \
            authorities.for_residence(address.country, address.region)
    except ObjectorError as exc:
        return Check("authority", False, exc.message, "choose one with `objector complaint REF --authority ID`",
                     required=False)
    if not authority.verified:
        return Check("authority", False, f"{authority.name_en} ({authority.id}): postal address UNVERIFIED",
                     f"check it before posting a complaint (`objector authorities show {authority.id}`)", required=False)
    return Check("authority", True, f"{authority.name_en} ({authority.id}), postal address verified", required=False)


def run_checks() -> list[Check]:
    return [check_python(), check_pango(), check_harfbuzz_subset(), check_fonts(), check_data_dir(), check_journal(),
            check_authority()]


def exit_code(checks: list[Check]) -> int:
    failed = [c for c in checks if not c.ok and c.required]
    return (failed[0].exit_code or 1) if failed else 0


