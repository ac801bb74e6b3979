"""Replies read from the person's mailbox, matched to the requests in the journal, and recorded as events.

`objector inbox` reads mail (an .eml file, an mbox file, a Maildir folder or an IMAP mailbox) and never
changes it: files are opened read-only, an IMAP mailbox is opened with EXAMINE and read with BODY.PEEK.
Each message is matched to a request, most certain first (the request's reference in the subject or body,
then In-Reply-To/References against the Message-ID of an .eml objector wrote, then the controller's sender
domains with the request's time window); the outcome is guessed from its wording; and the proposed event is
recorded, with the raw message and its attachments as evidence, only when the person says so.

Modules, each owning one step:
- sources: where messages come from (files and folders; imap for IMAP), streamed one at a time;
- message: one raw message read into what matching needs (headers, text, attachments), however broken;
- matching: which request a message answers, and why;
- outcomes: what the reply says (confirmation, request for ID, extension, answer), as a guess, and why;
- scan: the whole pass over the sources: proposals, messages already recorded, unmatched and skipped ones;
- record: the proposals the person accepted, appended through objector.tracking.events.

Imports objector.tracking (events and timeline checks), objector.journal (reading requests and events),
objector.people.registry (sender domains), objector.reference and the bottom pieces; only objector.cli
imports it. A message already recorded is known by the `mail` entry of its event's data (its Message-ID and
the hash of its raw text), so the journal stays the one record and its schema is unchanged.
"""
