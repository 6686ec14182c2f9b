"""One next action per actor to reach, whom to ask, in which order; brokers
(docs/rules-of-reach.md#the-next-action)."""

import pytest

from crm.messages import Message
from mapping import ReachSettings, analyse_graph
from mapping.outreach import (
    POVERTY_FLAG,
    TWO_HOP_DISCOUNT,
    Broker,
    Recommendation,
    brokers,
    find_introducer,
    next_action,
    priority,
    recommend,
)
from mapping.reach import group_reach, unreached_poverty_organisations
from tests.mapping.conftest import (
    DEFAULTS,
    NOW,
    attempted,
    digital,
    direct,
    graph,
    row,
)

PHONE = "+32475123456"
ADDRESS = "Dijkstraat 4, 9112 Sinaai"


def action_of(G, actor_id, settings=DEFAULTS) -> tuple:
    """(action, reason as read, introducer) for one actor."""
    action, reason, introducer = next_action(G, actor_id, settings=settings)
    return action, reason.render(), introducer


def analysis_of(G, settings=DEFAULTS):
    return analyse_graph(G, settings=settings, now=NOW)


# --- the "Done when" points -------------------------------------------------------------------


def test_poverty_organisation_reached_by_email_only_is_flagged_and_gets_a_visit():
    G = graph(
        [
            row(
                1,
                "Vzw De Vlaskop",
                "poverty_organisation",
                "Sinaai",
                phone=PHONE,
                address=ADDRESS,
                **digital(12),
            )
        ]
    )

    analysis = analysis_of(G)

    assert analysis.status_of(1) == "digital_only"
    assert unreached_poverty_organisations(G) == analysis.poverty_flagged == [1]
    assert analysis.recommendations == [
        Recommendation(
            actor_id=1,
            action="visit",
            reason=Message("Poverty organisations are reached in person: visit them."),
            priority=50.0,
            introducer_id=None,
            groups=(POVERTY_FLAG,),
        )
    ]
    assert analysis.recommendation_for(1) is analysis.recommendations[0]


def test_resident_with_a_valid_phone_and_no_tries_gets_call():
    G = graph([row(1, "Jan Peeters", phone=PHONE, address=ADDRESS)])

    assert action_of(G, 1) == ("call", "A phone number is known: call.", None)


def test_resident_with_two_failed_calls_is_called_again():
    G = graph([row(1, "Jan Peeters", phone=PHONE, address=ADDRESS)], failed_calls={1: 2})

    assert action_of(G, 1) == ("call", "Call again (failed calls so far: 2).", None)


def test_resident_after_three_failed_calls_gets_visit_at_the_known_address():
    G = graph(
        [row(1, "Jan Peeters", phone=PHONE, address=ADDRESS, **attempted(3))],
        failed_calls={1: 3},
    )

    assert action_of(G, 1) == ("visit", "Failed calls in the reach window: 3. Go and visit.", None)


def test_resident_after_three_failed_calls_without_address_is_not_called_again():
    G = graph([row(1, "Jan Peeters", phone=PHONE, **attempted(3))], failed_calls={1: 3})

    assert action_of(G, 1) == (
        "find_details",
        "No way to reach them yet: find a phone number or address.",
        None,
    )


def test_the_number_of_failed_calls_before_a_visit_is_a_setting():
    G = graph([row(1, "Jan Peeters", phone=PHONE, address=ADDRESS)], failed_calls={1: 3})

    assert action_of(G, 1, ReachSettings(max_failed_calls=4))[0] == "call"
    assert action_of(G, 1, ReachSettings(max_failed_calls=2))[0] == "visit"


def test_unreachable_actor_linked_to_a_directly_reached_organisation_gets_introduce():
    G = graph(
        [
            row(1, "Mieke Claeys", "resident", "Sinaai"),
            row(2, "Buurtwerk Tereken", "civic_association", "Sinaai", **direct(20)),
        ],
        [(1, 2, 2)],
    )

    assert action_of(G, 1) == (
        "introduce",
        "Ask Buurtwerk Tereken, who is reached directly, for an introduction.",
        2,
    )


