"""Every form and command that sets a password applies the one policy, and every password it
accepts logs in through the login page (issue 13)."""

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from crm.messages import Invalid
from crm.models import User
from crm.users import authenticate, check_password_strength, create_user
from tests.conftest import csrf_token, post_form

TOO_EASY_NL = "Dit wachtwoord is te makkelijk te raden"


def log_in_works(app, email: str, password: str) -> bool:
    """Whether the login page, in a fresh browser, logs in with this e-mail and password."""
    browser = app.test_client()
    response = browser.post(
        "/login", data={"email": email, "password": password, "csrf_token": csrf_token(browser)}
    )
    return response.status_code == 302 and browser.get("/").status_code == 200


@pytest.mark.parametrize(
    ("password", "shown"),
    [
        ("aaaaaaaaaaaa", TOO_EASY_NL),
        ("abcabcabcabc", TOO_EASY_NL),
        (" " * 12, "Een wachtwoord kan niet uit alleen spaties bestaan."),
        ("lang wachtwoord " * 94, "Een wachtwoord heeft hoogstens 1000 tekens."),
    ],
)
def test_the_admin_form_refuses_a_weak_password_in_dutch(
    make_user, login, client, session, password, shown
):
    login(make_user("admin"))

    response = post_form(
        client,
        "/admin/users",
        {"email": "nieuw@sint-niklaas.be", "name": "Nieuw", "role": "staff", "password": password},
    )

    assert shown in response.get_data(as_text=True)
    assert session.scalar(select(User).where(User.email == "nieuw@sint-niklaas.be")) is None


def test_the_admin_reset_form_refuses_a_weak_password(make_user, login, client, session):
    login(make_user("admin"))
    staff = make_user("staff")
    before = staff.password_hash

    response = post_form(client, f"/admin/users/{staff.id}/password", {"password": "a" * 12})

    assert response.status_code == 422
    assert TOO_EASY_NL in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(User, staff.id).password_hash == before


def test_an_account_made_with_spaces_around_its_password_logs_in(app, make_user, login, client):
    login(make_user("admin"))

    post_form(
        client,
        "/admin/users",
        {
            "email": "ruim@sint-niklaas.be",
            "name": "Ruim",
            "role": "staff",
            "password": "  spaties voor en na mogen  ",
        },
    )

    assert log_in_works(app, "ruim@sint-niklaas.be", "  spaties voor en na mogen  ")


def test_a_password_of_the_longest_length_set_by_an_admin_logs_in(app, make_user, login, client):
    login(make_user("admin"))
    staff = make_user("staff")
    longest = "lang wachtwoord " * 62 + "slot"

    response = post_form(client, f"/admin/users/{staff.id}/password", {"password": longest})

    assert response.status_code == 302
    assert log_in_works(app, staff.email, longest)


@pytest.fixture
def flask_cli(app):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=list(args))


def test_users_create_refuses_a_trivial_password(flask_cli, session):
    result = flask_cli(
        "users", "create", "ann@sint-niklaas.be", "--name", "Ann", "--password", "a" * 12
    )

    assert result.exit_code != 0
    assert "password: This password is too easy to guess" in result.stderr
    assert session.scalar(select(User).where(User.email == "ann@sint-niklaas.be")) is None


def test_users_set_password_refuses_spaces_only(flask_cli, make_user, session):
    user = make_user("staff")

    result = flask_cli("users", "set-password", user.email, "--password", " " * 12)

    assert result.exit_code != 0
    assert "password: A password cannot consist of spaces only." in result.stderr
    assert authenticate(session, email=user.email, password=" " * 12) is None


EDGES = " \t\r\n\x00\u00a0\u3000\u200bé€😀aZ9-"
passwords = st.one_of(
    st.text(min_size=10, max_size=40),
    st.text(alphabet=EDGES, min_size=10, max_size=30),
    st.builds(
        lambda pad, core, end: pad + core + end,
        st.text(alphabet=" \u00a0\t", max_size=3),
        st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", min_size=8, max_size=30),
        st.text(alphabet=" \u00a0\n", max_size=3),
    ),
    st.text(alphabet="abc xyz", min_size=990, max_size=1010),
)


@pytest.mark.first_backend_only
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(password=passwords)
def test_every_password_the_policy_accepts_logs_in(app, session, password):
    try:
        check_password_strength(password)
    except Invalid:
        return
    email = f"prop{next(COUNTER)}@sint-niklaas.be"
    create_user(session, email=email, name="Eigenschap", role="staff", password=password)
    session.commit()

    assert log_in_works(app, email, password)


COUNTER = itertools.count(1)
