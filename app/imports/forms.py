"""Forms of the import pages: the upload, the column mapping, the dry run's answers, the
confirmation and the undo."""

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, FieldList, HiddenField, SelectField, StringField

from app.forms import put_errors_on_form
from app.i18n import label
from crm.imports.plan import IMPORT_FIELDS, Answers
from crm.messages import Invalid


class UploadForm(FlaskForm):
    """A list to import (CSV or XLSX) and, optionally, a saved mapping to read it with."""

    file = FileField(
        _l("File (CSV or Excel .xlsx)"),
        validators=[FileRequired(_l("Choose the file to import."))],
        render_kw={"accept": ".csv,.txt,.xlsx"},
    )
    mapping = SelectField(_l("Saved column mapping"), validate_choice=False)


class ColumnsForm(FlaskForm):
    """The field each column of the file fills in, and a name to save the mapping under."""

    columns = FieldList(SelectField(validate_choice=False))
    save_as = StringField(_l("Save this mapping as (optional)"))

    def fill(self, headers: list[str], mapping: dict[str, str | None]) -> None:
        """One select per column, preset from the mapping on a first display."""
        choices = [("", gettext("do not import"))] + [
            (name, label("actor_field", name)) for name in IMPORT_FIELDS
        ]
        if not self.columns.entries:
            for header in headers:
                self.columns.append_entry(mapping.get(header) or "")
        for entry in self.columns.entries:
            entry.choices = choices

    def mapping(self, headers: list[str]) -> dict[str, str | None]:
        """The submitted mapping: header -> field (None: not imported)."""
        values = [entry.data or None for entry in self.columns.entries]
        return dict(zip(headers, values + [None] * (len(headers) - len(values)), strict=False))

    def show_errors(self, error: Invalid) -> None:
        """A mapping problem (no name column, a field twice) above the columns; the saved
        mapping's name on its field."""
        put_errors_on_form(self, Invalid({k: v for k, v in error.errors.items() if k != "name"}))
        put_errors_on_form(self, Invalid({"_": error.errors.get("name", [])}))


class AnswersForm(FlaskForm):
    """The answers on one page of the dry run: a district for rows of a shared postcode, and
    the possible duplicates to add anyway."""

    shown = HiddenField()  # the row numbers on the page, "2,3,4"

    def answers(self, formdata, previous: Answers) -> Answers:
        """The previous answers with this page's rows replaced by what was submitted."""
        shown = {int(n) for n in (self.shown.data or "").split(",") if n.isdigit()}
        districts = {n: d for n, d in previous.districts.items() if n not in shown}
        for number in shown:
            chosen = formdata.get(f"district-{number}")
            if chosen:
                districts[number] = chosen
        ticked = {int(n) for n in formdata.getlist("add_anyway") if n.isdigit()} & shown
        kept = {n for n in previous.add_anyway if n not in shown}
        return Answers(districts=districts, add_anyway=frozenset(kept | ticked))


class ConfirmForm(FlaskForm):
    """Import the checked list: the dry run it was checked by, and whether to skip errors."""

    job = HiddenField()
    skip_invalid = BooleanField(_l("Skip the rows with errors"))


class ButtonForm(FlaskForm):
    """A button that only needs the CSRF token (undo)."""