def test_nobody_to_call_visit_or_ask_gives_find_details():
    G = graph([row(1, "Mieke Claeys"), row(2, "Jan Peeters")], [(1, 2, 3)])

    assert action_of(G, 1) == (
        "find_details",
        "No way to reach them yet: find a phone number or address.",
        None,
    )


# --- visit -----------------------------------------------------------------------------------


def test_actor_without_phone_but_with_an_address_gets_visit():
    G = graph([row(1, "Jan Peeters", address=ADDRESS)])

    assert action_of(G, 1) == (
        "visit",
        "No phone number to call, but the address is known.",
        None,
    )


def test_a_blank_address_is_no_address():
    G = graph([row(1, "Jan Peeters", address="   ")])

    assert action_of(G, 1)[0] == "find_details"


def test_actor_who_prefers_a_visit_gets_visit_even_with_a_phone():
    G = graph([row(1, "Jan Peeters", phone=PHONE, address=ADDRESS, preferred_channel="visit")])

    assert action_of(G, 1) == ("visit", "Prefers a visit.", None)


def test_actor_who_prefers_a_visit_but_has_no_address_is_called():
    G = graph([row(1, "Jan Peeters", phone=PHONE, preferred_channel="visit")])

    assert action_of(G, 1)[0] == "call"


def test_poverty_organisation_is_visited_even_with_a_phone_and_no_failed_calls():
    G = graph([row(1, "Vzw Ons Huis", "poverty_organisation", phone=PHONE, address=ADDRESS)])

    assert action_of(G, 1)[0] == "visit"


def test_poverty_organisation_without_address_is_called():
    G = graph([row(1, "Vzw Ons Huis", "poverty_organisation", phone=PHONE)])

    assert action_of(G, 1) == ("call", "A phone number is known: call.", None)


# --- do not phone, do not visit ----------------------------------------------------------------


def test_do_not_phone_is_respected_the_address_is_visited():
    G = graph([row(1, "Jan Peeters", phone=PHONE, address=ADDRESS, do_not_phone=True)])

    assert action_of(G, 1) == (
        "visit",
        "No phone number to call, but the address is known.",
        None,
    )


def test_do_not_phone_without_address_is_never_a_call():
    G = graph([row(1, "Jan Peeters", phone=PHONE, do_not_phone=True)])

    assert action_of(G, 1)[0] == "find_details"


def test_do_not_visit_is_respected_a_poverty_organisation_is_called():
    G = graph(
        [
            row(
                1,
                "Vzw Ons Huis",
                "poverty_organisation",
                phone=PHONE,
                address=ADDRESS,
                do_not_visit=True,
            )
        ]
    )

    assert action_of(G, 1) == ("call", "A phone number is known: call.", None)


def test_do_not_visit_after_three_failed_calls_asks_for_an_introduction():
    G = graph(
        [
            row(1, "Jan Peeters", phone=PHONE, address=ADDRESS, do_not_visit=True),
            row(2, "KWB Sinaai", "civic_association", **direct(3)),
        ],
        [(2, 1, 1)],
        failed_calls={1: 5},
    )

    assert action_of(G, 1)[0::2] == ("introduce", 2)


def test_do_not_visit_and_do_not_phone_leave_nothing_but_details():
    G = graph(
        [
            row(
                1,
                "Jan Peeters",
                phone=PHONE,
                address=ADDRESS,
                preferred_channel="visit",
                do_not_phone=True,
                do_not_visit=True,
            )
        ]
    )

    assert action_of(G, 1)[0] == "find_details"


# --- whom to ask for an introduction -----------------------------------------------------------


def test_the_strongest_tie_is_asked_first():
    G = graph(
        [
            row(1, "Mieke Claeys"),
            row(2, "Chiro Sinaai", "civic_association", **direct(5)),
            row(3, "Okra Sinaai", "civic_association", **direct(100)),
        ],
        [(1, 2, 1), (1, 3, 3)],
    )

    assert find_introducer(G, 1) == 3


def test_among_equally_strong_ties_the_most_recent_direct_contact_is_asked():
    G = graph(
        [
            row(1, "Mieke Claeys"),
            row(2, "Chiro Sinaai", "civic_association", **direct(100)),
            row(3, "Okra Sinaai", "civic_association", **direct(5)),
        ],
        [(1, 2, 2), (1, 3, 2)],
    )

    assert find_introducer(G, 1) == 3


