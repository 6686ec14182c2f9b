"""A coordinator finds two records of one association on the possible duplicates page, compares
them side by side, takes the e-mail address of the second, merges, and lands on the kept
actor with the contacts of both."""

import re

import pytest
from playwright.sync_api import expect

from crm.contacts import log_contact
from tests.browser.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("device", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_coordinator_merges_two_duplicates_side_by_side(
    page, make_user, make_actor, log_in_as, session
):
    coordinator = make_user("coordinator", name="Griet Coördinator")
    first = make_actor(name="Vzw De Link", kind="poverty_organisation", phone="03 778 30 60")
    second = make_actor(
        name="De Link VZW",
        kind="poverty_organisation",
        phone="+32 3 778 30 60",
        email="info@delink.be",
    )
    for actor, notes in ((first, ["Eerste gesprek", "Tweede gesprek"]), (second, ["Bezoek"])):
        for note in notes:
            log_contact(session, actor_id=actor.id, channel="phone", outcome="reached", note=note)
    session.commit()
    log_in_as(page, coordinator)

    page.locator("#to-duplicates").click()
    page.get_by_role("button", name="Zoek mogelijke dubbels").click()
    expect(page).to_have_url(re.compile(r"/duplicates$"))
    pair = page.locator("tr.pair")
    expect(pair).to_have_count(1)
    expect(pair).to_contain_text("zelfde telefoonnummer")
    pair.get_by_role("link", name="Vergelijk en voeg samen").click()

    expect(page.locator("#record-first")).to_contain_text("Vzw De Link")
    expect(page.locator("#record-second")).to_contain_text("De Link VZW")
    page.locator("#field-email label", has_text="info@delink.be").click()
    button = page.locator("#merge")
    expect(button).to_have_text(
        "Samenvoegen: Vzw De Link blijft, De Link VZW verdwijnt; 1 contact gaat over"
    )
    button.click()

    expect(page).to_have_url(re.compile(rf"/actors/{first.id}$"))
    expect(page.locator(".flash")).to_contain_text("De Link VZW ging op in Vzw De Link")
    timeline = page.locator("ol.timeline > li")
    expect(timeline).to_have_count(3)
    for note in ("Eerste gesprek", "Tweede gesprek", "Bezoek"):
        expect(page.locator("ol.timeline")).to_contain_text(note)
