"""Staff accounts: passwords, log-in, API tokens and roles (crm/users.py)."""

import hashlib

import pytest

from crm.messages import Invalid, NotFound
from crm.models import User
from crm.permissions import explain_refusal, has_role, may_export, may_manage_events
from crm.users import (
    active_administrators,
    authenticate,
    create_user,
    end_sessions,
    find_user_by_email,
    get_user,
    issue_api_token,
    set_password,
    set_role,
    user_for_session,
    user_for_token,
)
from tests.conftest import PASSWORD
from tests.domain.conftest import NOW, count, fresh


def test_password_under_twelve_characters_is_refused(session):
    with pytest.raises(Invalid) as refused:
        create_user(
            session, email="ann@sint-niklaas.be", name="Ann", role="staff", password="elevenchars"
        )
    session.rollback()

    (message,) = refused.value.errors["password"]
    assert message.render() == "A password needs at least 12 characters."
    assert count(session, User) == 0


def test_every_problem_of_a_new_account_is_reported_at_once(session):
    with pytest.raises(Invalid) as refused:
        create_user(session, email="a@b", name="", role="mayor", password="short")

    assert set(refused.value.errors) == {"email", "name", "role", "password"}


def test_password_is_stored_only_as_a_scrypt_hash(make_user):
    user = make_user("staff")

    assert user.password_hash.startswith("scrypt:")
    assert PASSWORD not in user.password_hash


def test_second_account_with_the_same_email_in_another_case_is_refused(session, make_user):
    make_user(email="ann@sint-niklaas.be")

    with pytest.raises(Invalid) as refused:
        create_user(
            session, email="Ann@Sint-Niklaas.be", name="Ann 2", role="staff", password=PASSWORD
        )

    assert set(refused.value.errors) == {"email"}


def test_right_password_logs_in_and_records_when(session, make_user):
    user = make_user(email="ann@sint-niklaas.be")

    found = authenticate(session, email=" Ann@Sint-Niklaas.be ", password=PASSWORD, now=NOW)
    session.commit()

    assert found.id == user.id
    assert fresh(session, User, user.id).last_login_at == NOW


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("ann@sint-niklaas.be", "wrong password!"),
        ("ann@sint-niklaas.be", ""),
        ("nobody@sint-niklaas.be", PASSWORD),
        ("", PASSWORD),
        ("ann@sint-niklaas.be\x00", PASSWORD),  # an error on PostgreSQL before
    ],
    ids=["wrong", "empty", "unknown", "no-email", "nul-byte"],
)
def test_wrong_credentials_do_not_log_in(session, make_user, email, password):
    make_user(email="ann@sint-niklaas.be")

    assert authenticate(session, email=email, password=password) is None


def test_inactive_account_cannot_log_in(session, make_user):
    user = make_user(email="ann@sint-niklaas.be")
    set_role(session, user.id, "staff", active=False)
    session.commit()

    assert authenticate(session, email="ann@sint-niklaas.be", password=PASSWORD) is None


def test_api_token_is_stored_only_as_its_sha256_hash(session, make_user):
    user = make_user()

    token = issue_api_token(session, user.id)
    session.commit()

    stored = fresh(session, User, user.id)
    assert stored.api_token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in stored.api_token_hash


def test_api_token_finds_its_user(session, make_user):
    user = make_user()
    token = issue_api_token(session, user.id)
    session.commit()

    assert user_for_token(session, token).id == user.id


def test_new_api_token_replaces_the_old_one(session, make_user):
    user = make_user()
    old = issue_api_token(session, user.id)
    new = issue_api_token(session, user.id)
    session.commit()

    assert new != old
    assert user_for_token(session, old) is None
    assert user_for_token(session, new).id == user.id


@pytest.mark.parametrize("token", ["", "not-a-token", "\x00"])
def test_unknown_api_token_finds_nobody(session, make_user, token):
    user = make_user()
    issue_api_token(session, user.id)
    session.commit()

    assert user_for_token(session, token) is None


def test_api_token_of_an_inactive_account_finds_nobody(session, make_user):
    user = make_user()
    token = issue_api_token(session, user.id)
    set_role(session, user.id, "staff", active=False)
    session.commit()

    assert user_for_token(session, token) is None


@pytest.mark.parametrize(
    ("role", "needed", "allowed"),
    [
        ("staff", "staff", True),
        ("staff", "coordinator", False),
        ("staff", "admin", False),
        ("coordinator", "staff", True),
        ("coordinator", "coordinator", True),
        ("coordinator", "admin", False),
        ("admin", "staff", True),
        ("admin", "coordinator", True),
        ("admin", "admin", True),
    ],
)
def test_roles_include_the_permissions_of_lower_roles(role, needed, allowed):
    assert has_role(User(role=role), needed) is allowed


def test_unknown_role_is_refused(session, make_user):
    user = make_user()

    with pytest.raises(Invalid):
        set_role(session, user.id, "mayor")


@pytest.mark.parametrize("ident", [987654, 2**31, "x"])
def test_unknown_user_id_is_not_found(session, ident):
    with pytest.raises(NotFound):
        get_user(session, ident)