@pytest.mark.parametrize(
    ("older", "newer"),
    [
        (178, 175),  # both at the end of the window, where the city weight bottoms out
        (10.0035, 10),  # five minutes apart, closer than the city weight's rounding
    ],
)
def test_recency_is_the_exact_moment_of_the_last_direct_contact(older, newer):
    G = graph(
        [
            row(1, "Mieke Claeys"),
            row(2, "Chiro Sinaai", "civic_association", **direct(older)),
            row(3, "Okra Sinaai", "civic_association", **direct(newer)),
        ],
        [(1, 2, 2), (1, 3, 2)],
    )

    assert find_introducer(G, 1) == 3


def test_one_hop_beats_a_weak_two_hop_path():
    # Two hops count as the weaker of both ties, discounted: min(3, 1) * 0.5 = 0.5 < 1.
    G = graph(
        [
            row(1, "Mieke Claeys"),
            row(2, "Chiro Sinaai", "civic_association", **direct(150)),
            row(3, "Jan Peeters"),
            row(4, "Okra Sinaai", "civic_association", **direct(1)),
        ],
        [(1, 2, 1), (1, 3, 3), (3, 4, 1)],
    )

    assert TWO_HOP_DISCOUNT == 0.5
    assert find_introducer(G, 1) == 2


def test_a_strong_two_hop_path_beats_a_weak_direct_tie():
    # min(3, 3) * 0.5 = 1.5 > 1: a close friend's close friend is the better introduction.
    G = graph(
        [
            row(1, "Mieke Claeys"),
            row(2, "Chiro Sinaai", "civic_association", **direct(1)),
            row(3, "Jan Peeters"),
            row(4, "Okra Sinaai", "civic_association", **direct(150)),
        ],
        [(1, 2, 1), (1, 3, 3), (3, 4, 3)],
    )

    assert find_introducer(G, 1) == 4


def test_an_actor_two_hops_away_is_introduced_by_name():
    G = graph(
        [
            row(1, "Mieke Claeys"),
            row(2, "Jan Peeters"),
            row(3, "Vzw De Vlaskop", "poverty_organisation", **direct(30)),
        ],
        [(1, 2, 2), (2, 3, 3)],
    )

    assert action_of(G, 1) == (
        "introduce",
        "Ask Vzw De Vlaskop, who is reached directly, for an introduction.",
        3,
    )


def test_three_hops_is_too_far_for_an_introduction():
    G = graph(
        [
            row(1, "Mieke Claeys"),
            row(2, "Jan Peeters"),
            row(3, "An Claeys"),
            row(4, "Vzw De Vlaskop", "poverty_organisation", **direct(30)),
        ],
        [(1, 2, 3), (2, 3, 3), (3, 4, 3)],
    )

    assert find_introducer(G, 1) is None


def test_the_city_node_is_never_a_way_to_an_introducer():
    G = graph(
        [
            row(1, "Mieke Claeys", **direct(3)),
            row(2, "Chiro Sinaai", "civic_association", **direct(5)),
        ]
    )

    assert find_introducer(G, 1) is None


def test_equal_introducers_are_chosen_by_lowest_id_whatever_the_order_of_relations():
    rows = [
        row(1, "Mieke Claeys"),
        row(5, "Chiro Sinaai", "civic_association", **direct(7)),
        row(3, "Okra Sinaai", "civic_association", **direct(7)),
    ]

    assert find_introducer(graph(rows, [(1, 5, 2), (1, 3, 2)]), 1) == 3
    assert find_introducer(graph(rows, [(1, 3, 2), (1, 5, 2)]), 1) == 3
    assert find_introducer(graph(rows[::-1], [(3, 1, 2), (5, 1, 2)]), 1) == 3


# --- recommendations -------------------------------------------------------------------------


def belsele_residents() -> list[dict]:
    """Five residents in Belsele, one reached directly: every group of theirs is under-reached."""
    return [
        row(1, "Jan Peeters", district="Belsele", influence=5, interest=5, phone=PHONE),
        row(2, "An Claeys", district="Belsele", address=ADDRESS, **direct(270)),
        row(3, "Bart Maes", district="Belsele", influence=1, interest=1, **direct(200)),
        row(4, "Els Wouters", district="Belsele"),
        row(5, "Tom Aerts", district="Belsele", **direct(10)),
    ]


