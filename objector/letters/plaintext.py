"""A letter's HTML as plain text, for a web form, an e-mail body or a terminal.

The HTML is the single source of a letter's wording; this turns its structure (paragraphs, numbered
lists, tables) into text. Escaped user text comes back out literally, never as markup. Lines are not
hard-wrapped: web forms and mail programs reflow text themselves.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

SKIPPED_TAGS = {"head", "style", "script", "title"}
SKIPPED_CLASSES = {"return-line", "fold", "hole", "signature"}
VOID_TAGS = {"img", "br", "meta", "link", "hr", "input"}
PARAGRAPH_TAGS = {"p", "h1", "h2", "table", "ol", "ul", "address"}
PARAGRAPH_CLASSES = {"sender", "window", "info", "closing-block"}
LINE_TAGS = {"div", "li", "tr"}
PRESERVING_CLASSES = {"reason"}
# The PDF's line-breaking marks (letters.letter: a word joiner after a hyphen, a zero-width space where an e-mail
# address may break): they mean nothing in text to paste, and would travel into a form or a mail program.
INVISIBLE_MARKS = {0x2060: None, 0x200B: None}


class _TextBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.line: list[str] = []
        self.stack: list[tuple[str, set[str]]] = []
        self.skipping = 0
        self.preserving = 0
        self.counters: list[int] = []
        self.label_separator = ": "

    def handle_starttag(self, tag, attrs):
        if tag in VOID_TAGS:
            if tag == "br" and not self.skipping:
                self._flush()
            return
        if tag == "html" and (dict(attrs).get("lang") or "").startswith("fr"):
            self.label_separator = "\u00a0: "  # French sets a no-break space before a colon
        classes = set((dict(attrs).get("class") or "").split())
        self.stack.append((tag, classes))
        if self.skipping or tag in SKIPPED_TAGS or classes & SKIPPED_CLASSES:
            self.skipping += 1
            return
        if classes & PRESERVING_CLASSES:
            self.preserving += 1
        if tag in LINE_TAGS or tag in PARAGRAPH_TAGS:
            self._flush()
        if tag == "ol":
            self.counters.append(0)
        elif tag == "ul":
            self.counters.append(-1)
        elif tag == "li" and self.counters:
            if self.counters[-1] >= 0:
                self.counters[-1] += 1
                self.line.append(f"{self.counters[-1]}. ")
            else:
                self.line.append("- ")
        elif (tag in {"td", "th"} or "info-value" in classes) and "".join(self.line).strip():
            self.line.append(self.label_separator)

    def handle_endtag(self, tag):
        if tag in VOID_TAGS or not self.stack:
            return
        open_tag, classes = self.stack.pop()
        if self.skipping:
            self.skipping -= 1
            return
        if classes & PRESERVING_CLASSES:
            self.preserving -= 1
        if open_tag in {"ol", "ul"} and self.counters:
            self.counters.pop()
        if open_tag in LINE_TAGS or open_tag in PARAGRAPH_TAGS or classes & PARAGRAPH_CLASSES:
            self._flush()
        if open_tag in PARAGRAPH_TAGS or classes & PARAGRAPH_CLASSES:
            self.out.append("")

    def handle_data(self, data):
        if self.skipping:
            return
        data = data.translate(INVISIBLE_MARKS)
        if self.preserving:
            self.line.append(data)
        else:
            self.line.append(re.sub(r"[ \t\n\r\f]+", " ", data))  # HTML whitespace only: keep no-break spaces

    def _flush(self) -> None:
        text = "".join(self.line)
        self.line = []
        for part in text.split("\n"):
            part = part.strip() if not self.preserving else part.rstrip()
            if part:
                self.out.append(part.strip() if not self.preserving else part)

    def text(self) -> str:
        self._flush()
        joined = "\n".join(self.out)
        return re.sub(r"\n{3,}", "\n\n", joined).strip() + "\n"


def html_to_text(html: str) -> str:
    builder = _TextBuilder()
    builder.feed(html)
    builder.close()
    return builder.text()
