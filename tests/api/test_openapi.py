"""The OpenAPI document is valid, describes exactly the API's routes, and matches the JSON."""

import enum
import importlib
import inspect
import io
import pkgutil
import re
import sys
from datetime import timedelta

import pytest
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate
from pydantic import BaseModel

from app.api import openapi, schemas
from app.api.openapi import OPENAPI
from app.api.payload import json_types
from app.api.schemas.actors import ActorCreate, ActorPatch
from app.api.schemas.contacts import ContactCreate
from app.api.schemas.relations import RelationCreate
from app.api.schemas.types import ANY_SPACE
from crm.actors import WRITABLE_FIELDS
from crm.builder import MAX_TARGET, parse_targets
from crm.clock import utcnow
from crm.contacts import EDITABLE_FIELDS
from crm.messages import Invalid
from tests.api.conftest import API

JSON = "application/json"
MULTIPART = "multipart/form-data"
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def documented_operations() -> set[tuple[str, str]]:
    return {
        (path, method)
        for path, item in OPENAPI["paths"].items()
        for method in item
        if method in HTTP_METHODS
    }


def routed_operations(app) -> set[tuple[str, str]]:
    operations = set()
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("api."):
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule.removeprefix(API))
        operations |= {(path, m.lower()) for m in rule.methods - {"HEAD", "OPTIONS"}}
    return operations


def schema_of(name: str) -> dict:
    return OPENAPI["components"]["schemas"][name]


def conforms(instance, schema_name: str) -> None:
    """Raise when `instance` does not match the documented schema."""
    schema = {"$ref": f"#/components/schemas/{schema_name}", "components": OPENAPI["components"]}
    OAS31Validator(schema).validate(instance)


def test_the_document_is_valid_openapi():
    validate(OPENAPI)


def test_the_document_describes_exactly_the_api_routes(app):
    assert documented_operations() == routed_operations(app)


def test_the_route_check_would_notice_a_missing_route(app):
    assert ("/actors/{actor_id}", "put") not in routed_operations(app)
    assert ("/actors/{actor_id}", "patch") in routed_operations(app)


@pytest.mark.parametrize(
    ("schema_name", "accepted"),
    [
        ("ActorCreate", json_types(ActorCreate)),
        ("ActorPatch", json_types(ActorPatch)),
        ("ContactCreate", json_types(ContactCreate)),
        ("RelationCreate", json_types(RelationCreate)),
    ],
)
def test_each_request_schema_names_exactly_the_accepted_fields(schema_name, accepted):
    assert set(schema_of(schema_name)["properties"]) == set(accepted)


def test_the_api_accepts_every_writable_field_of_the_services():
    assert set(json_types(ActorCreate)) == set(WRITABLE_FIELDS)
    assert set(json_types(ContactCreate)) == set(EDITABLE_FIELDS)


def test_the_document_is_served_as_json(client, as_staff):
    response = client.get(f"{API}/openapi.json", headers=as_staff)

    assert response.status_code == 200
    assert response.json == OPENAPI


