"""Validation of what people type: phones, e-mails, names, vocabulary values, numbers, dates.

Each function returns the clean value or raises `Invalid` on the given field with a message
that repeats what was typed. Both SQLite and PostgreSQL get only clean values: they differ on
NUL bytes and over-long strings (docs/performance.md#bad-input).
"""

import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from crm.messages import N_, Invalid, Message

DEFAULT_REGION = "BE"
# phonenumbers accepts letters ("O3 778 30 60" with a letter O is "valid"): only these pass.
PHONE_CHARACTERS = re.compile(r"^\+?[0-9 ()./\-]+$")
PHONE_MAX_DIGITS = 15  # the E.164 maximum
# Control characters, plus the lone surrogates a JSON body can carry ("\\ud800"): neither
# database driver can even send those (UnicodeEncodeError), and PostgreSQL refuses NUL.
CONTROL_CLASS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f"  # as a regex character class (JSON Schema too)
CONTROL_CHARACTERS = re.compile(rf"[{CONTROL_CLASS}\ud800-\udfff]")
WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")
MAX_ID = 2**31 - 1
ECHO_MAX = 40


def storable(text: str) -> bool:
    """Whether every database can store and compare `text` (no control characters)."""
    return not CONTROL_CHARACTERS.search(text)


def echo(text: str) -> str:
    """What someone typed, safe to repeat in a message: shortened, control characters shown as �."""
    return CONTROL_CHARACTERS.sub("\ufffd", text[:ECHO_MAX])


def clean_text(raw, *, field: str, max_length: int, required: bool = False) -> str | None:
    """Trimmed text without control characters, at most `max_length` characters."""
    text = "" if raw is None else str(raw).strip()
    if CONTROL_CHARACTERS.search(text):
        raise Invalid.on(field, N_("This text contains invisible control characters."))
    if not text:
        if required:
            raise Invalid.on(field, N_("This field is required."))
        return None
    if len(text) > max_length:
        raise Invalid.on(
            field,
            N_("At most %(max)d characters allowed; you typed %(length)d."),
            max=max_length,
            length=len(text),
        )
    return text


def search_key(name: str) -> str:
    """Lower case without accents or extra spaces: 'Café  Élise' -> 'cafe elise'."""
    decomposed = unicodedata.normalize("NFKD", name)
    without_accents = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(without_accents.casefold().split())


NO_PHONE_NUMBER = N_(
    "'%(value)s' is not a phone number. Write it like 03 778 30 60 or 0470 12 34 56."
)
# Typed from a paper list, the letter O passes for a zero (and phonenumbers reads it as one).
LETTER_O_IN_PHONE = N_(
    "'%(value)s' has the letter O where a zero (0) belongs. Write it like 03 778 30 60."
)


