"""Text a person gives (names, addresses, notes) checked for characters that do harm, and journal
text made safe to print.

Control characters break letters and files (a NUL ends a C string; a carriage return splits an e-mail
header), bidirectional overrides make a line read differently from what it says (a name that shows
as "Meta" but is stored reversed), and a name of only invisible characters is no name. Such input is
refused, naming the field. Text already in a journal (an imported note, an evidence file's name) is
printed with its control characters made visible, so it can never move the cursor or recolour a
terminal. And counts for English output are written in words that agree ("1 day", "2 days").
"""

from __future__ import annotations

import re
import unicodedata

from .errors import InputError

# Embeddings, overrides and isolates (Unicode bidi "explicit formatting"): they reorder what follows.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Characters that show as nothing but are not Unicode "format" characters.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
_MULTILINE_SPACE = frozenset("\t\n\r")
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _name(char: str) -> str:
    return f"U+{ord(char):04X}" + (f" {unicodedata.name(char)}" if unicodedata.name(char, "") else "")


def check_text(label: str, value: str) -> str:
    """`value` unchanged, or InputError naming `label` and the first harmful character.

    Tabs and line breaks are allowed (single-line fields fold them into spaces); every other control
    character, NUL included, and every bidi override is refused; so is text that is all invisible."""
    for position, char in enumerate(value, 1):
        if char in BIDI_CONTROLS:
            raise InputError(f"{label}: contains a bidirectional override ({_name(char)}) at character {position}; "
                             "it would make the text read differently from what it says")
        if unicodedata.category(char) == "Cc" and char not in _MULTILINE_SPACE:
            raise InputError(f"{label}: contains a control character (U+{ord(char):04X}) at character {position}")
    if value.strip() and not any(_visible(char) for char in value):
        raise InputError(f"{label}: contains only invisible characters")
    return value


def _visible(char: str) -> bool:
    category = unicodedata.category(char)
    return not (char.isspace() or category in ("Cf", "Cc", "Zs", "Zl", "Zp", "Mn", "Me") or char in _BLANK_LETTERS)


def printable(value: object) -> str:
    """`value` as text with control characters and bidi overrides shown as \\x1b or \\u202e escapes."""
    text = str(value)
    if text.isprintable():  # the common case, checked in C: `status` prints 80,000 cells
        return text
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def plural(count: int, word: str) -> str:
    """"1 letter", "2 letters": counts in words that agree (English output only)."""
    return f"{count} {word}{'' if count == 1 else 's'}"
