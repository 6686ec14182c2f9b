"""The OpenAPI 3.1 document of API v1, served at /api/v1/openapi.json.

Its schemas are generated from the shapes (app.api.schemas) that the routes read and answer
with: each operation names its request and response models, and the components are those
models' JSON Schemas. Written here is only what no model declares: the paths and operations,
the parameters, the responses and the descriptions. Tests keep it honest: it validates as
OpenAPI, its (path, method) pairs equal the API's routes, and a property-based fuzzer
(tests/api/test_fuzzing.py) checks the API against it.
"""

from flask import jsonify
from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue, models_json_schema

from app.api import bp
from app.api.schemas.actors import Actor, ActorCreate, ActorPage, ActorPatch
from app.api.schemas.contacts import Contact, ContactCreate, ContactPage
from app.api.schemas.documents import OpenApiDocument, PlotlyFigure
from app.api.schemas.errors import ConflictErrors, Errors
from app.api.schemas.events import (
    Event,
    EventCreate,
    Invitation,
    InvitationPatch,
    InvitationsAdd,
    InvitationsAdded,
    Representation,
)
from app.api.schemas.imports import (
    ImportDone,
    ImportDryRun,
    ImportForm,
    ImportRefused,
    ImportUndone,
)
from app.api.schemas.reach import ActorReach, Reach
from app.api.schemas.relations import Relation, RelationCreate
from app.api.schemas.types import ANY_SPACE, ID_TEXT, Body, Reply, trimmed
from app.maps.charts import FIGURES
from crm.imports.files import MAX_UPLOAD_BYTES
from crm.models import EMAIL_MAX, LABEL_MAX, SUBMISSION_KEY_MAX
from crm.validation import MAX_ID
from crm.vocabulary import Kind
from mapping.filters import HOPS

MAP_NAMES = tuple(FIGURES)  # reach-over-time and channel-mix: not yet (issue 4)
REF = "#/components/schemas/{model}"
JSON = "application/json"
MULTIPART = "multipart/form-data"
CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ERROR_RESPONSES = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    409: "Conflict",
    411: "LengthRequired",
    413: "TooLarge",
    422: "Unprocessable",
}


SHAPES: list[type[BaseModel]] = []  # every shape an operation or a response names


class Document(GenerateJsonSchema):
    """JSON Schema as the document shows it: no titles and no defaults (a field left out is
    left to the domain's default), keys of objects as `propertyNames`."""

    def field_title_should_be_set(self, schema) -> bool:
        return False

    def default_schema(self, schema) -> JsonSchemaValue:
        return self.generate_inner(schema["schema"])

    def dict_schema(self, schema) -> JsonSchemaValue:
        generated = super().dict_schema(schema)
        patterns = generated.pop("patternProperties", None)
        if patterns:  # one key pattern: say it of every key, not only of matching ones
            ((pattern, values),) = patterns.items()
            generated |= {"propertyNames": {"pattern": pattern}, "additionalProperties": values}
        return generated


def components(shapes: list[type[BaseModel]]) -> dict:
    """The JSON Schemas of `shapes` and of every model and enum they use, by name."""
    pairs = [
        (shape, "validation" if issubclass(shape, Body) else "serialization") for shape in shapes
    ]
    _, schema = models_json_schema(pairs, ref_template=REF, schema_generator=Document)
    return {name: _untitled(definition) for name, definition in schema["$defs"].items()}


def _untitled(definition: dict) -> dict:
    return {key: value for key, value in definition.items() if key != "title"}


def _ref(kind: str, name: str) -> dict:
    return {"$ref": f"#/components/{kind}/{name}"}


def _schema(shape: type[BaseModel]) -> dict:
    """A reference to the shape's schema, which goes into the components."""
    SHAPES.append(shape)
    return _ref("schemas", shape.__name__)


def _ok(description: str, shape: type[Reply] | None = None, *, location: str = "") -> dict:
    response: dict = {"description": description}
    if shape:
        response["content"] = {JSON: {"schema": _schema(shape)}}
    if location:
        header = {"description": f"The new {location}'s URL.", "schema": {"type": "string"}}
        response["headers"] = {"Location": header}
    return response


