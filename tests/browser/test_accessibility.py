"""WCAG 2.2 AA (issue 11): axe-core finds nothing on any main page, on a desktop and a phone,
and the keyboard points axe cannot judge hold: the skip link, the focus after a submit, the
date-time field, the focus ring.

The pages are filled from one demo city per module (built once, not per test: the 56 page
checks share it), so their tables, pagers and badges are there to be checked. The module runs on
the first backend only (marker first_backend_only: the others are deselected, not skipped): what
it checks is the HTML, CSS and script of the pages, the same on every backend, and axe takes
seconds on a big page (the CI machine has 2 cores and a time limit).
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from sqlalchemy import func, select, text

from app.extensions import limiter
from crm.claims import claim_actor
from crm.db import make_session_factory
from crm.models import Actor, ContactLog, Event, Idea
from crm.users import create_user
from demo.city import load_demo_data
from demo.events import load_demo_events
from tests.browser.conftest import DESKTOP, PHONE
from tests.conftest import PASSWORD
from tests.support.database import reset

pytestmark = [pytest.mark.browser, pytest.mark.first_backend_only]

DEMO_ACTORS = 120  # enough for a pager on the list and flagged groups in every kind
AXE = Axe()  # axe-core 4.12.1, shipped with axe-playwright-python
WCAG_22_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    # A best-practice rule outside the WCAG tags, named in the issue: a header cell says what
    # its column holds.
    "rules": {"empty-table-header": {"enabled": True}},
    "resultTypes": ["violations"],
}
SHOWN_TARGETS = 3


@dataclass(frozen=True)
class City:
    actor: int
    contact: int
    past_event: int
    upcoming_event: int
    idea: int
    coordinator: str
    admin: str


@pytest.fixture(scope="module")
def city(engine, database_url, live_server_of_backend) -> City:
    """The demo city with its events and ideas, and three actors claimed by the coordinator."""
    reset(engine)
    with make_session_factory(engine)(expire_on_commit=False) as session:
        coordinator = create_user(
            session,
            email="coordinator@sint-niklaas.be",
            name="Sofie Maes",
            role="coordinator",
            password=PASSWORD,
        )
        admin = create_user(
            session, email="admin@sint-niklaas.be", name="An Admin", role="admin", password=PASSWORD
        )
        session.flush()
        load_demo_data(
            session.connection(),
            actors=DEMO_ACTORS,
            contacts=DEMO_ACTORS * 10,
            seed=1,
            user_ids=[coordinator.id],
        )
        load_demo_events(session, user_id=coordinator.id)
        poverty_organisations = session.scalars(
            select(Actor.id).where(Actor.kind == "poverty_organisation").order_by(Actor.id).limit(3)
        ).all()
        for actor_id in poverty_organisations:
            claim_actor(session, actor_id, user_id=coordinator.id)
        session.commit()
        return City(
            actor=poverty_organisations[0],
            contact=session.scalar(select(func.min(ContactLog.id))),
            past_event=session.scalar(
                select(Event.id).where(Event.name == "Open atelier slimme stad")
            ),
            upcoming_event=session.scalar(
                select(Event.id).where(Event.name == "Ideeënatelier mobiliteit")
            ),
            idea=session.scalar(select(func.min(Idea.id))),
            coordinator=coordinator.email,
            admin=admin.email,
        )


@pytest.fixture
def live_server(live_server_of_backend, city):
    """The running server on the module's city (this overrides the emptied database of
    conftest's `live_server`, so `new_page` and the failure hooks work as everywhere)."""
    with live_server_of_backend.app.app_context():
        limiter.reset()
    live_server_of_backend.problems.clear()
    return live_server_of_backend


@pytest.fixture(scope="module")
def signed_in(browser, live_server_of_backend, city) -> dict[str, dict]:
    """The cookies of each role, logged in once through the login form."""
    states = {}
    for role, email in (("coordinator", city.coordinator), ("admin", city.admin)):
        context = browser.new_context(base_url=live_server_of_backend.url)
        page = context.new_page()
        page.goto("/login")
        page.fill("#email", email)
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        expect(page.locator("header nav")).to_be_visible()
        states[role] = context.storage_state()
        context.close()
    return states


