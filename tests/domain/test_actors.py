"""Actors: create, update, archive, delete, search, spot duplicates (crm/actors.py)."""

import pytest
from sqlalchemy import inspect, select, text

from crm.actors import (
    create_actor,
    delete_actor,
    find_possible_duplicates,
    get_actor,
    name_contains,
    search_actors,
    set_archived,
    update_actor,
)
from crm.messages import Conflict, Invalid, NotFound
from crm.models import Actor, ContactLog, Relation, actor_themes
from crm.relations import add_relation
from tests.domain.conftest import NOW, ago, count, fresh


def names(page) -> list[str]:
    return [actor.name for actor in page.items]


# --- create ----------------------------------------------------------------------------------


def test_actor_is_created_with_every_field(session):
    actor = create_actor(
        session,
        name="Buurtwerk 't Klokke",
        kind="poverty_organisation",
        district="Belsele",
        themes=["armoede", "wonen"],
        phone="03 778 30 60",
        email="Info@Klokke.be",
        address="Kerkstraat 1",
        postcode="9111",
        preferred_channel="visit",
        preferred_language="nl",
        do_not_phone=True,
        do_not_email="on",
        do_not_visit=False,
        influence="4",
        interest=5,
        notes="Via Mieke van het OCMW.",
        now=NOW,
    )

    stored = fresh(session, Actor, actor.id)
    assert {
        "name": stored.name,
        "search_name": stored.search_name,
        "kind": stored.kind,
        "district": stored.district.name,
        "themes": [theme.name for theme in stored.themes],
        "phone": stored.phone,
        "email": stored.email,
        "address": stored.address,
        "postcode": stored.postcode,
        "preferred_channel": stored.preferred_channel,
        "preferred_language": stored.preferred_language,
        "do_not": (stored.do_not_phone, stored.do_not_email, stored.do_not_visit),
        "influence": stored.influence,
        "interest": stored.interest,
        "notes": stored.notes,
        "archived": stored.archived,
        "created_at": stored.created_at,
        "version": stored.version,
    } == {
        "name": "Buurtwerk 't Klokke",
        "search_name": "buurtwerk 't klokke",
        "kind": "poverty_organisation",
        "district": "Belsele",
        "themes": ["armoede", "wonen"],
        "phone": "+3237783060",
        "email": "info@klokke.be",
        "address": "Kerkstraat 1",
        "postcode": "9111",
        "preferred_channel": "visit",
        "preferred_language": "nl",
        "do_not": (True, True, False),
        "influence": 4,
        "interest": 5,
        "notes": "Via Mieke van het OCMW.",
        "archived": False,
        "created_at": NOW,
        "version": 1,
    }


def test_actor_with_only_name_and_kind_gets_the_defaults(session):
    actor = create_actor(session, name="Jan Claes", kind="resident")

    assert (actor.district, actor.themes, actor.influence, actor.interest, actor.notes) == (
        None,
        [],
        3,
        3,
        "",
    )


def test_unknown_district_is_refused_naming_the_known_ones(session):
    with pytest.raises(Invalid) as refused:
        create_actor(session, name="Jan Claes", kind="resident", district="Gent")

    (message,) = refused.value.errors["district"]
    assert "'Gent' is not a known district" in message.render()
    assert "Sinaai" in message.render()


def test_unknown_theme_is_refused_naming_it(session):
    with pytest.raises(Invalid) as refused:
        create_actor(session, name="Jan Claes", kind="resident", themes=["armoede", "quantum"])

    (message,) = refused.value.errors["themes"]
    assert message.render() == "Unknown theme(s): quantum."


def test_theme_name_with_a_nul_byte_is_an_unknown_theme_not_a_database_error(session):
    with pytest.raises(Invalid) as refused:
        create_actor(session, name="Jan Claes", kind="resident", themes=["pov\x00erty"])

    assert set(refused.value.errors) == {"themes"}


def test_create_reports_every_wrong_field_at_once(session):
    with pytest.raises(Invalid) as refused:
        create_actor(
            session, name="", kind="mayor", phone="O3 778 30 60", email="x@@y.be", postcode="B-9100"
        )

    assert set(refused.value.errors) == {"name", "kind", "phone", "email", "postcode"}


def test_create_with_bad_phone_and_bad_email_reports_both(session):
    with pytest.raises(Invalid) as refused:
        create_actor(session, name="Jan Claes", kind="resident", phone="abc", email="a@b")

    assert set(refused.value.errors) == {"phone", "email"}


