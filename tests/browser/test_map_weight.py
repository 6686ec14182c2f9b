"""The map pages on the demo city (2 000 actors, as `flask bootstrap` loads it), in chromium:
light on the wire, nothing that sends data off Bereik, Dutch toolbar, and legible on a phone.

The weight is Chromium's own byte count (tests/support/page_weight.py) on the live server, which
gzips the map pages as the app does: a first visit of /maps at most 600 KB, the same page again
at most 60 KB (docs/performance.md#maps-and-pages).
"""

import json
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from app.maps.charts import DASHBOARD
from demo.city import load_demo_data
from tests.browser.conftest import DESKTOP, PHONE, TIMEOUT_MS
from tests.support.page_weight import ALL_CHARTS_DRAWN, TransferMeter

pytestmark = pytest.mark.browser

MAP_PAGES = ("/maps", "/maps/power-interest", "/maps/dashboard", "/maps/report")
FIRST_VISIT_MAX_BYTES = 600_000
REPEAT_VISIT_MAX_BYTES = 60_000
DEMO_ACTORS, DEMO_CONTACTS = 2_000, 20_000  # app/cli.py: BOOTSTRAP_ACTORS, BOOTSTRAP_CONTACTS
DUTCH_TOOLBAR = {"Grafiek downloaden als PNG", "Inzoomen", "Verschuiven", "Assen herstellen"}
ENGLISH_TOOLBAR = {"Download plot as a PNG", "Zoom", "Pan", "Reset axes"}
OFF_SERVER = re.compile(r"share|cloud|chart studio|plotly\.com|delen", re.IGNORECASE)
MIN_TEXT_PX = 11

# The visible <text> of the charts with their computed font size.
CHART_TEXTS = """
() => Array.from(document.querySelectorAll('.plotly-figure svg text'))
  .filter((t) => t.textContent.trim() && t.getClientRects().length)
  .filter((t) => getComputedStyle(t).visibility !== 'hidden')
  .map((t) => ({text: t.textContent.trim(), px: parseFloat(getComputedStyle(t).fontSize),
                figure: t.closest('.plotly-figure').dataset.figure}))
"""
# Per chart: the plot area and the boxes of every legend and colour bar, in page pixels.
CHART_BOXES = """
() => Array.from(document.querySelectorAll('.plotly-figure')).map((box) => {
  const rect = (el) => { const r = el.getBoundingClientRect();
                         return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; };
  const plot = box.querySelector('.draglayer .nsewdrag');
  const parts = Array.from(box.querySelectorAll('.infolayer > g'))
    .filter((g) => /^legend\\d*$/.test(g.getAttribute('class')) || g.classList.contains('colorbar'))
    .filter((g) => g.getBoundingClientRect().height > 0)
    .map((g) => ({name: g.getAttribute('class'), ...rect(g)}));
  return {figure: box.dataset.figure, plot: plot ? rect(plot) : null, parts: parts};
})
"""
MODEBAR_TITLES = (
    "() => Array.from(document.querySelectorAll('.modebar-btn'))"
    ".map((b) => b.getAttribute('data-title'))"
)
LINKS = (
    "() => Array.from(document.querySelectorAll('a[href], [*|href]'))"
    ".map((a) => a.href && (a.href.baseVal !== undefined ? a.href.baseVal : a.href))"
    ".filter(Boolean)"
)


@pytest.fixture
def demo_city(live_server, engine, make_user):
    """The demo city of a fresh install and a coordinator to look at it."""
    with engine.begin() as connection:
        load_demo_data(connection, actors=DEMO_ACTORS, contacts=DEMO_CONTACTS, seed=1)
    return make_user("coordinator", name="Karel Pauwels")


def wait_for_charts(page: Page) -> None:
    page.wait_for_function(ALL_CHARTS_DRAWN, timeout=4 * TIMEOUT_MS)


def overlap(a: dict, b: dict) -> float:
    """The area two page rectangles share."""
    width = min(a["right"], b["right"]) - max(a["left"], b["left"])
    height = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    return max(width, 0) * max(height, 0)


# --- nothing leaves the server; the toolbar in the UI's language ----------------------------


def test_no_map_page_offers_to_send_a_chart_off_bereik_and_the_toolbar_is_dutch(
    new_page, log_in_as, demo_city, live_server
):
    page = new_page(DESKTOP)
    log_in_as(page, demo_city)

    for path in MAP_PAGES:
        page.goto(path)
        wait_for_charts(page)
        titles = page.evaluate(MODEBAR_TITLES)
        assert titles, f"{path}: no toolbar at all"
        assert not [t for t in titles if OFF_SERVER.search(t or "")], path
        assert set(titles) == DUTCH_TOOLBAR, path
        foreign = {
            link
            for link in page.evaluate(LINKS)
            if urlsplit(link).scheme in ("http", "https")
            and urlsplit(link).netloc != urlsplit(live_server.url).netloc
        }
        assert not foreign, f"{path} links to {foreign}"

    page.goto("/maps/dashboard?lang=en")
    wait_for_charts(page)
    assert set(page.evaluate(MODEBAR_TITLES)) == ENGLISH_TOOLBAR


