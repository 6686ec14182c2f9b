"""Guessing columns from Dutch and English headers, and reading cells as actor values."""

import pytest

from crm.imports.columns import (
    KIND_WORDS,
    Ambiguous,
    check_mapping,
    district_for_postcode,
    guess_columns,
    map_value,
)
from crm.messages import Invalid
from crm.vocabulary import Kind

DISTRICTS = ("Sint-Niklaas", "Belsele", "Sinaai", "Nieuwkerken-Waas")
THEMES = ("mobiliteit", "klimaat", "digitale inclusie", "armoede", "économie")


def value(field, raw):
    return map_value(field, raw, districts=DISTRICTS, themes=THEMES)


def refusal(field, raw) -> tuple[str, str]:
    with pytest.raises(Invalid) as caught:
        value(field, raw)
    ((name, (message,)),) = caught.value.errors.items()
    return name, message.render()


# --- guessing columns --------------------------------------------------------------------------


def test_dutch_headers_of_a_belgian_excel_list():
    headers = [
        "Naam",
        "Soort",
        "Telefoon",
        "GSM",
        "E-mail",
        "Adres",
        "Postcode",
        "Gemeente",
        "Deelgemeente",
        "Thema's",
        "Voorkeurkanaal",
        "Niet bellen",
        "Niet mailen",
        "Opmerkingen",
        "Geboortedatum",
    ]

    assert guess_columns(headers) == {
        "Naam": "name",
        "Soort": "kind",
        "Telefoon": "phone",
        "GSM": None,  # the phone is already in "Telefoon": one column per field
        "E-mail": "email",
        "Adres": "address",
        "Postcode": "postcode",
        "Gemeente": None,  # "Deelgemeente" says it more precisely
        "Deelgemeente": "district",
        "Thema's": "themes",
        "Voorkeurkanaal": "preferred_channel",
        "Niet bellen": "do_not_phone",
        "Niet mailen": "do_not_email",
        "Opmerkingen": "notes",
        "Geboortedatum": None,
    }


def test_english_headers_ignoring_case_and_punctuation():
    headers = [
        "NAME",
        "Type",
        "Mobile",
        "Email address",
        "Street address",
        "ZIP code",
        "City",
        "themes",
        "Preferred channel",
        "Do not phone",
        "do-not-email",
        "Language",
    ]

    assert guess_columns(headers) == {
        "NAME": "name",
        "Type": "kind",
        "Mobile": "phone",
        "Email address": "email",
        "Street address": "address",
        "ZIP code": "postcode",
        "City": "district",
        "themes": "themes",
        "Preferred channel": "preferred_channel",
        "Do not phone": "do_not_phone",
        "do-not-email": "do_not_email",
        "Language": "preferred_language",
    }


def test_headers_with_accents_spaces_and_other_words():
    headers = ["  Organisatie ", "tel.", "Mail", "Straat + nr", "Woonplaats", "Thema", "Thèmes"]

    assert guess_columns(headers) == {
        "  Organisatie ": "name",
        "tel.": "phone",
        "Mail": "email",
        "Straat + nr": "address",
        "Woonplaats": "district",
        "Thema": "themes",
        "Thèmes": None,  # themes are already in "Thema"
    }


def test_unknown_headers_are_not_guessed():
    assert guess_columns(["Kolom1", "Geboortedatum", ""]) == {
        "Kolom1": None,
        "Geboortedatum": None,
        "": None,
    }


def test_a_mapping_without_a_name_column_is_refused():
    with pytest.raises(Invalid) as caught:
        check_mapping({"Telefoon": "phone", "Adres": None})

    (message,) = caught.value.errors["name"]
    assert message.render() == "No column holds the names. Choose which column is the name."
    check_mapping({"Naam": "name"})  # does not raise


