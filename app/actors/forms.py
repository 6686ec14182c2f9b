"""Forms of the actor pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields import EmailField, TelField

from app.forms import MultiCheckboxField

SCALE = [(str(n), str(n)) for n in range(1, 6)]
STRENGTHS = [("1", _l("1 - weak")), ("2", _l("2 - normal")), ("3", _l("3 - strong"))]


class ActorForm(FlaskForm):
    """Create or edit an actor; every value is validated by crm.actors."""

    name = StringField(_l("Name"))
    kind = SelectField(_l("Kind"), validate_choice=False)
    district = SelectField(_l("District"), validate_choice=False)
    themes = MultiCheckboxField(_l("Themes"), validate_choice=False)
    phone = TelField(_l("Phone"))
    email = EmailField(_l("E-mail address"))
    address = StringField(_l("Street and number"))
    postcode = StringField(_l("Postcode"))
    preferred_channel = SelectField(_l("Preferred channel"), validate_choice=False)
    preferred_language = SelectField(_l("Preferred language"), validate_choice=False)
    do_not_phone = BooleanField(_l("Do not phone"))
    do_not_email = BooleanField(_l("Do not e-mail"))
    do_not_visit = BooleanField(_l("Do not visit"))
    influence = SelectField(
        _l("Influence (1-5)"), choices=SCALE, default="3", validate_choice=False
    )
    interest = SelectField(_l("Interest (1-5)"), choices=SCALE, default="3", validate_choice=False)
    notes = TextAreaField(_l("Notes"))
    version = HiddenField()

    def values(self) -> dict:
        """The submitted values under crm.actors.WRITABLE_FIELDS names."""
        names = [f for f in self._fields if f not in {"csrf_token", "version"}]
        return {name: self[name].data for name in names}


class RelationForm(FlaskForm):
    """Link this actor to another one."""

    type = SelectField(_l("Relation"), validate_choice=False)
    other = StringField(_l("Other actor (name or number)"))
    strength = SelectField(_l("Strength"), choices=STRENGTHS, default="2", validate_choice=False)
    starts_on = StringField(_l("From"), render_kw={"type": "date"})
    ends_on = StringField(_l("Until"), render_kw={"type": "date"})


class ConfirmForm(FlaskForm):
    """An empty form: only the CSRF token, for archive, restore and delete buttons."""