def submit_without_a_name(page: Page) -> None:
    page.click("#save")
    expect(page.locator("[aria-invalid=true]").first).to_be_visible()


def wait_for_charts(page: Page) -> None:
    expect(page.locator(".plotly-figure[data-rendered='true']").first).to_be_visible()


def search_duplicates(page: Page) -> None:
    page.click("#search-duplicates")
    expect(page.locator("#searched")).to_be_visible()


# name: (who, address, what to do before axe looks)
MAIN_PAGES = {
    "login": (None, "/login", None),
    "actors list with a search": ("coordinator", "/?q=de", None),
    "actor page": ("coordinator", "/actors/{city.actor}", None),
    "new actor form": ("coordinator", "/actors/new", None),
    "new actor form after a failed submit": ("coordinator", "/actors/new", submit_without_a_name),
    "contact edit": ("coordinator", "/contacts/{city.contact}/edit", None),
    "follow-ups": ("coordinator", "/follow-ups", None),
    "outreach plan": ("coordinator", "/outreach", None),
    "a group's outreach list": ("coordinator", "/outreach/groups/kind/poverty_organisation", None),
    "poverty organisations to reach": ("coordinator", "/outreach/poverty-organisations", None),
    "my calls and visits": ("coordinator", "/outreach/mine", None),
    "events list": ("coordinator", "/events", None),
    "event page": ("coordinator", "/events/{city.past_event}", None),
    "event form": ("coordinator", "/events/{city.upcoming_event}/edit", None),
    "invitation builder": ("coordinator", "/events/{city.upcoming_event}/builder", None),
    "check-in": ("coordinator", "/events/{city.past_event}/check-in", None),
    "representation report": ("coordinator", "/events/{city.past_event}/representation", None),
    "call sheet": ("coordinator", "/events/{city.upcoming_event}/call-sheet", None),
    "ideas list": ("coordinator", "/ideas", None),
    "idea page": ("coordinator", "/ideas/{city.idea}", None),
    "idea form": ("coordinator", "/ideas/new", None),
    "keep-warm list": ("coordinator", "/ideas/keep-warm", None),
    "reach dashboard": ("coordinator", "/maps/dashboard", wait_for_charts),
    "network map": ("coordinator", "/maps", wait_for_charts),
    "power/interest grid": ("coordinator", "/maps/power-interest", wait_for_charts),
    "reach report": ("coordinator", "/maps/report", wait_for_charts),
    "export log": ("coordinator", "/exports", None),
    "possible duplicates": ("coordinator", "/duplicates", search_duplicates),
    "merge screen": ("coordinator", "/actors/merge?first={city.actor}&second=1", None),
    "imports and the upload form": ("coordinator", "/imports", None),
    "users admin": ("admin", "/admin/users", None),
}


def violations_message(name: str, violations: list[dict]) -> str:
    """Each violation with its rule, impact, help and first targets: a failure one can act on."""
    lines = [f"{name}: {len(violations)} axe rule(s) violated"]
    for violation in violations:
        targets = [" ".join(node["target"]) for node in violation["nodes"][:SHOWN_TARGETS]]
        more = len(violation["nodes"]) - len(targets)
        lines.append(
            f"- {violation['id']} ({violation['impact']}, {len(violation['nodes'])}×):"
            f" {violation['help']}\n    "
            + "\n    ".join(targets)
            + (f"\n    … {more} more" if more else "")
        )
    return "\n".join(lines)


