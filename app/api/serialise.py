"""Rows as the API's JSON: actors, contacts, relations and pages of them.

Moments are stored as naive UTC and leave as ISO 8601 with a `Z`; dates as YYYY-MM-DD.
"""

from collections.abc import Callable
from datetime import date, datetime

from flask import current_app

from crm.clock import utcnow
from crm.models import Actor, ContactLog, Relation, User
from crm.paging import Page
from crm.reach import actor_reach_status
from crm.validation import display_phone


def moment_json(moment: datetime | None) -> str | None:
    """A stored naive-UTC moment as ISO 8601 UTC: '2025-03-01T09:30:00Z'."""
    return None if moment is None else moment.isoformat(timespec="seconds") + "Z"


def date_json(day: date | None) -> str | None:
    """A date as YYYY-MM-DD."""
    return None if day is None else day.isoformat()


def actor_json(actor: Actor, *, now: datetime | None = None) -> dict:
    """An actor with its reach status in the configured window."""
    status = actor_reach_status(
        actor, now=now or utcnow(), window_days=current_app.config["REACH_WINDOW_DAYS"]
    )
    return {
        "id": actor.id,
        "name": actor.name,
        "kind": actor.kind,
        "district": actor.district.name if actor.district else None,
        "themes": [theme.name for theme in actor.themes],
        "phone": actor.phone,
        "phone_display": display_phone(actor.phone) or None,
        "email": actor.email,
        "address": actor.address,
        "postcode": actor.postcode,
        "preferred_channel": actor.preferred_channel,
        "preferred_language": actor.preferred_language,
        "do_not_phone": actor.do_not_phone,
        "do_not_email": actor.do_not_email,
        "do_not_visit": actor.do_not_visit,
        "influence": actor.influence,
        "interest": actor.interest,
        "notes": actor.notes,
        "archived": actor.archived,
        "reach_status": str(status),
        "last_contact_at": moment_json(actor.last_contact_at),
        "created_at": moment_json(actor.created_at),
        "updated_at": moment_json(actor.updated_at),
        "version": actor.version,
    }


def user_ref_json(user: User | None) -> dict | None:
    """Who did something: id and name only."""
    return None if user is None else {"id": user.id, "name": user.name}


def contact_json(contact: ContactLog) -> dict:
    """One logged contact."""
    return {
        "id": contact.id,
        "actor_id": contact.actor_id,
        "channel": contact.channel,
        "direction": contact.direction,
        "outcome": contact.outcome,
        "occurred_at": moment_json(contact.occurred_at),
        "note": contact.note,
        "follow_up_on": date_json(contact.follow_up_on),
        "created_by": user_ref_json(contact.created_by),
        "created_at": moment_json(contact.created_at),
        "edited_at": moment_json(contact.edited_at),
    }


def relation_json(relation: Relation) -> dict:
    """One relation between two actors."""
    return {
        "id": relation.id,
        "source_id": relation.source_id,
        "target_id": relation.target_id,
        "type": relation.type,
        "strength": relation.strength,
        "starts_on": date_json(relation.starts_on),
        "ends_on": date_json(relation.ends_on),
    }


def page_json(page: Page, item_json: Callable[..., dict]) -> dict:
    """One page of a list with the total that matched."""
    return {
        "items": [item_json(item) for item in page.items],
        "total": page.total,
        "page": page.page,
        "per_page": page.per_page,
    }