def test_recommendations_are_ranked_by_priority_highest_first():
    # Priority: half power/interest, a quarter centrality in the group, a quarter staleness.
    # 1: (5+5-2)/8 = 1, 2 of 4 others linked = 0.5, never reached = 1 -> 50 + 12.5 + 25 = 87.5
    # 2: 0.5, 1/4, 270 of 360 days = 0.75 -> 25 + 6.25 + 18.75 = 50.0
    # 4: 0.5, 0, never -> 25 + 0 + 25 = 50.0 (after 2: equal priorities go by id)
    # 3: 0, 1/4, 200/360 -> 0 + 6.25 + 13.89 = 20.1
    G = graph(belsele_residents(), [(1, 2, 1), (1, 3, 2)])

    ranked = [(r.actor_id, r.priority) for r in analysis_of(G).recommendations]

    assert ranked == [(1, 87.5), (2, 50.0), (4, 50.0), (3, 20.1)]


def test_every_actor_not_reached_directly_in_an_under_reached_group_gets_one_action():
    G = graph(belsele_residents(), [(1, 2, 1), (1, 3, 2)])

    recommendations = analysis_of(G).recommendations

    assert {r.actor_id: r.action for r in recommendations} == {
        1: "call",
        2: "visit",
        3: "find_details",
        4: "find_details",
    }
    assert {r.groups for r in recommendations} == {
        ("district:Belsele", "kind:resident", "kind_district:resident/Belsele")
    }
    assert all(r.action in ("visit", "call", "introduce", "find_details") for r in recommendations)


def test_actors_of_groups_that_are_not_under_reached_get_no_recommendation():
    G = graph(
        [
            row(1, "Bakkerij Maes", "business", "Belsele", phone=PHONE, **digital(3)),
            row(2, "Garage Claeys", "business", "Belsele", **direct(3)),
            row(3, "Drukkerij Aerts", "business", "Belsele", **direct(3)),
            row(4, "Jan Peeters", "resident", "Sinaai", phone=PHONE),  # too few known
            row(5, "An Claeys", "resident", "Sinaai", phone=PHONE),
        ]
    )

    assert analysis_of(G).recommendations == []


def test_a_poverty_organisation_in_an_under_reached_group_lists_its_groups_and_the_flag():
    G = graph(
        [
            row(n, f"Vzw {n}", "poverty_organisation", "Sinaai", address=ADDRESS, **digital(9))
            for n in (1, 2, 3)
        ]
    )

    recommendation = analysis_of(G).recommendation_for(2)

    assert recommendation.groups == (
        "district:Sinaai",
        "kind:poverty_organisation",
        "kind_district:poverty_organisation/Sinaai",
        POVERTY_FLAG,
    )
    assert recommendation.action == "visit"


def test_priority_staleness_is_capped_and_a_lone_poverty_organisation_has_no_centrality():
    G = graph(
        [
            row(
                1,
                "Vzw Ons Huis",
                "poverty_organisation",
                influence=4,
                interest=2,
                **direct(500),
            )
        ]
    )

    # (4+2-2)/8 = 0.5 -> 25; no flagged group -> 0; 500 days > 2 windows -> the full 25.
    assert priority(G, 1, [], settings=DEFAULTS, now=NOW) == 50.0


def test_priority_uses_the_most_central_of_the_actors_flagged_groups():
    G = graph(belsele_residents(), [(1, 2, 1), (1, 3, 2)], themes={1: ("wonen",), 4: ("wonen",)})
    groups = group_reach(G, settings=DEFAULTS)
    wonen = [g for g in groups if g.ident == "theme:wonen"]
    resident = [g for g in groups if g.ident == "kind:resident"]

    assert wonen[0].total == 2  # too few known: not flagged, but centrality can be asked
    assert priority(G, 1, wonen, settings=DEFAULTS, now=NOW) == 75.0  # 0 of 1 linked
    assert priority(G, 1, wonen + resident, settings=DEFAULTS, now=NOW) == 87.5