def test_every_operation_uses_bearer_security():
    assert OPENAPI["security"] == [{"bearerAuth": []}]
    assert OPENAPI["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_real_responses_match_the_documented_schemas(client, make_actor, as_staff, as_coordinator):
    other = make_actor()
    read_version = other.version
    actor = client.post(
        f"{API}/actors",
        json={
            "name": "Vzw Kompas",
            "kind": "poverty_organisation",
            "phone": "03 778 30 60",
            "themes": ["armoede"],
        },
        headers=as_staff,
    ).json
    contact = client.post(
        f"{API}/actors/{actor['id']}/contacts",
        json={
            "channel": "visit",
            "outcome": "reached",
            "follow_up_on": (utcnow() + timedelta(days=3)).date().isoformat(),
        },
        headers=as_staff,
    ).json
    relation = client.post(
        f"{API}/relations",
        json={"source_id": actor["id"], "target_id": other.id, "type": "partner_of"},
        headers=as_staff,
    ).json
    patched = client.patch(
        f"{API}/actors/{other.id}",
        json={"version": read_version, "archived": True},
        headers=as_coordinator,
    ).json
    stale = client.patch(
        f"{API}/actors/{other.id}", json={"version": read_version, "interest": 1}, headers=as_staff
    )

    conforms(actor, "Actor")
    conforms(patched, "Actor")
    conforms(client.get(f"{API}/actors", headers=as_staff).json, "ActorPage")
    conforms(contact, "Contact")
    conforms(
        client.get(f"{API}/actors/{actor['id']}/contacts", headers=as_staff).json, "ContactPage"
    )
    conforms(relation, "Relation")
    conforms(stale.json, "ConflictErrors")
    conforms(client.get(f"{API}/actors/0", headers=as_staff).json, "Errors")
    conforms(client.post(f"{API}/actors", json=[], headers=as_staff).json, "Errors")
    conforms(client.get(f"{API}/actors").json, "Errors")


def test_the_schema_check_would_notice_an_undocumented_field():
    with pytest.raises(Exception, match="Additional properties"):
        conforms({"id": 1, "name": "x", "secret": True}, "UserRef")


# --- what the fuzzer found (tests/api/test_fuzzing.py): the document tells the truth -------------


def is_valid(instance, schema_name: str) -> bool:
    schema = {"$ref": f"#/components/schemas/{schema_name}", "components": OPENAPI["components"]}
    return OAS31Validator(schema).is_valid(instance)


def in_a_week() -> str:
    return (utcnow() + timedelta(days=7)).isoformat(timespec="minutes")


@pytest.mark.parametrize(
    ("schema_name", "path", "body"),
    [
        ("ActorCreate", "/actors", {"name": "   ", "kind": "resident"}),
        ("ActorCreate", "/actors", {"name": "Vzw Kompas", "kind": "resident", "postcode": "12345"}),
        ("EventCreate", "/events", {"name": " ", "type": "workshop", "capacity": 9}),
        ("InvitationsAdd", "/events/{event}/invitations", {"actor_ids": []}),
    ],
    ids=["blank name", "postcode", "blank event name", "no actor_ids"],
)
def test_a_body_the_api_refuses_breaks_a_rule_of_its_documented_schema(
    client, make_event, as_admin, schema_name, path, body
):
    if schema_name == "EventCreate":
        body = {**body, "starts_at": in_a_week()}
    url = API + path.format(event=make_event().id)

    response = client.post(url, json=body, headers=as_admin)

    assert response.status_code == 422
    assert not is_valid(body, schema_name)


@pytest.mark.parametrize(
    ("path", "method", "fields"),
    [
        ("/relations", "post", ("source_id", "target_id", "ends_on")),
        ("/actors/{actor_id}/contacts", "post", ("occurred_at", "follow_up_on")),
        ("/events", "post", ("starts_at",)),
        ("/events/{event_id}/invitations", "post", ("actor_ids", "channels", "district")),
    ],
)
def test_a_rule_json_schema_cannot_state_is_in_the_operations_description(path, method, fields):
    description = OPENAPI["paths"][path][method]["description"]

    assert "beyond what the schema says" in description
    assert all(f"({field}" in description or f", {field})" in description for field in fields)


def test_the_document_says_a_whole_number_may_be_written_with_a_zero_fraction():
    assert "may be written 2 or 2.0" in OPENAPI["info"]["description"]


@pytest.mark.parametrize(
    ("path", "field", "value"),
    [
        ("/relations", "target_id", 2.5),
        ("/actors", "influence", 2.5),
        ("/events", "capacity", 20.5),
        ("/events/{event}/invitations", "actor_ids", [1.5]),
    ],
)
def test_a_number_with_a_fraction_is_refused_where_a_whole_number_is_asked(
    client, make_event, as_admin, path, field, value
):
    url = API + path.format(event=make_event().id) + "?lang=en"

    response = client.post(url, json={field: value}, headers=as_admin)

    assert response.status_code == 400
    assert response.json["errors"][field] in (
        ["Send a whole number here."],
        ["Send a list of whole numbers here."],
    )


def test_a_whole_number_written_with_a_zero_fraction_is_that_number(
    client, make_actor, make_event, as_admin
):
    # JSON Schema's integer admits 2.0 (the fuzzer sends it): the API reads it as 2.
    one, two = make_actor(), make_actor()
    event = make_event()

    relation = client.post(
        f"{API}/relations",
        json={"source_id": float(one.id), "target_id": float(two.id), "type": "knows"},
        headers=as_admin,
    )
    actor = client.post(
        f"{API}/actors",
        json={"name": "Vzw Kompas", "kind": "poverty_organisation", "influence": 4.0},
        headers=as_admin,
    )
    listed = client.post(
        f"{API}/events/{event.id}/invitations",
        json={"build": {"targets": {"business": {"min": 1.0, "max": 2.0}}}},
        headers=as_admin,
    )

    assert relation.status_code == 201
    assert (relation.json["source_id"], relation.json["target_id"]) == (one.id, two.id)
    assert (actor.status_code, actor.json["influence"]) == (201, 4)
    assert listed.status_code == 201, listed.json


def example_of(schema: dict):
    """A value of the JSON type a documented property takes (null only when nothing else)."""
    if "$ref" in schema:
        return example_of(schema_of(schema["$ref"].rsplit("/", 1)[1]))
    if "anyOf" in schema:
        branches = [b for b in schema["anyOf"] if b.get("type") != "null"]
        return example_of(branches[0]) if branches else None
    examples = {"string": "", "integer": 1, "boolean": True, "array": [], "object": {}}
    return examples[schema["type"]]


BODY_OPERATIONS = [
    (path, method)
    for path, item in OPENAPI["paths"].items()
    for method, operation in item.items()
    if method in HTTP_METHODS and JSON in operation.get("requestBody", {}).get("content", {})
]
FORM_OPERATIONS = [
    (path, method)
    for path, item in OPENAPI["paths"].items()
    for method, operation in item.items()
    if method in HTTP_METHODS and MULTIPART in operation.get("requestBody", {}).get("content", {})
]


@pytest.mark.parametrize(("path", "method"), BODY_OPERATIONS)
def test_each_route_reads_exactly_the_fields_its_operation_documents(
    client, as_admin, path, method
):
    reference = OPENAPI["paths"][path][method]["requestBody"]["content"][JSON]["schema"]["$ref"]
    properties = schema_of(reference.rsplit("/", 1)[1])["properties"]
    body = {field: example_of(prop) for field, prop in properties.items()}
    url = API + re.sub(r"\{[^}]+\}", "1", path) + "?lang=en"

    response = client.open(
        url, method=method.upper(), json={**body, "undocumented": 1}, headers=as_admin
    )

    unknown = [
        f for f, ms in response.json["errors"].items() if any("Unknown field" in m for m in ms)
    ]
    assert response.status_code == 422
    assert unknown == ["undocumented"]


def test_the_multipart_routes_are_the_import():
    assert FORM_OPERATIONS == [("/imports", "post")]


@pytest.mark.parametrize(("path", "method"), FORM_OPERATIONS)
def test_each_form_route_reads_exactly_the_fields_its_operation_documents(
    client, as_admin, path, method
):
    reference = OPENAPI["paths"][path][method]["requestBody"]["content"][MULTIPART]["schema"]
    schema = schema_of(reference["$ref"].rsplit("/", 1)[1])
    form = {name: "" for name in schema["properties"] if name != "file"}
    form["file"] = (io.BytesIO(b"Naam\r\nVzw De Link\r\n"), "lijst.csv")

    documented = client.post(API + path, data={**form, "dry_run": "true"}, headers=as_admin)
    form["file"] = (io.BytesIO(b"Naam\r\nVzw De Link\r\n"), "lijst.csv")
    undocumented = client.post(
        API + path + "?lang=en", data={**form, "undocumented": "1"}, headers=as_admin
    )

    assert documented.status_code == 200, documented.json
    assert undocumented.status_code == 422
    assert list(undocumented.json["errors"]) == ["undocumented"]
    assert schema["additionalProperties"] is False


def test_the_white_space_of_the_patterns_is_what_python_trims():
    characters = [chr(code) for code in range(sys.maxunicode + 1)]

    matched = {c for c in characters if re.fullmatch(ANY_SPACE, c)}

    assert matched == {c for c in characters if c.isspace()}


@pytest.mark.parametrize(
    ("limit", "valid"),
    [("0", True), (" +0042 ", True), ("-0", True), (str(MAX_TARGET), True), ("", True)]
    + [(str(MAX_TARGET + 1), False), ("-1", False), ("1.5", False), ("٣", False)],
)
def test_a_target_as_text_is_documented_as_the_builder_reads_it(limit, valid):
    try:
        parse_targets({"business": {"min": limit}})
        read = True
    except Invalid:
        read = False

    assert is_valid({"min": limit}, "Target") == read == valid


def test_every_schema_of_the_document_is_generated_from_a_declared_shape():
    # The shapes are declared once, as pydantic models in app/api/schemas; openapi.py names them
    # in its operations and holds no object shape of its own.
    declared = {}
    for module in pkgutil.iter_modules(schemas.__path__, prefix=f"{schemas.__name__}."):
        found = vars(importlib.import_module(module.name)).items()
        declared |= {name: obj for name, obj in found if inspect.isclass(obj)}

    for name in OPENAPI["components"]["schemas"]:
        shape = declared.get(name)
        assert shape is not None, f"{name} is no declared shape"
        assert issubclass(shape, BaseModel | enum.Enum), name
    source = inspect.getsource(openapi)
    assert '"properties"' not in source
    assert '"type": "object"' not in source
