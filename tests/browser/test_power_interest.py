"""The power/interest grid in a real browser on a desktop and a phone: the quadrant names stand
apart from each other and from every bar, marker and name of the grid, at both levels."""

import pytest
from playwright.sync_api import Page, expect

from crm.contacts import log_contact
from tests.browser.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

QUADRANTS = ("manage_closely", "keep_satisfied", "keep_informed", "monitor")

# The page boxes of the quadrant names (by the `name` of their annotation) and of everything
# else the grid draws: bars, markers, texts of the cells, actors' names.
DRAWN_BOXES = """
(box) => {
  const rect = (element) => {
    const r = element.getBoundingClientRect();
    return {left: r.left, top: r.top, right: r.right, bottom: r.bottom};
  };
  const names = {};
  const labels = [];
  box._fullLayout.annotations.forEach((annotation, index) => {
    const text = box.querySelector(`.annotation[data-index="${index}"] text`);
    if (!text) return;
    const drawn = {...rect(text), font: parseFloat(getComputedStyle(text).fontSize)};
    if (annotation.name === "actor-label") labels.push(drawn); else names[annotation.name] = drawn;
  });
  const shown = (element) => element.getBoundingClientRect().width > 0;
  const data = [
    ...box.querySelectorAll(".barlayer .point path"),
    ...box.querySelectorAll(".scatterlayer .points path.point"),
    ...box.querySelectorAll(".scatterlayer .textpoint text"),
  ].filter(shown).map(rect);
  return {names, data: data.concat(labels), level: box._fullLayout.meta.level};
}
"""


def overlap(a: dict, b: dict) -> bool:
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and (b["top"] < a["bottom"])
    )


@pytest.fixture
def graded(make_actor, session):
    """Forty actors over the grid, some reached directly, some only by e-mail."""
    actors = [
        make_actor(
            name=f"Buurtvereniging {n}",
            kind=("resident", "civic_association", "poverty_organisation")[n % 3],
            influence=1 + n % 5,
            interest=1 + (n // 5) % 5,
        )
        for n in range(40)
    ]
    for n, actor in enumerate(actors):
        if n % 4 == 1:
            log_contact(session, actor_id=actor.id, channel="visit", outcome="reached")
        elif n % 4 == 2:
            log_contact(session, actor_id=actor.id, channel="email", outcome="reached")
    session.commit()
    return actors


def drawn_grid(page: Page, query: str = "") -> dict:
    page.goto(f"/maps/power-interest{query}")
    expect(page.locator(".plotly-figure[data-rendered='true']")).to_have_count(1)
    return page.locator(".plotly-figure").evaluate(DRAWN_BOXES)


@pytest.mark.parametrize("device", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("node_limit", [2000, 10], ids=["actors", "cells"])
def test_quadrant_names_overlap_nothing_on_desktop_and_phone(
    new_page, make_user, log_in_as, graded, live_server, monkeypatch, device, node_limit
):
    monkeypatch.setitem(live_server.app.config, "MAP_NODE_LIMIT", node_limit)
    coordinator = make_user("coordinator", name="Karel Pauwels")
    page = new_page(device)
    log_in_as(page, coordinator)

    grid = drawn_grid(page)

    assert grid["level"] == ("actor" if node_limit == 2000 else "cell")
    names = grid["names"]
    assert sorted(names) == sorted(QUADRANTS)
    assert [n for n, box in names.items() if box["font"] < 12] == []
    assert len(grid["data"]) >= (40 if node_limit == 2000 else 25)
    for name, box in names.items():
        others = [other for key, other in names.items() if key != name]
        assert not any(overlap(box, other) for other in others), name
        assert not any(overlap(box, item) for item in grid["data"]), name
    texts = page.locator(".plotly-figure .annotation text").all_text_contents()
    assert {"Nauw betrekken", "Tevreden houden", "Informeren", "In het oog houden"} <= set(texts)
