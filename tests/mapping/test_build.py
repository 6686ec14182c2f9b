"""mapping/build.py: from rows to the stakeholder graph, the city node and its weights."""

import gc

import pytest

from crm.db import gc_paused
from mapping import ReachSettings, analyse_graph
from mapping.build import CITY, MIN_CITY_WEIGHT, city_weight
from tests.mapping.conftest import DEFAULTS, NOW, days_ago, digital, direct, graph, row


def test_the_city_is_linked_to_every_actor_reached_directly_and_to_no_other():
    G = graph(
        [
            row(1, "Jan Peeters", **direct(1)),
            row(2, "An Claeys", **digital(1)),
            row(3, "Bart Maes"),
            row(4, "Els Wouters", **direct(30)),
        ]
    )

    assert sorted(G[CITY]) == [1, 4]
    assert G.nodes[CITY] == {"kind": "city"}


def test_the_city_weights_decay_with_the_age_of_the_last_direct_contact():
    ages = (0, 45, 90, 175, 180)
    G = graph([row(n, f"Actor {n}", **direct(days)) for n, days in enumerate(ages)])

    # Linear from 1.0 today; near the end of the window it bottoms out at MIN_CITY_WEIGHT.
    assert [G[CITY][n]["weight"] for n in range(5)] == [1.0, 0.75, 0.5, 0.05, 0.05]
    assert MIN_CITY_WEIGHT == 0.05


def test_the_city_weight_follows_the_window_setting():
    assert city_weight(days_ago(30), NOW, ReachSettings(window_days=60)) == 0.5
    assert city_weight(days_ago(30), NOW, DEFAULTS) == round(1 - 30 / 180, 4)


def test_a_contact_logged_a_little_ahead_of_now_weighs_as_today():
    assert city_weight(days_ago(-0.002), NOW, DEFAULTS) == 1.0


def test_parallel_relations_keep_the_strongest_whatever_their_direction():
    G = graph(
        [row(1, "Jan Peeters"), row(2, "Chiro Sinaai", "civic_association")],
        [(1, 2, 1), (2, 1, 3), (1, 2, 2)],
    )

    assert G.number_of_edges() == 1
    assert G[1][2] == {"weight": 3}


def test_relations_to_oneself_or_to_actors_not_in_the_graph_are_left_out():
    G = graph([row(1, "Jan Peeters"), row(2, "An Claeys")], [(1, 1, 3), (1, 99, 2), (98, 2, 1)])

    assert G.number_of_edges() == 0


def test_the_node_attributes_are_what_the_rules_read():
    G = graph(
        [
            row(
                7,
                "Vzw De Vlaskop",
                "poverty_organisation",
                "Sinaai",
                phone="+3237778899",
                address=" Dijkstraat 4 ",
                do_not_visit=True,
                preferred_channel="phone",
                influence=5,
                interest=None,
                **direct(10),
            )
        ],
        themes={7: ["armoede", "wonen"]},
        failed_calls={7: 2, 8: 9},
    )

    assert G.nodes[7] == {
        "name": "Vzw De Vlaskop",
        "kind": "poverty_organisation",
        "district": "Sinaai",
        "themes": ("armoede", "wonen"),
        "status": "direct",
        "influence": 5,
        "interest": 3,  # unknown: the middle of the scale
        "can_call": True,  # a phone number, no do-not-phone
        "can_visit": False,  # an address, but do-not-visit
        "preferred_channel": "phone",
        "failed_calls": 2,
        "last_direct_at": days_ago(10),
    }


def test_rows_need_only_an_id_a_name_and_a_kind():
    G = graph([{"id": 1, "name": "Jan Peeters", "kind": "resident"}])

    assert (G.nodes[1]["status"], G.nodes[1]["district"], G.nodes[1]["themes"]) == (
        "none",
        None,
        (),
    )


def test_a_row_without_a_name_is_refused():
    with pytest.raises(KeyError):
        graph([{"id": 1, "kind": "resident"}])


def test_an_empty_city_has_no_groups_and_nothing_to_do():
    analysis = analyse_graph(graph([]), settings=DEFAULTS, now=NOW)

    assert (analysis.groups, analysis.recommendations, analysis.brokers) == ([], [], [])
    assert analysis.poverty_flagged == []


def test_the_garbage_collector_is_paused_during_the_work_and_restored_after():
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()

    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError("the analysis failed")
    assert gc.isenabled()


def test_a_paused_garbage_collector_stays_paused_for_whoever_paused_it():
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_settings_come_from_the_app_configuration_with_documented_defaults():
    assert ReachSettings.from_config({}) == ReachSettings(
        window_days=180, threshold=0.5, min_group_size=3, max_failed_calls=3
    )
    assert ReachSettings.from_config(
        {"REACH_WINDOW_DAYS": "90", "REACH_THRESHOLD": "0.6", "MIN_GROUP_SIZE": 5}
    ) == ReachSettings(window_days=90, threshold=0.6, min_group_size=5)
