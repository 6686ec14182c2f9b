"""Reading the KBO Open Data extract: small extracts written in the register's format."""

from pathlib import Path

import pytest
from sqlalchemy import select

from crm.actors import set_archived
from crm.imports.records import get_import, undo_import
from crm.kbo import (
    KboEnterprise,
    SkippedEnterprise,
    SkipReason,
    check_kbo,
    import_kbo,
    kbo_actor_fields,
    kbo_rows,
    kind_of_legal_form,
    read_kbo_extract,
)
from crm.messages import Invalid
from crm.models import Actor
from crm.vocabulary import Kind
from tests.domain.conftest import NOW, count

# As the register writes its files: a header row, comma-separated, text in double quotes,
# empty values (JuridicalFormCAC, a Belgian address's country) unquoted, dates unquoted.
ENTERPRISE = """\
"EnterpriseNumber","Status","JuridicalSituation","TypeOfEnterprise","JuridicalForm","JuridicalFormCAC","StartDate"
"0403.170.701","AC","000","2","014",,12-03-1952
"0417.000.129","AC","000","2","017",,01-09-1999
"0417.000.228","AC","000","2","610",,15-05-2020
"0417.000.327","ST","000","2","015",,01-01-1990
"0417.000.130","AC","000","2","610",,01-01-2001
"0417.000.426","AC","000","2","610",,20-02-2015
"""

DENOMINATION = """\
"EntityNumber","Language","TypeOfDenomination","Denomination"
"0403.170.701","1","001","Brasserie du Waes"
"0403.170.701","2","001","Brouwerij van het Waasland"
"0403.170.701","2","002","BVW"
"0417.000.129","2","001","Buurtwerk De Klaproos"
"0417.000.228","2","001","Havenlogistiek Antwerpen"
"0417.000.327","2","001","Bakkerij Gesloten"
"0417.000.130","2","001","Verkeerd Nummer"
"0417.000.426","1","001","Transports Sinaai"
"""

ADDRESS = """\
"EntityNumber","TypeOfAddress","CountryNL","CountryFR","Zipcode","MunicipalityNL","MunicipalityFR","StreetNL","StreetFR","HouseNumber","Box","ExtraAddressInfo","DateStrikingOff"
"0403.170.701","REGO",,,"9100","Sint-Niklaas","Saint-Nicolas","Grote Markt","Grote Markt","1","","",
"0417.000.129","REGO",,,"9111","Belsele","Belsele","Kerkstraat","Kerkstraat","12","3","",
"0417.000.228","REGO",,,"2000","Antwerpen","Anvers","Meir","Meir","50","","",
"0417.000.327","REGO",,,"9100","Sint-Niklaas","Saint-Nicolas","Stationsstraat","Stationsstraat","8","","",
"0417.000.130","REGO",,,"9100","Sint-Niklaas","Saint-Nicolas","Parklaan","Parklaan","20","","",
"0417.000.426","REGO",,,"9112","Sinaai","Sinaai","Dorpsstraat","Dorpsstraat","5","","",
"""

CONTACT = """\
"EntityNumber","EntityContact","ContactType","Value"
"0417.000.129","ENT","TEL","03/776.12.34"
"0417.000.129","ENT","EMAIL","info@klaproos.be"
"0417.000.129","ENT","WEB","www.klaproos.be"
"""

ACTIVITY = """\
"EntityNumber","ActivityGroup","NaceVersion","NaceCode","Classification"
"0403.170.701","001","2008","11050","MAIN"
"0417.000.129","006","2008","88991","MAIN"
"0417.000.129","001","2025","94991","MAIN"
"0417.000.129","001","2025","85599","SECO"
"""

SINT_NIKLAAS = ("9100", "9111", "9112")


def write_extract(directory: Path, **files: str) -> Path:
    """An extract folder with the five files above, any of them replaced by `files`."""
    directory.mkdir(parents=True, exist_ok=True)
    contents = {
        "enterprise.csv": ENTERPRISE,
        "denomination.csv": DENOMINATION,
        "address.csv": ADDRESS,
        "contact.csv": CONTACT,
        "activity.csv": ACTIVITY,
    }
    contents.update({f"{name}.csv": text for name, text in files.items()})
    for name, text in contents.items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


