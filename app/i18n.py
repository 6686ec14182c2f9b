"""Language choice (Dutch by default, English on request) and template helpers."""

from datetime import date, datetime

from flask import Flask, current_app, request, session
from flask_babel import format_date, format_datetime, get_locale, get_translations, gettext
from flask_login import current_user

from crm import permissions, vocabulary
from crm.clock import utcnow
from crm.messages import Invalid, Message
from crm.reach import actor_reach_status
from crm.validation import display_phone


def select_locale() -> str:
    """`?lang=` (remembered in the session), else the session, the user's setting, nl."""
    languages = current_app.config["LANGUAGES"]
    asked = request.args.get("lang")
    if asked in languages:
        if not request.path.startswith("/api/"):  # API clients get no cookie to remember it
            session["lang"] = asked
        return asked
    if session.get("lang") in languages:
        return session["lang"]
    user_language = getattr(current_user, "language", None) if current_user else None
    if user_language in languages:
        return user_language
    if request.path.startswith("/api/"):
        return (
            request.accept_languages.best_match(languages)
            or current_app.config["BABEL_DEFAULT_LOCALE"]
        )
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def translate_message(message: Message) -> str:
    """A domain message in the user's language."""
    return message.render(gettext, plural_form)


def plural_form(singular: str, plural: str, n: int) -> str:
    """The catalogue's form of a singular/plural pair for `n`, not yet formatted (flask-babel's
    ngettext would format it with `num` alone, and a message has more parameters)."""
    return get_translations().ngettext(singular, plural, n)


def translate_errors(error: Invalid) -> dict[str, list[str]]:
    """Every field's messages of a domain error in the user's language."""
    return {name: [translate_message(m) for m in ms] for name, ms in error.errors.items()}


def label(group: str, value: str | None) -> str:
    """The translated label of a vocabulary value, e.g. label('kind', 'resident')."""
    if not value:
        return ""
    labels = LABEL_GROUPS[group]
    return gettext(labels[value]) if value in labels else value


def reach_status_of(actor) -> str:
    """The actor's reach status with the configured window."""
    return actor_reach_status(
        actor, now=utcnow(), window_days=current_app.config["REACH_WINDOW_DAYS"]
    )


def show_datetime(moment: datetime | None, fmt: str = "short") -> str:
    """A stored UTC moment in Brussels time, in the user's language."""
    return format_datetime(moment, fmt) if moment else ""


def show_date(day: date | None, fmt: str = "medium") -> str:
    """A date in the user's language."""
    return format_date(day, fmt) if day else ""


LABEL_GROUPS = {
    "kind": vocabulary.KIND_LABELS,
    "channel": vocabulary.CHANNEL_LABELS,
    "direction": vocabulary.DIRECTION_LABELS,
    "outcome": vocabulary.OUTCOME_LABELS,
    "relation": vocabulary.RELATION_TYPE_LABELS,
    "role": vocabulary.ROLE_LABELS,
    "language": vocabulary.LANGUAGE_LABELS,
    "reach": vocabulary.REACH_STATUS_LABELS,
    "kinds": vocabulary.KIND_PLURAL_LABELS,
    "event_type": vocabulary.EVENT_TYPE_LABELS,
    "invitation_status": vocabulary.INVITATION_STATUS_LABELS,
    "idea_status": vocabulary.IDEA_STATUS_LABELS,
    "quadrant": vocabulary.QUADRANT_LABELS,
    "left_out": vocabulary.LEFT_OUT_REASON_LABELS,
    "action": vocabulary.NEXT_ACTION_LABELS,
    "flag": vocabulary.GROUP_FLAG_LABELS,
    "keep_warm_channel": vocabulary.KEEP_WARM_CHANNEL_LABELS,
    "keep_warm_role": vocabulary.KEEP_WARM_ROLE_LABELS,
    "export_kind": vocabulary.EXPORT_KIND_LABELS,
    "job_kind": vocabulary.JOB_KIND_LABELS,
    "job_step": vocabulary.JOB_STEP_LABELS,
    "import_action": vocabulary.IMPORT_ACTION_LABELS,
    "import_status": vocabulary.IMPORT_STATUS_LABELS,
    "duplicate_reason": vocabulary.DUPLICATE_REASON_LABELS,
    "actor_field": vocabulary.ACTOR_FIELD_LABELS,
    "import_source": vocabulary.IMPORT_SOURCE_LABELS,
}


def register_template_helpers(app: Flask) -> None:
    """Make the helpers above available in every template."""
    app.jinja_env.globals.update(
        get_locale=get_locale,
        label=label,
        reach_status_of=reach_status_of,
        show_datetime=show_datetime,
        show_date=show_date,
        display_phone=display_phone,
        translate_message=translate_message,
        vocabulary=vocabulary,
        # What the user may do: `may_export(current_user)`, never a role name in a template.
        **{permission.name: permission for permission in permissions.PERMISSIONS},
    )
