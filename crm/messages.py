"""User-facing messages raised by the domain, translated by the app layer.

`crm/` cannot import Flask-Babel, so it marks message ids with `N_` (extracted by pybabel) and
carries the parameters along; the app translates them in the user's language.
"""

from dataclasses import dataclass, field


def N_(msgid: str) -> str:
    """Mark a string for extraction without translating it."""
    return msgid


def Np_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a singular and plural pair for extraction: a Message of it picks the form by its
    `num` parameter ("1 van 80 kwam", "2 van 80 kwamen")."""
    return singular, plural


def _english_plural(singular: str, plural: str, n: int) -> str:
    return singular if n == 1 else plural


@dataclass(frozen=True)
class Message:
    """A message id with its named parameters, e.g. Message("%(value)s is no phone", value=...)."""

    msgid: str | tuple[str, str]  # a (singular, plural) pair from Np_
    params: dict = field(default_factory=dict)

    def __init__(self, msgid: str | tuple[str, str], **params):
        object.__setattr__(self, "msgid", msgid)
        object.__setattr__(self, "params", params)

    def render(self, translate=lambda s: s, plural=_english_plural) -> str:
        """The message in the language of `translate` and `plural` (an ngettext without
        formatting; the defaults: English).

        A parameter that is itself a Message (a group's name in a sentence) is translated too,
        and so is a tuple of Messages (joined with commas).
        """
        if isinstance(self.msgid, tuple):
            text = plural(*self.msgid, self.params["num"])
        else:
            text = translate(self.msgid)
        if not self.params:
            return text
        return text % {
            name: _rendered(value, translate, plural) for name, value in self.params.items()
        }


def _rendered(value, translate, plural):
    if isinstance(value, Message):
        return value.render(translate, plural)
    if isinstance(value, tuple) and all(isinstance(item, Message) for item in value):
        return ", ".join(item.render(translate, plural) for item in value)
    return value


class Invalid(Exception):
    """Input refused; `errors` maps each field name to its messages. Nothing was stored."""

    def __init__(self, errors: dict[str, list[Message]]):
        super().__init__("; ".join(f"{k}: {m.render()}" for k, ms in errors.items() for m in ms))
        self.errors = errors

    @classmethod
    def on(cls, field_name: str, msgid: str, **params) -> "Invalid":
        """One message on one field."""
        return cls({field_name: [Message(msgid, **params)]})


class NotFound(Exception):
    """The object does not exist (or was deleted)."""

    # What the user reads, per kind of object (`what`).
    MESSAGES = {
        "actor": N_("There is no actor with id %(id)s."),
        "contact": N_("There is no contact with id %(id)s."),
        "relation": N_("There is no relation with id %(id)s."),
        "event": N_("There is no event with id %(id)s."),
        "invitation": N_("There is no invitation with id %(id)s."),
        "idea": N_("There is no idea with id %(id)s."),
        "job": N_("There is no job with id %(id)s."),
        "import": N_("There is no import with id %(id)s."),
        "mapping": N_("There is no saved column mapping with id %(id)s."),
    }

    def __init__(self, what: str, ident):
        super().__init__(f"{what} {ident!r} not found")
        self.what = what
        self.ident = ident

    @property
    def message(self) -> Message:
        """'There is no actor with id 5.' (the id as typed, shortened)."""
        msgid = self.MESSAGES.get(self.what, N_("This object does not exist."))
        return Message(msgid, id=str(self.ident)[:40])


class Conflict(Exception):
    """Someone else saved the object in between; nothing was overwritten."""

    def __init__(self, message: Message, current_version: int | None = None):
        super().__init__(message.render())
        self.message = message
        self.current_version = current_version