def test_a_chart_shows_it_is_loading_and_tells_when_drawing_failed(
    new_page, log_in_as, demo_city, browser_problems
):
    page = new_page(DESKTOP)
    log_in_as(page, demo_city)
    # plotly.js that never comes: the charts cannot be drawn.
    page.route("**/assets/plotly.min.js*", lambda route: route.abort())

    page.goto("/maps/dashboard")

    status = page.locator("#figure-reach-by-kind .map-status")
    expect(status).to_have_class(re.compile(r"\bfailed\b"))
    expect(status).to_contain_text("De kaart kon niet getekend worden.")
    expect(page.locator(".plotly-figure[data-rendered='true']")).to_have_count(0)
    browser_problems.clear()  # the refused script is logged as a console error on purpose

    page.unroute("**/assets/plotly.min.js*")
    page.add_init_script(
        "window.drawn = []; document.addEventListener('bereik:drawn',"
        " (event) => window.drawn.push(event.detail.figure));"
    )
    page.goto("/maps/dashboard")
    page.wait_for_function("() => window.drawn.length === 5")
    drawn = page.evaluate("() => window.drawn")
    assert sorted(drawn) == sorted(DASHBOARD)
    for status in page.locator(".map-status").all():
        expect(status).to_be_hidden()


# --- a phone ---------------------------------------------------------------------------------


def test_every_map_page_is_legible_on_a_phone(new_page, log_in_as, demo_city):
    page = new_page(PHONE)
    log_in_as(page, demo_city)

    for path in MAP_PAGES:
        page.goto(path)
        wait_for_charts(page)
        expect(page.locator(".modebar-btn")).to_have_count(0)
        small = [t for t in page.evaluate(CHART_TEXTS) if t["px"] < MIN_TEXT_PX]
        assert not small, f"{path}: text under {MIN_TEXT_PX} px: {small[:5]}"
        for chart in page.evaluate(CHART_BOXES):
            where = f"{path} {chart['figure']}"
            assert chart["plot"], f"{where}: no plot area"
            for part in chart["parts"]:
                assert overlap(part, chart["plot"]) == 0, f"{where}: {part['name']} on the plot"
            for one in chart["parts"]:
                for other in chart["parts"]:
                    if one is not other:
                        assert overlap(one, other) == 0, f"{where}: {one} overlaps {other}"


# --- the weight on the wire ------------------------------------------------------------------


@pytest.fixture
def measured_page(browser, live_server) -> Iterator[tuple[Page, TransferMeter]]:
    """A desktop page whose bytes are counted, with Chromium's cache on (no request routing:
    the meter fails the test on any other host instead)."""
    context = browser.new_context(base_url=live_server.url, locale="nl-BE", **DESKTOP)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    meter = TransferMeter(context, page)
    yield page, meter
    context.close()
    assert meter.hosts <= {"127.0.0.1"}, f"asked another host: {meter.hosts}"


def test_the_network_map_is_light_on_a_first_visit_and_lighter_on_the_next(
    measured_page, log_in_as, demo_city
):
    page, meter = measured_page
    log_in_as(page, demo_city)
    meter.clear_cache()

    first = meter.visit("/maps")
    again = meter.visit("/maps")

    assert first.bytes <= FIRST_VISIT_MAX_BYTES, first
    assert again.bytes <= REPEAT_VISIT_MAX_BYTES, again
    page_again = next(size for url, size in again.sizes.items() if url.endswith("/maps"))
    assert page_again < 1_000, again  # a 304: headers, no body


# --- a figure that asks for the shape of its plot area ----------------------------------------

ASPECT = 0.9  # at 390 px the plot area stays above the 200 px floor of maps.js
FIGURE_JSON = re.compile(
    r'(<script type="application/json" class="figure-json" data-figure="reach-by-kind">)'
    r"(.*?)(</script>)",
    re.S,
)
PLOT_SHAPE = """
() => {
  const box = document.querySelector('#figure-reach-by-kind .plotly-figure');
  const size = box._fullLayout._size;
  return {width: size.w, height: size.h, box: box.clientWidth,
          settled: !box.dataset.drawing && box.dataset.width === String(box.clientWidth)};
}
"""


def with_aspect(route) -> None:
    """The dashboard with layout.meta.aspect set on its first chart (as the network map will)."""
    response = route.fetch()

    def add_aspect(match: re.Match) -> str:
        figure = json.loads(match.group(2))
        figure["layout"]["meta"] = {"aspect": ASPECT}
        text = json.dumps(figure).replace("<", "\\u003c").replace(">", "\\u003e")
        return match.group(1) + text.replace("&", "\\u0026") + match.group(3)

    body = FIGURE_JSON.sub(add_aspect, response.text(), count=1)
    headers = {
        name: value
        for name, value in response.headers.items()
        if name.lower() not in ("content-encoding", "content-length", "etag")
    }
    route.fulfill(status=response.status, headers=headers, body=body)


def test_a_figure_with_an_aspect_keeps_the_shape_of_its_plot_area_at_every_width(
    new_page, log_in_as, demo_city
):
    page = new_page(DESKTOP)
    log_in_as(page, demo_city)
    page.route(re.compile(r"/maps/dashboard$"), with_aspect)
    page.goto("/maps/dashboard")
    wait_for_charts(page)

    for width in (1280, 900, 390):  # a desktop, a tablet, a phone: resized in place
        page.set_viewport_size({"width": width, "height": 800})
        page.wait_for_function(f"() => ({PLOT_SHAPE})().settled")
        shape = page.evaluate(PLOT_SHAPE)
        assert abs(shape["height"] - ASPECT * shape["width"]) <= 2, (width, shape)
