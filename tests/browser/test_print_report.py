"""The print report on A4 in a real browser (issue 10): every chart printed as an image inside
the page width, no chart split over two pages, flagged groups under one heading per flag, no
menus on paper, and a PDF from the browser's print that reads as the report.

The printed report as a picture, SQLite only:

    BEREIK_SCREENSHOTS_DIR=/tmp/shots BEREIK_TEST_BACKENDS=sqlite \\
        .venv/bin/python -m pytest tests/browser/test_print_report.py -q
"""

import io
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from app.maps.charts import DASHBOARD
from demo.city import load_demo_data
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.make_screenshots import OUTPUT_DIR_VARIABLE, distinct_colours, seed_demo_data

pytestmark = pytest.mark.browser

MM = 96 / 25.4  # CSS pixels per millimetre
# A4 is 210 mm wide; maps-print.css prints it with 15 mm margins: a 180 mm column.
PRINTED_WIDTH_PX = (210 - 2 * 15) * MM
MIN_COLOURS = 32

# Per chart: its printed element (the image maps-print.js made), the box of that element and
# of the report column, and the computed break-inside of the chart's block.
PRINTED_CHARTS = """
(report) => {
  const column = report.getBoundingClientRect();
  return Array.from(report.querySelectorAll(".chart-block")).map((block) => {
    const shown = Array.from(block.querySelectorAll("img.print-image, .plotly-figure"))
      .filter((el) => getComputedStyle(el).display !== "none");
    const box = shown.length === 1 ? shown[0].getBoundingClientRect() : null;
    return {
      name: block.querySelector(".plotly-figure").dataset.figure,
      shown: shown.map((el) => el.tagName.toLowerCase()),
      left: box && box.left, right: box && box.right, width: box && box.width,
      columnLeft: column.left, columnWidth: column.width,
      breakInside: getComputedStyle(block).breakInside,
      imageLoaded: shown.length === 1 && shown[0].tagName === "IMG"
        && shown[0].complete && shown[0].naturalWidth > 0,
      source: shown.length === 1 && shown[0].tagName === "IMG" ? shown[0].src.slice(0, 24) : "",
    };
  });
}
"""


@pytest.fixture
def out_dir(tmp_path) -> Path:
    return Path(os.environ.get(OUTPUT_DIR_VARIABLE) or tmp_path)


def open_report(page: Page) -> None:
    page.goto("/maps/report")
    expect(page.locator(".plotly-figure[data-rendered='true']")).to_have_count(len(DASHBOARD))
    expect(page.locator("#report")).to_have_attribute("data-print-ready", "true")


def pdf_text(pdf: bytes) -> str:
    """The text of a PDF's pages (pypdf)."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_print_report_fits_every_chart_on_a4_and_prints_without_menus(
    new_page, make_user, log_in_as, session, out_dir, size
):
    coordinator = make_user("coordinator", name="Karel Pauwels")
    load_demo_data(session.connection(), actors=2000, contacts=20_000, seed=1)  # the demo city
    session.commit()
    page = new_page({"desktop": DESKTOP, "phone": PHONE}[size])
    log_in_as(page, coordinator)
    open_report(page)

    menus = [page.locator("header.top"), page.locator(".map-tabs"), page.locator("#print-report")]
    for menu in menus:
        expect(menu).to_be_visible()
    expect(page.locator("img.print-image").first).to_be_hidden()  # images are for paper only

    page.emulate_media(media="print")
    for menu in menus:
        expect(menu).to_be_hidden()
    report = page.locator("#report")
    charts = report.evaluate(PRINTED_CHARTS)

    assert [chart["name"] for chart in charts] == list(DASHBOARD)
    for chart in charts:
        name = chart["name"]
        assert chart["shown"] == ["img"], f"{name}: printed as {chart['shown']}"
        assert chart["imageLoaded"] and chart["source"].startswith("data:image/svg+xml"), name
        assert abs(chart["columnWidth"] - PRINTED_WIDTH_PX) < 1, chart
        assert chart["left"] >= chart["columnLeft"] - 0.5, chart
        assert chart["right"] <= chart["columnLeft"] + PRINTED_WIDTH_PX + 0.5, chart
        assert chart["width"] > PRINTED_WIDTH_PX * 0.9, chart  # the page width, not a thumbnail
        assert chart["breakInside"] == "avoid", chart

    path = out_dir / f"report-print-{size}.png"
    page.screenshot(path=str(path), full_page=True)
    width, height, colours = distinct_colours(path)
    assert height >= 800 and colours > MIN_COLOURS, (width, height, colours)

    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF-")
    (out_dir / f"report-{size}.pdf").write_bytes(pdf)
    text = pdf_text(pdf)
    assert "Bereikrapport" in text
    assert "Onvoldoende bereikt (" in text
    assert "(Onvoldoende bereikt)" not in text


def test_flagged_groups_come_under_one_heading_per_flag(new_page, make_user, log_in_as, session):
    coordinator = make_user("coordinator", name="Karel Pauwels")
    seed_demo_data(session, user_id=coordinator.id)
    page = new_page(DESKTOP)
    log_in_as(page, coordinator)
    open_report(page)

    tables = page.locator("#flagged-groups table[data-flag]")
    flags = [table.get_attribute("data-flag") for table in tables.all()]
    assert flags and flags[0] == "under_reached"
    assert len(flags) == len(set(flags))
    rows = page.locator("#flagged-groups tr[data-group]")
    idents = [row.get_attribute("data-group") for row in rows.all()]
    assert idents and all(re.fullmatch(r"[a-z_]+:.+", ident) for ident in idents), idents
    assert len(idents) == len(set(idents))
    caption = page.locator("#flagged-under_reached caption").text_content()
    assert re.fullmatch(r"Onvoldoende bereikt \(\d+\)", caption.strip()), caption
    assert "Onvoldoende bereikt" not in " ".join(
        page.locator("#flagged-under_reached tbody").all_text_contents()
    )
    # A flagged kind or district is flagged in the table view as well.
    for ident in idents:
        row = page.locator(
            f"#kind-table tr[data-group='{ident}'], #district-table tr[data-group='{ident}']"
        )
        if row.count():
            assert row.locator("td").last.text_content().strip(), f"{ident} unflagged in table"


def test_report_and_dashboard_fit_a_phone_the_heatmap_giving_way_to_its_table(
    new_page, make_user, log_in_as, session
):
    coordinator = make_user("coordinator", name="Karel Pauwels")
    seed_demo_data(session, user_id=coordinator.id)
    page = new_page(PHONE)
    log_in_as(page, coordinator)

    open_report(page)
    assert page.evaluate("document.documentElement.scrollWidth") == 390

    page.goto("/maps/dashboard")
    expect(page.locator(".plotly-figure[data-rendered='true']")).to_have_count(len(DASHBOARD))
    assert page.evaluate("document.documentElement.scrollWidth") == 390
    expect(page.locator("#figure-reach-heatmap")).to_be_hidden()
    page.locator("#kind-district-view summary").click()
    expect(page.locator("#kind-district-table tbody tr").first).to_be_visible()
