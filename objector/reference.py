"""References a person can read out over the phone and type back: OBJ-2026-7K3F9Q."""

from __future__ import annotations

import re
import secrets

# Crockford's base 32 without I, L, O and U: nothing to confuse with 1, 0 or V.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIXES = {
    "objection": "OBJ", "access": "ACC", "erasure": "ERA", "portability": "POR", "rectification": "REC",
    "restriction": "RST", "withdraw-consent": "WDC", "opt-out": "OPT", "limit-sensitive": "LIM", "complaint": "CMP",
}
PATTERN = re.compile(r"^[A-Z]{3}-\d{4}-[0-9A-HJKMNP-TV-Z]{6}$")


def new_reference(kind: str, year: int) -> str:
    code = "".join(secrets.choice(ALPHABET) for _ in range(6))
    return f"{PREFIXES[kind]}-{year:04d}-{code}"


def normalize(reference: str) -> str:
    """Accept what a person types: lower case, O for 0, I or L for 1, spaces for dashes."""
    text = reference.strip().upper().replace(" ", "-")
    head, _, tail = text.rpartition("-")
    tail = tail.replace("O", "0").replace("I", "1").replace("L", "1")
    return f"{head}-{tail}" if head else text


def derived_reference(kind: str, year: int, seed: str) -> str:
    """A reference fixed by `seed` (a batch row's key): a resumed batch gives a row the same reference."""
    import hashlib

    digest = hashlib.sha256(seed.encode("utf-8")).digest()
    code = "".join(ALPHABET[byte % 32] for byte in digest[:6])
    return f"{PREFIXES[kind]}-{year:04d}-{code}"
