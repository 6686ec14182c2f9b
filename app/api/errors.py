"""The API's errors: every refusal is JSON `{"errors": {"field": ["message"]}}` with a 4xx status.

Domain exceptions (crm.messages) are caught here, in one place, so that the views only parse,
call one service, commit and serialise. The session is rolled back before answering: nothing
of a refused request is stored.
"""

from flask import Response, current_app
from sqlalchemy.exc import IntegrityError

from app.api import bp
from app.api.schemas.errors import ConflictErrors, Errors
from app.auth import explain
from app.extensions import db
from app.i18n import translate_errors, translate_message
from crm.events import DuplicateEvent
from crm.messages import N_, Conflict, Invalid, Message, NotFound
from crm.permissions import Refused

GENERAL = "_"  # the field name of a message about the request as a whole (as in app/errors.py)


class Malformed(Invalid):
    """The request itself is wrong (not JSON, wrong JSON types, bad paging): 400, not 422."""


class Unauthenticated(Exception):
    """No valid bearer token came with the request."""


class LengthRequired(Exception):
    """A chunked body that the server does not mark the end of: it cannot be read safely."""


def errors_json(errors: dict[str, list[str]], status: int) -> Response:
    """The JSON error response every refusal uses."""
    return Errors(errors=errors).response(status)


def general(msgid: str, **params) -> dict[str, list[str]]:
    """One translated message about the request as a whole."""
    return {GENERAL: [translate_message(Message(msgid, **params))]}


@bp.errorhandler(Invalid)
def refuse_invalid(error: Invalid):
    db.session.rollback()
    return errors_json(translate_errors(error), 400 if isinstance(error, Malformed) else 422)


@bp.errorhandler(DuplicateEvent)
def refuse_duplicate_event(error: DuplicateEvent):
    db.session.rollback()
    errors = translate_errors(error)
    errors["confirm_duplicate"] = [
        translate_message(Message(N_('Send "confirm_duplicate": true to create it anyway.')))
    ]
    return ConflictErrors(errors=errors, current_version=None).response(409)


@bp.errorhandler(NotFound)
def refuse_not_found(error: NotFound):
    db.session.rollback()
    return errors_json({GENERAL: [translate_message(error.message)]}, 404)


@bp.errorhandler(Conflict)
def refuse_conflict(error: Conflict):
    db.session.rollback()
    errors = {"version": [translate_message(error.message)]}
    return ConflictErrors(errors=errors, current_version=error.current_version).response(409)


@bp.errorhandler(IntegrityError)
def refuse_integrity_error(error: IntegrityError):
    # Only a race gets here (two requests adding the same relation at once on PostgreSQL, an
    # actor deleted while a contact is logged): the services check everything else first.
    db.session.rollback()
    current_app.logger.warning("API write refused by the database: %s", error.orig)
    message = N_("Someone else changed this at the same time. Nothing was saved: try again.")
    return errors_json(general(message), 409)


@bp.errorhandler(Unauthenticated)
def refuse_unauthenticated(error: Unauthenticated):
    db.session.rollback()
    message = N_("Send a valid API token in the header 'Authorization: Bearer <token>'.")
    response = errors_json(general(message), 401)
    response.headers["WWW-Authenticate"] = 'Bearer realm="bereik"'
    return response


@bp.errorhandler(LengthRequired)
def refuse_unsized_body(error: LengthRequired):
    db.session.rollback()
    message = N_(
        "Send the request body with a Content-Length header: this server cannot read a "
        "chunked body."
    )
    return errors_json(general(message), 411)


@bp.errorhandler(Refused)
def refuse_forbidden(error: Refused):
    db.session.rollback()
    # One message, so that a client showing the first one also shows whom to ask.
    return errors_json({GENERAL: [" ".join(explain(error))]}, 403)