def _errors(*codes: int) -> dict:
    return {str(code): _ref("responses", ERROR_RESPONSES[code]) for code in codes}


def _operation(
    operation_id: str,
    summary: str,
    responses: dict,
    *,
    parameters: tuple[str, ...] = (),
    body: type[Body] | None = None,
    description: str = "",
) -> dict:
    operation = {
        "operationId": operation_id,
        "summary": summary,
        "parameters": [_ref("parameters", p) for p in (*parameters, "Lang", "AcceptLanguage")],
        "responses": responses,
    }
    if body:
        operation["requestBody"] = {"required": True, "content": {JSON: {"schema": _schema(body)}}}
        operation["responses"] = {**responses, **_errors(400, 411)}
    if description:
        operation["description"] = description
    return operation


def _download(media_type: str, description: str) -> dict:
    disposition = {"description": "attachment, with the file name.", "schema": {"type": "string"}}
    return {
        "description": description,
        "content": {media_type: {"schema": {"type": "string", "format": "binary"}}},
        "headers": {"Content-Disposition": disposition},
    }


def _error_response(description: str, shape: type[Reply] = Errors) -> dict:
    return {"description": description, "content": {JSON: {"schema": _schema(shape)}}}


def _query(name: str, schema: dict, description: str) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


def _path_id(name: str, what: str) -> dict:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "schema": {"type": "string", "pattern": ID_TEXT},
        "description": f"The {what}'s id. Anything that cannot be an id answers 404.",
    }


def _text(max_length: int) -> dict:
    # crm.validation.clean_text trims a text of the query string before it refuses control
    # characters: any white space may stand at its ends.
    return {"type": "string", "pattern": trimmed(max_length, space=ANY_SPACE)}


def _integer(low: int, high: int) -> dict:
    return {"type": "integer", "minimum": low, "maximum": high}


def _integer_or_default(low: int, high: int) -> dict:
    """A whole number in the query string, or nothing (empty or blank) for the default."""
    blank = {"type": "string", "pattern": f"^{ANY_SPACE}*$"}
    return {"anyOf": [_integer(low, high), blank]}


KIND_OR_ALL = {"type": "string", "enum": ["", *map(str, Kind)]}
IMPORT_BODY = {
    "required": True,
    "content": {
        MULTIPART: {
            "schema": _schema(ImportForm),
            "encoding": {"file": {"contentType": "application/octet-stream"}},
        }
    },
}
REACH_FILTERS = (
    "Filters: a group is kept when it is defined by every value asked for. district=D keeps the "
    "group 'district:D' and the groups 'kind_district:<kind>/D'; kind=K keeps 'kind:K' and "
    "'kind_district:K/<district>'; kind and district together keep 'kind_district:K/D' only; "
    "theme=T keeps 'theme:T' only (there are no groups per theme and district or kind, so theme "
    "with kind or district keeps no group). Groups that are not defined by a filtered value are "
    "left out because their figures also count actors outside the filter. Recommendations, "
    "brokers and poverty_flagged are kept when their actor matches every filter given. An "
    "unknown district or theme matches nothing; an unknown kind is refused (422)."
)

