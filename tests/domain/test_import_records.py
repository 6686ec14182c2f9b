"""The dry run and the import, all or nothing, with its record and its undo (crm, no Flask)."""

import json

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from crm.actors import create_actor, update_actor
from crm.contacts import log_contact
from crm.imports.plan import Answers
from crm.imports.records import (
    check_draft,
    get_import,
    import_draft,
    set_answers,
    set_mapping,
    start_import,
    undo_import,
)
from crm.imports.serial import plan_from_data, plan_to_data
from crm.messages import Invalid
from crm.models import Actor
from tests.domain.conftest import NOW, ago, count

HEADER = "Naam;Soort;Telefoon;E-mail;Adres;Postcode;Deelgemeente;Thema's;Niet bellen"
ROWS = [
    "Vzw De Link;Armoedevereniging;03 778 30 60;info@delink.be;Kazernestraat 12;9100;"
    "Sint-Niklaas;Armoede;nee",
    "Bakkerij Françoise;Bedrijf;0470/12.34.56;;Stationsstraat 3;9111;;Economie;",
    "Jan Peeters;Bewoner;+32 3 555 12 12;jan@peeters.be;Kerkstraat 1;9112;;;ja",
]


def belgian_csv(*rows: str, header: str = HEADER) -> bytes:
    """A list as Belgian Excel saves it: semicolons, Windows-1252, CRLF."""
    return "\r\n".join([header, *rows]).encode("cp1252") + b"\r\n"


def draft(session, data: bytes, name: str = "lijst.csv"):
    record, _table = start_import(session, data=data, file_name=name, created_by_id=None, now=NOW)
    session.commit()
    return record.id


def imported(session, data: bytes, **options):
    import_id = draft(session, data)
    outcome = import_draft(session, import_id, user_id=None, now=NOW, **options)
    session.commit()
    return outcome


def actor_named(session, name: str) -> Actor:
    return session.scalars(select(Actor).where(Actor.name == name)).one()


# --- the dry run ------------------------------------------------------------------------------


def test_the_dry_run_of_a_belgian_excel_list_says_every_row_is_new_and_writes_nothing(session):
    import_id = draft(session, belgian_csv(*ROWS))

    plan = check_draft(session, import_id)
    session.commit()

    assert [(row.number, row.action) for row in plan.rows] == [(2, "new"), (3, "new"), (4, "new")]
    assert plan.rows[0].values["phone"] == "+3237783060"
    assert plan.rows[0].values["kind"] == "poverty_organisation"
    assert plan.rows[1].values["name"] == "Bakkerij Françoise"
    assert plan.rows[1].values["district"] == "Belsele"  # from postcode 9111
    assert plan.rows[2].values["district"] == "Sinaai"
    assert plan.rows[2].values["do_not_phone"] is True
    assert count(session, Actor) == 0


def test_a_bad_cell_is_an_error_naming_the_cell_and_what_is_wrong(session):
    import_id = draft(session, belgian_csv(ROWS[0], "Piet Smet;Bewoner;3.2478E+10;;;;;;"))

    plan = check_draft(session, import_id)

    (bad,) = plan.rows_in_error()
    assert bad.number == 3
    (error,) = bad.errors
    assert (error.column, error.cell) == ("Telefoon", "C3")
    assert "Excel" in error.messages[0].render()


def test_a_row_without_a_name_is_an_error(session):
    import_id = draft(session, belgian_csv(ROWS[0], ";Bewoner;03 778 30 61;;;;;;"))

    (bad,) = check_draft(session, import_id).rows_in_error()

    assert bad.errors[0].column == "Naam"
    assert "name" in bad.errors[0].messages[0].render()


def test_a_list_without_a_name_column_is_refused_before_any_row(session):
    data = belgian_csv("03 778 30 60;Kazernestraat 1", header="Telefoon;Adres")

    with pytest.raises(Invalid) as refused:
        check_draft(session, draft(session, data))

    assert list(refused.value.errors) == ["name"]


