"""Actor pages: list, detail, create, edit, archive, delete, relations."""

from flask import Blueprint, render_template

bp = Blueprint("actors", __name__)


@bp.route("/")
def index():
    return render_template("actors/index.html")
