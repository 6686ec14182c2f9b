"""The shapes of relations: a link between two actors to add, and the relation."""

from typing import Annotated

from pydantic import Field

from app.api.schemas.types import Body, Day, DayText, Id, Reply, or_none
from crm.vocabulary import RelationType

Strength = Annotated[int, Field(ge=1, le=3)]


class RelationCreate(Body):
    """A typed, optionally dated link between two different actors."""

    source_id: Id = Field(description="An existing actor.")
    target_id: Id = Field(description="Another existing actor: not the source.")
    type: RelationType
    strength: Strength = Field(None, description="Tie strength; default 1.")
    starts_on: or_none(DayText) = None
    ends_on: or_none(DayText) = Field(None, description="Not before starts_on.")


class Relation(Reply):
    """One relation between two actors."""

    id: Id
    source_id: Id
    target_id: Id
    type: RelationType
    strength: Strength
    starts_on: Day | None
    ends_on: Day | None
