"""The OpenAPI 3.1 document of API v1, served at /api/v1/openapi.json.

Tests keep it honest: it validates as OpenAPI, its (path, method) pairs equal the API's routes,
its input schemas name exactly the fields the routes accept, and real responses validate
against its response schemas.
"""

from flask import jsonify

from app.api import bp
from app.maps.charts import FIGURES
from crm.models import ADDRESS_MAX, EMAIL_MAX, LABEL_MAX, NAME_MAX, POSTCODE_MAX, TEXT_MAX
from crm.vocabulary import Channel, Direction, Kind, Language, Outcome, ReachStatus, RelationType
from mapping.outreach import ACTIONS
from mapping.reach import DIMENSIONS, TOO_FEW_KNOWN, UNDER_REACHED

MAP_NAMES = tuple(FIGURES)  # reach-over-time and channel-mix: not yet (issue 4)

JSON = "application/json"


def _ref(kind: str, name: str) -> dict:
    return {"$ref": f"#/components/{kind}/{name}"}


def _schema(name: str) -> dict:
    return _ref("schemas", name)


def _nullable(schema: dict) -> dict:
    """The schema, or null (OpenAPI 3.1 / JSON Schema type lists)."""
    nullable = {**schema, "type": [schema["type"], "null"]}
    if "enum" in schema:
        nullable["enum"] = [*schema["enum"], None]
    return nullable


def _text(max_length: int, description: str = "") -> dict:
    schema = {"type": "string", "maxLength": max_length}
    return {**schema, "description": description} if description else schema


def _choice(values, description: str = "") -> dict:
    schema = {"type": "string", "enum": [str(v) for v in values]}
    return {**schema, "description": description} if description else schema


def _integer(low: int, high: int, description: str = "") -> dict:
    schema = {"type": "integer", "minimum": low, "maximum": high}
    return {**schema, "description": description} if description else schema


MOMENT = {"type": "string", "format": "date-time", "description": "ISO 8601, UTC, ending in Z."}
DATE = {"type": "string", "format": "date", "description": "YYYY-MM-DD."}
ID = {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}


def _body(name: str) -> dict:
    return {"required": True, "content": {JSON: {"schema": _schema(name)}}}


def _ok(description: str, schema: str | None = None, *, headers: dict | None = None) -> dict:
    response: dict = {"description": description}
    if schema:
        response["content"] = {JSON: {"schema": _schema(schema)}}
    if headers:
        response["headers"] = headers
    return response


def _errors(*codes: int) -> dict:
    names = {
        400: "BadRequest",
        401: "Unauthorized",
        403: "Forbidden",
        404: "NotFound",
        409: "Conflict",
        422: "Unprocessable",
    }
    return {str(code): _ref("responses", names[code]) for code in codes}


def _operation(
    operation_id: str,
    summary: str,
    responses: dict,
    *,
    parameters: tuple[str, ...] = (),
    body: str | None = None,
) -> dict:
    operation = {
        "operationId": operation_id,
        "summary": summary,
        "parameters": [_ref("parameters", p) for p in (*parameters, "Lang", "AcceptLanguage")],
        "responses": responses,
    }
    if body:
        operation["requestBody"] = _body(body)
    return operation


ACTOR_WRITABLE = {
    "name": _text(NAME_MAX),
    "kind": _choice(Kind),
    "district": _nullable(_text(LABEL_MAX, "A district name, e.g. Belsele.")),
    "themes": _nullable(
        {
            "type": "array",
            "items": {"type": "string", "maxLength": LABEL_MAX},
            "maxItems": 100,
            "description": "Theme names; the actor gets exactly these.",
        }
    ),
    "phone": _nullable(_text(40, "Any Belgian or international format, e.g. 03 778 30 60.")),
    "email": _nullable(_text(EMAIL_MAX)),
    "address": _nullable(_text(ADDRESS_MAX)),
    "postcode": _nullable(_text(POSTCODE_MAX, "A Belgian postcode: 4 digits.")),
    "preferred_channel": _nullable(_choice(Channel)),
    "preferred_language": _nullable(_choice(Language)),
    "do_not_phone": {"type": "boolean"},
    "do_not_email": {"type": "boolean"},
    "do_not_visit": {"type": "boolean"},
    "influence": _integer(1, 5, "Power in the Mendelow grid."),
    "interest": _integer(1, 5, "Interest in the Mendelow grid."),
    "notes": _nullable(_text(TEXT_MAX)),
}

