"""Forms of the possible duplicates page and the merge screen."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField

from crm.merges import BOTH, KEPT, MERGE_FIELDS, REMOVED

SIDES = [("first", "first"), ("second", "second")]


class SearchForm(FlaskForm):
    """The "look for possible duplicates" button: only the CSRF token."""


class MergeForm(FlaskForm):
    """Which record stays, and per field which record's value (first, second; themes also
    both). The versions read when the screen was shown guard against a colleague's change."""

    kept = RadioField(_l("Which record stays?"), choices=SIDES, default="first")
    first_version = HiddenField()
    second_version = HiddenField()

    def take(self) -> dict[str, str]:
        """Per field: "kept", "removed" or "both", as crm.merges.merge_actors reads it."""
        return {name: self._taken(self[f"take_{name}"].data) for name in MERGE_FIELDS}

    def versions(self) -> tuple[str, str]:
        """The kept and the removed record's version, as read."""
        pair = (self.first_version.data, self.second_version.data)
        return pair if self.kept.data == "first" else pair[::-1]

    def _taken(self, side: str | None) -> str:
        if side == BOTH:
            return BOTH
        if side in ("first", "second"):
            return KEPT if side == self.kept.data else REMOVED
        return side or KEPT  # anything else: crm refuses it with its message


# One choice per field that a merge takes from either record (rendered only where they differ).
for _name in MERGE_FIELDS:
    _choices = [*SIDES, (BOTH, BOTH)] if _name == "themes" else SIDES
    setattr(MergeForm, f"take_{_name}", RadioField(choices=_choices, validate_choice=False))


# The fields' names on the merge screen (the actor form's own words).
FIELD_LABELS = {
    "name": _l("Name"),
    "kind": _l("Kind"),
    "district": _l("District"),
    "themes": _l("Themes"),
    "phone": _l("Phone"),
    "email": _l("E-mail address"),
    "address": _l("Street and number"),
    "postcode": _l("Postcode"),
    "preferred_channel": _l("Preferred channel"),
    "preferred_language": _l("Preferred language"),
    "do_not_phone": _l("Do not phone"),
    "do_not_email": _l("Do not e-mail"),
    "do_not_visit": _l("Do not visit"),
    "influence": _l("Influence (1-5)"),
    "interest": _l("Interest (1-5)"),
    "notes": _l("Notes"),
    "enterprise_number": _l("Enterprise number"),
}
