"""The export pages through the test client: who may export, the downloads with their headers
and content, the call sheet, the export log, and the admin's "may export lists" toggle."""

import csv
import io
import json
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from crm.actors import update_actor
from crm.clock import utcnow
from crm.events import create_event
from crm.exports import log_export
from crm.invitations import add_invitations
from crm.models import ExportLog, User
from tests.conftest import post_form

PHONE = "03 778 30 60"
BOM = b"\xef\xbb\xbf"
DOWNLOADS = ["invitations.csv", "invitations.xlsx", "call-sheet"]


@pytest.fixture
def event(session, make_actor):
    """An event with three invitees: two by phone, one poverty organisation visited; then one
    of the phoned actors is marked do-not-phone."""
    event = create_event(
        session,
        name="Open atelier Sinaai",
        type="open_atelier",
        starts_at=utcnow() + timedelta(days=10),
        capacity=30,
    )
    kept = make_actor(name="Zoë Vanden Bossche", phone=PHONE, district="Sinaai")
    visited = make_actor(
        name="Vzw Het Kèrsken",
        kind="poverty_organisation",
        address="Dorp 12",
        postcode="9112",
        district="Sinaai",
    )
    flagged = make_actor(name="Bart Claes", phone="03 777 11 22", district="Belsele")
    add_invitations(session, event.id, actor_ids=[kept.id, visited.id, flagged.id])
    update_actor(session, flagged.id, version=flagged.version, do_not_phone=True)
    session.commit()
    return event


def logged(session) -> list[ExportLog]:
    session.rollback()  # see what the app committed
    return list(session.scalars(select(ExportLog).order_by(ExportLog.id)))


def url(event, download: str, query: str = "") -> str:
    return f"/events/{event.id}/{download}{query}"


# --- who may export ----------------------------------------------------------------------------


@pytest.mark.parametrize("download", DOWNLOADS)
def test_staff_without_the_export_permission_gets_403_and_nothing_is_logged(
    make_user, login, client, session, event, download
):
    login(make_user("staff"))

    response = client.get(url(event, download))

    assert response.status_code == 403
    assert logged(session) == []


@pytest.mark.parametrize("download", DOWNLOADS)
def test_staff_allowed_to_export_gets_the_download(
    make_user, login, client, session, event, download
):
    staff = make_user("staff")
    session.get(User, staff.id).can_export = True
    session.commit()
    login(staff)

    response = client.get(url(event, download))

    assert response.status_code == 200
    assert [(e.user_id, e.event_id) for e in logged(session)] == [(staff.id, event.id)]


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_coordinators_and_admins_may_export_by_their_role(make_user, login, client, event, role):
    login(make_user(role))

    assert client.get(url(event, "invitations.csv")).status_code == 200


@pytest.mark.parametrize("event_id", ["999", "0", "01", "١", "2147483648", "abc"])
def test_an_unknown_event_is_404(make_user, login, client, session, event_id):
    login(make_user("coordinator"))

    assert client.get(f"/events/{event_id}/invitations.csv").status_code == 404
    assert client.get(f"/events/{event_id}/call-sheet").status_code == 404
    assert logged(session) == []


def test_anonymous_visitors_are_sent_to_the_login_page(client, event):
    response = client.get(url(event, "invitations.csv"))

    assert response.status_code == 302 and "/login" in response.headers["Location"]


# --- the downloads -----------------------------------------------------------------------------


@pytest.fixture
def coordinator(make_user, login):
    user = make_user("coordinator")
    login(user)
    return user


def test_csv_download_is_a_belgian_excel_attachment_named_after_the_event(
    coordinator, client, event
):
    response = client.get(url(event, "invitations.csv", "?lang=en"))

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    day = event.starts_at.strftime("%Y-%m-%d")
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="invitations-open-atelier-sinaai-{day}.csv"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    data = response.get_data()
    assert data.startswith(BOM)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0][:2] == ["Name", "Kind"]
    assert sorted(row[0] for row in rows[1:]) == ["Vzw Het Kèrsken", "Zoë Vanden Bossche"]
    assert [row[5] for row in rows[1:] if row[0].startswith("Zoë")] == [PHONE]


