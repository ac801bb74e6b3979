"""Shared by the inbox tests: a journal of three requests and the replies to them, written for the tests (Meta's
automatic confirmation and its answer, Reddit's request for ID and its refusal, a German extension and refusal),
never anyone's real mail; and the same replies as an mbox file, a Maildir folder or IMAP messages."""

from __future__ import annotations

import hashlib
from datetime import date
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

TODAY = "2026-12-20"
META = "OBJ-2026-7K3F9Q"  # an objection to Meta, posted, in English
REDDIT = "ACC-2026-4M8T2V"  # an access request to Reddit, e-mailed as the .eml objector wrote
GERMAN = "OBJ-2026-9QX3HP"  # an objection to Meta, posted, in German
PERSON = "jana.novakova@example.org"
LETTER_ID = "<176493240000.4242.1111111111111111111.ACC-2026-4M8T2V@example.org>"


def make_journal() -> None:
    """The three requests, sent on 30 Nov 2026 (OBJECTOR_HOME and OBJECTOR_TODAY are set by the caller)."""
    from objector.journal import Journal
    from objector.letters.eml import build_eml
    from objector.tracking.events import log_sent

    on = date(2026, 11, 30)
    profile = {"name": "Jana Nováková", "email": PERSON}
    letter = build_eml(sender_name="Jana Nováková", sender_email=PERSON, recipient_name="Reddit Netherlands B.V.",
                       recipient_email="redditdatarequests@reddit.com", subject="Request for access to personal data",
                       body=f"Dear Sir or Madam,\n\nI ask for access to my personal data.\n\nReference: {REDDIT}\n",
                       pdf=b"%PDF-1.4 test", pdf_name=f"{REDDIT}.pdf", on=on, reference=REDDIT)
    written = message_from_bytes(letter, policy=policy.default)
    written.replace_header("Message-ID", LETTER_ID)  # a fixed one, for the reply to answer
    letter = bytes(written)
    with Journal.open() as journal:
        for reference, controller, language, document, data in (
                (META, "meta-ireland", "en", f"{META}.pdf", b"%PDF-1.4 meta"),
                (REDDIT, "reddit-netherlands", "en", f"{REDDIT}.eml", letter),
                (GERMAN, "meta-ireland", "de", f"{GERMAN}.pdf", b"%PDF-1.4 de")):
            journal.add_request(reference=reference, kind="access" if reference == REDDIT else "objection",
                                controller=controller, law="gdpr", language=language, region="",
                                inputs={"profile": profile, "purpose": "ai-training"},
                                sha256=hashlib.sha256(data).hexdigest(), document=document, created_on=on, letter=data)
            log_sent(journal, reference, on=on, via="email" if reference == REDDIT else "post",
                     received_on=None if reference == REDDIT else date(2026, 12, 1), today=date(2026, 12, 20))


def _mail(sender: str, subject: str, day: str, text: str, *, in_reply_to: str = "", attachment: tuple[str, bytes] | None = None,
          message_id: bool = True, dated: bool = True) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = f"Jana Nováková <{PERSON}>"
    message["Subject"] = subject
    if dated:
        from datetime import datetime

        message["Date"] = format_datetime(datetime.fromisoformat(f"{day}T10:15:00+01:00"))
    if message_id:
        message["Message-ID"] = make_msgid(idstring=f"{day}.{abs(hash(subject)) % 10_000}", domain=sender.rpartition("@")[2].rstrip(">"))
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = in_reply_to
    message.set_content(text)
    if attachment:
        message.add_attachment(attachment[1], maintype="application", subtype="pdf", filename=attachment[0])
    return bytes(message).replace(b"\r\n", b"\n")


# ---------------------------------------------------------------------------------------------- the replies

META_CONFIRMATION = ("meta-confirmation", "2026-12-02")
REDDIT_ID = ("reddit-id", "2026-12-03")
GERMAN_EXTENSION = ("german-extension", "2026-12-05")
META_HONOURED = ("meta-honoured", "2026-12-10")
REDDIT_REFUSAL = ("reddit-refusal", "2026-12-12")
GERMAN_REFUSAL = ("german-refusal", "2026-12-15")
NEWSLETTER = ("newsletter", "2026-12-06")


