"""The fast paths of mapping/ agree with docs/rules-of-reach.md read literally, on many random
small cities.

`recommend` and `brokers` count neighbours with sparse matrices and `find_introducer` walks two
hops once; here every figure is recomputed the slow, obvious way and compared.
"""

from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from mapping import ReachSettings, analyse_graph
from mapping.build import CITY
from mapping.outreach import (
    POVERTY_FLAG,
    TWO_HOP_DISCOUNT,
    find_introducer,
    next_action,
    priority,
)
from mapping.reach import group_keys
from tests.mapping.conftest import DEFAULTS, NOW, days_ago, graph, row

PROPERTY = settings(deadline=None, database=None, max_examples=150)
KINDS = ("resident", "poverty_organisation", "business")
DISTRICTS = ("Sinaai", "Belsele", None)


@st.composite
def cities(draw):
    """A random small city: actors with random details and contact dates, random relations."""
    n = draw(st.integers(min_value=0, max_value=14))
    actors = []
    for actor_id in range(1, n + 1):
        contact = draw(st.sampled_from(("direct", "digital", "attempted", "none", "old")))
        days = draw(st.integers(min_value=0, max_value=170))
        dates = {
            "direct": {"last_direct_reached_at": days_ago(days), "last_reached_at": days_ago(days)},
            "digital": {"last_reached_at": days_ago(days)},
            "attempted": {"last_attempt_at": days_ago(days)},
            "none": {},
            "old": {"last_direct_reached_at": days_ago(200 + days)},
        }[contact]
        actors.append(
            row(
                actor_id,
                f"Actor {actor_id}",
                draw(st.sampled_from(KINDS)),
                draw(st.sampled_from(DISTRICTS)),
                phone="+32475123456" if draw(st.booleans()) else None,
                address="Kerkstraat 1" if draw(st.booleans()) else None,
                do_not_phone=draw(st.booleans()),
                do_not_visit=draw(st.booleans()),
                preferred_channel=draw(st.sampled_from((None, "visit", "phone"))),
                influence=draw(st.integers(min_value=1, max_value=5)),
                interest=draw(st.integers(min_value=1, max_value=5)),
                **dates,
            )
        )
    ids = st.integers(min_value=1, max_value=max(n, 1))
    relations = draw(
        st.lists(st.tuples(ids, ids, st.integers(min_value=1, max_value=3)), max_size=3 * n)
    )
    themes = {
        a["id"]: draw(st.lists(st.sampled_from(("wonen", "armoede")), unique=True)) for a in actors
    }
    failed = {a["id"]: draw(st.integers(min_value=0, max_value=4)) for a in actors}
    threshold = draw(st.sampled_from((0.3, 0.5, 0.7)))
    return graph(actors, relations, themes=themes, failed_calls=failed), threshold


def slow_introducer(G, actor_id):
    """Every directly reached actor, its best one- or two-hop tie, ranked as
    docs/rules-of-reach.md#who-can-introduce says."""
    best = None
    for candidate in G[CITY]:
        if candidate == actor_id:
            continue
        ties = []
        if G.has_edge(actor_id, candidate):
            ties.append(G[actor_id][candidate]["weight"])
        for middle in G[actor_id]:
            if middle not in (CITY, candidate) and G.has_edge(middle, candidate):
                weaker = min(G[actor_id][middle]["weight"], G[middle][candidate]["weight"])
                ties.append(weaker * TWO_HOP_DISCOUNT)
        if not ties:
            continue
        last = G.nodes[candidate]["last_direct_at"] or datetime.min
        rank = (max(ties), last, -candidate)
        if best is None or rank > best[0]:
            best = (rank, candidate)
    return None if best is None else best[1]


@PROPERTY
@given(cities())
def test_recommendations_follow_the_rules_read_literally(city):
    G, threshold = city
    reach_settings = ReachSettings(threshold=threshold)
    analysis = analyse_graph(G, settings=reach_settings, now=NOW)
    flagged = [g for g in analysis.groups if g.flag == "under_reached"]
    actors = [n for n in G if n != CITY]

    def unreached(n):
        return G.nodes[n]["status"] != "direct"

    expected = {
        n
        for n in actors
        if unreached(n)
        and (G.nodes[n]["kind"] == "poverty_organisation" or any(n in g.actor_ids for g in flagged))
    }
    assert {r.actor_id for r in analysis.recommendations} == expected
    keys = [(-r.priority, r.actor_id) for r in analysis.recommendations]
    assert keys == sorted(keys)
    for r in analysis.recommendations:
        its_groups = [g for g in flagged if r.actor_id in g.actor_ids]
        poverty = (POVERTY_FLAG,) if G.nodes[r.actor_id]["kind"] == "poverty_organisation" else ()
        assert r.groups == tuple(g.ident for g in its_groups) + poverty
        assert r.priority == priority(G, r.actor_id, its_groups, settings=reach_settings, now=NOW)
        assert (r.action, r.reason, r.introducer_id) == next_action(
            G, r.actor_id, settings=reach_settings
        )
        assert r.action in ("visit", "call", "introduce", "find_details")


@PROPERTY
@given(cities())
def test_brokers_are_counted_as_the_rules_say(city):
    G, threshold = city
    analysis = analyse_graph(G, settings=ReachSettings(threshold=threshold), now=NOW)

    expected = []
    for group in analysis.groups:
        if group.flag != "under_reached":
            continue
        to_reach = [m for m in group.actor_ids if G.nodes[m]["status"] != "direct"]
        counts = {b: sum(1 for m in to_reach if G.has_edge(b, m)) for b in G if b != CITY}
        ranked = sorted((-c, b) for b, c in counts.items() if c)[:5]
        expected.extend((group.ident, b, -c) for c, b in ranked)

    found = [(b.group, b.actor_id, b.unreached_neighbours) for b in analysis.brokers]
    assert found == expected


@PROPERTY
@given(cities())
def test_the_introducer_is_the_best_directly_reached_actor_within_two_hops(city):
    G, _ = city
    for actor_id in (n for n in G if n != CITY):
        assert find_introducer(G, actor_id) == slow_introducer(G, actor_id)


@PROPERTY
@given(cities())
def test_every_actor_is_counted_once_in_each_of_its_groups(city):
    G, _ = city
    analysis = analyse_graph(G, settings=DEFAULTS, now=NOW)
    by_ident = {g.ident: g for g in analysis.groups}

    for n in (n for n in G if n != CITY):
        for dimension, key in group_keys(G.nodes[n]):
            assert by_ident[f"{dimension}:{key}"].actor_ids.count(n) == 1
    for g in analysis.groups:
        assert g.total == g.direct + g.digital_only + g.attempted + g.none == len(g.actor_ids)
