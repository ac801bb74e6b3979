"""Evidence files: copied (streamed) into evidence/<sha256> with mode 0600, never read whole.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from ..errors import OutputError
from ..paths import PRIVATE_FILE_MODE, atomic_write, open_regular

EVIDENCE_CHUNK = 1 << 20  # evidence is hashed, copied and exported a mebibyte at a time, never read whole


def copy_evidence(source: Path, directory: Path) -> tuple[str, int, bool]:
    """Copy `source` into `directory` under its SHA-256, hashing while copying: (digest, size, newly created).

    The copy goes to a temporary file first and is linked into place under its name once the hash is
    known; a file already stored under that hash is kept and the copy dropped."""
    from ..paths import _link_into_place

    digest = hashlib.sha256()
    size = 0
    fd, tmp_name = tempfile.mkstemp(prefix=".evidence.", suffix=".tmp", dir=directory)
    tmp = Path(tmp_name)
    try:
        with open_regular(source, "--evidence") as reader, os.fdopen(fd, "wb") as writer:
            for chunk in iter(lambda: reader.read(EVIDENCE_CHUNK), b""):
                digest.update(chunk)
                writer.write(chunk)
                size += len(chunk)
            writer.flush()
            os.fsync(writer.fileno())
        os.chmod(tmp, PRIVATE_FILE_MODE)
        target = directory / digest.hexdigest()
        if target.exists():
            return digest.hexdigest(), size, False
        try:
            _link_into_place(tmp, target)
        except FileExistsError:  # another process stored the same file first: same name, same bytes
            return digest.hexdigest(), size, False
        return digest.hexdigest(), size, True
    finally:
        tmp.unlink(missing_ok=True)


def write_evidence(target: Path, content: bytes) -> bool:
    """Write ``content`` to ``target`` atomically (0600) unless it is there already. True if created."""
    if target.exists():
        return False
    try:
        atomic_write(target, content)
    except OutputError:
        if target.exists():  # another process stored the same file first: same name, same bytes
            return False
        raise
    return True
