"""Forms for user administration."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.fields import EmailField


class UserForm(FlaskForm):
    """A new staff account."""

    email = EmailField(_l("E-mail address"))
    name = StringField(_l("Name"))
    role = SelectField(_l("Role"), validate_choice=False)
    password = PasswordField(_l("Password (at least 12 characters)"))


class RoleForm(FlaskForm):
    """Change an account's role or block it."""

    role = SelectField(_l("Role"), validate_choice=False)
    active = BooleanField(_l("May log in"))


class PasswordForm(FlaskForm):
    """Set a new password for an account."""

    password = PasswordField(_l("New password (at least 12 characters)"))


class ExportPermissionForm(FlaskForm):
    """Whether a staff member may export lists of actors (personal data)."""

    allowed = BooleanField(_l("May export lists"))
