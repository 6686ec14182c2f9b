"""The time as Bereik stores it: naive UTC, to the second."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Now, naive UTC without microseconds."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)
