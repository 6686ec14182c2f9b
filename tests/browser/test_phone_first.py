"""Phone first (issue 11): on a 390 x 844 phone the actor page opens with the call link, the
latest contacts and the contact form's first field, without scrolling; every table keeps its
column headers as labelled rows; on a desktop the same page still shows both at once."""

from datetime import timedelta

import pytest
from playwright.sync_api import Locator, Page, expect

from crm.actors import create_actor
from crm.clock import utcnow
from crm.contacts import log_contact
from crm.events import create_event
from crm.invitations import add_invitations
from tests.browser.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

PHONE_NUMBER = "03 778 30 60"
PHONE_SCREEN = 844
DESKTOP_SCREEN = 800

# What a table cell shows before its value on a phone: its column's header (bereik.css puts
# data-label, copied there by bereik.js, in ::before). `none`: no label (a column without header).
LABEL_OF_CELLS = """row => Array.from(row.cells, cell => {
  const shown = getComputedStyle(cell, '::before').content;
  return shown === 'none' ? 'none' : JSON.parse(shown);
})"""

# Every labelled cell of every table.responsive against its column's header, as a list of
# mismatches (empty when each cell shows the header of its own column).
CELLS_WITHOUT_THEIR_HEADER = """() => {
  const problems = [];
  document.querySelectorAll('table.responsive').forEach((table, t) => {
    const head = table.tHead.rows[table.tHead.rows.length - 1];
    const headers = [];
    for (const th of head.cells) {
      const text = th.textContent.replace(/\\s+/g, ' ').trim();
      for (let i = 0; i < th.colSpan; i++) { headers.push(text); }
    }
    for (const body of table.tBodies) {
      for (const row of body.rows) {
        let column = 0;
        for (const cell of row.cells) {
          if (cell.colSpan === 1 && headers[column]) {
            const shown = getComputedStyle(cell, '::before').content;
            if (shown !== JSON.stringify(headers[column])) {
              problems.push(`table ${t}, column ${column}: ${shown}, not "${headers[column]}"`);
            }
          }
          column += cell.colSpan;
        }
      }
    }
  });
  return problems;
}"""


def bottom_of(locator: Locator) -> float:
    box = locator.bounding_box()
    return box["y"] + box["height"]


def top_of(locator: Locator) -> float:
    return locator.bounding_box()["y"]


def arrange_actor_with_a_phone_and_four_contacts(session, user_id: int) -> int:
    """A poverty organisation with a long name (two lines on a phone) and four phoned contacts,
    each with a note: the tallest the top of the page gets."""
    actor = create_actor(
        session,
        name="Vzw Welzijnsschakel De Vlaskop (Kerkstraat)",
        kind="poverty_organisation",
        district="Sinaai",
        phone="03 778 30 60",
        address="Kerkstraat 1",
        postcode="9112",
    )
    for days, note in (
        (4, "Oudste"),
        (1, "Belt terug na de vakantie."),
        (3, "Derde"),
        (2, "Tweede"),
    ):
        log_contact(
            session,
            actor_id=actor.id,
            channel="phone",
            outcome="reached",
            note=note,
            user_id=user_id,
            occurred_at=utcnow() - timedelta(days=days),
        )
    session.commit()
    return actor.id


def open_actor(page: Page, actor_id: int) -> None:
    page.goto(f"/actors/{actor_id}")
    expect(page.locator("h1")).to_contain_text("Vzw Welzijnsschakel De Vlaskop")


def test_on_a_phone_the_call_link_and_the_first_field_are_in_the_first_screen(
    new_page, make_user, log_in_as, session
):
    staff = make_user("staff", name="Sofie Maes")
    actor_id = arrange_actor_with_a_phone_and_four_contacts(session, staff.id)
    page = new_page(PHONE)
    log_in_as(page, staff)

    open_actor(page, actor_id)

    call = page.locator("[data-testid=phone]")
    expect(call).to_have_attribute("href", "tel:+3237783060")
    expect(call).to_have_text("03 778 30 60")
    assert page.evaluate("window.scrollY") == 0
    assert bottom_of(call) <= PHONE_SCREEN
    assert bottom_of(page.locator("form#quick-contact #channel")) <= PHONE_SCREEN


def test_on_a_phone_the_latest_three_contacts_come_before_the_form(
    new_page, make_user, log_in_as, session
):
    staff = make_user("staff", name="Sofie Maes")
    actor_id = arrange_actor_with_a_phone_and_four_contacts(session, staff.id)
    page = new_page(PHONE)
    log_in_as(page, staff)

    open_actor(page, actor_id)

    latest = page.locator("#latest-contacts li")
    expect(latest).to_have_count(3)
    expect(latest.first).to_contain_text("Belt terug na de vakantie.")
    expect(latest.last).to_contain_text("Derde")
    assert bottom_of(latest.last) <= top_of(page.locator("form#quick-contact"))
    to_timeline = page.locator("a.to-timeline")
    expect(to_timeline).to_have_text("De hele contactgeschiedenis (4 contacten)")
    to_timeline.click()
    expect(page.locator("#timeline-title")).to_be_in_viewport()