def test_a_corrected_mapping_is_used_by_the_dry_run(session):
    data = belgian_csv("Vzw De Link;03 778 30 60", header="Organisatie X;Nummer")
    import_id = draft(session, data)

    set_mapping(session, import_id, {"Organisatie X": "name", "Nummer": "phone"})
    plan = check_draft(session, import_id)

    assert plan.rows[0].values == {"name": "Vzw De Link", "phone": "+3237783060"}


def test_postcode_9100_without_a_district_asks_which_and_takes_the_answer(session):
    import_id = draft(session, belgian_csv("Buurthuis Nieuwkerken;Vereniging;;;Dorp 1;9100;;;"))

    (row,) = check_draft(session, import_id).rows
    assert row.question == ("Sint-Niklaas", "Nieuwkerken-Waas")
    assert "district" not in row.values

    set_answers(session, import_id, Answers(districts={2: "Nieuwkerken-Waas"}))
    (row,) = check_draft(session, import_id).rows
    assert (row.question, row.values["district"]) == ((), "Nieuwkerken-Waas")


def test_the_same_person_twice_in_one_file_is_a_duplicate_of_the_earlier_row(session):
    again = "jan peeters;Bewoner;03 555 12 12;;;;;;"
    import_id = draft(session, belgian_csv(ROWS[2], again))

    plan = check_draft(session, import_id)

    assert [row.action for row in plan.rows] == ["new", "duplicate"]
    assert plan.rows[1].matches[0].row == 2


def test_a_stored_actor_with_a_phone_in_another_format_is_an_update_naming_the_fields(session):
    stored = create_actor(session, name="De Link vzw", kind="civic_association", phone="037783060")
    session.commit()

    (row,) = check_draft(session, draft(session, belgian_csv(ROWS[0]))).rows

    assert (row.action, row.actor_id) == ("update", stored.id)
    assert set(row.changes) == {
        "kind",
        "email",
        "address",
        "postcode",
        "district",
        "themes",
    }


def test_a_similar_name_without_a_shared_detail_is_a_possible_duplicate_not_an_update(session):
    stored = create_actor(session, name="Jan Peters", kind="resident")
    session.commit()

    (row,) = check_draft(session, draft(session, belgian_csv(ROWS[2]))).rows

    assert row.action == "duplicate"
    assert [(m.actor_id, m.name) for m in row.matches] == [(stored.id, "Jan Peters")]
    assert "name" in row.matches[0].reasons


def test_a_possible_duplicate_the_user_adds_anyway_is_new(session):
    create_actor(session, name="Jan Peters", kind="resident")
    session.commit()
    import_id = draft(session, belgian_csv(ROWS[2]))

    set_answers(session, import_id, Answers(add_anyway=frozenset({2})))

    assert check_draft(session, import_id).rows[0].action == "new"


def test_a_dry_run_survives_its_trip_through_json(session):
    import_id = draft(session, belgian_csv(ROWS[0], "Piet;Onbekend;;;;;;;"))
    plan = check_draft(session, import_id)

    again = plan_from_data(json.loads(json.dumps(plan_to_data(plan))))

    assert again.rows == plan.rows
    assert again.counts == {"new": 1, "update": 0, "unchanged": 0, "duplicate": 0, "error": 1}
    assert "Onbekend" in again.rows[1].errors[0].messages[0].render()


# --- the import ------------------------------------------------------------------------------


def test_an_import_stores_the_rows_and_records_who_when_and_counts(session, make_colleague):
    coordinator = make_colleague("coordinator")
    import_id = draft(session, belgian_csv(*ROWS))

    outcome = import_draft(session, import_id, user_id=coordinator.id, now=NOW)
    session.commit()

    assert (outcome.new, outcome.updated, outcome.errors) == (3, 0, 0)
    link = actor_named(session, "Vzw De Link")
    assert (link.kind, link.phone, link.district.name) == (
        "poverty_organisation",
        "+3237783060",
        "Sint-Niklaas",
    )
    assert [t.name for t in link.themes] == ["armoede"]
    record = get_import(session, import_id)
    assert (record.status, record.imported_by_id, record.imported_at) == (
        "imported",
        coordinator.id,
        NOW,
    )
    assert (record.file_name, record.rows, record.new_count) == ("lijst.csv", 3, 3)
    assert record.data is None  # the file is not kept once imported


