"""What the person does next, after each command: where the letter goes, what to log, when to act.

Pure: from a written letter or a request's standing, the lines the CLI prints under "Next:". Commands
are named as the person types them, with the request's reference filled in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..letters.letter import LetterRequest
    from .complaint import Complaint
    from .timeline import Tracking

# Where a person pastes text meant for a form, per output format; `log sent --via` for each.
_PASTED = {"txt": "webform", "form": "app"}


def after_letter(request: LetterRequest, fmt: str, file_name: str, recorded: bool) -> list[str]:
    """How to send the letter just written, and how to tell the journal."""
    controller, ref = request.controller, request.reference
    if fmt == "eml":
        step = f"open {file_name} in your mail program and send it"
        if not controller.email:
            step += f" (add the recipient yourself: {controller.name} publishes no privacy e-mail address)"
        via = "email"
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
        lines.append(f"Then: `objector log sent {ref}{option}` (add --on DATE if it was not today); "
                     "keep any confirmation and add it with --evidence.")
    else:
        lines.append("Not recorded (--no-record): to track its deadline, write it again without --no-record.")
    return lines


def after_event(tracking: Tracking) -> list[str]:
    """The next step for a request in its current standing."""
    ref, state = tracking.request.reference, tracking.state
    if state == "discarded":
        return []
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
