"""Log in and out."""

import re
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import start_session_clock
from app.auth.forms import LoginForm
from app.extensions import db, limiter
from app.transaction import command
from crm.users import authenticate, end_sessions

bp = Blueprint("auth", __name__)
# Control characters (C0, DEL, C1): CR/LF cannot go in a Location header at all (a 500), and a
# browser drops tabs and newlines from a URL, so "/\t/evil.example" would be "//evil.example".
UNSAFE_IN_NEXT = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(db.session, email=form.email.data, password=form.password.data)
        if user is not None:
            db.session.commit()
            login_user(user, remember=form.remember.data)
            start_session_clock()
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append(_("Unknown e-mail address or wrong password."))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    # Ends the user's sessions on every device, and every copy of their cookies.
    with command():
        end_sessions(db.session, current_user.id)
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


def _safe_next(target: str | None) -> str:
    # Only local paths: an open redirect would let a phishing link borrow our login page.
    # "/\\evil.example" is "//evil.example" to a browser: no backslashes at all.
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and not UNSAFE_IN_NEXT.search(target)
    ):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("actors.index")
