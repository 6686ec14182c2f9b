"""Issue 5 in the browser: a coordinator plans an idea atelier, builds a balanced invitation
list, exports it for Excel, a colleague checks a poverty organisation in on a phone, and the
representation report and the actor page show that it came.

Screenshots for the README (docs/screenshots/event-*.png), SQLite only, one run:

    BEREIK_SCREENSHOTS_DIR=docs/screenshots BEREIK_TEST_BACKENDS=sqlite \
        .venv/bin/python -m pytest tests/browser/test_event_journey.py -q

Without the variable the pictures go to a temporary folder and are only checked to be non-blank.
"""

import csv
import io
import os
import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from crm.actors import create_actor
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.make_screenshots import OUTPUT_DIR_VARIABLE, distinct_colours

pytestmark = pytest.mark.browser

BRUSSELS = ZoneInfo("Europe/Brussels")
EVENT_PAGE = re.compile(r"/events/(\d+)(#.*)?$")
UTF8_BOM = b"\xef\xbb\xbf"
MIN_COLOURS = 32
CAPACITY = 8

ACCENTED = "Vzw De Kèrsken"
# name, kind, district, other fields: three poverty organisations to phone (the accented one
# ranked first), one that only has an e-mail address (never invited by e-mail only, so left
# out), and more residents and businesses than there are places left.
KERSKEN = {"phone": "03 776 12 40", "influence": 5, "interest": 5}
ACTORS = [
    (ACCENTED, "poverty_organisation", "Sint-Niklaas", KERSKEN),
    ("Welzijnsschakel Belsele", "poverty_organisation", "Belsele", {"phone": "03 772 45 10"}),
    ("Voedselbank Sinaai", "poverty_organisation", "Sinaai", {"phone": "03 778 02 93"}),
    ("Armoedeplatform Waas", "poverty_organisation", "Sint-Niklaas", {"email": "info@apwaas.be"}),
    ("Lotte De Smet", "resident", "Sint-Niklaas", {"email": "lotte.desmet@example.be"}),
    ("Ahmed El Amrani", "resident", "Sint-Niklaas", {"phone": "0489 76 21 03"}),
    ("Marleen Verhulst", "resident", "Belsele", {"phone": "03 772 61 84"}),
    ("Jozef Van Goethem", "resident", "Sinaai", {"phone": "03 772 13 95"}),
    ("Els Bracke", "resident", "Sinaai", {"email": "els.bracke@example.be"}),
    ("Bakkerij Van Puyvelde", "business", "Belsele", {"phone": "03 772 20 47"}),
    ("Coöperatie Wase Zon", "business", "Nieuwkerken-Waas", {"email": "hallo@wasezon.be"}),
    ("Fietsenwinkel De Ketting", "business", "Sinaai", {"phone": "03 772 90 18"}),
]  # fmt: skip
KINDS = {name: kind for name, kind, _, _ in ACTORS}
POVERTY_KNOWN = sum(1 for kind in KINDS.values() if kind == "poverty_organisation")
EMAIL_ONLY_POVERTY = "Armoedeplatform Waas"


@pytest.fixture
def out_dir(tmp_path) -> Path:
    return Path(os.environ.get(OUTPUT_DIR_VARIABLE) or tmp_path)


def seed_actors(session) -> dict[str, int]:
    """The actors of the journey, committed; their ids by name."""
    ids = {}
    for name, kind, district, details in ACTORS:
        ids[name] = create_actor(session, name=name, kind=kind, district=district, **details).id
    session.commit()
    return ids


def assert_not_blank(path: Path, device: dict) -> None:
    """A full picture of the viewport (device pixels) with more than a few colours."""
    width, height, colours = distinct_colours(path)
    scale = device.get("device_scale_factor", 1)
    viewport = device["viewport"]
    assert width >= viewport["width"] * scale, f"{path.name} is {width}x{height}"
    assert height >= viewport["height"] * scale, f"{path.name} is {width}x{height}"
    assert colours > MIN_COLOURS, f"{path.name} looks blank: {colours} colours"


def assert_fits_the_screen(page: Page) -> None:
    """Nothing sticks out sideways: on a phone that means scrolling left and right to work."""
    scroll_width, inner_width = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert scroll_width <= inner_width, f"{page.url} is {scroll_width}px wide on {inner_width}px"


