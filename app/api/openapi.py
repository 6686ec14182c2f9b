"""The OpenAPI 3.1 document of API v1, served at /api/v1/openapi.json.

Tests keep it honest: it validates as OpenAPI, its (path, method) pairs equal the API's routes,
its input schemas name exactly the fields the routes accept, and real responses validate
against its response schemas.
"""

from flask import jsonify

from app.api import bp
from app.maps.charts import FIGURES
from crm.builder import MAX_TARGET
from crm.events import MAX_CAPACITY
from crm.models import ADDRESS_MAX, EMAIL_MAX, LABEL_MAX, NAME_MAX, POSTCODE_MAX, TEXT_MAX
from crm.vocabulary import (
    INVITE_CHANNELS,
    Channel,
    Direction,
    EventType,
    GroupFlag,
    InvitationStatus,
    Kind,
    Language,
    LeftOutReason,
    NextAction,
    Outcome,
    Quadrant,
    ReachStatus,
    RelationType,
)
from mapping.reach import DIMENSIONS

MAP_NAMES = tuple(FIGURES)  # reach-over-time and channel-mix: not yet (issue 4)

JSON = "application/json"
CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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


# --- reach (docs/rules-of-reach.md) ------------------------------------------------------------

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
    NextAction,
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
            GroupFlag,
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
        "description": "One per actor to reach, highest priority first: the page asked for.",
    },
    "recommendations_total": {
        "type": "integer",
        "minimum": 0,
        "description": "How many recommendations match, over all pages.",
    },
    "page": {"type": "integer", "minimum": 1},
    "per_page": {"type": "integer", "minimum": 1},
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


# --- events and invitation lists (issue 5) -------------------------------------------------------

THEME_NAMES = {
    "type": "array",
    "items": {"type": "string", "maxLength": LABEL_MAX},
    "maxItems": 100,
}

EVENT_WRITABLE = {
    "name": _text(NAME_MAX),
    "type": _choice(EventType),
    "starts_at": {
        "type": "string",
        "description": "ISO 8601, e.g. 2025-03-20T19:30; without an offset it is Brussels "
        "time. Between 2000 and five years from now.",
    },
    "place": _nullable(_text(ADDRESS_MAX)),
    "capacity": _integer(1, MAX_CAPACITY, "Places in the room: the builder fills up to this."),
    "themes": _nullable({**THEME_NAMES, "description": "Theme names."}),
    "description": _nullable(_text(TEXT_MAX)),
}

INVITATION_COUNTS = {str(status): {"type": "integer", "minimum": 0} for status in InvitationStatus}

EVENT = {
    "id": ID,
    "name": {"type": "string"},
    "type": _choice(EventType),
    "starts_at": MOMENT,
    "place": {"type": "string"},
    "capacity": _integer(1, MAX_CAPACITY),
    "themes": {"type": "array", "items": {"type": "string"}},
    "description": {"type": "string"},
    "created_at": MOMENT,
    "updated_at": MOMENT,
    "version": {"type": "integer"},
    "invitation_counts": {
        "type": "object",
        "properties": INVITATION_COUNTS,
        "required": list(INVITATION_COUNTS),
        "additionalProperties": False,
        "description": "Invitations per status (on GET /events/{event_id} and on creation).",
    },
}

INVITE_CHANNEL = _choice(
    INVITE_CHANNELS,
    "Poverty organisations are invited by phone or visit, never by e-mail only; do-not-contact "
    "flags and missing contact details rule a channel out.",
)

INVITATION = {
    "id": ID,
    "event_id": ID,
    "actor_id": ID,
    "channel": INVITE_CHANNEL,
    "channel_overridden": {
        "type": "boolean",
        "description": "True when someone chose the channel instead of the rules.",
    },
    "status": _choice(InvitationStatus),
}


def _one_or_more(schema: dict, description: str) -> dict:
    """One value or a list of them (any of them matches)."""
    return {
        "oneOf": [schema, {"type": "array", "items": schema, "maxItems": 100}],
        "description": description,
    }


INVITATIONS_ADD = {
    "actor_ids": {
        "type": "array",
        "items": ID,
        "maxItems": 100,
        "description": "Put these actors on the list (status to_invite), each with the channel "
        "of the rules. Actors already on the list come back unchanged. Unknown or archived "
        "actors, and actors no allowed channel reaches, are refused (422): nothing is stored.",
    },
    "channels": {
        "type": "object",
        "propertyNames": {"pattern": "^[1-9][0-9]*$"},
        "additionalProperties": INVITE_CHANNEL,
        "maxProperties": 100,
        "description": "Only with actor_ids: actor id -> the channel to invite them by instead "
        "of the rules' choice (checked against the same rules).",
    },
    "build": _schema("InvitationBuild"),
}

