"""The README's screenshots come from the real pages with demo data, and are never blank."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.make_screenshots import (
    FEATURED,
    OUTPUT_DIR_VARIABLE,
    distinct_colours,
    seed_demo_data,
)

pytestmark = pytest.mark.browser

MIN_COLOURS = (
    32  # a blank or single-colour page has a handful at most (anti-aliased text adds many)
)
WIDE_DESKTOP = {**DESKTOP, "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def out_dir(tmp_path) -> Path:
    """docs/screenshots/ when asked for by make_screenshots.py, else a temporary folder."""
    return Path(os.environ.get(OUTPUT_DIR_VARIABLE) or tmp_path)


def test_readme_screenshots_show_the_actor_list_an_actor_the_phone_form_and_the_plan(
    new_page, make_user, log_in_as, session, out_dir
):
    staff = make_user("staff", name="Sofie Maes")
    featured_id = seed_demo_data(session, user_id=staff.id)

    desktop = new_page(WIDE_DESKTOP)
    log_in_as(desktop, staff)
    expect(desktop.locator("table#actors tr[data-actor-id]")).to_have_count(25)
    desktop.screenshot(path=str(out_dir / "actors.png"))

    desktop.goto(f"/actors/{featured_id}")
    expect(desktop.locator("h1")).to_contain_text(FEATURED)
    expect(desktop.locator("ol.timeline li[data-channel]")).to_have_count(6)
    desktop.screenshot(path=str(out_dir / "actor.png"), full_page=True)

    phone = new_page({**PHONE, "storage_state": desktop.context.storage_state()})  # logged in
    phone.goto(f"/actors/{featured_id}")
    form = phone.locator("form#quick-contact")
    form.locator("#outcome").select_option("no_answer")
    # The first screen of a phone: the call button, the latest contacts and the form's start.
    expect(phone.locator("a.actor-call")).to_be_in_viewport()
    expect(form.locator("#outcome")).to_be_in_viewport()
    phone.screenshot(path=str(out_dir / "phone-log-call.png"))

    desktop.goto("/outreach")
    expect(desktop.locator("#today-list li.work").first).to_be_in_viewport()
    desktop.screenshot(path=str(out_dir / "plan-desktop.png"))
    phone.goto("/outreach")
    expect(phone.locator("#today-list li.work a.log-contact").first).to_be_in_viewport()
    phone.screenshot(path=str(out_dir / "plan-phone.png"))

    shots = {
        "actors.png": 1280,
        "actor.png": 1280,
        "phone-log-call.png": 780,
        "plan-desktop.png": 1280,
        "plan-phone.png": 780,
    }
    for name, width in shots.items():
        path = out_dir / name
        assert path.stat().st_size > 10_000, f"{name} is suspiciously small"
        actual_width, height, colours = distinct_colours(path)
        assert actual_width == width and height >= 800, f"{name} is {actual_width}x{height}"
        assert colours > MIN_COLOURS, f"{name} looks blank: {colours} colours"
