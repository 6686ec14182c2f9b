"""What people type: phones, e-mails, names, ids and vocabulary values (crm/validation.py)."""

import phonenumbers
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from crm.messages import Invalid
from crm.models import NAME_MAX
from crm.validation import (
    MAX_ID,
    clean_text,
    display_phone,
    parse_choice,
    parse_email,
    parse_id,
    parse_int,
    parse_phone,
    search_key,
    storable,
)
from crm.vocabulary import Kind

# No example database in the working tree, and no deadline: the first call warms up imports.
PROPERTY = settings(deadline=None, database=None, max_examples=300)


def message_of(error: Invalid, field: str) -> str:
    (message,) = error.errors[field]
    return message.render()


# --- phones --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("03 778 30 60", "+3237783060"),
        ("+32 3 778 30 60", "+3237783060"),
        ("0032 3 778 30 60", "+3237783060"),
        ("0470/12.34.56", "+32470123456"),
        ("0470 12 34 56", "+32470123456"),
    ],
)
def test_belgian_phone_in_any_usual_format_is_stored_as_e164(typed, e164):
    assert parse_phone(typed) == e164


@pytest.mark.parametrize(
    ("e164", "shown"),
    [("+3237783060", "03 778 30 60"), ("+32470123456", "0470 12 34 56")],
)
def test_stored_belgian_phone_is_shown_in_national_format(e164, shown):
    assert display_phone(e164) == shown


def test_foreign_phone_is_shown_in_international_format():
    assert display_phone(parse_phone("+31 20 624 1111")) == "+31 20 624 1111"


def test_empty_phone_is_no_phone():
    assert parse_phone("  ") is None
    assert display_phone(None) == ""


@pytest.mark.parametrize(
    "typed",
    ["abc", "12", "1" * 30, "O3 778 30 60", "+32 3 778 30 6O", "+", "03 778 30 60 ext 5"],
    ids=["letters", "too-short", "30-digits", "letter-O-first", "letter-O-last", "plus", "ext"],
)
def test_phone_that_is_no_number_is_refused_repeating_what_was_typed(typed):
    with pytest.raises(Invalid) as refused:
        parse_phone(typed, field="phone")

    assert f"'{typed}'" in message_of(refused.value, "phone")


def test_phone_typed_with_letter_o_is_refused_naming_the_letter_and_an_example():
    # phonenumbers itself reads the letter O as a digit and calls this number valid.
    with pytest.raises(Invalid) as refused:
        parse_phone("O3 778 30 60")

    assert message_of(refused.value, "phone") == (
        "'O3 778 30 60' has the letter O where a zero (0) belongs. Write it like 03 778 30 60."
    )


def test_a_phone_that_is_no_number_gets_an_example_of_one():
    with pytest.raises(Invalid) as refused:
        parse_phone("bel ons")

    assert message_of(refused.value, "phone") == (
        "'bel ons' is not a phone number. Write it like 03 778 30 60 or 0470 12 34 56."
    )


@PROPERTY
@given(st.text(alphabet="0123456789 +()./-abcoO\t", max_size=40))
@example("+")
@example("0" * 17)
@example("+" + "9" * 17)
def test_any_typed_phone_is_a_valid_e164_number_or_refused_never_an_error(typed):
    try:
        e164 = parse_phone(typed)
    except Invalid:
        return
    if e164 is None:
        assert not typed.strip()
    else:
        assert e164.startswith("+") and e164[1:].isdigit() and len(e164) <= 16
        assert parse_phone(display_phone(e164)) == e164


# --- e-mail ----------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["a@b", "x@@y.be", "ann claeys@sint-niklaas.be", "a\x00@b.be"])
def test_malformed_email_is_refused_repeating_what_was_typed(typed):
    with pytest.raises(Invalid) as refused:
        parse_email(typed, field="email")

    assert "is not a valid e-mail address" in message_of(refused.value, "email")
    assert typed.replace("\x00", "\ufffd") in message_of(refused.value, "email")


def test_email_is_stored_in_lower_case():
    assert parse_email(" Ann.Claeys@Sint-Niklaas.be ") == "ann.claeys@sint-niklaas.be"


def test_email_starting_with_an_equals_sign_is_a_valid_address():
    # Valid by the standard (docs/performance.md#bad-input): formula injection is stopped when
    # exporting.
    assert parse_email("=cmd@example.com") == "=cmd@example.com"


# --- names and free text -------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["", "   ", None])
def test_missing_name_is_refused(typed):
    with pytest.raises(Invalid) as refused:
        clean_text(typed, field="name", max_length=NAME_MAX, required=True)

    assert message_of(refused.value, "name") == "This field is required."


