"""Reading what a client sent: JSON bodies, ids in URLs, paging.

Only the shape is checked here (an object, known field names, the JSON type of each value,
text that every database can store); what the values mean is checked by the crm services.
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, request

from app.api.errors import GENERAL, Malformed
from crm.messages import N_, Invalid, Message, NotFound
from crm.validation import MAX_ID, collect_errors, parse_id, parse_int

# Control characters as crm.validation.clean_text refuses them, plus the lone surrogates a JSON
# body can carry ("\ud800"): neither database driver can encode those, and PostgreSQL refuses
# NUL. Checked here for every text, also those (theme names) that no crm cleaner reads.
UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
MAX_LIST_ITEMS = 100
MAX_PER_PAGE_ASKED = 2**63 - 1  # anything larger than MAX_PER_PAGE is capped, not refused


@dataclass(frozen=True)
class JsonType:
    """What JSON value a field takes, and the message when it gets another."""

    accepts: Callable[[object], bool]
    message: str


def _is_integer(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_text_list(value) -> bool:
    return value is None or (isinstance(value, list) and all(isinstance(v, str) for v in value))


TEXT = JsonType(lambda v: v is None or isinstance(v, str), N_("Send text (or null) here."))
TEXTS = JsonType(_is_text_list, N_("Send a list of texts here."))
BOOLEAN = JsonType(lambda v: isinstance(v, bool), N_("Send true or false here."))
INTEGER = JsonType(_is_integer, N_("Send a whole number here."))


def json_object(fields: dict[str, JsonType], *, required: tuple[str, ...] = ()) -> dict:
    """The request's JSON object, its values of the right JSON types, known fields only."""
    body = _json_body()
    if not isinstance(body, dict):
        raise Malformed.on(GENERAL, N_("Send a JSON object ({...}) as the request body."))
    errors: dict[str, list[Message]] = {}
    for name, value in body.items():
        problem = _shape_problem(fields[name], value) if name in fields else None
        if problem:
            errors[name] = [problem]
    if errors:
        raise Malformed(errors)
    for name in sorted(set(body) - set(fields)):
        errors[name] = [Message(N_("Unknown field '%(name)s'."), name=name[:40])]
    for name in required:
        if name not in body:
            errors[name] = [Message(N_("This field is required."))]
    if errors:
        raise Invalid(errors)
    return body


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


def _json_body():
    if not request.is_json:
        raise Malformed.on(
            GENERAL,
            N_("Send the request body as JSON, with the header 'Content-Type: application/json'."),
        )
    try:
        return json.loads(request.get_data())
    except (ValueError, RecursionError):  # RecursionError: "[[[[..." nested too deep
        raise Malformed.on(GENERAL, N_("The request body is not valid JSON.")) from None


def _shape_problem(kind: JsonType, value) -> Message | None:
    if not kind.accepts(value):
        return Message(kind.message)
    texts = value if isinstance(value, list) else [value]
    if len(texts) > MAX_LIST_ITEMS:
        return Message(N_("At most %(max)d items allowed."), max=MAX_LIST_ITEMS)
    if any(isinstance(t, str) and UNSTORABLE.search(t) for t in texts):
        return Message(N_("This text contains invisible control characters."))
    return None
