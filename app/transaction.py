"""The one way a view runs a command: the service calls of a `with command(...)` block are one
transaction, committed when the block ends. Refused input (`Invalid`) is rolled back and shown
on the form (flashed when there is none); a save over a colleague's newer version (`Conflict`)
is rolled back and answered with the conflict page. An unknown object (`NotFound`) becomes the
404 page (app.errors)."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import abort, flash, make_response, render_template
from flask_wtf import FlaskForm

from app.extensions import db
from app.forms import put_errors_on_form
from app.i18n import translate_errors, translate_message
from crm.messages import Conflict, Invalid


class Outcome:
    """Whether the command's transaction was committed (truthy when it was)."""

    saved = False

    def __bool__(self) -> bool:
        return self.saved


@contextmanager
def command(
    form: FlaskForm | None = None,
    *,
    conflict_page: Callable[[], object] | None = None,
    fields: dict[str, str] | None = None,
) -> Iterator[Outcome]:
    """Commit the block's writes, or roll them back and tell the user why (module docstring).

    `fields` renames the service's field names to the form's (e.g. target_id -> other)."""
    outcome = Outcome()
    try:
        yield outcome
        db.session.commit()
    except Invalid as error:
        db.session.rollback()
        # Renamed only when asked: a form may show a kind of refusal its own way (a twin event).
        if fields:
            error = Invalid({fields.get(k, k): v for k, v in error.errors.items()})
        show_errors(form, error)
    except Conflict as conflict:
        if conflict_page is None:
            raise
        db.session.rollback()
        db.session.expire_all()  # the page shows what is stored now
        flash(translate_message(conflict.message), "error")
        abort(make_response(conflict_page(), 409))
    else:
        outcome.saved = True


def show_errors(form: FlaskForm | None, error: Invalid) -> None:
    """The messages on the form's fields (a form's own `show_errors` places them itself), or
    flashed when there is no form."""
    if form is not None:
        getattr(form, "show_errors", lambda e: put_errors_on_form(form, e))(error)
        return
    for messages in translate_errors(error).values():
        for message in messages:
            flash(message, "error")


def conflict_page(form: FlaskForm, template: str, name: str, stored, **context) -> str:
    """The edit form again, with what the user typed and the version stored now (`stored`,
    shown as `name`), so that they can check the current details and save again on purpose."""
    form.version.data = stored.version
    return render_template(template, form=form, conflict=True, **{name: stored}, **context)
