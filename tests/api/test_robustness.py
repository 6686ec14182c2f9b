"""Whatever a client sends, the API answers JSON with a status below 500."""

import io
from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from app.api.payload import json_types
from app.api.schemas.actors import ActorPatch
from app.api.schemas.contacts import ContactCreate
from app.api.schemas.relations import RelationCreate
from tests.api.conftest import API

# Texts with the characters that broke databases before: NUL, lone surrogates, long strings.
TEXTS = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", "\x00", "\ud800", "x" * 10_000, "03 778 30 60", "2025-01-01", "١"]),
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    TEXTS,
)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3), max_leaves=5)
FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def bodies(fields) -> st.SearchStrategy:
    names = st.one_of(st.sampled_from(sorted(fields)), st.text(max_size=8))
    return st.one_of(st.dictionaries(names, VALUES, max_size=6), VALUES)


def assert_answered(response) -> None:
    assert response.status_code < 500, response.get_data(as_text=True)[:300]
    if response.status_code >= 400:
        assert response.json["errors"]


@FUZZ
@given(body=bodies(json_types(ActorPatch)))
def test_any_json_to_create_an_actor_is_answered_without_a_server_error(client, as_staff, body):
    assert_answered(client.post(f"{API}/actors", json=body, headers=as_staff))


@FUZZ
@given(body=bodies(json_types(ActorPatch)))
def test_any_json_to_change_an_actor_is_answered_without_a_server_error(
    client, make_actor, as_coordinator, body
):
    actor = make_actor()

    assert_answered(client.patch(f"{API}/actors/{actor.id}", json=body, headers=as_coordinator))


@FUZZ
@given(body=bodies(json_types(ContactCreate)))
def test_any_json_to_log_a_contact_is_answered_without_a_server_error(
    client, make_actor, as_staff, body
):
    actor = make_actor()

    assert_answered(client.post(f"{API}/actors/{actor.id}/contacts", json=body, headers=as_staff))


@FUZZ
@given(body=bodies(json_types(RelationCreate)))
def test_any_json_to_add_a_relation_is_answered_without_a_server_error(client, as_staff, body):
    assert_answered(client.post(f"{API}/relations", json=body, headers=as_staff))


@FUZZ
@given(
    ident=TEXTS,
    query=st.dictionaries(
        st.sampled_from(["q", "kind", "district", "theme", "page", "per_page"]), TEXTS
    ),
)
def test_any_id_or_query_is_answered_without_a_server_error(client, as_admin, ident, query):
    # A lone surrogate goes out as the bytes of invalid UTF-8, as a broken client would send it.
    path = quote(ident, safe="", errors="surrogatepass") or "x"
    params = "&".join(f"{k}={quote(v, safe='', errors='surrogatepass')}" for k, v in query.items())

    assert_answered(client.get(f"{API}/actors?{params}", headers=as_admin))
    assert_answered(client.get(f"{API}/actors/{path}", headers=as_admin))
    assert_answered(client.get(f"{API}/actors/{path}/contacts?{params}", headers=as_admin))
    assert_answered(client.delete(f"{API}/relations/{path}", headers=as_admin))


def chunked(path: str, body: bytes, headers: dict, *, terminated: bool) -> Request:
    """A POST with a chunked body (no Content-Length) as the app gets it from a server;
    `terminated`: the server marks where the body ends, as gunicorn and werkzeug's own do."""
    environ = EnvironBuilder(
        path=path,
        method="POST",
        input_stream=io.BytesIO(body),
        headers={**headers, "Transfer-Encoding": "chunked", "Content-Type": "application/json"},
    ).get_environ()
    del environ["CONTENT_LENGTH"]
    if terminated:
        environ["wsgi.input_terminated"] = True
    return Request(environ)


NEW_ACTOR = b'{"name": "Vzw Kompas", "kind": "poverty_organisation"}'


def test_a_chunked_body_the_server_does_not_mark_the_end_of_is_refused_not_read_as_empty(
    client, as_staff, actor_count
):
    response = client.open(chunked(f"{API}/actors?lang=en", NEW_ACTOR, as_staff, terminated=False))

    assert response.status_code == 411
    assert response.json["errors"]["_"] == [
        "Send the request body with a Content-Length header: this server cannot read a chunked "
        "body."
    ]
    assert actor_count() == 0


def test_a_chunked_body_the_server_marks_the_end_of_is_read(client, as_staff, actor_count):
    response = client.open(chunked(f"{API}/actors", NEW_ACTOR, as_staff, terminated=True))

    assert response.status_code == 201
    assert response.json["name"] == "Vzw Kompas"
    assert actor_count() == 1
