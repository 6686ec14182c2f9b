"""A password reset revokes the user's API token, from the admin page and from the CLI."""

from tests.api.conftest import API
from tests.conftest import PASSWORD, csrf_token, post_form

NEW_PASSWORD = "a brand new passphrase"


def test_an_admin_password_reset_revokes_the_users_api_token(make_user, staff, as_staff, client):
    assert client.get(f"{API}/actors", headers=as_staff).status_code == 200
    admin = make_user("admin")
    client.post(
        "/login",
        data={"email": admin.email, "password": PASSWORD, "csrf_token": csrf_token(client)},
    )

    reset = post_form(client, f"/admin/users/{staff.id}/password", {"password": NEW_PASSWORD})

    assert reset.status_code == 302
    assert client.get(f"{API}/actors", headers=as_staff).status_code == 401


def test_set_password_on_the_command_line_revokes_the_api_token(app, staff, as_staff, client):
    result = app.test_cli_runner().invoke(
        args=["users", "set-password", staff.email, "--password", NEW_PASSWORD]
    )

    assert result.exit_code == 0, result.output
    assert client.get(f"{API}/actors", headers=as_staff).status_code == 401


def test_a_new_token_after_a_reset_works(app, staff, as_staff, api_token, client):
    app.test_cli_runner().invoke(
        args=["users", "set-password", staff.email, "--password", NEW_PASSWORD]
    )

    assert client.get(f"{API}/actors", headers=api_token(staff)).status_code == 200
