"""A staff member's day in the browser: log in, add an actor, log a call, find it back."""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from crm.models import Actor, ContactLog
from tests.browser.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

BRUSSELS = ZoneInfo("Europe/Brussels")
ACTOR_PAGE = re.compile(r"/actors/(\d+)$")


def fresh(session) -> None:
    """See what the app committed: end the test session's snapshot and forget loaded rows."""
    session.rollback()  # SQLite keeps a read transaction's snapshot until it ends
    session.expire_all()


def assert_fits_the_screen(page: Page) -> None:
    """Nothing sticks out sideways: on a phone that means scrolling left and right to work."""
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the screen"


@pytest.mark.parametrize("device", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_staff_member_adds_an_actor_and_logs_a_call(page, device, make_user, log_in_as, session):
    staff = make_user("staff", name="Sofie Maes")
    log_in_as(page, staff)

    page.click("#new-actor")
    expect(page).to_have_url(re.compile(r"/actors/new$"))
    page.fill("#name", "Buurtwerk De Klinge")
    page.select_option("#kind", "poverty_organisation")
    page.select_option("#district", "Sinaai")
    page.fill("#phone", "03 778 30 60")
    if device is PHONE:
        assert_fits_the_screen(page)
    page.click("#save")

    expect(page).to_have_url(ACTOR_PAGE)
    actor_id = int(ACTOR_PAGE.search(page.url).group(1))
    expect(page.locator("h1")).to_contain_text("Buurtwerk De Klinge")
    phone = page.locator("[data-testid=phone]")
    expect(phone).to_have_text("03 778 30 60")
    tel_link = phone.locator("xpath=ancestor-or-self::a[starts-with(@href, 'tel:')]")
    expect(tel_link).to_have_attribute("href", "tel:+3237783060")
    fresh(session)
    stored = session.scalars(select(Actor).where(Actor.name == "Buurtwerk De Klinge")).one()
    assert (stored.id, stored.phone) == (actor_id, "+3237783060")

    form = page.locator("form#quick-contact")
    if device is PHONE:
        assert_fits_the_screen(page)
    expect(form.locator("#channel")).to_have_value("phone")
    when = datetime.fromisoformat(form.locator("#occurred_at").input_value())  # Brussels, now
    assert abs(when.replace(tzinfo=BRUSSELS) - datetime.now(UTC)) < timedelta(minutes=5)
    form.locator("#outcome").select_option("reached")
    form.locator("#note").fill("Belde over het open atelier; komt met drie bewoners.")
    form.locator("#log-contact").click()

    expect(page).to_have_url(ACTOR_PAGE)
    assert int(ACTOR_PAGE.search(page.url).group(1)) == actor_id
    expect(page.locator(".flash.success")).to_be_visible()
    call = page.locator("ol.timeline li[data-channel=phone]")
    expect(call).to_have_count(1)
    expect(call).to_contain_text("Belde over het open atelier; komt met drie bewoners.")
    expect(call).to_contain_text(when.strftime("%H:%M"))  # the time the form showed, not UTC
    fresh(session)
    logged = session.scalars(select(ContactLog).where(ContactLog.actor_id == actor_id)).one()
    assert (logged.channel, logged.outcome, logged.created_by_id) == ("phone", "reached", staff.id)
    stored_utc = when.replace(tzinfo=BRUSSELS).astimezone(UTC).replace(tzinfo=None)
    assert logged.occurred_at == stored_utc


def test_anonymous_visitor_lands_on_the_login_page_and_returns_after_login(page, make_user):
    staff = make_user("staff")

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login\?next=(%2F|/)$"))

    page.fill("#email", staff.email)
    page.fill("#password", "correct horse battery staple")
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("#new-actor")).to_be_visible()


def test_wrong_password_shows_an_error_and_keeps_the_visitor_out(page, make_user):
    staff = make_user("staff")

    page.goto("/login")
    page.fill("#email", staff.email)
    page.fill("#password", "not the password")
    page.click("button[type=submit]")

    expect(page.locator(".error-text")).to_be_visible()
    expect(page.locator(".error-text")).not_to_have_text("")
    expect(page).to_have_url(re.compile(r"/login"))
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login\?next="))


def test_language_link_switches_the_labels_to_english(page, make_user, log_in_as):
    log_in_as(page, make_user("staff"))
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.locator("#new-actor")).to_have_text("Nieuwe actor")

    page.click("a[hreflang=en]")

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#new-actor")).to_have_text("New actor")
    page.click("#new-actor")
    expect(page.locator("h1")).to_have_text("New actor")
    expect(page.locator("label[for=name]")).to_have_text("Name")


def test_a_possible_duplicate_is_shown_before_saving_and_can_be_saved_anyway(
    page, make_user, make_actor, log_in_as, session
):
    existing = make_actor(name="Wijkcomité Tereken", kind="civic_association", phone="0474513077")
    log_in_as(page, make_user("staff"))

    page.goto("/actors/new")
    page.fill("#name", "Comité Tereken-Noord")
    page.select_option("#kind", "civic_association")
    page.fill("#phone", "0474 51 30 77")
    page.click("#save")

    warning = page.locator(".duplicates")
    expect(warning).to_be_visible()
    expect(warning.locator(f"a[href='/actors/{existing.id}']")).to_have_text("Wijkcomité Tereken")
    expect(page.locator("#name")).to_have_value("Comité Tereken-Noord")  # nothing typed is lost
    page.click("#save-anyway")

    expect(page).to_have_url(ACTOR_PAGE)
    expect(page.locator("h1")).to_contain_text("Comité Tereken-Noord")
    fresh(session)
    phones = session.scalars(select(Actor.phone).where(Actor.phone == "+32474513077")).all()
    assert len(phones) == 2


def test_staff_member_finds_an_actor_by_phone_number_typed_any_way(
    page, make_user, make_actor, log_in_as
):
    make_actor(name="Lotte De Smet", phone="0486 12 40 57")
    make_actor(name="Pieter Claeys", phone="0477 90 14 62")
    log_in_as(page, make_user("staff"))

    page.fill("#q", "+32 486 124 057")
    page.locator("#q").press("Enter")

    rows = page.locator("table#actors tr[data-actor-id]")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Lotte De Smet")
    expect(rows.locator("a[href^='tel:']")).to_have_text("0486 12 40 57")
