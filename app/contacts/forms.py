"""The quick contact form: one screen, a few seconds, also on a phone."""

import json
from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField

from app.forms import vocabulary_choices
from crm.clock import CITY_TIMEZONE
from crm.vocabulary import CHANNEL_LABELS, CHANNEL_OUTCOMES, DIRECTION_LABELS, OUTCOME_LABELS

# What static/bereik.js reads to offer only the outcomes the chosen channel can have.
OUTCOMES_BY_CHANNEL = json.dumps(
    {str(c): [str(o) for o in os] for c, os in CHANNEL_OUTCOMES.items()}
)


class ContactForm(FlaskForm):
    """Log (or edit) one contact; values are validated by crm.contacts."""

    channel = SelectField(
        _l("Channel"),
        default="phone",
        validate_choice=False,
        render_kw={"data-outcomes": OUTCOMES_BY_CHANNEL},
    )
    direction = SelectField(_l("Direction"), default="outgoing", validate_choice=False)
    outcome = SelectField(_l("Outcome"), default="reached", validate_choice=False)
    occurred_at = StringField(_l("When"), render_kw={"type": "datetime-local"})
    note = TextAreaField(_l("Note"), render_kw={"rows": 3})
    follow_up_on = StringField(_l("Follow up on"), render_kw={"type": "date"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.channel.choices = vocabulary_choices(CHANNEL_LABELS)
        self.direction.choices = vocabulary_choices(DIRECTION_LABELS)
        # A form opened before anything happened (an introduction to ask) starts with no
        # outcome: the person picks what happened instead of confirming "reached".
        blank = _l("(what happened?)") if self.outcome.data == "" else None
        self.outcome.choices = vocabulary_choices(OUTCOME_LABELS, blank=blank)
        if not self.occurred_at.data:
            self.occurred_at.data = now_for_input()

    def values(self) -> dict:
        """The submitted values under crm.contacts names."""
        return {
            name: self[name].data
            for name in ("channel", "direction", "outcome", "occurred_at", "note", "follow_up_on")
        }


def now_for_input() -> str:
    """Now in Brussels, as a datetime-local input wants it."""
    return datetime.now(CITY_TIMEZONE).strftime("%Y-%m-%dT%H:%M")


def moment_for_input(moment_utc: datetime) -> str:
    """A stored UTC moment in Brussels time, as a datetime-local input wants it."""
    local = moment_utc.replace(tzinfo=UTC).astimezone(CITY_TIMEZONE)
    return local.strftime("%Y-%m-%dT%H:%M")
