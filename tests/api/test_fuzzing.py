"""The API keeps the promises of its OpenAPI document, checked by a property-based fuzzer.

schemathesis generates requests for every operation of the document: valid ones, invalid ones
and methods the document does not list, and sends them to the app (WSGI, in-process) with an
administrator's token; a few actors, an event and an invitation are seeded so that ids 1 to 3
exist. Every answer is checked: no server error, a documented status code and content type, a
body of the documented schema, invalid data refused, valid data accepted, 405 with `Allow` for
another method.

Bounded so that the test runs in about a minute per database on two busy cores: a fixed seed
(a run is repeatable, and the same requests go to SQLite and PostgreSQL), MAX_EXAMPLES
generated requests per operation, plus schemathesis' examples and coverage phases (boundary
values, each invalid variant once, the undocumented methods).
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from openapi_schema_validator import OAS31Validator
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from app.api.openapi import OPENAPI
from crm.invitations import add_invitations
from crm.validation import as_id
from crm.vocabulary import INVITE_CHANNELS

MAX_EXAMPLES = 100
SEED = 20_251_105

# Refusals the document states in words because JSON Schema cannot say them: rules across
# fields, rules on data (a known district, an existing actor), the clock and validity checks of
# libraries. For these operations and fields only, a valid request may be refused with 422.
RULES_BEYOND_JSON_SCHEMA = {
    # phonenumbers decides what a valid number is, email-validator an address; districts and
    # themes are the ones the administrators keep.
    "createActor": {"phone", "email", "district", "themes"},
    # ...and an archived actor is read-only until restored (actor).
    "updateActor": {"phone", "email", "district", "themes", "actor"},
    # An outcome that can happen on the channel; not in the future, not before 2000; a
    # follow-up not before the day of the contact; an Idempotency-Key not blank and not used
    # before with another body; an actor not archived.
    "logContact": {"outcome", "occurred_at", "follow_up_on", "idempotency_key", "actor"},
    # Existing, not archived actors, not the same one twice, not a relation they have; the end
    # after the start.
    "addRelation": {"source_id", "target_id", "ends_on"},
    # A start between 2000 and five years from now; known themes.
    "createEvent": {"starts_at", "themes"},
    # Existing, not archived actors a channel reaches; overrides the rules allow, for actors in
    # actor_ids; a kind's minimum not above its maximum; known districts and themes.
    "addInvitations": {"actor_ids", "channels", "build.targets.", "district", "theme"},
    # An override the rules allow for the invitation's actor.
    "updateInvitation": {"channel"},
    # A readable CSV or XLSX with a name column; a mapping of its headers to known fields;
    # rows without errors unless skip_invalid.
    "importActors": {"file", "mapping", "rows"},
    # An import that was done, whose actors nobody changed since.
    "undoImport": {"import"},
}


def documented(name: str) -> OAS31Validator:
    """A validator of one of the document's schemas."""
    return OAS31Validator({"$ref": f"#/components/schemas/{name}", **OPENAPI})


def refused_as_stated(case, response) -> bool:
    """Whether a refusal of valid data is one the operation's description states in words."""
    if response.status_code != 422 or "errors" not in (response.json() or {}):
        return False
    errors = response.json()["errors"]
    stated = RULES_BEYOND_JSON_SCHEMA.get(case.operation.definition.raw.get("operationId"), ())
    return all(any(field.startswith(rule) for rule in stated) for field in errors)


def override_not_read(case, response) -> bool:
    """Whether invalid data was accepted only in overrides the document says are not read: those
    of actors already on the list, which come back unchanged."""
    body = case.body
    if case.operation.definition.raw.get("operationId") != "addInvitations":
        return False
    if response.status_code != 201 or not isinstance(body, dict):
        return False
    invalid = {
        as_id(key): value
        for key, value in (body.get("channels") or {}).items()
        if value not in INVITE_CHANNELS
    }
    returned = {invitation["actor_id"]: invitation for invitation in response.json()["invitations"]}
    return (
        invalid
        and documented("InvitationsAdd").is_valid({**body, "channels": {}})
        and all(
            key in returned and returned[key]["channel"] != value for key, value in invalid.items()
        )
    )


@schemathesis.check
def positive_data_acceptance_as_documented(ctx, response, case):
    """Valid data is accepted, but for the refusals the document states in words."""
    if refused_as_stated(case, response):
        return None
    return positive_data_acceptance(ctx, response, case)


@schemathesis.check
def negative_data_rejection_as_documented(ctx, response, case):
    """Invalid data is refused, but for the overrides the document says are not read."""
    if override_not_read(case, response):
        return None
    return negative_data_rejection(ctx, response, case)


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection_as_documented,
    positive_data_acceptance_as_documented,
    unsupported_method,
]
CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": SEED,
        # The token comes with every request (the fixture's); requests without one are
        # tests/api/test_auth.py's.
        "generation": {"max-examples": MAX_EXAMPLES, "with-security-parameters": False},
    }
)
schema = schemathesis.openapi.from_dict(OPENAPI, config=CONFIG)


@pytest.fixture
def seeded(app, session, make_actor, make_event, make_user, api_token):
    """The app with three actors (ids 1-3), an event with one invitation, and an
    administrator's headers; identity encoding, as the WSGI client does not unzip."""
    make_actor(name="Vzw De Moeite", kind="poverty_organisation", phone="03 778 30 60")
    make_actor(name="Bakkerij Peeters", kind="business", email="info@peeters.be")
    make_actor(name="Jan Janssens", district="Sinaai", address="Kerkstraat 1")
    event = make_event()
    add_invitations(session, event.id, actor_ids=[1])
    session.commit()
    headers = {**api_token(make_user("admin")), "Accept-Encoding": "identity"}
    return app, headers


@schema.parametrize()
@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_api_keeps_the_promises_of_its_document(case, seeded):
    app, headers = seeded
    case.call_and_validate(app=app, headers=headers, checks=CHECKS)
