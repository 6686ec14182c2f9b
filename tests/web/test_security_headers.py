"""Headers of the pages (issue 13): no copy of a page in any cache, the remember cookie kept to
this site and out of scripts, HSTS in production only, the other security headers kept."""

import pytest

from app import create_app
from tests.conftest import PASSWORD, csrf_token


@pytest.mark.parametrize(
    "path", ["/login", "/", "/follow-ups", "/outreach", "/events", "/ideas", "/admin/users"]
)
def test_every_page_is_kept_out_of_every_cache(make_user, login, client, path):
    login(make_user("admin"))

    response = client.get(path, follow_redirects=True)

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_an_actor_page_is_kept_out_of_every_cache(make_user, make_actor, login, client):
    login(make_user("staff"))
    actor = make_actor(name="Jan Peeters", phone="03 778 30 60")

    response = client.get(f"/actors/{actor.id}")

    assert response.headers["Cache-Control"] == "no-store"


def test_a_refused_or_unknown_page_is_kept_out_of_every_cache_too(make_user, login, client):
    login(make_user("staff"))

    assert client.get("/admin/users").headers["Cache-Control"] == "no-store"
    assert client.get("/no-such-page").headers["Cache-Control"] == "no-store"


def test_static_files_stay_cacheable(client):
    response = client.get("/static/bereik.css")

    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_the_security_headers_stay_on_every_page(client):
    response = client.get("/login")

    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'; script-src")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_the_remember_cookie_is_same_site_and_http_only(make_user, client):
    user = make_user("staff")

    response = client.post(
        "/login",
        data={
            "email": user.email,
            "password": PASSWORD,
            "remember": "y",
            "csrf_token": csrf_token(client),
        },
    )

    (cookie,) = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_")]
    assert "SameSite=Lax" in cookie
    assert "HttpOnly" in cookie


def test_no_hsts_outside_production(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers


def test_production_pages_tell_the_browser_to_use_https_only(database_url, clean_db):
    app = create_app(
        "config.ProductionConfig",
        SECRET_KEY="production-test-key",
        SQLALCHEMY_DATABASE_URI=database_url,
    )

    response = app.test_client().get("/login", base_url="https://bereik.example")

    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response.headers["Cache-Control"] == "no-store"
