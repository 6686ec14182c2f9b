"""Contact logging and follow-ups."""

from flask import Blueprint

bp = Blueprint("contacts", __name__)


@bp.route("/follow-ups")
def follow_ups():
    return "todo"
