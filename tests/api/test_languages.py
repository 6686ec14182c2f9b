"""API messages come in the user's language: Dutch by default, English on request."""

from app.api.openapi import OPENAPI
from tests.api.conftest import API

ACTORS = f"{API}/actors"
REQUIRED_EN = "This field is required."
REQUIRED_NL = "Dit veld is verplicht."
TOKEN_EN = "Send a valid API token in the header 'Authorization: Bearer <token>'."


def test_lang_en_gives_english_messages(client, as_staff):
    response = client.post(
        f"{ACTORS}?lang=en", json={"name": "", "kind": "resident"}, headers=as_staff
    )

    assert response.status_code == 422
    assert response.json["errors"]["name"] == [REQUIRED_EN]


def test_lang_en_gives_an_english_401(client):
    response = client.get(f"{ACTORS}?lang=en")

    assert response.json["errors"]["_"] == [TOKEN_EN]


def test_accept_language_en_gives_english_messages(client, as_staff):
    response = client.post(
        ACTORS,
        json={"name": "", "kind": "resident"},
        headers={**as_staff, "Accept-Language": "en-GB,en;q=0.8"},
    )

    assert response.json["errors"]["name"] == [REQUIRED_EN]


def test_the_users_language_setting_applies_to_the_api(client, session, staff, as_staff):
    staff.language = "en"
    session.commit()

    response = client.post(ACTORS, json={"name": "", "kind": "resident"}, headers=as_staff)

    assert response.json["errors"]["name"] == [REQUIRED_EN]


def test_messages_are_dutch_by_default(client, as_staff):
    response = client.post(ACTORS, json={"name": "", "kind": "resident"}, headers=as_staff)

    assert response.status_code == 422
    assert response.json["errors"]["name"] == [REQUIRED_NL]


def test_a_language_the_api_does_not_speak_is_ignored_as_the_document_says(client, as_staff):
    lang = OPENAPI["components"]["parameters"]["Lang"]

    response = client.post(
        f"{ACTORS}?lang=fr", json={"name": "", "kind": "resident"}, headers=as_staff
    )

    assert "enum" not in lang["schema"]
    assert "ignored" in lang["description"]
    assert response.status_code == 422
    assert response.json["errors"]["name"] == [REQUIRED_NL]
