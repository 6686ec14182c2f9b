"""Invitation list exports (crm/exports.py): CSV in both dialects, XLSX and the call sheet,
read back with the csv module and openpyxl, on SQLite and PostgreSQL."""

import csv
import io
import json
import zipfile
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from crm.actors import update_actor
from crm.events import create_event
from crm.exports import (
    call_sheet,
    count_invitation_export,
    download_name,
    invitation_csv_chunks,
    invitation_rows,
    list_exports,
    log_export,
    start_invitation_export,
    write_invitations_xlsx,
)
from crm.invitations import add_invitations
from crm.messages import Invalid, NotFound
from crm.models import Actor, ExportLog
from tests.domain.conftest import NOW, count, fresh

PHONE = "03 778 30 60"
BOM = b"\xef\xbb\xbf"
ACCENTED = ["Zoë Vanden Bossche", "Çağla Öztürk", "vzw Het Kèrsken"]
FORMULA_LIKE = ['=HYPERLINK("http://x")', "+32 3 778 30 60", "-1+1", "@SUM(A1)"]
CSV = "invitations_csv"
XLSX = "invitations_xlsx"
CALL_SHEET = "call_sheet"


@pytest.fixture
def event(session):
    event = create_event(
        session,
        name="Ideeënatelier mobiliteit",
        type="idea_atelier",
        starts_at=NOW + timedelta(days=14),
        capacity=50,
        now=NOW,
    )
    session.commit()
    return event


@pytest.fixture
def invite(session, event):
    """Put actors on the event's list (channel by the rules) and commit."""

    def put(*actors):
        add_invitations(session, event.id, actor_ids=[a.id for a in actors], now=NOW)
        session.commit()

    return put


@pytest.fixture
def caller(make_colleague):
    return make_colleague("staff")


def csv_export(session, event, *, dialect="excel-be", user_id=None, translate=None):
    """The export's bytes, as a download would stream them."""
    export = start_invitation_export(
        session, event.id, kind=CSV, dialect=dialect, user_id=user_id, now=NOW
    )
    session.commit()
    options = {"translate": translate} if translate else {}
    return export, b"".join(invitation_csv_chunks(session, export, **options))


def read_csv(data: bytes, *, delimiter: str = ";") -> list[list[str]]:
    text = data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def xlsx_export(session, event, *, user_id=None):
    export = start_invitation_export(session, event.id, kind=XLSX, user_id=user_id, now=NOW)
    session.commit()
    out = io.BytesIO()
    written = write_invitations_xlsx(session, export, out)
    return export, written, out.getvalue()


def read_xlsx(data: bytes):
    return load_workbook(io.BytesIO(data)).active


def column(rows, name_index: int) -> list[str]:
    return [row[name_index] for row in rows[1:]]


# --- CSV ---------------------------------------------------------------------------------------


def test_belgian_excel_csv_has_a_bom_semicolons_and_round_trips_accented_names(
    session, event, make_actor, invite
):
    invite(*(make_actor(name=name, phone=PHONE) for name in ACCENTED))

    _, data = csv_export(session, event, dialect="excel-be")

    assert data.startswith(BOM)
    rows = read_csv(data, delimiter=";")
    assert rows[0] == [
        "Name", "Kind", "District", "Channel", "Status", "Phone", "E-mail address", "Address",
        "Postcode",
    ]  # fmt: skip
    assert sorted(column(rows, 0)) == sorted(ACCENTED)
    assert all(len(row) == 9 for row in rows)


def test_plain_csv_has_commas_and_no_bom(session, event, make_actor, invite):
    invite(make_actor(name="Zoë Vanden Bossche", phone=PHONE, address="Kerkstraat 1, Sinaai"))

    _, data = csv_export(session, event, dialect="plain")

    assert not data.startswith(BOM)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert rows[1][0] == "Zoë Vanden Bossche"
    assert rows[1][7] == "Kerkstraat 1, Sinaai"  # the comma inside a cell survives


def test_csv_row_holds_labels_district_national_phone_and_address(
    session, event, make_actor, invite
):
    invite(
        make_actor(
            name="Vzw De Vlaskop",
            kind="poverty_organisation",
            district="Sinaai",
            phone=PHONE,
            email="info@vlaskop.be",
            address="Dorp 12",
            postcode="9112",
        )
    )

    _, data = csv_export(session, event)

    assert read_csv(data)[1] == [
        "Vzw De Vlaskop", "Poverty organisation", "Sinaai", "Phone", "To invite", PHONE,
        "info@vlaskop.be", "Dorp 12", "9112",
    ]  # fmt: skip
    assert b"+32" not in data


