"""Who may do what: one predicate per permission, asked by the views, the API handlers and the
templates alike (no role name anywhere else).

Roles are ranked: policy staff < coordinator < administrator. Most permissions need a least
role; exporting lists can also be granted to one staff member, and staff edit the contacts
they logged themselves. Each permission carries the message a refused user reads.
"""

from collections.abc import Callable
from dataclasses import dataclass

from crm.messages import N_
from crm.vocabulary import ROLE_RANK, Role

COORDINATORS_ONLY = N_("Only coordinators and administrators may do this.")
ADMINISTRATORS_ONLY = N_("Only administrators may do this.")


def has_role(user, role: str) -> bool:
    """Whether the user's role includes the permissions of `role` (admin > coordinator > staff)."""
    return ROLE_RANK.get(user.role, 0) >= ROLE_RANK[Role(role)]


@dataclass(frozen=True)
class Permission:
    """A permission: call it with a user (and the object it is about, where it depends on one).

    Anonymous users (Flask-Login's, or None) may do nothing."""

    name: str
    rule: Callable[..., bool]
    refusal: str  # the msgid a refused user reads

    def __call__(self, user, *about) -> bool:
        if user is None or not getattr(user, "is_authenticated", False):
            return False
        return bool(self.rule(user, *about))


def _at_least(role: Role) -> Callable[..., bool]:
    return lambda user: has_role(user, role)


may_manage_events = Permission(
    "may_manage_events", _at_least(Role.COORDINATOR), COORDINATORS_ONLY
)  # create and edit events, build and prune their invitation lists
may_manage_ideas = Permission("may_manage_ideas", _at_least(Role.COORDINATOR), COORDINATORS_ONLY)
may_archive_actors = Permission(
    "may_archive_actors", _at_least(Role.COORDINATOR), COORDINATORS_ONLY
)
may_release_any_claim = Permission(
    "may_release_any_claim", _at_least(Role.COORDINATOR), COORDINATORS_ONLY
)  # give back a colleague's claim
may_read_export_log = Permission(
    "may_read_export_log", _at_least(Role.COORDINATOR), COORDINATORS_ONLY
)
may_export_by_role = Permission(
    "may_export_by_role", _at_least(Role.COORDINATOR), COORDINATORS_ONLY
)  # no administrator needs to allow it
may_export = Permission(
    "may_export",
    lambda user: bool(user.can_export) or has_role(user, Role.COORDINATOR),
    N_("You may not export lists: ask an administrator."),
)  # personal data leaving Bereik: invitation lists, call sheets, keep-warm lists
may_edit_contact = Permission(
    "may_edit_contact",
    lambda user, contact: contact.created_by_id == user.id or has_role(user, Role.COORDINATOR),
    COORDINATORS_ONLY,
)  # staff edit the contacts they logged; coordinators any contact
may_delete_for_good = Permission(
    "may_delete_for_good", _at_least(Role.ADMIN), ADMINISTRATORS_ONLY
)  # actors and contacts, after a confirmation
may_administer = Permission("may_administer", _at_least(Role.ADMIN), ADMINISTRATORS_ONLY)

PERMISSIONS: tuple[Permission, ...] = (
    may_manage_events,
    may_manage_ideas,
    may_archive_actors,
    may_release_any_claim,
    may_read_export_log,
    may_export_by_role,
    may_export,
    may_edit_contact,
    may_delete_for_good,
    may_administer,
)
