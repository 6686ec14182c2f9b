"""The outreach plan as a work list on the demo city: the first action without scrolling, a
claim that keeps the coordinator at the row, and a page that stays light (issue 11)."""

import re

import pytest
from playwright.sync_api import Page, expect

from demo.city import load_demo_data
from tests.browser.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

DEMO_ACTORS, DEMO_CONTACTS = 2_000, 20_000  # what `flask bootstrap` (make run) loads
PLAN_HTML_LIMIT = 100_000  # bytes of HTML at demo scale


@pytest.fixture
def demo_city(live_server, engine, make_user):
    """The demo city of a fresh install and a coordinator to work through it."""
    with engine.begin() as connection:
        load_demo_data(connection, actors=DEMO_ACTORS, contacts=DEMO_CONTACTS, seed=1)
    return make_user("coordinator", name="Karel Pauwels")


def in_first_screen(page: Page, locator) -> bool:
    """Whether the element lies wholly inside the viewport with the page not scrolled."""
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    scrolled = page.evaluate("window.scrollY")
    inside = box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height
    return scrolled == 0 and inside


@pytest.mark.parametrize("device", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_first_action_is_in_the_first_screen_and_a_claim_stays_at_its_row(
    page, live_server, log_in_as, demo_city
):
    log_in_as(page, demo_city)

    response = page.goto(f"{live_server.url}/outreach")

    assert len(response.body()) < PLAN_HTML_LIMIT
    first = page.locator("#today-list li.work").first
    expect(first.locator("a.log-contact")).to_be_visible()
    assert in_first_screen(page, first.locator(".work-do a").first)
    assert in_first_screen(page, first.locator("a.log-contact"))

    row = page.locator("#today-list li.work").nth(6)
    actor_id = row.get_attribute("data-actor-id")
    row.scroll_into_view_if_needed()
    row.get_by_role("button", name="Op mijn lijst").click()

    expect(page).to_have_url(re.compile(rf"/outreach#today-{actor_id}$"))
    claimed = page.locator(f"#today-{actor_id}")
    expect(claimed.get_by_test_id("claimed-by-me")).to_have_text("op je lijst")
    expect(claimed).to_be_in_viewport()


def test_a_claim_inside_a_folded_group_opens_the_group_again_at_that_row(
    page, live_server, log_in_as, demo_city
):
    log_in_as(page, demo_city)
    page.goto(f"{live_server.url}/outreach")
    group = page.locator("details#group-2")
    group.locator("summary").click()
    row = group.locator("li.work").last
    actor_id = row.get_attribute("data-actor-id")

    row.get_by_role("button", name="Op mijn lijst").click()

    expect(page).to_have_url(re.compile(rf"/outreach#g2-{actor_id}$"))
    expect(page.locator("details#group-2")).to_have_attribute("open", "")
    expect(page.locator(f"#g2-{actor_id}").get_by_test_id("claimed-by-me")).to_be_in_viewport()
