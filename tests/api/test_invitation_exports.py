"""Invitation list exports through the API: CSV in both dialects and XLSX with a bearer token,
the export permission, bad input, and the export log."""

import csv
import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from crm.actors import update_actor
from crm.clock import utcnow
from crm.events import create_event
from crm.invitations import add_invitations
from crm.models import ExportLog, User
from tests.api.conftest import API

PHONE = "03 778 30 60"
BOM = b"\xef\xbb\xbf"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def event(session, make_actor):
    """An idea atelier with two invitees by phone, one of them marked do-not-phone since."""
    event = create_event(
        session,
        name="Ideeënatelier digitale inclusie",
        type="idea_atelier",
        starts_at=utcnow() + timedelta(days=7),
        capacity=20,
    )
    kept = make_actor(name="Çağla Öztürk", phone=PHONE, address='=HYPERLINK("http://x")')
    flagged = make_actor(name="Bart Claes", phone="03 777 11 22")
    add_invitations(session, event.id, actor_ids=[kept.id, flagged.id])
    update_actor(session, flagged.id, version=flagged.version, do_not_phone=True)
    session.commit()
    return event


@pytest.fixture
def as_exporting_staff(make_user, api_token, session):
    user = make_user("staff", name="Eva Export")
    session.get(User, user.id).can_export = True
    session.commit()
    return api_token(user)


def csv_url(event_id, query: str = "") -> str:
    return f"{API}/events/{event_id}/invitations.csv{query}"


def xlsx_url(event_id) -> str:
    return f"{API}/events/{event_id}/invitations.xlsx"


def logged(session) -> list[ExportLog]:
    session.rollback()
    return list(session.scalars(select(ExportLog).order_by(ExportLog.id)))


@pytest.mark.parametrize("download", [csv_url, xlsx_url])
def test_a_token_of_staff_without_the_export_permission_gets_403(
    client, session, as_staff, event, download
):
    response = client.get(download(event.id), headers=as_staff)

    assert response.status_code == 403
    assert response.json["errors"]["_"]
    assert logged(session) == []


@pytest.mark.parametrize("download", [csv_url, xlsx_url])
def test_a_token_of_staff_allowed_to_export_gets_the_file(
    client, session, as_exporting_staff, event, download
):
    response = client.get(download(event.id), headers=as_exporting_staff)

    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")


@pytest.mark.parametrize("download", [csv_url, xlsx_url])
def test_without_a_token_the_export_is_401(client, event, download):
    assert client.get(download(event.id)).status_code == 401


def test_csv_in_the_belgian_excel_dialect_by_default(client, as_coordinator, event):
    response = client.get(csv_url(event.id), headers={**as_coordinator, "Accept-Language": "en"})

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    data = response.get_data()
    assert data.startswith(BOM)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0][0] == "Name"
    assert rows[1][0] == "Çağla Öztürk"
    assert rows[1][5] == PHONE
    assert rows[1][7] == '\'=HYPERLINK("http://x")'
    assert len(rows) == 2  # the do-not-phone invitee is left out


def test_plain_csv_has_commas_and_no_bom(client, as_coordinator, event):
    response = client.get(csv_url(event.id, "?dialect=plain"), headers=as_coordinator)

    data = response.get_data()
    assert not data.startswith(BOM)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert rows[1][0] == "Çağla Öztürk"


def test_xlsx_keeps_the_formula_like_address_as_literal_text(client, as_coordinator, event):
    response = client.get(xlsx_url(event.id), headers=as_coordinator)

    assert response.status_code == 200
    assert response.headers["Content-Type"] == XLSX_TYPE
    assert response.headers["Content-Disposition"].endswith('.xlsx"')
    cell = load_workbook(io.BytesIO(response.get_data())).active["H2"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://x")', "s")


@pytest.mark.parametrize("dialect", ["excel", "PLAIN", "tsv", "x" * 300])
def test_an_unknown_dialect_is_422_and_nothing_logged(
    client, session, as_coordinator, event, dialect
):
    response = client.get(csv_url(event.id, f"?dialect={dialect}"), headers=as_coordinator)

    assert response.status_code == 422
    assert "dialect" in response.json["errors"]
    assert logged(session) == []


@pytest.mark.parametrize("event_id", ["999", "0", "-1", "01", "١", "2147483648", "abc"])
@pytest.mark.parametrize("download", [csv_url, xlsx_url])
def test_an_unknown_event_is_404(client, session, as_coordinator, event_id, download):
    response = client.get(download(event_id), headers=as_coordinator)

    assert response.status_code == 404
    assert response.json["errors"]["_"]
    assert logged(session) == []


def test_api_exports_are_logged_like_the_pages(client, session, make_user, api_token, event):
    user = make_user("coordinator")
    headers = api_token(user)

    client.get(csv_url(event.id, "?dialect=plain"), headers=headers)
    client.get(xlsx_url(event.id), headers=headers)

    entries = logged(session)
    assert [(e.user_id, e.kind, e.event_id, e.rows, e.left_out) for e in entries] == [
        (user.id, "invitations_csv", event.id, 1, 1),
        (user.id, "invitations_xlsx", event.id, 1, 1),
    ]
    assert '"dialect": "plain"' in entries[0].details