def replies() -> dict[str, bytes]:
    """Every fixture message by name, in the order a mailbox would hold them."""
    return {
        "meta-confirmation": _mail(
            "Meta Privacy Operations <privacy-noreply@support.example-meta.test>",
            "Your objection request", "2026-12-02",
            "Hi Jana,\n\nThanks for contacting us. We've received your objection and will review it.\n\n"
            "Your original message:\n> Objection to the processing of my personal data under Art. 21 GDPR\n"
            f"> Reference: {META.lower().replace('0', 'o')}\n\n"
            "This is an automated message. Please don't reply to this e-mail.\n\nMeta Privacy Operations\n"),
        "reddit-id": _mail(
            "Reddit Data Requests <redditdatarequests@reddit.com>", "Re: Request for access to personal data",
            "2026-12-03",
            "Hello,\n\nThank you for your request. Before we can process it, we need to verify your identity: please "
            "reply from the e-mail address associated with your Reddit account and tell us your username.\n\n"
            "Reddit Privacy Team\n",
            in_reply_to=LETTER_ID),
        "german-extension": _mail(
            "Meta Datenschutz <datenschutz-noreply@support.example-meta.test>",
            f"AW: Widerspruch gemäß Art. 21 DSGVO [{GERMAN}]", "2026-12-05",
            "Sehr geehrte Frau Nováková,\n\nwir bestätigen den Eingang Ihres Widerspruchs. Aufgrund der Komplexität "
            "Ihres Anliegens haben wir die Frist zur Beantwortung gemäß Art. 12 Abs. 3 DSGVO um zwei Monate "
            "verlängert.\n\nMit freundlichen Grüßen\nIhr Datenschutz-Team\n"),
        "newsletter": _mail(
            "Example News <news@example.com>", "Your weekly digest", "2026-12-06",
            "Ten things you missed this week.\n"),
        "meta-honoured": _mail(
            "Meta Privacy Operations <privacy-noreply@support.example-meta.test>",
            f"Re: Objection to the processing of my personal data [{META}]", "2026-12-10",
            "Hi Jana,\n\nWe've reviewed your request and will honour your objection. This means your request "
            "will be applied going forward.\n\nMeta Privacy Operations\n"),
        "reddit-refusal": _mail(
            "Reddit Data Requests <redditdatarequests@reddit.com>", "Your data request", "2026-12-12",
            "Hello,\n\nWe were unable to verify that you own the account you named, so we are unable to comply "
            "with your request.\n\nReddit Privacy Team\n"),
        "german-refusal": _mail(
            "Meta Datenschutz <datenschutz-noreply@support.example-meta.test>",
            f"AW: Widerspruch gemäß Art. 21 DSGVO [{GERMAN}]", "2026-12-15",
            "Sehr geehrte Frau Nováková,\n\nnach Prüfung Ihres Widerspruchs können wir Ihrem Widerspruch nicht "
            "nachkommen, da zwingende schutzwürdige Gründe für die Verarbeitung vorliegen. Die Begründung "
            "finden Sie im Anhang.\n\nMit freundlichen Grüßen\nIhr Datenschutz-Team\n",
            attachment=("Stellungnahme.pdf", b"%PDF-1.4 Begruendung der Ablehnung\n%%EOF\n")),
    }


# What each reply becomes: (reference, event type, outcome, date).
EXPECTED = {
    "meta-confirmation": (META, "confirmed", None, "2026-12-02"),
    "reddit-id": (REDDIT, "reply", "needs-id", "2026-12-03"),
    "german-extension": (GERMAN, "reply", "extended", "2026-12-05"),
    "meta-honoured": (META, "reply", "complied", "2026-12-10"),
    "reddit-refusal": (REDDIT, "reply", "refused", "2026-12-12"),
    "german-refusal": (GERMAN, "reply", "refused", "2026-12-15"),
}


def write_mbox(path: Path, messages: dict[str, bytes]) -> Path:
    with open(path, "wb") as handle:
        for message in messages.values():
            handle.write(b"From MAILER-DAEMON Thu Dec 17 10:00:00 2026\n" + message + b"\n")
    return path


def write_maildir(folder: Path, messages: dict[str, bytes]) -> Path:
    for sub in ("cur", "new", "tmp"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    for n, message in enumerate(messages.values()):
        # half of them read (cur/, flag S), some flagged: the names carry the flags, which must stay as they are
        target = folder / "cur" / f"17660000{n:02d}.M{n}P1.test:2,{'FS' if n % 3 == 0 else 'S'}" if n % 2 else \
            folder / "new" / f"17660000{n:02d}.M{n}P1.test"
        target.write_bytes(message)
    return folder


def snapshot(path: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under `path` (or `path` itself) with its bytes and modification time."""
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    return {str(p.relative_to(path.parent)): (p.read_bytes(), p.stat().st_mtime_ns) for p in files}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def journal_events(reference: str | None = None) -> list:
    from objector.journal import Journal

    with Journal.open(create=False) as journal:
        return journal.events(reference)


def from_mail(events: list) -> list:
    return [e for e in events if "mail" in e.data]


def check_recorded(replies: dict[str, bytes], home: Path, raw: dict[str, bytes] | None = None) -> None:
    """Every expected reply is in the journal once: its event, outcome, date (the Date header) and evidence hashes."""
    raw = raw or replies
    events = from_mail(journal_events())
    assert len(events) == len(EXPECTED)
    by_hash = {e.evidence[0].sha256: e for e in events}
    for name, (reference, type_, outcome, day) in EXPECTED.items():
        event = by_hash[sha256(raw[name])]  # the raw message, as read, is the first evidence file
        assert (event.reference, event.type, event.data.get("outcome"), event.on.isoformat()) == \
            (reference, type_, outcome, day), name
        assert event.evidence[0].name.endswith(".eml") and event.evidence[0].size == len(raw[name])
        stored = home / "evidence" / event.evidence[0].sha256
        assert stored.read_bytes() == raw[name] and stored.stat().st_mode & 0o777 == 0o600
    refusal = by_hash[sha256(raw["german-refusal"])]
    attachment = refusal.evidence[1]
    assert attachment.name == "Stellungnahme.pdf"
    assert attachment.sha256 == sha256(b"%PDF-1.4 Begruendung der Ablehnung\n%%EOF\n")