@pytest.mark.parametrize("value", FORMULA_LIKE)
def test_formula_like_names_and_addresses_are_neutralised_in_csv(
    session, event, make_actor, invite, value
):
    invite(make_actor(name=value, phone=PHONE, address=value))

    _, data = csv_export(session, event)

    row = read_csv(data)[1]
    assert row[0] == "'" + value
    assert row[7] == "'" + value
    assert row[5] == PHONE


@pytest.mark.parametrize("value", ["\t=1+1", "\r=1+1"])
def test_tab_or_carriage_return_prefixed_values_from_an_old_import_are_neutralised_in_csv(
    session, event, make_actor, invite, value
):
    actor = make_actor(name="placeholder", phone=PHONE)
    invite(actor)
    # The forms strip leading white space; an old import may not have.
    session.get(Actor, actor.id).name = value
    session.commit()

    _, data = csv_export(session, event)

    assert read_csv(data)[1][0] == "'" + value


def test_labels_are_translated_by_the_given_translate(session, event, make_actor, invite):
    invite(make_actor(name="Jan", phone=PHONE))
    dutch = {
        "Name": "Naam",
        "Resident": "Inwoner",
        "Phone": "Telefoon",
        "To invite": "Uit te nodigen",
    }

    _, data = csv_export(session, event, translate=lambda s: dutch.get(s, s))

    header, row = read_csv(data)
    assert header[0] == "Naam"
    assert row[1:6] == ["Inwoner", "", "Telefoon", "Uit te nodigen", PHONE]


def test_the_export_is_streamed_in_chunks(session, event, make_actor, invite):
    invite(*(make_actor(name=f"Actor {n:03}", phone=PHONE) for n in range(600)))
    export = start_invitation_export(session, event.id, kind=CSV, user_id=None, now=NOW)

    chunks = list(invitation_csv_chunks(session, export))

    assert len(chunks) == 2  # 500 rows per chunk, then the rest
    assert len(read_csv(b"".join(chunks))) == 601


# --- XLSX --------------------------------------------------------------------------------------


def test_xlsx_round_trips_accented_names_and_keeps_phones_and_postcodes_as_text(
    session, event, make_actor, invite
):
    invite(*(make_actor(name=n, phone=PHONE, address="Dorp 1", postcode="9112") for n in ACCENTED))

    export, written, data = xlsx_export(session, event)

    sheet = read_xlsx(data)
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert written == export.rows == 3
    assert rows[0][0] == "Name"
    assert sorted(column(rows, 0)) == sorted(ACCENTED)
    phone_cells = [row[5] for row in list(sheet.iter_rows())[1:]]
    assert {(c.value, c.data_type) for c in phone_cells} == {(PHONE, "s")}
    assert {row[8] for row in rows[1:]} == {"9112"}  # text, not the number 9112


@pytest.mark.parametrize("value", FORMULA_LIKE)
def test_formula_like_values_stay_literal_text_in_xlsx_never_a_formula(
    session, event, make_actor, invite, value
):
    invite(make_actor(name=value, phone=PHONE, address=value))

    _, _, data = xlsx_export(session, event)

    name, address = read_xlsx(data)["A2"], read_xlsx(data)["H2"]
    assert (name.value, name.data_type, name.quotePrefix) == (value, "s", True)
    assert (address.value, address.data_type) == (value, "s")
    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml and b"<f " not in sheet_xml