ACTOR = {
    "id": ID,
    "name": {"type": "string"},
    "kind": _choice(Kind),
    "district": {"type": ["string", "null"]},
    "themes": {"type": "array", "items": {"type": "string"}},
    "phone": {"type": ["string", "null"], "description": "E.164, e.g. +3237783060."},
    "phone_display": {
        "type": ["string", "null"],
        "description": "As people write it: national for Belgian numbers, e.g. 03 778 30 60.",
    },
    "email": {"type": ["string", "null"]},
    "address": {"type": ["string", "null"]},
    "postcode": {"type": ["string", "null"]},
    "preferred_channel": _nullable(_choice(Channel)),
    "preferred_language": _nullable(_choice(Language)),
    "do_not_phone": {"type": "boolean"},
    "do_not_email": {"type": "boolean"},
    "do_not_visit": {"type": "boolean"},
    "influence": _integer(1, 5),
    "interest": _integer(1, 5),
    "notes": {"type": "string"},
    "archived": {"type": "boolean"},
    "reach_status": _choice(ReachStatus, "In the reach window (setting REACH_WINDOW_DAYS)."),
    "last_contact_at": _nullable(MOMENT),
    "created_at": MOMENT,
    "updated_at": MOMENT,
    "version": {"type": "integer", "description": "Send it back with PATCH."},
}

CONTACT_WRITABLE = {
    "channel": _choice(Channel),
    "direction": _nullable(_choice(Direction, "Default outgoing.")),
    "outcome": _choice(Outcome),
    "occurred_at": _nullable(
        {
            "type": "string",
            "description": "ISO 8601; without an offset it is Brussels time. Default: now. "
            "Not in the future.",
        }
    ),
    "note": _nullable(_text(TEXT_MAX)),
    "follow_up_on": _nullable(DATE),
}

CONTACT = {
    "id": ID,
    "actor_id": ID,
    "channel": _choice(Channel),
    "direction": _choice(Direction),
    "outcome": _choice(Outcome),
    "occurred_at": MOMENT,
    "note": {"type": "string"},
    "follow_up_on": _nullable(DATE),
    "created_by": {"oneOf": [_schema("UserRef"), {"type": "null"}]},
    "created_at": MOMENT,
    "edited_at": _nullable(MOMENT),
}

RELATION_WRITABLE = {
    "source_id": ID,
    "target_id": ID,
    "type": _choice(RelationType),
    "strength": _integer(1, 3, "Tie strength; default 1."),
    "starts_on": _nullable(DATE),
    "ends_on": _nullable(DATE),
}

RELATION = {
    "id": ID,
    "source_id": ID,
    "target_id": ID,
    "type": _choice(RelationType),
    "strength": _integer(1, 3),
    "starts_on": _nullable(DATE),
    "ends_on": _nullable(DATE),
}


