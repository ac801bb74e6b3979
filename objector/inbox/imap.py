"""An IMAP mailbox as a source of messages, read-only: EXAMINE (the server opens the mailbox read-only and says
so, or nothing is read), messages fetched with BODY.PEEK (no \\Seen flag set), never STORE, COPY, MOVE or EXPUNGE.

Addresses: ``imaps://user@host[:port]/MAILBOX`` (TLS from the start, port 993 by default); ``imap://`` only for
a server on this machine (localhost, e.g. a mail bridge), always upgraded with STARTTLS. The certificate is
always verified (the system's CAs, or the CA file named by OBJECTOR_IMAP_CAFILE for a server with a certificate
of its own); there is no way to turn verification off. The password comes from OBJECTOR_IMAP_PASSWORD, else
from the system keyring (service ``objector``, user ``user@host``) when the optional `keyring` package is
installed; never from the command line, and it is never printed or written anywhere.
"""

from __future__ import annotations

import base64
import imaplib
import os
import re
import ssl
from collections.abc import Iterator
from datetime import date
from urllib.parse import unquote, urlsplit

from ..errors import InputError
from .raw import RawMail, Source

PASSWORD_ENV = "OBJECTOR_IMAP_PASSWORD"
CAFILE_ENV = "OBJECTOR_IMAP_CAFILE"
KEYRING_SERVICE = "objector"
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
TIMEOUT = 60  # seconds a server may stay silent
BATCH_BYTES = 8 << 20  # messages fetched together, up to this many bytes
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_UID = re.compile(rb"\bUID (\d+)")
_SIZE = re.compile(rb"\bRFC822\.SIZE (\d+)")


