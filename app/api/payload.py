"""Reading what a client sent: JSON bodies, ids in URLs, paging.

Only the shape is checked here (an object, known field names, the JSON type of each value,
text that every database can store); what the values mean is checked by the crm services.
The fields and their JSON types are those of the request's shape (app.api.schemas), read from
its JSON Schema, so the check and the OpenAPI document cannot disagree.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from flask import current_app, request

from app.api.errors import GENERAL, LengthRequired, Malformed
from app.api.schemas.types import Body
from crm.messages import N_, Invalid, Message, NotFound
from crm.validation import MAX_ID, collect_errors, parse_id, parse_int, storable

MAX_LIST_ITEMS = 100
MAX_PER_PAGE_ASKED = 2**63 - 1  # anything larger than MAX_PER_PAGE is capped, not refused


@dataclass(frozen=True)
class JsonType:
    """What JSON value a field takes, and the message when it gets another."""

    accepts: Callable[[object], bool]
    message: str


def _is_integer(value) -> bool:
    """A JSON integer, also written with a fraction of zero (2.0): JSON Schema's integer."""
    if isinstance(value, float):
        return value.is_integer()
    return isinstance(value, int) and not isinstance(value, bool)


def _whole(value):
    """2.0 as 2, lists of them too; any other value as it is."""
    if isinstance(value, list):
        return [_whole(v) for v in value]
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _is_text_list(value) -> bool:
    return value is None or (isinstance(value, list) and all(isinstance(v, str) for v in value))


TEXT = JsonType(lambda v: v is None or isinstance(v, str), N_("Send text (or null) here."))
TEXTS = JsonType(_is_text_list, N_("Send a list of texts here."))
BOOLEAN = JsonType(lambda v: isinstance(v, bool), N_("Send true or false here."))
INTEGER = JsonType(_is_integer, N_("Send a whole number here."))
OBJECT = JsonType(lambda v: isinstance(v, dict), N_("Send a JSON object ({...}) here."))
IDS = JsonType(
    lambda v: isinstance(v, list) and all(INTEGER.accepts(i) for i in v),
    N_("Send a list of whole numbers here."),
)
TEXT_OR_TEXTS = JsonType(
    lambda v: TEXT.accepts(v) or TEXTS.accepts(v), N_("Send a text or a list of texts here.")
)
ANY = JsonType(lambda v: True, "")  # the service reads the value and explains what to send

# The JSON types a field's schema admits (null aside) -> the check of its JSON type. A text may
# always be null here: the service says when it is required.
JSON_TYPES = {
    frozenset({"string"}): TEXT,
    frozenset({"array<string>"}): TEXTS,
    frozenset({"string", "array<string>"}): TEXT_OR_TEXTS,
    frozenset({"boolean"}): BOOLEAN,
    frozenset({"integer"}): INTEGER,
    frozenset({"array<integer>"}): IDS,
    frozenset({"object"}): OBJECT,
}


def json_object(shape: type[Body], *, required: tuple[str, ...] | None = None) -> dict:
    """The request's JSON object, its values of the shape's JSON types, known fields only.

    `required`: the fields refused as missing here; by default the shape's required fields.
    """
    body = _json_body()
    if not isinstance(body, dict):
        raise Malformed.on(GENERAL, N_("Send a JSON object ({...}) as the request body."))
    fields = json_types(shape)
    errors: dict[str, list[Message]] = {}
    for name, value in body.items():
        problem = _shape_problem(fields[name], value) if name in fields else None
        if problem:
            errors[name] = [problem]
    if errors:
        raise Malformed(errors)
    for name in sorted(set(body) - set(fields)):
        errors[name] = [Message(N_("Unknown field '%(name)s'."), name=name[:40])]
    for name in required_fields(shape) if required is None else required:
        if name not in body:
            errors[name] = [Message(N_("This field is required."))]
    if errors:
        raise Invalid(errors)
    whole = {name for name, kind in fields.items() if kind in (INTEGER, IDS)}
    return {name: _whole(value) if name in whole else value for name, value in body.items()}


