"""The shapes of contacts: a call or visit to log, and the logged contact."""

from pydantic import Field

from app.api.schemas.actors import UserRef
from app.api.schemas.types import (
    Body,
    Day,
    DayText,
    Id,
    Moment,
    MomentText,
    Page,
    Reply,
    or_none,
    text,
)
from crm.models import TEXT_MAX
from crm.vocabulary import Channel, Direction, Outcome


class ContactCreate(Body):
    """A contact to log with the actor of the URL, on behalf of the token's user."""

    channel: Channel
    direction: or_none(Direction) = Field(None, description="Default outgoing.")
    outcome: Outcome
    occurred_at: or_none(MomentText) = Field(
        None,
        description="When it happened; default now. Not in the future, not before 2000.",
    )
    note: text(TEXT_MAX) | None = None
    follow_up_on: or_none(DayText) = Field(
        None, description="A date to follow up; not before the day of the contact (Brussels)."
    )


class Contact(Reply):
    """One logged contact."""

    id: Id
    actor_id: Id
    channel: Channel
    direction: Direction
    outcome: Outcome
    occurred_at: Moment
    note: str
    follow_up_on: Day | None
    created_by: UserRef | None
    created_at: Moment
    edited_at: Moment | None


class ContactPage(Page[Contact]):
    """One page of an actor's contacts, newest first, with the total."""