TARGET = {
    "type": "object",
    "properties": {
        "min": _integer(0, MAX_TARGET, "At least this many of the kind (default 0)."),
        "max": {**_integer(0, MAX_TARGET), "type": ["integer", "null"], "description": "At most."},
    },
    "additionalProperties": False,
}

INVITATION_BUILD = {
    "targets": {
        "type": "object",
        "propertyNames": _choice(Kind),
        "additionalProperties": TARGET,
        "description": "The target mix per kind; the minimums are filled first.",
    },
    "kind": _one_or_more(_choice(Kind), "Only actors of this kind (or these kinds)."),
    "district": _one_or_more(
        _text(LABEL_MAX), "Only actors in this district; an unknown district matches nobody."
    ),
    "theme": _one_or_more(
        _text(LABEL_MAX), "Only actors with this theme; an unknown theme matches nobody."
    ),
    "quadrant": _one_or_more(_choice(Quadrant), "Only actors in this power/interest quadrant."),
    "status": _one_or_more(
        _choice(ReachStatus), "Only actors with this reach status (REACH_WINDOW_DAYS)."
    ),
}

MIX_ROW = {
    "kind": _choice(Kind),
    "count": {"type": "integer", "minimum": 0, "description": "On the list, with the new ones."},
    "min": {"type": "integer", "minimum": 0},
    "max": {"type": ["integer", "null"], "minimum": 0},
    "available": {
        "type": "integer",
        "minimum": 0,
        "description": "Actors of the kind that matched and can be invited.",
    },
    "below_min": {"type": "boolean"},
    "above_max": {"type": "boolean"},
}

LEFT_OUT = {
    "reason": _choice(LeftOutReason),
    "label": {"type": "string", "description": "The reason in the user's language."},
    "count": {"type": "integer", "minimum": 1},
}

INVITATIONS_ADDED = {
    "invitations": {"type": "array", "items": _schema("Invitation")},
    "capacity": {"type": "integer", "minimum": 1, "description": "With build."},
    "already_listed": {
        "type": "integer",
        "minimum": 0,
        "description": "With build: on the list before, counted in the mix and the capacity.",
    },
    "mix": {
        "type": "array",
        "items": _schema("MixRow"),
        "description": "With build: the list per kind against the targets.",
    },
    "warnings": {
        "type": "array",
        "items": {"type": "string"},
        "description": "With build, in the user's language: kinds the trajectory needs that "
        "nobody on the list has, targets not met, minimums above the capacity.",
    },
    "left_out": {
        "type": "array",
        "items": _schema("LeftOut"),
        "description": "With build: matching actors no allowed channel can reach, per reason.",
    },
}

INVITATION_PATCH = {
    "status": _nullable(
        _choice(
            InvitationStatus,
            "attended logs the attendance as a contact (channel event, outcome reached); "
            "leaving attended removes that contact again.",
        )
    ),
    "channel": _nullable({**INVITE_CHANNEL, "description": "An override (coordinators)."}),
}

REPRESENTATION_ROW = {
    "dimension": _choice(("kind", "district")),
    "key": {"type": "string", "description": "The kind or the district name ('—': none)."},
    "known": {"type": "integer", "minimum": 0, "description": "Actors in the map (not archived)."},
    "listed": {"type": "integer", "minimum": 0, "description": "On the list, any status."},
    "invited": {"type": "integer", "minimum": 0, "description": "Invited or any later status."},
    "confirmed": {"type": "integer", "minimum": 0},
    "attended": {"type": "integer", "minimum": 0},
    "share_attended": {"type": "number", "minimum": 0, "description": "attended / known."},
    "sentence": {
        "type": "string",
        "description": "In the user's language, e.g. 'Poverty organisations: 0 of 6 came'.",
    },
}

REPRESENTATION = {
    "event": _schema("Event"),
    "by_kind": {"type": "array", "items": _schema("RepresentationRow")},
    "by_district": {"type": "array", "items": _schema("RepresentationRow")},
}