class ImapSource(Source):
    def __init__(self, spec: str, *, max_size: int, since: date | None = None):
        parts = urlsplit(spec)
        self.scheme = parts.scheme.lower()
        try:
            port = parts.port
        except ValueError:
            raise InputError(f"{spec}: the port is not a number") from None
        if parts.password is not None:
            raise InputError("a password in the mailbox address is refused (it would stay in your shell's history); "
                             f"set {PASSWORD_ENV} or keep it in the system keyring")
        if not parts.hostname or not parts.username:
            raise InputError(f"{spec}: give the user and the server, e.g. imaps://jana@mail.example.org/INBOX")
        if parts.query or parts.fragment:
            raise InputError(f"{spec}: an IMAP address here has no ?query or #fragment")
        self.user, self.host = unquote(parts.username), parts.hostname
        if self.scheme == "imap" and self.host not in LOCAL_HOSTS:
            raise InputError(f"imap://{self.host}: plain imap:// is accepted only for a server on this machine "
                             "(upgraded with STARTTLS); use imaps:// for a mail server elsewhere")
        self.port = port or (993 if self.scheme == "imaps" else 143)
        self.mailbox = unquote(parts.path.lstrip("/")) or "INBOX"
        self.max_size, self.since = max_size, since
        where = f"{self.host}:{port}" if port else self.host
        self.label = f"{self.scheme}://{parts.username}@{where}/{self.mailbox}"
        self.conn: imaplib.IMAP4 | None = None
        self.uids: list[bytes] = []

    # ------------------------------------------------------------------ connecting

    def open(self) -> None:
        """Connect, log in, EXAMINE the mailbox and list the messages (since --since): errors before any reading."""
        context = _tls_context()
        password = _password(self.user, self.host)
        try:
            if self.scheme == "imaps":
                conn: imaplib.IMAP4 = imaplib.IMAP4_SSL(self.host, self.port, ssl_context=context, timeout=TIMEOUT)
            else:
                conn = imaplib.IMAP4(self.host, self.port, timeout=TIMEOUT)
                self.conn = conn
                conn.starttls(context)
            self.conn = conn
            self._login(conn, password)
            self._examine(conn)
            criteria = ("SINCE", f"{self.since.day:02d}-{_MONTHS[self.since.month - 1]}-{self.since.year}") \
                if self.since else ("ALL",)
            typ, data = conn.uid("SEARCH", *criteria)
            if typ != "OK":
                raise InputError(f"{self.label}: the server could not list the messages ({_said(data)})")
            self.uids = (data[0] or b"").split() if data else []
        except ssl.SSLCertVerificationError as exc:
            self.close()
            raise InputError(f"{self.label}: the server's certificate is not trusted ({exc.verify_message}); "
                             "nothing was read", hint=f"a server with a certificate of its own: name its CA file in "
                             f"{CAFILE_ENV}") from None
        except ssl.SSLError as exc:
            self.close()
            raise InputError(f"{self.label}: no secure connection could be made ({exc.reason or exc}); nothing was read") \
                from None
        except imaplib.IMAP4.error as exc:
            self.close()
            raise InputError(f"{self.label}: {_text(exc)}; nothing was read") from None
        except OSError as exc:
            self.close()
            raise InputError(f"{self.label}: cannot reach {self.host}:{self.port} ({exc.strerror or exc}); "
                             "nothing was read") from None
        except BaseException:
            self.close()
            raise
        self.total = len(self.uids)

    def _login(self, conn: imaplib.IMAP4, password: str) -> None:
        try:
            if (self.user + password).isascii():
                conn.login(self.user, password)
            else:  # LOGIN is ASCII; SASL PLAIN carries UTF-8
                conn.authenticate("PLAIN", lambda _: f"\0{self.user}\0{password}".encode())
        except imaplib.IMAP4.error as exc:
            raise InputError(f"{self.label}: the server refused the login of {self.user} ({_text(exc)}): wrong user "
                             "name or password?; nothing was read", hint=f"the password comes from {PASSWORD_ENV} "
                             f"or the system keyring") from None

    def _examine(self, conn: imaplib.IMAP4) -> None:
        typ, data = conn.select(_quoted(_modified_utf7(self.mailbox)), readonly=True)  # EXAMINE
        if typ != "OK":
            raise InputError(f"{self.label}: the server has no mailbox {self.mailbox!r} ({_said(data)}); nothing was read")
        if "READ-ONLY" not in conn.untagged_responses:
            raise InputError(f"{self.label}: the server did not confirm that the mailbox is open read-only; "
                             "nothing was read")

    # ------------------------------------------------------------------ reading

    def __iter__(self) -> Iterator[RawMail]:
        if self.conn is None:
            self.open()
        conn = self.conn
        assert conn is not None
        try:
            for start in range(0, len(self.uids), 200):
                chunk = self.uids[start:start + 200]
                sizes = self._sizes(conn, chunk)
                batch: list[bytes] = []
                batch_bytes = 0
                for uid in chunk:
                    size = sizes.get(uid, 0)
                    if size > self.max_size:
                        yield from self._fetch(conn, batch, sizes)
                        batch, batch_bytes = [], 0
                        yield from self._fetch(conn, [uid], sizes, headers_only=True)
                        continue
                    if batch and batch_bytes + size > BATCH_BYTES:
                        yield from self._fetch(conn, batch, sizes)
                        batch, batch_bytes = [], 0
                    batch.append(uid)
                    batch_bytes += size
                yield from self._fetch(conn, batch, sizes)
        except (imaplib.IMAP4.error, OSError) as exc:
            raise InputError(f"{self.label}: reading stopped ({_text(exc)}); nothing was recorded") from None

    def _sizes(self, conn: imaplib.IMAP4, uids: list[bytes]) -> dict[bytes, int]:
        typ, data = conn.uid("FETCH", b",".join(uids).decode(), "(RFC822.SIZE)")
        if typ != "OK":
            raise InputError(f"{self.label}: the server could not give the messages' sizes ({_said(data)})")
        sizes = {}
        for item in data:
            line = item[0] if isinstance(item, tuple) else item
            if isinstance(line, bytes):
                uid, size = _UID.search(line), _SIZE.search(line)
                if uid and size:
                    sizes[uid.group(1)] = int(size.group(1))
        return sizes

    def _fetch(self, conn: imaplib.IMAP4, uids: list[bytes], sizes: dict[bytes, int], *,
               headers_only: bool = False) -> Iterator[RawMail]:
        if not uids:
            return
        part = "BODY.PEEK[HEADER]" if headers_only else "BODY.PEEK[]"  # PEEK: the \Seen flag stays as it is
        typ, data = conn.uid("FETCH", b",".join(uids).decode(), f"(UID {part})")
        if typ != "OK":
            raise InputError(f"{self.label}: the server could not give the messages ({_said(data)})")
        found: dict[bytes, bytes] = {}
        for n, item in enumerate(data):
            if not isinstance(item, tuple):
                continue
            named = _UID.search(item[0])
            after = data[n + 1] if n + 1 < len(data) else None
            if named is None and isinstance(after, bytes):
                named = _UID.search(after)  # the server put the UID after the literal
            if named is not None:
                found[named.group(1)] = item[1]
        for uid in uids:
            content = found.get(uid)
            if content is None:
                continue  # expunged by another client meanwhile
            origin = f"{self.label}, UID {uid.decode()}"
            size = sizes.get(uid, len(content))
            yield RawMail(origin, None, content, size) if headers_only else RawMail(origin, content, b"", len(content))

    def close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.logout()
            except (imaplib.IMAP4.error, OSError, ssl.SSLError):
                pass
            self.conn = None


