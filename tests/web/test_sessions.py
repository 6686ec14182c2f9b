"""Sessions that end: logout, a password reset, deactivation and a role change refuse every
copy of the user's session cookie and "stay logged in" cookie, as a browser would replay it."""

import time
from datetime import timedelta
from email.utils import parsedate_to_datetime

import pytest

from crm.clock import utcnow
from tests.conftest import PASSWORD, DomainAwareClient, csrf_token, post_form

SESSION = "session"
REMEMBER = "remember_token"
NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def browser(app, session):
    """A new browser: a test client with no cookies of its own."""

    def open_browser() -> DomainAwareClient:
        app.test_client_class = DomainAwareClient
        client = app.test_client()
        client.domain_session = session
        return client

    return open_browser


def log_in(client, user, *, remember: bool = False):
    data = {"email": user.email, "password": PASSWORD, "csrf_token": csrf_token(client)}
    if remember:
        data["remember"] = "y"
    response = client.post("/login", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


def cookie(client, name: str) -> str:
    found = client.get_cookie(name)
    assert found is not None, f"no {name} cookie"
    return found.value


def replay(browser, name: str, value: str) -> DomainAwareClient:
    """A fresh browser holding only a copy of one cookie."""
    client = browser()
    client.set_cookie(name, value)
    return client


def is_logged_in(client) -> bool:
    response = client.get("/")
    if response.status_code == 302:
        assert response.headers["Location"].startswith("/login")
        return False
    assert response.status_code == 200
    return True


def remember_cookie_header(response) -> str:
    [header] = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(REMEMBER + "=")]
    return header


def test_a_session_cookie_replayed_after_logout_is_refused(make_user, browser):
    device = browser()
    log_in(device, make_user("staff"))
    copied = cookie(device, SESSION)
    assert is_logged_in(replay(browser, SESSION, copied))

    post_form(device, "/logout", {})

    assert not is_logged_in(replay(browser, SESSION, copied))


def test_a_remember_cookie_replayed_after_logout_is_refused(make_user, browser):
    device = browser()
    log_in(device, make_user("staff"), remember=True)
    copied = cookie(device, REMEMBER)
    assert is_logged_in(replay(browser, REMEMBER, copied))

    post_form(device, "/logout", {})

    assert not is_logged_in(replay(browser, REMEMBER, copied))


def test_logout_ends_the_sessions_on_the_users_other_devices(make_user, browser):
    user = make_user("staff")
    laptop, phone = browser(), browser()
    log_in(laptop, user)
    log_in(phone, user, remember=True)

    post_form(laptop, "/logout", {})

    assert not is_logged_in(phone)


def test_a_second_login_keeps_the_first_device_logged_in(make_user, browser):
    user = make_user("staff")
    laptop, phone = browser(), browser()
    log_in(laptop, user, remember=True)
    remembered = cookie(laptop, REMEMBER)

    log_in(phone, user)

    assert is_logged_in(laptop)
    assert is_logged_in(replay(browser, REMEMBER, remembered))


def test_a_password_reset_by_an_admin_ends_the_users_sessions(make_user, browser):
    user = make_user("staff")
    device = browser()
    log_in(device, user, remember=True)
    session_cookie, remember_cookie = cookie(device, SESSION), cookie(device, REMEMBER)
    admin = browser()
    log_in(admin, make_user("admin"))

    reset = post_form(admin, f"/admin/users/{user.id}/password", {"password": NEW_PASSWORD})

    assert reset.status_code == 302
    assert not is_logged_in(device)
    assert not is_logged_in(replay(browser, SESSION, session_cookie))
    assert not is_logged_in(replay(browser, REMEMBER, remember_cookie))


def test_an_admin_who_resets_their_own_password_stays_logged_in(make_user, browser):
    admin = make_user("admin")
    device, other = browser(), browser()
    log_in(device, admin)
    log_in(other, admin)

    reset = post_form(device, f"/admin/users/{admin.id}/password", {"password": NEW_PASSWORD})

    assert reset.status_code == 302
    assert is_logged_in(device)
    assert not is_logged_in(other)


def test_deactivation_ends_the_users_sessions_also_once_reactivated(make_user, browser):
    user = make_user("staff")
    device = browser()
    log_in(device, user, remember=True)
    session_cookie, remember_cookie = cookie(device, SESSION), cookie(device, REMEMBER)
    admin = browser()
    log_in(admin, make_user("admin"))

    post_form(admin, f"/admin/users/{user.id}", {"role": "staff"})  # "May log in" unticked
    assert not is_logged_in(replay(browser, SESSION, session_cookie))
    post_form(admin, f"/admin/users/{user.id}", {"role": "staff", "active": "y"})

    assert not is_logged_in(device)
    assert not is_logged_in(replay(browser, SESSION, session_cookie))
    assert not is_logged_in(replay(browser, REMEMBER, remember_cookie))