def test_recommend_takes_the_groups_it_is_given():
    G = graph(belsele_residents())

    assert recommend(G, [], settings=DEFAULTS, now=NOW) == []


# --- brokers -----------------------------------------------------------------------------------


def sinaai_residents_and_their_contacts():
    return graph(
        [
            row(1, "Jan Peeters", "resident", "Sinaai"),
            row(2, "An Claeys", "resident", "Sinaai"),
            row(3, "Bart Maes", "resident", "Sinaai"),
            row(4, "Els Wouters", "resident", "Sinaai"),
            row(10, "Café De Zwaan", "business", "Belsele", **direct(8)),
            row(11, "Chiro Belsele", "civic_association", "Belsele"),
        ],
        [(10, 1, 2), (10, 2, 1), (3, 10, 1), (11, 3, 1), (2, 4, 3)],
    )


def test_brokers_are_the_actors_linked_to_most_unreached_members_of_a_flagged_group():
    G = sinaai_residents_and_their_contacts()
    groups = group_reach(G, settings=DEFAULTS)

    found = [(b.group, b.actor_id, b.unreached_neighbours) for b in brokers(G, groups)]

    expected_per_group = [(10, 3), (2, 1), (4, 1), (11, 1)]
    assert found == [
        (group, actor_id, count)
        for group in ("district:Sinaai", "kind:resident", "kind_district:resident/Sinaai")
        for actor_id, count in expected_per_group
    ]


def test_brokers_are_limited_to_the_top_of_each_group():
    G = sinaai_residents_and_their_contacts()
    groups = [g for g in group_reach(G, settings=DEFAULTS) if g.ident == "kind:resident"]

    assert brokers(G, groups, top=2) == [
        Broker(actor_id=10, group="kind:resident", unreached_neighbours=3),
        Broker(actor_id=2, group="kind:resident", unreached_neighbours=1),
    ]


def test_a_link_to_a_member_reached_directly_does_not_make_a_broker():
    G = graph(
        [
            row(1, "Jan Peeters", "resident", "Sinaai", **direct(3)),
            row(2, "An Claeys", "resident", "Sinaai"),
            row(3, "Bart Maes", "resident", "Sinaai"),
            row(4, "Els Wouters", "resident", "Sinaai"),
            row(10, "Café De Zwaan", "business", "Belsele", **direct(8)),
            row(11, "Chiro Belsele", "civic_association", "Belsele"),
        ],
        [(10, 1, 3), (10, 2, 1), (11, 3, 1), (11, 4, 1)],
    )
    groups = [g for g in group_reach(G, settings=DEFAULTS) if g.ident == "kind:resident"]

    assert groups[0].flag == "under_reached"  # 1 of 4
    assert brokers(G, groups) == [
        Broker(actor_id=11, group="kind:resident", unreached_neighbours=2),
        Broker(actor_id=10, group="kind:resident", unreached_neighbours=1),
    ]


def test_reached_members_and_groups_that_are_not_flagged_have_no_brokers():
    G = graph(
        [
            row(1, "Jan Peeters", "resident", "Sinaai", **direct(3)),
            row(2, "An Claeys", "resident", "Sinaai", **direct(3)),
            row(3, "Bart Maes", "resident", "Sinaai"),
            row(10, "Café De Zwaan", "business", "Belsele", **direct(8)),
        ],
        [(10, 1, 2), (10, 2, 1)],
    )

    assert brokers(G, group_reach(G, settings=DEFAULTS)) == []


def test_the_analysis_of_a_graph_lists_its_brokers_and_introductions():
    G = sinaai_residents_and_their_contacts()

    analysis = analysis_of(G)

    assert [(b.group, b.actor_id) for b in analysis.brokers][:2] == [
        ("district:Sinaai", 10),
        ("district:Sinaai", 2),
    ]
    assert {r.actor_id: (r.action, r.introducer_id) for r in analysis.recommendations} == {
        1: ("introduce", 10),
        2: ("introduce", 10),
        3: ("introduce", 10),
        4: ("introduce", 10),  # two hops, through An Claeys: min(3, 1) * 0.5
    }