def next_week_evening() -> datetime:
    """Seven days from now at 19:00 in Brussels (the value of a datetime-local input)."""
    return (datetime.now(BRUSSELS) + timedelta(days=7)).replace(
        hour=19, minute=0, second=0, microsecond=0, tzinfo=None
    )


def test_coordinator_plans_an_idea_atelier_and_a_checked_in_poverty_organisation_is_reached(
    new_page, make_user, log_in_as, session, out_dir, tmp_path
):
    ids = seed_actors(session)
    coordinator = make_user("coordinator", name="Karel Pauwels")
    staff = make_user("staff", name="Sofie Maes")

    # The coordinator plans the event through the menu.
    page = new_page(DESKTOP)
    log_in_as(page, coordinator)
    page.click("header nav a[href='/events']")
    expect(page).to_have_url(re.compile(r"/events$"))
    page.click("#new-event")
    expect(page).to_have_url(re.compile(r"/events/new$"))
    starts_at = next_week_evening()
    page.fill("#name", "Ideeënatelier Armoede en wonen")
    page.select_option("#type", "idea_atelier")
    page.fill("#starts_at", starts_at.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#place", "Ontmoetingscentrum De Klinge, Kerkstraat 1")
    page.fill("#capacity", str(CAPACITY))
    page.click("#save")

    expect(page).to_have_url(EVENT_PAGE)
    event_id = int(EVENT_PAGE.search(page.url).group(1))
    expect(page.locator("h1")).to_have_text("Ideeënatelier Armoede en wonen")
    expect(page.locator("dd[data-type]")).to_have_attribute("data-type", "idea_atelier")
    expect(page.locator("#starts-at")).to_contain_text("19:00")

    # The builder proposes a mix with at least two poverty organisations.
    page.click("#build-list")
    expect(page).to_have_url(re.compile(rf"/events/{event_id}/builder$"))
    page.fill("#min_poverty_organisation", "2")
    page.click("#preview")
    proposal = page.locator("#proposal")
    expect(proposal).to_be_visible()
    expect(proposal).to_have_attribute("data-invitees", str(CAPACITY))  # more would come
    poverty_mix = page.locator("#mix tr[data-kind=poverty_organisation]")
    expect(poverty_mix).to_have_attribute("data-min", "2")
    assert int(poverty_mix.get_attribute("data-count")) >= 2
    expect(poverty_mix).not_to_have_class(re.compile(r"\bbelow\b"))
    left_out = page.locator("#left-out li[data-reason=in_person_impossible]")
    expect(left_out).to_have_attribute("data-count", "1")
    proposed = page.locator("#invitees tr[data-actor-id]")
    expect(proposed).to_have_count(CAPACITY)
    poverty_proposed = page.locator("#invitees tr[data-kind=poverty_organisation]")
    assert poverty_proposed.count() == int(poverty_mix.get_attribute("data-count"))
    expect(page.locator(f"#invitees tr[data-actor-id='{ids[ACCENTED]}']")).to_have_count(1)
    email_only = ids[EMAIL_ONLY_POVERTY]
    expect(page.locator(f"#invitees tr[data-actor-id='{email_only}']")).to_have_count(0)
    page.screenshot(path=str(out_dir / "event-builder.png"), full_page=True)
    page.click("#save-list")

    # The event page lists the invitees; poverty organisations are phoned, never e-mailed.
    expect(page).to_have_url(re.compile(rf"/events/{event_id}#invitations$"))
    expect(page.locator(".flash.success")).to_be_visible()
    rows = page.locator("#invitation-list tr[data-actor-id]")
    expect(rows).to_have_count(CAPACITY)
    kind_of = {actor_id: KINDS[name] for name, actor_id in ids.items()}
    listed = [
        int(actor_id) for actor_id in rows.evaluate_all("rs => rs.map(r => r.dataset.actorId)")
    ]
    poverty_listed = [
        actor_id for actor_id in listed if kind_of[actor_id] == "poverty_organisation"
    ]
    assert ids[ACCENTED] in poverty_listed and len(poverty_listed) >= 2, poverty_listed
    assert email_only not in listed
    for actor_id in poverty_listed:
        row = page.locator(f"#invitation-list tr[data-actor-id='{actor_id}']")
        expect(row).to_have_attribute("data-channel", "phone")
        expect(row).to_have_attribute("data-status", "to_invite")
    expect(page.locator("#status-counts li[data-status=to_invite]")).to_have_attribute(
        "data-count", str(CAPACITY)
    )

    # The list for Belgian Excel: a BOM, semicolons, accents intact; and it is logged.
    with page.expect_download() as info:
        page.click("#export-csv-excel")
    download = info.value
    assert download.suggested_filename.endswith(".csv"), download.suggested_filename
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    content = saved.read_bytes()
    assert content.startswith(UTF8_BOM), content[:20]
    text = content[len(UTF8_BOM) :].decode("utf-8")
    table = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(table) == 1 + CAPACITY, table
    assert all(len(line) == len(table[0]) > 1 for line in table), table
    cells = {cell for line in table[1:] for cell in line}
    assert ACCENTED in cells
    assert EMAIL_ONLY_POVERTY not in cells

    page.goto("/exports")
    logged = page.locator("#export-log tr[data-kind=invitations_csv]")
    expect(logged).to_have_count(1)
    expect(logged).to_contain_text("excel-be")
    expect(logged.locator("td[data-rows]")).to_have_attribute("data-rows", str(CAPACITY))
    expect(logged.locator(f"a[href='/events/{event_id}']")).to_be_visible()

    # A colleague checks the poverty organisation in on a phone, typing without accents.
    phone = new_page(PHONE)
    log_in_as(phone, staff)
    phone.goto(f"/events/{event_id}/check-in")
    expect(phone.locator("#invitees li[data-invitation-id]")).to_have_count(CAPACITY)
    phone.fill("#q", "kersken")
    phone.locator("#q").press("Enter")
    expect(phone).to_have_url(re.compile(r"/check-in\?q=kersken$"))
    found = phone.locator("#invitees li[data-invitation-id]")
    expect(found).to_have_count(1)
    expect(found).to_contain_text(ACCENTED)
    assert_fits_the_screen(phone)
    found.locator("button.present").tap()

    expect(phone.locator(".flash.success")).to_be_visible()
    ticked = phone.locator("#invitees li[data-invitation-id]")
    expect(ticked).to_have_count(1)
    expect(ticked).to_have_attribute("data-status", "attended")
    expect(ticked).to_have_class(re.compile(r"\bpresent\b"))
    expect(ticked.locator("button.undo")).to_be_visible()
    assert_fits_the_screen(phone)
    phone.screenshot(path=str(out_dir / "event-check-in.png"))

    # The report counts the one that came against every known poverty organisation.
    page.goto(f"/events/{event_id}/representation?lang=en")
    poverty = page.locator("#by-kind tr[data-key=poverty_organisation]")
    expect(poverty).to_have_attribute("data-known", str(POVERTY_KNOWN))
    expect(poverty).to_have_attribute("data-listed", str(len(poverty_listed)))
    expect(poverty).to_have_attribute("data-attended", "1")
    expect(poverty).to_have_attribute("data-missing", "false")
    expect(poverty.locator(".sentence")).to_have_text(
        f"Poverty organisations: 1 of {POVERTY_KNOWN} came"
    )
    for kind in ("resident", "business"):
        row = page.locator(f"#by-kind tr[data-key={kind}]")
        expect(row).to_have_attribute("data-attended", "0")
        expect(row).to_have_attribute("data-missing", "true")

    # Coming to the event is a direct contact: the actor is reached directly now.
    page.goto(f"/actors/{ids[ACCENTED]}")
    expect(page.locator("h1")).to_contain_text(ACCENTED)
    expect(page.locator(".facts .badge.direct")).to_have_count(1)
    page.goto(f"/actors/{ids['Welzijnsschakel Belsele']}")
    expect(page.locator(".facts .badge.direct")).to_have_count(0)
    expect(page.locator(".facts .badge.none")).to_have_count(1)

    assert_not_blank(out_dir / "event-builder.png", DESKTOP)
    assert_not_blank(out_dir / "event-check-in.png", PHONE)
