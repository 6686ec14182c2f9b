"""Form helpers shared by every area: vocabulary choices and domain errors on fields."""

from flask_babel import gettext
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, widgets

from app.i18n import translate_errors
from crm.messages import Invalid


class MultiCheckboxField(SelectMultipleField):
    """Several choices as a list of checkboxes (easier on a phone than a multi-select)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def vocabulary_choices(
    labels: dict[str, str], *, blank: str | None = None
) -> list[tuple[str, str]]:
    """(value, translated label) pairs for a select, optionally led by a blank choice."""
    choices = [(str(value), gettext(text)) for value, text in labels.items()]
    return ([("", blank)] if blank is not None else []) + choices


def put_errors_on_form(form: FlaskForm, error: Invalid) -> None:
    """Show a domain error's messages on the matching fields (or at the top of the form)."""
    for name, messages in translate_errors(error).items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors) + messages
        else:
            form.form_errors.extend(messages)