# --- reach (DESIGN.md §3) -----------------------------------------------------------------------

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
GROUP_IDENT = {
    "type": "string",
    "description": "'<dimension>:<key>', e.g. 'kind_district:poverty_organisation/Sinaai'.",
}
PRIORITY = {
    "type": "number",
    "minimum": 0,
    "maximum": 100,
    "description": "Higher is more urgent: half power/interest, a quarter centrality in its "
    "flagged groups, a quarter time since the last direct contact.",
}
ACTION = _choice(
    ACTIONS,
    "visit: poverty organisations, prefers a visit, no phone but an address, too many failed "
    "calls; call: a usable phone number; introduce: ask introducer_id, reached directly within "
    "two hops; find_details: none of these is possible.",
)
RECOMMENDATION_GROUPS = {
    "type": "array",
    "items": {"type": "string"},
    "description": "Why the actor is on the list: the idents of its under-reached groups, and "
    "'poverty_organisation' for a poverty organisation not reached directly.",
}

GROUP_REACH = {
    "ident": GROUP_IDENT,
    "dimension": _choice(DIMENSIONS),
    "key": {
        "type": "string",
        "description": "The kind, district or theme; '<kind>/<district>' for kind_district.",
    },
    "name": {"type": "string", "description": "The group in words, in the user's language."},
    "total": {"type": "integer", "minimum": 1, "description": "Known actors (not archived)."},
    "direct": {"type": "integer", "minimum": 0},
    "digital_only": {"type": "integer", "minimum": 0},
    "attempted": {"type": "integer", "minimum": 0},
    "none": {"type": "integer", "minimum": 0},
    "share_direct": {"type": "number", "minimum": 0, "maximum": 1},
    "flag": _nullable(
        _choice(
            (UNDER_REACHED, TOO_FEW_KNOWN),
            "too_few_known: fewer than MIN_GROUP_SIZE actors; under_reached: share_direct "
            "below REACH_THRESHOLD.",
        )
    ),
    "sentence": {"type": "string", "description": "The figures in one sentence."},
}

RECOMMENDATION = {
    "actor_id": ID,
    "name": {"type": "string"},
    "kind": _choice(Kind),
    "district": {"type": ["string", "null"]},
    "status": _choice(ReachStatus),
    "action": ACTION,
    "introducer_id": {**ID, "type": ["integer", "null"], "description": "With introduce."},
    "introducer_name": {"type": ["string", "null"]},
    "reason": {"type": "string", "description": "Why this action, in the user's language."},
    "priority": PRIORITY,
    "groups": RECOMMENDATION_GROUPS,
}

BROKER = {
    "actor_id": ID,
    "name": {"type": "string"},
    "group": GROUP_IDENT,
    "unreached_neighbours": {"type": "integer", "minimum": 1},
}

REACH_SETTINGS = {
    "window_days": _integer(1, 2**31 - 1, "REACH_WINDOW_DAYS: older contacts no longer count."),
    "threshold": {
        "type": "number",
        "description": "REACH_THRESHOLD: a group below this share reached directly is "
        "under-reached.",
    },
    "min_group_size": {
        "type": "integer",
        "description": "MIN_GROUP_SIZE: fewer known actors is too_few_known.",
    },
    "max_failed_calls": {
        "type": "integer",
        "description": "After this many failed calls in the window: visit instead.",
    },
}

DATA_VERSION = {
    "type": "integer",
    "minimum": 0,
    "description": "Changes with every write the analysis reads.",
}

REACH = {
    "groups": {
        "type": "array",
        "items": _schema("GroupReach"),
        "description": "Flagged groups first, lowest share reached directly first.",
    },
    "recommendations": {
        "type": "array",
        "items": _schema("Recommendation"),
        "description": "One per actor to reach, highest priority first.",
    },
    "poverty_flagged": {
        "type": "array",
        "items": ID,
        "description": "Poverty organisations not reached directly, whatever their group.",
    },
    "brokers": {
        "type": "array",
        "items": _schema("Broker"),
        "description": "Per kept under-reached group, the actors linked to most of its "
        "unreached members.",
    },
    "data_version": DATA_VERSION,
    "settings": _schema("ReachSettings"),
}

