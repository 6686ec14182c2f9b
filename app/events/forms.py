"""Forms of the event pages: the event, a row of the invitation list, the builder, check-in."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)

from app.forms import MultiCheckboxField, put_errors_on_form
from app.i18n import translate_errors
from crm.events import DuplicateEvent
from crm.messages import Invalid
from crm.vocabulary import Kind

CRITERIA_FIELDS = ("kind", "district", "theme", "quadrant", "status")


class EventForm(FlaskForm):
    """Create or edit an event; every value is validated by crm.events."""

    name = StringField(_l("Name"))
    type = SelectField(_l("Type"), validate_choice=False)
    starts_at = StringField(_l("Date and time"), render_kw={"type": "datetime-local"})
    place = StringField(_l("Place"))
    capacity = StringField(
        _l("Capacity (places)"), render_kw={"type": "number", "min": 1, "inputmode": "numeric"}
    )
    themes = MultiCheckboxField(_l("Themes"), validate_choice=False)
    description = TextAreaField(_l("Description"), render_kw={"rows": 4})
    version = HiddenField()
    # Sent by the "Create anyway" button of the warning about an event of the same name and day.
    confirm_duplicate = BooleanField()
    duplicate = None  # the event of the same name and day, when the service refused a twin

    def values(self) -> dict:
        """The submitted values under crm.events.WRITABLE_FIELDS names, and the confirmation."""
        names = ("name", "type", "starts_at", "place", "capacity", "themes", "description")
        values = {name: self[name].data for name in names}
        return values | {"confirm_duplicate": bool(self.confirm_duplicate.data)}

    def show_errors(self, error: Invalid) -> None:
        """A twin event: the warning above the form names it (and asks to confirm); other
        problems on their fields."""
        if isinstance(error, DuplicateEvent):
            self.duplicate = error.existing
            return
        put_errors_on_form(self, error)


class InvitationForm(FlaskForm):
    """One row of the invitation list: its status and the channel to invite by."""

    status = SelectField(_l("Status"), validate_choice=False)
    channel = SelectField(_l("Channel"), validate_choice=False)


class BulkInvitationForm(FlaskForm):
    """The action bar under the invitation list: the ticked invitations, what the page showed
    of each (`seen`: 'id:status:channel', to refuse stale changes), a new status and/or channel."""

    invitation = SelectMultipleField(validate_choice=False)  # the rows' checkboxes
    seen = SelectMultipleField(validate_choice=False)  # hidden inputs, one per row
    status = SelectField(_l("Change the status to"), validate_choice=False)
    channel = SelectField(_l("Change the channel to"), validate_choice=False)
    page = HiddenField()  # back to the page of the list the change was made on

    def seen_values(self) -> dict[int, tuple[str, str]] | None:
        """What the page showed of each row: invitation id -> (status, channel); None when
        the request says nothing of it (then no row is refused as changed meanwhile)."""
        seen = {}
        for value in self.seen.data or []:
            ident, _, rest = value.partition(":")
            status, _, channel = rest.partition(":")
            if ident.isascii() and ident.isdigit():
                seen[int(ident)] = (status, channel)
        return seen or None


class ButtonForm(FlaskForm):
    """Only the CSRF token: for the remove buttons."""


class CheckInForm(FlaskForm):
    """The present and undo buttons of the check-in page, keeping the search."""

    invitation = HiddenField()
    q = HiddenField()
    undo = HiddenField()


class WalkInForm(FlaskForm):
    """Check in someone who came without being on the list, keeping the search."""

    actor = HiddenField()
    q = HiddenField()


class BuilderForm(FlaskForm):
    """The invitation list builder: the criteria, a target per kind, a name to save them as.

    The target fields `min_<kind>` and `max_<kind>` are added below, one pair per kind."""

    kind = MultiCheckboxField(_l("Kinds"), validate_choice=False)
    district = MultiCheckboxField(_l("Districts"), validate_choice=False)
    theme = MultiCheckboxField(_l("Themes"), validate_choice=False)
    quadrant = MultiCheckboxField(_l("Power / interest"), validate_choice=False)
    status = MultiCheckboxField(_l("Reach status"), validate_choice=False)
    save_as = StringField(_l("Save these criteria as"))

    def criteria_values(self) -> dict:
        """The criteria as crm.invitations.Criteria.parse reads them."""
        return {name: self[name].data or [] for name in CRITERIA_FIELDS}

    def target_values(self) -> dict:
        """The targets as crm.invitations.parse_targets reads them."""
        return {
            str(kind): {"min": self[f"min_{kind}"].data, "max": self[f"max_{kind}"].data}
            for kind in Kind
        }

    def show_errors(self, error: Invalid) -> None:
        """A target's messages next to its kind (on its minimum field), the rest on the form."""
        targets = {k: v for k, v in error.errors.items() if k.startswith("targets.")}
        put_errors_on_form(
            self, Invalid({k: v for k, v in error.errors.items() if k not in targets})
        )
        for name, messages in translate_errors(Invalid(targets)).items():
            field = getattr(self, f"min_{name.removeprefix('targets.')}", None)
            if field is None:
                self.form_errors.extend(messages)
            else:
                field.errors = list(field.errors) + messages


for _kind in Kind:
    setattr(
        BuilderForm,
        f"min_{_kind}",
        StringField(_l("At least"), render_kw={"type": "number", "min": 0, "inputmode": "numeric"}),
    )
    setattr(
        BuilderForm,
        f"max_{_kind}",
        StringField(_l("At most"), render_kw={"type": "number", "min": 0, "inputmode": "numeric"}),
    )
