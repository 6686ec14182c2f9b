"""Error pages and JSON errors: never a bare 500 for bad input."""

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException

from app.auth import explain
from app.extensions import db
from crm.messages import NotFound
from crm.permissions import Refused


def wants_json() -> bool:
    """API paths answer JSON."""
    return request.path.startswith("/api/")


def register(app: Flask) -> None:
    """Install the handlers."""

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        message = _("Your form expired or was sent from elsewhere. Reload the page and try again.")
        return _respond(400, message)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        body, code = _respond(error.code or 500, _describe(error.code))
        # A 405 names the methods the URL allows (RFC 9110): keep werkzeug's Allow header.
        allow = [(name, value) for name, value in error.get_headers() if name == "Allow"]
        return body, code, allow

    @app.errorhandler(Refused)
    def refused(error: Refused):
        # Not a bare "no access": the page says who may do it and whom to ask (issue 11).
        db.session.rollback()
        if wants_json():
            return _respond(403, " ".join(explain(error)))
        return _respond(403, _describe(403), details=explain(error))

    @app.errorhandler(NotFound)
    def not_found(error: NotFound):
        # Every page asks the services for its objects by the id in its URL: an unknown id
        # (also -1, 01 or 2**64) is this page, never a per-area helper (the API answers its own).
        db.session.rollback()
        return _respond(404, _describe(404))

    @app.errorhandler(IntegrityError)
    def integrity_error(error: IntegrityError):
        # Only a race gets here (two people adding the same relation or account at once):
        # the services check everything else before writing.
        db.session.rollback()
        app.logger.warning("Write refused by the database: %s", error.orig)
        return _respond(
            409, _("Someone else changed this at the same time. Nothing was saved: try again.")
        )

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        db.session.rollback()
        app.logger.exception("Unexpected error")
        return _respond(500, _("Something went wrong on our side. Nothing was saved."))


def _describe(code: int | None) -> str:
    return {
        400: _("The request could not be understood."),
        401: _("Please log in."),
        403: _("You do not have permission for this page."),
        404: _("This page or object does not exist."),
        405: _("This action is not allowed here."),
        409: _("Someone else saved this in the meantime."),
        413: _("What you sent is too large."),
        429: _("Too many attempts. Wait a minute and try again."),
    }.get(code, _("Something went wrong."))


def _respond(code: int, message: str, *, details: list[str] = ()):
    if wants_json():
        return jsonify({"errors": {"_": [message]}}), code
    return render_template("error.html", code=code, message=message, details=details), code
