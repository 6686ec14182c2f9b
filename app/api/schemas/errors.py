"""The shapes of refusals: messages per field, in the user's language."""

from typing import Annotated

from pydantic import Field

from app.api.schemas.types import Reply

Messages = Annotated[list[str], Field(min_length=1)]


class Errors(Reply):
    """Why a request was refused; nothing of it was stored."""

    errors: dict[str, Messages] = Field(
        min_length=1,
        description="Messages per field, in the user's language; '_' is the request as a whole.",
    )


class ConflictErrors(Errors):
    """Someone else saved in the meantime; with the stored version when known."""

    current_version: int | None = Field(description="The actor's stored version, when known.")
