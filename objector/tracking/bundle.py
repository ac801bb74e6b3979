"""The complaint's bundle: one .zip for the authority with the complaint, the original letters, the
evidence, and manifest.json naming every file with its SHA-256.

The original letters are looked for on disk (the journal keeps their names and hashes, not the files);
a file is packed only if its bytes still match the hash recorded in the journal. A letter that cannot be
found is rebuilt from its journal entry when that gives the very same bytes; otherwise the manifest lists
it as missing. Evidence files come from the journal's own copies. The zip is written atomically, 0600.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..paths import atomic_write

if TYPE_CHECKING:
    from .complaint import WrittenComplaint
    from .complaint_timeline import Document

FORMAT = "objector-complaint-bundle"
VERSION = 1
FOLDERS = {"complaint": "complaint", "letter": "letters", "reminder": "letters", "appeal": "letters", "evidence": "evidence"}


@dataclass
class Bundle:
    path: Path
    files: list[dict] = field(default_factory=list)  # the manifest's entries
    missing: list[str] = field(default_factory=list)  # what could not be packed, and why

    def to_dict(self) -> dict:
        return {"path": str(self.path), "files": self.files, "missing": self.missing}


def write_bundle(written: WrittenComplaint, path: Path, *, letters_dir: Path, overwrite: bool = False) -> Bundle:
    from ..journal import Journal

    c = written.complaint
    bundle = Bundle(path)
    members: list[tuple[str, bytes]] = []

    def add(role: str, name: str, data: bytes, sha256: str) -> None:
        folder = FOLDERS[role]
        member = f"{folder}/{name}"
        if any(m == member for m, _ in members):  # two evidence files with one name: keep both
            member = f"{folder}/{sha256[:12]}-{name}"
        members.append((member, data))
        bundle.files.append({"path": member, "role": role, "sha256": sha256, "size": len(data)})

    add("complaint", written.document, written.data, written.sha256)
    with Journal.open(create=False) as journal:
        evidence_path = journal.evidence_path
    for document in c.documents:
        data = _find(document, letters_dir, evidence_path, c)
        if data is None:
            where = "the journal's evidence folder" if document.role == "evidence" else str(letters_dir)
            bundle.missing.append(f"{document.name} (sha256 {document.sha256}): no file with that hash in {where}")
            continue
        add(document.role, Path(document.name).name, data, document.sha256)
    manifest = {
        "format": FORMAT,
        "format_version": VERSION,
        "complaint": c.reference,
        "request": c.request_reference,
        "authority": c.authority.id,
        "date": c.on.isoformat(),
        "journal_head": {"seq": c.journal_head[0], "hash": c.journal_head[1]},
        "files": bundle.files,
        "missing": bundle.missing,
        "note": "Holds personal data. Check a file with: sha256sum <path> (compare with sha256 above).",
    }
    members.append(("manifest.json", (json.dumps(manifest, ensure_ascii=False, indent=1) + "\n").encode("utf-8")))
    buffer = io.BytesIO()
    stamp = (c.on.year, c.on.month, c.on.day, 0, 0, 0)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for member, data in members:
            info = zipfile.ZipInfo(member, date_time=stamp)  # fixed time: the same complaint gives the same zip
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            archive.writestr(info, data)
    atomic_write(path, buffer.getvalue(), overwrite=overwrite)
    return bundle


def _find(document: Document, letters_dir: Path, evidence_path, c) -> bytes | None:
    """The document's bytes if a file with its recorded hash can be found (or rebuilt)."""
    if document.role in ("evidence", "appeal"):  # an appeal's file is kept among the evidence
        return _matching(evidence_path(document.sha256), document.sha256)
    found = _matching(letters_dir / Path(document.name).name, document.sha256)
    if found is None and document.role == "letter":
        found = _rebuilt(c, document)
    return found


def _matching(path: Path, sha256: str) -> bytes | None:
    from ..errors import ObjectorError
    from ..paths import read_user_file

    try:
        data = read_user_file(path, "letter")  # a regular file only: a FIFO of that name would never end
    except ObjectorError:
        return None
    return data if hashlib.sha256(data).hexdigest() == sha256 else None


def _rebuilt(c, document: Document) -> bytes | None:
    """The first letter rebuilt from the journal's inputs: used only if it gives the recorded bytes."""
    from ..letters.compose import FORMATS, produce

    fmt = Path(document.name).suffix.lstrip(".")
    if fmt not in FORMATS:
        return None
    from ..journal import Journal

    with Journal.open(create=False) as journal:
        inputs = journal.get_request(c.request_reference).inputs
    if inputs.get("signature_sha256"):
        return None  # the signature image is not kept: the letter cannot be rebuilt
    data = produce(c.request, fmt)[0]
    return data if hashlib.sha256(data).hexdigest() == document.sha256 else None
