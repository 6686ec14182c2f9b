"""API routes of events, invitations and the representation report (issue 5).

Creating events and filling their lists needs a coordinator; staff read them and change an
invitation's status (check-in) and channel (an override, checked against the invite rules of
crm.invitations: issue 5, "which staff can override").
"""

from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app, url_for

from app.api import bp
from app.api.auth import api_user, require
from app.api.errors import GENERAL
from app.api.payload import TEXT, json_object, nested_object, path_id
from app.api.schemas.events import (
    Event,
    EventCreate,
    Invitation,
    InvitationBuild,
    InvitationPatch,
    InvitationsAdd,
    InvitationsAdded,
    Representation,
    Target,
)
from app.api.schemas.types import Extended
from app.extensions import db
from crm.builder import Criteria, build_invitations, parse_targets
from crm.events import create_event, get_event
from crm.invitations import add_invitations, invitation_counts, update_invitation
from crm.messages import N_, Invalid
from crm.permissions import may_manage_events
from crm.representation import representation
from crm.validation import as_id, collect_errors, echo


@bp.post("/events")
def post_event():
    """Create an event (coordinators); 201 with the event."""
    require(may_manage_events)
    # No fields are refused as missing here: crm.events names them with every other problem.
    fields = json_object(EventCreate, required=())
    event = create_event(db.session, user_id=api_user().id, **fields)
    db.session.commit()
    response = _event_with_counts(event).response(201)
    response.headers["Location"] = url_for("api.get_event_by_id", event_id=event.id)
    return response


@bp.get("/events/<event_id>")
def get_event_by_id(event_id: str):
    """One event with the number of invitations per status."""
    event = get_event(db.session, path_id(event_id, "event"))
    return _event_with_counts(event).response()


@bp.post("/events/<event_id>/invitations")
def post_invitations(event_id: str):
    """Put actors on the list by id, or let the builder propose a balanced list (coordinators);
    201 with the invitations (and, for `build`, the mix, warnings and who was left out)."""
    require(may_manage_events)
    ident = path_id(event_id, "event")
    body = json_object(InvitationsAdd)
    if ("actor_ids" in body) == ("build" in body):
        raise Invalid.on(GENERAL, N_("Send either 'actor_ids' or 'build', not both."))
    result = _build(ident, body) if "build" in body else _add(ident, body)
    db.session.commit()
    return result.response(201)


@bp.patch("/invitations/<invitation_id>")
def patch_invitation(invitation_id: str):
    """Change an invitation's status (check-in) and/or channel (an override)."""
    ident = path_id(invitation_id, "invitation")
    changes = {k: v for k, v in json_object(InvitationPatch).items() if v is not None}
    if not changes:
        raise Invalid.on(GENERAL, N_("Send a 'status' and/or a 'channel' to change."))
    invitation = update_invitation(db.session, ident, user_id=api_user().id, **changes)
    db.session.commit()
    return Invitation.of(invitation).response()


@bp.get("/events/<event_id>/representation")
def get_representation(event_id: str):
    """Who came, per kind and per district, against the stakeholder map."""
    report = representation(db.session, path_id(event_id, "event"))
    return Representation.of(report).response()


def _event_with_counts(event) -> Event:
    """The event with the number of its invitations per status."""
    return Event.of(Extended(event, invitation_counts=invitation_counts(db.session, event.id)))


def _add(event_id: int, body: dict) -> InvitationsAdded:
    """The actors of `actor_ids` on the list, with the channel overrides of `channels`."""
    channels = body.get("channels") or {}
    nested_object(channels, dict.fromkeys(channels, TEXT), prefix="channels")
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
    return InvitationsAdded.of({"invitations": invitations})


def _build(event_id: int, body: dict) -> InvitationsAdded:
    """A balanced list by the builder, put on the event's list at once."""
    if "channels" in body:
        raise Invalid.on(
            "channels", N_("The builder chooses the channels; send 'channels' with 'actor_ids'.")
        )
    build = body["build"]
    nested_object(build, InvitationBuild, prefix="build")
    for kind, limits in (build.get("targets") or {}).items():
        if isinstance(limits, dict):  # other values: parse_targets explains what to send
            nested_object(limits, Target, prefix=f"build.targets.{kind[:40]}")
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
    return InvitationsAdded.of(Extended(proposal, invitations=invitations))


@contextmanager
def _fields_renamed(names: dict[str, str] | None = None, *, prefix: str = "") -> Iterator[None]:
    """Report the service's field names as the request's (`channel` -> `channels`,
    `kind` -> `build.kind`)."""
    try:
        yield
    except Invalid as error:
        renamed = {prefix + (names or {}).get(k, k): ms for k, ms in error.errors.items()}
        raise type(error)(renamed) from None
