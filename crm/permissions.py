"""Who may do what: one predicate per permission, asked by the views, the API handlers and the
templates alike (no role name anywhere else).

Roles are ranked: policy staff < coordinator < administrator. Most permissions need a least
role; exporting lists can also be granted to one staff member, and staff edit the contacts
they logged themselves. Each permission carries the message a refused user reads: what was
refused and which role may do it; `explain_refusal` adds whom to ask (the administrators, who
give roles and the export permission).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from crm.messages import N_, Message
from crm.vocabulary import ROLE_RANK, Role

# A refusal names at most this many administrators: enough to find one, short enough to read.
MAX_NAMED_ADMINISTRATORS = 3


def has_role(user, role: str) -> bool:
    """Whether the user's role includes the permissions of `role` (admin > coordinator > staff)."""
    return ROLE_RANK.get(user.role, 0) >= ROLE_RANK[Role(role)]


@dataclass(frozen=True)
class Permission:
    """A permission: call it with a user (and the object it is about, where it depends on one).

    Anonymous users (Flask-Login's, or None) may do nothing."""

    name: str
    rule: Callable[..., bool]
    refusal: str  # the msgid a refused user reads: what was refused and which role may do it

    def __call__(self, user, *about) -> bool:
        if user is None or not getattr(user, "is_authenticated", False):
            return False
        return bool(self.rule(user, *about))


def _at_least(role: Role) -> Callable[..., bool]:
    return lambda user: has_role(user, role)


may_manage_events = Permission(
    "may_manage_events",
    _at_least(Role.COORDINATOR),
    N_(
        "Only coordinators and administrators may create and edit events, build their "
        "invitation lists and take people off them."
    ),
)  # everyone logged in reads events and changes invitation statuses and channels (issue 5)
may_manage_ideas = Permission(
    "may_manage_ideas",
    _at_least(Role.COORDINATOR),
    N_("Only coordinators and administrators may add and edit ideas."),
)
may_archive_actors = Permission(
    "may_archive_actors",
    _at_least(Role.COORDINATOR),
    N_("Only coordinators and administrators may archive actors or bring them back."),
)
may_release_any_claim = Permission(
    "may_release_any_claim",
    _at_least(Role.COORDINATOR),
    N_("Only coordinators and administrators may take an actor off a colleague's list."),
)  # give back a colleague's claim
may_read_export_log = Permission(
    "may_read_export_log",
    _at_least(Role.COORDINATOR),
    N_("Only coordinators and administrators may read the export log."),
)
may_export_by_role = Permission(
    "may_export_by_role",
    _at_least(Role.COORDINATOR),
    N_("Coordinators and administrators may always export lists."),
)  # no administrator needs to allow it; never a refusal by itself (may_export asks it)
may_export = Permission(
    "may_export",
    lambda user: bool(user.can_export) or has_role(user, Role.COORDINATOR),
    N_("Exporting is possible with the export permission; an administrator can give it."),
)  # personal data leaving Bereik: invitation lists, call sheets, keep-warm lists
may_edit_contact = Permission(
    "may_edit_contact",
    lambda user, contact: contact.created_by_id == user.id or has_role(user, Role.COORDINATOR),
    N_(
        "Only coordinators and administrators may change a contact a colleague logged; you "
        "may change the contacts you logged yourself."
    ),
)  # staff edit the contacts they logged; coordinators any contact
may_import = Permission(
    "may_import",
    _at_least(Role.COORDINATOR),
    N_(
        "Only coordinators and administrators may import lists, look for duplicates and merge "
        "actors."
    ),
)  # imports write many actors at once; a merge removes one: both are recorded (issue 12)
may_delete_for_good = Permission(
    "may_delete_for_good",
    _at_least(Role.ADMIN),
    N_("Only administrators may delete actors and contacts for good."),
)  # actors and contacts, after a confirmation
may_administer = Permission(
    "may_administer",
    _at_least(Role.ADMIN),
    N_("Only administrators may manage accounts, roles and settings."),
)

PERMISSIONS: tuple[Permission, ...] = (
    may_manage_events,
    may_manage_ideas,
    may_archive_actors,
    may_release_any_claim,
    may_read_export_log,
    may_export_by_role,
    may_export,
    may_edit_contact,
    may_import,
    may_delete_for_good,
    may_administer,
)


class Refused(Exception):
    """The user lacks `permission`: the page (403) or the API (JSON 403) says why and whom to
    ask (`explain_refusal`)."""

    def __init__(self, permission: Permission):
        super().__init__(f"needs {permission.name}")
        self.permission = permission


def explain_refusal(permission: Permission, administrators: Sequence) -> list[Message]:
    """What was refused and which role may do it, then whom to ask: the active administrators
    (`crm.users.active_administrators`), by name and e-mail address."""
    return [Message(permission.refusal), whom_to_ask(administrators)]


def whom_to_ask(administrators: Sequence) -> Message:
    """'Ask an administrator: An Peeters (an@…).' — at most MAX_NAMED_ADMINISTRATORS named."""
    if not administrators:
        return Message(N_("Ask an administrator of Bereik."))
    named = ", ".join(f"{a.name} ({a.email})" for a in administrators[:MAX_NAMED_ADMINISTRATORS])
    return Message(N_("Ask an administrator: %(names)s."), names=named)
