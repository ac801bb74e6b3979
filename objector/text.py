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
# The implicit direction marks (left-to-right, right-to-left, Arabic letter mark): invisible, they turn the
# neutral characters around them (digits, dots, dashes) the other way, so "12-34" can show as "34-12".
DIRECTION_MARKS = frozenset("\u200e\u200f\u061c")
# A zero-width no-break space (the byte-order mark) inside text hides a break or a join a reader cannot see:
# "Me\ufeffta" looks like "Meta" and is not it.
HIDDEN = frozenset("\ufeff")
# Characters that show as nothing but are not Unicode "format" characters.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
_MULTILINE_SPACE = frozenset("\t\n\r")
# The line and paragraph separators are line breaks, folded like them (into "\n" by fold_separators;
# a one-line field then folds that into a space).
LINE_SEPARATORS = str.maketrans({"\u2028": "\n", "\u2029": "\n"})
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\ufeff\u2028\u2029]")


def _name(char: str) -> str:
    return f"U+{ord(char):04X}" + (f" {unicodedata.name(char)}" if unicodedata.name(char, "") else "")


def check_text(label: str, value: str) -> str:
    """`value` unchanged, or InputError naming `label` and the first harmful character.

    Tabs and line breaks are allowed (single-line fields fold them into spaces, as they fold the line and
    paragraph separators U+2028 and U+2029); every other control character, NUL included, every bidi
    override and direction mark, and the zero-width no-break space are refused; so is text that is all
    invisible."""
    for position, char in enumerate(value, 1):
        if char in BIDI_CONTROLS:
            raise InputError(f"{label}: contains a bidirectional override ({_name(char)}) at character {position}; "
                             "it would make the text read differently from what it says")
        if char in DIRECTION_MARKS:
            raise InputError(f"{label}: contains a direction mark ({_name(char)}) at character {position}; "
                             "it would make the text read differently from what it says")
        if char in HIDDEN:
            raise InputError(f"{label}: contains an invisible character ({_name(char)}) at character {position}; "
                             "it would make the text differ from what it shows")
        if unicodedata.category(char) == "Cc" and char not in _MULTILINE_SPACE:
            raise InputError(f"{label}: contains a control character (U+{ord(char):04X}) at character {position}")
    if value.strip() and not any(_visible(char) for char in value):
        raise InputError(f"{label}: contains only invisible characters")
    return value


def fold_separators(value: str) -> str:
    """U+2028 and U+2029 as the line breaks they are ("\n"): a text format or a terminal shows them as nothing."""
    return value.translate(LINE_SEPARATORS)


# The most a person's own words take in a letter (a --reason, a note a reminder or complaint quotes): about three
# pages. Every character and every line is laid out in the PDF; 5,000 one-character lines made 95 pages.
LONG_TEXT_MAX = 10_000
LONG_TEXT_LINES = 100


def check_length(label: str, value: str, limit: int = LONG_TEXT_MAX, lines: int = LONG_TEXT_LINES) -> str:
    """`value`, or InputError when it is longer than `limit` characters or `lines` lines (a letter, not a book)."""
    if len(value) > limit:
        raise InputError(f"{label}: {len(value):,} characters; at most {limit:,} fit a letter")
    count = value.count("\n") + 1
    if count > lines:
        raise InputError(f"{label}: {count:,} lines; at most {lines} fit a letter (join some)")
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