def test_user_is_found_by_email_in_any_case(session, make_user):
    user = make_user(email="ann@sint-niklaas.be")

    assert find_user_by_email(session, " ANN@sint-niklaas.be").id == user.id
    with pytest.raises(NotFound):
        find_user_by_email(session, "ann@sint-niklaas.be\x00")


def test_password_with_a_lone_surrogate_is_refused_not_a_crash(session):
    # A JSON body can carry "\ud800"; hashing it raised UnicodeEncodeError.
    with pytest.raises(Invalid) as refused:
        create_user(
            session,
            email="ann@sint-niklaas.be",
            name="Ann",
            role="staff",
            password="x" * 12 + "\ud800",
        )

    assert set(refused.value.errors) == {"password"}


def test_log_in_with_a_lone_surrogate_in_the_password_fails_quietly(session, make_user):
    make_user(email="ann@sint-niklaas.be")

    assert authenticate(session, email="ann@sint-niklaas.be", password="\ud800") is None
    assert user_for_token(session, "\ud800") is None


def test_the_administrators_to_ask_are_the_active_ones_by_name(session, make_colleague):
    zoe = make_colleague("admin")
    zoe.name = "Zoë Admin"
    an = make_colleague("admin")
    an.name = "An Peeters"
    gone = make_colleague("admin")
    set_role(session, gone.id, "admin", active=False)
    make_colleague("coordinator")
    session.commit()

    assert [u.name for u in active_administrators(session)] == ["An Peeters", "Zoë Admin"]


def test_a_refusal_says_which_role_may_and_names_the_administrators_to_ask():
    admins = [User(name="An Peeters", email="an@sint-niklaas.be")]

    assert [m.render() for m in explain_refusal(may_manage_events, admins)] == [
        "Only coordinators and administrators may create and edit events, build their "
        "invitation lists and take people off them.",
        "Ask an administrator: An Peeters (an@sint-niklaas.be).",
    ]


def test_an_export_refusal_says_an_administrator_can_give_the_right():
    assert [m.render() for m in explain_refusal(may_export, [])] == [
        "Exporting is possible with the export permission; an administrator can give it.",
        "Ask an administrator of Bereik.",
    ]


def test_a_refusal_names_at_most_three_administrators():
    admins = [User(name=f"Admin {n}", email=f"a{n}@sint-niklaas.be") for n in range(1, 5)]

    (_, ask) = explain_refusal(may_manage_events, admins)

    assert ask.render() == (
        "Ask an administrator: Admin 1 (a1@sint-niklaas.be), Admin 2 (a2@sint-niklaas.be), "
        "Admin 3 (a3@sint-niklaas.be)."
    )


# --- sessions (docs/sessions.md) -----------------------------------------------------------


def log_in(session, user) -> str:
    """The session id of a new login of `user`, as Flask-Login stores it."""
    found = authenticate(session, email=user.email, password=PASSWORD)
    session.commit()
    return found.get_id()


def test_a_session_id_finds_its_user_until_the_sessions_end(session, make_user):
    user = make_user()
    session_id = log_in(session, user)
    assert user_for_session(session, session_id).id == user.id

    end_sessions(session, user.id)
    session.commit()

    assert user_for_session(session, session_id) is None
    assert user_for_session(session, log_in(session, user)).id == user.id


def test_each_login_gets_its_own_session_id_and_keeps_the_others(session, make_user):
    user = make_user()

    first, second = log_in(session, user), log_in(session, user)

    assert first != second
    assert first.startswith(f"{user.id}:1:") and second.startswith(f"{user.id}:1:")
    assert user_for_session(session, first).id == user_for_session(session, second).id


@pytest.mark.parametrize(
    "session_id", ["", "1", "1:", "x:1:", "1:x:", "1:²:", "²:1:", "99:1:", "1:2:", "-1:1:"]
)
def test_a_malformed_or_stale_session_id_finds_nobody(session, make_user, session_id):
    make_user()

    assert user_for_session(session, session_id) is None


def test_a_password_reset_ends_the_sessions_and_revokes_the_api_token(session, make_user):
    user = make_user()
    session_id = log_in(session, user)
    token = issue_api_token(session, user.id)

    set_password(session, user.id, "a brand new passphrase")
    session.commit()

    assert user_for_session(session, session_id) is None
    assert user_for_token(session, token) is None
    assert fresh(session, User, user.id).api_token_hash is None


@pytest.mark.parametrize(
    ("role", "active", "ended"),
    [("staff", True, False), ("coordinator", True, True), ("staff", False, True)],
    ids=["unchanged", "role", "deactivated"],
)
def test_a_role_change_or_deactivation_ends_the_sessions(session, make_user, role, active, ended):
    user = make_user("staff")
    session_id = log_in(session, user)

    set_role(session, user.id, role, active=active)
    session.commit()

    assert fresh(session, User, user.id).session_version == (2 if ended else 1)
    assert (user_for_session(session, session_id) is None) is ended