def by_number(extract) -> dict[str, KboEnterprise]:
    return {e.enterprise_number: e for e in extract.enterprises}


def test_a_vzw_in_belsele_is_read_with_its_phone_email_and_main_activity(tmp_path):
    extract = read_kbo_extract(write_extract(tmp_path), postcodes=SINT_NIKLAAS)

    assert by_number(extract)["0417.000.129"] == KboEnterprise(
        enterprise_number="0417.000.129",
        name="Buurtwerk De Klaproos",
        legal_form="017",
        kind=Kind.CIVIC_ASSOCIATION,
        address="Kerkstraat 12 bus 3",
        postcode="9111",
        municipality="Belsele",
        phone="03/776.12.34",
        email="info@klaproos.be",
        main_nace_code="94991",
        nace_version="2025",
        line=3,
    )


def test_an_nv_with_a_dutch_and_a_french_name_gets_the_dutch_one(tmp_path):
    extract = read_kbo_extract(write_extract(tmp_path), postcodes=SINT_NIKLAAS)

    nv = by_number(extract)["0403.170.701"]
    assert (nv.name, nv.kind, nv.legal_form) == ("Brouwerij van het Waasland", Kind.BUSINESS, "014")
    assert (nv.address, nv.postcode, nv.phone, nv.email) == ("Grote Markt 1", "9100", None, None)
    assert (nv.main_nace_code, nv.nace_version) == ("11050", "2008")


def test_an_enterprise_with_only_a_french_name_keeps_it(tmp_path):
    extract = read_kbo_extract(write_extract(tmp_path), postcodes=SINT_NIKLAAS)

    assert by_number(extract)["0417.000.426"].name == "Transports Sinaai"


def test_only_active_enterprises_of_the_chosen_postcodes_are_kept_in_file_order(tmp_path):
    extract = read_kbo_extract(write_extract(tmp_path), postcodes=SINT_NIKLAAS)

    assert [e.enterprise_number for e in extract.enterprises] == [
        "0403.170.701",
        "0417.000.129",
        "0417.000.426",
    ]


def test_the_report_counts_rows_read_kept_outside_and_skipped_with_reasons(tmp_path):
    report = read_kbo_extract(write_extract(tmp_path), postcodes=SINT_NIKLAAS).report

    assert (report.read, report.kept, report.outside_postcodes) == (6, 3, 1)
    assert report.skipped == (
        SkippedEnterprise(line=5, enterprise_number="0417.000.327", reason=SkipReason.NOT_ACTIVE),
        SkippedEnterprise(
            line=6, enterprise_number="0417.000.130", reason=SkipReason.INVALID_NUMBER
        ),
    )
    assert report.skipped_by_reason() == {SkipReason.NOT_ACTIVE: 1, SkipReason.INVALID_NUMBER: 1}


def test_other_postcodes_select_other_enterprises(tmp_path):
    extract = read_kbo_extract(write_extract(tmp_path), postcodes=["2000"])

    assert [e.name for e in extract.enterprises] == ["Havenlogistiek Antwerpen"]
    assert (extract.report.kept, extract.report.outside_postcodes) == (1, 5)


def test_an_enterprise_without_a_name_is_skipped(tmp_path):
    denominations = """\
"EntityNumber","Language","TypeOfDenomination","Denomination"
"0403.170.701","2","001","Brouwerij van het Waasland"
"""
    extract = read_kbo_extract(
        write_extract(tmp_path, denomination=denominations), postcodes=["9112"]
    )

    assert extract.enterprises == []
    assert extract.report.skipped == (
        SkippedEnterprise(line=7, enterprise_number="0417.000.426", reason=SkipReason.NO_NAME),
    )


