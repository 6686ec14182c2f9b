"""An actor's reach status (DESIGN.md §3.1) from its denormalised contact dates."""

from datetime import datetime, timedelta

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