def test_name_of_ten_thousand_characters_is_refused_with_its_length():
    with pytest.raises(Invalid) as refused:
        clean_text("x" * 10_000, field="name", max_length=NAME_MAX, required=True)

    assert "10000" in message_of(refused.value, "name")


@pytest.mark.parametrize("typed", ["Jan\x00Peeters", "Jan\x1bPeeters", "Jan\ud800"])
def test_name_with_a_control_character_or_lone_surrogate_is_refused(typed):
    # SQLite stores a NUL silently, PostgreSQL refuses it; neither driver can send a surrogate.
    with pytest.raises(Invalid):
        clean_text(typed, field="name", max_length=NAME_MAX, required=True)


def test_accented_name_is_kept_as_typed():
    typed = "  Élise Van Damme-Öztürk  "

    assert clean_text(typed, field="name", max_length=NAME_MAX) == "Élise Van Damme-Öztürk"


def test_search_key_drops_accents_case_and_extra_spaces():
    assert search_key("Café  Élise ÇA") == "cafe elise ca"


@PROPERTY
@given(st.text())
def test_search_key_is_idempotent(name):
    assert search_key(search_key(name)) == search_key(name)


@PROPERTY
@given(st.text(max_size=300))
def test_clean_text_returns_storable_text_within_the_limit_or_refuses(typed):
    try:
        text = clean_text(typed, field="name", max_length=NAME_MAX)
    except Invalid:
        return
    assert text is None or (storable(text) and 0 < len(text) <= NAME_MAX)


# --- ids, numbers, choices -----------------------------------------------------------------


@pytest.mark.parametrize(
    "typed", ["-1", "0", "99999999999999999999", "01", "١", "2147483648", "", "1.0", "True"]
)
def test_id_outside_what_every_database_holds_is_refused(typed):
    # Flask's <int:> converter takes '١' and '01'; PostgreSQL fails on 2**31
    # (docs/performance.md#bad-input).
    with pytest.raises(Invalid) as refused:
        parse_id(typed, field="actor_id")

    assert "is not a valid id" in message_of(refused.value, "actor_id")


@pytest.mark.parametrize(("typed", "ident"), [("1", 1), (" 42 ", 42), (MAX_ID, MAX_ID), (7, 7)])
def test_positive_id_is_accepted(typed, ident):
    assert parse_id(typed) == ident


@PROPERTY
@given(st.one_of(st.text(max_size=25), st.integers()))
def test_any_id_is_in_range_or_refused_never_an_error(typed):
    try:
        ident = parse_id(typed)
    except Invalid:
        return
    assert 1 <= ident <= MAX_ID


@pytest.mark.parametrize("typed", ["١", "３", "1_0", "2.5", "three", "9" * 5000])
def test_whole_number_is_written_with_ascii_digits_only(typed):
    with pytest.raises(Invalid):
        parse_int(typed, field="influence", low=1, high=5)


def test_whole_number_outside_the_range_is_refused():
    with pytest.raises(Invalid) as refused:
        parse_int("6", field="influence", low=1, high=5)

    assert message_of(refused.value, "influence") == "Choose a number from 1 to 5."


def test_empty_whole_number_takes_the_default():
    assert parse_int(" ", field="influence", low=1, high=5, default=3) == 3


def test_unknown_kind_is_refused_naming_the_choices():
    with pytest.raises(Invalid) as refused:
        parse_choice("burgemeester", Kind, field="kind")

    message = message_of(refused.value, "kind")
    assert "'burgemeester' is not a valid choice" in message
    assert "poverty_organisation" in message


def test_known_kind_is_accepted():
    assert parse_choice(" business ", Kind, field="kind") == "business"


def parsed_display(e164):
    """display_phone the long way: parse the stored number and format it for its region."""
    if not e164:
        return ""
    number = phonenumbers.parse(e164, "BE")
    national = phonenumbers.region_code_for_number(number) == "BE"
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if national
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)


@pytest.mark.parametrize(
    "e164",
    [
        "+3237783060",
        "+32477123456",
        "+3225551234",
        "+3278151515",
        "+32800123456",
        "+3290012345",
        "+31201234567",  # Dutch: international format, the long way
        "+441632960961",
        None,
        "",
    ],
)
def test_display_phone_fast_path_formats_as_phonenumbers_does(e164):
    assert display_phone(e164) == parsed_display(e164)


@given(st.from_regex(r"\+32[1-9][0-9]{7,8}", fullmatch=True))
def test_display_phone_fast_path_agrees_on_any_belgian_number(e164):
    assert display_phone(e164) == parsed_display(e164)


def test_a_whole_number_written_with_a_zero_fraction_is_that_number():
    # JSON's 2.0 is the number 2; 2.5 is no whole number.
    assert parse_int(2.0, field="influence", low=1, high=5) == 2
    with pytest.raises(Invalid):
        parse_int(2.5, field="influence", low=1, high=5)