# --- kinds -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Armoedevereniging", "poverty_organisation"),
        ("Armoedeverenigingen", "poverty_organisation"),
        ("poverty_organisation", "poverty_organisation"),
        ("Poverty organisation", "poverty_organisation"),
        ("POVERTY ORGANISATIONS", "poverty_organisation"),
        ("vereniging waar armen het woord nemen", "poverty_organisation"),
        ("Bewoner", "resident"),
        ("inwoners", "resident"),
        ("Bedrijf", "business"),
        ("Onderneming", "business"),
        ("knowledge_institution", "knowledge_institution"),
        ("Kennisinstellingen", "knowledge_institution"),
        ("Middenveldorganisatie", "civic_association"),
        ("Vereniging", "civic_association"),
        ("Overheidsinstantie", "public_body"),
        ("public body", "public_body"),
        ("Andere", "other"),
        ("  other  ", "other"),
    ],
)
def test_kinds_from_codes_and_dutch_and_english_words(raw, expected):
    assert value("kind", raw) == expected


def test_every_kind_has_dutch_and_english_words_singular_and_plural():
    # The UI's own labels (app/translations/nl and crm.vocabulary), written out.
    expected = {
        "resident": {"Bewoner", "Bewoners", "Resident", "Residents"},
        "business": {"Onderneming", "Ondernemingen", "Business", "Businesses"},
        "knowledge_institution": {
            "Kennisinstelling",
            "Kennisinstellingen",
            "Knowledge institution",
            "Knowledge institutions",
        },
        "poverty_organisation": {
            "Armoedevereniging",
            "Armoedeverenigingen",
            "Poverty organisation",
            "Poverty organisations",
        },
        "civic_association": {
            "Middenveldorganisatie",
            "Middenveldorganisaties",
            "Civic association",
            "Civic associations",
        },
        "public_body": {
            "Overheidsinstantie",
            "Overheidsinstanties",
            "Public body",
            "Public bodies",
        },
        "other": {"Andere", "Andere actoren", "Other", "Other actors"},
    }

    assert set(KIND_WORDS) == set(Kind)
    for kind, words in expected.items():
        assert words <= set(KIND_WORDS[kind]), kind
        for word in words:
            assert value("kind", word) == kind


def test_no_word_names_two_kinds():
    keys = [word.casefold() for words in KIND_WORDS.values() for word in words]

    assert len(keys) == len(set(keys))


def test_an_unknown_kind_lists_the_kinds():
    assert refusal("kind", "Sportclub") == (
        "kind",
        "'Sportclub' is not a known kind; write one of: Resident, Business, Knowledge "
        "institution, Poverty organisation, Civic association, Public body, Other.",
    )


# --- districts, themes, channels, languages ----------------------------------------------------


def test_districts_by_name_ignoring_case_and_accents():
    assert value("district", "sinaai") == "Sinaai"
    assert value("district", "NIEUWKERKEN-WAAS") == "Nieuwkerken-Waas"
    assert value("district", "Sint Niklaas") == "Sint-Niklaas"
    assert value("district", "Bélsele") == "Belsele"


def test_an_unknown_district_lists_the_districts():
    assert refusal("district", "Gent") == (
        "district",
        "'Gent' is not a known district; choose one of: Sint-Niklaas, Belsele, Sinaai, "
        "Nieuwkerken-Waas.",
    )


def test_themes_split_on_commas_and_semicolons():
    assert value("themes", "Mobiliteit, klimaat;Digitale inclusie") == [
        "mobiliteit",
        "klimaat",
        "digitale inclusie",
    ]
    assert value("themes", "economie; mobiliteit; Mobiliteit") == ["économie", "mobiliteit"]


def test_unknown_themes_are_named():
    assert refusal("themes", "mobiliteit, sport, cultuur") == (
        "themes",
        "Unknown theme(s): sport, cultuur.",
    )


def test_preferred_channel_and_language_from_words():
    assert value("preferred_channel", "Bezoek") == "visit"
    assert value("preferred_channel", "e-mail") == "email"
    assert value("preferred_channel", "phone") == "phone"
    assert value("preferred_channel", "Bellen") == "phone"
    assert value("preferred_language", "Frans") == "fr"
    assert value("preferred_language", "nl") == "nl"


def test_an_unknown_channel_lists_the_channels():
    assert refusal("preferred_channel", "duif") == (
        "preferred_channel",
        "'duif' is not a valid choice; choose one of: Phone, Visit, Meeting, Event, "
        "Intermediary, Letter, E-mail, Newsletter, Online platform, SMS.",
    )