def test_a_role_change_ends_the_users_sessions(make_user, browser):
    user = make_user("staff")
    device = browser()
    log_in(device, user, remember=True)
    remember_cookie = cookie(device, REMEMBER)
    admin = browser()
    log_in(admin, make_user("admin"))

    post_form(admin, f"/admin/users/{user.id}", {"role": "coordinator", "active": "y"})

    assert not is_logged_in(device)
    assert not is_logged_in(replay(browser, REMEMBER, remember_cookie))


def test_saving_an_account_unchanged_keeps_its_sessions(make_user, browser):
    user = make_user("staff")
    device = browser()
    log_in(device, user)
    admin = browser()
    log_in(admin, make_user("admin"))

    post_form(admin, f"/admin/users/{user.id}", {"role": "staff", "active": "y"})

    assert is_logged_in(device)


def test_two_logins_of_one_user_give_different_remember_cookies(make_user, browser):
    user = make_user("staff")
    first, second = browser(), browser()

    log_in(first, user, remember=True)
    log_in(second, user, remember=True)

    assert cookie(first, REMEMBER) != cookie(second, REMEMBER)


def test_the_remember_cookie_lasts_14_days_and_is_same_site(make_user, browser):
    response = log_in(browser(), make_user("staff"), remember=True)

    header = remember_cookie_header(response)
    expires = parsedate_to_datetime(header.split("Expires=")[1].split(";")[0]).replace(tzinfo=None)
    assert abs(expires - (utcnow() + timedelta(days=14))) < timedelta(minutes=1)
    assert "SameSite=Lax" in header and "HttpOnly" in header


def test_the_remember_cookie_lifetime_follows_the_setting(app, make_user, browser):
    app.config["REMEMBER_COOKIE_DURATION"] = timedelta(days=3)
    try:
        response = log_in(browser(), make_user("staff"), remember=True)
    finally:
        app.config["REMEMBER_COOKIE_DURATION"] = timedelta(days=14)

    header = remember_cookie_header(response)
    expires = parsedate_to_datetime(header.split("Expires=")[1].split(";")[0]).replace(tzinfo=None)
    assert abs(expires - (utcnow() + timedelta(days=3))) < timedelta(minutes=1)


def test_a_session_cookie_of_an_unknown_form_is_refused(make_user, browser):
    device = browser()
    with device.session_transaction() as cookie_session:
        cookie_session["_user_id"] = "1:x:\x00"
        cookie_session["_fresh"] = True

    assert not is_logged_in(device)


def age_session(client, *, idle_minutes: int, started_hours_ago: float = 0) -> None:
    """Turn the client's login clock back, as if time had passed."""
    now = int(time.time())
    with client.session_transaction() as cookie_session:
        cookie_session["seen_at"] = now - idle_minutes * 60
        cookie_session["started_at"] = now - int(started_hours_ago * 3600) - idle_minutes * 60


def test_a_session_idle_for_31_minutes_ends(make_user, browser):
    device = browser()
    log_in(device, make_user("staff"))

    age_session(device, idle_minutes=31)

    response = device.get("/?lang=en", follow_redirects=True)
    assert response.request.path == "/login"
    assert "You were logged out after a while without activity." in response.get_data(True)


def test_a_session_idle_for_29_minutes_goes_on(make_user, browser):
    device = browser()
    log_in(device, make_user("staff"))

    age_session(device, idle_minutes=29)

    assert is_logged_in(device)


def test_a_session_used_all_day_ends_after_12_hours(make_user, browser):
    device = browser()
    log_in(device, make_user("staff"))

    age_session(device, idle_minutes=1, started_hours_ago=12)

    assert not is_logged_in(device)


def test_the_idle_timeout_follows_the_setting(app, make_user, browser):
    device = browser()
    log_in(device, make_user("staff"))
    age_session(device, idle_minutes=10)

    app.config["SESSION_IDLE_MINUTES"] = 5
    try:
        logged_in = is_logged_in(device)
    finally:
        app.config["SESSION_IDLE_MINUTES"] = 30

    assert not logged_in


def test_stay_logged_in_outlasts_the_idle_timeout(make_user, browser):
    device = browser()
    log_in(device, make_user("staff"), remember=True)

    age_session(device, idle_minutes=31)

    assert is_logged_in(device)