PATHS = {
    "/actors": {
        "get": _operation(
            "listActors",
            "Search and filter actors, one page at a time, by name.",
            {"200": _ok("A page of actors.", ActorPage), **_errors(400, 401, 422)},
            parameters=("Q", "Kind", "District", "Theme", "Page", "PerPage"),
        ),
        "post": _operation(
            "createActor",
            "Create an actor.",
            {"201": _ok("The new actor.", Actor, location="actor"), **_errors(401, 409, 422)},
            body=ActorCreate,
            description="The phone number, the e-mail address, the district and the themes "
            "are checked beyond what their schemas say: the number must be valid, the address "
            "deliverable in form, the district and themes known (422 otherwise).",
        ),
    },
    "/actors/{actor_id}": {
        "parameters": [_ref("parameters", "ActorId")],
        "get": _operation(
            "getActor",
            "One actor, archived or not.",
            {"200": _ok("The actor.", Actor), **_errors(401, 404)},
        ),
        "patch": _operation(
            "updateActor",
            "Change an actor's fields and/or archive or restore it (archived: coordinators).",
            {"200": _ok("The changed actor.", Actor), **_errors(401, 403, 404, 409, 422)},
            body=ActorPatch,
            description="Only when version is the stored one (409 otherwise, with the current "
            "version). The fields are checked as on creation. An archived actor is read-only "
            'until restored: a change of its fields is refused (422 on actor); send "archived": '
            "false (with or without field changes) to restore it first.",
        ),
        "delete": _operation(
            "deleteActor",
            "Remove an actor with its contacts and relations for good (administrators).",
            {"204": _ok("Removed."), **_errors(401, 403, 404, 409)},
        ),
    },
    "/actors/{actor_id}/contacts": {
        "parameters": [_ref("parameters", "ActorId")],
        "get": _operation(
            "listContacts",
            "The actor's contacts, newest first, one page at a time.",
            {"200": _ok("A page of contacts.", ContactPage), **_errors(400, 401, 404)},
            parameters=("Page", "PerPage"),
        ),
        "post": _operation(
            "logContact",
            "Log a contact with the actor on behalf of the token's user.",
            {"201": _ok("The logged contact.", Contact), **_errors(401, 404, 409, 422)},
            body=ContactCreate,
            parameters=("IdempotencyKey",),
            description="Refused (422) beyond what the schema says: an outcome that cannot "
            "happen on the channel (outcome; e.g. declined on online, see "
            "docs/rules-of-reach.md#channels-and-outcomes), a contact in the future or before "
            "2000 (occurred_at), a follow-up date before the day of the contact in "
            "Brussels (follow_up_on), and an archived actor (actor: read-only until restored). "
            "Send an Idempotency-Key to make "
            "a retry safe: a repeat with the same key and body stores nothing and answers 201 "
            "with the contact the first request logged (as stored now); the same key with "
            "another body or another actor is refused (422 on idempotency_key).",
        ),
    },
    "/actors/{actor_id}/reach": {
        "parameters": [_ref("parameters", "ActorId")],
        "get": _operation(
            "getActorReach",
            "The actor's reach status and its one recommended next action (action, "
            "introducer_id, introducer_name, reason and priority are null when nothing is "
            "recommended). Archived actors are not analysed: 404.",
            {"200": _ok("The actor's reach.", ActorReach), **_errors(401, 404)},
        ),
    },
    "/reach": {
        "get": _operation(
            "getReach",
            "Reach per group with flags, and the recommended next actions, best first.",
            {"200": _ok("The reach analysis.", Reach), **_errors(400, 401, 422)},
            parameters=("ReachKind", "ReachDistrict", "ReachTheme", "Page", "PerPage"),
            description="Groups per kind, district, theme and kind within a district "
            "(the rules of reach, docs/rules-of-reach.md), computed from the data as it is "
            "now. " + REACH_FILTERS,
        ),
    },
    "/maps/{name}": {
        "parameters": [_ref("parameters", "MapName")],
        "get": _operation(
            "getMap",
            "One stakeholder map or reach chart as plotly figure JSON.",
            {"200": _ok("The plotly figure.", PlotlyFigure), **_errors(401, 404, 422)},
            parameters=("Kind", "District", "Theme", "MapFlagged", "MapActor", "MapHops"),
            description="The figure the map pages draw, for plotly.js "
            "(Plotly.newPlot(element, figure.data, figure.layout)). Above the node limit "
            "(setting MAP_NODE_LIMIT, default 2000 actors) the network map shows one node "
            'per kind and district: layout.meta.level is "group", else "actor"; '
            "layout.meta.layout names the picture of the network map: group (the kind x "
            "district grid), bands (a band of actors per kind), rings (up to 150 actors on "
            "rings around the city by reach status) or ego (the network of MapActor). The "
            'power/interest grid\'s layout.meta.level is "actor" or "cell". The reach '
            "charts keep the groups that do not contradict the kind and district asked.",
        ),
    },
    "/relations": {
        "post": _operation(
            "addRelation",
            "Link two different actors.",
            {"201": _ok("The new relation.", Relation), **_errors(401, 409, 422)},
            body=RelationCreate,
            description="Refused (422) beyond what the schema says: an actor that does not "
            "exist (source_id, target_id), a relation of an actor with itself or one the two "
            "actors already have (target_id), an end before the start (ends_on), an archived "
            "actor (source_id, target_id: read-only until restored).",
        ),
    },
    "/relations/{relation_id}": {
        "parameters": [_ref("parameters", "RelationId")],
        "delete": _operation(
            "removeRelation",
            "Remove one relation; refused (422) when either actor is archived.",
            {"204": _ok("Removed."), **_errors(401, 404, 409, 422)},
        ),
    },
    "/events": {
        "post": _operation(
            "createEvent",
            "Create an event (coordinators).",
            {
                "201": _ok("The new event.", Event, location="event"),
                **_errors(401, 403, 409, 422),
            },
            body=EventCreate,
            description="Refused (422) beyond what the schema says: a start before 2000 or "
            "more than five years from now (starts_at), unknown themes. Refused (409, the "
            "existing event named in errors.name) when another event has the same name (case, "
            "accents and spaces ignored) on the same day, unless confirm_duplicate is true.",
        ),
    },
    "/events/{event_id}": {
        "parameters": [_ref("parameters", "EventId")],
        "get": _operation(
            "getEvent",
            "One event with the number of invitations per status.",
            {"200": _ok("The event.", Event), **_errors(401, 404)},
        ),
    },
    "/events/{event_id}/invitations": {
        "parameters": [_ref("parameters", "EventId")],
        "post": _operation(
            "addInvitations",
            "Put actors on the event's invitation list, by id or by the balanced builder "
            "(coordinators).",
            {
                "201": _ok("The invitations added (or already there).", InvitationsAdded),
                **_errors(401, 403, 404, 409, 422),
            },
            body=InvitationsAdd,
            description="Send either actor_ids (with channels to override the rules' choice) "
            "or build: the builder picks the actors matching the selection who are not on the "
            "list yet, fills each kind's minimum first, then the free places one kind at a time "
            "up to each maximum, within the event's capacity (actors not reached directly "
            "first), and puts them on the list at once. Refused (422) beyond what the schema "
            "says: actors that do not exist, are archived or that no allowed channel reaches "
            "(actor_ids), an override the rules do not allow or for an actor not in actor_ids "
            "(channels), a kind's minimum above its maximum (build.targets.<kind>), a district "
            "or theme nobody defined (district, theme).",
        ),
    },
    "/events/{event_id}/invitations.csv": {
        "parameters": [_ref("parameters", "EventId")],
        "get": _operation(
            "exportInvitationsCsv",
            "The invitation list as CSV (users who may export).",
            {"200": _download(CSV, "The CSV file."), **_errors(401, 403, 404, 422)},
            parameters=("Dialect",),
            description="No cell starts a formula (values beginning with =, +, -, @, tab or "
            "carriage return are neutralised). Actors whose do-not-contact flags rule out "
            "their invite channel are left out, counted per reason in the export log; every "
            "export is logged with who, when and what.",
        ),
    },
    "/events/{event_id}/invitations.xlsx": {
        "parameters": [_ref("parameters", "EventId")],
        "get": _operation(
            "exportInvitationsXlsx",
            "The invitation list as an Excel workbook (users who may export).",
            {"200": _download(XLSX, "The XLSX file."), **_errors(401, 403, 404)},
            description="As the CSV export: text cells, no formulas, flagged actors left out, "
            "the export logged.",
        ),
    },
    "/events/{event_id}/representation": {
        "parameters": [_ref("parameters", "EventId")],
        "get": _operation(
            "getRepresentation",
            "Who came, per kind and per district, against the stakeholder map.",
            {"200": _ok("The representation report.", Representation), **_errors(401, 404)},
        ),
    },
    "/invitations/{invitation_id}": {
        "parameters": [_ref("parameters", "InvitationId")],
        "patch": _operation(
            "updateInvitation",
            "Change an invitation's status (check-in) and/or its channel (an override).",
            {
                "200": _ok("The changed invitation.", Invitation),
                **_errors(401, 403, 404, 409, 422),
            },
            body=InvitationPatch,
            description="Refused (422) beyond what the schema says: a channel the rules do not "
            "allow for the invitation's actor (channel).",
        ),
    },
    "/imports": {
        "post": {
            **_operation(
                "importActors",
                "Check a list of actors (dry_run) or import it, all or nothing (coordinators).",
                {
                    "200": _ok(
                        "The dry run: every row's action; nothing was stored.", ImportDryRun
                    ),
                    "201": _ok("The import done, with its id to undo it.", ImportDone),
                    "422": {
                        "description": "Nothing was stored: the file cannot be read or has no "
                        "name column (errors.file, errors.mapping), or rows are in error and "
                        "skip_invalid was not sent (errors.rows, with the rows in error).",
                        "content": {
                            JSON: {"schema": {"anyOf": [_schema(Errors), _schema(ImportRefused)]}}
                        },
                    },
                    **_errors(400, 401, 403, 413),
                },
                description="A row is new, an update of an actor stored (the same name with "
                "the same phone, e-mail or address), unchanged, a possible duplicate (left "
                "out) or in error (which cell, what is wrong, in the request's language). The "
                "import runs in one transaction: a row in error stores nothing unless "
                "skip_invalid is true. Importing the same list twice adds nothing the second "
                "time (its rows are unchanged), so a retried request is safe without an "
                "Idempotency-Key. Refused beyond what the schema says (422): a file that is "
                "not a readable CSV or XLSX or is larger than the limit (file), a mapping that "
                "is not a JSON object, names a column the file lacks or an unknown field, or "
                "maps no column to the name (mapping).",
            ),
            "requestBody": IMPORT_BODY,
        },
    },
    "/imports/{import_id}/undo": {
        "parameters": [_ref("parameters", "ImportId")],
        "post": _operation(
            "undoImport",
            "Take an import back as a whole (coordinators).",
            {"200": _ok("The import is undone.", ImportUndone), **_errors(401, 403, 404, 409, 422)},
            description="Removes the actors the import created and puts back what it changed. "
            "Refused (422, on import) when the import was not done or was undone already, or "
            "when any of its actors was changed, contacted, linked or invited since.",
        ),
    },
    "/openapi.json": {
        "get": _operation(
            "getOpenApi",
            "This document.",
            {"200": _ok("The OpenAPI document.", OpenApiDocument), **_errors(401)},
        ),
    },
}

