"""The shapes of the reach analysis (docs/rules-of-reach.md): groups with their figures and flags,
recommended next actions, brokers, and one actor's reach.

Names, kinds and statuses of actors are read from the analysis the route passes as context.
"""

from types import SimpleNamespace
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, ValidationInfo, computed_field

from app.api.schemas.types import Count, Id, Reply, Translated
from app.i18n import translate_message
from crm.vocabulary import GroupFlag, Kind, NextAction, ReachStatus
from mapping.reach import DIMENSIONS, group_name

# When nothing is recommended for an actor, its advice fields are null.
NO_ADVICE = SimpleNamespace(action=None, introducer_id=None, reason=None, priority=None, groups=())

GROUP_IDENT = "'<dimension>:<key>', e.g. 'kind_district:poverty_organisation/Sinaai'."
ACTION = (
    "visit: poverty organisations, prefers a visit, no phone but an address, too many failed "
    "calls; call: a usable phone number; introduce: ask introducer_id, reached directly within "
    "two hops; find_details: none of these is possible."
)
PRIORITY = (
    "Higher is more urgent: half power/interest, a quarter centrality in its flagged groups, a "
    "quarter time since the last direct contact."
)
WHY = (
    "Why the actor is on the list: the idents of its under-reached groups, and "
    "'poverty_organisation' for a poverty organisation not reached directly."
)
DATA_VERSION = "Changes with every write the analysis reads."

Action = Literal[tuple(str(a) for a in NextAction)]
Priority = Annotated[float, Field(ge=0, le=100)]


def from_analysis(attribute: str) -> BeforeValidator:
    """Read `attribute` of the analysed actor whose id the field gets (null for no actor)."""

    def read(actor_id: int | None, info: ValidationInfo) -> object:
        if actor_id is None:
            return None
        return info.context["analysis"].actor(actor_id)[attribute]

    return BeforeValidator(read)


def _poverty_flagged(actor_id: int, info: ValidationInfo) -> bool:
    return actor_id in info.context["analysis"].poverty_flagged


class ReachSettings(Reply):
    """The thresholds the analysis used."""

    window_days: Annotated[int, Field(ge=1, le=2**31 - 1)] = Field(
        description="REACH_WINDOW_DAYS: older contacts no longer count."
    )
    threshold: float = Field(
        description="REACH_THRESHOLD: a group below this share reached directly is under-reached."
    )
    min_group_size: int = Field(description="MIN_GROUP_SIZE: fewer known actors is too_few_known.")
    max_failed_calls: int = Field(
        description="After this many failed calls in the window: visit instead."
    )


class GroupReach(Reply):
    """One group's reach figures, its flag and its sentence in the user's language."""

    ident: str = Field(description=GROUP_IDENT)
    dimension: Literal[DIMENSIONS]
    key: str = Field(
        description="The kind, district or theme; '<kind>/<district>' for kind_district."
    )
    total: Annotated[int, Field(ge=1)] = Field(description="Known actors (not archived).")
    direct: Count
    digital_only: Count
    attempted: Count
    none: Count
    share_direct: Annotated[float, Field(ge=0, le=1)]
    flag: Literal[tuple(str(f) for f in GroupFlag)] | None = Field(
        description="too_few_known: fewer than MIN_GROUP_SIZE actors; under_reached: "
        "share_direct below REACH_THRESHOLD."
    )
    sentence: Translated = Field(description="The figures in one sentence.")

    @computed_field(description="The group in words, in the user's language.")
    @property
    def name(self) -> str:
        """The group in words, in the user's language."""
        return translate_message(group_name(self.dimension, self.key))


class Recommendation(Reply):
    """One recommended next action, with the names a person needs to act on it."""

    actor_id: Id
    name: Annotated[str, from_analysis("name")] = Field(validation_alias="actor_id")
    kind: Annotated[Kind, from_analysis("kind")] = Field(validation_alias="actor_id")
    district: Annotated[str | None, from_analysis("district")] = Field(validation_alias="actor_id")
    status: Annotated[ReachStatus, from_analysis("status")] = Field(validation_alias="actor_id")
    action: Action = Field(description=ACTION)
    introducer_id: Id | None = Field(description="With introduce.")
    introducer_name: Annotated[str | None, from_analysis("name")] = Field(
        validation_alias="introducer_id"
    )
    reason: Translated = Field(description="Why this action, in the user's language.")
    priority: Priority = Field(description=PRIORITY)
    groups: list[str] = Field(description=WHY)


class Broker(Reply):
    """An actor linked to many unreached members of an under-reached group."""

    actor_id: Id
    name: Annotated[str, from_analysis("name")] = Field(validation_alias="actor_id")
    group: str = Field(description=GROUP_IDENT)
    unreached_neighbours: Annotated[int, Field(ge=1)]


class Reach(Reply):
    """Reach per group with flags, and one page of the recommended next actions."""

    groups: list[GroupReach] = Field(
        description="Flagged groups first, lowest share reached directly first."
    )
    recommendations: list[Recommendation] = Field(
        description="One per actor to reach, highest priority first: the page asked for."
    )
    recommendations_total: Count = Field(
        description="How many recommendations match, over all pages."
    )
    page: Annotated[int, Field(ge=1)]
    per_page: Annotated[int, Field(ge=1)]
    poverty_flagged: list[Id] = Field(
        description="Poverty organisations not reached directly, whatever their group."
    )
    brokers: list[Broker] = Field(
        description="Per kept under-reached group, the actors linked to most of its "
        "unreached members."
    )
    data_version: Count = Field(description=DATA_VERSION)
    settings: ReachSettings


class ActorReach(Reply):
    """An actor's reach status and its one recommended next action (the advice fields are
    null, and groups empty, when nothing is recommended)."""

    actor_id: Id
    name: Annotated[str, from_analysis("name")] = Field(validation_alias="actor_id")
    status: Annotated[ReachStatus, from_analysis("status")] = Field(validation_alias="actor_id")
    poverty_flagged: Annotated[bool, BeforeValidator(_poverty_flagged)] = Field(
        validation_alias="actor_id",
        description="A poverty organisation not reached directly.",
    )
    action: Action | None = Field(description=ACTION)
    introducer_id: Id | None
    introducer_name: Annotated[str | None, from_analysis("name")] = Field(
        validation_alias="introducer_id"
    )
    reason: Translated | None
    priority: Priority | None = Field(description=PRIORITY)
    groups: list[str] = Field(description=WHY + " Empty when nothing is recommended.")
    member_of: list[GroupReach] = Field(
        description="Every group the actor belongs to, with its figures."
    )
    data_version: Count = Field(description=DATA_VERSION)
