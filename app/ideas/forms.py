"""Forms of the idea pages; every value is validated by crm.ideas."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField

from app.forms import vocabulary_choices
from crm.vocabulary import IDEA_STATUS_LABELS


class IdeaForm(FlaskForm):
    """Create or edit an idea; the status is set on creation, later by status updates."""

    title = StringField(_l("Title"))
    description = TextAreaField(_l("Description"), render_kw={"rows": 4})
    theme = SelectField(_l("Theme"), validate_choice=False)
    event_id = SelectField(_l("Raised at event"), validate_choice=False)
    owner_ids = TextAreaField(
        _l("Owners (one per line: actor number or name)"), render_kw={"rows": 4}
    )
    status = SelectField(_l("Status"), default="new", validate_choice=False)
    version = HiddenField()

    def __init__(self, *args, themes=(), events=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.theme.choices = [("", _l("(no theme)"))] + [(name, name) for name in themes]
        self.event_id.choices = [("", _l("(no event)"))] + list(events)
        self.status.choices = vocabulary_choices(IDEA_STATUS_LABELS)

    def values(self, *, with_status: bool) -> dict:
        """The submitted values under crm.ideas names."""
        names = ["title", "description", "theme", "event_id", "owner_ids"]
        return {name: self[name].data for name in names + (["status"] if with_status else [])}


class StatusUpdateForm(FlaskForm):
    """A dated status update of an idea: news for the people who carry it."""

    status = SelectField(_l("New status"), validate_choice=False)
    occurred_on = StringField(_l("Date"), render_kw={"type": "date"})
    note = TextAreaField(_l("What happened"), render_kw={"rows": 3})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = vocabulary_choices(IDEA_STATUS_LABELS)

    def values(self) -> dict:
        """The submitted values under crm.ideas names."""
        return {name: self[name].data for name in ("status", "occurred_on", "note")}
