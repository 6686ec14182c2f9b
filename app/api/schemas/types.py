"""The field types and base models every shape of the API is built from.

Texts carry the rules JSON Schema can state (length, no control characters, not blank); what
only the domain knows (a valid phone number, a known district) stays with crm/ and is named in
the field's description. Moments leave as ISO 8601 UTC with a `Z`, dates as YYYY-MM-DD.
"""

from datetime import date, datetime
from typing import Annotated, Any, Generic, Literal, Self, TypeVar

from flask import Response, jsonify
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
)

from app.i18n import translate_message
from crm.messages import Message
from crm.validation import CONTROL_CLASS, MAX_ID

# Character classes of JSON Schema patterns (ECMA 262). CONTROL: the control characters that
# crm.validation and app.api.payload refuse. WHITE: the white space Python's str.strip() takes
# off the ends of a text (the domain trims so), control characters aside; ECMA's \s is not the
# same set (it lacks \x85, it has \ufeff). SPACE: white space that may end a text of a body,
# where a control character is refused anywhere; ANY_SPACE: every character str.strip() takes.
CONTROL = CONTROL_CLASS
WHITE = r"\t\n\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
SPACE = f"[{WHITE}]"
ANY_SPACE = rf"[{WHITE}\x0b\x0c\x1c-\x1f]"
ID_TEXT = rf"^{ANY_SPACE}*[1-9][0-9]*{ANY_SPACE}*$"  # an id in a path or a key (crm parse_id)

MOMENT_SCHEMA = {
    "type": "string",
    "format": "date-time",
    "description": "ISO 8601, UTC, ending in Z.",
}
DATE_SCHEMA = {"type": "string", "format": "date", "description": "YYYY-MM-DD."}


class Body(BaseModel):
    """A request body: its fields, their JSON types, and no others (additionalProperties)."""

    model_config = ConfigDict(extra="forbid")


class Reply(BaseModel):
    """A response body, validated from a row or result (its attributes) and served as JSON."""

    model_config = ConfigDict(from_attributes=True, extra="forbid")

    @classmethod
    def of(cls, source: object, **context: Any) -> Self:
        """The reply made of `source`'s attributes; `context` is what derived fields read."""
        return cls.model_validate(source, context=context)

    def response(self, status: int = 200) -> Response:
        """This reply as a JSON response."""
        response = jsonify(self.model_dump(mode="json"))
        response.status_code = status
        return response


class Extended:
    """A row or result with attributes added: what a reply derives from it besides its own."""

    def __init__(self, source: object, **added: object):
        self._source = source
        self.__dict__.update(added)

    def __getattr__(self, name: str) -> object:
        return getattr(self._source, name)


Item = TypeVar("Item", bound=Reply)


def trimmed(max_length: int | None, *, visible: bool = False, space: str = SPACE) -> str:
    """A pattern of text as the domain reads it: white space (`space`) at the ends is trimmed,
    then at most `max_length` characters, none of them a control character; `visible`: not
    blank. (maxLength would count the white space that the domain trims.)"""
    visible_character = rf"[^{WHITE}{CONTROL}]"
    inside = "*" if max_length is None else f"{{0,{max_length - 2}}}"
    words = rf"{visible_character}([^{CONTROL}]{inside}{visible_character})?"
    return rf"^{space}*({words}){'' if visible else '?'}{space}*$"


def text(max_length: int | None = None, *, visible: bool = False) -> Any:
    """Text without control characters, at most `max_length` characters once trimmed;
    `visible`: not blank either (the domain requires names)."""
    return Annotated[str, Field(pattern=trimmed(max_length, visible=visible))]


def blank_or(kind: Any) -> Any:
    """`kind`, or empty text for "none" (the domain trims texts and reads empty as none)."""
    return kind | Literal[""]


def or_none(kind: Any) -> Any:
    """`kind`, or empty text or null for "none"."""
    return blank_or(kind) | None


def _moment_text(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds") + "Z"


def _name_of(row: object) -> object:
    return getattr(row, "name", row)


def _names_of(rows: object) -> object:
    return [_name_of(row) for row in rows] if isinstance(rows, list | tuple) else rows


def _translated(message: object) -> object:
    return translate_message(message) if isinstance(message, Message) else message


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Count = Annotated[int, Field(ge=0)]
Moment = Annotated[
    datetime,
    PlainSerializer(_moment_text, return_type=str),
    WithJsonSchema(MOMENT_SCHEMA),
]
Day = Annotated[date, WithJsonSchema(DATE_SCHEMA)]
# A moment as a client writes it: with an offset (RFC 3339), or without one, which is Brussels
# time (crm.contacts.parse_occurred_at).
LOCAL_MOMENT = (
    rf"^{SPACE}*[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}"
    rf"([T ][0-9]{{2}}(:[0-9]{{2}}(:[0-9]{{2}}([.,][0-9]+)?)?)?)?{SPACE}*$"
)
MomentText = Annotated[
    str,
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "format": "date-time"},
                {"type": "string", "pattern": LOCAL_MOMENT},
            ],
            "description": "ISO 8601, e.g. 2025-03-20T19:30:00+01:00; without an offset, e.g. "
            "2025-03-20T19:30, it is Brussels time.",
        }
    ),
]
DayText = Annotated[
    str,
    WithJsonSchema(
        {
            "type": "string",
            "format": "date",
            "description": "YYYY-MM-DD (the other ISO 8601 forms of a date that Python reads "
            "are accepted too).",
        }
    ),
]
NameOf = Annotated[str | None, BeforeValidator(_name_of)]  # a district row -> its name
NamesOf = Annotated[list[str], BeforeValidator(_names_of)]  # theme rows -> their names
Translated = Annotated[str, BeforeValidator(_translated)]  # a domain Message in the user's words


class Page(Reply, Generic[Item]):
    """One page of a list with the total that matched (crm.paging.Page)."""

    items: list[Item]
    total: Count = Field(description="All that matched.")
    page: Annotated[int, Field(ge=1)]
    per_page: Annotated[int, Field(ge=1)]
