"""Guessing what the columns of an imported list mean, and reading their cells as actor values.

Headers and values are matched in Dutch and English, ignoring case, accents and punctuation.
The Dutch words are written here, not read from the app's catalogue: `crm/` never reads the
app's translations, and people write more words than the UI's labels ("Bedrijf", "gsm").
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from crm.messages import N_, Invalid, Message
from crm.validation import echo, parse_email, parse_phone, search_key
from crm.vocabulary import CHANNEL_LABELS, KIND_LABELS, Channel, Kind, Language

# Header words, reduced to letters and digits ("Thema's" -> "themas", "E-mail" -> "email"),
# per field. A field's first list beats its second: with both "Gemeente" and "Deelgemeente"
# in a file, the district is in "Deelgemeente".
HEADER_WORDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "name": (
        (
            "naam",
            "name",
            "organisatie",
            "organisation",
            "organization",
            "naamorganisatie",
            "organisatienaam",
            "volledigenaam",
            "fullname",
            "bedrijfsnaam",
            "naamvereniging",
        ),
        ("vereniging", "bedrijf", "company"),
    ),
    "kind": (
        ("soort", "kind", "soortactor", "typeactor", "actortype"),
        ("type", "categorie", "category"),
    ),
    "phone": (
        (
            "telefoon",
            "tel",
            "telnr",
            "telefoonnummer",
            "gsm",
            "gsmnummer",
            "phone",
            "phonenumber",
            "telephone",
            "mobile",
            "mobiel",
            "mobielnummer",
            "mobilephone",
            "mobilenumber",
        ),
        (),
    ),
    "email": (("email", "emailadres", "emailaddress", "mail", "mailadres"), ()),
    "address": (
        ("adres", "straat", "straatennummer", "straatnr", "address", "street", "streetaddress"),
        (),
    ),
    "postcode": (("postcode", "zip", "zipcode", "postalcode", "postnummer", "postnr"), ()),
    "district": (
        ("deelgemeente", "district", "wijk"),
        ("gemeente", "city", "woonplaats", "plaats", "stad", "town", "municipality"),
    ),
    "themes": (("themas", "thema", "themes", "theme"), ()),
    "preferred_channel": (
        ("voorkeurkanaal", "voorkeurskanaal", "preferredchannel"),
        ("kanaal", "channel"),
    ),
    "preferred_language": (
        ("voorkeurtaal", "voorkeurstaal", "preferredlanguage"),
        ("taal", "language"),
    ),
    "do_not_phone": (
        ("nietbellen", "nietopbellen", "donotphone", "dontphone", "donotcall", "dontcall"),
        (),
    ),
    "do_not_email": (
        ("nietmailen", "nietemailen", "geenmail", "donotemail", "dontemail", "donotmail"),
        (),
    ),
    "do_not_visit": (("nietbezoeken", "donotvisit", "dontvisit"), ()),
    "influence": (("invloed", "influence", "macht", "power"), ()),
    "interest": (("interesse", "interest", "belang"), ()),
    "notes": (("notities", "notitie", "opmerkingen", "opmerking", "notes", "note", "remarks"), ()),
}

# Each kind by its code, its English label and the Dutch words for it, singular and plural.
# The first two Dutch words are the UI's own labels (app/translations/nl); a test checks that
# every Kind has Dutch and English words here.
KIND_WORDS: dict[str, tuple[str, ...]] = {
    Kind.RESIDENT: (
        "Bewoner",
        "Bewoners",
        "Resident",
        "Residents",
        "Inwoner",
        "Inwoners",
        "Burger",
        "Burgers",
        "Particulier",
        "Particulieren",
    ),
    Kind.BUSINESS: (
        "Onderneming",
        "Ondernemingen",
        "Business",
        "Businesses",
        "Bedrijf",
        "Bedrijven",
        "Handelaar",
        "Handelaars",
        "Company",
        "Companies",
    ),
    Kind.KNOWLEDGE_INSTITUTION: (
        "Kennisinstelling",
        "Kennisinstellingen",
        "Knowledge institution",
        "Knowledge institutions",
        "Onderwijsinstelling",
        "Onderwijsinstellingen",
        "School",
        "Scholen",
        "Hogeschool",
        "Universiteit",
    ),
    Kind.POVERTY_ORGANISATION: (
        "Armoedevereniging",
        "Armoedeverenigingen",
        "Poverty organisation",
        "Poverty organisations",
        "Poverty organization",
        "Poverty organizations",
        "Armoedeorganisatie",
        "Armoedeorganisaties",
        "Vereniging waar armen het woord nemen",
        "Verenigingen waar armen het woord nemen",
    ),
    Kind.CIVIC_ASSOCIATION: (
        "Middenveldorganisatie",
        "Middenveldorganisaties",
        "Civic association",
        "Civic associations",
        "Vereniging",
        "Verenigingen",
        "Middenveld",
    ),
    Kind.PUBLIC_BODY: (
        "Overheidsinstantie",
        "Overheidsinstanties",
        "Public body",
        "Public bodies",
        "Overheid",
        "Overheden",
        "Stadsdienst",
        "Stadsdiensten",
    ),
    Kind.OTHER: ("Andere", "Andere actoren", "Other", "Other actors", "Ander"),
}

CHANNEL_WORDS: dict[str, tuple[str, ...]] = {
    Channel.PHONE: ("Telefoon", "Phone", "Bellen", "Telefonisch", "Gsm", "Call"),
    Channel.VISIT: ("Bezoek", "Visit", "Huisbezoek", "Langsgaan"),
    Channel.MEETING: ("Ontmoeting", "Meeting", "Afspraak", "Gesprek"),
    Channel.EVENT: ("Evenement", "Event"),
    Channel.INTERMEDIARY: ("Via tussenpersoon", "Intermediary", "Tussenpersoon"),
    Channel.LETTER: ("Brief", "Letter", "Post"),
    Channel.EMAIL: ("E-mail", "Email", "Mail"),
    Channel.NEWSLETTER: ("Nieuwsbrief", "Newsletter"),
    Channel.ONLINE: ("Onlineplatform", "Online platform", "Online"),
    Channel.SMS: ("Sms", "SMS", "Tekstbericht", "Text message"),
}

LANGUAGE_WORDS: dict[str, tuple[str, ...]] = {
    Language.NL: ("Nederlands", "Dutch", "Vlaams"),
    Language.EN: ("Engels", "English"),
    Language.FR: ("Frans", "French", "Français"),
    Language.DE: ("Duits", "German", "Deutsch"),
    Language.OTHER: ("Andere taal", "Other language", "Andere", "Other"),
}

YES_WORDS = frozenset({"ja", "j", "yes", "y", "x", "1", "waar", "true", "wahr", "vrai"})
NO_WORDS = frozenset({"nee", "neen", "n", "no", "0", "onwaar", "false"})
FLAG_FIELDS = frozenset({"do_not_phone", "do_not_email", "do_not_visit"})

# Postcodes of the deelgemeenten of Sint-Niklaas (bpost): 9100 is shared by two of them.
POSTCODE_DISTRICTS: dict[str, tuple[str, ...]] = {
    "9100": ("Sint-Niklaas", "Nieuwkerken-Waas"),
    "9111": ("Belsele",),
    "9112": ("Sinaai",),
}
# The municipality's name: written as "gemeente" for any of its deelgemeenten.
MUNICIPALITY = "Sint-Niklaas"

# Excel stores a typed "0470 12 34 56" or "+32 470..." as a number: the 0 or + is lost, and a
# long one is shown as "3,2478E+10" (its last digits gone). parse_phone would read "470123456"
# as a Belgian number and store it, so these are refused before: the user must see it.
EXCEL_NUMBER = re.compile(r"[1-9][0-9]*(\.0+)?")
EXCEL_SCIENTIFIC = re.compile(r"[0-9]+([.,][0-9]+)?[eE][+]?[0-9]+")
PHONE_BECAME_NUMBER = N_(
    "'%(value)s' is a phone number that Excel turned into a number: it lost its leading 0 or +"
    " (or its last digits). In Excel, format the phone column as text, type the numbers again "
    "and upload the file again."
)
NOT_YES_OR_NO = N_("'%(value)s' is not yes or no. Write ja or nee (yes or no), or leave it empty.")
UNKNOWN_KIND = N_("'%(value)s' is not a known kind; write one of: %(choices)s.")
UNKNOWN_DISTRICT = N_("'%(value)s' is not a known district; choose one of: %(choices)s.")
UNKNOWN_THEMES = N_("Unknown theme(s): %(names)s.")
UNKNOWN_CHOICE = N_("'%(value)s' is not a valid choice; choose one of: %(choices)s.")
POSTCODE_ELSEWHERE = N_(
    "Postcode %(postcode)s is %(district)s, but the row says %(value)s. Correct one of them."
)
NO_NAME_COLUMN = N_("No column holds the names. Choose which column is the name.")


@dataclass(frozen=True)
class Ambiguous:
    """A postcode two districts share: the user picks one of `choices`."""

    choices: tuple[str, ...]


def header_key(text: str) -> str:
    """Only the letters and digits, lower case without accents: "Thema's" -> "themas"."""
    return re.sub(r"[^0-9a-z]", "", search_key(text))


_HEADER_RANKS = {
    word: (field, rank)
    for field, ranked in HEADER_WORDS.items()
    for rank, words in enumerate(ranked)
    for word in words
}


def guess_columns(headers: Iterable[str]) -> dict[str, str | None]:
    """Each header with the actor field it most likely holds, or None; no field twice."""
    guesses = {header: _HEADER_RANKS.get(header_key(header)) for header in headers}
    best: dict[str, tuple[int, int]] = {}  # field -> (rank, position) of the header it gets
    for position, guess in enumerate(guesses.values()):
        if guess is not None:
            field, rank = guess
            best[field] = min(best.get(field, (rank, position)), (rank, position))
    winners = {position: field for field, (_, position) in best.items()}
    return {header: winners.get(position) for position, header in enumerate(guesses)}


def check_mapping(mapping: dict[str, str | None]) -> None:
    """`Invalid` on "name" when no column is mapped to the name, which every actor needs."""
    if "name" not in mapping.values():
        raise Invalid.on("name", NO_NAME_COLUMN)


def _word_key(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]", " ", search_key(text)).split())


def _lookup(words: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Each code and word, as a key, to its code."""
    table = {_word_key(code): code for code in words}
    table.update({_word_key(word): code for code, ws in words.items() for word in ws})
    return table