def test_the_download_speaks_the_users_language(coordinator, client, event):
    response = client.get(url(event, "invitations.csv", "?lang=nl"))

    header = response.get_data().decode("utf-8-sig").splitlines()[0]
    assert header.startswith("Naam;")
    assert re.match(
        r'attachment; filename="[a-z0-9-]+\.csv"$', response.headers["Content-Disposition"]
    )


def test_plain_csv_download_has_commas_and_no_bom(coordinator, client, event, session):
    response = client.get(url(event, "invitations.csv", "?dialect=plain&lang=en"))

    data = response.get_data()
    assert not data.startswith(BOM)
    assert data.splitlines()[0].startswith(b"Name,Kind,")
    assert json.loads(logged(session)[0].details) == {
        "dialect": "plain",
        "format": "csv",
        "left_out": {"do_not_phone": 1},
    }


@pytest.mark.parametrize("dialect", ["excel", "tsv", "", "%00"])
def test_an_unknown_dialect_is_refused_with_a_message_and_nothing_logged(
    coordinator, client, event, session, dialect
):
    response = client.get(url(event, "invitations.csv", f"?dialect={dialect}&lang=en"))

    if dialect == "":  # an empty choice is the default dialect
        assert response.status_code == 200
        return
    assert response.status_code == 400
    assert "choose one of: excel-be, plain" in response.get_data(as_text=True)
    assert logged(session) == []


