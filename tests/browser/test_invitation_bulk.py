"""Issue 11 in the browser: a coordinator ticks three invitations on the event page, sets their
status with one action, confirms the question naming how many, and sees the three changed, on a
desktop and on a phone."""

import re

import pytest
from playwright.sync_api import Page, expect

from crm.actors import create_actor
from crm.events import create_event
from crm.invitations import add_invitations
from tests.browser.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

NAMES = ["Ahmed El Amrani", "Jozef Van Goethem", "Lotte De Smet", "Marleen Verhulst"]


def event_with_four_invitations(session) -> tuple[int, dict[str, int]]:
    """An atelier with four residents on its list (to invite, by phone); the invitation ids
    by name."""
    event = create_event(
        session,
        name="Ideeënatelier mobiliteit",
        type="idea_atelier",
        starts_at="2030-05-14T19:00",
        capacity=20,
    )
    actors = [create_actor(session, name=n, kind="resident", phone="03 778 30 60") for n in NAMES]
    invitations = add_invitations(session, event.id, actor_ids=[a.id for a in actors])
    session.commit()
    return event.id, {i.actor.name: i.id for i in invitations}


def row(page: Page, invitation_id: int):
    return page.locator(f"#invitation-list tr[data-invitation-id='{invitation_id}']")


@pytest.mark.parametrize("device", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_coordinator_sets_the_status_of_three_invitations_at_once(
    new_page, device, make_user, log_in_as, session
):
    event_id, ids = event_with_four_invitations(session)
    page = new_page(device)
    log_in_as(page, make_user("coordinator", name="Karel Pauwels"))
    page.goto(f"/events/{event_id}")

    for name in NAMES[:3]:
        page.check(f"#pick-{ids[name]}")
    expect(page.locator("#bulk-count")).to_have_text("3 aangevinkt")
    assert page.eval_on_selector("#select-all", "box => box.indeterminate")
    page.select_option("#bulk-status", "invited")
    expect(page.locator("#bulk-apply")).to_be_in_viewport()  # the bar stays in sight
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    page.click("#bulk-apply")

    expect(page).to_have_url(re.compile(rf"/events/{event_id}(\?page=1)?#invitations$"))
    assert questions == ["3 uitnodigingen wijzigen naar Uitgenodigd?"]
    expect(page.locator(".flash.success")).to_have_text("3 uitnodigingen gewijzigd.")
    for name in NAMES[:3]:
        expect(row(page, ids[name])).to_have_attribute("data-status", "invited")
    expect(row(page, ids[NAMES[3]])).to_have_attribute("data-status", "to_invite")
    expect(page.locator("#status-counts li[data-status=invited]")).to_have_attribute(
        "data-count", "3"
    )


def test_declining_the_question_changes_nothing(new_page, make_user, log_in_as, session):
    event_id, ids = event_with_four_invitations(session)
    page = new_page(PHONE)
    log_in_as(page, make_user("coordinator"))
    page.goto(f"/events/{event_id}")

    page.check("#select-all")
    expect(page.locator("#bulk-count")).to_have_text("4 aangevinkt")
    page.select_option("#bulk-status", "declined")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("#bulk-apply")

    page.wait_for_timeout(300)  # a submit would have left the page by now
    for invitation_id in ids.values():
        expect(row(page, invitation_id)).to_have_attribute("data-status", "to_invite")