def _download(media_type: str, description: str) -> dict:
    return {
        "description": description,
        "content": {media_type: {"schema": {"type": "string", "format": "binary"}}},
        "headers": {
            "Content-Disposition": {
                "description": "attachment, with the file name.",
                "schema": {"type": "string"},
            }
        },
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
        "relations, read the reach analysis, events and representation reports, and change an "
        "invitation's status (check-in) and channel (an override within the invite rules); "
        "archiving, creating events and filling invitation lists need a coordinator, deleting "
        "an actor an administrator. Exporting an invitation list needs the export permission.",
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
                    {"200": _ok("The reach analysis.", "Reach"), **_errors(400, 401, 422)},
                    parameters=("ReachKind", "ReachDistrict", "ReachTheme", "Page", "PerPage"),
                ),
                "description": "Groups per kind, district, theme and kind within a district "
                "(the rules of reach, docs/rules-of-reach.md), computed from the data as it is "
                "now. " + REACH_FILTERS,
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
        "/events": {
            "post": _operation(
                "createEvent",
                "Create an event (coordinators).",
                {
                    "201": _ok(
                        "The new event.",
                        "Event",
                        headers={
                            "Location": {
                                "description": "The new event's URL.",
                                "schema": {"type": "string"},
                            }
                        },
                    ),
                    **_errors(400, 401, 403, 409, 422),
                },
                body="EventCreate",
            ),
        },
        "/events/{event_id}": {
            "parameters": [_ref("parameters", "EventId")],
            "get": _operation(
                "getEvent",
                "One event with the number of invitations per status.",
                {"200": _ok("The event.", "Event"), **_errors(401, 404)},
            ),
        },
        "/events/{event_id}/invitations": {
            "parameters": [_ref("parameters", "EventId")],
            "post": {
                **_operation(
                    "addInvitations",
                    "Put actors on the event's invitation list, by id or by the balanced "
                    "builder (coordinators).",
                    {
                        "201": _ok("The invitations added (or already there).", "InvitationsAdded"),
                        **_errors(400, 401, 403, 404, 409, 422),
                    },
                    body="InvitationsAdd",
                ),
                "description": "Send either actor_ids (with channels to override the rules' "
                "choice) or build: the builder picks the actors matching the selection who are "
                "not on the list yet, fills each kind's minimum first, then the free places one "
                "kind at a time up to each maximum, within the event's capacity (actors not "
                "reached directly first), and puts them on the list at once. Sending both or "
                "neither is refused (422).",
            },
        },
        "/events/{event_id}/invitations.csv": {
            "parameters": [_ref("parameters", "EventId")],
            "get": {
                **_operation(
                    "exportInvitationsCsv",
                    "The invitation list as CSV (users who may export).",
                    {
                        "200": _download(CSV, "The CSV file."),
                        **_errors(401, 403, 404, 422),
                    },
                    parameters=("Dialect",),
                ),
                "description": "No cell starts a formula (values beginning with =, +, -, @, "
                "tab or carriage return are neutralised). Actors whose do-not-contact flags "
                "rule out their invite channel are left out, counted per reason in the export "
                "log; every export is logged with who, when and what.",
            },
        },
        "/events/{event_id}/invitations.xlsx": {
            "parameters": [_ref("parameters", "EventId")],
            "get": {
                **_operation(
                    "exportInvitationsXlsx",
                    "The invitation list as an Excel workbook (users who may export).",
                    {
                        "200": _download(XLSX, "The XLSX file."),
                        **_errors(401, 403, 404),
                    },
                ),
                "description": "As the CSV export: text cells, no formulas, flagged actors "
                "left out, the export logged.",
            },
        },
        "/events/{event_id}/representation": {
            "parameters": [_ref("parameters", "EventId")],
            "get": _operation(
                "getRepresentation",
                "Who came, per kind and per district, against the stakeholder map.",
                {"200": _ok("The representation report.", "Representation"), **_errors(401, 404)},
            ),
        },
        "/invitations/{invitation_id}": {
            "parameters": [_ref("parameters", "InvitationId")],
            "patch": _operation(
                "updateInvitation",
                "Change an invitation's status (staff: check-in) and/or its channel "
                "(coordinators).",
                {
                    "200": _ok("The changed invitation.", "Invitation"),
                    **_errors(400, 401, 403, 404, 409, 422),
                },
                body="InvitationPatch",
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
            "EventId": _path_id("event_id", "event"),
            "InvitationId": _path_id("invitation_id", "invitation"),
            "Dialect": _query(
                "dialect",
                _choice(("excel-be", "plain")),
                "excel-be (default): UTF-8 with BOM and ';', as Belgian Excel opens it; "
                "plain: UTF-8 and ','.",
            ),
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
            "Event": _object(EVENT, [name for name in EVENT if name != "invitation_counts"]),
            "EventCreate": _object(EVENT_WRITABLE, ("name", "type", "starts_at", "capacity")),
            "Invitation": _object(INVITATION),
            "InvitationsAdd": {
                **_object(INVITATIONS_ADD, ()),
                "oneOf": [{"required": ["actor_ids"]}, {"required": ["build"]}],
            },
            "InvitationBuild": _object(INVITATION_BUILD, ()),
            "InvitationsAdded": _object(INVITATIONS_ADDED, ("invitations",)),
            "MixRow": _object(MIX_ROW),
            "LeftOut": _object(LEFT_OUT),
            "InvitationPatch": _object(
                INVITATION_PATCH,
                (),
                "At least one of status and channel. Staff may change the status; changing the "
                "channel needs a coordinator.",
            ),
            "RepresentationRow": _object(REPRESENTATION_ROW),
            "Representation": _object(REPRESENTATION),
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