def test_importing_the_same_file_twice_adds_nothing_the_second_time(session):
    imported(session, belgian_csv(*ROWS))

    second = imported(session, belgian_csv(*ROWS))

    assert (second.new, second.updated, second.unchanged) == (0, 0, 3)
    assert count(session, Actor) == 3


def test_one_bad_row_in_ten_thousand_stores_nothing(session):
    rows = [f"Bewoner {n};Bewoner;;bewoner{n}@example.be;;;;;" for n in range(10_000)]
    rows[6_789] = "Bewoner X;Bewoner;;geen-adres;;;;;"
    import_id = draft(session, belgian_csv(*rows))

    with pytest.raises(Invalid) as refused:
        import_draft(session, import_id, user_id=None, now=NOW)
    session.rollback()

    assert "6791" in refused.value.errors["rows"][0].render()
    assert count(session, Actor) == 0
    assert get_import(session, import_id).status == "draft"


def test_skipping_the_rows_in_error_imports_the_others_and_counts_the_skipped(session):
    outcome = imported(session, belgian_csv(ROWS[0], "Piet;Onbekend;;;;;;;"), skip_invalid=True)

    assert (outcome.new, outcome.errors) == (1, 1)
    report = json.loads(get_import(session, outcome.import_id).report)
    assert [(row["number"], row["action"]) for row in report] == [(3, "error")]


def test_an_import_checks_again_when_data_changed_since_the_dry_run(session):
    import_id = draft(session, belgian_csv(ROWS[2]))
    plan = check_draft(session, import_id)
    create_actor(session, name="Jan Peeters", kind="resident", phone="+3235551212")
    session.commit()

    outcome = import_draft(session, import_id, user_id=None, checked=plan, now=NOW)
    session.commit()

    assert (outcome.new, outcome.updated) == (0, 1)
    assert count(session, Actor) == 1


# --- undo ------------------------------------------------------------------------------------


def test_undo_removes_the_created_actors_and_restores_the_changed_ones(session):
    stored = create_actor(session, name="De Link vzw", kind="civic_association", phone="037783060")
    session.commit()
    outcome = imported(session, belgian_csv(*ROWS))
    assert (outcome.new, outcome.updated) == (2, 1)

    undo_import(session, outcome.import_id, user_id=None, now=NOW)
    session.commit()

    assert [a.name for a in session.scalars(select(Actor))] == ["De Link vzw"]
    session.refresh(stored)
    assert (stored.kind, stored.email, stored.themes) == ("civic_association", None, [])
    record = get_import(session, outcome.import_id)
    assert (record.status, record.undone_at) == ("undone", NOW)


def test_undo_is_refused_once_an_imported_actor_was_contacted(session):
    outcome = imported(session, belgian_csv(*ROWS))
    link = actor_named(session, "Vzw De Link")
    log_contact(
        session,
        actor_id=link.id,
        channel="phone",
        outcome="reached",
        occurred_at=ago(hours=1),
        now=NOW,
    )
    session.commit()

    with pytest.raises(Invalid) as refused:
        undo_import(session, outcome.import_id, user_id=None, now=NOW)
    session.rollback()

    assert "Vzw De Link" in refused.value.errors["import"][0].render()
    assert count(session, Actor) == 3


def test_undo_is_refused_once_an_imported_actor_was_edited(session):
    outcome = imported(session, belgian_csv(*ROWS))
    jan = actor_named(session, "Jan Peeters")
    update_actor(session, jan.id, version=jan.version, notes="Belt liever 's avonds")
    session.commit()

    with pytest.raises(Invalid):
        undo_import(session, outcome.import_id, user_id=None, now=NOW)
    session.rollback()

    assert count(session, Actor) == 3


# --- files as people have them, imported end to end -------------------------------------------