# --- yes/no flags ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ja", True),
        ("Ja", True),
        ("yes", True),
        ("x", True),
        ("X", True),
        ("1", True),
        ("WAAR", True),
        ("TRUE", True),
        ("nee", False),
        ("Neen", False),
        ("no", False),
        ("0", False),
        ("ONWAAR", False),
        ("FALSE", False),
        ("", None),
        ("  ", None),
    ],
)
def test_do_not_flags_from_yes_and_no_words(raw, expected):
    assert value("do_not_phone", raw) is expected
    assert value("do_not_email", raw) is expected


def test_a_flag_that_is_neither_yes_nor_no_is_refused():
    assert refusal("do_not_email", "misschien") == (
        "do_not_email",
        "'misschien' is not yes or no. Write ja or nee (yes or no), or leave it empty.",
    )


# --- phones ------------------------------------------------------------------------------------


def test_phones_people_write_are_stored_in_e164():
    assert value("phone", "03 778 30 60") == "+3237783060"
    assert value("phone", "0470/12.34.56") == "+32470123456"
    assert value("phone", "+32 470 12 34 56") == "+32470123456"
    assert value("phone", "0032470123456") == "+32470123456"


MANGLED = (
    "Excel turned into a number: it lost its leading 0 or + (or its last digits). In Excel, "
    "format the phone column as text, type the numbers again and upload the file again."
)


@pytest.mark.parametrize(
    "raw",
    [
        "3.2478E+10",  # shown so in an English Excel, written so to CSV
        "3,2478E+10",  # the same in a Belgian Excel
        "32478123456",  # +32 478 12 34 56 typed: the + is gone
        "478123456",  # 0478 12 34 56 typed: the 0 is gone
        "37783060",  # 03 778 30 60 typed without spaces: the 0 is gone
        "478123456.0",  # the same number as another program writes a float
    ],
)
def test_phones_mangled_by_excel_are_refused_not_stored_wrong(raw):
    assert refusal("phone", raw) == ("phone", f"'{raw}' is a phone number that {MANGLED}")


def test_a_phone_that_is_no_number_gets_the_usual_message():
    assert refusal("phone", "bel de balie") == (
        "phone",
        "'bel de balie' is not a phone number. Write it like 03 778 30 60 or 0470 12 34 56.",
    )


def test_email_is_checked_and_lower_cased():
    assert value("email", " Info@DeLink.be ") == "info@delink.be"
    assert refusal("email", "info@") == ("email", "'info@' is not a valid e-mail address.")


def test_empty_cells_are_none_and_other_fields_pass_as_text():
    assert value("kind", "") is None
    assert value("district", None) is None
    assert value("name", "  Vzw De Link ") == "Vzw De Link"
    assert value("postcode", "9112") == "9112"


# --- postcodes ---------------------------------------------------------------------------------


def test_postcodes_of_one_district():
    assert district_for_postcode("9111") == "Belsele"
    assert district_for_postcode(" 9112 ") == "Sinaai"


def test_9100_is_ambiguous_unless_the_row_says_which():
    assert district_for_postcode("9100") == Ambiguous(("Sint-Niklaas", "Nieuwkerken-Waas"))
    assert district_for_postcode("9100", named="nieuwkerken-waas") == "Nieuwkerken-Waas"
    assert district_for_postcode("9100", named="Sint-Niklaas") == "Sint-Niklaas"
    assert district_for_postcode("9100", named="") == Ambiguous(
        ("Sint-Niklaas", "Nieuwkerken-Waas")
    )


def test_the_municipality_name_with_a_deelgemeente_postcode_gives_the_deelgemeente():
    assert district_for_postcode("9112", named="Sint-Niklaas") == "Sinaai"


def test_a_postcode_and_district_that_disagree_are_refused():
    with pytest.raises(Invalid) as caught:
        district_for_postcode("9112", named="Belsele")

    (message,) = caught.value.errors["district"]
    assert message.render() == (
        "Postcode 9112 is Sinaai, but the row says Belsele. Correct one of them."
    )


def test_a_postcode_outside_sint_niklaas_has_no_district():
    assert district_for_postcode("9000") is None
    assert district_for_postcode(None) is None
    assert district_for_postcode("9000", named="Gent") is None
