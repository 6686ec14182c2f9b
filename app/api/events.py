"""API routes of events, invitations and the representation report (issue 5).

Creating events and filling their lists needs a coordinator; staff read them and change an
invitation's status (check-in) and channel (an override, checked against the invite rules of
crm.invitations: issue 5, "which staff can override").
"""

from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app, jsonify, url_for

from app.api import bp
from app.api.auth import api_user, require_role
from app.api.errors import GENERAL, Malformed
from app.api.payload import (
    INTEGER,
    MAX_LIST_ITEMS,
    TEXT,
    TEXTS,
    UNSTORABLE,
    JsonType,
    json_object,
    path_id,
)
from app.api.serialise import (
    event_json,
    invitation_json,
    proposal_json,
    representation_json,
)
from app.extensions import db
from crm.builder import Criteria, build_invitations, parse_targets
from crm.events import create_event, get_event
from crm.invitations import add_invitations, invitation_counts, update_invitation
from crm.messages import N_, Invalid, Message
from crm.representation import representation
from crm.validation import as_id, collect_errors, echo

OBJECT = JsonType(lambda v: isinstance(v, dict), N_("Send a JSON object ({...}) here."))
IDS = JsonType(
    lambda v: isinstance(v, list) and all(INTEGER.accepts(i) for i in v),
    N_("Send a list of whole numbers here."),
)
ANY = JsonType(lambda v: True, "")
TEXT_OR_TEXTS = JsonType(
    lambda v: TEXT.accepts(v) or TEXTS.accepts(v), N_("Send a text or a list of texts here.")
)

# The JSON type of each of crm.events.WRITABLE_FIELDS (a test keeps the two in step).
EVENT_FIELDS = {
    "name": TEXT,
    "type": TEXT,
    "starts_at": TEXT,
    "place": TEXT,
    "capacity": INTEGER,
    "themes": TEXTS,
    "description": TEXT,
}
INVITATIONS_FIELDS = {"actor_ids": IDS, "channels": OBJECT, "build": OBJECT}
# The builder's selection (crm.invitations.Criteria.parse) and its target mix per kind.
BUILD_FIELDS = {
    "targets": OBJECT,
    "kind": TEXT_OR_TEXTS,
    "district": TEXT_OR_TEXTS,
    "theme": TEXT_OR_TEXTS,
    "quadrant": TEXT_OR_TEXTS,
    "status": TEXT_OR_TEXTS,
}
# What parse_targets reads of each kind's target; it checks the values (numbers or digits).
TARGET_FIELDS = {"min": ANY, "max": ANY}
INVITATION_PATCH_FIELDS = {"status": TEXT, "channel": TEXT}


@bp.post("/events")
def post_event():
    """Create an event (coordinators); 201 with the event."""
    require_role("coordinator")
    fields = json_object(EVENT_FIELDS)
    event = create_event(db.session, user_id=api_user().id, **fields)
    db.session.commit()
    response = jsonify(event_json(event, counts=invitation_counts(db.session, event.id)))
    response.headers["Location"] = url_for("api.get_event_by_id", event_id=event.id)
    return response, 201


@bp.get("/events/<event_id>")
def get_event_by_id(event_id: str):
    """One event with the number of invitations per status."""
    ident = path_id(event_id, "event")
    event = get_event(db.session, ident)
    return jsonify(event_json(event, counts=invitation_counts(db.session, ident)))


@bp.post("/events/<event_id>/invitations")
def post_invitations(event_id: str):
    """Put actors on the list by id, or let the builder propose a balanced list (coordinators);
    201 with the invitations (and, for `build`, the mix, warnings and who was left out)."""
    require_role("coordinator")
    ident = path_id(event_id, "event")
    body = json_object(INVITATIONS_FIELDS)
    if ("actor_ids" in body) == ("build" in body):
        raise Invalid.on(GENERAL, N_("Send either 'actor_ids' or 'build', not both."))
    result = _build(ident, body) if "build" in body else _add(ident, body)
    db.session.commit()
    return jsonify(result), 201