def _tls_context() -> ssl.SSLContext:
    cafile = os.environ.get(CAFILE_ENV, "").strip() or None
    if cafile and not os.path.isfile(cafile):
        raise InputError(f"{CAFILE_ENV}={cafile}: no such file")
    try:
        context = ssl.create_default_context(cafile=cafile)
    except ssl.SSLError as exc:
        raise InputError(f"{CAFILE_ENV}={cafile}: not a CA certificate file ({exc.reason or exc})") from None
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context  # verify_mode CERT_REQUIRED and check_hostname, as create_default_context sets them


def _password(user: str, host: str) -> str:
    password = os.environ.get(PASSWORD_ENV)
    if password:
        return password
    try:
        import keyring  # optional: `pip install keyring`
    except ImportError:
        keyring = None
    if keyring is not None:
        try:
            password = keyring.get_password(KEYRING_SERVICE, f"{user}@{host}")
        except Exception as exc:  # noqa: BLE001 - any keyring back end's failure: say it and go on without
            raise InputError(f"the system keyring could not be read ({type(exc).__name__}); set {PASSWORD_ENV}") from None
        if password:
            return password
    where = (f"or store it in the system keyring (service '{KEYRING_SERVICE}', user '{user}@{host}')"
             if keyring is not None else "(or install the keyring package to read it from the system keyring)")
    raise InputError(f"no password for {user}@{host}: set {PASSWORD_ENV} {where}")


def _modified_utf7(name: str) -> str:
    """A mailbox name as IMAP spells it (RFC 3501 5.1.3): ASCII as it is, '&' as '&-', the rest base64 of UTF-16."""
    out: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            encoded = base64.b64encode("".join(pending).encode("utf-16-be")).decode("ascii").rstrip("=")
            out.append("&" + encoded.replace("/", ",") + "-")
            pending.clear()

    for char in name:
        if " " <= char <= "~":
            flush()
            out.append("&-" if char == "&" else char)
        else:
            pending.append(char)
    flush()
    return "".join(out)


def _quoted(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _text(exc: BaseException) -> str:
    message = exc.args[0] if exc.args else exc
    if isinstance(message, bytes):
        message = message.decode("utf-8", "replace")
    return " ".join(str(message).split()) or type(exc).__name__


def _said(data: object) -> str:
    if isinstance(data, list) and data and isinstance(data[0], bytes):
        return data[0].decode("utf-8", "replace")
    return str(data)
