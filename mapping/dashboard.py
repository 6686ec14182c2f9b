"""The contact figures of the reach dashboard: reach over time and the channel mix per kind.

Pure functions of plain rows. The database side is two aggregate queries in `mapping.build`
(`load_contact_aggregates`); the results travel in the `Analysis`, and `mapping.figures` draws
them (figures never read the database: docs/architecture.md#where-code-goes).

Months are **Brussels calendar months** (the city's calendar, as people read dates): a contact
at 00:30 on 1 June in Brussels (22:30 UTC on 31 May) counts in June. Stored moments are naive
UTC, so each month is turned into its UTC start and the database buckets with plain
comparisons (`occurred_at >= start`), the same SQL on SQLite and PostgreSQL.

The last month is the one holding "now" (`Analysis.computed_at`): it is still **running**, so
its counts are the month so far (`is_running`); the chart marks it instead of showing a drop.
"""

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from crm.clock import CITY_TIMEZONE
from crm.vocabulary import DIRECT_CHANNELS, Channel, Outcome

MONTHS = 24  # reach over time: the current month and the 23 before it
# Direct channels first, then the others: the channel mix shows them as two blocks.
CHANNEL_ORDER = tuple(
    [str(c) for c in Channel if c in DIRECT_CHANNELS]
    + [str(c) for c in Channel if c not in DIRECT_CHANNELS]
)
DIRECT = frozenset(str(c) for c in DIRECT_CHANNELS)


@dataclass(frozen=True)
class MonthReach:
    """The distinct actors reached in one Brussels calendar month (`month`: its first day)."""

    month: date
    direct: int  # reached directly: a direct channel with outcome `reached`
    reached: int  # reached at all: outcome `reached` on any channel


def month_starts(now: datetime, *, months: int = MONTHS) -> list[tuple[date, datetime]]:
    """The last `months` Brussels calendar months up to the one holding `now` (naive UTC),
    oldest first: (first day, its start as naive UTC)."""
    local = now.replace(tzinfo=UTC).astimezone(CITY_TIMEZONE)
    index = local.year * 12 + local.month - 1
    result = []
    for i in range(index - months + 1, index + 1):
        first = date(i // 12, i % 12 + 1, 1)
        start = datetime(first.year, first.month, 1, tzinfo=CITY_TIMEZONE)
        result.append((first, start.astimezone(UTC).replace(tzinfo=None)))
    return result


def is_running(month: date, now: datetime) -> bool:
    """Whether the Brussels calendar month starting on `month` holds `now` (naive UTC): its
    counts are the month so far, not a whole month."""
    local = now.replace(tzinfo=UTC).astimezone(CITY_TIMEZONE)
    return (month.year, month.month) == (local.year, local.month)


def reach_over_time_from_counts(
    rows: Iterable[tuple[int, int, int]], *, starts: list[tuple[date, datetime]]
) -> list[MonthReach]:
    """Every month of `starts`, from (month index into `starts`, direct, reached) rows as the
    aggregate query returns them; a month without a row has zero, unknown indexes are ignored."""
    counts = {index: (int(d), int(r)) for index, d, r in rows if index is not None}
    return [MonthReach(first, *counts.get(i, (0, 0))) for i, (first, _start) in enumerate(starts)]


def reach_over_time_of_contacts(
    contacts: Iterable[tuple[int, str, str, datetime]], *, now: datetime, months: int = MONTHS
) -> list[MonthReach]:
    """The same figures from single contacts (actor id, channel, outcome, occurred_at as naive
    UTC), counted in Python: the reference the aggregate query is tested against."""
    starts = month_starts(now, months=months)
    bounds = [start for _first, start in starts]
    direct: list[set] = [set() for _ in starts]
    reached: list[set] = [set() for _ in starts]
    for actor_id, channel, outcome, occurred_at in contacts:
        if outcome != Outcome.REACHED or occurred_at > now:
            continue
        index = bisect_right(bounds, occurred_at) - 1
        if index < 0:
            continue
        reached[index].add(actor_id)
        if channel in DIRECT:
            direct[index].add(actor_id)
    return [
        MonthReach(first, len(d), len(r))
        for (first, _start), d, r in zip(starts, direct, reached, strict=True)
    ]


def channel_mix_from_counts(rows: Iterable[tuple[str, str, int]]) -> dict[str, dict[str, int]]:
    """{kind: {channel: contacts}} from (kind, channel, count) rows; channels in CHANNEL_ORDER
    (direct first), unknown channels after them, zero counts left out."""
    mix: dict[str, dict[str, int]] = {}
    for kind, channel, count in rows:
        if count:
            by_channel = mix.setdefault(str(kind), {})
            by_channel[str(channel)] = by_channel.get(str(channel), 0) + int(count)
    rank = {channel: i for i, channel in enumerate(CHANNEL_ORDER)}
    return {
        kind: dict(sorted(counts.items(), key=lambda item: (rank.get(item[0], len(rank)), item[0])))
        for kind, counts in sorted(mix.items())
    }
