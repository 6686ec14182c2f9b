"""Login, logout, rate limiting, roles and the user administration pages."""

from sqlalchemy import select

from crm.models import User
from tests.conftest import PASSWORD, csrf_token, post_form


def test_wrong_password_shows_a_message_and_does_not_log_in(make_user, client):
    user = make_user("staff")

    response = client.post(
        "/login?lang=en",
        data={"email": user.email, "password": "wrong password!", "csrf_token": csrf_token(client)},
    )

    assert response.status_code == 200
    assert "Unknown e-mail address or wrong password." in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_login_redirects_only_to_local_pages(make_user, client):
    user = make_user("staff")
    response = client.post(
        "/login?next=https://evil.example/",
        data={"email": user.email, "password": PASSWORD, "csrf_token": csrf_token(client)},
    )
    assert response.headers["Location"] == "/"


def test_logout_needs_a_post_with_csrf(make_user, login, client):
    login(make_user("staff"))

    assert client.get("/logout").status_code == 405
    post_form(client, "/logout", {})
    assert client.get("/").status_code == 302


def test_login_attempts_are_rate_limited(app, make_user, client):
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    try:
        token = csrf_token(client)
        codes = [
            client.post(
                "/login", data={"email": "x@y.be", "password": "nope", "csrf_token": token}
            ).status_code
            for _ in range(5)
        ]
    finally:
        app.config["LOGIN_RATE_LIMIT"] = "1000 per minute"
    assert codes[:3] == [200, 200, 200]
    assert codes[3:] == [429, 429]


def test_a_blocked_account_cannot_log_in(make_user, client, session):
    user = make_user("staff")
    user.active = False
    session.commit()

    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": csrf_token(client)}
    )

    assert response.status_code == 200
    assert client.get("/").status_code == 302


def test_staff_and_coordinators_cannot_open_user_administration(make_user, login, client):
    login(make_user("coordinator"))
    assert client.get("/admin/users").status_code == 403


def test_an_admin_creates_an_account_with_a_hashed_password(make_user, login, client, session):
    login(make_user("admin"))

    response = post_form(
        client,
        "/admin/users",
        {
            "email": "Nieuw@Sint-Niklaas.be",
            "name": "Nieuwe Collega",
            "role": "staff",
            "password": "twelve chars long",
        },
    )

    assert response.status_code == 302
    user = session.scalar(select(User).where(User.email == "nieuw@sint-niklaas.be"))
    assert user.role == "staff" and user.password_hash.startswith("scrypt:")


def test_a_short_password_is_refused(make_user, login, client, session):
    login(make_user("admin"))

    response = post_form(
        client,
        "/admin/users?lang=en",
        {"email": "kort@sint-niklaas.be", "name": "Kort", "role": "staff", "password": "short"},
    )

    assert "at least 12 characters" in response.get_data(as_text=True)
    assert session.scalar(select(User).where(User.email == "kort@sint-niklaas.be")) is None


def test_an_admin_changes_a_role_but_not_their_own(make_user, login, client, session):
    admin = make_user("admin")
    login(admin)
    staff = make_user("staff")

    post_form(client, f"/admin/users/{staff.id}", {"role": "coordinator", "active": "y"})
    refused = post_form(client, f"/admin/users/{admin.id}", {"role": "staff", "active": "y"})

    assert session.get(User, staff.id).role == "coordinator"
    assert refused.status_code == 200 and session.get(User, admin.id).role == "admin"


def test_pages_forbid_inline_scripts_and_framing(client):
    response = client.get("/login")

    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_login_does_not_redirect_to_a_backslash_host(make_user, client):
    user = make_user("staff")
    response = client.post(
        "/login?next=/%5Cevil.example",
        data={"email": user.email, "password": PASSWORD, "csrf_token": csrf_token(client)},
    )
    assert response.headers["Location"] == "/"
