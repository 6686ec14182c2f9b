"""The OpenAPI document is valid, describes exactly the API's routes, and matches the JSON."""

import re
from datetime import timedelta

import pytest
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate

from app.api.openapi import OPENAPI
from app.api.payload import json_types
from app.api.schemas.actors import ActorCreate, ActorPatch
from app.api.schemas.contacts import ContactCreate
from app.api.schemas.relations import RelationCreate
from crm.actors import WRITABLE_FIELDS
from crm.clock import utcnow
from crm.contacts import EDITABLE_FIELDS
from tests.api.conftest import API

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