def test_a_commercial_name_stands_in_for_a_missing_legal_name(tmp_path):
    denominations = """\
"EntityNumber","Language","TypeOfDenomination","Denomination"
"0417.000.426","2","002","TS"
"0417.000.426","1","003","Transports Sinaai Express"
"""
    extract = read_kbo_extract(
        write_extract(tmp_path, denomination=denominations), postcodes=["9112"]
    )

    assert [e.name for e in extract.enterprises] == ["Transports Sinaai Express"]


def test_struck_off_foreign_and_establishment_addresses_do_not_select(tmp_path):
    addresses = """\
"EntityNumber","TypeOfAddress","CountryNL","CountryFR","Zipcode","MunicipalityNL","MunicipalityFR","StreetNL","StreetFR","HouseNumber","Box","ExtraAddressInfo","DateStrikingOff"
"0403.170.701","REGO",,,"9100","Sint-Niklaas","Saint-Nicolas","Ankerstraat","Ankerstraat","4","","",13-11-2023
"0417.000.129","BAET",,,"9111","Belsele","Belsele","Kerkstraat","Kerkstraat","12","","",
"0417.000.426","REGO","Nederland","Pays-Bas","9112","Sinaai","Sinaai","Dorpsstraat","Dorpsstraat","5","","",
"""
    extract = read_kbo_extract(write_extract(tmp_path, address=addresses), postcodes=SINT_NIKLAAS)

    assert extract.enterprises == []
    assert extract.report.outside_postcodes == 6


def test_a_short_row_and_a_badly_encoded_byte_do_not_stop_the_reading(tmp_path):
    write_extract(tmp_path)
    enterprises = ENTERPRISE + '"0417.000.525","AC"\n'
    (tmp_path / "enterprise.csv").write_bytes(enterprises.encode("utf-8"))
    denominations = DENOMINATION.encode("utf-8") + b'"0417.000.525","2","001","Caf\xe9 Zonder"\n'
    (tmp_path / "denomination.csv").write_bytes(denominations)
    addresses = ADDRESS + (
        '"0417.000.525","REGO",,,"9100","Sint-Niklaas","Saint-Nicolas","Markt","Markt","2",,,\n'
    )
    (tmp_path / "address.csv").write_text(addresses, encoding="utf-8")

    extract = read_kbo_extract(tmp_path, postcodes=SINT_NIKLAAS)

    cafe = by_number(extract)["0417.000.525"]
    assert (cafe.name, cafe.legal_form, cafe.address) == ("Caf\ufffd Zonder", "", "Markt 2")


def test_a_missing_file_is_refused_with_its_name(tmp_path):
    write_extract(tmp_path)
    (tmp_path / "contact.csv").unlink()

    with pytest.raises(Invalid) as refused:
        read_kbo_extract(tmp_path, postcodes=SINT_NIKLAAS)

    assert str(refused.value) == "directory: The KBO extract has no file contact.csv."


def test_a_missing_column_is_refused_with_file_and_column(tmp_path):
    contacts = '"EntityNumber","EntityContact","Value"\n'
    write_extract(tmp_path, contact=contacts)

    with pytest.raises(Invalid) as refused:
        read_kbo_extract(tmp_path, postcodes=SINT_NIKLAAS)

    assert str(refused.value) == (
        "directory: contact.csv of the KBO extract has no column ContactType."
    )


def enterprise(**changes) -> KboEnterprise:
    values = {
        "enterprise_number": "0417.000.129",
        "name": "Buurtwerk De Klaproos",
        "legal_form": "017",
        "kind": Kind.CIVIC_ASSOCIATION,
        "address": "Kerkstraat 12 bus 3",
        "postcode": "9111",
        "municipality": "Belsele",
        "phone": "03/776.12.34",
        "email": "Info@Klaproos.be",
        "main_nace_code": "94991",
        "nace_version": "2025",
        "line": 3,
    }
    return KboEnterprise(**{**values, **changes})


def test_actor_fields_carry_the_enterprise_number_in_its_own_field():
    fields = kbo_actor_fields(enterprise(), districts=["Sint-Niklaas", "Belsele"])

    assert fields == {
        "name": "Buurtwerk De Klaproos",
        "kind": "civic_association",
        "address": "Kerkstraat 12 bus 3",
        "postcode": "9111",
        "enterprise_number": "0417.000.129",
        "district": "Belsele",
        "phone": "+3237761234",
        "email": "info@klaproos.be",
    }