PARAMETERS = {
    "ActorId": _path_id("actor_id", "actor"),
    "RelationId": _path_id("relation_id", "relation"),
    "EventId": _path_id("event_id", "event"),
    "InvitationId": _path_id("invitation_id", "invitation"),
    "ImportId": _path_id("import_id", "import"),
    "Dialect": _query(
        "dialect",
        {"type": "string", "enum": ["", "excel-be", "plain"]},
        "excel-be (the default, also when empty): UTF-8 with BOM and ';', as Belgian Excel "
        "opens it; plain: UTF-8 and ','.",
    ),
    "Q": _query(
        "q",
        _text(EMAIL_MAX),
        "Part of a name, a phone number in any format, or the start of an e-mail address.",
    ),
    "Kind": _query("kind", KIND_OR_ALL, "Only actors of this kind (empty: any)."),
    "District": _query("district", _text(LABEL_MAX), "Only actors in this district."),
    "Theme": _query("theme", _text(LABEL_MAX), "Only actors with this theme."),
    "ReachKind": _query(
        "kind", KIND_OR_ALL, "Groups of this kind; recommendations for actors of it."
    ),
    "ReachDistrict": _query(
        "district", _text(LABEL_MAX), "Groups of this district; recommendations for actors in it."
    ),
    "ReachTheme": _query(
        "theme", _text(LABEL_MAX), "The group of this theme; recommendations for actors with it."
    ),
    "MapName": {
        "name": "name",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "enum": list(MAP_NAMES)},
        "description": "The chart. Any other name answers 404.",
    },
    "MapFlagged": _query(
        "flagged",
        {"type": "string"},
        "1 or true (in any case): only actors of under-reached groups and flagged poverty "
        "organisations (and only under-reached groups on the reach charts); any other value: "
        "all of them.",
    ),
    "MapActor": _query(
        "actor",
        {"type": "string", "pattern": f"^$|{ID_TEXT}"},
        "The ego network of this actor: it and the actors `hops` relations away "
        "(the city is no path); empty: no ego network. An unknown actor answers 404.",
    ),
    "MapHops": _query(
        "hops",
        _integer_or_default(min(HOPS), max(HOPS)),
        "Relations away from `actor` (default 1).",
    ),
    "Page": _query("page", _integer_or_default(1, MAX_ID), "Page number, from 1 (default 1)."),
    "PerPage": _query(
        "per_page",
        _integer_or_default(1, 2**63 - 1),
        "Items per page; default PER_PAGE (25), larger values are capped at MAX_PER_PAGE (100).",
    ),
    "Lang": _query(
        "lang",
        {"type": "string"},
        "Language of the messages: nl or en. Any other value is ignored: then Accept-Language "
        "decides, else Dutch.",
    ),
    "IdempotencyKey": {
        "name": "Idempotency-Key",
        "in": "header",
        "required": False,
        "schema": {"type": "string", "minLength": 1, "maxLength": SUBMISSION_KEY_MAX},
        "description": "A key the client makes up for this one contact (a UUID, say) and sends "
        "again, unchanged, with every retry of the request: the contact is stored once. Keys "
        "are per user and kept as long as the contact; taken as sent (quotes of the IETF "
        "draft's string form included), trimmed; blank is refused. Without it every request "
        "logs a contact.",
        "example": "8e03978e-40d5-43e8-bc93-6894a57f9324",
    },
    "AcceptLanguage": {
        "name": "Accept-Language",
        "in": "header",
        "required": False,
        "schema": {"type": "string"},
        "description": "Used when ?lang is absent; Dutch by default.",
    },
}

