"""The shapes of events, their invitation lists and representation reports (issue 5)."""

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, ConfigDict, Field, create_model

from app.api.schemas.types import (
    ID_TEXT,
    SPACE,
    Body,
    Count,
    Id,
    Moment,
    MomentText,
    NamesOf,
    Reply,
    Translated,
    blank_or,
    or_none,
    text,
)
from crm.builder import MAX_TARGET
from crm.events import MAX_CAPACITY
from crm.messages import Message
from crm.models import ADDRESS_MAX, LABEL_MAX, NAME_MAX, TEXT_MAX
from crm.vocabulary import (
    INVITE_CHANNELS,
    LEFT_OUT_REASON_LABELS,
    Channel,
    EventType,
    InvitationStatus,
    Kind,
    LeftOutReason,
    Quadrant,
    ReachStatus,
)

Capacity = Annotated[int, Field(ge=1, le=MAX_CAPACITY)]
InviteChannel = Literal[INVITE_CHANNELS]
INVITE_RULES = (
    "Poverty organisations are invited by phone or visit, never by e-mail only; do-not-contact "
    "flags and missing contact details rule a channel out."
)
# A target as the builder reads it (crm.invitations.parse_targets): a whole number from 0 to
# MAX_TARGET, also as text (as forms send it), empty or null for the default. MAX_TARGET is a
# power of ten, so its digits without the leading 1 are the longest number below it.
LIMIT_TEXT = rf"^{SPACE}*(\+?0*([0-9]{{1,{len(str(MAX_TARGET)) - 1}}}|{MAX_TARGET})|-0+)?{SPACE}*$"
Limit = Annotated[int, Field(ge=0, le=MAX_TARGET)] | Annotated[str, Field(pattern=LIMIT_TEXT)]


def one_or_more(value: Any) -> Any:
    """One value or a list of them (any of them matches); null: no filter."""
    return value | Annotated[list[value], Field(max_length=100)] | None


class EventCreate(Body):
    """A new event (coordinators)."""

    name: text(NAME_MAX, visible=True)
    type: EventType
    starts_at: MomentText = Field(description="Between 2000 and five years from now.")
    place: text(ADDRESS_MAX) | None = None
    capacity: Capacity = Field(description="Places in the room: the builder fills up to this.")
    themes: list[text(LABEL_MAX)] | None = Field(
        None, max_length=100, description="Theme names; only known themes are accepted."
    )
    description: text(TEXT_MAX) | None = None
    confirm_duplicate: bool = Field(
        False,
        description="True to create the event although another event has the same name "
        "(case, accents and spaces ignored) on the same day; without it such an event is "
        "refused with 409.",
    )


InvitationCounts = create_model(
    "InvitationCounts",
    __base__=Reply,
    __doc__="Invitations per status (on GET /events/{event_id} and on creation).",
    **{str(status): (Count, ...) for status in InvitationStatus},
)


class Event(Reply):
    """An event; with the number of invitations per status where the route counts them."""

    id: Id
    name: str
    type: EventType
    starts_at: Moment
    place: str
    capacity: Capacity
    themes: NamesOf
    description: str
    created_at: Moment
    updated_at: Moment
    version: int
    invitation_counts: InvitationCounts = Field(None, exclude_if=lambda counts: counts is None)


class Target(Body):
    """How many actors of one kind the builder puts on the list."""

    min: or_none(Limit) = Field(None, description="At least this many (default 0).")
    max: or_none(Limit) = Field(None, description="At most this many (default: no limit).")


class InvitationBuild(Body):
    """The builder's selection and its target mix per kind (crm.invitations.Criteria)."""

    targets: dict[Kind, Target] = Field(
        None,
        description="The target mix per kind; the minimums are filled first. The minimum of a "
        "kind may not lie above its maximum.",
    )
    kind: one_or_more(blank_or(Kind)) = Field(
        None, description="Only actors of this kind (or these kinds)."
    )
    district: one_or_more(text()) = Field(
        None,
        description="Only actors in this district. A district nobody defined is refused "
        "(422, on district): a typo must not give an empty list.",
    )
    theme: one_or_more(text()) = Field(
        None,
        description="Only actors with this theme. A theme nobody defined is refused (422, on "
        "theme).",
    )
    quadrant: one_or_more(blank_or(Literal[tuple(str(q) for q in Quadrant)])) = Field(
        None, description="Only actors in this power/interest quadrant."
    )
    status: one_or_more(blank_or(ReachStatus)) = Field(
        None, description="Only actors with this reach status (REACH_WINDOW_DAYS)."
    )