def test_actor_fields_keep_an_unusable_phone_and_email_in_the_notes():
    fields = kbo_actor_fields(
        enterprise(phone="03/776.12", email="info at klaproos", municipality="Temse")
    )

    assert "phone" not in fields and "email" not in fields and "district" not in fields
    assert fields["notes"] == "KBO tel: 03/776.12\nKBO e-mail: info at klaproos"
    assert fields["enterprise_number"] == "0417.000.129"


def test_the_rows_of_an_extract_are_numbered_by_their_line_in_enterprise_csv(tmp_path):
    extract = read_kbo_extract(write_extract(tmp_path), postcodes=SINT_NIKLAAS)

    rows = kbo_rows(extract, districts=["Sint-Niklaas", "Belsele", "Sinaai"])

    assert [(row.number, row.values["enterprise_number"], row.errors) for row in rows] == [
        (2, "0403.170.701", ()),
        (3, "0417.000.129", ()),
        (7, "0417.000.426", ()),
    ]
    assert rows[1].values == {
        "name": "Buurtwerk De Klaproos",
        "kind": "civic_association",
        "address": "Kerkstraat 12 bus 3",
        "postcode": "9111",
        "enterprise_number": "0417.000.129",
        "district": "Belsele",
        "phone": "+3237761234",
        "email": "info@klaproos.be",
    }


def test_a_name_longer_than_an_actor_holds_is_the_error_of_its_row(tmp_path):
    long_name = "Vereniging " + "x" * 300
    denomination = DENOMINATION.replace("Buurtwerk De Klaproos", long_name)
    extract = read_kbo_extract(
        write_extract(tmp_path, denomination=denomination), postcodes=SINT_NIKLAAS
    )

    rows = kbo_rows(extract)

    assert [row.number for row in rows if row.errors] == [3]
    assert [(e.column, e.cell) for e in rows[1].errors] == [("name", "3")]


# --- importing the register (crm.imports.records.import_rows) ---------------------------------


def kbo_actors(session) -> list[tuple]:
    session.commit()
    query = select(Actor.enterprise_number, Actor.name, Actor.kind, Actor.phone).order_by(
        Actor.enterprise_number
    )
    return [tuple(row) for row in session.execute(query)]


def test_an_import_stores_the_enterprises_with_their_number(session, tmp_path):
    directory = write_extract(tmp_path / "KboOpenData_0140_2025_10")

    result = import_kbo(session, directory, postcodes=SINT_NIKLAAS, user_id=None, now=NOW)
    session.commit()

    outcome = result.outcome
    assert (outcome.new, outcome.updated, outcome.unchanged, outcome.errors) == (3, 0, 0, 0)
    assert result.report.kept == 3
    assert kbo_actors(session) == [
        ("0403.170.701", "Brouwerij van het Waasland", "business", None),
        ("0417.000.129", "Buurtwerk De Klaproos", "civic_association", "+3237761234"),
        ("0417.000.426", "Transports Sinaai", "business", None),
    ]
    record = get_import(session, outcome.import_id)
    assert (record.source, record.file_name, record.status) == (
        "kbo",
        "KboOpenData_0140_2025_10",
        "imported",
    )


def test_a_re_import_of_the_same_extract_adds_nothing(session, tmp_path):
    directory = write_extract(tmp_path)
    import_kbo(session, directory, postcodes=SINT_NIKLAAS, user_id=None, now=NOW)
    session.commit()

    again = import_kbo(session, directory, postcodes=SINT_NIKLAAS, user_id=None, now=NOW).outcome
    session.commit()

    assert (again.new, again.updated, again.unchanged, again.duplicates) == (0, 0, 3, 0)
    assert count(session, Actor) == 3


