"""`flask import actors|kbo|undo`: the dry run, the import all or nothing, and its undo."""

import json

import pytest
from sqlalchemy import func, select

from crm.models import Actor, ImportRecord
from tests.domain.test_kbo import CONTACT, SINT_NIKLAAS, write_extract

HEADER = "Naam;Soort;Telefoon;E-mail;Adres;Postcode;Deelgemeente;Thema's;Niet bellen"
ROWS = [
    "Vzw De Link;Armoedevereniging;03 778 30 60;info@delink.be;Kazernestraat 12;9100;"
    "Sint-Niklaas;Armoede;nee",
    "Bakkerij Françoise;Bedrijf;0470/12.34.56;;Stationsstraat 3;9111;;Economie;",
    "Jan Peeters;Bewoner;+32 3 555 12 12;jan@peeters.be;Kerkstraat 1;9112;;;ja",
]
BAD_ROW = "Piet Smet;Bewoner;3.2478E+10;;;;;;"


@pytest.fixture
def flask_cli(app):
    runner = app.test_cli_runner()

    def run(*args: str):
        return runner.invoke(args=[str(arg) for arg in args])

    return run


@pytest.fixture
def belgian_csv(tmp_path):
    """A list as Belgian Excel saves it (';', Windows-1252, CRLF), written to a file."""

    def write(*rows: str, header: str = HEADER, name: str = "lijst.csv"):
        path = tmp_path / name
        path.write_bytes("\r\n".join([header, *rows]).encode("cp1252") + b"\r\n")
        return path

    return write


def count(session, model) -> int:
    """Rows of `model` as the command committed them."""
    session.commit()
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


def names(session) -> list[str]:
    session.commit()
    return list(session.scalars(select(Actor.name).order_by(Actor.name)))


def test_a_dry_run_prints_the_counts_in_dutch_and_stores_nothing(flask_cli, session, belgian_csv):
    result = flask_cli("import", "actors", belgian_csv(*ROWS), "--dry-run")

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Nieuw: 3, bijgewerkt: 0, ongewijzigd: 0, mogelijke dubbels: 0, fouten: 0.",
        "Proefdraai: er werd niets opgeslagen.",
    ]
    assert count(session, Actor) == 0
    assert count(session, ImportRecord) == 0  # not even the draft


def test_an_import_stores_the_actors_and_says_how_to_undo_it(flask_cli, session, belgian_csv):
    result = flask_cli("import", "actors", belgian_csv(*ROWS))

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Nieuw: 3, bijgewerkt: 0, ongewijzigd: 0, mogelijke dubbels: 0, fouten: 0.",
        "Import 1 klaar: 3 nieuwe actoren, 0 bijgewerkt.",
        "Ongedaan maken met: flask --app app import undo 1",
    ]
    assert names(session) == ["Bakkerij Françoise", "Jan Peeters", "Vzw De Link"]
    record = session.get(ImportRecord, 1)
    assert (record.status, record.file_name, record.new_count) == ("imported", "lijst.csv", 3)


def test_one_bad_row_exits_1_names_the_cell_and_stores_nothing(flask_cli, session, belgian_csv):
    result = flask_cli("import", "actors", belgian_csv(ROWS[0], BAD_ROW, ROWS[2]))

    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "Nieuw: 2, bijgewerkt: 0, ongewijzigd: 0, mogelijke dubbels: 0, fouten: 1."
    assert lines[1].startswith("Rij 3, cel C3 (Telefoon): ")
    assert "3.2478E+10" in lines[1]
    assert "--skip-invalid" in result.stderr
    assert count(session, Actor) == 0
    assert count(session, ImportRecord) == 0


def test_skip_invalid_imports_the_other_rows(flask_cli, session, belgian_csv):
    result = flask_cli("import", "actors", belgian_csv(ROWS[0], BAD_ROW), "--skip-invalid")

    assert result.exit_code == 0, result.output
    assert "Import 1 klaar: 1 nieuwe actoren, 0 bijgewerkt." in result.stdout
    assert names(session) == ["Vzw De Link"]
    assert session.get(ImportRecord, 1).error_count == 1


def test_importing_the_same_file_twice_adds_nothing_the_second_time(
    flask_cli, session, belgian_csv
):
    path = belgian_csv(*ROWS)
    flask_cli("import", "actors", path)

    again = flask_cli("import", "actors", path)

    assert again.exit_code == 0, again.output
    assert again.stdout.splitlines()[0] == (
        "Nieuw: 0, bijgewerkt: 0, ongewijzigd: 3, mogelijke dubbels: 0, fouten: 0."
    )
    assert count(session, Actor) == 3


def test_a_possible_duplicate_is_printed_with_whom_and_why(
    flask_cli, session, belgian_csv, make_actor
):
    make_actor(name="De Link VZW", kind="poverty_organisation")
    session.commit()

    result = flask_cli("import", "actors", belgian_csv(ROWS[0]), "--dry-run")

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1] == (
        "Rij 2 (Vzw De Link) is misschien De Link VZW (actor 1): gelijkaardige naam."
    )


def test_a_mapping_file_names_the_columns(flask_cli, session, belgian_csv, tmp_path):
    path = belgian_csv("Buurthuis Sinaai;03 772 11 22", header="Organisatie;Nummer")
    mapping = tmp_path / "koppeling.json"
    mapping.write_text(json.dumps({"Organisatie": "name", "Nummer": "phone"}), encoding="utf-8")

    result = flask_cli("import", "actors", path, "--mapping", mapping)

    assert result.exit_code == 0, result.output
    session.commit()
    actor = session.scalars(select(Actor)).one()
    assert (actor.name, actor.phone) == ("Buurthuis Sinaai", "+3237721122")


