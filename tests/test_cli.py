"""The command line: `flask users ...` and `flask bootstrap`, on SQLite and PostgreSQL."""

import hashlib
import re

import pytest
from sqlalchemy import func, select

from crm.models import Actor, ContactLog, Event, Idea, Invitation, User
from crm.users import authenticate, user_for_token
from tests.conftest import PASSWORD, csrf_token

PASSWORD_LINE = re.compile(r"password:\s+(\S+)")


@pytest.fixture
def flask_cli(app):
    runner = app.test_cli_runner()

    def run(*args: str):
        return runner.invoke(args=list(args))

    return run


def count(session, model) -> int:
    """Rows of `model` as the command committed them."""
    refresh(session)
    return session.scalar(select(func.count()).select_from(model))


def refresh(session) -> None:
    """End the test's read transaction and forget loaded rows: see what the command did."""
    session.commit()
    session.expire_all()


def test_users_create_stores_an_account_that_can_log_in(flask_cli, session):
    result = flask_cli(
        "users",
        "create",
        "Ann.Claeys@Sint-Niklaas.be",
        "--name",
        "Ann Claeys",
        "--role",
        "coordinator",
        "--password",
        PASSWORD,
    )

    assert result.exit_code == 0, result.output
    assert "ann.claeys@sint-niklaas.be" in result.stdout
    user = authenticate(session, email="ann.claeys@sint-niklaas.be", password=PASSWORD)
    assert (user.name, user.role) == ("Ann Claeys", "coordinator")


def test_users_create_refuses_a_short_password_and_stores_nothing(flask_cli, session):
    result = flask_cli(
        "users",
        "create",
        "ann@sint-niklaas.be",
        "--name",
        "Ann",
        "--password",
        "kort",
    )

    assert result.exit_code != 0
    assert "password: A password needs at least 12 characters." in result.stderr
    assert "Traceback" not in result.output
    assert count(session, User) == 0


def test_users_create_names_every_problem_in_plain_words(flask_cli, session):
    result = flask_cli(
        "users",
        "create",
        "not-an-address",
        "--name",
        "Ann",
        "--role",
        "boss",
        "--password",
        PASSWORD,
    )

    assert result.exit_code != 0
    assert "email: 'not-an-address' is not a valid e-mail address." in result.stderr
    assert "role: 'boss' is not a valid choice; choose one of: staff, coordinator, admin." in (
        result.stderr
    )
    assert count(session, User) == 0


def test_users_create_refuses_a_second_account_for_the_same_address(flask_cli, make_user, session):
    make_user("staff", email="ann@sint-niklaas.be")

    result = flask_cli(
        "users",
        "create",
        "ann@sint-niklaas.be",
        "--name",
        "Ann",
        "--password",
        PASSWORD,
    )

    assert result.exit_code != 0
    assert "There is already an account for ann@sint-niklaas.be." in result.stderr
    assert count(session, User) == 1


def test_users_token_prints_only_a_working_token_and_stores_only_its_hash(
    flask_cli, make_user, session
):
    user = make_user("staff")

    result = flask_cli("users", "token", user.email)

    assert result.exit_code == 0, result.output
    token = result.stdout.strip()
    assert result.stdout == token + "\n"
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)
    refresh(session)
    assert user_for_token(session, token).id == user.id
    stored = session.scalar(select(User.api_token_hash).where(User.id == user.id))
    assert stored == hashlib.sha256(token.encode()).hexdigest() != token


def test_a_new_token_replaces_the_old_one(flask_cli, make_user, session):
    user = make_user("staff")
    old = flask_cli("users", "token", user.email).stdout.strip()

    new = flask_cli("users", "token", user.email).stdout.strip()

    refresh(session)
    assert new != old
    assert user_for_token(session, old) is None
    assert user_for_token(session, new).id == user.id


def test_users_token_for_an_unknown_address_fails(flask_cli):
    result = flask_cli("users", "token", "nobody@sint-niklaas.be")

    assert result.exit_code != 0
    assert result.stdout == ""
    assert "There is no account for nobody@sint-niklaas.be." in result.stderr


def test_users_list_shows_every_account_with_its_role(flask_cli, make_user):
    make_user("staff", email="jan@sint-niklaas.be", name="Jan Peeters")
    make_user("admin", email="élise@sint-niklaas.be", name="Élise Van den Bossche")

    result = flask_cli("users", "list")

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    [elise] = [line for line in lines if "Élise Van den Bossche" in line]
    [jan] = [line for line in lines if "jan@sint-niklaas.be" in line]
    assert "admin" in elise and "staff" in jan


def test_users_set_password_replaces_the_password(flask_cli, make_user, session):
    user = make_user("staff")

    result = flask_cli("users", "set-password", user.email, "--password", "a brand new password")

    assert result.exit_code == 0, result.output
    refresh(session)
    assert authenticate(session, email=user.email, password="a brand new password") is not None
    assert authenticate(session, email=user.email, password=PASSWORD) is None


def test_bootstrap_creates_one_admin_who_logs_in_with_the_printed_password(
    flask_cli, client, session
):
    result = flask_cli("bootstrap", "--actors", "120", "--contacts", "600")

    assert result.exit_code == 0, result.output
    assert "admin@bereik.example" in result.stdout
    password = PASSWORD_LINE.search(result.stdout).group(1)
    assert result.stdout.count(password) == 1
    admins = session.scalars(select(User)).all()
    assert [(u.email, u.role) for u in admins] == [("admin@bereik.example", "admin")]
    assert count(session, Actor) == 120
    attended = session.scalar(
        select(func.count()).where(Invitation.status == "attended").select_from(Invitation)
    )
    assert attended > 0  # the demo open atelier took place; attendance is a contact
    assert count(session, ContactLog) == 600 + attended
    assert (count(session, Event), count(session, Idea)) == (2, 3)
    assert "2 events with" in result.stdout
    response = client.post(
        "/login",
        data={
            "email": "admin@bereik.example",
            "password": password,
            "csrf_token": csrf_token(client),
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_bootstrap_does_nothing_the_second_time(flask_cli, session):
    flask_cli("bootstrap", "--actors", "50", "--contacts", "100")
    hashes = session.scalars(select(User.password_hash)).all()

    result = flask_cli("bootstrap", "--actors", "50", "--contacts", "100")

    assert result.exit_code == 0, result.output
    assert "changed nothing" in result.stdout
    assert "password:" not in result.stdout
    assert session.scalars(select(User.password_hash)).all() == hashes
    assert count(session, Actor) == 50


def test_bootstrap_leaves_a_database_with_accounts_alone(flask_cli, make_user, session):
    make_user("admin")

    result = flask_cli("bootstrap", "--actors", "50", "--contacts", "100")

    assert "changed nothing" in result.stdout
    assert count(session, User) == 1
    assert count(session, Actor) == 0
