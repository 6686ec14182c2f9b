"""Rows as the API's JSON: actors, contacts, relations, pages of them, reach analyses, and
events with their invitation lists and representation reports.

Moments are stored as naive UTC and leave as ISO 8601 with a `Z`; dates as YYYY-MM-DD.
"""

from collections.abc import Callable, Mapping
from datetime import date, datetime

from flask import current_app

from app.i18n import translate_message
from crm.builder import MixRow, Proposal
from crm.clock import utcnow
from crm.messages import Message
from crm.models import Actor, ContactLog, Event, Invitation, Relation, User
from crm.paging import Page
from crm.reach import actor_reach_status
from crm.representation import Representation, RepresentationRow
from crm.validation import display_phone
from crm.vocabulary import LEFT_OUT_REASON_LABELS as LEFT_OUT_REASONS
from mapping import Analysis, ReachSettings
from mapping.outreach import Broker, Recommendation
from mapping.reach import GroupReach, group_name


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


# --- reach (docs/rules-of-reach.md): figures and recommendations of mapping.analyse -----------


def reach_settings_json(settings: ReachSettings) -> dict:
    """The thresholds the analysis used."""
    return {
        "window_days": settings.window_days,
        "threshold": settings.threshold,
        "min_group_size": settings.min_group_size,
        "max_failed_calls": settings.max_failed_calls,
    }


def group_reach_json(group: GroupReach) -> dict:
    """One group's reach figures, its flag and its sentence in the user's language."""
    return {
        "ident": group.ident,
        "dimension": group.dimension,
        "key": group.key,
        "name": translate_message(group_name(group.dimension, group.key)),
        "total": group.total,
        "direct": group.direct,
        "digital_only": group.digital_only,
        "attempted": group.attempted,
        "none": group.none,
        "share_direct": group.share_direct,
        "flag": group.flag,
        "sentence": translate_message(group.sentence),
    }


def recommendation_json(recommendation: Recommendation, analysis: Analysis) -> dict:
    """One recommended next action, with the names a person needs to act on it."""
    actor = analysis.actor(recommendation.actor_id)
    introducer = recommendation.introducer_id
    return {
        "actor_id": recommendation.actor_id,
        "name": actor["name"],
        "kind": actor["kind"],
        "district": actor["district"],
        "status": actor["status"],
        "action": recommendation.action,
        "introducer_id": introducer,
        "introducer_name": None if introducer is None else analysis.actor(introducer)["name"],
        "reason": translate_message(recommendation.reason),
        "priority": recommendation.priority,
        "groups": list(recommendation.groups),
    }


def broker_json(broker: Broker, analysis: Analysis) -> dict:
    """An actor linked to many unreached members of an under-reached group."""
    return {
        "actor_id": broker.actor_id,
        "name": analysis.actor(broker.actor_id)["name"],
        "group": broker.group,
        "unreached_neighbours": broker.unreached_neighbours,
    }


def actor_reach_json(analysis: Analysis, actor_id: int, groups: list[GroupReach]) -> dict:
    """An actor's reach status and its one recommended next action (nulls when none).

    `groups` are the groups the actor belongs to, as `member_of`.
    """
    actor = analysis.actor(actor_id)
    recommendation = analysis.recommendation_for(actor_id)
    advice = (
        recommendation_json(recommendation, analysis)
        if recommendation
        else dict.fromkeys(("action", "introducer_id", "introducer_name", "reason", "priority"))
        | {"groups": []}
    )
    return {
        "actor_id": actor_id,
        "name": actor["name"],
        "status": actor["status"],
        "poverty_flagged": actor_id in analysis.poverty_flagged,
        "action": advice["action"],
        "introducer_id": advice["introducer_id"],
        "introducer_name": advice["introducer_name"],
        "reason": advice["reason"],
        "priority": advice["priority"],
        "groups": advice["groups"],
        "member_of": [group_reach_json(group) for group in groups],
        "data_version": analysis.data_version,
    }


# --- events and invitation lists (issue 5) -------------------------------------------------------


def event_json(event: Event, *, counts: Mapping[str, int] | None = None) -> dict:
    """An event; with `counts` also how many invitations have each status."""
    data = {
        "id": event.id,
        "name": event.name,
        "type": event.type,
        "starts_at": moment_json(event.starts_at),
        "place": event.place,
        "capacity": event.capacity,
        "themes": [theme.name for theme in event.themes],
        "description": event.description,
        "created_at": moment_json(event.created_at),
        "updated_at": moment_json(event.updated_at),
        "version": event.version,
    }
    if counts is not None:
        data["invitation_counts"] = dict(counts)
    return data


def invitation_json(invitation: Invitation) -> dict:
    """One actor on an event's list: the channel to invite them by and the status."""
    return {
        "id": invitation.id,
        "event_id": invitation.event_id,
        "actor_id": invitation.actor_id,
        "channel": invitation.channel,
        "channel_overridden": invitation.channel_overridden,
        "status": invitation.status,
    }


def mix_row_json(row: MixRow) -> dict:
    """One kind on a built list against its target."""
    return {
        "kind": row.kind,
        "count": row.count,
        "min": row.min,
        "max": row.max,
        "available": row.available,
        "below_min": row.below_min,
        "above_max": row.above_max,
    }


def proposal_json(proposal: Proposal) -> dict:
    """What the builder weighed: the mix against the targets, warnings and who was left out."""
    return {
        "capacity": proposal.capacity,
        "already_listed": proposal.already_listed,
        "mix": [mix_row_json(row) for row in proposal.mix],
        "warnings": [translate_message(warning) for warning in proposal.warnings],
        "left_out": [
            {
                "reason": reason,
                "label": translate_message(Message(LEFT_OUT_REASONS[reason])),
                "count": proposal.left_out[reason],
            }
            for reason in LEFT_OUT_REASONS
            if proposal.left_out.get(reason)
        ],
    }


def representation_row_json(row: RepresentationRow) -> dict:
    """One kind or district at an event: known, listed, invited, confirmed, attended."""
    return {
        "dimension": row.dimension,
        "key": row.key,
        "known": row.known,
        "listed": row.listed,
        "invited": row.invited,
        "confirmed": row.confirmed,
        "attended": row.attended,
        "share_attended": row.share_attended,
        "sentence": translate_message(row.sentence),
    }


def representation_json(report: Representation) -> dict:
    """Who came, per kind and per district, against the stakeholder map."""
    return {
        "event": event_json(report.event),
        "by_kind": [representation_row_json(row) for row in report.by_kind],
        "by_district": [representation_row_json(row) for row in report.by_district],
    }