def test_a_file_without_a_name_column_exits_2_with_a_clear_message(flask_cli, session, belgian_csv):
    result = flask_cli("import", "actors", belgian_csv("03 772 11 22", header="Nummer"))

    assert result.exit_code == 2
    assert result.stderr.startswith("Het bestand kan niet geïmporteerd worden:\n  name: ")
    assert "Traceback" not in result.output
    assert count(session, ImportRecord) == 0


def test_a_missing_file_exits_2(flask_cli, tmp_path):
    result = flask_cli("import", "actors", tmp_path / "weg.csv")

    assert result.exit_code == 2
    assert result.stderr.startswith(f"{tmp_path / 'weg.csv'} kan niet gelezen worden: ")


def test_a_mapping_that_is_not_a_json_object_exits_2(flask_cli, belgian_csv, tmp_path):
    mapping = tmp_path / "koppeling.json"
    mapping.write_text('["name"]', encoding="utf-8")

    result = flask_cli("import", "actors", belgian_csv(*ROWS), "--mapping", mapping)

    assert result.exit_code == 2
    assert "is geen kolomkoppeling" in result.stderr


def test_the_messages_are_in_english_on_request(flask_cli, belgian_csv):
    result = flask_cli("import", "actors", belgian_csv(*ROWS), "--dry-run", "--lang", "en")

    assert result.stdout.splitlines() == [
        "New: 3, updated: 0, unchanged: 0, possible duplicates: 0, errors: 0.",
        "Dry run: nothing was stored.",
    ]


def test_the_import_is_recorded_for_the_user_given(flask_cli, session, belgian_csv, make_user):
    user = make_user("coordinator", email="co@sint-niklaas.be")
    session.commit()

    result = flask_cli("import", "actors", belgian_csv(*ROWS), "--user", "co@sint-niklaas.be")

    assert result.exit_code == 0, result.output
    assert session.get(ImportRecord, 1).imported_by_id == user.id


def test_an_unknown_user_exits_2(flask_cli, belgian_csv):
    result = flask_cli("import", "actors", belgian_csv(*ROWS), "--user", "niemand@example.org")

    assert result.exit_code == 2
    assert result.stderr == "Er is geen account voor niemand@example.org.\n"


def test_undo_takes_the_import_back(flask_cli, session, belgian_csv):
    flask_cli("import", "actors", belgian_csv(*ROWS))

    result = flask_cli("import", "undo", "1")

    assert result.exit_code == 0, result.output
    assert result.stdout == "Import 1 is ongedaan gemaakt.\n"
    assert count(session, Actor) == 0


def test_undo_of_an_unknown_import_exits_2(flask_cli):
    result = flask_cli("import", "undo", "7")

    assert result.exit_code == 2
    assert "7" in result.stderr


# --- the KBO register ---------------------------------------------------------------------------


def kbo(flask_cli, directory, *options: str):
    postcodes = [arg for code in SINT_NIKLAAS for arg in ("--postcode", code)]
    return flask_cli("import", "kbo", directory, *postcodes, *options)


def test_a_kbo_import_stores_the_enterprises_of_the_postcodes(flask_cli, session, tmp_path):
    result = kbo(flask_cli, write_extract(tmp_path / "extract"))

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "6 ondernemingen gelezen: 3 te importeren in de gekozen postcodes, 2 daar weggelaten "
        "(stopgezet, zonder naam of met een ongeldig nummer).",
        "Nieuw: 3, bijgewerkt: 0, ongewijzigd: 0, mogelijke dubbels: 0, fouten: 0.",
        "Import 1 klaar: 3 nieuwe actoren, 0 bijgewerkt.",
        "Ongedaan maken met: flask --app app import undo 1",
    ]
    session.commit()
    assert sorted(session.scalars(select(Actor.enterprise_number))) == [
        "0403.170.701",
        "0417.000.129",
        "0417.000.426",
    ]
    record = session.get(ImportRecord, 1)
    assert (record.source, record.file_name) == ("kbo", "extract")


def test_a_kbo_re_import_updates_rather_than_adds(flask_cli, session, tmp_path):
    directory = write_extract(tmp_path / "extract")
    kbo(flask_cli, directory)
    write_extract(directory, contact=CONTACT.replace("03/776.12.34", "03/776.99.99"))

    again = kbo(flask_cli, directory)

    assert again.exit_code == 0, again.output
    assert again.stdout.splitlines()[1] == (
        "Nieuw: 0, bijgewerkt: 1, ongewijzigd: 2, mogelijke dubbels: 0, fouten: 0."
    )
    assert count(session, Actor) == 3


def test_a_kbo_dry_run_stores_nothing(flask_cli, session, tmp_path):
    result = kbo(flask_cli, write_extract(tmp_path), "--dry-run")

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "Proefdraai: er werd niets opgeslagen."
    assert count(session, Actor) == 0
    assert count(session, ImportRecord) == 0


def test_a_folder_without_the_extract_exits_2(flask_cli, tmp_path):
    result = kbo(flask_cli, tmp_path)

    assert result.exit_code == 2
    assert result.stderr.startswith("Het KBO-uittreksel kan niet geïmporteerd worden:\n")