def test_refused_create_stores_nothing(session):
    with pytest.raises(Invalid):
        create_actor(
            session, name="Jan Claes", kind="resident", themes=["armoede"], phone="12", email="a@b"
        )
    session.rollback()

    assert count(session, Actor) == 0
    assert count(session, actor_themes) == 0


def test_unknown_field_is_refused(session):
    with pytest.raises(Invalid) as refused:
        create_actor(session, name="Jan Claes", kind="resident", version=7)

    assert set(refused.value.errors) == {"version"}


@pytest.mark.parametrize(
    "name", ["x" * 201, "Jan\x00Peeters", "Jan\ud800"], ids=["201-chars", "nul", "surrogate"]
)
def test_name_one_database_would_store_and_another_refuse_is_refused_on_both(session, name):
    # SQLite stores an over-long or NUL name silently, PostgreSQL fails
    # (docs/performance.md#bad-input).
    with pytest.raises(Invalid) as refused:
        create_actor(session, name=name, kind="resident")
    session.rollback()

    assert set(refused.value.errors) == {"name"}
    assert count(session, Actor) == 0


def test_name_whose_search_key_outgrows_the_column_is_still_stored(session):
    # 'ß' casefolds to 'ss': the key of a 200-character name is 400 characters, which
    # PostgreSQL refused.
    actor = create_actor(session, name="ß" * 200, kind="resident")

    stored = fresh(session, Actor, actor.id)
    assert (len(stored.name), stored.search_name) == (200, "s" * 200)


# --- update ----------------------------------------------------------------------------------


def test_update_with_the_current_version_saves_and_bumps_the_version(session, make_actor):
    actor = make_actor(name="Jan Peeters")

    update_actor(session, actor.id, version=1, name="Jan Peeters-Claes", district="Sinaai")
    session.commit()

    stored = fresh(session, Actor, actor.id)
    assert (stored.name, stored.search_name, stored.district.name, stored.version) == (
        "Jan Peeters-Claes",
        "jan peeters-claes",
        "Sinaai",
        2,
    )


def test_update_of_themes_only_bumps_the_version(session, make_actor):
    actor = make_actor(themes=["klimaat"])

    update_actor(session, actor.id, version="1", themes=["klimaat", "mobiliteit"])
    session.commit()

    stored = fresh(session, Actor, actor.id)
    assert ([t.name for t in stored.themes], stored.version) == (["klimaat", "mobiliteit"], 2)


def test_update_with_a_stale_version_is_a_conflict_and_keeps_the_first_edit(session, make_actor):
    actor = make_actor(name="Jan Peeters")
    update_actor(session, actor.id, version=1, name="First edit")
    session.commit()

    with pytest.raises(Conflict) as conflict:
        update_actor(session, actor.id, version=1, name="Second edit")
    session.rollback()

    assert conflict.value.current_version == 2
    assert "Someone else saved First edit" in str(conflict.value)
    stored = fresh(session, Actor, actor.id)
    assert (stored.name, stored.version) == ("First edit", 2)


def test_stale_edit_of_the_themes_only_is_a_conflict_too(session, make_actor):
    # Saved in the same second as the actor's creation, a themes-only edit wrote no row of its
    # own, kept version 1, and the stale second edit overwrote the first silently.
    actor = make_actor(themes=["klimaat"])
    update_actor(session, actor.id, version=1, themes=["klimaat", "armoede"])
    session.commit()

    with pytest.raises(Conflict):
        update_actor(session, actor.id, version=1, themes=["mobiliteit"])
    session.rollback()

    assert [t.name for t in fresh(session, Actor, actor.id).themes] == ["armoede", "klimaat"]


def test_refused_update_changes_nothing(session, make_actor):
    actor = make_actor(name="Jan Peeters", phone="03 778 30 60")

    with pytest.raises(Invalid):
        update_actor(session, actor.id, version=1, name="Jan", phone="abc")
    session.rollback()

    stored = fresh(session, Actor, actor.id)
    assert (stored.name, stored.phone, stored.version) == ("Jan Peeters", "+3237783060", 1)


def test_unknown_actor_id_is_not_found_on_every_database(session):
    # 2**31 is "not found" on SQLite and was an error on PostgreSQL.
    for ident in (12345, 2**31, "١"):
        with pytest.raises(NotFound):
            get_actor(session, ident)


