"""Tiny literal stakeholder graphs for the reach analysis (mapping/), and a fixed `now`."""

from datetime import datetime, timedelta

import pytest

from mapping import clear_cache
from mapping.build import graph_from_rows
from mapping.settings import ReachSettings

# A fixed "now" (naive UTC, as Bereik stores time), the same as the domain tests'.
NOW = datetime(2026, 6, 10, 12, 0, 0)
DEFAULTS = ReachSettings()  # window 180 days, threshold 0.5, min group size 3, 3 failed calls


def days_ago(days: float) -> datetime:
    """A moment `days` before NOW."""
    return NOW - timedelta(days=days)


def row(
    actor_id: int,
    name: str,
    kind: str = "resident",
    district: str | None = "Sint-Niklaas",
    **fields,
) -> dict:
    """An actor row as `mapping.build.load_graph` reads it; every field not given is empty."""
    return {
        "id": actor_id,
        "name": name,
        "kind": kind,
        "district": district,
        "phone": None,
        "address": None,
        "do_not_phone": False,
        "do_not_visit": False,
        "preferred_channel": None,
        "influence": 3,
        "interest": 3,
        "last_direct_reached_at": None,
        "last_reached_at": None,
        "last_attempt_at": None,
    } | fields


def direct(days: float) -> dict:
    """The contact dates of an actor last reached in a conversation `days` ago."""
    moment = days_ago(days)
    return {"last_direct_reached_at": moment, "last_reached_at": moment}


def digital(days: float) -> dict:
    """The contact dates of an actor last reached by e-mail (only) `days` ago."""
    return {"last_reached_at": days_ago(days)}


def attempted(days: float) -> dict:
    """The contact dates of an actor whose last (failed) try was `days` ago."""
    return {"last_attempt_at": days_ago(days)}


def graph(actors, relations=(), *, themes=None, failed_calls=None, settings=DEFAULTS, now=NOW):
    """The stakeholder graph of literal rows."""
    return graph_from_rows(
        actors,
        relations,
        themes=themes,
        failed_calls=failed_calls,
        settings=settings,
        now=now,
    )


@pytest.fixture(autouse=True)
def forget_cached_analyses():
    """Every test starts without cached results (the cache is per process)."""
    clear_cache()
    yield
    clear_cache()


def dashboard_rows() -> list[dict]:
    """Residents: 2 of 4 reached directly over two districts; businesses: 1 of 3."""
    return [
        row(1, "R1", **direct(5)),
        row(2, "R2", **digital(5)),
        row(3, "R3", district="Sinaai", **direct(5)),
        row(4, "R4", district="Sinaai"),
        row(5, "B1", kind="business", **direct(5)),
        row(6, "B2", kind="business"),
        row(7, "B3", kind="business", **attempted(5)),
    ]
