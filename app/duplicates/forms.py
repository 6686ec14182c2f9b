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