# --- archive and delete --------------------------------------------------------------------


def test_archived_actor_leaves_the_search_but_keeps_its_contacts(session, make_actor, make_contact):
    actor = make_actor(name="Vzw De Link")
    make_contact(actor)
    make_contact(actor, channel="email")

    set_archived(session, actor.id, True, version=1)
    session.commit()

    assert names(search_actors(session, q="link")) == []
    assert names(search_actors(session, q="link", include_archived=True)) == ["Vzw De Link"]
    assert count(session, ContactLog, ContactLog.actor_id == actor.id) == 2


def test_restored_actor_is_found_again(session, make_actor):
    actor = make_actor(name="Vzw De Link")
    set_archived(session, actor.id, True)
    session.commit()

    set_archived(session, actor.id, False)
    session.commit()

    assert names(search_actors(session, q="link")) == ["Vzw De Link"]


def test_archiving_with_a_stale_version_is_a_conflict(session, make_actor):
    actor = make_actor()
    update_actor(session, actor.id, version=1, notes="edited")
    session.commit()

    with pytest.raises(Conflict):
        set_archived(session, actor.id, True, version=1)


def test_deleted_actor_takes_its_contacts_relations_and_theme_links_along(
    session, make_actor, make_contact
):
    doomed = make_actor(name="Doomed", themes=["klimaat", "armoede"])
    other = make_actor(name="Other", themes=["klimaat"])
    third = make_actor(name="Third")
    make_contact(doomed)
    make_contact(other)
    add_relation(session, source_id=doomed.id, target_id=other.id, type="knows")
    add_relation(session, source_id=third.id, target_id=doomed.id, type="member_of")
    add_relation(session, source_id=other.id, target_id=third.id, type="knows")
    session.commit()

    delete_actor(session, doomed.id)
    session.commit()

    assert count(session, Actor, Actor.id == doomed.id) == 0
    assert count(session, ContactLog) == 1
    assert count(session, Relation) == 1
    assert count(session, actor_themes) == 1


# --- search --------------------------------------------------------------------------------


@pytest.fixture
def city(session, make_actor, make_contact):
    """Five actors; Élise reached by phone, De Klinker by e-mail, Elisabeth only tried."""
    actors = {
        "elise": make_actor(
            name="Élise Van Damme",
            kind="resident",
            district="Sint-Niklaas",
            themes=["klimaat"],
            phone="03 778 30 60",
            email="elise@example.be",
        ),
        "klinker": make_actor(
            name="Buurthuis De Klinker",
            kind="civic_association",
            district="Belsele",
            themes=["armoede"],
        ),
        "elisabeth": make_actor(
            name="Vzw Elisabeth", kind="poverty_organisation", district="Sinaai"
        ),
        "bakkerij": make_actor(
            name="Bakkerij Peeters",
            kind="business",
            district="Sint-Niklaas",
            phone="0470 12 34 56",
            email="Info@Bakkerij-Peeters.be",
        ),
        "jan": make_actor(name="Jan Claes", kind="resident"),
    }
    make_contact(actors["elise"], channel="phone", outcome="reached", occurred_at=ago(days=2))
    make_contact(actors["klinker"], channel="email", outcome="reached", occurred_at=ago(days=5))
    make_contact(actors["elisabeth"], channel="phone", outcome="no_answer", occurred_at=ago(days=1))
    return actors


@pytest.mark.parametrize("typed", ["elise", "ÉLISE", "  van   damme ", "lise v"])
def test_name_search_finds_an_infix_whatever_the_accents_and_case(session, city, typed):
    assert names(search_actors(session, q=typed)) == ["Élise Van Damme"]


@pytest.mark.parametrize(
    "typed", ["03 778 30 60", "+32 3 778 30 60", "0032 3 778 30 60", "03/778.30.60"]
)
def test_phone_search_finds_the_number_typed_in_any_belgian_format(session, city, typed):
    assert names(search_actors(session, q=typed)) == ["Élise Van Damme"]


@pytest.mark.parametrize("typed", ["info@bakkerij-peeters.be", "INFO@Bakkerij", "info@"])
def test_email_search_finds_the_address_by_its_start_in_any_case(session, city, typed):
    assert names(search_actors(session, q=typed)) == ["Bakkerij Peeters"]


