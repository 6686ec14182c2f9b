"""Export downloads (issue 5)."""

from flask import Blueprint

bp = Blueprint("exports", __name__)
