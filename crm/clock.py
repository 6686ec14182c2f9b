"""The time as Bereik stores it (naive UTC, to the second) and the city's calendar."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

# The city's time zone: what a person typed without an offset, and the calendar follow-ups,
# status updates and the dashboard's months are read on.
CITY_TIMEZONE = ZoneInfo("Europe/Brussels")


def utcnow() -> datetime:
    """Now, naive UTC without microseconds."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def today_in_city(now: datetime | None = None) -> date:
    """Today's date in Brussels (follow-ups are dates people read on a calendar)."""
    moment = (now or utcnow()).replace(tzinfo=UTC)
    return moment.astimezone(CITY_TIMEZONE).date()