class InvitationsAdd(Body):
    """Either actor_ids (with channels to override the rules' choice) or build."""

    model_config = ConfigDict(
        json_schema_extra={
            "oneOf": [{"required": ["actor_ids"]}, {"required": ["build"]}],
            "dependentRequired": {"channels": ["actor_ids"]},
        }
    )

    actor_ids: list[Id] = Field(
        None,
        min_length=1,
        max_length=100,
        description="Put these actors on the list (status to_invite), each with the channel "
        "of the rules. Actors already on the list come back unchanged. Unknown or archived "
        "actors, and actors no allowed channel reaches, are refused (422): nothing is stored.",
    )
    channels: dict[Annotated[str, Field(pattern=ID_TEXT)], InviteChannel] = Field(
        None,
        max_length=100,
        description="Only with actor_ids: actor id (one of actor_ids) -> the channel to invite "
        "them by instead of the rules' choice, checked against the same rules. "
        + INVITE_RULES
        + " An actor already on the list comes back unchanged: its override is not read (change "
        "its channel with PATCH /invitations/{invitation_id}).",
    )
    build: InvitationBuild = None


class InvitationPatch(Body):
    """At least one of status and channel (staff may change both)."""

    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [
                {"required": [name], "properties": {name: {"type": "string"}}}
                for name in ("status", "channel")
            ]
        }
    )

    status: InvitationStatus | None = Field(
        None,
        description="attended logs the attendance as a contact (channel event, outcome "
        "reached); leaving attended removes that contact again.",
    )
    channel: InviteChannel | None = Field(
        None, description="An override of the rules' choice, within them. " + INVITE_RULES
    )


class Invitation(Reply):
    """One actor on an event's list: the channel to invite them by and the status."""

    id: Id
    event_id: Id
    actor_id: Id
    channel: Literal[(*INVITE_CHANNELS, Channel.EVENT)] = Field(
        description=INVITE_RULES + " event: a walk-in, checked in without an invitation."
    )
    channel_overridden: bool = Field(
        description="True when someone chose the channel instead of the rules."
    )
    status: InvitationStatus


class MixRow(Reply):
    """One kind on a built list against its target."""

    kind: Kind
    count: Count = Field(description="On the list, with the new ones.")
    min: Count
    max: Count | None
    available: Count = Field(description="Actors of the kind that matched and can be invited.")
    below_min: bool
    above_max: bool


class LeftOut(Reply):
    """How many matching actors no allowed channel can reach, for one reason."""

    reason: Literal[tuple(str(r) for r in LeftOutReason)]
    label: Translated = Field(description="The reason in the user's language.")
    count: Annotated[int, Field(ge=1)]


def _per_reason(counts: object) -> object:
    """The builder's counts per reason (a dict) as LeftOut rows, in the order of the reasons."""
    if not isinstance(counts, dict):
        return counts
    return [
        {"reason": reason, "label": Message(label), "count": counts[reason]}
        for reason, label in LEFT_OUT_REASON_LABELS.items()
        if counts.get(reason)
    ]


def _only_built(description: str) -> Any:
    """A field of the builder's answer: left out when the actors came by id."""
    return Field(None, exclude_if=lambda value: value is None, description=description)


class InvitationsAdded(Reply):
    """The invitations added (or already there); with build also what the builder weighed."""

    invitations: list[Invitation]
    capacity: Annotated[int, Field(ge=1)] = _only_built("With build.")
    already_listed: Count = _only_built(
        "With build: on the list before, counted in the mix and the capacity."
    )
    mix: list[MixRow] = _only_built("With build: the list per kind against the targets.")
    warnings: list[Translated] = _only_built(
        "With build, in the user's language: kinds the trajectory needs that nobody on the "
        "list has, targets not met, minimums above the capacity."
    )
    left_out: Annotated[list[LeftOut], BeforeValidator(_per_reason)] = _only_built(
        "With build: matching actors no allowed channel can reach, per reason."
    )


class RepresentationRow(Reply):
    """One kind or district at an event: known, listed, invited, confirmed, attended."""

    dimension: Literal["kind", "district"]
    key: str = Field(description="The kind or the district name ('—': none).")
    known: Count = Field(description="Actors in the map (not archived).")
    listed: Count = Field(description="On the list, any status.")
    invited: Count = Field(description="Invited or any later status.")
    confirmed: Count
    attended: Count
    share_attended: Annotated[float, Field(ge=0)] = Field(description="attended / known.")
    sentence: Translated = Field(
        description="In the user's language, e.g. 'Poverty organisations: 0 of 6 came'."
    )


class Representation(Reply):
    """Who came, per kind and per district, against the stakeholder map."""

    event: Event
    by_kind: list[RepresentationRow]
    by_district: list[RepresentationRow]
