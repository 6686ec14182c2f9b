"""The reach dashboard's contact figures (issue 4): reach per Brussels month and the channel mix
per kind, as pure functions of rows, as aggregate queries (SQLite and PostgreSQL) and as
figures of the analysis."""

from datetime import date, datetime, timedelta

import pytest

from crm.actors import set_archived
from crm.contacts import log_contact
from mapping import analyse, analyse_graph
from mapping.build import ContactAggregates
from mapping.dashboard import (
    MonthReach,
    channel_mix_from_counts,
    month_starts,
    reach_over_time_from_counts,
    reach_over_time_of_contacts,
)
from mapping.figures import channel_mix_figure, reach_over_time_figure
from tests.mapping.conftest import DEFAULTS, NOW, graph, row

# NOW is 10 June 2026, 12:00 UTC: the 24 months run from July 2024 to June 2026.


def test_the_months_are_the_last_24_brussels_months_with_their_utc_starts():
    starts = month_starts(NOW)

    assert len(starts) == 24
    assert starts[0] == (date(2024, 7, 1), datetime(2024, 6, 30, 22, 0))  # summer: UTC+2
    assert starts[-1] == (date(2026, 6, 1), datetime(2026, 5, 31, 22, 0))
    assert dict(starts)[date(2026, 1, 1)] == datetime(2025, 12, 31, 23, 0)  # winter: UTC+1
    # 1 June 2026 00:30 in Brussels is still May in UTC, but already June for the city.
    assert month_starts(datetime(2026, 5, 31, 22, 30), months=1) == [
        (date(2026, 6, 1), datetime(2026, 5, 31, 22, 0))
    ]


def test_month_counts_fill_every_month_and_ignore_unknown_indexes():
    starts = month_starts(NOW, months=3)

    assert reach_over_time_from_counts([(2, 4, 7), (0, 0, 1), (None, 9, 9)], starts=starts) == [
        MonthReach(date(2026, 4, 1), 0, 1),
        MonthReach(date(2026, 5, 1), 0, 0),
        MonthReach(date(2026, 6, 1), 4, 7),
    ]


def test_reach_over_time_counts_distinct_actors_per_brussels_month():
    contacts = [
        (1, "phone", "reached", datetime(2026, 5, 31, 22, 30)),  # 00:30 on 1 June in Brussels
        (1, "email", "reached", datetime(2026, 6, 2, 9, 0)),  # the same actor again
        (2, "email", "reached", datetime(2026, 5, 31, 21, 59)),  # 23:59 on 31 May
        (2, "phone", "no_answer", datetime(2026, 6, 1, 9, 0)),  # not reached
        (3, "visit", "reached", datetime(2024, 6, 30, 21, 59)),  # June 2024: too old
        (3, "visit", "reached", datetime(2024, 6, 30, 22, 0)),  # 1 July 2024 in Brussels
        (4, "meeting", "reached", NOW + timedelta(hours=1)),  # in the future
    ]

    months = reach_over_time_of_contacts(contacts, now=NOW)

    assert len(months) == 24
    assert months[0] == MonthReach(date(2024, 7, 1), direct=1, reached=1)
    assert months[-2] == MonthReach(date(2026, 5, 1), direct=0, reached=1)
    assert months[-1] == MonthReach(date(2026, 6, 1), direct=1, reached=1)
    assert all(m.direct == m.reached == 0 for m in months[1:-2])


def test_channel_mix_puts_direct_channels_first_and_drops_zeros():
    rows = [
        ("resident", "email", 5),
        ("resident", "phone", 3),
        ("business", "visit", 2),
        ("resident", "sms", 0),
        ("resident", "visit", 1),
    ]

    mix = channel_mix_from_counts(rows)

    assert mix == {"business": {"visit": 2}, "resident": {"phone": 3, "visit": 1, "email": 5}}
    assert list(mix["resident"]) == ["phone", "visit", "email"]


# --- figures ------------------------------------------------------------------------------------


def dashboard_analysis():
    starts = month_starts(NOW, months=24)
    contacts = ContactAggregates(
        reach_over_time=reach_over_time_from_counts([(0, 1, 2), (23, 3, 5)], starts=starts),
        channel_mix={
            "resident": {"phone": 3, "visit": 1, "email": 4},
            "poverty_organisation": {"visit": 2},
        },
    )
    G = graph([row(1, "Jan Peeters"), row(2, "Vzw Recht", kind="poverty_organisation")])
    return analyse_graph(G, settings=DEFAULTS, now=NOW, contacts=contacts)


def test_reach_over_time_figure_has_one_line_per_measure_and_translated_labels():
    fig = reach_over_time_figure(dashboard_analysis(), translate=lambda s: f"<{s}>")

    # Each measure: the 23 finished months as a line, then June 2026 (NOW's month) on its own.
    direct, direct_now, reached, reached_now = fig.data
    assert list(direct.x[:1]) + list(direct.x[-1:]) == ["2024-07", "2026-05"]
    assert len(direct.x) == 23
    assert direct.y.tolist() == [1] + [0] * 22
    assert reached.y.tolist() == [2] + [0] * 22
    assert (list(direct_now.x), direct_now.y.tolist()) == (["2026-06 <(running)>"], [3])
    assert (list(reached_now.x), reached_now.y.tolist()) == (["2026-06 <(running)>"], [5])
    assert (direct.name, reached.name) == ("<Reached directly>", "<Reached at all>")
    assert direct.line.dash != reached.line.dash  # told apart without colour
    assert fig.layout.title.text == "<Actors reached per month>"
    assert fig.layout.xaxis.title.text == "<Month>"
    assert fig.layout.yaxis.title.text == "<Actors reached>"


