"""Possible duplicates on an import and among the stored actors (crm/duplicates.py, issue 12)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crm.actors import set_archived
from crm.duplicates import (
    ActorFacts,
    DuplicateIndex,
    DuplicateMatch,
    DuplicatePair,
    address_key,
    email_key,
    find_duplicates_among,
    folded,
    name_key,
    phone_key,
    possible_duplicates,
)
from crm.validation import search_key


def found(matches) -> list[tuple[int, int, tuple[str, ...]]]:
    """(candidate position, existing id, reasons) of each match, in the order returned."""
    return [(m.candidate, m.existing_id, m.reasons) for m in matches]


# --- keys ------------------------------------------------------------------------------------


@settings(deadline=None, database=None, max_examples=300)
@given(st.text())
def test_folded_text_is_the_search_key(text):
    assert folded(text) == search_key(text)


@pytest.mark.parametrize(
    "typed",
    ["Vzw De Link", "De Link VZW", "v.z.w. De Link", "De Link (vzw)", "DE LINK, Comm. V."],
)
def test_legal_form_case_and_punctuation_leave_the_same_name_key(typed):
    assert name_key(typed) == "de link"


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("Bakkerij Peeters BV", "bakkerij peeters"),
        ("Peeters & Zonen NV", "peeters zonen"),
        ("Atelier Sprl", "atelier"),
        ("Café De Zwaan", "cafe de zwaan"),
        ("'t Vosken", "t vosken"),
    ],
)
def test_name_key_drops_accents_punctuation_and_legal_forms(typed, key):
    assert name_key(typed) == key


def test_name_that_is_only_a_legal_form_keeps_it():
    assert name_key("B.V.") == "bv"


def test_initials_that_spell_a_legal_form_are_kept():
    assert name_key("C. V. Peeters") == "c v peeters"


@pytest.mark.parametrize("typed", ["03 778 30 60", "+32 3 778 30 60", "0032 3 778 30 60"])
def test_phone_key_is_e164_whatever_the_format(typed):
    assert phone_key(typed) == "+3237783060"


@pytest.mark.parametrize("typed", ["", None, "geen", "n.v.t.", "O3 778 30 60"])
def test_what_is_no_phone_number_has_no_phone_key(typed):
    assert phone_key(typed) is None


def test_email_key_is_lower_case():
    assert email_key(" INFO@Bakkerij-Peeters.BE ") == "info@bakkerij-peeters.be"


@pytest.mark.parametrize("typed", ["", None, "geen", "-"])
def test_what_is_no_email_address_has_no_email_key(typed):
    assert email_key(typed) is None


@pytest.mark.parametrize(
    ("address", "postcode"),
    [("Kerkstraat 1 bus 2", "9100"), ("Kerkstr. 1/2", "9100"), ("KERK STRAAT 1 b 2", "B-9100")],
)
def test_address_key_ignores_abbreviation_box_word_and_spacing(address, postcode):
    assert address_key(address, postcode) == "kerkstraat 1 2 9100"


@pytest.mark.parametrize(
    ("address", "postcode"), [("Kerkstraat 1", None), ("Kerkstraat", "9100"), (None, "9100")]
)
def test_address_without_number_or_postcode_has_no_address_key(address, postcode):
    assert address_key(address, postcode) is None


# --- an import against the existing actors ---------------------------------------------------


@pytest.mark.parametrize("typed", ["03 778 30 60", "+32 3 778 30 60", "0032 3 778 30 60"])
def test_same_phone_in_another_format_is_a_possible_duplicate(typed):
    existing = {7: ActorFacts("Élise Van Damme", "resident", phone="+3237783060")}

    matches = find_duplicates_among([ActorFacts("E. Vandamme", phone=typed)], existing)

    assert found(matches) == [(0, 7, ("phone",))]


def test_same_email_in_another_case_is_a_possible_duplicate():
    existing = {7: ActorFacts("Bakkerij Peeters", "business", email="info@bakkerij-peeters.be")}

    matches = find_duplicates_among(
        [ActorFacts("Peeters brood", email="INFO@Bakkerij-Peeters.BE")], existing
    )

    assert found(matches) == [(0, 7, ("email",))]


def test_legal_form_in_front_or_behind_is_the_same_name():
    existing = {3: ActorFacts("De Link VZW", "poverty_organisation")}

    matches = find_duplicates_among([ActorFacts("Vzw De Link", "civic_association")], existing)

    assert matches == [
        DuplicateMatch(candidate=0, existing_id=3, reasons=("name",), name_score=100)
    ]


def test_accents_and_case_make_no_other_name():
    existing = {3: ActorFacts("Café De Zwaan", "business")}

    matches = find_duplicates_among([ActorFacts("Cafe de Zwaan", "business")], existing)

    assert found(matches) == [(0, 3, ("name",))]


def test_one_typo_in_the_name_is_a_possible_duplicate():
    existing = {3: ActorFacts("Jan Peeters", "resident")}

    matches = find_duplicates_among([ActorFacts("Jan Peters", "resident")], existing)

    assert matches == [
        DuplicateMatch(candidate=0, existing_id=3, reasons=("name",), name_score=95.2)
    ]


def test_another_first_name_with_the_same_surname_is_no_duplicate():
    existing = {3: ActorFacts("Els Peeters", "resident")}

    assert find_duplicates_among([ActorFacts("Jan Peeters", "resident")], existing) == []


def test_same_common_name_at_another_address_is_no_duplicate():
    existing = {1: ActorFacts("Jan Peeters", "resident", address="Kerkstraat 1", postcode="9100")}

    matches = find_duplicates_among(
        [ActorFacts("Jan Peeters", "resident", address="Dorpsstraat 5", postcode="9112")], existing
    )

    assert matches == []


def test_same_name_at_the_same_address_is_a_duplicate_for_both_reasons():
    existing = {1: ActorFacts("Jan Peeters", "resident", address="Kerkstraat 1", postcode="9100")}

    matches = find_duplicates_among(
        [ActorFacts("Peeters Jan", "resident", address="Kerkstr. 1", postcode="9100")], existing
    )

    assert found(matches) == [(0, 1, ("address", "name"))]


def test_shorter_name_at_the_same_address_is_a_possible_duplicate():
    existing = {1: ActorFacts("Jan Peeters", "resident", address="Kerkstraat 1", postcode="9100")}

    matches = find_duplicates_among(
        [ActorFacts("Peeters", address="Kerkstraat 1", postcode="9100")], existing
    )

    assert found(matches) == [(0, 1, ("address",))]


def test_another_member_of_the_household_is_no_duplicate():
    existing = {1: ActorFacts("Jan Peeters", "resident", address="Kerkstraat 1", postcode="9100")}

    matches = find_duplicates_among(
        [ActorFacts("Els Peeters", "resident", address="Kerkstraat 1", postcode="9100")], existing
    )

    assert matches == []


def test_same_name_with_an_unknown_address_is_a_possible_duplicate():
    existing = {1: ActorFacts("Jan Peeters", "resident", address="Kerkstraat 1", postcode="9100")}

    matches = find_duplicates_among([ActorFacts("Jan Peeters")], existing)

    assert found(matches) == [(0, 1, ("name",))]


def test_same_name_in_another_postcode_is_no_duplicate():
    existing = {1: ActorFacts("Jan Peeters", "resident", postcode="9100")}

    assert find_duplicates_among([ActorFacts("Jan Peeters", postcode="9112")], existing) == []


def test_a_person_and_an_organisation_of_the_same_name_are_no_duplicates():
    existing = {1: ActorFacts("Jan Peeters", "business")}

    assert find_duplicates_among([ActorFacts("Jan Peeters", "resident")], existing) == []


def test_same_phone_is_a_possible_duplicate_even_at_another_address():
    existing = {
        1: ActorFacts(
            "Jan Peeters", "resident", phone="03 778 30 60", address="Kerkstraat 1", postcode="9100"
        )
    }

    matches = find_duplicates_among(
        [ActorFacts("Jan Peeters", phone="037783060", address="Dorpsstraat 5", postcode="9112")],
        existing,
    )

    assert found(matches) == [(0, 1, ("phone",))]


def test_matches_come_by_candidate_and_best_first():
    existing = {
        1: ActorFacts("Jan Peeters", "resident"),
        2: ActorFacts("Jan Peeters", "resident", phone="+3237783060"),
        3: ActorFacts("Marie Dubois", "resident"),
    }
    candidates = [ActorFacts("Maria Dubois"), ActorFacts("Jan Peeters", phone="03 778 30 60")]

    matches = find_duplicates_among(candidates, existing)

    assert found(matches) == [(0, 3, ("name",)), (1, 2, ("phone", "name")), (1, 1, ("name",))]


def test_a_very_common_word_picks_no_actors_to_compare_with():
    names = ["De Link", "De Zwaan", "De Molen", "De Kroon", "De Bres", "De Kaai", "Zwaan De"]
    existing = {i: ActorFacts(name) for i, name in enumerate(names, start=1)}
    index = DuplicateIndex(existing, common_word_limit=2)

    assert index.compared_ids(ActorFacts("De Bron")) == set()
    assert index.compared_ids(ActorFacts("Café De Zwaan")) == {2, 7}


def test_a_name_without_an_uncommon_word_is_compared_on_its_least_common_word():
    existing = {
        1: ActorFacts("Lieve Mertens", "resident"),
        2: ActorFacts("Lieve Peeters", "resident"),
        3: ActorFacts("Lieve Claes", "resident"),
    }

    matches = find_duplicates_among(
        [ActorFacts("Lieve Mertes", "resident")], existing, common_word_limit=2
    )

    assert found(matches) == [(0, 1, ("name",))]


def test_a_typo_in_the_first_letter_of_a_word_is_scored_in_the_order_typed():
    existing = {1: ActorFacts("Slagerij De Backer (Truweelstraat)", "business")}

    matches = find_duplicates_among(
        [ActorFacts("Slagerij De Backer (ruweelstraat)", "business")], existing
    )

    assert matches == [
        DuplicateMatch(candidate=0, existing_id=1, reasons=("name",), name_score=98.4)
    ]


def test_a_name_of_common_words_only_is_still_compared_with_the_same_name():
    existing = {1: ActorFacts("De Link"), 2: ActorFacts("De Linde"), 3: ActorFacts("Link De")}
    index = DuplicateIndex(existing, common_word_limit=1)

    assert index.compared_ids(ActorFacts("de LINK")) == {1, 3}


def test_a_common_word_does_not_hide_a_similar_name_behind_an_uncommon_word():
    existing = {i: ActorFacts(f"De Actor {i}") for i in range(1, 6)}
    existing[9] = ActorFacts("Brasserij De Kroon")

    matches = find_duplicates_among(
        [ActorFacts("Brasserie De Kroon")], existing, common_word_limit=2
    )

    assert found(matches) == [(0, 9, ("name",))]


def test_no_candidates_no_matches():
    assert find_duplicates_among([], {1: ActorFacts("Jan Peeters")}) == []


# --- among the stored actors -------------------------------------------------------------------


def pairs(found_pairs) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(p.first_name, p.second_name, p.reasons) for p in found_pairs]


def test_stored_duplicates_are_listed_once_each_best_first(session, make_actor):
    make_actor(name="De Link VZW", kind="civic_association", phone="03 778 30 60")
    make_actor(name="Vzw De Link", kind="civic_association", phone="+32 3 778 30 60")
    make_actor(name="Jan Peeters", address="Kerkstraat 1", postcode="9100")
    make_actor(name="Jan Peeters", address="Dorpsstraat 5", postcode="9112")
    make_actor(name="Café De Zwaan", kind="business", email="info@dezwaan.be")
    make_actor(name="Brasserie Zwaan", kind="business", email="INFO@DeZwaan.be")

    found_pairs = possible_duplicates(session)

    assert pairs(found_pairs) == [
        ("De Link VZW", "Vzw De Link", ("phone", "name")),
        ("Café De Zwaan", "Brasserie Zwaan", ("email",)),
    ]


def test_stored_duplicate_pair_names_both_actors_by_id(session, make_actor):
    first = make_actor(name="Jan Peeters", address="Kerkstraat 1", postcode="9100")
    second = make_actor(name="Peeters Jan", address="Kerkstraat 1", postcode="9100")

    assert possible_duplicates(session) == [
        DuplicatePair(
            first_id=first.id,
            first_name="Jan Peeters",
            second_id=second.id,
            second_name="Peeters Jan",
            reasons=("address", "name"),
            name_score=100,
        )
    ]


def test_archived_actors_are_no_stored_duplicates(session, make_actor):
    make_actor(name="Jan Peeters")
    archived = make_actor(name="Jan Peeters")
    set_archived(session, archived.id, True)
    session.commit()

    assert possible_duplicates(session) == []


def test_stored_duplicates_are_cut_at_the_limit(session, make_actor):
    make_actor(name="Jan Peeters", phone="03 778 30 60")
    make_actor(name="Jan Peeters", phone="03 778 30 60")
    make_actor(name="Marie Dubois")
    make_actor(name="Maria Dubois")

    assert pairs(possible_duplicates(session, limit=1)) == [
        ("Jan Peeters", "Jan Peeters", ("phone", "name"))
    ]
