"""`mapping.analyse` on the database (SQLite and PostgreSQL): the graph as stored, few queries,
archived actors and ended relations left out, a cache that is never stale after a write."""

from datetime import date, timedelta

import pytest
from sqlalchemy import event

from crm.actors import set_archived
from crm.contacts import log_contact
from crm.events import create_event
from crm.invitations import add_invitations, mark_attendance
from crm.relations import add_relation
from demo.city import load_demo_data
from mapping import ReachSettings, analyse, clear_cache
from mapping.build import CITY, load_graph
from tests.mapping.conftest import DEFAULTS, NOW, days_ago

PHONE = "+32475123456"


@pytest.fixture
def selects(session):
    """The SELECT statements sent to the database from now on (cleared by calling `.clear()`)."""
    engine = session.get_bind()
    sent: list[str] = []

    def record(_connection, _cursor, statement, _parameters, _context, _executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            sent.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    yield sent
    event.remove(engine, "before_cursor_execute", record)


@pytest.fixture
def contact(session):
    """Log a contact `days` before NOW (default: a phone call that reached them) and commit."""

    def log(actor, days: float, channel: str = "phone", outcome: str = "reached"):
        log_contact(
            session,
            actor_id=actor.id,
            channel=channel,
            outcome=outcome,
            occurred_at=days_ago(days),
            now=NOW,
        )
        session.commit()

    return log


def analysis_of(session, settings=DEFAULTS):
    return analyse(session, settings=settings, now=NOW)


def group(analysis, ident: str):
    return next(g for g in analysis.groups if g.ident == ident)


# --- built from the database --------------------------------------------------------------------


def test_the_graph_holds_every_actor_with_its_district_themes_and_relations(
    session, make_actor, contact
):
    org = make_actor(
        name="Vzw De Vlaskop",
        kind="poverty_organisation",
        district="Sinaai",
        themes=["armoede", "wonen"],
        address="Dijkstraat 4",
        influence=4,
    )
    person = make_actor(name="Mieke Claeys", district="Sinaai", phone=PHONE, do_not_visit=True)
    lone = make_actor(name="Jan Peeters")
    add_relation(session, source_id=person.id, target_id=org.id, type="member_of", strength=3)
    add_relation(session, source_id=org.id, target_id=person.id, type="knows", strength=1)
    session.commit()
    contact(org, days=10, channel="visit")

    G = load_graph(session, settings=DEFAULTS, now=NOW)

    assert sorted(G.nodes, key=str) == sorted([CITY, org.id, person.id, lone.id], key=str)
    assert {k: G.nodes[org.id][k] for k in ("name", "kind", "district", "themes", "status")} == {
        "name": "Vzw De Vlaskop",
        "kind": "poverty_organisation",
        "district": "Sinaai",
        "themes": ("armoede", "wonen"),
        "status": "direct",
    }
    # How each can be reached, by the channel rules (crm.channels) on the stored details.
    assert (G.nodes[org.id]["can_visit"], G.nodes[org.id]["can_call"]) == (True, False)
    assert G.nodes[org.id]["influence"] == 4
    assert (G.nodes[person.id]["can_call"], G.nodes[person.id]["can_visit"]) == (True, False)
    assert G.nodes[lone.id]["district"] is None
    assert G[person.id][org.id]["weight"] == 3  # parallel relations keep the strongest
    assert G[CITY][org.id]["weight"] == round(1 - 10 / 180, 4)
    assert G.number_of_edges() == 2


def test_the_analysis_reads_a_constant_number_of_queries_whatever_the_number_of_actors(
    session, make_actor, contact, selects
):
    first = make_actor(name="Jan Peeters", phone=PHONE)
    contact(first, days=3, outcome="no_answer")
    selects.clear()
    analysis_of(session)
    few = list(selects)

    for n in range(12):
        actor = make_actor(name=f"Resident {n}", phone=PHONE, themes=["wonen"])
        contact(actor, days=n + 1, outcome="no_answer")
        contact(actor, days=n + 2, outcome="left_message")
        add_relation(session, source_id=first.id, target_id=actor.id, type="knows")
    session.commit()
    clear_cache()
    selects.clear()
    analysis = analysis_of(session)

    assert len(analysis.graph) == 14
    # data version, actors, relations, themes, failed calls (the dashboard's aggregates are
    # loaded only with with_contacts=True)
    assert len(selects) == len(few) == 5
    on_contacts = [s for s in selects if "contact_logs" in s]
    assert len(on_contacts) == 1  # failed calls: one aggregate
    assert all("count(" in s.lower() and "group by" in s.lower() for s in on_contacts)


def test_failed_calls_are_counted_in_the_window_and_only_on_the_phone(session, make_actor, contact):
    jan = make_actor(name="Jan Peeters", district="Sinaai", phone=PHONE, address="Kerkstraat 1")
    for name in ("An Claeys", "Bart Maes"):
        make_actor(name=name, district="Sinaai")
    contact(jan, days=3, outcome="no_answer")
    contact(jan, days=20, outcome="left_message")
    contact(jan, days=200, outcome="no_answer")  # outside the window
    contact(jan, days=4, channel="email", outcome="no_answer")  # not a call
    contact(jan, days=5, outcome="planned")  # not a failure

    before = analysis_of(session).recommendation_for(jan.id)
    contact(jan, days=1, outcome="declined")
    after = analysis_of(session).recommendation_for(jan.id)

    assert (before.action, before.reason.render()) == (
        "call",
        "Call again (failed calls so far: 2).",
    )
    assert (after.action, after.reason.render()) == (
        "visit",
        "Failed calls in the reach window: 3. Go and visit.",
    )


# --- the cache ----------------------------------------------------------------------------------


def test_the_cache_returns_the_same_result_while_nothing_changed(session, make_actor):
    make_actor(name="Jan Peeters", phone=PHONE)

    first = analysis_of(session)

    assert analysis_of(session) is first
    assert analysis_of(session, ReachSettings(threshold=0.7)) is not first


def test_the_analysis_is_never_stale_after_a_logged_contact(session, make_actor, contact):
    residents = [
        make_actor(name=name, district="Sinaai", phone=PHONE)
        for name in ("Jan Peeters", "An Claeys", "Bart Maes", "Els Wouters")
    ]
    contact(residents[0], days=30)
    before = analysis_of(session)
    assert analysis_of(session) is before

    log_contact(
        session,
        actor_id=residents[1].id,
        channel="phone",
        outcome="reached",
        occurred_at=days_ago(0.1),
        now=NOW,
    )
    session.commit()
    after = analysis_of(session)

    assert after is not before
    assert after.data_version > before.data_version
    assert (before.status_of(residents[1].id), after.status_of(residents[1].id)) == (
        "none",
        "direct",
    )
    sinaai_before, sinaai_after = (group(a, "district:Sinaai") for a in (before, after))
    assert (sinaai_before.direct, sinaai_before.flag) == (1, "under_reached")
    assert (sinaai_after.direct, sinaai_after.flag) == (2, None)
    assert before.recommendation_for(residents[1].id).action == "call"
    assert after.recommendation_for(residents[1].id) is None
    assert after.recommendations == []


def test_an_analysis_of_uncommitted_writes_is_never_served_to_anyone_else(
    session, make_actor, contact
):
    jan, an, bart = (
        make_actor(name=name, district="Sinaai", phone=PHONE) for name in ("Jan", "An", "Bart")
    )
    before = analysis_of(session)
    log_contact(session, actor_id=jan.id, channel="visit", outcome="reached", now=NOW)
    during = analysis_of(session)  # reads its own write, not yet committed
    session.rollback()

    after_rollback = analysis_of(session)
    contact(an, days=1)  # another change takes the next data version
    after_commit = analysis_of(session)

    assert during.status_of(jan.id) == "direct"
    assert after_rollback is before
    assert (after_commit.status_of(jan.id), after_commit.status_of(an.id)) == ("none", "direct")
    assert after_commit.status_of(bart.id) == "none"


def test_an_archived_actor_is_neither_a_node_nor_in_any_group(session, make_actor, contact):
    residents = [
        make_actor(name=name, district="Belsele", themes=["wonen"])
        for name in ("Jan Peeters", "An Claeys", "Bart Maes")
    ]
    org = make_actor(name="Vzw Ons Huis", kind="poverty_organisation", district="Belsele")
    contact(org, days=2, channel="visit")
    add_relation(session, source_id=residents[0].id, target_id=org.id, type="member_of")
    poor = make_actor(name="Vzw 't Zonnetje", kind="poverty_organisation", address="Ster 1")
    session.commit()
    before = analysis_of(session)

    set_archived(session, org.id, True)
    set_archived(session, poor.id, True)
    session.commit()
    analysis = analysis_of(session)

    assert before.recommendation_for(residents[0].id).introducer_id == org.id
    assert org.id not in analysis.graph and poor.id not in analysis.graph
    assert [g for g in analysis.groups if {org.id, poor.id} & set(g.actor_ids)] == []
    assert analysis.status_of(org.id) is None
    assert analysis.poverty_flagged == []
    assert analysis.recommendation_for(poor.id) is None
    assert analysis.recommendation_for(residents[0].id).action == "find_details"
    assert group(analysis, "district:Belsele").total == 3


def test_ended_relations_no_longer_carry_an_introduction(session, make_actor, contact):
    org = make_actor(name="Chiro Sinaai", kind="civic_association", district="Sinaai")
    contact(org, days=5, channel="meeting")
    left, stays, ends_today = (
        make_actor(name=name, district="Sinaai") for name in ("Jan", "An", "Bart")
    )
    add_relation(
        session,
        source_id=left.id,
        target_id=org.id,
        type="member_of",
        strength=3,
        ends_on=date(2026, 6, 9),
    )
    add_relation(session, source_id=stays.id, target_id=org.id, type="member_of")
    add_relation(
        session, source_id=ends_today.id, target_id=org.id, type="works_for", ends_on=NOW.date()
    )
    session.commit()

    analysis = analysis_of(session)

    assert not analysis.graph.has_edge(left.id, org.id)
    assert {a.id: analysis.recommendation_for(a.id).action for a in (left, stays, ends_today)} == {
        left.id: "find_details",
        stays.id: "introduce",
        ends_today.id: "introduce",
    }


def test_relations_that_have_not_started_yet_carry_no_introduction(session, make_actor, contact):
    org = make_actor(name="Chiro Sinaai", kind="civic_association", district="Sinaai")
    contact(org, days=5, channel="meeting")
    future, started = (make_actor(name=n, district="Sinaai") for n in ("Jan", "An"))
    make_actor(name="Bart", district="Sinaai")
    add_relation(
        session,
        source_id=future.id,
        target_id=org.id,
        type="works_for",
        starts_on=date(2026, 7, 1),
    )
    add_relation(
        session, source_id=started.id, target_id=org.id, type="works_for", starts_on=NOW.date()
    )
    session.commit()

    analysis = analysis_of(session)

    assert analysis.recommendation_for(future.id).action == "find_details"
    assert analysis.recommendation_for(started.id).introducer_id == org.id


# --- the demo city -------------------------------------------------------------------------------


def test_the_demo_city_shows_the_skew_it_was_built_with(clean_db, session):
    with clean_db.begin() as connection:
        load_demo_data(connection, actors=600, contacts=6_000, seed=3, now=NOW)

    analysis = analysis_of(session)
    flags = {g.ident: g.flag for g in analysis.groups}

    assert flags["kind:poverty_organisation"] == "under_reached"
    assert flags["district:Sinaai"] == "under_reached"
    assert flags["district:Nieuwkerken-Waas"] == "under_reached"
    assert flags["kind_district:business/Sint-Niklaas"] is None
    assert flags["kind:business"] is None
    share = {g.ident: g.share_direct for g in analysis.groups}
    assert share["district:Sinaai"] < share["district:Sint-Niklaas"]
    assert share["district:Nieuwkerken-Waas"] < share["district:Belsele"]
    unreached_poverty = set(analysis.poverty_flagged)
    assert unreached_poverty
    assert {r.actor_id for r in analysis.recommendations} >= unreached_poverty


def test_attendance_at_an_event_takes_a_poverty_organisation_off_the_outreach_plan(
    session, make_actor
):
    kompas = make_actor(name="Vzw Kompas", kind="poverty_organisation", phone=PHONE)
    event = create_event(
        session,
        name="Open atelier",
        type="open_atelier",
        starts_at=NOW - timedelta(hours=3),
        capacity=40,
        now=NOW,
    )
    (invitation,) = add_invitations(session, event.id, actor_ids=[kompas.id], now=NOW)
    session.commit()
    before = analyse(session, settings=DEFAULTS, now=NOW)
    assert before.status_of(kompas.id) == "none"
    assert before.recommendation_for(kompas.id).action == "call"  # a phone, no address

    mark_attendance(session, invitation.id, now=NOW)
    session.commit()

    after = analyse(session, settings=DEFAULTS, now=NOW)
    assert after.status_of(kompas.id) == "direct"
    assert after.recommendation_for(kompas.id) is None
    assert kompas.id not in after.poverty_flagged
