"""The quick contact form: one screen, a few seconds, also on a phone."""

import json
import secrets
from datetime import UTC, datetime

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from itsdangerous import BadData, URLSafeSerializer
from wtforms import HiddenField, SelectField, StringField, TextAreaField

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


class NewContactForm(ContactForm):
    """The quick form that logs a contact, carrying the one-time token of its rendering: sent
    twice (a double tap, back and send again, a retried request), it logs one contact."""

    submission_token = HiddenField()

    def __init__(self, *args, user_id: int, actor_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.user_id, self.actor_id = user_id, actor_id
        self.submission_key: str | None = None

    @classmethod
    def rendered(cls, *, user_id: int, actor_id: int, **data) -> "NewContactForm":
        """A blank form with a fresh token, to show on the actor page."""
        form = cls(formdata=None, user_id=user_id, actor_id=actor_id, **data)
        form.submission_token.data = issue_form_token(user_id=user_id, actor_id=actor_id)
        return form

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        self.submission_key = form_token_key(
            self.submission_token.data, user_id=self.user_id, actor_id=self.actor_id
        )
        if self.submission_key is None:
            # Refused rather than logged without the guarantee; the form shown again carries a
            # fresh token, so sending it once more works.
            self.form_errors.append(
                _(
                    "This form was not made for you and this actor, or it was changed. "
                    "Nothing was saved: check the details and log the contact again."
                )
            )
            self.submission_token.data = issue_form_token(
                user_id=self.user_id, actor_id=self.actor_id
            )
            return False
        return valid


def issue_form_token(*, user_id: int, actor_id: int) -> str:
    """A new one-time token for a contact form rendered for this user and actor."""
    return _token_serializer().dumps([user_id, actor_id, secrets.token_urlsafe(16)])


def form_token_key(token, *, user_id: int, actor_id: int) -> str | None:
    """The submission key of a token issued for this user and actor; None for a missing,
    forged or foreign token."""
    try:
        issued_to, issued_for, nonce = _token_serializer().loads(token or "")
    except (BadData, TypeError, ValueError):
        return None
    if (issued_to, issued_for) != (user_id, actor_id) or not isinstance(nonce, str):
        return None
    return f"form:{nonce}"


def _token_serializer() -> URLSafeSerializer:
    # Signed with the app's secret key: a token the server did not issue is refused.
    return URLSafeSerializer(current_app.secret_key, salt="bereik.contact-form-token")


def now_for_input() -> str:
    """Now in Brussels, as a datetime-local input wants it."""
    return datetime.now(CITY_TIMEZONE).strftime("%Y-%m-%dT%H:%M")


def moment_for_input(moment_utc: datetime) -> str:
    """A stored UTC moment in Brussels time, as a datetime-local input wants it."""
    local = moment_utc.replace(tzinfo=UTC).astimezone(CITY_TIMEZONE)
    return local.strftime("%Y-%m-%dT%H:%M")