@pytest.mark.parametrize("typed", ["%", "_", "\\", "e%e"])
def test_like_wildcards_in_a_search_are_plain_characters(session, city, typed):
    assert names(search_actors(session, q=typed)) == []


@pytest.mark.parametrize(
    "filters",
    [{"q": "a\x00b"}, {"kind": "resident\x00"}, {"district": "Sinaai\x00"}, {"theme": "\ud800"}],
)
def test_search_with_a_control_character_finds_nothing_instead_of_failing(session, city, filters):
    assert search_actors(session, **filters).total == 0


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"kind": "resident"}, ["Élise Van Damme", "Jan Claes"]),
        ({"kind": "mayor"}, []),
        ({"district": "Sint-Niklaas"}, ["Bakkerij Peeters", "Élise Van Damme"]),
        ({"district": "Gent"}, []),
        ({"theme": "armoede"}, ["Buurthuis De Klinker"]),
        ({"theme": "quantum"}, []),
        ({"status": "direct"}, ["Élise Van Damme"]),
        ({"status": "digital_only"}, ["Buurthuis De Klinker"]),
        ({"status": "attempted"}, ["Vzw Elisabeth"]),
        ({"status": "none"}, ["Bakkerij Peeters", "Jan Claes"]),
        ({"status": "famous"}, []),
        ({"kind": "resident", "district": "Sint-Niklaas", "q": "dam"}, ["Élise Van Damme"]),
    ],
    ids=lambda value: str(value) if isinstance(value, dict) else "",
)
def test_filters_narrow_the_search(session, city, filters, expected):
    assert names(search_actors(session, now=NOW, **filters)) == expected


def test_unknown_district_filter_does_not_list_the_actors_without_a_district(session, city):
    # It used to compare district_id with NULL and list Jan Claes.
    assert search_actors(session, district="Gent").total == 0


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        (
            "name",
            [
                "Bakkerij Peeters",
                "Buurthuis De Klinker",
                "Élise Van Damme",
                "Jan Claes",
                "Vzw Elisabeth",
            ],
        ),
        (
            "-name",
            [
                "Vzw Elisabeth",
                "Jan Claes",
                "Élise Van Damme",
                "Buurthuis De Klinker",
                "Bakkerij Peeters",
            ],
        ),
        (
            "kind",
            [
                "Bakkerij Peeters",
                "Buurthuis De Klinker",
                "Vzw Elisabeth",
                "Élise Van Damme",
                "Jan Claes",
            ],
        ),
        (
            "district",  # by district name, actors without a district last
            [
                "Buurthuis De Klinker",
                "Vzw Elisabeth",
                "Bakkerij Peeters",
                "Élise Van Damme",
                "Jan Claes",
            ],
        ),
        (
            "last_contact",
            [
                "Vzw Elisabeth",
                "Élise Van Damme",
                "Buurthuis De Klinker",
                "Bakkerij Peeters",
                "Jan Claes",
            ],
        ),
    ],
)
def test_search_results_are_sorted(session, city, sort, expected):
    assert names(search_actors(session, sort=sort)) == expected


def test_search_pages_report_the_total(session, city):
    first = search_actors(session, per_page=2, page=1)
    last = search_actors(session, per_page=2, page=3)

    assert (first.total, first.pages, first.has_prev, first.has_next) == (5, 3, False, True)
    assert names(first) == ["Bakkerij Peeters", "Buurthuis De Klinker"]
    assert (names(last), last.has_prev, last.has_next) == (["Vzw Elisabeth"], True, False)


@pytest.mark.parametrize(
    ("page", "per_page", "expected"),
    [(0, 2, (1, 2, 2)), (-5, 2, (1, 2, 2)), (1, 0, (1, 1, 1)), (10**30, 2, (10**30, 2, 0))],
)
def test_out_of_range_page_numbers_do_not_fail(session, city, page, per_page, expected):
    # A negative OFFSET and one beyond 64 bits were errors on PostgreSQL.
    result = search_actors(session, page=page, per_page=per_page)

    assert (result.page, result.per_page, len(result.items)) == expected
    assert result.total == 5


# --- possible duplicates -------------------------------------------------------------------


def reasons(duplicates) -> list[tuple[str, str]]:
    return [(d.actor.name, d.reason) for d in duplicates]


