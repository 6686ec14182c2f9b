"""Bearer-token authentication and permission checks for the API."""

from flask import g, request

from app.api import bp
from app.api.errors import Unauthenticated
from app.extensions import db
from crm.models import User
from crm.permissions import Permission, Refused
from crm.users import user_for_token

SCHEME = "bearer"


@bp.before_request
def authenticate() -> None:
    """Every API route needs `Authorization: Bearer <token>` of an active user."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    user = user_for_token(db.session, token.strip()) if scheme.lower() == SCHEME else None
    if user is None:
        raise Unauthenticated()
    g.api_user = user
    # Flask-Login's current_user, read by the language choice (app.i18n.select_locale), is the
    # token's user for this request only; login_user() would also write a session cookie.
    g._login_user = user


def api_user() -> User:
    """The user whose token came with this request."""
    return g.api_user


def require(permission: Permission) -> None:
    """Refuse with 403 unless the token's user has `permission` (crm.permissions)."""
    if not permission(api_user()):
        raise Refused(permission)