def nested_object(value: dict, shape: type[Body] | dict[str, JsonType], *, prefix: str) -> None:
    """A nested object checked as json_object checks the request: JSON types (400), known
    names (422); messages on `<prefix>.<name>`."""
    if len(value) > MAX_LIST_ITEMS:
        raise Malformed.on(prefix, N_("At most %(max)d items allowed."), max=MAX_LIST_ITEMS)
    fields = shape if isinstance(shape, dict) else json_types(shape)
    wrong, unknown = {}, {}
    for name, item in value.items():
        where = f"{prefix}.{name[:40]}"
        if name not in fields:
            unknown[where] = [Message(N_("Unknown field '%(name)s'."), name=name[:40])]
        elif problem := _shape_problem(fields[name], item):
            wrong[where] = [problem]
    if wrong:
        raise Malformed(wrong)
    if unknown:
        raise Invalid(unknown)


@cache
def json_types(shape: type[Body]) -> dict[str, JsonType]:
    """The check of each field's JSON type, read from the shape's JSON Schema."""
    schema = shape.model_json_schema()
    definitions = schema.get("$defs", {})
    return {
        name: JSON_TYPES.get(frozenset(_types_of(field, definitions) - {"null"}), ANY)
        for name, field in schema["properties"].items()
    }


def required_fields(shape: type[Body]) -> tuple[str, ...]:
    """The fields the shape requires."""
    return tuple(name for name, field in shape.model_fields.items() if field.is_required())


def path_id(raw: str, what: str) -> int:
    """The id in a URL; anything that cannot be an id (-1, 0, 01, ١, 2**64) is not found."""
    try:
        return parse_id(raw)
    except Invalid:
        raise NotFound(what, raw) from None


def paging() -> tuple[int, int]:
    """`page` and `per_page` from the query string; per_page is capped at MAX_PER_PAGE."""
    config = current_app.config
    args = request.args
    try:
        page, per_page = collect_errors(
            lambda: parse_int(args.get("page"), field="page", low=1, high=MAX_ID, default=1),
            lambda: parse_int(
                args.get("per_page"),
                field="per_page",
                low=1,
                high=MAX_PER_PAGE_ASKED,
                default=config["PER_PAGE"],
            ),
        )
    except Invalid as error:
        raise Malformed(error.errors) from None
    return page, min(per_page, config["MAX_PER_PAGE"])


def _types_of(schema: dict, definitions: dict) -> set[str]:
    """The JSON types a (sub)schema admits: 'string', 'null', 'array<integer>', ..."""
    if "$ref" in schema:
        return _types_of(definitions[schema["$ref"].rsplit("/", 1)[-1]], definitions)
    if "anyOf" in schema:
        return set().union(*(_types_of(branch, definitions) for branch in schema["anyOf"]))
    kind = schema.get("type")
    if kind == "array":
        return {f"array<{item}>" for item in _types_of(schema.get("items", {}), definitions)}
    return {kind} if kind else {"any"}


def _json_body():
    if not request.is_json:
        raise Malformed.on(
            GENERAL,
            N_("Send the request body as JSON, with the header 'Content-Type: application/json'."),
        )
    if _unsized_chunked_body():
        raise LengthRequired()
    try:
        return json.loads(request.get_data())
    except (ValueError, RecursionError):  # RecursionError: "[[[[..." nested too deep
        raise Malformed.on(GENERAL, N_("The request body is not valid JSON.")) from None


def _unsized_chunked_body() -> bool:
    """A chunked body without Content-Length from a server that does not mark its end.

    werkzeug reads such a body only when the server sets `wsgi.input_terminated` (gunicorn and
    werkzeug's own server do); otherwise it reads nothing, and the request would pass as empty.
    """
    environ = request.environ
    return (
        "chunked" in request.headers.get("Transfer-Encoding", "").lower()
        and request.content_length is None
        and not environ.get("wsgi.input_terminated")
    )


def _shape_problem(kind: JsonType, value) -> Message | None:
    if not kind.accepts(value):
        return Message(kind.message)
    texts = value if isinstance(value, list) else [value]
    if len(texts) > MAX_LIST_ITEMS:
        return Message(N_("At most %(max)d items allowed."), max=MAX_LIST_ITEMS)
    # Checked for every text, also those (theme names) that no crm cleaner reads.
    if any(isinstance(t, str) and not storable(t) for t in texts):
        return Message(N_("This text contains invisible control characters."))
    return None