def test_same_phone_in_another_format_is_a_possible_duplicate(session, make_actor):
    make_actor(name="Élise Van Damme", phone="03 778 30 60")

    found = find_possible_duplicates(session, name="E. Vandamme", phone="+32 3 778 30 60")

    assert reasons(found) == [("Élise Van Damme", "phone")]


def test_same_email_in_another_case_is_a_possible_duplicate(session, make_actor):
    make_actor(name="Bakkerij Peeters", kind="business", email="info@bakkerij-peeters.be")

    found = find_possible_duplicates(session, email="INFO@Bakkerij-Peeters.BE")

    assert reasons(found) == [("Bakkerij Peeters", "email")]


@pytest.mark.parametrize("typed", ["Peeters Jan", "Jan Peters", "jan  PEETERS"])
def test_very_similar_name_of_the_same_kind_is_a_possible_duplicate(session, make_actor, typed):
    make_actor(name="Jan Peeters", kind="resident")

    found = find_possible_duplicates(session, name=typed, kind="resident")

    assert reasons(found) == [("Jan Peeters", "name")]


def test_similar_name_of_another_kind_is_no_duplicate(session, make_actor):
    make_actor(name="Jan Peeters", kind="business")

    assert find_possible_duplicates(session, name="Jan Peeters", kind="resident") == []


def test_different_name_is_no_duplicate(session, make_actor):
    make_actor(name="Jan Peeters", kind="resident")

    assert find_possible_duplicates(session, name="Marie Dubois", kind="resident") == []


def test_actor_being_edited_is_not_its_own_duplicate(session, make_actor):
    actor = make_actor(name="Jan Peeters", phone="03 778 30 60")

    found = find_possible_duplicates(
        session, name="Jan Peeters", kind="resident", phone="037783060", exclude_id=actor.id
    )

    assert found == []


def test_duplicate_found_for_two_reasons_is_listed_once_with_the_first(session, make_actor):
    make_actor(name="Jan Peeters", phone="03 778 30 60", email="jan@peeters.be")

    found = find_possible_duplicates(
        session, name="Jan Peeters", kind="resident", phone="03 778 30 60", email="jan@peeters.be"
    )

    assert reasons(found) == [("Jan Peeters", "phone")]


# --- search by words (issue 11) --------------------------------------------------------------


@pytest.fixture
def praatcafes(make_actor):
    """Three names that share words."""
    make_actor(name="Praatcafé Belsele", kind="civic_association", district="Belsele")
    make_actor(name="Praatcafé De Brug", kind="civic_association", district="Sinaai")
    make_actor(name="Café Belle Vue", kind="business", district="Sint-Niklaas")


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("praatcafe bel", ["Praatcafé Belsele"]),  # every word, the last one unfinished
        ("bel praatcafe", ["Praatcafé Belsele"]),  # in any order
        ("PRAATCAFÉ   BELSELE", ["Praatcafé Belsele"]),  # case, accents and spaces ignored
        ("atcaf sele", ["Praatcafé Belsele"]),  # pieces inside words
        ("praatcafe", ["Praatcafé Belsele", "Praatcafé De Brug"]),
        ("cafe bel", ["Café Belle Vue", "Praatcafé Belsele"]),
        ("praatcafe vue", []),  # one word matches no name of the others
        ("brug bel", []),
    ],
)
def test_every_typed_word_must_match_the_name_in_any_order(session, praatcafes, typed, found):
    assert names(search_actors(session, q=typed)) == found


def test_the_words_of_a_search_must_all_be_in_the_same_name(session, praatcafes):
    # "belle" is in one name and "brug" in another: no single actor has both
    assert names(search_actors(session, q="belle brug")) == []


def test_on_postgresql_the_word_search_is_served_by_a_trigram_index(session, praatcafes):
    engine = session.get_bind()
    indexes = {index["name"] for index in inspect(engine).get_indexes("actors")}
    if engine.dialect.name != "postgresql":
        assert "ix_actors_search_name_trigram" not in indexes  # SQLite scans the names
        return
    assert "ix_actors_search_name_trigram" in indexes
    session.execute(text("SET LOCAL enable_seqscan = off"))  # three rows: force the choice
    query = select(Actor.id).where(name_contains("praatcafe bel"))
    sql = str(query.compile(engine, compile_kwargs={"literal_binds": True}))
    plan = "\n".join(session.scalars(text("EXPLAIN " + sql)))
    assert "ix_actors_search_name_trigram" in plan, plan