@bp.patch("/invitations/<invitation_id>")
def patch_invitation(invitation_id: str):
    """Change an invitation's status (check-in) and/or channel (an override)."""
    ident = path_id(invitation_id, "invitation")
    changes = {k: v for k, v in json_object(INVITATION_PATCH_FIELDS).items() if v is not None}
    if not changes:
        raise Invalid.on(GENERAL, N_("Send a 'status' and/or a 'channel' to change."))
    invitation = update_invitation(db.session, ident, user_id=api_user().id, **changes)
    db.session.commit()
    return jsonify(invitation_json(invitation))


@bp.get("/events/<event_id>/representation")
def get_representation(event_id: str):
    """Who came, per kind and per district, against the stakeholder map."""
    report = representation(db.session, path_id(event_id, "event"))
    return jsonify(representation_json(report))


def _add(event_id: int, body: dict) -> dict:
    """The actors of `actor_ids` on the list, with the channel overrides of `channels`."""
    channels = body.get("channels") or {}
    _check_shape(channels, dict.fromkeys(channels, TEXT), prefix="channels")
    wanted = set(body["actor_ids"])
    strays = [key for key in channels if as_id(key) not in wanted]
    if strays:
        raise Invalid.on("channels", N_("Actor %(id)s is not in 'actor_ids'."), id=echo(strays[0]))
    with _fields_renamed({"channel": "channels"}):
        invitations = add_invitations(
            db.session,
            event_id,
            actor_ids=body["actor_ids"],
            channels=channels,
            user_id=api_user().id,
        )
    return {"invitations": [invitation_json(i) for i in invitations]}


def _build(event_id: int, body: dict) -> dict:
    """A balanced list by the builder, put on the event's list at once."""
    if "channels" in body:
        raise Invalid.on(
            "channels", N_("The builder chooses the channels; send 'channels' with 'actor_ids'.")
        )
    build = body["build"]
    _check_shape(build, BUILD_FIELDS, prefix="build")
    for kind, limits in (build.get("targets") or {}).items():
        if isinstance(limits, dict):  # other values: parse_targets explains what to send
            _check_shape(limits, TARGET_FIELDS, prefix=f"build.targets.{kind[:40]}")
    selection = {name: value for name, value in build.items() if name != "targets"}
    with _fields_renamed(prefix="build."):
        criteria, targets = collect_errors(
            lambda: Criteria.parse(selection), lambda: parse_targets(build.get("targets"))
        )
    proposal, invitations = build_invitations(
        db.session,
        event_id,
        criteria=criteria,
        targets=targets,
        window_days=current_app.config["REACH_WINDOW_DAYS"],
        user_id=api_user().id,
    )
    return {"invitations": [invitation_json(i) for i in invitations], **proposal_json(proposal)}


def _check_shape(body: dict, fields: dict[str, JsonType], *, prefix: str) -> None:
    """A nested object as json_object checks the request: JSON types (400), known names (422)."""
    if len(body) > MAX_LIST_ITEMS:
        raise Malformed.on(prefix, N_("At most %(max)d items allowed."), max=MAX_LIST_ITEMS)
    wrong, unknown = {}, {}
    for name, value in body.items():
        where = f"{prefix}.{name[:40]}"
        values = value if isinstance(value, list) else [value]
        if name not in fields:
            unknown[where] = [Message(N_("Unknown field '%(name)s'."), name=name[:40])]
        elif not fields[name].accepts(value):
            wrong[where] = [Message(fields[name].message)]
        elif len(values) > MAX_LIST_ITEMS:
            wrong[where] = [Message(N_("At most %(max)d items allowed."), max=MAX_LIST_ITEMS)]
        elif any(isinstance(v, str) and UNSTORABLE.search(v) for v in values):
            wrong[where] = [Message(N_("This text contains invisible control characters."))]
    if wrong:
        raise Malformed(wrong)
    if unknown:
        raise Invalid(unknown)


@contextmanager
def _fields_renamed(names: dict[str, str] | None = None, *, prefix: str = "") -> Iterator[None]:
    """Report the service's field names as the request's (`channel` -> `channels`,
    `kind` -> `build.kind`)."""
    try:
        yield
    except Invalid as error:
        renamed = {prefix + (names or {}).get(k, k): ms for k, ms in error.errors.items()}
        raise type(error)(renamed) from None
