"""Staff accounts: create, authenticate, API tokens, roles."""

import hashlib
import re
import secrets
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from crm.clock import utcnow
from crm.messages import N_, Invalid, NotFound
from crm.models import NAME_MAX, User
from crm.rows import get_row
from crm.validation import clean_text, collect_errors, parse_choice, parse_email, storable
from crm.vocabulary import Role

PASSWORD_MIN_LENGTH = 12
# The login form's cap (app.auth.forms uses this number): a longer password could never log in.
PASSWORD_MAX_LENGTH = 1000
# zxcvbn's estimate, 0-4: 3 is "safely unguessable" (about 10^8 guesses), 4 "very unguessable".
PASSWORD_MIN_SCORE = 3
ZXCVBN_MAX_LENGTH = 72  # zxcvbn refuses longer input: it judges the first 72 characters
# zxcvbn's dictionaries are English: the words anyone at the city would try first are added.
LOCAL_WORDS = (
    "bereik",
    "sint-niklaas",
    "sintniklaas",
    "niklaas",
    "waasland",
    "welkom",
    "wachtwoord",
    "paswoord",
    "geheim",
    "gemeente",
    "stad",
    "stadhuis",
)
# A browser's password field cannot hold control characters (it drops CR/LF, Tab moves on).
PASSWORD_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")
PASSWORD_METHOD = "scrypt"
# A hash to compare against when the e-mail is unknown, so that the answer takes as long.
_DUMMY_HASH = generate_password_hash("not a real password", method=PASSWORD_METHOD)


def create_user(
    session: Session, *, email, name, role, password, now: datetime | None = None
) -> User:
    """A new staff account; the password is stored only as a scrypt hash."""
    email, name, role, password = collect_errors(
        lambda: parse_email(email, field="email") or _required("email"),
        lambda: clean_text(name, field="name", max_length=NAME_MAX, required=True),
        lambda: parse_choice(role, Role, field="role"),
        lambda: check_password_strength(password, user_inputs=(email, name)),
    )
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise Invalid.on("email", N_("There is already an account for %(email)s."), email=email)
    user = User(
        email=email,
        name=name,
        role=role,
        password_hash=generate_password_hash(password, method=PASSWORD_METHOD),
        active=True,
        created_at=now or utcnow(),
    )
    session.add(user)
    session.flush()
    return user


def check_password_strength(password, *, user_inputs=()) -> str:
    """The password when one can log in with it and it is hard to guess (the one password
    policy: every form and command that sets a password comes through here)."""
    if not isinstance(password, str) or len(password) < PASSWORD_MIN_LENGTH:
        raise Invalid.on(
            "password",
            N_("A password needs at least %(min)d characters."),
            min=PASSWORD_MIN_LENGTH,
        )
    if len(password) > PASSWORD_MAX_LENGTH:
        raise Invalid.on(
            "password",
            N_("A password can have at most %(max)d characters."),
            max=PASSWORD_MAX_LENGTH,
        )
    if PASSWORD_CONTROL_CHARACTERS.search(password):  # also a lone surrogate: hashing would fail
        raise Invalid.on("password", N_("This text contains invisible control characters."))
    if not password.strip():  # the login form takes a password of spaces only for an empty one
        raise Invalid.on("password", N_("A password cannot consist of spaces only."))
    if _guessability(password, user_inputs) < PASSWORD_MIN_SCORE:
        raise Invalid.on(
            "password",
            N_(
                "This password is too easy to guess: it is a common password, a name or a "
                "repeated pattern (such as aaaa or abcabc). Choose a few unrelated words."
            ),
        )
    return password


def _guessability(password: str, user_inputs) -> int:
    # The account's own e-mail address and name count as known words, as LOCAL_WORDS do.
    known = [*LOCAL_WORDS]
    for text in user_inputs:
        if isinstance(text, str) and text:
            local = text.lower().split("@")[0]  # "ann.claeys": also "annclaeys", "ann", "claeys"
            parts = [part for part in re.split(r"[\s@._-]+", text.lower()) if part]
            known.extend([local, re.sub(r"[\s._-]+", "", local), *parts])
    return zxcvbn(password[:ZXCVBN_MAX_LENGTH], user_inputs=known)["score"]


