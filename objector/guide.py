"""The guide: how a person objects to AI training where they live, in their language.

Most people object through Meta's in-app form, not by letter. The guide gives the steps for the
person's region (EU/EEA and UK: the in-app route, the forms on the web with how far each is verified,
what confirmation to keep and how to record it here; the US: what helps where no law gives a right to
object), the "Goodbye Meta AI" hoax and what an objection cannot do. Facts: ../shared/seed and
../shared/reference/controllers.md (crawled 2026-08/2026-07), ../shared/reference/legal.md.

Every sentence is a catalog message, so the guide exists in every letter language.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import i18n, laws, registry
from .errors import NotFoundError


def N_(message: str) -> str:
    """Marks a message for extraction; translated where it is used."""
    return message


@dataclass(frozen=True)
class Form:
    """A web form for the objection, with how far its address is confirmed."""

    label: str  # a message
    url: str
    status: str  # "verified" | "partly"
    source: str


# The forms behind the in-app route (controllers.md, section 1). For the UK none of them is confirmed.
FORMS = (
    Form(N_("Objection to the use of your information for AI at Meta"),
         "https://www.facebook.com/help/contact/6359191084165019", "partly",
         "third-party guides (penworks.net 2024-06-11, legalclarity.org); the same URL in the Facebook app's code"),
    Form(N_("Objection to processing based on legitimate interests, Facebook"),
         "https://www.facebook.com/help/contact/1994830130782319", "verified",
         "Meta's EU privacy policy, effective 23 July 2026 (crawled 2026-08-22)"),
    Form(N_("Objection to processing based on legitimate interests, Instagram"),
         "https://help.instagram.com/contact/117037592428568", "verified",
         "Instagram's EU privacy policy (crawled 2026-08-22)"),
)
THIRD_PARTY_FORM = Form(N_("Request about information from third parties used for AI at Meta"),
                        "https://www.facebook.com/help/contact/1266025207620918", "verified",
                        "Meta's US privacy policy, generative AI section (crawled 2026-07-24)")
STATUS = {
    "verified": N_("verified: linked in Meta's privacy policy"),
    "partly": N_("partly verified: named by third-party guides and found in the app's code, not in Meta's own text"),
    "uk": N_("not verified for the United Kingdom"),
}

TITLE = N_("How to object to {brand} using your data for AI")
MENU_NOTE = N_("Menu names differ between app versions and languages: look for the nearest match.")

WHERE = N_("Where you live: {country}.")
WHO_GDPR = N_("{controller} is the controller of your data, and the {law} protects you. "
              "Under {art} you may object to the use of your data for AI at {brand}; {brand} must then stop unless "
              "it demonstrates compelling legitimate grounds that override your interests, rights and freedoms.")
WHO_UNVERIFIED = N_("That {controller} is the controller for you is not verified against {brand}'s current privacy "
                    "policy: check it there before you rely on it.")
WHO_US = N_("No law objector knows gives people in the United States a right to object to {brand} using their "
            "data for AI, and {brand} offers no objection form there.")
WHO_CCPA = N_("As a California resident you have rights under the CCPA to know, delete and correct the personal "
              "information held about you and to opt out of its sale or sharing; they do not include a right to "
              "object to AI training.")
WHO_OTHER = N_("objector knows no objection route for people in your country. The steps below limit what is "
               "public.")
WHO_NOT_META = N_("objector knows no in-app route for {brand}: write to {controller} instead.")

HEAD_APP = N_("In the app (the usual way)")
APP_STEPS = (
    N_("Open Instagram or Facebook, go to your profile, open the menu and choose Settings, then Privacy Centre."),
    N_("In the Privacy Centre, open the information on AI at Meta and choose the form to object (\"right to object\")."),
    N_("The form asks for your country of residence and your account's e-mail address. Its text field (how the "
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
       "programs \"Save as\" or \"Download message\") and take a screenshot of the notification."),
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
HEAD_HOAX = N_("\"Goodbye Meta AI\" is a hoax")
HOAX = N_("Posting or sharing \"Goodbye Meta AI\", or any similar text, has no legal effect: it objects to nothing "
          "and changes no setting.")
HEAD_LIMITS = N_("What an objection cannot do")
HEAD_LIMITS_SETTINGS = N_("What settings cannot do")
LIMITS_OBJECTION = (
    N_("Posts by other people that show or mention you are theirs: your objection does not cover them."),
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
            "forms": [{"url": f.url, "verified": f.status == "verified" and self.region != "uk",
                       "status": f.status if self.region != "uk" else "unverified-uk", "source": f.source}
                      for f in self.forms],
        }

    def text(self) -> str:
        out = [self.title, "=" * len(self.title), *self.intro]
        for section in self.sections:
            out += ["", section.title, "-" * len(section.title)]
            out += [f"- {line}" for line in section.lines]
        return "\n".join(out) + "\n"


def parse_where(country: str, region: str = "") -> tuple[str, str]:
    """'US-CA' → ('US', 'CA'); 'de' → ('DE', '')."""
    from .profile import validate_country

    code, _, sub = str(country).strip().partition("-")
    return validate_country(code), (sub or region).strip().upper()


def region_of(country: str, region: str) -> str:
    law = laws.law_for(country, region)
    if law is laws.GDPR:
        return "eu"
    if law is laws.UK_GDPR:
        return "uk"
    if country == "US":
        return "us-ca" if law is laws.CCPA else "us"
    return "other"


def build(service: str, country: str, region: str = "", lang: str = "en") -> Guide:
    """The guide for a person in `country` (and `region`), in `lang`."""
    lang = i18n.check_language(lang)
    gettext = i18n.translations(lang).gettext
    glossary = i18n.glossary(lang)
    controller = registry.resolve(service, country)
    if controller.processing_for("ai-training") is None:
        raise NotFoundError(f"the guide is about objecting to AI training; objector has no record of {controller.name} "
                            "training AI on its users' data", hint=f"`objector letter objection {controller.service}` "
                            "writes an objection to direct marketing")
    where = region_of(country, region)
    brand, name = controller.brand, controller.name
    values = {"brand": brand, "controller": name, "service": controller.service,
              "country": i18n.country_name(country, lang)}

    def say(message: str, **extra: str) -> str:
        return gettext(message).format(**values, **extra)

    meta = controller.service == "meta"
    intro: list[str] = [say(WHERE)]
    sections: list[Section] = []
    forms: tuple[Form, ...] = ()
    if where in ("eu", "uk"):
        law = "gdpr" if where == "eu" else "uk-gdpr"
        cite = lambda ref: glossary.cite(law, ref).replace("\xa0", " ")  # noqa: E731  (a terminal wraps at spaces)
        intro.append(say(WHO_GDPR, law=glossary.law_short(law), art=cite("21(1)")))
        if not controller.verified:
            intro.append(say(WHO_UNVERIFIED))
        if meta:
            forms = FORMS
            status = (lambda f: gettext(STATUS["uk"])) if where == "uk" else (lambda f: gettext(STATUS[f.status]))
            sections += [
                Section(say(HEAD_APP), tuple(say(step) for step in APP_STEPS) + (say(MENU_NOTE),)),
                Section(say(HEAD_FORMS), tuple(f"{gettext(f.label)}: {f.url} ({status(f)})" for f in forms)),
                Section(say(HEAD_KEEP), tuple(say(step, art=cite("12(3)")) for step in KEEP_STEPS)),
            ]
        else:
            intro.append(say(WHO_NOT_META))
        sections.append(Section(say(HEAD_POST), tuple(say(step) for step in POST_STEPS)))
        limits = tuple(say(line, art=cite("17(1)(c)")) for line in LIMITS_OBJECTION)
    else:
        intro.append(say(WHO_US) if where.startswith("us") else say(WHO_OTHER))
        if where == "us-ca":
            intro.append(say(WHO_CCPA))
        helps = [say(step) for step in HELP_STEPS]
        if meta and where.startswith("us"):
            helps.append(say(THIRD_PARTY, url=THIRD_PARTY_FORM.url))
            forms = (THIRD_PARTY_FORM,)
        sections.append(Section(say(HEAD_HELPS), tuple(helps) + (say(MENU_NOTE),)))
        limits = tuple(say(line) for line in LIMITS_SETTINGS)
    sections.append(Section(say(HEAD_HOAX), (say(HOAX),)))
    sections.append(Section(say(HEAD_LIMITS if where in ("eu", "uk") else HEAD_LIMITS_SETTINGS), limits))
    return Guide(lang=lang, country=country, region=where, controller=controller, title=say(TITLE),
                 intro=tuple(intro), sections=tuple(sections), forms=forms)
