"""The map pages in a real browser: plotly draws from our own origin, a click opens the actor.

The README's pictures of the maps come from tests/browser/test_network_map.py (the demo city).
"""

import math
import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import DESKTOP
from tests.browser.make_screenshots import (
    demo_actor_fields,
    distinct_colours,
    seed_demo_data,
)

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


def wait_for_charts(page: Page, count: int) -> None:
    expect(page.locator(".plotly-figure[data-rendered='true']")).to_have_count(count)
    expect(page.locator(".plotly-figure .main-svg").first).to_be_visible()


def assert_not_blank(path: Path) -> None:
    width, height, colours = distinct_colours(path)
    assert width >= 1280 and height >= 800, f"{path.name} is {width}x{height}"
    assert colours > MIN_COLOURS, f"{path.name} looks blank: {colours} colours"


def test_network_map_opens_the_clicked_actor_and_the_dashboard_draws_its_charts(
    new_page, make_user, log_in_as, session, tmp_path
):
    out_dir = tmp_path
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


# --- the power/interest grid, the group map's drill-down (print report: test_print_report.py)

# Every node of the group map: its kind × district key, its number of actors, its marker size
# (a diameter in pixels) and its page position.
GROUP_NODES = """
(box) => {
  const layout = box._fullLayout;
  const rect = box.getBoundingClientRect();
  const prefix = "kind_district:";
  const nodes = [];
  for (const trace of box._fullData) {
    const keys = trace.customdata;
    if (trace.mode !== "markers" || !keys) continue;
    const totals = (trace.meta && trace.meta.totals) || [];
    for (let i = 0; i < keys.length; i++) {
      const key = String(keys[i]);
      if (!key.startsWith(prefix)) continue;
      const size = trace.marker.size;
      nodes.push({
        key: key.slice(prefix.length),
        total: totals[i],
        size: typeof size === "number" ? size : Number(size[i]),
        x: rect.left + layout._size.l + layout.xaxis.d2p(trace.x[i]),
        y: rect.top + layout._size.t + layout.yaxis.d2p(trace.y[i]),
      });
    }
  }
  return nodes;
}
"""
MAP_LEVEL = "(box) => box._fullLayout.meta && box._fullLayout.meta.level"
UNKNOWN_DISTRICT = "\u2014"


def demo_groups() -> Counter:
    """The number of demo actors per (kind, district)."""
    return Counter((fields["kind"], fields["district"]) for fields in demo_actor_fields())


def demo_names(kind: str, district: str) -> set[str]:
    return {
        fields["name"]
        for fields in demo_actor_fields()
        if (fields["kind"], fields["district"]) == (kind, district)
    }


@pytest.fixture
def node_limit(live_server) -> Iterator[Callable[[int], None]]:
    """Set MAP_NODE_LIMIT on the running app for this test; the old value comes back after it."""
    config = live_server.app.config
    saved = config["MAP_NODE_LIMIT"]

    def set_limit(limit: int) -> None:
        config["MAP_NODE_LIMIT"] = limit

    yield set_limit
    config["MAP_NODE_LIMIT"] = saved


def isolated(node: dict, others: list[dict]) -> bool:
    """Whether no other marker touches this one: plotly then cannot pick a neighbour."""
    return all(
        math.dist((node["x"], node["y"]), (other["x"], other["y"]))
        > (node["size"] + other["size"]) / 2 + 4
        for other in others
        if other is not node
    )


def test_power_interest_grid_hovers_and_opens_an_actor_and_lists_every_actor(
    new_page, make_user, log_in_as, session, tmp_path
):
    staff = make_user("staff", name="Sofie Maes")
    seed_demo_data(session, user_id=staff.id)
    page = new_page(WIDE)
    log_in_as(page, staff)

    page.goto("/maps/power-interest")
    wait_for_charts(page, 1)
    expect(page.locator("#figure-power-interest .main-svg").first).to_be_visible()
    rows = page.locator("#power-interest-table tbody tr[data-actor-id]")
    expect(rows).to_have_count(len(demo_actor_fields()))
    listed = {name.strip() for name in rows.locator("td:first-child a").all_text_contents()}
    assert listed == {fields["name"] for fields in demo_actor_fields()}
    page.screenshot(path=str(tmp_path / "grid.png"))
    assert_not_blank(tmp_path / "grid.png")

    point = page.locator(".plotly-figure").evaluate(FIRST_ACTOR_POINT)
    assert point, "no actor on the grid"
    page.mouse.move(point["x"], point["y"])
    hover = page.locator(".hoverlayer .hovertext").first
    expect(hover).to_be_visible()
    hovered = hover.text_content()
    page.mouse.click(point["x"], point["y"])  # jittered neighbours may overlap: nearest wins
    expect(page).to_have_url(ACTOR_PAGE)
    name = page.locator("h1").text_content().strip()
    assert name and name in hovered
    actor_id = ACTOR_PAGE.search(page.url).group(1)
    page.go_back()
    row = page.locator(f"#power-interest-table tr[data-actor-id='{actor_id}']")
    expect(row.locator("td").first).to_contain_text(name)


def test_group_map_drills_down_into_the_clicked_group(
    new_page, make_user, log_in_as, session, node_limit
):
    staff = make_user("staff", name="Sofie Maes")
    seed_demo_data(session, user_id=staff.id)
    groups = demo_groups()
    biggest = max(groups.values())
    assert 1 < biggest < sum(groups.values())
    node_limit(biggest)  # every actor together is a group map, any one group an actor map
    page = new_page(WIDE)
    log_in_as(page, staff)

    page.goto("/maps")
    wait_for_charts(page, 1)
    box = page.locator(".plotly-figure")
    assert box.evaluate(MAP_LEVEL) == "group"
    expect(page.locator("#group-level")).to_be_visible()
    nodes = box.evaluate(GROUP_NODES)
    assert {tuple(node["key"].split("/", 1)) for node in nodes} == set(groups)
    candidates = [
        node
        for node in nodes
        if not node["key"].endswith("/" + UNKNOWN_DISTRICT) and isolated(node, nodes)
    ]
    assert candidates, "every group with a district overlaps another on the map"
    node = max(candidates, key=lambda n: (n["total"], n["key"]))
    kind, district = node["key"].split("/", 1)
    assert node["total"] == groups[(kind, district)]

    page.mouse.move(node["x"], node["y"])
    hover = page.locator(".hoverlayer .hovertext").first
    expect(hover).to_contain_text(district)
    expect(hover).to_contain_text(f"{node['total']}")
    page.mouse.click(node["x"], node["y"])

    expect(page).to_have_url(re.compile(r"/maps\?"))
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"kind": [kind], "district": [district]}
    wait_for_charts(page, 1)
    assert page.locator(".plotly-figure").evaluate(MAP_LEVEL) == "actor"
    expect(page.locator("#group-level")).to_have_count(0)
    expect(page.locator("#kind")).to_have_value(kind)
    expect(page.locator("#district")).to_have_value(district)
    rows = page.locator("#network-table tbody tr[data-actor-id]")
    expect(rows).to_have_count(node["total"])
    names = {name.strip() for name in rows.locator("td:first-child a").all_text_contents()}
    assert names == demo_names(kind, district)
    for cell in rows.locator("td:nth-child(3)").all_text_contents():
        assert cell.strip() == district
    assert page.locator(".plotly-figure").evaluate(FIRST_ACTOR_POINT), "no actor on the map"