def test_on_a_desktop_the_call_link_and_the_first_field_are_in_the_first_screen(
    new_page, make_user, log_in_as, session
):
    staff = make_user("staff", name="Sofie Maes")
    actor_id = arrange_actor_with_a_phone_and_four_contacts(session, staff.id)
    page = new_page(DESKTOP)
    log_in_as(page, staff)

    open_actor(page, actor_id)

    assert page.evaluate("window.scrollY") == 0
    assert bottom_of(page.locator("[data-testid=phone]")) <= DESKTOP_SCREEN
    assert bottom_of(page.locator("form#quick-contact #channel")) <= DESKTOP_SCREEN
    assert bottom_of(page.locator("#latest-contacts li").last) <= DESKTOP_SCREEN


# --- tables as labelled rows ---------------------------------------------------------------------


def arrange_event_with_invitees(session) -> int:
    event = create_event(
        session,
        name="Ideeënatelier mobiliteit",
        type="idea_atelier",
        starts_at=utcnow() + timedelta(days=14),
        capacity=20,
    )
    actors = [
        create_actor(session, name=name, kind=kind, phone=phone)
        for name, kind, phone in (
            ("Vzw De Vlaskop", "poverty_organisation", "03 778 30 60"),
            ("Ahmed El Amrani", "resident", "0489 76 21 03"),
            ("Bakkerij Van Puyvelde", "business", "03 772 20 47"),
        )
    ]
    add_invitations(session, event.id, actor_ids=[a.id for a in actors])
    session.commit()
    return event.id


def test_on_a_phone_the_representation_report_labels_every_cell_with_its_column(
    new_page, make_user, log_in_as, session
):
    event_id = arrange_event_with_invitees(session)
    page = new_page(PHONE)
    log_in_as(page, make_user("coordinator"))

    page.goto(f"/events/{event_id}/representation")

    first_row = page.locator("#by-kind tbody tr").first
    assert first_row.evaluate(LABEL_OF_CELLS) == [
        "Soort",
        "Gekend in de mapping",
        "Op de lijst",
        "Uitgenodigd",
        "Bevestigd",
        "Aanwezig",
        "Aandeel van de gekenden dat kwam",
        "Conclusie",  # the sentence under the figures: its header is for screen readers
    ]
    district_row = page.locator("#by-district tbody tr").first
    assert district_row.evaluate(LABEL_OF_CELLS)[:2] == ["Deelgemeente", "Gekend in de mapping"]
    assert page.evaluate(CELLS_WITHOUT_THEIR_HEADER) == []


def test_on_a_phone_the_builders_targets_and_mix_keep_their_headers(
    new_page, make_user, log_in_as, session
):
    event_id = arrange_event_with_invitees(session)
    create_actor(session, name="Marleen Verhulst", kind="resident", phone="03 772 61 84")
    session.commit()  # one not on the list yet: the proposal has an invitee
    page = new_page(PHONE)
    log_in_as(page, make_user("coordinator"))
    page.goto(f"/events/{event_id}/builder")

    page.click("#preview")

    expect(page.locator("#mix")).to_be_visible()
    assert page.locator("#targets tbody tr").first.evaluate(LABEL_OF_CELLS) == [
        "Soort",
        "Minstens",
        "Hoogstens",
    ]
    assert page.locator("#mix tbody tr").first.evaluate(LABEL_OF_CELLS) == [
        "Soort",
        "Op de lijst",
        "Minstens",
        "Hoogstens",
        "Beschikbaar",
        "Tegenover de beoogde mix",  # the below/above badge: a header for screen readers
    ]
    assert page.locator("#invitees tbody tr").first.evaluate(LABEL_OF_CELLS) == [
        "Naam",
        "Soort",
        "Deelgemeente",
        "Kanaal voor de uitnodiging",
    ]
    assert page.evaluate(CELLS_WITHOUT_THEIR_HEADER) == []


def test_on_a_phone_the_outreach_plans_table_keeps_its_headers(
    new_page, make_user, log_in_as, session
):
    for name in ("Vzw De Vlaskop", "Welzijnsschakel Sinaai", "Buurthuis De Klinge"):
        actor = create_actor(
            session, name=name, kind="poverty_organisation", district="Sinaai", phone=PHONE_NUMBER
        )
        log_contact(session, actor_id=actor.id, channel="email", outcome="reached")
    create_actor(session, name="Marleen Verhulst", kind="resident", district="Belsele")
    session.commit()  # one resident in Belsele: groups with too few known actors
    page = new_page(PHONE)
    log_in_as(page, make_user("coordinator"))

    page.goto("/outreach")
    page.locator("#too-few-known > summary").click()

    first_row = page.locator("#too-few-known tbody tr").first
    expect(first_row).to_be_visible()
    assert first_row.evaluate(LABEL_OF_CELLS) == [
        "Groep",
        "Gekende actoren",
        "Rechtstreeks bereikt",
    ]
    assert page.evaluate(CELLS_WITHOUT_THEIR_HEADER) == []


def test_on_a_desktop_tables_keep_their_head_and_show_no_labels_in_the_cells(
    new_page, make_user, log_in_as, session
):
    event_id = arrange_event_with_invitees(session)
    page = new_page(DESKTOP)
    log_in_as(page, make_user("coordinator"))

    page.goto(f"/events/{event_id}/representation")

    expect(page.locator("#by-kind thead")).to_be_visible()
    assert set(page.locator("#by-kind tbody tr").first.evaluate(LABEL_OF_CELLS)) == {"none"}