def test_xlsx_download_is_a_workbook_with_text_cells(coordinator, client, event):
    response = client.get(url(event, "invitations.xlsx", "?lang=en"))

    assert response.status_code == 200
    assert response.headers["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response.headers["Content-Disposition"].startswith('attachment; filename="invitations-')
    assert response.headers["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "Name"
    assert sorted(r[0] for r in rows[1:]) == ["Vzw Het Kèrsken", "Zoë Vanden Bossche"]
    assert {r[8] for r in rows[1:]} == {None, "9112"}


def test_every_download_is_logged_with_who_what_rows_and_left_out(
    coordinator, client, event, session
):
    for download in DOWNLOADS:
        client.get(url(event, download))

    entries = logged(session)
    assert [(e.kind, e.user_id, e.event_id, e.rows, e.left_out) for e in entries] == [
        ("invitations_csv", coordinator.id, event.id, 2, 1),
        ("invitations_xlsx", coordinator.id, event.id, 2, 1),
        ("call_sheet", coordinator.id, event.id, 2, 1),
    ]


# --- the call sheet ----------------------------------------------------------------------------


def test_call_sheet_shows_the_left_out_first_then_channels_and_districts(
    coordinator, client, event
):
    page = client.get(url(event, "call-sheet", "?lang=en")).get_data(as_text=True)

    assert '<li data-reason="do_not_phone" data-count="1">Do not phone: 1</li>' in page
    assert page.index('id="left-out"') < page.index('data-channel="phone"')
    assert page.index('data-channel="phone"') < page.index('data-channel="visit"')
    phone_part = page[page.index('data-channel="phone"') : page.index('data-channel="visit"')]
    assert 'data-district="Sinaai"' in phone_part and PHONE in phone_part
    assert "Bart Claes" not in page
    visit_part = page[page.index('data-channel="visit"') :]
    assert "Vzw Het Kèrsken" in visit_part and "Dorp 12, 9112" in visit_part
    assert "@page { size: A4 portrait" in page


def test_call_sheet_numbers_are_tap_to_call_links_shown_in_national_format(
    coordinator, client, event
):
    page = client.get(url(event, "call-sheet")).get_data(as_text=True)

    assert '<a href="tel:+3237783060">03 778 30 60</a>' in page


def test_call_sheet_shows_no_tap_to_call_link_for_who_asked_not_to_be_phoned(
    coordinator, client, session, make_actor, event
):
    visited = make_actor(
        name="Vzw De Vlaskop",
        kind="poverty_organisation",
        phone="03 776 12 34",
        do_not_phone=True,
        address="Dorp 14",
        district="Sinaai",
    )
    add_invitations(session, event.id, actor_ids=[visited.id])
    session.commit()

    page = client.get(url(event, "call-sheet")).get_data(as_text=True)

    assert '<td class="nowrap phone">03 776 12 34</td>' in page
    assert 'href="tel:+3237761234"' not in page


# --- the export log ----------------------------------------------------------------------------


def test_the_export_log_shows_the_newest_export_first_with_who_and_counts(
    coordinator, client, event
):
    client.get(url(event, "invitations.csv"))
    client.get(url(event, "invitations.xlsx"))

    page = client.get("/exports?lang=en").get_data(as_text=True)

    assert page.index('data-kind="invitations_xlsx"') < page.index('data-kind="invitations_csv"')
    assert coordinator.name in page and "Open atelier Sinaai" in page
    assert '<td data-left-out="1">1' in page and "(Do not phone: 1)" in page


def test_the_export_log_is_paged_by_25(coordinator, client, session, event):
    for n in range(30):
        log_export(session, user_id=coordinator.id, kind="call_sheet", event_id=event.id, rows=n)
    session.commit()

    first = client.get("/exports").get_data(as_text=True)
    second = client.get("/exports?page=2").get_data(as_text=True)

    assert first.count("data-export-id=") == 25 and second.count("data-export-id=") == 5
    assert 'rel="next"' in first


@pytest.mark.parametrize("role", ["staff", "staff_with_export"])
def test_staff_cannot_read_the_export_log(make_user, login, client, session, role):
    user = make_user("staff")
    session.get(User, user.id).can_export = role == "staff_with_export"
    session.commit()
    login(user)

    assert client.get("/exports").status_code == 403


# --- the admin's toggle ------------------------------------------------------------------------


def can_export(session, user) -> bool:
    session.rollback()
    return session.scalar(select(User.can_export).where(User.id == user.id))


def test_an_admin_allows_and_forbids_a_staff_member_to_export(make_user, login, client, session):
    login(make_user("admin"))
    staff = make_user("staff", name="Sara Staff")
    toggle = f"/admin/users/{staff.id}/exports?lang=en"

    allowed = post_form(client, toggle, {"allowed": "y"}, follow_redirects=True)
    was_allowed = can_export(session, staff)
    forbidden = post_form(client, toggle, {}, follow_redirects=True)

    assert was_allowed is True
    assert "Sara Staff may now export lists." in allowed.get_data(as_text=True)
    assert can_export(session, staff) is False
    assert "Sara Staff may no longer export lists." in forbidden.get_data(as_text=True)


def test_the_users_page_shows_the_toggle_for_staff_only_with_a_clear_confirmation(
    make_user, login, client
):
    login(make_user("admin"))
    staff = make_user("staff", name="Sara Staff")
    make_user("coordinator")

    page = client.get("/admin/users?lang=en").get_data(as_text=True)

    assert page.count('class="export-permission"') == 1
    assert f'data-user-id="{staff.id}"' in page
    assert "personal data" in page and "may export lists?" in page


def test_the_toggle_needs_a_csrf_token(make_user, login, client, session):
    login(make_user("admin"))
    staff = make_user("staff")

    response = client.post(f"/admin/users/{staff.id}/exports", data={"allowed": "y"})

    assert response.status_code == 400
    assert can_export(session, staff) is False


@pytest.mark.parametrize("role", ["staff", "coordinator"])
def test_only_admins_may_toggle_the_export_permission(make_user, login, client, session, role):
    login(make_user(role))
    staff = make_user("staff")

    response = post_form(client, f"/admin/users/{staff.id}/exports", {"allowed": "y"})

    assert response.status_code == 403
    assert can_export(session, staff) is False


def test_the_toggle_does_not_apply_to_coordinators(make_user, login, client, session):
    login(make_user("admin"))
    coordinator = make_user("coordinator")

    post_form(client, f"/admin/users/{coordinator.id}/exports", {"allowed": "y"})

    assert can_export(session, coordinator) is False


def test_a_staff_member_allowed_by_the_admin_can_then_download(
    make_user, login, client, session, event
):
    admin, staff = make_user("admin"), make_user("staff")
    login(admin)
    post_form(client, f"/admin/users/{staff.id}/exports", {"allowed": "y"})
    post_form(client, "/logout", {})
    login(staff)

    assert client.get(url(event, "invitations.csv")).status_code == 200
    assert session.scalar(select(func.count(ExportLog.id))) == 1