ACTOR_REACH = {
    "actor_id": ID,
    "name": {"type": "string"},
    "status": _choice(ReachStatus),
    "poverty_flagged": {
        "type": "boolean",
        "description": "A poverty organisation not reached directly.",
    },
    "action": _nullable(ACTION),
    "introducer_id": {**ID, "type": ["integer", "null"]},
    "introducer_name": {"type": ["string", "null"]},
    "reason": {"type": ["string", "null"]},
    "priority": {**PRIORITY, "type": ["number", "null"]},
    "groups": {
        **RECOMMENDATION_GROUPS,
        "description": RECOMMENDATION_GROUPS["description"] + " Empty when nothing is recommended.",
    },
    "member_of": {
        "type": "array",
        "items": _schema("GroupReach"),
        "description": "Every group the actor belongs to, with its figures.",
    },
    "data_version": DATA_VERSION,
}


def _object(properties: dict, required=None, description: str = "") -> dict:
    schema = {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else list(required),
        "additionalProperties": False,
    }
    return {**schema, "description": description} if description else schema


def _page(item: str) -> dict:
    return _object(
        {
            "items": {"type": "array", "items": _schema(item)},
            "total": {"type": "integer", "minimum": 0, "description": "All that matched."},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1},
        }
    )


def _error_response(description: str, schema: str = "Errors") -> dict:
    return {"description": description, "content": {JSON: {"schema": _schema(schema)}}}


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
        "schema": {"type": "string", "pattern": "^[1-9][0-9]*$"},
        "description": f"The {what}'s id. Anything that cannot be an id answers 404.",
    }


