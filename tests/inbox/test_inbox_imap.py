"""`objector inbox` against a real IMAP server: Dovecot, started once per test session on localhost ports with a
throw-away configuration and a TLS certificate made here, run as an unprivileged user (as `nobody` when the tests
run as root, as CI does). Messages are appended by the tests; after each run the mailbox is checked unchanged,
flags included. Where Dovecot cannot start the tests are skipped, saying why, except under CI (CI=true), where
that is a failure: .ci/run installs dovecot-imapd and openssl."""

from __future__ import annotations

import imaplib
import json
import os
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from itertools import count
from pathlib import Path

import pytest

import inbox_helpers as mail
from helpers import ok
from inbox_helpers import EXPECTED, REDDIT, check_recorded, from_mail, journal_events, sha256

USER, PASSWORD = "jana", "correct horse battery staple"
DOVECOT = shutil.which("dovecot") or ("/usr/sbin/dovecot" if os.path.exists("/usr/sbin/dovecot") else None)
_folders = count(1)


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"Dovecot is needed in CI and could not be used: {reason}", pytrace=False)
    pytest.skip(f"no IMAP server for these tests: {reason}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def dovecot():
    """A running Dovecot: yields (imaps port, imap port, CA file)."""
    if DOVECOT is None:
        _unavailable("dovecot is not installed (apt-get install dovecot-imapd)")
    if shutil.which("openssl") is None:
        _unavailable("openssl is not installed (it makes the test certificate)")
    root = Path(tempfile.mkdtemp(prefix="objector-dovecot-"))
    os.chmod(root, 0o755)  # the unprivileged mail and login processes must reach their folders
    try:
        yield _start(root)
    finally:
        pid = root / "run" / "master.pid"
        if pid.exists():
            try:
                os.kill(int(pid.read_text().strip()), 15)
            except (OSError, ValueError):
                pass
            time.sleep(0.1)  # it stops on its own; its folder goes now
        shutil.rmtree(root, ignore_errors=True)


def _start(root: Path) -> tuple[int, int, Path]:
    import getpass
    import grp
    import pwd

    done = subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                           "-nodes", "-days", "2", "-subj",
                           "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                           "-keyout", str(root / "key.pem"), "-out", str(root / "cert.pem")], capture_output=True)
    if done.returncode:
        _unavailable(f"openssl could not make a certificate: {done.stderr.decode(errors='replace')[-200:]}")
    user = "nobody" if os.geteuid() == 0 else getpass.getuser()  # dovecot refuses to run mail as root
    entry = pwd.getpwnam(user)
    group = grp.getgrgid(entry.pw_gid).gr_name
    for sub in ("run", "state", "mail"):
        (root / sub).mkdir()
    shutil.chown(root / "mail", entry.pw_uid, entry.pw_gid)
    (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
    imaps, imap = _free_port(), _free_port()
    (root / "dovecot.conf").write_text(f"""
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
auth_mechanisms = plain login
auth_failure_delay = 0
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={entry.pw_uid} gid={entry.pw_gid} home={root}/mail/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  chroot =
  inet_listener imap {{
    port = {imap}
  }}
  inet_listener imaps {{
    port = {imaps}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
""")
    with open(root / "start.log", "wb") as log:  # not a pipe: the daemon keeps its output open
        done = subprocess.run([DOVECOT, "-c", str(root / "dovecot.conf")], stdout=log, stderr=log)
    if done.returncode:
        _unavailable(f"dovecot did not start: {(root / 'start.log').read_text(errors='replace')[-300:]}")
    for _ in range(250):
        try:
            socket.create_connection(("127.0.0.1", imaps), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.02)
    else:
        log = (root / "dovecot.log").read_text(errors="replace") if (root / "dovecot.log").exists() else ""
        _unavailable(f"dovecot is not listening on port {imaps}: {log[-300:]}")
    return imaps, imap, root / "cert.pem"


class Mailbox:
    """A folder of the test user's, filled by the test through IMAP APPEND."""

    def __init__(self, server, name: str):
        self.port, _, self.cafile = server
        self.name = name
        with self.connect() as conn:
            conn.create(self.name)

    def connect(self) -> imaplib.IMAP4_SSL:
        conn = imaplib.IMAP4_SSL("127.0.0.1", self.port, ssl_context=ssl.create_default_context(cafile=self.cafile))
        conn.login(USER, PASSWORD)
        return conn

    def append(self, messages: dict[str, bytes], flags: tuple[str, ...] = ("", r"\Seen", r"\Flagged \Seen")) -> dict[str, bytes]:
        """Append each message (CRLF, as IMAP carries it) with varied flags; returns the bytes as appended."""
        sent = {}
        with self.connect() as conn:
            for n, (key, message) in enumerate(messages.items()):
                data = message.replace(b"\n", b"\r\n")
                typ, _ = conn.append(self.name, f"({flags[n % len(flags)]})" if flags[n % len(flags)] else None,
                                     imaplib.Time2Internaldate(time.time()), data)
                assert typ == "OK"
                sent[key] = data
        return sent

    def state(self) -> list[tuple[bytes, bytes]]:
        """Every message's UID, flags and size, read with EXAMINE (reading it must not change it either)."""
        with self.connect() as conn:
            conn.select(self.name, readonly=True)
            typ, data = conn.uid("FETCH", "1:*", "(FLAGS RFC822.SIZE)")
            return sorted(item for item in data if item)

    @property
    def url(self) -> str:
        return f"imaps://{USER}@127.0.0.1:{self.port}/{self.name}"


@pytest.fixture
def imap_env(monkeypatch, dovecot):
    monkeypatch.setenv("OBJECTOR_TODAY", mail.TODAY)
    monkeypatch.setenv("OBJECTOR_IMAP_PASSWORD", PASSWORD)
    monkeypatch.setenv("OBJECTOR_IMAP_CAFILE", str(dovecot[2]))
    mail.make_journal()
    return dovecot


def test_replies_in_an_imap_mailbox_are_recorded_once_and_the_mailbox_stays_as_it_was(invoke, imap_env, objector_home):
    box = Mailbox(imap_env, f"Replies-{next(_folders)}")
    replies = mail.replies()
    appended = box.append(replies)
    before = box.state()
    assert any(b"\\Seen" not in line for line in before)  # unread messages stay unread

    shown = ok(invoke("inbox", box.url)).stdout
    assert "Read 7 messages." in shown and f"imaps://{USER}@127.0.0.1:{box.port}/{box.name}, UID 2" in shown
    report = json.loads(ok(invoke("inbox", box.url, "--apply", "--json")).stdout)
    assert len(report["recorded"]) == len(EXPECTED)
    check_recorded(replies, objector_home, raw=appended)  # the evidence is the message as the server keeps it

    again = json.loads(ok(invoke("inbox", box.url, "--apply", "--json")).stdout)
    assert again["recorded"] == [] and len(again["already_recorded"]) == 6
    assert box.state() == before  # flags (\Seen, \Flagged, \Recent) and messages exactly as they were
    assert len(from_mail(journal_events())) == 6


def test_since_searches_on_the_server_and_starttls_on_localhost_works(invoke, imap_env):
    box = Mailbox(imap_env, f"Since-{next(_folders)}")
    box.append({"id": mail.replies()["reddit-id"]})
    _, starttls_port, _ = imap_env
    url = f"imap://{USER}@localhost:{starttls_port}/{box.name}"
    assert json.loads(ok(invoke("inbox", url, "--since", "2099-01-01", "--json")).stdout)["read"] == 0
    report = json.loads(ok(invoke("inbox", url, "--apply", "--json")).stdout)
    assert [(r["reference"], r["event"]["data"]["outcome"]) for r in report["recorded"]] == [(REDDIT, "needs-id")]


def test_a_mailbox_with_a_name_beyond_ascii_is_found(invoke, imap_env):
    from objector.inbox.imap import _modified_utf7

    name = f"Antworten-für-{next(_folders)}"
    box = Mailbox.__new__(Mailbox)
    box.port, _, box.cafile = imap_env
    box.name = _modified_utf7(name)
    with box.connect() as conn:
        assert conn.create(box.name)[0] == "OK"
    sent = box.append({"id": mail.replies()["reddit-id"]})
    url = f"imaps://{USER}@127.0.0.1:{box.port}/Antworten-f%C3%BCr-{name.rsplit('-', 1)[1]}"
    report = json.loads(ok(invoke("inbox", url, "--apply", "--json")).stdout)
    assert [e["sha256"] for e in report["recorded"][0]["event"]["data"]["evidence"]][0] == sha256(sent["id"])


@pytest.mark.parametrize(("change", "says"), [
    ({"OBJECTOR_IMAP_PASSWORD": "wrong"}, "the server refused the login of jana ([AUTHENTICATIONFAILED] Authentication "
                                          "failed.): wrong user name or password?; nothing was read"),
    ({"OBJECTOR_IMAP_CAFILE": ""}, "the server's certificate is not trusted (self-signed certificate); nothing was read"),
])
def test_a_wrong_password_or_an_untrusted_certificate_reads_and_records_nothing(invoke, imap_env, change, says,
                                                                                monkeypatch):
    box = Mailbox(imap_env, f"Refused-{next(_folders)}")
    box.append({"id": mail.replies()["reddit-id"]})
    before, events = box.state(), len(journal_events())
    for key, value in change.items():
        monkeypatch.setenv(key, value)
    result = invoke("inbox", box.url, "--apply")
    assert result.exit_code == 3 and len(result.stderr.splitlines()) == 1
    assert says in result.stderr and "wrong" not in result.stderr.replace("wrong user name", "")  # no password shown
    assert len(journal_events()) == events and box.state() == before


def test_a_missing_mailbox_is_named(invoke, imap_env):
    port = imap_env[0]
    result = invoke("inbox", f"imaps://{USER}@127.0.0.1:{port}/No-Such-Folder")
    assert result.exit_code == 3 and "the server has no mailbox 'No-Such-Folder'" in result.stderr


def test_where_dovecot_cannot_start_ci_fails_and_elsewhere_the_tests_are_skipped(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="Dovecot is needed in CI"):
        _unavailable("not installed")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="no IMAP server for these tests: not installed"):
        _unavailable("not installed")
