"""The contact form in a real browser: it offers only the outcomes the chosen channel can have."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE

pytestmark = pytest.mark.browser


def test_the_form_offers_only_the_outcomes_of_the_chosen_channel(
    new_page, make_user, make_actor, log_in_as
):
    staff = make_user("staff", name="Sofie Maes")
    actor = make_actor(name="Vzw De Brug", kind="poverty_organisation")
    page = new_page(PHONE)
    log_in_as(page, staff)
    page.goto(f"/actors/{actor.id}")
    form = page.locator("form#quick-contact")
    outcome = form.locator("select[name=outcome]")

    form.locator("select[name=channel]").select_option("visit")
    enabled = outcome.locator("option:not([disabled])")
    assert [o.get_attribute("value") for o in enabled.all()] == [
        "reached",
        "no_answer",
        "declined",
        "wrong_contact",
        "planned",
    ]

    outcome.select_option("no_answer")
    form.locator("select[name=channel]").select_option("letter")
    expect(outcome).to_have_value("reached")  # "no answer" cannot happen on a letter
    assert [o.get_attribute("value") for o in enabled.all()] == [
        "reached",
        "wrong_contact",
        "planned",
    ]
