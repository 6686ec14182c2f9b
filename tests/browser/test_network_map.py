"""The stakeholder map of the demo city in a real browser, on a desktop and on a phone: labelled
groups that do not overlap, a legend of kinds by shape, an ego network around its actor.

Screenshots of every map for the README (docs/screenshots/map-*-desktop.png and -phone.png),
SQLite only, one run:

    BEREIK_SCREENSHOTS_DIR=docs/screenshots BEREIK_TEST_BACKENDS=sqlite \\
        .venv/bin/python -m pytest tests/browser/test_network_map.py -q
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from crm.models import Actor
from demo.city import load_demo_data
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.make_screenshots import OUTPUT_DIR_VARIABLE, distinct_colours

pytestmark = pytest.mark.browser

DEMO_ACTORS = 2000  # what `flask bootstrap` loads
GROUP_LABEL = re.compile(r"^(.+) · (\d+) van (\d+) rechtstreeks$")
# Every annotation of the figure with its text and its box on the page.
ANNOTATIONS = """
(box) => Array.from(box.querySelectorAll("g.annotation")).map((node) => {
  const r = node.querySelector("text").getBoundingClientRect();
  return {text: node.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom};
})
"""
SIZES = {"desktop": DESKTOP, "phone": PHONE}


@pytest.fixture
def out_dir(tmp_path) -> Path:
    return Path(os.environ.get(OUTPUT_DIR_VARIABLE) or tmp_path)


@pytest.fixture
def demo_city(session, make_user):
    """The demo city of `flask bootstrap` and a coordinator."""
    load_demo_data(session.connection(), actors=DEMO_ACTORS, contacts=DEMO_ACTORS * 10, seed=1)
    session.commit()
    return make_user("coordinator", name="Karel Pauwels")


def drawn(page: Page, path: str):
    page.goto(path)
    expect(page.locator(".plotly-figure[data-rendered='true']")).to_have_count(1)
    return page.locator(".plotly-figure")


def show_chart(page: Page) -> None:
    """Scroll the first chart to the top of the screen (for the README's pictures)."""
    page.evaluate("document.querySelector('.map-figure').scrollIntoView()")


def overlapping(boxes: list[dict]) -> list[tuple[str, str]]:
    return [
        (a["text"], b["text"])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and b["top"] < a["bottom"]
    ]


@pytest.mark.parametrize("size", SIZES)
def test_the_default_map_of_the_demo_city_labels_every_kind_and_has_a_kind_legend(
    new_page, log_in_as, demo_city, session, size, out_dir
):
    page = new_page(SIZES[size])
    log_in_as(page, demo_city)

    box = drawn(page, "/maps")

    labels = box.evaluate(ANNOTATIONS)
    groups = [label for label in labels if GROUP_LABEL.match(label["text"])]
    assert [GROUP_LABEL.match(g["text"]).group(1) for g in groups] == [
        "Bewoners",
        "Ondernemingen",
        "Kennisinstellingen",
        "Armoedeverenigingen",
        "Middenveldorganisaties",
        "Overheidsinstanties",
        "Andere actoren",
    ]
    shown = sum(int(GROUP_LABEL.match(g["text"]).group(3)) for g in groups)
    assert shown == session.scalar(select(func.count()).where(Actor.archived.is_(False)))
    assert overlapping(labels) == []
    width = page.viewport_size["width"]
    assert all(g["left"] >= 0 and g["right"] <= width for g in groups)
    kinds = box.locator("g.legend2")
    expect(kinds).to_contain_text("Soort")
    expect(kinds).to_contain_text("Armoedevereniging")
    expect(box.locator("g.legend")).to_contain_text("Rechtstreeks bereikt")
    show_chart(page)
    page.screenshot(path=str(out_dir / f"map-network-{size}.png"), full_page=False)


@pytest.mark.parametrize("size", SIZES)
def test_an_ego_network_puts_its_actor_in_the_middle_highlighted_and_named(
    new_page, log_in_as, demo_city, session, size, out_dir
):
    ego = session.scalars(
        select(Actor).where(Actor.kind == "poverty_organisation").order_by(Actor.id)
    ).first()
    page = new_page(SIZES[size])
    log_in_as(page, demo_city)

    box = drawn(page, f"/maps?actor={ego.id}&hops=1")

    expect(page.locator("#ego")).to_contain_text(ego.name)
    labels = box.evaluate(ANNOTATIONS)
    assert ego.name in [label["text"] for label in labels]
    assert overlapping(labels) == []
    assert box.evaluate(
        "(box) => box._fullData.some((t) => t.marker && t.marker.symbol === 'circle-open')"
    )
    show_chart(page)
    page.screenshot(path=str(out_dir / f"map-ego-{size}.png"), full_page=False)


OTHER_MAPS = {
    "power-interest": ("/maps/power-interest", 1),
    "dashboard": ("/maps/dashboard", 5),
    "report": ("/maps/report", 5),
}
MIN_COLOURS = 32  # a blank page has a handful


@pytest.mark.parametrize("size", SIZES)
def test_every_other_map_page_of_the_demo_city_draws_on_a_desktop_and_a_phone(
    new_page, log_in_as, demo_city, size, out_dir
):
    page = new_page(SIZES[size])
    log_in_as(page, demo_city)

    for name, (path, charts) in OTHER_MAPS.items():
        page.goto(path)
        expect(page.locator(".plotly-figure[data-rendered='true']")).to_have_count(charts)
        shot = out_dir / f"map-{name}-{size}.png"
        show_chart(page)
        page.screenshot(path=str(shot), full_page=False)
        assert distinct_colours(shot)[2] > MIN_COLOURS, f"{shot.name} looks blank"