@pytest.mark.parametrize("device", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("name", list(MAIN_PAGES))
def test_main_page_passes_axe_wcag_22_aa(name, device, new_page, city, signed_in):
    who, address, then = MAIN_PAGES[name]
    page = new_page({**device, "storage_state": signed_in[who]} if who else device)
    response = page.goto(address.format(city=city))
    assert response.ok, f"{name}: {response.status}"
    assert urlsplit(page.url).path == urlsplit(address.format(city=city)).path, "redirected"
    if then:
        then(page)

    violations = AXE.run(page, options=WCAG_22_AA).response["violations"]

    assert not violations, violations_message(name, violations)


# --- what axe cannot judge: the keyboard ------------------------------------------------------


def focused(page: Page, expression: str):
    return page.evaluate(f"(() => {{ const e = document.activeElement; return {expression}; }})()")


def test_the_skip_link_is_the_first_tab_stop_and_moves_the_focus_to_the_content(
    new_page, city, signed_in
):
    page = new_page({**DESKTOP, "storage_state": signed_in["coordinator"]})
    page.goto(f"/actors/{city.actor}")

    page.keyboard.press("Tab")
    assert focused(page, "e.textContent.trim()") == "Naar de inhoud"
    page.keyboard.press("Enter")
    assert focused(page, "e.tagName + '#' + e.id") == "MAIN#content"

    page.keyboard.press("Tab")  # the next stop is the page's own first control, not the menu
    assert focused(page, "!!e.closest('main')") is True


def test_a_failed_submit_focuses_the_first_field_in_error_which_names_its_error(
    new_page, signed_in
):
    page = new_page({**DESKTOP, "storage_state": signed_in["coordinator"]})
    page.goto("/actors/new")

    page.click("#save")

    expect(page.locator("#name")).to_be_focused()
    assert page.get_attribute("#name", "aria-invalid") == "true"
    described_by = page.get_attribute("#name", "aria-describedby")
    assert page.locator(f"#{described_by}").inner_text() == "Dit veld is verplicht."


def test_a_logged_contact_puts_the_focus_on_the_message_saying_so(new_page, city, signed_in):
    page = new_page({**DESKTOP, "storage_state": signed_in["coordinator"]})
    page.goto(f"/actors/{city.actor}")
    page.select_option("#channel", "phone")
    page.select_option("#outcome", "no_answer")

    page.click("#log-contact")

    expect(page.locator(".flash")).to_be_focused()
    expect(page.locator(".flash")).to_have_attribute("role", "status")


def contacts_stored(engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(text("SELECT count(*) FROM contact_logs"))


def test_enter_in_the_date_time_field_does_not_submit_and_tab_leaves_it_in_one_step(
    new_page, city, signed_in, engine
):
    page = new_page({**DESKTOP, "storage_state": signed_in["coordinator"]})
    page.goto(f"/actors/{city.actor}")
    before = contacts_stored(engine)
    page.evaluate(
        "window.submitted = 0;"
        " document.addEventListener('submit', () => { window.submitted += 1; }, true)"
    )
    page.focus("#occurred_at")

    page.keyboard.press("Enter")  # implicit submission would fire 'submit' during this press

    assert page.evaluate("window.submitted") == 0
    assert urlsplit(page.url).path == f"/actors/{city.actor}"
    assert contacts_stored(engine) == before
    page.keyboard.press("Tab")
    assert focused(page, "e.id") == "note"
    page.keyboard.press("Shift+Tab")
    assert focused(page, "e.id") == "occurred_at"
    page.keyboard.press("Shift+Tab")
    assert focused(page, "e.id") == "direction"


@pytest.mark.parametrize("selector", ["a[href]", "button", "select", "input[type=text]"])
def test_the_focus_ring_is_at_least_2_px_wide(selector, new_page, signed_in):
    page = new_page({**DESKTOP, "storage_state": signed_in["coordinator"]})
    page.goto("/actors/new")
    page.keyboard.press("Tab")  # keyboard use: :focus-visible applies from here on
    for _ in range(40):
        if focused(page, f"e.matches({selector!r})"):
            break
        page.keyboard.press("Tab")
    else:
        pytest.fail(f"no {selector} in the first 40 tab stops")

    style = focused(page, "[getComputedStyle(e).outlineStyle, getComputedStyle(e).outlineWidth]")

    assert style[0] == "solid"
    assert float(style[1].removesuffix("px")) >= 2
