"""No 500 for any form value (issue 13): the role form and the login's `next=`."""

import pytest

from crm.models import User
from tests.conftest import PASSWORD, csrf_token, post_form


@pytest.mark.parametrize(
    "next_url",
    [
        "/actors%0d%0aSet-Cookie:x=y",
        "/actors%0aSet-Cookie:x=y",
        "/actors%0dx",
        "/%09/evil.example",  # a browser drops the tab: //evil.example
        "/actors%00",
        "%5C%5Cevil.example",
        "/%5Cevil.example",
        "//evil.example",
        "https://evil.example",
        "javascript:alert(1)",
    ],
)
def test_an_unsafe_next_after_login_goes_to_the_home_page(make_user, client, next_url):
    user = make_user("staff")

    response = client.post(
        f"/login?next={next_url}",
        data={"email": user.email, "password": PASSWORD, "csrf_token": csrf_token(client)},
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_a_local_next_after_login_is_followed(make_user, client):
    user = make_user("staff")

    response = client.post(
        "/login?next=/outreach%3Fpage%3D2",
        data={"email": user.email, "password": PASSWORD, "csrf_token": csrf_token(client)},
    )

    assert response.headers["Location"] == "/outreach?page=2"


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        ("boss", "&#39;boss&#39; is geen geldige keuze"),
        ("staff\x00", "&#39;staff\ufffd&#39; is geen geldige keuze"),
        ("\x00", "&#39;\ufffd&#39; is geen geldige keuze"),
    ],
)
def test_the_role_form_refuses_an_unknown_role_in_dutch_and_changes_nothing(
    make_user, login, client, session, role, shown
):
    login(make_user("admin"))
    staff = make_user("staff")

    response = post_form(client, f"/admin/users/{staff.id}", {"role": role, "active": "y"})

    assert response.status_code == 200
    assert shown in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(User, staff.id).role == "staff"


def test_the_create_form_refuses_a_role_with_a_nul_byte(make_user, login, client, session):
    login(make_user("admin"))

    response = post_form(
        client,
        "/admin/users",
        {
            "email": "nieuw@sint-niklaas.be",
            "name": "Nieuw",
            "role": "admin\x00",
            "password": "een lang genoeg wachtwoord",
        },
    )

    assert response.status_code == 200
    assert "&#39;admin\ufffd&#39; is geen geldige keuze" in response.get_data(as_text=True)
    assert session.query(User).filter_by(email="nieuw@sint-niklaas.be").count() == 0