def test_an_xlsx_list_is_imported_with_its_cells_as_the_user_sees_them(session, tmp_path):
    workbook = Workbook()
    workbook.active.append(["Naam", "GSM", "Postcode", "Soort"])
    workbook.active.append(["Café De Zwaan", "0470 12 34 56", 9112, "Handelaar"])
    path = tmp_path / "lijst.xlsx"
    workbook.save(path)

    outcome = imported(session, path.read_bytes())

    zwaan = actor_named(session, "Café De Zwaan")
    assert (outcome.new, zwaan.phone, zwaan.postcode, zwaan.district.name, zwaan.kind) == (
        1,
        "+32470123456",
        "9112",
        "Sinaai",
        "business",
    )


def test_a_utf8_list_with_bom_keeps_its_first_column_and_accents(session):
    data = "\ufeffNaam,E-mail\r\nRené Geeraerts,RENE@Voorbeeld.be\r\n".encode()

    imported(session, data)

    rene = actor_named(session, "René Geeraerts")
    assert rene.email == "rene@voorbeeld.be"


def test_a_formula_in_a_cell_is_stored_as_its_text(session):
    data = belgian_csv("=SUM(A1:A3)*2;Bewoner;;;;;;;")

    imported(session, data)

    (actor,) = session.scalars(select(Actor)).all()
    assert actor.name == "=SUM(A1:A3)*2"


def test_two_people_of_the_same_common_name_at_different_addresses_are_both_new(session):
    create_actor(
        session, name="Jan Peeters", kind="resident", address="Kerkstraat 1", postcode="9112"
    )
    session.commit()
    data = belgian_csv("Jan Peeters;Bewoner;;;Stationsstraat 80;9100;Sint-Niklaas;;")

    (row,) = check_draft(session, draft(session, data)).rows

    assert (row.action, row.matches) == ("new", ())


def test_two_rows_that_are_the_same_stored_actor_update_it_once(session):
    stored = create_actor(
        session, name="Jan Peeters", kind="resident", phone="035551212", email="jan@peeters.be"
    )
    session.commit()
    by_phone = "Jan Peeters;Bewoner;03 555 12 12;;;;;;"
    by_email = "Jan Peeters;Bewoner;;JAN@peeters.be;Kerkstraat 1;9112;;;"

    plan = check_draft(session, draft(session, belgian_csv(by_phone, by_email)))

    assert [(r.action, r.actor_id) for r in plan.rows] == [
        ("unchanged", stored.id),
        ("duplicate", None),
    ]
    assert plan.rows[1].matches[0].row == 2


def test_a_name_in_other_letters_or_with_a_legal_form_keeps_the_stored_spelling(session):
    create_actor(session, name="Garage Peeters", kind="business", phone="037734633")
    session.commit()
    data = belgian_csv("GARAGE PEETERS BV;Bedrijf;03 773 46 33;;;;;;")

    (row,) = check_draft(session, draft(session, data)).rows

    assert (row.action, row.changes) == ("unchanged", ())


def test_the_dry_run_tells_its_progress_while_it_compares_the_rows(session):
    for name in ("Jan Peters", "Bakkerij Francoise", "Vzw De Link", "Marie Claeys"):
        create_actor(session, name=name, kind="resident")
    session.commit()
    rows = ["Jan Peeters;Bewoner;;;;;;;", "Bakkerij Françoise;Bedrijf;;;;;;;"]
    rows += ["De Link;Armoedevereniging;;;;;;;", "Marie Claes;Bewoner;;;;;;;"]
    told = []

    check_draft(session, draft(session, belgian_csv(*rows)), progress=lambda *a: told.append(a))

    # (step, rows done, rows): it moves while the names are compared (most of the time), not
    # only from 0 to all at the end
    assert told == [
        ("checking", 0, 4),
        ("checking", 0, 4),
        ("checking", 1, 4),
        ("checking", 2, 4),
        ("checking", 2, 4),
        ("checking", 3, 4),
        ("checking", 4, 4),
        ("checking", 4, 4),
    ]
