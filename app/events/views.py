"""Event pages (issue 5)."""

from flask import Blueprint

bp = Blueprint("events", __name__, url_prefix="/events")
