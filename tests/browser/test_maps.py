"""The map pages in a real browser: plotly draws from our own origin, a click opens the actor.

Screenshots for the README (docs/screenshots/map-*.png), SQLite only, one run:

    BEREIK_SCREENSHOTS_DIR=docs/screenshots BEREIK_TEST_BACKENDS=sqlite \
        .venv/bin/python -m pytest tests/browser/test_maps.py -q

Without the variable the pictures go to a temporary folder and are only checked to be non-blank.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import DESKTOP
from tests.browser.make_screenshots import OUTPUT_DIR_VARIABLE, distinct_colours, seed_demo_data

pytestmark = pytest.mark.browser

ACTOR_PAGE = re.compile(r"/actors/(\d+)$")
MIN_COLOURS = 32
WIDE = {**DESKTOP, "viewport": {"width": 1280, "height": 900}}

# The page position of the first point of the first trace whose customdata are actor ids.
FIRST_ACTOR_POINT = """
(box) => {
  const layout = box._fullLayout;
  for (const trace of box._fullData) {
    const ids = trace.customdata;
    if (trace.mode !== "markers" || !ids || !ids.length) continue;
    const id = ids[0];
    if (!/^\\d+$/.test(String(id))) continue;
    const rect = box.getBoundingClientRect();
    return {
      id: Number(id),
      x: rect.left + layout._size.l + layout.xaxis.d2p(trace.x[0]),
      y: rect.top + layout._size.t + layout.yaxis.d2p(trace.y[0]),
    };
  }
  return null;
}
"""


@pytest.fixture
def out_dir(tmp_path) -> Path:
    return Path(os.environ.get(OUTPUT_DIR_VARIABLE) or tmp_path)


def wait_for_charts(page: Page, count: int) -> None:
    expect(page.locator(".plotly-figure[data-rendered='true']")).to_have_count(count)
    expect(page.locator(".plotly-figure .main-svg").first).to_be_visible()


def assert_not_blank(path: Path) -> None:
    width, height, colours = distinct_colours(path)
    assert width >= 1280 and height >= 800, f"{path.name} is {width}x{height}"
    assert colours > MIN_COLOURS, f"{path.name} looks blank: {colours} colours"


def test_network_map_opens_the_clicked_actor_and_the_dashboard_draws_its_charts(
    new_page, make_user, log_in_as, session, out_dir
):
    staff = make_user("staff", name="Sofie Maes")
    seed_demo_data(session, user_id=staff.id)
    page = new_page(WIDE)
    log_in_as(page, staff)

    page.goto("/maps")
    wait_for_charts(page, 1)
    page.screenshot(path=str(out_dir / "map-network.png"), full_page=False)
    point = page.locator(".plotly-figure").evaluate(FIRST_ACTOR_POINT)
    assert point, "no actor on the map"
    page.mouse.move(point["x"], point["y"])
    hover = page.locator(".hoverlayer .hovertext").first
    expect(hover).to_be_visible()
    hovered = hover.text_content()
    page.mouse.click(point["x"], point["y"])  # neighbours may overlap: plotly picks the nearest
    expect(page).to_have_url(ACTOR_PAGE)
    assert page.locator("h1").text_content().strip() in hovered

    page.goto("/maps/power-interest")
    wait_for_charts(page, 1)
    page.screenshot(path=str(out_dir / "map-power-interest.png"))

    page.goto("/maps/dashboard")
    wait_for_charts(page, 5)
    expect(page.locator("#figure-reach-by-kind .bars path").first).to_be_visible()
    expect(
        page.locator("#figure-reach-heatmap .hm, #figure-reach-heatmap image").first
    ).to_be_attached()
    page.screenshot(path=str(out_dir / "map-dashboard.png"), full_page=True)

    for name in ("map-network.png", "map-power-interest.png", "map-dashboard.png"):
        assert_not_blank(out_dir / name)
