"""Where objector keeps the person's data, and how files are written safely.

Personal data lives in one private directory (0700) and every file in it is 0600. All writes go to a
temporary file in the target's directory and are renamed into place, so a crash or a full disk never
leaves half a letter, half a profile or half a journal export behind.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from .errors import InputError, NotFoundError, OutputError

HOME_ENV = "OBJECTOR_HOME"
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def data_dir() -> Path:
    """The per-user data directory: $OBJECTOR_HOME, else platformdirs' user data dir."""
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("objector", appauthor=False))


def cache_dir() -> Path:
    """Where objector keeps what it can always make again (compiled templates): $OBJECTOR_HOME/cache, else
    platformdirs' user cache dir. Deleting it costs a few milliseconds on the next run, nothing else."""
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override).expanduser() / "cache"
    import platformdirs

    return Path(platformdirs.user_cache_dir("objector", appauthor=False))


def ensure_private_dir(path: Path) -> Path:
    """Create `path` (and missing parents) with mode 0700; an existing folder is left as it is.

    Only folders objector creates are made private: `batch -d .`, an existing $OBJECTOR_HOME or
    OBJECTOR_HOME=/tmp must never have their permissions changed (the files inside are 0600 anyway).
    """
    path = Path(path)
    missing = []
    for folder in (path, *path.parents):
        if folder.is_dir() or folder.exists():
            break
        missing.append(folder)
    try:
        for folder in reversed(missing):
            try:
                folder.mkdir(mode=PRIVATE_DIR_MODE)
            except FileExistsError:
                if not folder.is_dir():
                    raise
                continue  # created by another process at this moment: theirs, not ours to change
            folder.chmod(PRIVATE_DIR_MODE)  # the umask may have taken bits away: the owner needs all three
        if not path.is_dir():
            raise NotADirectoryError(20, "not a directory", str(path))
    except OSError as exc:
        raise OutputError(f"cannot create the folder {path}: {exc.strerror or exc}") from exc
    return path


def check_target(path: Path, *, overwrite: bool = False) -> Path:
    """Refuse a target that cannot or must not be written; return the folder it goes in.

    Called by atomic_write, and by callers before expensive work (a PDF) so nothing is rendered in vain.
    """
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"{path} is a directory; give a file name with -o")
    if path.is_symlink() or (path.exists() and not path.is_file()):
        # Never rename over a device, a pipe or a link: --force replaces files, nothing else.
        raise OutputError(f"{path} is not a regular file; objector only writes regular files")
    if path.exists() and not overwrite:
        raise OutputError(f"{path} exists; use --force to replace it")
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise OutputError(f"cannot write {path}: the folder {directory} does not exist")
    return directory


def atomic_write(path: Path, data: bytes, *, overwrite: bool = False, mode: int = PRIVATE_FILE_MODE) -> Path:
    """Write `data` to `path` atomically with `mode`; refuse to replace an existing file unless asked."""
    with atomic_writer(path, overwrite=overwrite, mode=mode) as handle:
        handle.write(data)
    return Path(path)


@contextmanager
def atomic_writer(path: Path, *, overwrite: bool = False, mode: int = PRIVATE_FILE_MODE) -> Iterator[BinaryIO]:
    """A binary file to write `path` through, piece by piece (an export of gigabytes never sits in memory).

    The temporary file is created next to the target (same filesystem, so the rename is atomic),
    fsynced, then renamed. Without `overwrite`, the final step is a hard link, which fails if the
    target appeared in the meantime: two writers never silently replace each other's file. If the
    block raises, the temporary file is removed and the target is untouched.
    """
    path = Path(path)
    directory = check_target(path, overwrite=overwrite)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        if overwrite:
            os.replace(tmp, path)
        else:
            _link_into_place(tmp, path)
    except FileExistsError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputError(f"{path} exists; use --force to replace it") from exc
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _link_into_place(tmp: Path, path: Path) -> None:
    """Move `tmp` to `path` only if `path` does not exist (a hard link where the filesystem has them)."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError:
        # Filesystems without hard links (some network and FAT mounts): check, then rename.
        if path.exists():
            raise FileExistsError(path) from None
        os.replace(tmp, path)
        return
    tmp.unlink()


def open_regular(path: Path, what: str) -> BinaryIO:
    """A file the person named, open for reading, if it is a regular file.

    A FIFO would block the open until someone writes to it, a device such as /dev/zero never ends, and a
    socket is not a file at all: each is refused in one line ("not a regular file"). The file is opened
    without blocking and checked on its descriptor, so it cannot be swapped for a pipe in between."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise NotFoundError(f"{what}: no file {path}") from None
    except IsADirectoryError:
        raise InputError(f"{what}: {path} is a folder, not a file") from None
    except OSError as exc:
        raise InputError(f"{what}: cannot read {path}: {exc.strerror or exc}") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise InputError(f"{what}: {path} is a folder, not a file")
        if not stat.S_ISREG(mode):
            raise InputError(f"{what}: {path} is not a regular file (a pipe, a device or a socket); "
                             "objector reads regular files only")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_user_file(path: Path, what: str, *, limit: int | None = None) -> bytes:
    """The bytes of a regular file the person named; a missing, unreadable or special one is explained in
    one line, and so is one larger than `limit` bytes (never read beyond it)."""
    with open_regular(path, what) as handle:
        try:
            data = handle.read() if limit is None else handle.read(limit + 1)
        except OSError as exc:
            raise InputError(f"{what}: cannot read {path}: {exc.strerror or exc}") from None
    if limit is not None and len(data) > limit:
        raise InputError(f"{what}: {path} is larger than {size_words(limit)}")
    return data


def size_words(size: int) -> str:
    """2,000,000 → "2 MB", 65,536 → "64 KiB": a limit as a person reads it."""
    for unit, name in ((2**30, "GiB"), (2**20, "MiB"), (2**10, "KiB"), (10**6, "MB"), (10**3, "kB")):
        if size >= unit and size % unit == 0:
            return f"{size // unit} {name}"
    return f"{size:,} bytes"


def read_user_text(path: Path, what: str, *, limit: int | None = None) -> str:
    """A UTF-8 text file the person named (a byte-order mark is allowed)."""
    try:
        return read_user_file(path, what, limit=limit).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{what}: {path} is not UTF-8 text") from None
