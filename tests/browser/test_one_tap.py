"""One tap is one contact: a staff member finds the association by two pieces of words and logs
a visit with a double tap; the server stores it once (crm.contacts.log_contact_once)."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from crm.models import ContactLog
from tests.browser.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

# The same rendered form sent twice at once by the page itself: both requests reach the
# server whatever the button does (bereik.js disables it after the first submit, which must
# not be what this test relies on).
SEND_FORM_TWICE_AT_ONCE = """form => Promise.all([1, 2].map(() =>
    fetch(form.action, {method: "POST", body: new FormData(form)}).then(r => r.status)))"""


def contacts_of(session, actor) -> int:
    session.rollback()  # see what the live server committed
    query = select(func.count()).select_from(ContactLog).where(ContactLog.actor_id == actor.id)
    return session.scalar(query)


@pytest.mark.parametrize("device", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_visit_logged_with_a_double_tap_is_one_contact(
    page, make_user, make_actor, log_in_as, session
):
    staff = make_user("staff", name="Sofie Maes")
    praatcafe = make_actor(name="Praatcafé Belsele", kind="civic_association", district="Belsele")
    make_actor(name="Praatcafé De Brug", kind="civic_association", district="Sinaai")
    log_in_as(page, staff)

    page.fill("#q", "praatcafe bel")
    page.press("#q", "Enter")
    expect(page.locator("#actors tbody tr")).to_have_count(1)
    page.get_by_role("link", name="Praatcafé Belsele").click()
    expect(page).to_have_url(re.compile(rf"/actors/{praatcafe.id}$"))

    form = page.locator("form#quick-contact")
    form.locator("select[name=channel]").select_option("visit")
    form.locator("select[name=outcome]").select_option("reached")
    form.locator("textarea[name=note]").fill("Koffie met de voorzitter")
    posts = []
    page.on(
        "request",
        lambda r: posts.append(r.url) if r.method == "POST" and "/contacts" in r.url else None,
    )

    assert form.evaluate(SEND_FORM_TWICE_AT_ONCE) == [200, 200]  # each followed its redirect
    page.locator("#log-contact").dblclick()

    expect(page).to_have_url(re.compile(rf"/actors/{praatcafe.id}$"))
    expect(page.locator(".flash")).to_have_text("Dit contact was al opgeslagen.")
    timeline = page.locator('li[data-channel="visit"][data-outcome="reached"]')
    expect(timeline).to_have_count(1)
    expect(timeline).to_contain_text("Koffie met de voorzitter")
    assert len(posts) >= 3  # two at once, then at least one tap of the button
    assert contacts_of(session, praatcafe) == 1


def test_the_button_waits_after_the_first_tap(new_page, make_user, make_actor, log_in_as):
    staff = make_user("staff")
    actor = make_actor(name="Vzw Kompas", kind="poverty_organisation")
    page = new_page(PHONE)
    log_in_as(page, staff)
    page.goto(f"/actors/{actor.id}")
    # An answer without content: the browser stays on the page, to look at after the tap.
    page.route(f"**/actors/{actor.id}/contacts", lambda route: route.fulfill(status=204))

    page.locator("#log-contact").click()

    expect(page.locator("#log-contact")).to_be_disabled()
