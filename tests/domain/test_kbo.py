"""Reading the KBO Open Data extract: small extracts written in the register's format."""

from pathlib import Path

import pytest

from crm.actors import create_actor
from crm.kbo import (
    KboEnterprise,
    SkippedEnterprise,
    SkipReason,
    kbo_actor_fields,
    kind_of_legal_form,
    read_kbo_extract,
)
from crm.messages import Invalid
from crm.vocabulary import Kind

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
    }
    return KboEnterprise(**{**values, **changes})


def test_actor_fields_carry_the_enterprise_number_in_the_notes():
    fields = kbo_actor_fields(enterprise(), districts=["Sint-Niklaas", "Belsele"])

    assert fields == {
        "name": "Buurtwerk De Klaproos",
        "kind": "civic_association",
        "address": "Kerkstraat 12 bus 3",
        "postcode": "9111",
        "district": "Belsele",
        "phone": "+3237761234",
        "email": "info@klaproos.be",
        "notes": "KBO 0417.000.129",
    }


def test_actor_fields_keep_an_unusable_phone_and_email_in_the_notes():
    fields = kbo_actor_fields(
        enterprise(phone="03/776.12", email="info at klaproos", municipality="Temse")
    )

    assert "phone" not in fields and "email" not in fields and "district" not in fields
    assert fields["notes"] == "KBO 0417.000.129\nKBO tel: 03/776.12\nKBO e-mail: info at klaproos"


def test_actor_fields_create_an_actor(session):
    actor = create_actor(session, **kbo_actor_fields(enterprise(kind=Kind.BUSINESS)))

    assert (actor.name, actor.kind, actor.phone, actor.postcode, actor.notes) == (
        "Buurtwerk De Klaproos",
        "business",
        "+3237761234",
        "9111",
        "KBO 0417.000.129",
    )


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