def test_an_analysis_without_contacts_has_24_empty_months():
    analysis = analyse_graph(graph([row(1, "Jan Peeters")]), settings=DEFAULTS, now=NOW)

    assert len(analysis.reach_over_time) == 24
    assert analysis.channel_mix == {}
    fig = reach_over_time_figure(analysis)
    assert fig.data[0].y.tolist() == [0] * 23  # the finished months
    assert fig.data[1].y.tolist() == [0]  # the running month


def test_channel_mix_figure_stacks_shares_per_kind_direct_channels_first():
    fig = channel_mix_figure(dashboard_analysis(), translate=lambda s: f"<{s}>")

    assert fig.layout.barmode == "stack"
    assert [t.meta["channel"] for t in fig.data] == ["phone", "visit", "email"]
    by_channel = {t.meta["channel"]: t for t in fig.data}
    # Kinds in vocabulary order: poverty organisations after residents.
    assert list(by_channel["phone"].y) == ["<Resident>", "<Poverty organisation>"]
    assert by_channel["phone"].x.tolist() == pytest.approx([3 / 8, 0])
    assert by_channel["visit"].x.tolist() == pytest.approx([1 / 8, 1])
    assert by_channel["email"].x.tolist() == pytest.approx([4 / 8, 0])
    assert list(by_channel["visit"].customdata) == [1, 2]
    assert [t.orientation for t in fig.data] == ["h"] * 3
    assert [t.legendgroup for t in fig.data] == ["direct", "direct", "other"]
    assert by_channel["email"].legendgrouptitle.text == "<Other channels>"
    assert by_channel["email"].marker.pattern.shape == "/"
    assert by_channel["phone"].marker.pattern.shape == ""
    assert by_channel["phone"].name == "<Phone>"
    assert fig.layout.title.text == "<Contacts per channel and kind>"
    assert fig.layout.xaxis.title.text == "<Share of contacts>"
    assert fig.layout.yaxis.title.text == "<Kind>"
    assert fig.layout.meta == {"totals": [8, 2]}


# --- on the database (SQLite and PostgreSQL) ------------------------------------------------------


def log(session, actor, channel, outcome, occurred_at):
    log_contact(
        session,
        actor_id=actor.id,
        channel=channel,
        outcome=outcome,
        occurred_at=occurred_at,  # a naive datetime object is UTC
        now=NOW,
    )


def test_the_analysis_carries_reach_per_month_and_the_channel_mix(session, make_actor):
    jan = make_actor(name="Jan Peeters")
    vzw = make_actor(name="Vzw Recht", kind="poverty_organisation")
    gone = make_actor(name="Archived actor")
    contacts = [
        (jan, "phone", "reached", datetime(2026, 5, 31, 22, 30)),  # June in Brussels
        (jan, "email", "reached", datetime(2026, 6, 2, 9, 0)),
        (jan, "phone", "no_answer", datetime(2026, 6, 3, 9, 0)),
        (jan, "visit", "planned", datetime(2026, 6, 4, 9, 0)),
        (vzw, "email", "reached", datetime(2026, 5, 31, 21, 59)),  # still May
        (vzw, "visit", "reached", datetime(2026, 1, 15, 10, 0)),
        (vzw, "visit", "reached", datetime(2025, 11, 1, 10, 0)),  # before the 180-day window
        (vzw, "visit", "reached", datetime(2024, 6, 30, 22, 0)),  # 1 July 2024 in Brussels
        (vzw, "visit", "reached", datetime(2024, 6, 30, 21, 0)),  # June 2024: too old
        (gone, "visit", "reached", datetime(2026, 6, 1, 9, 0)),  # archived: not counted
    ]
    for actor, channel, outcome, moment in contacts:
        log(session, actor, channel, outcome, moment)
    set_archived(session, gone.id, True)
    session.commit()

    analysis = analyse(session, settings=DEFAULTS, now=NOW, with_contacts=True)

    months = {m.month: (m.direct, m.reached) for m in analysis.reach_over_time}
    assert len(analysis.reach_over_time) == 24
    assert {month: counts for month, counts in months.items() if counts != (0, 0)} == {
        date(2024, 7, 1): (1, 1),
        date(2025, 11, 1): (1, 1),
        date(2026, 1, 1): (1, 1),
        date(2026, 5, 1): (0, 1),
        date(2026, 6, 1): (1, 1),
    }
    kept = [(a.id, c, o, t) for a, c, o, t in contacts if a is not gone]
    assert analysis.reach_over_time == reach_over_time_of_contacts(kept, now=NOW)
    assert analysis.channel_mix == {
        "poverty_organisation": {"visit": 1, "email": 1},
        "resident": {"phone": 2, "email": 1},
    }


def test_a_new_contact_shows_in_the_dashboard_figures_at_once(session, make_actor):
    jan = make_actor(name="Jan Peeters")
    log(session, jan, "email", "reached", datetime(2026, 6, 1, 9, 0))
    session.commit()
    before = analyse(session, settings=DEFAULTS, now=NOW, with_contacts=True)
    assert before.reach_over_time[-1] == MonthReach(date(2026, 6, 1), 0, 1)

    log(session, jan, "visit", "reached", datetime(2026, 6, 5, 9, 0))
    session.commit()
    after = analyse(session, settings=DEFAULTS, now=NOW, with_contacts=True)

    assert after is not before
    assert after.reach_over_time[-1] == MonthReach(date(2026, 6, 1), 1, 1)
    assert after.channel_mix == {"resident": {"visit": 1, "email": 1}}
    running_direct = reach_over_time_figure(after).data[1]
    assert running_direct.meta == {"series": "direct", "running": True}
    assert running_direct.y.tolist() == [1]