RESPONSES = {
    "BadRequest": _error_response(
        "The request is malformed: not a JSON object, a value of the wrong JSON type, a text "
        "with control characters, bad paging."
    ),
    "Unauthorized": {
        **_error_response("No valid bearer token."),
        "headers": {"WWW-Authenticate": {"schema": {"type": "string"}}},
    },
    "Forbidden": _error_response(
        "The token's user lacks the role or the right for this; the message says which role "
        "may do it and names the administrators to ask."
    ),
    "NotFound": _error_response("No such object."),
    "Conflict": _error_response(
        "Someone else saved in the meantime; nothing was saved.", ConflictErrors
    ),
    "LengthRequired": _error_response(
        "A chunked request body (Transfer-Encoding: chunked) from a server that does not mark "
        "where it ends: send it with a Content-Length."
    ),
    "TooLarge": _error_response(
        f"The request body is larger than the limit ({MAX_UPLOAD_BYTES // 2**20} MB for a list)."
    ),
    "Unprocessable": _error_response(
        "A value was refused (unknown field, invalid phone, unknown kind, ...); nothing was saved."
    ),
}

OPENAPI = {
    "openapi": "3.1.0",
    "info": {
        "title": "Bereik API",
        "version": "1.0.0",
        "description": "Actors, contacts and relations of Bereik, the stakeholder-mapping and "
        "outreach CRM, and its reach analysis (whom to call or visit next). Every route needs "
        "'Authorization: Bearer <token>'. Messages are in Dutch unless ?lang=en or "
        "Accept-Language asks for English. Staff may read and write actors, contacts and "
        "relations, read the reach analysis, events and representation reports, and change an "
        "invitation's status (check-in) and channel (an override within the invite rules); "
        "archiving, creating events and filling invitation lists need a coordinator, deleting "
        "an actor an administrator. Exporting an invitation list needs the export permission. "
        "Texts are trimmed. A whole number may be written 2 or 2.0 (JSON Schema's integer); "
        "2.5 is refused (400).",
    },
    "servers": [{"url": "/api/v1"}],
    "security": [{"bearerAuth": []}],
    "paths": PATHS,
    "components": {
        "securitySchemes": {
            "bearerAuth": {
                "type": "http",
                "scheme": "bearer",
                "description": "The API token issued to a user; only its hash is stored.",
            }
        },
        "parameters": PARAMETERS,
        "responses": RESPONSES,
        "schemas": components(SHAPES),
    },
}


@bp.get("/openapi.json")
def openapi_document():
    """This API's OpenAPI document."""
    return jsonify(OPENAPI)
