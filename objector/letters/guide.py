"""The guide: how a person objects to AI training where they live, in their language.

Most people object through Meta's in-app form, not by letter. The guide gives the steps for the
person's region (EU/EEA and UK: the in-app route, the forms on the web with how far each is verified,
what confirmation to keep and how to record it here; the US: what helps where no law gives a right to
object, and in a state whose privacy law objector knows, the state and the letters that law gives), the
"Goodbye Meta AI" hoax and what an objection cannot do. Facts: ../shared/seed and
../shared/reference/controllers.md (crawled 2026-08/2026-07), ../shared/reference/legal.md.

Every sentence is a catalog message, so the guide exists in every letter language.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import i18n
from ..errors import NotFoundError
from ..law import laws
from ..people import registry


def N_(message: str) -> str:
    """Marks a message for extraction; translated where it is used."""
    return message


@dataclass(frozen=True)
class Form:
    """A web form or setting to object with, and how far it is confirmed (from the registry's record)."""

    label: str  # a message where the guide has a translation for this address, else the registry's label
    url: str
    status: str  # "verified" | "partly" | "unverified" | "uk"
    source: str
    path: str = ""  # where it is in the app, "" where not known


# The guide's own wording for the Meta forms it explains; their addresses, status and sources come from the
# registry (objector/data/controllers.toml), so that `guide` and `controllers show` say the same.
FORM_LABELS = {
    "https://www.facebook.com/help/contact/6359191084165019":
        N_("Objection to the use of your information for AI at Meta"),
    "https://www.facebook.com/help/contact/1994830130782319":
        N_("Objection to processing based on legitimate interests, Facebook"),
    "https://help.instagram.com/contact/117037592428568":
        N_("Objection to processing based on legitimate interests, Instagram"),
}
_third_party_url = "https://www.facebook.com/help/contact/1266025207620918"
STATUS = {
    "verified": N_("verified: linked in Meta’s privacy policy"),
    "partly": N_("partly verified: named by third-party guides and found in the app’s code, not in Meta’s own text"),
    "uk": N_("not verified for the United Kingdom"),
    "route-verified": N_("verified"),
    "route-unverified": N_("not verified"),
}

TITLE = N_("How to object to {brand} using your data for AI")
MENU_NOTE = N_("Menu names differ between app versions and languages: look for the nearest match.")

WHERE = N_("Where you live: {country}.")
WHO_GDPR = N_("{controller} is the controller of your data, and the {law} protects you. "
              "Under {art} you may object to the use of your data for AI at {brand}; {brand} must then stop unless "
              "it demonstrates compelling legitimate grounds that override your interests, rights and freedoms.")
WHO_UNVERIFIED = N_("That {controller} is the controller for you is not verified against {brand}’s current privacy "
                    "policy: check it there before you rely on it.")
WHO_US = N_("No law objector knows gives people in the United States a right to object to {brand} using their "
            "data for AI, and {brand} offers no objection form there.")
WHO_CCPA = N_("As a California resident you have rights under the CCPA to know, delete and correct the personal "
              "information held about you and to opt out of its sale or sharing; they do not include a right to "
              "object to AI training.")
WHO_OTHER = N_("objector knows no objection route for people in your country. The steps below limit what is "
               "public.")
WHO_US_ANY = N_("No law objector knows gives people in the United States a right to object to {brand} using their "
                "data for AI.")
WHO_NOT_META = N_("objector knows no in-app route for {brand}: write to {controller} instead.")
WHO_OTHER_ANY = N_("objector knows no objection route for people in your country.")
NO_ROUTE = N_("objector knows no setting or form of {brand}’s that stops this use.")
FORM_LINE = N_("{label}: {where} ({status})")  # a message: French puts a space before the colon
HEAD_ROUTES = N_("{brand}’s own setting or form")
ROUTES_SOURCES = N_("Where each comes from: `objector controllers show {service}`.")

HEAD_APP = N_("In the app (the usual way)")
APP_STEPS = (
    N_("Open Instagram or Facebook, go to your profile, open the menu and choose Settings, then Privacy Centre."),
    N_("In the Privacy Centre, open the information on AI at Meta and choose the form to object (“right to object”)."),
    N_("The form asks for your country of residence and your account’s e-mail address. Its text field (how the "
       "processing affects you) is optional, but reasons from your own situation strengthen the objection: "
       "`objector letter objection {service} --format form --reason \"...\"` writes a text that fits the field, "
       "your reason first."),
    N_("Meta says an objection covers the accounts in the same Accounts Centre (partly verified): for an account "
       "outside it, send the form again from that account."),
)
HEAD_FORMS = N_("The same forms on the web, if the app does not show the way")
HEAD_KEEP = N_("What to keep, and how to record it here")
KEEP_STEPS = (
    N_("Meta confirms by e-mail and with a notification in the app. Save the e-mail as a file (.eml: in most mail "
       "programs “Save as” or “Download message”) and take a screenshot of the notification."),
    N_("Record the objection with the confirmation as evidence: `objector record objection {service} --via app "
       "--on DATE --evidence confirmation.eml`. With an .eml the date may be left out: it is read from the e-mail."),
    N_("objector then counts the time limit for the answer ({art}) and shows it in `objector status`; when the "
       "answer comes, `objector log reply REF --outcome complied` (or refused, with --evidence)."),
)
HEAD_POST = N_("By post instead")
POST_STEPS = (
    N_("A letter needs no form, and {brand} may not insist on its own: `objector letter objection {service}` writes "
       "it, addressed to {controller}; post it, then `objector log sent REF`."),
)
HEAD_HELPS = N_("What helps")
HELP_STEPS = (
    N_("Set your Instagram account to private (Settings → Privacy → Private account): only followers you approve "
       "see your posts, which reduces what is public."),
    N_("Review the third-party apps connected to your account and remove those you no longer use (Settings → "
       "Security → Apps and websites)."),
    N_("Limit who can tag you in posts and comments (Settings → Privacy → Posts)."),
    N_("Turn on two-factor authentication (Settings → Security → Two-factor authentication): it protects your "
       "account, not your data from AI training."),
)
THIRD_PARTY = N_("For information about you that Meta obtained from third parties and uses for AI, its US privacy "
                 "policy links a request form (access, deletion, objection): {url} (verified).")
HEAD_HOAX = N_("“Goodbye Meta AI” is a hoax")
# A US state with a privacy law objector writes letters under: the state, and the letters its law gives, the
# opt-out (its answer to targeted advertising) and access (what went into AI) first.
WHERE_STATE = N_("Where you live: {state}, {country}.")
HEAD_US_LETTERS = N_("Letters you can send under the {law}")
US_LETTER_LINE = N_("{what}: `objector letter {kind} {service}`")
US_LETTER_ORDER = ("opt-out", "access", "erasure", "rectification", "portability", "limit-sensitive")
US_LETTER_WORDS = {
    "opt-out": N_("Opt out of targeted advertising, the sale of your data and profiling"),
    "access": N_("Find out which data {brand} has collected about you, and whether it used them for AI"),
    "erasure": N_("Have your data deleted"),
    "rectification": N_("Have inaccurate data corrected"),
    "portability": N_("Receive a portable copy of the data you provided"),
    "limit-sensitive": N_("Limit the use of your sensitive data"),
}
CCPA_OPT_OUT = N_("Opt out of the sale and sharing of your data, which covers targeted advertising")
HOAX = N_("Posting or sharing “Goodbye Meta AI”, or any similar text, has no legal effect: it objects to nothing "
          "and changes no setting.")
HEAD_LIMITS = N_("What an objection cannot do")
HEAD_LIMITS_SETTINGS = N_("What settings cannot do")
LIMITS_OBJECTION = (
    N_("Posts by other people that show or mention you are theirs: {brand}’s form for your own account does not "
       "cover them. objector’s letter also asks {brand} to stop using the data about you in them, and "
       "`objector controllers show {service}` lists {brand}’s forms."),
    N_("It works from the day it takes effect: models already trained on your data are not undone. The letter "
       "therefore also asks for the erasure of data kept only for this purpose ({art})."),
)
LIMITS_SETTINGS = (
    N_("Posts by other people that show or mention you are theirs: your settings do not cover them."),
    N_("A setting works from the day you change it: what was public before may already have been used for "
       "training."),
)


@dataclass(frozen=True)
class Section:
    title: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Guide:
    lang: str
    country: str
    region: str  # "eu", "uk", "us-ca", "us" or "other"
    controller: registry.Controller
    title: str
    intro: tuple[str, ...]
    sections: tuple[Section, ...]
    forms: tuple[Form, ...]

    def to_dict(self) -> dict:
        return {
            "lang": self.lang,
            "country": self.country,
            "region": self.region,
            "controller": self.controller.id,
            "title": self.title,
            "intro": list(self.intro),
            "sections": [{"title": s.title, "lines": list(s.lines)} for s in self.sections],
            "forms": [{"label": f.label, "url": f.url, "path": f.path, "verified": self._status(f) == "verified",
                       "status": self._status(f), "source": f.source} for f in self.forms],
        }

    def _status(self, form: Form) -> str:
        if self.region == "uk" and self.controller.service == "meta":
            return "unverified-uk"  # the EEA entity's forms, shown to a UK person
        return {"route-verified": "verified", "route-unverified": "unverified"}.get(form.status, form.status)

    def text(self) -> str:
        out = [self.title, "=" * len(self.title), *self.intro]
        for section in self.sections:
            out += ["", section.title, "-" * len(section.title)]
            out += [f"- {line}" for line in section.lines]
        return "\n".join(out) + "\n"


# The USPS codes of the states and DC: in the US the state decides the law, so a mistyped one is refused
# rather than read as "no state law".
US_STATE_CODES = frozenset(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK "
    "OR PA RI SC SD TN TX UT VT VA WA WV WI WY".split())


def parse_where(country: str, region: str = "") -> tuple[str, str]:
    """'US-CA' → ('US', 'CA'); 'de' → ('DE', '')."""
    from ..errors import InputError
    from ..people.profile import validate_country

    code, _, sub = str(country).strip().partition("-")
    code, sub = validate_country(code), (sub or region).strip().upper()
    if code == "US" and sub and sub not in US_STATE_CODES:
        raise InputError(f"country: 'US-{sub}': {sub} is not a US state code such as CA, TX or NY")
    return code, sub


def region_of(country: str, region: str) -> str:
    law = laws.law_for(country, region)
    if law is laws.GDPR:
        return "eu"
    if law is laws.UK_GDPR:
        return "uk"
    if country == "US":
        return "us-ca" if law is laws.CCPA else "us"
    return "other"


def _forms(controller: registry.Controller, *, meta_wording: bool) -> tuple[Form, ...]:
    """The controller's routes for objecting to AI training, from its registry record: the opt-out routes, then
    (for Meta, whose policy links them) the web forms for objecting to legitimate-interest processing."""
    forms = []
    for route in controller.opt_outs:
        if route.purpose == "ai-training":
            partly = meta_wording and not route.verified and route.url in FORM_LABELS
            status = "partly" if partly else "route-verified" if route.verified else "route-unverified"
            forms.append(Form(FORM_LABELS.get(route.url, route.label), route.url, status, route.source, route.path))
    if meta_wording:
        forms += [Form(FORM_LABELS[f.url], f.url, "verified" if f.verified else "route-unverified",
                       "; ".join(controller.sources[:1]))
                  for f in controller.web_forms if f.url in FORM_LABELS]
    return tuple(forms)


def _refusal(controller: registry.Controller, country: str, region: str) -> NotFoundError:
    """No AI-training record: say so, and point to what objector can do instead for this person."""
    objection = next(o for o in registry.letter_options(controller, country, region) if o.kind == "objection")
    if not objection.refusal and "direct-marketing" in objection.purposes:
        hint = f"`objector letter objection {controller.service}` writes an objection to direct marketing"
    else:
        hint = f"`objector controllers show {controller.service}` shows its settings and forms and the letters you can send"
    return NotFoundError(f"the guide is about objecting to AI training; objector has no record of {controller.name} "
                         "training AI on its users' data", hint=hint)


def build(service: str, country: str, region: str = "", lang: str = "en", *,
          extra: tuple[registry.Controller, ...] = ()) -> Guide:
    """The guide for a person in `country` (and `region`), in `lang`."""
    lang = i18n.check_language(lang)
    gettext = i18n.translations(lang).gettext
    glossary = i18n.glossary(lang)
    controller = registry.resolve(service, country, extra=extra)
    if controller.processing_for("ai-training") is None:
        raise _refusal(controller, country, region)
    where = region_of(country, region)
    brand, name = controller.brand, controller.name
    values = {"brand": brand, "controller": name, "service": controller.service,
              "country": i18n.country_name(country, lang)}

    def say(message: str, **extra: str) -> str:
        return gettext(message).format(**values, **extra)

    def line(form: Form) -> str:
        status = gettext(STATUS["uk" if where == "uk" and meta else form.status])
        at = ", ".join(part for part in (form.path if not meta else "", form.url) if part)
        label = gettext(form.label) if form.label in FORM_LABELS.values() else form.label
        return say(FORM_LINE, label=label, where=at, status=status)

    meta = controller.service == "meta"
    state_law = laws.law_for(country, region)
    statute = state_law.statute if state_law is not None else None
    intro: list[str] = [say(WHERE_STATE, state=statute.state) if statute is not None else say(WHERE)]
    sections: list[Section] = []
    forms: tuple[Form, ...] = ()
    if where in ("eu", "uk"):
        law = "gdpr" if where == "eu" else "uk-gdpr"
        cite = lambda ref: glossary.cite(law, ref).replace("\xa0", " ")  # noqa: E731  (a terminal wraps at spaces)
        intro.append(say(WHO_GDPR, law=glossary.law_short(law), art=cite("21(1)")))
        if not controller.verified:
            intro.append(say(WHO_UNVERIFIED))
        if meta:
            # Meta announced one form for "anyone in the EU, EEA or UK"; its UK address was not seen, so a UK
            # person is shown the EEA entity's forms, each marked as not verified for the United Kingdom.
            shown = controller if where == "eu" else next(
                (c for c in registry.entities(controller.service, extra=extra) if c.serves("IE")), controller)
            forms = tuple(f for f in _forms(shown, meta_wording=True) if f.url)
            sections += [
                Section(say(HEAD_APP), tuple(say(step) for step in APP_STEPS) + (say(MENU_NOTE),)),
                Section(say(HEAD_FORMS), tuple(line(f) for f in forms)),
                # UK: the one-month period is set by Art. 12(3) with Art. 12A (in force since 5 February 2026).
                Section(say(HEAD_KEEP), tuple(say(step, art=cite("12(3)+12A" if where == "uk" else "12(3)"))
                                              for step in KEEP_STEPS)),
            ]
        else:
            forms = _forms(controller, meta_wording=False)
            if forms:
                sections.append(Section(say(HEAD_ROUTES), tuple(line(f) for f in forms) + (say(ROUTES_SOURCES),)))
            else:
                intro.append(say(WHO_NOT_META))
        sections.append(Section(say(HEAD_POST), tuple(say(step) for step in POST_STEPS)))
        limits = tuple(say(line, art=cite("17(1)(c)")) for line in LIMITS_OBJECTION)
    else:
        if where.startswith("us"):
            intro.append(say(WHO_US if meta else WHO_US_ANY))
        if where == "us-ca":
            intro.append(say(WHO_CCPA))
        if meta:
            if not where.startswith("us"):
                intro.append(say(WHO_OTHER))
            helps = [say(step) for step in HELP_STEPS]
            third_party = next((f for f in controller.web_forms if f.url == _third_party_url), None)
            if where.startswith("us") and third_party is not None:
                helps.append(say(THIRD_PARTY, url=third_party.url))
                forms = (Form(third_party.label, third_party.url, "route-verified" if third_party.verified
                              else "route-unverified", "; ".join(controller.sources[:1])),)
            sections.append(Section(say(HEAD_HELPS), tuple(helps) + (say(MENU_NOTE),)))
        else:
            if not where.startswith("us"):
                intro.append(say(WHO_OTHER_ANY))
            forms = _forms(controller, meta_wording=False)
            if forms:
                sections.append(Section(say(HEAD_ROUTES), tuple(line(f) for f in forms) + (say(ROUTES_SOURCES),)))
            else:
                intro.append(say(NO_ROUTE))
        limits = tuple(say(line) for line in LIMITS_SETTINGS)
    if statute is not None and state_law is not None:
        sections.insert(0, us_letters(state_law, say))
    if meta:  # the hoax went round as a Facebook and Instagram post
        sections.append(Section(say(HEAD_HOAX), (say(HOAX),)))
    sections.append(Section(say(HEAD_LIMITS if where in ("eu", "uk") else HEAD_LIMITS_SETTINGS), limits))
    return Guide(lang=lang, country=country, region=where, controller=controller, title=say(TITLE),
                 intro=tuple(intro), sections=tuple(sections), forms=forms)


def us_letters(law: laws.Law, say) -> Section:
    """The letters a US state's law gives, each with the command that writes it (in English, as the statutes)."""
    assert law.statute is not None
    lines = []
    for kind in (kind for kind in US_LETTER_ORDER if kind in law.kinds):
        words = CCPA_OPT_OUT if kind == "opt-out" and law.id == "ccpa" else US_LETTER_WORDS[kind]
        lines.append(say(US_LETTER_LINE, what=say(words), kind=kind))
    return Section(say(HEAD_US_LETTERS, law=law.statute.short), tuple(lines))
