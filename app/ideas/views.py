"""Idea pages and the keep-warm list (issue 5)."""

from flask import Blueprint

bp = Blueprint("ideas", __name__, url_prefix="/ideas")
