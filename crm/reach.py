"""An actor's reach status (docs/rules-of-reach.md#reach-status), from its denormalised
contact dates: the rule in Python and its SQL twin, which must agree on every actor
(tests/domain/test_rule_twins.py proves it on generated actors, on both databases)."""

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, false

from crm.models import Actor
from crm.vocabulary import ReachStatus


def window_start(now: datetime, window_days: int) -> datetime:
    """The oldest moment that still counts for reach."""
    return now - timedelta(days=window_days)


def reach_status(
    *,
    last_direct_reached_at: datetime | None,
    last_reached_at: datetime | None,
    last_attempt_at: datetime | None,
    since: datetime,
) -> ReachStatus:
    """`direct`, `digital_only`, `attempted` or `none` for contacts on or after `since`."""
    if last_direct_reached_at is not None and last_direct_reached_at >= since:
        return ReachStatus.DIRECT
    if last_reached_at is not None and last_reached_at >= since:
        return ReachStatus.DIGITAL_ONLY
    if last_attempt_at is not None and last_attempt_at >= since:
        return ReachStatus.ATTEMPTED
    return ReachStatus.NONE


def actor_reach_status(actor, *, now: datetime, window_days: int) -> ReachStatus:
    """The reach status of an `Actor` row."""
    return reach_status(
        last_direct_reached_at=actor.last_direct_reached_at,
        last_reached_at=actor.last_reached_at,
        last_attempt_at=actor.last_attempt_at,
        since=window_start(now, window_days),
    )


def status_condition(status: str, *, since: datetime) -> ColumnElement[bool]:
    """The SQL twin of `reach_status`: the actors whose status is `status` (an unknown status
    matches no actor)."""

    def within(column):
        return column >= since

    def outside(column):
        return column.is_(None) | (column < since)

    direct, reached, attempted = (
        Actor.last_direct_reached_at,
        Actor.last_reached_at,
        Actor.last_attempt_at,
    )
    if status == ReachStatus.DIRECT:
        return within(direct)
    if status == ReachStatus.DIGITAL_ONLY:
        return outside(direct) & within(reached)
    if status == ReachStatus.ATTEMPTED:
        return outside(direct) & outside(reached) & within(attempted)
    if status == ReachStatus.NONE:
        return outside(direct) & outside(reached) & outside(attempted)
    return false()