def set_password(session: Session, user_id: int, password: str) -> User:
    """Replace a user's password, ending their sessions and revoking their API token."""
    user = get_user(session, user_id)
    password = check_password_strength(password, user_inputs=(user.email, user.name))
    user.password_hash = generate_password_hash(password, method=PASSWORD_METHOD)
    # A reset is what follows a stolen password: whoever used it keeps neither a session nor a
    # token (docs/sessions.md). The owner asks for a new token (`flask users token`).
    user.api_token_hash = None
    end_sessions(session, user.id)
    return user


def set_role(session: Session, user_id: int, role: str, *, active: bool = True) -> User:
    """Change a user's role and whether the account may log in; a change ends their sessions."""
    user = get_user(session, user_id)
    role = parse_choice(role, Role, field="role")
    changed = (user.role, user.active) != (role, active)
    user.role = role
    user.active = active
    session.flush()
    if changed:
        end_sessions(session, user.id)
    return user


def end_sessions(session: Session, user_id: int) -> None:
    """End every session and remember cookie of the user, on every device."""
    # In SQL, not read-modify-write: two concurrent ends both count.
    session.execute(
        update(User)
        .where(User.id == user_id)
        .values(session_version=User.session_version + 1)
        .execution_options(synchronize_session="fetch")
    )
    session.flush()


def user_for_session(session: Session, session_id: str) -> User | None:
    """The active user whose session (or remember cookie) this id is, or None when it ended."""
    user_id, _, rest = (session_id or "").partition(":")
    version, _, nonce = rest.partition(":")
    # isdecimal, not isdigit: "²" is a digit that int() refuses.
    if not (user_id.isdecimal() and version.isdecimal()) or len(user_id) > 18:
        return None
    user = session.get(User, int(user_id))
    if user is None or not user.active or str(user.session_version) != version:
        return None
    user.login_nonce = nonce  # get_id() gives the same id back
    return user


def authenticate(session: Session, *, email, password, now: datetime | None = None) -> User | None:
    """The active user with this e-mail and password, or None."""
    address = (email or "").strip().lower()
    # A NUL byte in a typed e-mail is an error on PostgreSQL: such an address is simply unknown.
    known = address and storable(address)
    user = session.scalar(select(User).where(User.email == address)) if known else None
    password = password if isinstance(password, str) and _encodable(password) else ""
    if user is None or not user.active:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password):
        return None
    user.last_login_at = now or utcnow()
    # Each login's own id part: its remember cookie differs from every other login's, while the
    # user's other devices stay logged in (only end_sessions ends them).
    user.login_nonce = secrets.token_urlsafe(16)
    session.flush()
    return user


def issue_api_token(session: Session, user_id: int) -> str:
    """A new API token for the user, replacing the old one; only its hash is stored."""
    user = get_user(session, user_id)
    token = secrets.token_urlsafe(32)
    user.api_token_hash = _token_hash(token)
    session.flush()
    return token


def user_for_token(session: Session, token: str) -> User | None:
    """The active user owning this API token, or None."""
    if not token or not _encodable(token):
        return None
    user = session.scalar(select(User).where(User.api_token_hash == _token_hash(token)))
    return user if user is not None and user.active else None


def get_user(session: Session, user_id) -> User:
    """The user with this id."""
    return get_row(session, User, user_id, what="user")


def find_user_by_email(session: Session, email: str) -> User:
    """The user with this e-mail address."""
    address = (email or "").strip().lower()
    user = session.scalar(select(User).where(User.email == address)) if storable(address) else None
    if user is None:
        raise NotFound("user", email)
    return user


def list_users(session: Session) -> list[User]:
    """Every account, by name."""
    return list(session.scalars(select(User).order_by(User.name, User.id)))


def _encodable(text: str) -> bool:
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


def _token_hash(token: str) -> str:
    # A random 256-bit token needs no slow hash: SHA-256 makes the stored value useless to a thief.
    return hashlib.sha256(token.encode()).hexdigest()


def _required(field: str):
    raise Invalid.on(field, N_("This field is required."))


def set_can_export(session: Session, user_id, allowed: bool) -> User:
    """Allow or forbid a staff member to export lists."""
    user = get_user(session, user_id)
    user.can_export = bool(allowed)
    session.flush()
    return user


def active_administrators(session: Session) -> list[User]:
    """The active administrators by name: whom a refused user can ask for a role or a right."""
    return list(
        session.scalars(
            select(User)
            .where(User.role == Role.ADMIN, User.active.is_(True))
            .order_by(User.name, User.id)
        )
    )