def parse_phone(raw, *, field: str = "phone") -> str | None:
    """A Belgian or international phone number in E.164 ('03 778 30 60' -> '+3237783060')."""
    text = "" if raw is None else str(raw).strip()
    if not text:
        return None
    digits = re.sub(r"\D", "", text)
    if not PHONE_CHARACTERS.match(text) and PHONE_CHARACTERS.match(re.sub("[Oo]", "0", text)):
        raise Invalid.on(field, LETTER_O_IN_PHONE, value=echo(text))
    if not PHONE_CHARACTERS.match(text) or len(digits) > PHONE_MAX_DIGITS + 2:
        raise Invalid.on(field, NO_PHONE_NUMBER, value=echo(text))
    try:
        number = phonenumbers.parse(text, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        raise Invalid.on(field, NO_PHONE_NUMBER, value=echo(text)) from None
    if not phonenumbers.is_valid_number(number):
        raise Invalid.on(
            field,
            N_(
                "'%(value)s' is not a valid phone number. Example: 03 778 30 60 or +32 470 12 34 56."  # noqa: E501 (one msgid)
            ),
            value=echo(text),
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


_NON_ZERO_DIGITS = frozenset("123456789")


def display_phone(e164: str | None) -> str:
    """A stored number as people write it: Belgian numbers national, others international."""
    if not e164:
        return ""
    if e164.startswith("+32") and e164[3:4] in _NON_ZERO_DIGITS and e164[3:].isdigit():
        # A stored Belgian number is country code 32 and the digits after it: built directly
        # (20 µs) instead of parsed and looked up again (160 µs; 1.6 s for an export of 10 000).
        number = phonenumbers.PhoneNumber(country_code=32, national_number=int(e164[3:]))
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    number = phonenumbers.parse(e164, DEFAULT_REGION)
    if phonenumbers.region_code_for_number(number) == DEFAULT_REGION:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def phone_query(text: str) -> str | None:
    """The E.164 form of a search text that is a phone number, else None."""
    try:
        return parse_phone(text)
    except Invalid:
        return None


def parse_email(raw, *, field: str = "email") -> str | None:
    """A syntactically valid e-mail address in lower case (no DNS look-up)."""
    text = "" if raw is None else str(raw).strip()
    if not text:
        return None
    if len(text) > 254 or CONTROL_CHARACTERS.search(text):
        raise Invalid.on(field, N_("'%(value)s' is not a valid e-mail address."), value=echo(text))
    try:
        result = validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        raise Invalid.on(
            field, N_("'%(value)s' is not a valid e-mail address."), value=echo(text)
        ) from None
    return result.normalized.lower()


def parse_choice(raw, choices: Iterable[str], *, field: str, required: bool = True) -> str | None:
    """One of the vocabulary values `choices`."""
    text = "" if raw is None else str(raw).strip()
    if not text:
        if required:
            raise Invalid.on(field, N_("This field is required."))
        return None
    allowed = [str(c) for c in choices]
    if text not in allowed:
        raise Invalid.on(
            field,
            N_("'%(value)s' is not a valid choice; choose one of: %(choices)s."),
            value=echo(text),
            choices=", ".join(allowed),
        )
    return text


def parse_int(raw, *, field: str, low: int, high: int, default: int | None = None) -> int:
    """A whole number between `low` and `high` inclusive."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if default is None:
            raise Invalid.on(field, N_("This field is required."))
        return default
    if isinstance(raw, bool):
        raise Invalid.on(field, N_("'%(value)s' is not a whole number."), value=str(raw))
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, float) and raw.is_integer():  # JSON's 2.0 is the whole number 2
        value = int(raw)
    else:
        # int() also takes '١' (Arabic-Indic one), '１' and '1_0': only ASCII digits pass.
        text = str(raw).strip()
        if not WHOLE_NUMBER.fullmatch(text):
            raise Invalid.on(field, N_("'%(value)s' is not a whole number."), value=echo(text))
        # Python refuses int() of more than 4300 digits; such a number is out of range anyway.
        value = int(text) if len(text) <= 20 else high + 1
    if not low <= value <= high:
        raise Invalid.on(field, N_("Choose a number from %(low)d to %(high)d."), low=low, high=high)
    return value


def parse_id(raw, *, field: str = "id") -> int:
    """A database id: a positive integer below 2**31, which every database holds
    (docs/performance.md#bad-input)."""
    text = str(raw).strip() if raw is not None else ""
    if not text.isascii() or not text.isdigit() or (len(text) > 1 and text.startswith("0")):
        raise Invalid.on(field, N_("'%(value)s' is not a valid id."), value=echo(text))
    value = int(text)
    if not 1 <= value <= MAX_ID:
        raise Invalid.on(field, N_("'%(value)s' is not a valid id."), value=echo(text))
    return value


def as_id(raw) -> int | None:
    """`raw` as a database id, or None when no row can have it (so a look-up finds nothing).

    PostgreSQL raises an error for an id beyond its integer range where SQLite says "not
    found" (docs/performance.md#bad-input); getters use this to answer "not found" on both.
    """
    try:
        return parse_id(raw)
    except Invalid:
        return None


def parse_bool(raw) -> bool:
    """A checkbox or JSON boolean."""
    if isinstance(raw, bool):
        return raw
    return str(raw).strip().lower() in {"1", "true", "on", "yes", "y", "ja"}


def parse_date(raw, *, field: str) -> date | None:
    """An ISO date (YYYY-MM-DD) or None when empty."""
    if isinstance(raw, date) and not isinstance(raw, datetime):
        return raw
    text = "" if raw is None else str(raw).strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Invalid.on(
            field, N_("'%(value)s' is not a date (YYYY-MM-DD)."), value=echo(text)
        ) from None


def refuse_unknown_fields(fields, allowed) -> None:
    """`Invalid` naming every field of `fields` that is not in `allowed`."""
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise Invalid(
            {name: [Message(N_("Unknown field '%(name)s'."), name=name)] for name in unknown}
        )


def collect_errors(*checks) -> list:
    """Run zero-argument checks and return their values, or raise every field's messages at once."""
    errors: dict = {}
    values = []
    for check in checks:
        try:
            values.append(check())
        except Invalid as exc:
            values.append(None)
            for name, messages in exc.errors.items():
                errors.setdefault(name, []).extend(messages)
    if errors:
        raise Invalid(errors)
    return values
