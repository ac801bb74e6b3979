"""What the person does next, after each command: where the letter goes, what to log, when to act.

Pure: from a written letter or a request's standing, the lines the CLI prints under "Next:". Commands
are named as the person types them, with the request's reference filled in.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..journal import Event
    from ..letters.letter import LetterRequest
    from .complaint import Complaint
    from .timeline import Tracking

# Where a person pastes text meant for a form, per output format; `log sent --via` for each.
_PASTED = {"txt": "webform", "form": "app"}


def after_letter(request: LetterRequest, fmt: str, file_name: str, recorded: bool) -> list[str]:
    """How to send the letter just written, and how to tell the journal."""
    controller, ref = request.controller, request.reference
    if fmt == "eml" and controller.email:
        step = f"open {file_name} in your mail program (it is addressed to {controller.email}) and send it"
        via = "email"
    elif fmt == "eml":  # no address to send it to: the text goes into the web form, or the PDF it carries by post
        from ..letters.letter import recipient_lines

        address = ", ".join(recipient_lines(controller, "en", request.profile.address.country))
        forms = f" (`objector controllers show {controller.service}` lists them)" if controller.web_forms else ""
        step = (f"{controller.name} publishes no privacy e-mail address, so {file_name} has no recipient: paste its "
                f"text into {controller.brand}'s web form{forms}, or print the PDF it carries, sign it and post it to "
                f"{address}")
        via = "webform"
    elif fmt in _PASTED:
        if request.kind == "objection" and controller.service == "meta":  # the guide walks Meta's in-app form
            step = (f"paste the text of {file_name} into {controller.brand}'s objection form "
                    f"(`objector guide {controller.service}` shows where)")
            via = _PASTED[fmt]
        else:
            step = f"paste the text of {file_name} into {controller.brand}'s web form" + \
                (f" (`objector controllers show {controller.service}` lists its forms)" if controller.web_forms else "")
            via = "webform"  # only Meta's objection has an in-app form objector knows of
    else:
        from ..letters.letter import recipient_lines

        # As on the envelope, with the destination country when the post crosses a border; in English like
        # every CLI message, however the letter itself is written.
        address = ", ".join(recipient_lines(controller, "en", request.profile.address.country))
        step = f"print {file_name}, sign it and post it to {address}" + \
            (" (the address is not verified: check it first)" if not controller.address_verified else "")
        via = "post"
    lines = [f"Next: {step}."]
    if recorded:
        option = "" if via == "post" and fmt in ("pdf", "html") else f" --via {via}"
        posted = " (or `--via post`)" if fmt == "eml" and via == "webform" else ""  # the two routes the step gives
        lines.append(f"Then: `objector log sent {ref}{option}`{posted} (add --on DATE if it was not today); "
                     "keep any confirmation and add it with --evidence.")
    else:
        lines.append("Not recorded (--no-record): to track its deadline, write it again without --no-record.")
    return lines


def after_event(tracking: Tracking, events: Iterable[Event] = ()) -> list[str]:
    """The next step for a request in its current standing. ``events``: its events, notes included (a complaint
    written is a note); once there is a complaint, what follows is the authority's, not another complaint."""
    ref, state = tracking.request.reference, tracking.state
    if state == "discarded":
        return []
    complaints = [e for e in events if e.data.get("complaint")]
    if complaints:
        return after_complaint_written(tracking, complaints[-1])
    if state == "drafted":
        return [f"Next: once it is sent, `objector log sent {ref}`."]
    if state == "waiting-for-you":
        return [f"Next: send the ID or clarification asked for, then `objector log supplied {ref}`."]
    if state == "answered":
        from ..law.laws import ALL

        law = ALL.get(tracking.request.law)
        if tracking.outcome in ("refused", "partial") and law is not None and law.statute and law.statute.appeals:
            return [f"Next: appeal the decision to the business: `objector followup {ref}` writes the appeal; once it "
                    f"has decided, `objector complaint {ref}` writes the complaint to {law.statute.authority}."]
        if tracking.outcome in ("refused", "partial", "other"):
            return ["Next: if the answer does not satisfy you, complain to the supervisory authority: "
                    f"`objector complaint {ref}`."]
        return []
    if state == "overdue":
        if tracking.last_limit is None:
            return [f"Next: `objector followup {ref}` writes the reminder."]
        if tracking.last_limit_passed:
            return [f"Next: the reminder's last time limit ({tracking.last_limit.isoformat()}) has passed: "
                    f"`objector complaint {ref}` for the complaint to the supervisory authority."]
        return [f"Next: the reminder gives until {tracking.last_limit.isoformat()}; no answer by then: "
                f"`objector complaint {ref}`."]
    due = f" (due {tracking.due.isoformat()})" if tracking.due else ""
    return [f"Next: when the answer comes{due}, `objector log reply {ref} --outcome OUTCOME --evidence FILE`; "
            f"no answer by then: `objector followup {ref}`."]


