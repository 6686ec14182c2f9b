"""The one password policy (crm.users.check_password_strength): hard to guess, and never a
password the login form could not take (issue 13)."""

import pytest

from crm.messages import Invalid
from crm.users import check_password_strength, create_user, set_password

TOO_EASY = (
    "This password is too easy to guess: it is a common password, a name or a repeated "
    "pattern (such as aaaa or abcabc). Choose a few unrelated words."
)


def refusal(password, **options) -> str:
    with pytest.raises(Invalid) as refused:
        check_password_strength(password, **options)
    (message,) = refused.value.errors["password"]
    return message.render()


@pytest.mark.parametrize(
    "password",
    [
        "aaaaaaaaaaaa",
        "abcabcabcabc",
        "123412341234",
        "password1234",
        "qwertyuiop12",
        "wachtwoord123",
        "sint-niklaas2024",
        "abcdefghijklmnop",
    ],
)
def test_common_and_repeated_passwords_are_refused(password):
    assert refusal(password) == TOO_EASY


def test_a_password_made_of_the_account_s_own_name_and_address_is_refused():
    assert refusal("annclaeys2026", user_inputs=("ann.claeys@sint-niklaas.be", "Ann Claeys")) == (
        TOO_EASY
    )


@pytest.mark.parametrize("password", [" " * 12, " " * 20, "\u00a0" * 12, " \u3000 " * 5])
def test_spaces_only_are_refused_the_login_form_takes_them_for_nothing(password):
    assert refusal(password) == "A password cannot consist of spaces only."


def test_a_password_longer_than_the_login_form_takes_is_refused():
    assert refusal("lang wachtwoord " * 94) == "A password can have at most 1000 characters."


@pytest.mark.parametrize(
    "password", ["correct horse\nbattery staple", "correct horse\tbattery", "kerstboom\x00vuurwerk"]
)
def test_control_characters_a_password_field_cannot_hold_are_refused(password):
    assert refusal(password) == "This text contains invisible control characters."


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery staple",
        "een lang genoeg wachtwoord",
        "  spaties voor en na mogen  ",
        "Grote Markt fietsenstalling 7",
        "zonnebloem-kapstok-regenjas",
        "lang wachtwoord " * 62 + "slot",  # exactly 1000 characters
    ],
)
def test_hard_to_guess_passwords_are_accepted_as_they_are(password):
    assert check_password_strength(password) == password


def test_creating_an_account_applies_the_policy(session):
    with pytest.raises(Invalid) as refused:
        create_user(
            session,
            email="ann@sint-niklaas.be",
            name="Ann",
            role="staff",
            password="aaaaaaaaaaaa",
        )

    assert refused.value.errors["password"][0].render() == TOO_EASY


def test_a_new_password_follows_the_policy_too(session, make_user):
    user = make_user("staff")

    with pytest.raises(Invalid) as refused:
        set_password(session, user.id, " " * 12)

    assert refused.value.errors["password"][0].render() == (
        "A password cannot consist of spaces only."
    )
