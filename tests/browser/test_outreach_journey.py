"""A coordinator works through the outreach plan: visit the first poverty organisation."""

import re

import pytest
from playwright.sync_api import expect

from crm.actors import create_actor
from crm.contacts import log_contact

pytestmark = pytest.mark.browser

ACTOR_PAGE = re.compile(r"/actors/(\d+)")


def arrange_poverty_organisations_reached_only_by_email(session) -> None:
    for name, district in [
        ("Vzw De Vlaskop", "Sinaai"),
        ("Welzijnsschakel Belsele", "Belsele"),
        ("Buurthuis De Klinge", "Sint-Niklaas"),
    ]:
        actor = create_actor(
            session,
            name=name,
            kind="poverty_organisation",
            district=district,
            phone="03 778 30 60",
            address="Kerkstraat 1",
            postcode="9100",
        )
        log_contact(session, actor_id=actor.id, channel="email", outcome="reached")
    session.commit()


def test_coordinator_visits_the_first_recommended_poverty_organisation(
    page, live_server, make_user, log_in_as, session
):
    arrange_poverty_organisations_reached_only_by_email(session)
    log_in_as(page, make_user("coordinator", name="Karel Coördinator"))

    page.goto(f"{live_server.url}/outreach")
    first = page.locator("#today-list li.work").first
    expect(first).to_have_attribute("data-action", "visit")
    actor_id = first.get_attribute("data-actor-id")
    first.locator("a.log-contact").click()

    expect(page).to_have_url(ACTOR_PAGE)
    form = page.locator("form#quick-contact")
    expect(form.locator("#channel")).to_have_value("visit")
    form.locator("#outcome").select_option("reached")
    form.locator("#note").fill("Langsgegaan op de ontmoetingsnamiddag.")
    form.locator("#log-contact").click()
    expect(page.locator(".flash.success")).to_be_visible()

    page.goto(f"{live_server.url}/outreach")
    expect(page.locator(f'#today-list li[data-actor-id="{actor_id}"]')).to_have_count(0)
    expect(page.locator("#today-list li.work")).to_have_count(2)