_KINDS = _lookup(KIND_WORDS)
_CHANNELS = _lookup(CHANNEL_WORDS)
_LANGUAGES = _lookup(LANGUAGE_WORDS)


def map_value(field: str, raw: str | None, *, districts: Iterable[str], themes: Iterable[str]):
    """The value of a cell for `field` as create_actor takes it (None for an empty cell);
    `Invalid` on `field` when the cell cannot be that."""
    text = "" if raw is None else str(raw).strip()
    if not text:
        return None
    if field == "kind":
        return kind_of(text)
    if field == "district":
        return district_of(text, districts)
    if field == "themes":
        return themes_of(text, themes)
    if field == "phone":
        return phone_of(text)
    if field == "email":
        return parse_email(text)
    if field in FLAG_FIELDS:
        return yes_or_no(text, field=field)
    if field == "preferred_channel":
        return _choice(text, _CHANNELS, field, CHANNEL_LABELS)
    if field == "preferred_language":
        return _choice(text, _LANGUAGES, field, None)
    return text  # name, address, postcode, numbers, notes: create_actor validates them


def kind_of(text: str) -> str:
    """The Kind code of a code or a Dutch or English word for it ("Armoedeverenigingen")."""
    kind = _KINDS.get(_word_key(text))
    if kind is None:
        raise Invalid.on(
            "kind",
            UNKNOWN_KIND,
            value=echo(text),
            choices=tuple(Message(KIND_LABELS[k]) for k in Kind),
        )
    return kind