def after_complaint_written(tracking: Tracking, note: Event) -> list[str]:
    """What follows a complaint: the authority's answer, kept on the timeline, and the documents it may ask for."""
    ref = tracking.request.reference
    written = note.data["complaint"]
    authority = _authority_name(str(written.get("authority", "")), str(note.data.get("note", "")))
    when = f"{written.get('reference', 'the complaint')} to {authority} was written on {note.on.isoformat()}"
    keep = f"`objector log note {ref} \"answer from {authority}\" --evidence FILE`"
    if tracking.state == "answered" and tracking.outcome == "complied":
        return [f"Next: the complaint {when}; {tracking.request.controller} has complied since: tell the authority, "
                f"quoting its reference, and keep its answer with {keep}."]
    return [f"Next: the complaint {when}: once it is sent, the authority answers; keep each answer on the timeline "
            f"with {keep}.",
            f"If it asks for the documents: `objector complaint {ref} --bundle documents.zip` packs the letters and "
            "the evidence with the complaint (written afresh, under a new reference)."]


def _authority_name(authority_id: str, note: str) -> str:
    """The authority's English name from its id; where objector has no record of it (a US state's Attorney General),
    the name the complaint's note gives ("complaint CMP-... to NAME written: ...", tracking.complaint.write)."""
    import re

    from ..errors import ObjectorError
    from ..law.authorities import get

    try:
        return get(authority_id).name_en
    except ObjectorError:
        named = re.match(r"complaint \S+ to (.+?) written: ", note)
        return named.group(1) if named else authority_id or "the authority"


def after_complaint(complaint: Complaint, fmt: str, file_name: str) -> list[str]:
    """How to send the complaint just written to the authority, and what to keep afterwards."""
    from ..i18n import country_name

    a, ref = complaint.authority, complaint.request_reference
    online = f"{a.name_en}'s online complaint route, {a.web}" + ("" if a.is_verified("web") else " (UNVERIFIED)")
    if a.address and fmt != "txt":
        abroad = [country_name(a.country, "en").upper()] if a.country != complaint.sender.address.country else []
        step = f"print {file_name}, sign it and post it to {', '.join([a.name, *a.address, *abroad])}" + \
            ("" if a.verified else " (the address is UNVERIFIED: check it first)")
    elif a.web and fmt == "txt":
        step = f"paste the text of {file_name} into {online}"
    elif a.web:  # no postal address known: the complaint goes through the route there is
        step = f"send {file_name} through {online}"
    elif a.address:
        step = f"print {file_name}, sign it and post it to {', '.join([a.name, *a.address])}"
    else:
        step = (f"send {file_name} to {a.name_en} the way its official website gives: objector knows no postal address "
                "or complaint route for it")
    return [f"Next: {step}.",
            f"Then: keep the authority's answers on the request's timeline: `objector log note {ref} \"answer from "
            f"{a.name_en}\" --evidence FILE`."]


def after_batch(written: list[dict], failed: int, folder: str) -> list[str]:
    """What follows a batch: send each letter in the way its format is sent, log each as sent, redo the failed rows."""
    from pathlib import Path

    ways = {".pdf": "print, sign and post each PDF to the address in its window",
            ".html": "print, sign and post each HTML letter to the address it shows",
            ".txt": "paste each .txt into the company's web form",
            ".eml": "open each .eml in your mail program and send it"}
    suffixes = sorted({Path(item["path"]).suffix for item in written}, key=list(ways).index)
    lines = []
    if written:
        lines.append(f"Next: send the letters in {folder}: {'; '.join(ways[s] for s in suffixes)}. Then log each as "
                     "sent, `objector log sent REF` (`objector status --drafts` lists their references).")
    if failed:
        lines.append(f"{'Then' if written else 'Next'}: correct the rows named above and run the same command with "
                     "--resume: it writes only the letters not yet written.")
    return lines
