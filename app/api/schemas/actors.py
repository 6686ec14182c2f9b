"""The shapes of actors: what a client sends to create or change one, and the actor it gets."""

from typing import Annotated

from flask import current_app
from pydantic import BeforeValidator, Field, model_validator

from app.api.schemas.types import (
    SPACE,
    Body,
    Extended,
    Id,
    Moment,
    NameOf,
    NamesOf,
    Page,
    Reply,
    or_none,
    text,
)
from crm.clock import utcnow
from crm.models import ADDRESS_MAX, EMAIL_MAX, LABEL_MAX, NAME_MAX, TEXT_MAX
from crm.models import Actor as ActorRow
from crm.reach import actor_reach_status
from crm.validation import display_phone
from crm.vocabulary import Channel, Kind, Language, ReachStatus

Score = Annotated[int, Field(ge=1, le=5)]  # influence and interest: the Mendelow grid
# The characters crm.validation lets through to phonenumbers, and a Belgian postcode; trimmed.
PHONE = rf"^{SPACE}*\+?[0-9 ()./-]*{SPACE}*$"
POSTCODE = rf"^{SPACE}*([0-9]{{4}})?{SPACE}*$"


class ActorFields(Body):
    """The fields of an actor a client may send (crm.actors.WRITABLE_FIELDS), all optional."""

    name: text(NAME_MAX, visible=True) = None
    kind: Kind = None
    district: text(LABEL_MAX) | None = Field(
        None,
        description="A district name, e.g. Belsele. Only known districts (the administrators "
        "keep the list) are accepted.",
    )
    themes: list[text(LABEL_MAX)] | None = Field(
        None,
        max_length=100,
        description="Theme names; the actor gets exactly these. Only known themes are accepted.",
    )
    phone: Annotated[str, Field(pattern=PHONE)] | None = Field(
        None,
        description="Any Belgian or international format, e.g. 03 778 30 60; it must be a "
        "valid number (checked with the phonenumbers library).",
    )
    email: or_none(
        Annotated[str, Field(max_length=EMAIL_MAX, json_schema_extra={"format": "email"})]
    ) = Field(None, description="An e-mail address that email-validator accepts.")
    address: text(ADDRESS_MAX) | None = None
    postcode: Annotated[str, Field(pattern=POSTCODE)] | None = Field(
        None, description="A Belgian postcode: 4 digits."
    )
    preferred_channel: or_none(Channel) = None
    preferred_language: or_none(Language) = None
    do_not_phone: bool = None
    do_not_email: bool = None
    do_not_visit: bool = None
    influence: Score = Field(None, description="Power in the Mendelow grid; default 3.")
    interest: Score = Field(None, description="Interest in the Mendelow grid; default 3.")
    notes: text(TEXT_MAX) | None = None


class ActorCreate(ActorFields):
    """A new actor: a name and a kind at least."""

    name: text(NAME_MAX, visible=True)
    kind: Kind


class ActorPatch(ActorFields):
    """Changes to an actor, with the version that was read (a stale version answers 409)."""

    archived: bool = Field(
        None, description="Archive or restore (coordinators and administrators)."
    )
    version: int = Field(description="The version you read.")


class UserRef(Reply):
    """Who did something: id and name only."""

    id: Id
    name: str


def _phone_display(e164: str | None) -> str | None:
    return display_phone(e164) or None


class Actor(Reply):
    """An actor, with its reach status in the reach window (setting REACH_WINDOW_DAYS)."""

    id: Id
    name: str
    kind: Kind
    district: NameOf
    themes: NamesOf
    phone: str | None = Field(description="E.164, e.g. +3237783060.")
    phone_display: Annotated[str | None, BeforeValidator(_phone_display)] = Field(
        validation_alias="phone",
        description="As people write it: national for Belgian numbers, e.g. 03 778 30 60.",
    )
    email: str | None
    address: str | None
    postcode: str | None
    preferred_channel: Channel | None
    preferred_language: Language | None
    do_not_phone: bool
    do_not_email: bool
    do_not_visit: bool
    influence: Score
    interest: Score
    notes: str
    archived: bool
    reach_status: ReachStatus = Field(description="In the reach window (REACH_WINDOW_DAYS).")
    last_contact_at: Moment | None
    created_at: Moment
    updated_at: Moment
    version: int = Field(description="Send it back with PATCH.")

    @model_validator(mode="before")
    @classmethod
    def _with_reach_status(cls, actor: object) -> object:
        """An actor row gets its reach status now, in the configured window."""
        if not isinstance(actor, ActorRow):
            return actor
        window = current_app.config["REACH_WINDOW_DAYS"]
        status = actor_reach_status(actor, now=utcnow(), window_days=window)
        return Extended(actor, reach_status=status)


class ActorPage(Page[Actor]):
    """One page of actors with the total that matched."""
