"""Demo events for a fresh install (`flask bootstrap`): an open atelier last month with its
attendance and ideas, and an idea atelier in two weeks with a balanced list, built with the
same service functions the pages use, so that a first look at Bereik shows every part."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from crm.builder import Criteria, build_invitations, parse_targets
from crm.clock import utcnow
from crm.events import create_event
from crm.ideas import add_status_update, create_idea
from crm.invitations import update_invitation
from crm.vocabulary import InvitationStatus

PAST_TARGETS = {"poverty_organisation": {"min": 4}, "business": {"max": 8}}
UPCOMING_TARGETS = {"poverty_organisation": {"min": 3}, "business": {"max": 5}}
# Of the past atelier's list: every third attended, every seventh did not come (the rest
# confirmed or declined), so that the representation report has something to say.
IDEAS = (
    ("Fietsstraat aan de scholen", "mobiliteit", "in_progress"),
    ("Buurtkeuken in Sinaai", "armoede", "being_worked_out"),
    ("Digitaal café in de bibliotheek", "digitale inclusie", "new"),
)


@dataclass(frozen=True)
class DemoEvents:
    """What `load_demo_events` created."""

    events: int
    invitations: int
    attended: int
    ideas: int


def load_demo_events(
    session: Session, *, user_id: int | None = None, now: datetime | None = None
) -> DemoEvents:
    """Two events with lists, attendance and three ideas (flushes, does not commit)."""
    now = now or utcnow()
    past, past_list = _event_with_list(
        session,
        PAST_TARGETS,
        name="Open atelier slimme stad",
        type="open_atelier",
        starts_at=now - timedelta(days=30),
        place="Stadhuis, Grote Markt 1, Sint-Niklaas",
        capacity=60,
        description="Iedereen welkom: we verzamelen ideeën voor de slimme stad.",
        user_id=user_id,
        now=now,
    )
    attendees = _follow_up(session, past_list, user_id=user_id, now=now)
    _, upcoming_list = _event_with_list(
        session,
        UPCOMING_TARGETS,
        name="Ideeënatelier mobiliteit",
        type="idea_atelier",
        starts_at=(now + timedelta(days=14)).replace(hour=17, minute=0, second=0, microsecond=0),
        place="Bibliotheek Sinaai",
        capacity=25,
        themes=["mobiliteit"],
        user_id=user_id,
        now=now,
    )
    ideas = _ideas(session, past.id, attendees, user_id=user_id, now=now)
    return DemoEvents(
        events=2,
        invitations=len(past_list) + len(upcoming_list),
        attended=len(attendees),
        ideas=ideas,
    )


def _event_with_list(session: Session, targets: dict, **fields):
    """An event and the balanced list the builder proposes for it, with these targets."""
    event = create_event(session, **fields)
    _, invitations = build_invitations(
        session,
        event.id,
        criteria=Criteria(),
        targets=parse_targets(targets),
        user_id=fields.get("user_id"),
        now=fields.get("now"),
    )
    return event, invitations


def _follow_up(session: Session, invitations, *, user_id, now) -> list[int]:
    """Statuses after the atelier; the actor ids of those who came."""
    attendees = []
    for number, invitation in enumerate(invitations):
        if number % 3 == 0:
            status = InvitationStatus.ATTENDED
            attendees.append(invitation.actor_id)
        elif number % 7 == 0:
            status = InvitationStatus.NO_SHOW
        elif number % 5 == 0:
            status = InvitationStatus.DECLINED
        else:
            status = InvitationStatus.CONFIRMED
        update_invitation(session, invitation.id, status=status, user_id=user_id, now=now)
    return attendees


def _ideas(session: Session, event_id: int, attendees: list[int], *, user_id, now) -> int:
    for number, (title, theme, status) in enumerate(IDEAS):
        owners = attendees[number * 2 : number * 2 + 2]
        idea = create_idea(
            session,
            title=title,
            theme=theme,
            event_id=event_id,
            owner_ids=owners,
            user_id=user_id,
            now=now,
        )
        if status != "new":
            add_status_update(
                session,
                idea.id,
                status=status,
                note="Besproken met de trekkers.",
                user_id=user_id,
                now=now,
            )
    return len(IDEAS)