def test_a_re_import_with_a_changed_phone_updates_that_actor(session, tmp_path):
    import_kbo(session, write_extract(tmp_path), postcodes=SINT_NIKLAAS, user_id=None, now=NOW)
    session.commit()
    contact = CONTACT.replace("03/776.12.34", "03/776.99.99")

    again = import_kbo(
        session,
        write_extract(tmp_path, contact=contact),
        postcodes=SINT_NIKLAAS,
        user_id=None,
        now=NOW,
    ).outcome
    session.commit()

    assert (again.new, again.updated, again.unchanged) == (0, 1, 2)
    assert ("0417.000.129", "Buurtwerk De Klaproos", "civic_association", "+3237769999") in (
        kbo_actors(session)
    )
    assert count(session, Actor) == 3


def test_a_re_import_finds_an_enterprise_by_its_number_after_a_change_of_name(session, tmp_path):
    import_kbo(session, write_extract(tmp_path), postcodes=SINT_NIKLAAS, user_id=None, now=NOW)
    session.commit()
    renamed = DENOMINATION.replace("Buurtwerk De Klaproos", "Buurthuis Klaproos")

    again = import_kbo(
        session,
        write_extract(tmp_path, denomination=renamed),
        postcodes=SINT_NIKLAAS,
        user_id=None,
        now=NOW,
    ).outcome
    session.commit()

    assert (again.new, again.updated) == (0, 1)
    assert actor_with_number(session, "0417.000.129").name == "Buurthuis Klaproos"


def test_the_check_of_an_extract_says_what_an_import_would_do_and_writes_nothing(session, tmp_path):
    checked = check_kbo(session, write_extract(tmp_path), postcodes=SINT_NIKLAAS)
    session.commit()

    assert [(row.number, row.action) for row in checked.plan.rows] == [
        (2, "new"),
        (3, "new"),
        (7, "new"),
    ]
    assert count(session, Actor) == 0


def test_an_import_of_the_register_can_be_undone(session, tmp_path):
    outcome = import_kbo(
        session, write_extract(tmp_path), postcodes=SINT_NIKLAAS, user_id=None, now=NOW
    ).outcome
    session.commit()

    undo_import(session, outcome.import_id, user_id=None, now=NOW)
    session.commit()

    assert count(session, Actor) == 0


def test_a_re_import_does_not_change_an_archived_enterprise(session, tmp_path):
    directory = write_extract(tmp_path)
    import_kbo(session, directory, postcodes=SINT_NIKLAAS, user_id=None, now=NOW)
    klaproos = actor_with_number(session, "0417.000.129")
    set_archived(session, klaproos.id, True)
    session.commit()
    contact = CONTACT.replace("03/776.12.34", "03/776.99.99")

    checked = check_kbo(session, write_extract(tmp_path, contact=contact), postcodes=SINT_NIKLAAS)

    (row,) = [r for r in checked.plan.rows if r.action == "error"]
    assert row.errors[0].messages[0].render() == (
        "Buurtwerk De Klaproos is archived: restore it first to change it."
    )
    assert actor_with_number(session, "0417.000.129").phone == "+3237761234"


def actor_with_number(session, number: str) -> Actor:
    session.commit()
    return session.scalars(select(Actor).where(Actor.enterprise_number == number)).one()


@pytest.mark.parametrize(
    ("legal_form", "kind"),
    [
        ("017", Kind.CIVIC_ASSOCIATION),  # vzw
        ("125", Kind.CIVIC_ASSOCIATION),  # ivzw
        ("026", Kind.CIVIC_ASSOCIATION),  # private stichting
        ("029", Kind.CIVIC_ASSOCIATION),  # stichting van openbaar nut
        ("018", Kind.CIVIC_ASSOCIATION),  # instelling van openbaar nut
        ("117", Kind.BUSINESS),  # vzw of public law: not a civic association
        ("014", Kind.BUSINESS),  # nv
        ("610", Kind.BUSINESS),  # bv
        ("", Kind.BUSINESS),
    ],
)
def test_the_legal_form_sets_the_kind(legal_form, kind):
    assert kind_of_legal_form(legal_form) == kind