def district_of(text: str, districts: Iterable[str]) -> str:
    """The district of that name, ignoring case and accents."""
    known = list(districts)
    by_key = {_word_key(name): name for name in known}
    district = by_key.get(_word_key(text))
    if district is None:
        raise Invalid.on("district", UNKNOWN_DISTRICT, value=echo(text), choices=", ".join(known))
    return district


def themes_of(text: str, themes: Iterable[str]) -> list[str]:
    """The themes named in a cell, separated by commas or semicolons, ignoring case and accents."""
    by_key = {_word_key(name): name for name in themes}
    words = [word.strip() for word in re.split(r"[,;]", text) if word.strip()]
    unknown = [echo(word) for word in words if _word_key(word) not in by_key]
    if unknown:
        raise Invalid.on("themes", UNKNOWN_THEMES, names=", ".join(unknown))
    return list(dict.fromkeys(by_key[_word_key(word)] for word in words))


def phone_of(text: str) -> str:
    """The E.164 number, refusing the numbers Excel mangled instead of storing a wrong one."""
    if EXCEL_NUMBER.fullmatch(text) or EXCEL_SCIENTIFIC.fullmatch(text):
        raise Invalid.on("phone", PHONE_BECAME_NUMBER, value=echo(text))
    return parse_phone(text)


def yes_or_no(text: str, *, field: str) -> bool:
    """True for ja, yes, x, 1, waar; False for nee, no, 0, onwaar."""
    key = search_key(text)
    if key in YES_WORDS:
        return True
    if key in NO_WORDS:
        return False
    raise Invalid.on(field, NOT_YES_OR_NO, value=echo(text))


def _choice(text: str, table: dict[str, str], field: str, labels: dict[str, str] | None) -> str:
    code = table.get(_word_key(text))
    if code is None:
        codes = dict.fromkeys(table.values())
        choices = tuple(Message(labels[c]) for c in codes) if labels else ", ".join(codes)
        raise Invalid.on(field, UNKNOWN_CHOICE, value=echo(text), choices=choices)
    return code


def district_for_postcode(postcode: str | None, *, named: str | None = None):
    """The district of a Sint-Niklaas postcode: a name, `Ambiguous` for 9100 unless `named` (the
    row's gemeente or district cell) says which, or None for a postcode elsewhere.

    `named` may be the municipality "Sint-Niklaas" for any deelgemeente; a deelgemeente of
    another postcode is refused, so that the user corrects the postcode or the district.
    """
    choices = POSTCODE_DISTRICTS.get((postcode or "").strip())
    if choices is None:
        return None
    named_key = _word_key(named or "")
    chosen = [district for district in choices if _word_key(district) == named_key]
    if chosen:
        return chosen[0]
    others = {_word_key(d) for ds in POSTCODE_DISTRICTS.values() for d in ds} - {
        _word_key(MUNICIPALITY)
    }
    if named_key in others:
        raise Invalid.on(
            "district",
            POSTCODE_ELSEWHERE,
            postcode=postcode.strip(),
            district=" / ".join(choices),
            value=echo(named.strip()),
        )
    return choices[0] if len(choices) == 1 else Ambiguous(choices)
