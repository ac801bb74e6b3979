"""`objector inbox` against mbox files, Maildir folders and .eml files: what it records (event, date, evidence),
that a second run records nothing, that the mail is left exactly as it was, and how bad input is refused."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import inbox_helpers as mail
from helpers import ok
from inbox_helpers import (
    GERMAN,
    META,
    PERSON,
    REDDIT,
    check_recorded,
    from_mail,
    journal_events,
    snapshot,
    write_maildir,
    write_mbox,
)


@pytest.fixture
def replies(monkeypatch) -> dict[str, bytes]:
    """The journal of three requests sent on 30 Nov 2026, today 20 Dec 2026, and the replies to them."""
    monkeypatch.setenv("OBJECTOR_TODAY", mail.TODAY)
    mail.make_journal()
    return mail.replies()


def test_an_mbox_is_proposed_then_recorded_once_and_left_as_it_was(invoke, replies, tmp_path, objector_home):
    box = write_mbox(tmp_path / "replies.mbox", replies)
    before = snapshot(box)
    events = len(journal_events())

    shown = ok(invoke("inbox", box)).stdout
    assert "Read 7 messages." in shown and "Nothing recorded: `--apply` records the 6 proposed events" in shown
    assert "the reference OBJ-2026-7K3F9Q is in the text" in shown  # written obj-2o26-7k3f9q in the quoted letter
    assert f"it answers the e-mail objector wrote for {REDDIT} (In-Reply-To" in shown
    assert "it comes from reddit.com, a reply domain of Reddit Netherlands B.V. (registry)" in shown
    assert "Meta's automatic wording “we've received your objection”" in shown
    assert "news@example.com, 2026-12-06: “Your weekly digest”" in shown  # listed, not stored
    assert len(journal_events()) == events

    report = json.loads(ok(invoke("inbox", box, "--apply", "--json")).stdout)
    assert len(report["recorded"]) == 6 and all(r["event"] for r in report["recorded"])
    assert [m["subject"] for m in report["unmatched"]] == ["Your weekly digest"]
    check_recorded(replies, objector_home)

    again = json.loads(ok(invoke("inbox", box, "--apply", "--json")).stdout)
    assert again["proposals"] == [] and again["recorded"] == [] and len(again["already_recorded"]) == 6
    assert snapshot(box) == before  # not a byte, not a time stamp changed

    status = {s["reference"]: s for s in json.loads(ok(invoke("status", "--all", "--json")).stdout)}
    assert status[META]["outcome"] == "complied" and status[META]["confirmed"] == "2026-12-02"
    assert status[REDDIT]["outcome"] == "refused" and status[GERMAN]["extended"] is True
    shown = ok(invoke("show", GERMAN)).stdout
    assert "reply: refused" in shown and "Stellungnahme.pdf" in shown
    ok(invoke("verify"))


def test_a_maildir_gives_the_same_events_and_keeps_its_files_and_flags(invoke, replies, tmp_path, objector_home):
    folder = write_maildir(tmp_path / "Maildir", replies)
    before = snapshot(folder)
    report = json.loads(ok(invoke("inbox", folder, "--apply", "--json")).stdout)
    assert report["read"] == 7 and len(report["recorded"]) == 6
    check_recorded(replies, objector_home)
    assert json.loads(ok(invoke("inbox", folder, "--apply", "--json")).stdout)["recorded"] == []
    assert snapshot(folder) == before  # new/ stays new/, the flags in the names (S, FS) stay as they are


def test_a_message_read_from_two_sources_is_recorded_once(invoke, replies, tmp_path):
    ok(invoke("inbox", write_mbox(tmp_path / "a.mbox", replies), "--apply"))
    crlf = {name: message.replace(b"\n", b"\r\n") for name, message in replies.items()}
    report = json.loads(ok(invoke("inbox", write_maildir(tmp_path / "Maildir", crlf), "--apply", "--json")).stdout)
    assert report["recorded"] == [] and len(report["already_recorded"]) == 6

    # Without a Message-ID, the same text with other line endings is still the same message.
    bare = replies["meta-honoured"].replace(b"Message-ID:", b"X-Removed:")
    (tmp_path / "bare.eml").write_bytes(bare.replace(b"\n", b"\r\n"))
    box = tmp_path / "bare.mbox"
    write_mbox(box, {"bare": bare})
    first = json.loads(ok(invoke("inbox", box, tmp_path / "bare.eml", "--json")).stdout)
    assert len(first["proposals"]) == 1 and len(first["already_recorded"]) == 1  # the second copy: "proposed above"


def test_at_the_prompt_the_person_says_yes_no_or_another_outcome(invoke, replies, tmp_path, monkeypatch):
    monkeypatch.setattr("objector.cli.inbox._asking", lambda: True)
    box = write_mbox(tmp_path / "replies.mbox", replies)
    # six proposals in date order: confirmation, ID, extension, honoured, refusal, German refusal
    result = ok(invoke("inbox", box, input="y\nn\nother\nbogus\nyes\n\nn\n"))
    assert "Please answer y, n or one of confirmed, complied" in result.stdout
    recorded = {(e.reference, e.type, e.data.get("outcome")) for e in from_mail(journal_events())}
    assert recorded == {(META, "confirmed", None), (GERMAN, "reply", "other"), (META, "reply", "complied")}
    assert "3 events recorded" in result.stdout


def test_no_journal_yet_reads_nothing(invoke, tmp_path, objector_home):
    result = ok(invoke("inbox", tmp_path / "missing.mbox"))
    assert "No requests in the journal yet" in result.stdout and not objector_home.exists()


# --------------------------------------------------------------------------- what is not a reply, or not certain


def test_own_letters_own_messages_ambiguous_and_undated_ones_are_not_recorded(invoke, replies, tmp_path):
    from email.message import EmailMessage

    from objector.journal import Journal

    with Journal.open() as journal:  # the .eml objector wrote, as a Sent folder holds it
        letter = journal.evidence_path(journal.events(REDDIT)[0].evidence[0].sha256).read_bytes()

    def message(sender: str, subject: str, date: str | None = "Thu, 17 Dec 2026 09:00:00 +0100") -> bytes:
        m = EmailMessage()
        m["From"], m["Subject"] = sender, subject
        if date:
            m["Date"] = date
        m.set_content("Please see above.\n")
        raw = bytes(m).replace(b"\r\n", b"\n")
        return raw.replace(b"Date:\n", b"Date: someday soon\n")  # the email package would not write it

    box = write_mbox(tmp_path / "odd.mbox", {
        "letter": letter,
        "mine": message(PERSON, f"Reminder about {META}"),
        "both": message("someone@example.net", f"About {META} and {GERMAN}"),
        "undated": message("privacy@example.net", f"Re: {META}", date=None),
        "bad-date": message("privacy@example.net", f"Re: {GERMAN}", date="unreadable"),
    })
    report = json.loads(ok(invoke("inbox", box, "--apply", "--json")).stdout)
    assert report["proposals"] == [] and report["recorded"] == []
    why = {m["subject"]: m["why"] for m in report["skipped"]}
    assert why["Request for access to personal data [ACC-2026-4M8T2V]"] == \
        "it is the letter objector wrote for ACC-2026-4M8T2V, not a reply"
    assert why[f"Reminder about {META}"] == f"it comes from your own address {PERSON}, not from the controller"
    assert why[f"Re: {META}"].startswith("it has no Date header, so the day of the reply to OBJ-2026-7K3F9Q is not known")
    assert "its Date header 'someday soon' cannot be read" in why[f"Re: {GERMAN}"]
    assert report["ambiguous"][0]["references"] == sorted([META, GERMAN])
    shown = ok(invoke("inbox", box)).stdout
    assert "Matching several requests (1 message, not recorded" in shown and "Skipped (4 messages)" in shown


def test_a_reply_the_timeline_refuses_is_shown_and_the_others_recorded(invoke, replies, tmp_path):
    early = replies["meta-honoured"].replace(b"Date: Thu, 10 Dec 2026", b"Date: Sun, 29 Nov 2026")
    late = replies["german-refusal"].replace(b"Date: Tue, 15 Dec 2026", b"Date: Thu, 31 Dec 2026")
    box = write_mbox(tmp_path / "dates.mbox", {"early": early, "late": late, "id": replies["reddit-id"]})
    report = json.loads(ok(invoke("inbox", box, "--apply", "--json")).stdout)
    problems = {p["reference"]: p["problem"] for p in report["proposals"]}
    assert problems[META] == "the reply is dated 2026-11-29, before the request was sent (2026-11-30)"
    assert problems[GERMAN] == "the reply 2026-12-31 is in the future (today is 2026-12-20)"
    assert problems[REDDIT] is None
    assert [(e.reference, e.data["outcome"]) for e in from_mail(journal_events())] == [(REDDIT, "needs-id")]
    assert "cannot be recorded: the reply is dated 2026-11-29" in ok(invoke("inbox", box)).stdout


# --------------------------------------------------------------------------- bad input


def test_a_damaged_mbox_is_refused_whole_and_nothing_is_recorded(invoke, replies, tmp_path):
    box = write_mbox(tmp_path / "damaged.mbox", replies)
    line = box.read_bytes().count(b"\n") + 2  # the damaged message's first line, after its 'From ' line
    with open(box, "ab") as handle:
        handle.write(b"From MAILER-DAEMON Thu Dec 17 10:00:00 2026\n\x00\x00\x93 binary garbage\n")
    result = invoke("inbox", box, "--apply")
    assert result.exit_code == 3
    assert result.stderr.strip() == (f"objector: {box} is damaged: message 8 (line {line}) does not start with e-mail "
                                     "headers; nothing was recorded (check the file, or export the mailbox again)")
    assert from_mail(journal_events()) == []


@pytest.mark.parametrize(("content", "code", "says"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00", 3, "is neither an mbox file"),
    (None, 4, "no file or folder"),
])
def test_a_file_that_is_not_mail_is_refused(invoke, replies, tmp_path, content, code, says):
    path = tmp_path / "picture.png"
    if content is not None:
        path.write_bytes(content)
    result = invoke("inbox", write_mbox(tmp_path / "good.mbox", replies), path, "--apply")
    assert result.exit_code == code and says in result.stderr and len(result.stderr.splitlines()) == 1
    assert from_mail(journal_events()) == []


def test_a_folder_that_is_not_a_maildir_and_an_unknown_scheme_are_refused(invoke, replies, tmp_path):
    result = invoke("inbox", tmp_path)
    assert result.exit_code == 3 and "is a folder but not a Maildir" in result.stderr
    result = invoke("inbox", "pop3://jana@mail.example.org")
    assert result.exit_code == 3 and "pop3:// is not a mailbox objector reads" in result.stderr


def test_eight_bit_headers_are_read(invoke, replies, tmp_path):
    raw = (f"From: Meta Datenschutz <datenschutz@support.example-meta.test>\nTo: {PERSON}\n"
           f"Subject: AW: Widerspruch gemäß Art. 21 – {GERMAN}\nDate: Wed, 16 Dec 2026 08:00:00 +0100\n"
           "Message-ID: <8bit@example-meta.test>\nContent-Type: text/plain; charset=utf-8\n\n"
           "Wir haben Ihren Widerspruch erhalten.\n").encode()
    latin = raw.replace("gemäß Art. 21 –".encode(), "gemäß".encode("latin-1")).replace(b"8bit@", b"latin@")
    box = write_mbox(tmp_path / "8bit.mbox", {"utf8": raw, "latin1": latin})
    report = json.loads(ok(invoke("inbox", box, "--apply", "--json")).stdout)
    assert [p["message"]["subject"] for p in report["proposals"]] == [
        f"AW: Widerspruch gemäß Art. 21 – {GERMAN}", f"AW: Widerspruch gemäß {GERMAN}"]
    assert [e.type for e in from_mail(journal_events(GERMAN))] == ["confirmed", "confirmed"]


def test_a_message_over_the_size_limit_is_listed_not_read(invoke, replies, tmp_path):
    import base64

    attachment = (base64.b64encode(os.urandom(57)) + b"\n") * ((50 << 20) // 57)  # 50 MB, in 76-character lines
    big = (f"From: privacy@reddit.com\nSubject: Your data [{REDDIT}]\nDate: Wed, 16 Dec 2026 08:00:00 +0100\n"
           "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\n"
           "Your data is attached.\n--b\nContent-Type: application/zip\nContent-Transfer-Encoding: base64\n"
           "Content-Disposition: attachment; filename=data.zip\n\n").encode() + attachment + b"--b--\n"
    box = write_mbox(tmp_path / "big.mbox", {"big": big, "id": replies["reddit-id"]})
    report = json.loads(ok(invoke("inbox", box, "--apply", "--json")).stdout)
    (skipped,) = report["skipped"]
    assert skipped["size"] == len(big) and skipped["why"] == (
        f"it is {len(big) / (1 << 20):.1f} MB, over --max-size 25.0 MB; it answers {REDDIT} (the reference {REDDIT} "
        "is in the subject); a larger --max-size reads it")
    assert [e.data["outcome"] for e in from_mail(journal_events())] == ["needs-id"]  # the other message is read


# --------------------------------------------------------------------------- matching and guessing


def test_references_are_found_as_a_person_would_type_them():
    from objector.inbox.matching import Matcher

    matcher = Matcher([META, REDDIT])
    assert matcher.find_references("obj-2o26-7k3f9q") == [META]
    assert matcher.find_references("Ref. OBJ 2026 7K3F9Q; and acc20264m8t2v.") == [META, REDDIT]
    assert matcher.find_references("XOBJ-2026-7K3F9Q, OBJ-2026-7K3F9QZ, OBJ-2026-AAAAAA") == []


def test_a_reply_to_any_e_mail_objector_wrote_is_matched_by_the_reference_in_its_message_id():
    from objector.inbox.matching import Matcher
    from objector.inbox.message import read_mail

    raw = (b"From: privacy@example.net\nSubject: Re: Reminder\nDate: Fri, 18 Dec 2026 09:00:00 +0100\n"
           b"In-Reply-To: <176600000000.42.99.OBJ-2026-9QX3HP@example.org>\n\nNoted.\n")
    match = Matcher([META, GERMAN]).match(read_mail("test", raw))
    assert match.references == (GERMAN,) and match.how == "message-id"
    assert match.why == ("it answers an e-mail whose Message-ID names OBJ-2026-9QX3HP (In-Reply-To/References: "
                         "<176600000000.42.99.OBJ-2026-9QX3HP@example.org>), as objector's e-mails do",)


@pytest.mark.parametrize(("text", "label"), [
    ("We have received your request and will reply within one month.", "confirmed"),
    ("Wir haben Ihre Anfrage erhalten. Bitte senden Sie uns eine Kopie Ihres Personalausweises.", "needs-id"),
    ("Thank you for your request. We have extended the time limit by two further months.", "extended"),
    ("We cannot comply with your request, as we have compelling legitimate grounds.", "refused"),
    ("We have partially complied with your request; see the attached file.", "partial"),
    ("Your objection has been upheld: we will no longer use your data.", "complied"),
    ("Nous avons bien reçu votre demande.", "confirmed"),
    ("Thanks.\n\nOn 1 Dec 2026, Jana wrote:\n> please verify your identity and stop processing", "other"),
    ("Hello there.", "other"),
])
def test_outcomes_are_guessed_from_the_reply_s_own_words(text, label):
    from objector.inbox.outcomes import guess

    assert guess("Re: your request", text).label == label


# --------------------------------------------------------------------------- IMAP addresses and the registry


@pytest.mark.parametrize(("address", "says"), [
    ("imaps://jana:secret@mail.example.org/INBOX", "a password in the mailbox address is refused"),
    ("imap://jana@mail.example.org/INBOX", "plain imap:// is accepted only for a server on this machine"),
    ("imaps://mail.example.org/INBOX", "give the user and the server"),
    ("imaps://jana@mail.example.org:imap/INBOX", "the port is not a number"),
])
def test_imap_addresses_that_are_refused_before_any_connection(invoke, replies, address, says, monkeypatch):
    monkeypatch.setenv("OBJECTOR_IMAP_PASSWORD", "secret")
    result = invoke("inbox", address)
    assert result.exit_code == 3 and says in result.stderr and "secret" not in result.stderr


def test_without_a_password_the_command_says_where_it_looks(invoke, replies, monkeypatch):
    monkeypatch.delenv("OBJECTOR_IMAP_PASSWORD", raising=False)
    monkeypatch.setitem(__import__("sys").modules, "keyring", None)  # not installed
    result = invoke("inbox", "imaps://jana@127.0.0.1:1/INBOX")
    assert result.exit_code == 3
    assert "no password for jana@127.0.0.1: set OBJECTOR_IMAP_PASSWORD (or install the keyring package" in result.stderr


def test_mailbox_names_are_spelt_as_imap_spells_them():
    from objector.inbox.imap import _modified_utf7

    assert _modified_utf7("Entwürfe") == "Entw&APw-rfe"
    assert _modified_utf7("R&D/日本語") == "R&-D/&ZeVnLIqe-"


def test_reply_domains_need_a_domain_and_a_source(tmp_path):
    import tomllib

    from objector.errors import InputError
    from objector.people import registry

    base = tomllib.loads((Path(registry.__file__).parent.parent / "data" / "controllers.toml").read_text("utf-8"))
    record = next(c for c in base["controller"] if c["id"] == "reddit-inc") | {"id": "reddit-copy", "service": "reddit-copy"}
    record.pop("aliases", None)
    kept = registry.parse({"controller": [record]}, "test")[0]
    assert [d.domain for d in kept.reply_domains] == ["reddit.com"]
    assert registry.from_record(kept.to_record(), "journal").reply_domains == kept.reply_domains
    with pytest.raises(InputError) as caught:
        registry.parse({"controller": [record | {"reply_domains": [{"domain": "Reddit .com"}]}]}, "test")
    assert "'domain': 'Reddit .com' is not valid" in caught.value.message and "missing 'source'" in caught.value.message
    assert all(d.source for c in registry.controllers() for d in c.reply_domains)
    assert all(c.verified for c in registry.controllers() if c.reply_domains)