@pytest.mark.parametrize(
    ("value", "read_back", "quoted"),
    [
        ("\t=1+1", "\t=1+1", True),
        # XML reads a bare CR as a line feed: the export writes the line feed itself.
        ("\r=1+1", "\n=1+1", True),
        ("#N/A", "#N/A", False),  # text, not Excel's error value
    ],
)
def test_odd_text_from_an_old_import_is_a_text_cell_in_xlsx(
    session, event, make_actor, invite, value, read_back, quoted
):
    actor = make_actor(name="placeholder", phone=PHONE)
    invite(actor)
    session.get(Actor, actor.id).name = value
    session.commit()

    _, _, data = xlsx_export(session, event)

    cell = read_xlsx(data)["A2"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (read_back, "s", quoted)


# --- left out, counted before the body ---------------------------------------------------------


def test_actor_marked_do_not_phone_after_the_list_was_built_is_left_out_and_counted(
    session, event, make_actor, invite
):
    kept = make_actor(name="Ann Peeters", phone=PHONE)
    flagged = make_actor(name="Bart Claes", phone="03 777 11 22")
    invite(kept, flagged)
    update_actor(session, flagged.id, version=flagged.version, do_not_phone=True)
    session.commit()

    export, data = csv_export(session, event)

    assert (export.rows, export.left_out, export.left_out_total) == (1, {"do_not_phone": 1}, 1)
    assert column(read_csv(data), 0) == ["Ann Peeters"]


def test_each_blocked_channel_is_counted_under_its_own_reason(session, event, make_actor, invite):
    phoned = [make_actor(phone=PHONE) for _ in range(2)]
    mailed = make_actor(email="lies@example.be")
    visited = make_actor(kind="poverty_organisation", address="Dorp 1", do_not_phone=True)
    reachable = make_actor(email="ok@example.be")
    invite(*phoned, mailed, visited, reachable)
    for actor in phoned:
        update_actor(session, actor.id, version=actor.version, do_not_phone=True)
    update_actor(session, mailed.id, version=mailed.version, do_not_email=True)
    update_actor(session, visited.id, version=visited.version, address="")
    session.commit()

    export = count_invitation_export(session, event.id, kind=CSV)
    rows = list(invitation_rows(session, export))

    assert export.left_out == {"do_not_email": 1, "do_not_phone": 2, "no_address": 1}
    assert export.rows == len(rows) == 1


def test_the_counts_come_before_streaming_and_match_the_streamed_rows(
    session, event, make_actor, invite
):
    phoned = [make_actor(phone=PHONE, preferred_channel="phone") for _ in range(6)]
    mailed = [make_actor(email=f"a{n}@example.be") for n in range(3)]
    invite(*phoned, *mailed)
    for actor in phoned[:3]:
        session.get(Actor, actor.id).do_not_phone = True
    for actor in mailed[:2]:
        session.get(Actor, actor.id).do_not_email = True
    session.commit()

    export = count_invitation_export(session, event.id, kind=XLSX)
    streamed = list(invitation_rows(session, export))

    assert (export.rows, export.left_out) == (4, {"do_not_email": 2, "do_not_phone": 3})
    assert len(streamed) == export.rows


# --- the export log ----------------------------------------------------------------------------


def test_every_csv_export_is_logged_with_who_what_event_rows_and_left_out(
    session, event, make_actor, invite, caller
):
    flagged = make_actor(phone=PHONE)
    invite(make_actor(phone=PHONE), flagged)
    update_actor(session, flagged.id, version=flagged.version, do_not_phone=True)
    session.commit()

    export, _ = csv_export(session, event, dialect="plain", user_id=caller.id)

    entry = fresh(session, ExportLog, export.log_id)
    assert (entry.user_id, entry.kind, entry.event_id) == (caller.id, CSV, event.id)
    assert (entry.rows, entry.left_out, entry.created_at) == (1, 1, NOW)
    assert json.loads(entry.details) == {
        "format": "csv",
        "dialect": "plain",
        "left_out": {"do_not_phone": 1},
    }


def test_xlsx_and_call_sheet_exports_are_logged_too(session, event, make_actor, invite, caller):
    invite(make_actor(phone=PHONE))

    xlsx_export(session, event, user_id=caller.id)
    start_invitation_export(session, event.id, kind=CALL_SHEET, user_id=caller.id, now=NOW)
    session.commit()

    entries = session.scalars(select(ExportLog).order_by(ExportLog.id)).all()
    assert [(e.kind, json.loads(e.details)["format"], e.rows) for e in entries] == [
        (XLSX, "xlsx", 1),
        (CALL_SHEET, "html", 1),
    ]


@pytest.mark.parametrize("dialect", ["excel", "PLAIN", "excel-be;", "x" * 500])
def test_an_unknown_dialect_is_refused_and_nothing_is_logged(session, event, dialect):
    with pytest.raises(Invalid) as refused:
        start_invitation_export(session, event.id, kind=CSV, dialect=dialect, user_id=None)
    session.rollback()

    assert "dialect" in refused.value.errors
    assert count(session, ExportLog) == 0


@pytest.mark.parametrize("event_id", [999, 0, -1, "abc", 2**31])
def test_an_unknown_event_is_not_found_and_nothing_is_logged(session, event_id):
    with pytest.raises(NotFound):
        start_invitation_export(session, event_id, kind=CSV, user_id=None)
    session.rollback()

    assert count(session, ExportLog) == 0


def test_the_export_log_lists_the_newest_first_with_the_event_and_user_name(session, event, caller):
    for minutes in range(30):
        log_export(
            session,
            user_id=caller.id,
            kind=CSV,
            event_id=event.id,
            details={"format": "csv"},
            rows=minutes,
            now=NOW + timedelta(minutes=minutes),
        )
    session.commit()

    first = list_exports(session, page=1, per_page=25)
    second = list_exports(session, page=2, per_page=25)

    assert (first.total, len(first.items), len(second.items)) == (30, 25, 5)
    assert [r.rows for r in first.items[:3]] == [29, 28, 27]
    record = first.items[0]
    assert (record.user_name, record.event_name, record.details) == (
        caller.name,
        "Ideeënatelier mobiliteit",
        {"format": "csv"},
    )


# --- the call sheet ----------------------------------------------------------------------------


def test_call_sheet_groups_by_channel_then_district_with_phones_and_addresses(
    session, event, make_actor, invite
):
    invite(
        make_actor(name="Zoë", phone=PHONE, preferred_channel="phone", district="Sinaai"),
        make_actor(
            name="Abdel", phone="03 777 11 22", preferred_channel="phone", district="Belsele"
        ),
        make_actor(name="Nobody's district", phone="03 777 11 33", preferred_channel="phone"),
        make_actor(
            name="Vzw De Vlaskop",
            kind="poverty_organisation",
            address="Dorp 12",
            postcode="9112",
            district="Sinaai",
        ),
        make_actor(name="Mail only", email="mail@example.be", district="Sinaai"),
    )
    export = start_invitation_export(session, event.id, kind=CALL_SHEET, user_id=None)

    sheet = call_sheet(session, export)

    layout = [
        (group.channel, [(d.district, [r.name for r in d.rows]) for d in group.districts])
        for group in sheet.channels
    ]
    assert layout == [
        ("phone", [("Belsele", ["Abdel"]), ("Sinaai", ["Zoë"]), (None, ["Nobody's district"])]),
        ("visit", [("Sinaai", ["Vzw De Vlaskop"])]),
        ("email", [("Sinaai", ["Mail only"])]),
    ]
    zoe = sheet.channels[0].districts[1].rows[0]
    vlaskop = sheet.channels[1].districts[0].rows[0]
    assert (zoe.phone, zoe.kind, zoe.status) == (PHONE, "Resident", "To invite")
    assert (vlaskop.address, vlaskop.postcode) == ("Dorp 12", "9112")
    assert sheet.channels[0].count == 3


def test_call_sheet_leaves_out_blocked_invitees(session, event, make_actor, invite):
    flagged = make_actor(name="Bart", phone=PHONE)
    invite(flagged, make_actor(name="Ann", phone=PHONE))
    update_actor(session, flagged.id, version=flagged.version, do_not_phone=True)
    session.commit()
    export = start_invitation_export(session, event.id, kind=CALL_SHEET, user_id=None)

    sheet = call_sheet(session, export)

    assert [r.name for g in sheet.channels for d in g.districts for r in d.rows] == ["Ann"]
    assert sheet.export.left_out == {"do_not_phone": 1}


def test_call_sheet_rows_carry_the_number_to_dial_in_e164(session, event, make_actor, invite):
    invite(make_actor(name="Zoë", phone="03 778 30 60", preferred_channel="phone"))
    export = start_invitation_export(session, event.id, kind=CALL_SHEET, user_id=None)

    zoe = call_sheet(session, export).channels[0].districts[0].rows[0]

    assert (zoe.phone, zoe.dial) == ("03 778 30 60", "+3237783060")


def test_call_sheet_offers_no_number_to_dial_for_who_asked_not_to_be_phoned(
    session, event, make_actor, invite
):
    invite(
        make_actor(
            name="Bart",
            phone="03 778 30 60",
            do_not_phone=True,
            address="Dorp 12",
            preferred_channel="visit",
        )
    )
    export = start_invitation_export(session, event.id, kind=CALL_SHEET, user_id=None)

    bart = call_sheet(session, export).channels[0].districts[0].rows[0]

    assert (bart.phone, bart.dial) == ("03 778 30 60", "")


# --- phone numbers -----------------------------------------------------------------------------


# --- the file name -----------------------------------------------------------------------------


def test_the_download_name_is_plain_ascii_from_the_event_name_and_date(session, event):
    export = count_invitation_export(session, event.id, kind=CSV)

    name = download_name("uitnodigingen", export, "csv")

    assert name == "uitnodigingen-ideeenatelier-mobiliteit-2026-06-24.csv"


def test_a_download_name_without_usable_letters_still_has_the_date(session, event):
    event.name = '"; rm -rf / ☃'
    session.commit()
    export = count_invitation_export(session, event.id, kind=XLSX)

    assert download_name("", export, "xlsx") == "rm-rf-2026-06-24.xlsx"