ERRORS_SCHEMA = {
    "type": "object",
    "required": ["errors"],
    "properties": {
        "errors": {
            "type": "object",
            "description": "Messages per field, in the user's language; '_' is the request "
            "as a whole.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}, "minItems": 1},
            "minProperties": 1,
        }
    },
    "additionalProperties": False,
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
        "relations and read the reach analysis; archiving needs a coordinator, deleting an "
        "actor an administrator.",
    },
    "servers": [{"url": "/api/v1"}],
    "security": [{"bearerAuth": []}],
    "paths": {
        "/actors": {
            "get": _operation(
                "listActors",
                "Search and filter actors, one page at a time, by name.",
                {"200": _ok("A page of actors.", "ActorPage"), **_errors(400, 401, 422)},
                parameters=("Q", "Kind", "District", "Theme", "Page", "PerPage"),
            ),
            "post": _operation(
                "createActor",
                "Create an actor.",
                {
                    "201": _ok(
                        "The new actor.",
                        "Actor",
                        headers={
                            "Location": {
                                "description": "The new actor's URL.",
                                "schema": {"type": "string"},
                            }
                        },
                    ),
                    **_errors(400, 401, 409, 422),
                },
                body="ActorCreate",
            ),
        },
        "/actors/{actor_id}": {
            "parameters": [_ref("parameters", "ActorId")],
            "get": _operation(
                "getActor",
                "One actor, archived or not.",
                {"200": _ok("The actor.", "Actor"), **_errors(401, 404)},
            ),
            "patch": _operation(
                "updateActor",
                "Change an actor's fields and/or archive or restore it (archived: coordinators).",
                {
                    "200": _ok("The changed actor.", "Actor"),
                    **_errors(400, 401, 403, 404, 409, 422),
                },
                body="ActorPatch",
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
                {"200": _ok("A page of contacts.", "ContactPage"), **_errors(400, 401, 404)},
                parameters=("Page", "PerPage"),
            ),
            "post": _operation(
                "logContact",
                "Log a contact with the actor on behalf of the token's user.",
                {"201": _ok("The logged contact.", "Contact"), **_errors(400, 401, 404, 409, 422)},
                body="ContactCreate",
            ),
        },
        "/actors/{actor_id}/reach": {
            "parameters": [_ref("parameters", "ActorId")],
            "get": _operation(
                "getActorReach",
                "The actor's reach status and its one recommended next action (action, "
                "introducer_id, introducer_name, reason and priority are null when nothing is "
                "recommended). Archived actors are not analysed: 404.",
                {"200": _ok("The actor's reach.", "ActorReach"), **_errors(401, 404)},
            ),
        },
        "/reach": {
            "get": {
                **_operation(
                    "getReach",
                    "Reach per group with flags, and the recommended next actions, best first.",
                    {"200": _ok("The reach analysis.", "Reach"), **_errors(401, 422)},
                    parameters=("ReachKind", "ReachDistrict", "ReachTheme"),
                ),
                "description": "Groups per kind, district, theme and kind within a district "
                "(DESIGN.md section 3), computed from the data as it is now. " + REACH_FILTERS,
            },
        },
        "/maps/{name}": {
            "parameters": [_ref("parameters", "MapName")],
            "get": {
                **_operation(
                    "getMap",
                    "One stakeholder map or reach chart as plotly figure JSON.",
                    {"200": _ok("The plotly figure.", "PlotlyFigure"), **_errors(401, 404, 422)},
                    parameters=(
                        "Kind",
                        "District",
                        "Theme",
                        "MapFlagged",
                        "MapActor",
                        "MapHops",
                    ),
                ),
                "description": "The figure the map pages draw, for plotly.js "
                "(Plotly.newPlot(element, figure.data, figure.layout)). Above the node limit "
                "(setting MAP_NODE_LIMIT, default 2000 actors) the network map shows one node "
                'per kind and district: layout.meta is {"level": "group"}, else '
                '{"level": "actor"}. The reach charts keep the groups that do not '
                "contradict the kind and district asked.",
            },
        },
        "/relations": {
            "post": _operation(
                "addRelation",
                "Link two different actors.",
                {"201": _ok("The new relation.", "Relation"), **_errors(400, 401, 409, 422)},
                body="RelationCreate",
            ),
        },
        "/relations/{relation_id}": {
            "parameters": [_ref("parameters", "RelationId")],
            "delete": _operation(
                "removeRelation",
                "Remove one relation.",
                {"204": _ok("Removed."), **_errors(401, 404, 409)},
            ),
        },
        "/openapi.json": {
            "get": _operation(
                "getOpenApi",
                "This document.",
                {"200": _ok("The OpenAPI document.", "OpenApiDocument"), **_errors(401)},
            ),
        },
    },
    "components": {
        "securitySchemes": {
            "bearerAuth": {
                "type": "http",
                "scheme": "bearer",
                "description": "The API token issued to a user; only its hash is stored.",
            }
        },
        "parameters": {
            "ActorId": _path_id("actor_id", "actor"),
            "RelationId": _path_id("relation_id", "relation"),
            "Q": _query(
                "q",
                _text(EMAIL_MAX),
                "Part of a name, a phone number in any format, or the start of an e-mail address.",
            ),
            "Kind": _query("kind", _choice(Kind), "Only actors of this kind."),
            "District": _query("district", _text(LABEL_MAX), "Only actors in this district."),
            "Theme": _query("theme", _text(LABEL_MAX), "Only actors with this theme."),
            "ReachKind": _query(
                "kind", _choice(Kind), "Groups of this kind; recommendations for actors of it."
            ),
            "ReachDistrict": _query(
                "district",
                _text(LABEL_MAX),
                "Groups of this district; recommendations for actors in it.",
            ),
            "ReachTheme": _query(
                "theme",
                _text(LABEL_MAX),
                "The group of this theme; recommendations for actors with it.",
            ),
            "MapName": {
                "name": "name",
                "in": "path",
                "required": True,
                "schema": _choice(MAP_NAMES),
                "description": "The chart. Any other name answers 404.",
            },
            "MapFlagged": _query(
                "flagged",
                {"type": "string", "enum": ["1", "true", "0", "false"]},
                "1 or true: only actors of under-reached groups and flagged poverty "
                "organisations (and only under-reached groups on the reach charts).",
            ),
            "MapActor": _query(
                "actor",
                {"type": "string", "pattern": "^[1-9][0-9]*$"},
                "The ego network of this actor: it and the actors `hops` relations away "
                "(the city is no path). An unknown actor answers 404.",
            ),
            "MapHops": _query("hops", _integer(1, 2), "Relations away from `actor` (default 1)."),
            "Page": _query("page", _integer(1, 2**31 - 1), "Page number, from 1 (default 1)."),
            "PerPage": _query(
                "per_page",
                {"type": "integer", "minimum": 1},
                "Items per page; default PER_PAGE (25), larger values are capped at "
                "MAX_PER_PAGE (100).",
            ),
            "Lang": _query("lang", _choice(("nl", "en")), "Language of the messages."),
            "AcceptLanguage": {
                "name": "Accept-Language",
                "in": "header",
                "required": False,
                "schema": {"type": "string"},
                "description": "Used when ?lang is absent; Dutch by default.",
            },
        },
        "responses": {
            "BadRequest": _error_response(
                "The request is malformed: not a JSON object, a value of the wrong JSON type, "
                "bad paging."
            ),
            "Unauthorized": {
                **_error_response("No valid bearer token."),
                "headers": {"WWW-Authenticate": {"schema": {"type": "string"}}},
            },
            "Forbidden": _error_response("The token's user lacks the role for this."),
            "NotFound": _error_response("No such object."),
            "Conflict": _error_response(
                "Someone else saved in the meantime; nothing was saved.", "ConflictErrors"
            ),
            "Unprocessable": _error_response(
                "A value was refused (unknown field, invalid phone, unknown kind, ...); nothing "
                "was saved."
            ),
        },
        "schemas": {
            "Errors": ERRORS_SCHEMA,
            "ConflictErrors": {
                **ERRORS_SCHEMA,
                "properties": {
                    **ERRORS_SCHEMA["properties"],
                    "current_version": {
                        "type": ["integer", "null"],
                        "description": "The actor's stored version, when known.",
                    },
                },
            },
            "UserRef": _object({"id": ID, "name": {"type": "string"}}),
            "Actor": _object(ACTOR),
            "ActorCreate": _object(ACTOR_WRITABLE, ("name", "kind")),
            "ActorPatch": _object(
                {
                    **ACTOR_WRITABLE,
                    "archived": {
                        "type": "boolean",
                        "description": "Archive or restore (coordinators and administrators).",
                    },
                    "version": {"type": "integer", "description": "The version you read."},
                },
                ("version",),
            ),
            "ActorPage": _page("Actor"),
            "Contact": _object(CONTACT),
            "ContactCreate": _object(CONTACT_WRITABLE, ("channel", "outcome")),
            "ContactPage": _page("Contact"),
            "Relation": _object(RELATION),
            "RelationCreate": _object(RELATION_WRITABLE, ("source_id", "target_id", "type")),
            "GroupReach": _object(GROUP_REACH),
            "Recommendation": _object(RECOMMENDATION),
            "Broker": _object(BROKER),
            "ReachSettings": _object(REACH_SETTINGS),
            "Reach": _object(REACH),
            "ActorReach": _object(ACTOR_REACH),
            "PlotlyFigure": {
                "type": "object",
                "required": ["data", "layout"],
                "properties": {
                    "data": {"type": "array", "items": {"type": "object"}},
                    "layout": {"type": "object"},
                },
                "description": "A plotly figure (plotly.io.to_json); numeric arrays may be "
                'typed arrays ({"dtype": ..., "bdata": base64}), which plotly.js reads.',
            },
            "OpenApiDocument": {"type": "object", "description": "An OpenAPI 3.1 document."},
        },
    },
}


@bp.get("/openapi.json")
def openapi_document():
    """This API's OpenAPI document."""
    return jsonify(OPENAPI)
