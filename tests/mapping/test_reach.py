"""docs/rules-of-reach.md#reach-status to #poverty-organisations: reach status per actor, reach
per group, the two flags, the sentences."""

from mapping import ReachSettings, analyse_graph
from mapping.build import CITY
from mapping.reach import (
    flag_of,
    group_keys,
    group_name,
    group_reach,
    unreached_poverty_organisations,
)
from tests.mapping.conftest import (
    DEFAULTS,
    NOW,
    attempted,
    days_ago,
    digital,
    direct,
    graph,
    row,
)


def groups_by_ident(G, settings=DEFAULTS) -> dict:
    return {g.ident: g for g in group_reach(G, settings=settings)}


def figures(group) -> tuple:
    return (group.total, group.direct, group.digital_only, group.attempted, group.none, group.flag)


# --- §3.1 the status of one actor -----------------------------------------------------------


def test_each_actor_gets_one_of_the_four_statuses():
    G = graph(
        [
            row(1, "Jan Peeters", **direct(10)),
            row(2, "An Claeys", **digital(10)),
            row(3, "Bart Maes", **attempted(10)),
            row(4, "Els Wouters"),
        ]
    )

    assert {n: G.nodes[n]["status"] for n in (1, 2, 3, 4)} == {
        1: "direct",
        2: "digital_only",
        3: "attempted",
        4: "none",
    }


def test_a_conversation_beats_a_later_email_and_a_later_failed_call():
    G = graph(
        [
            row(
                1,
                "Jan Peeters",
                last_direct_reached_at=days_ago(30),
                last_reached_at=days_ago(2),
                last_attempt_at=days_ago(1),
            )
        ]
    )

    assert G.nodes[1]["status"] == "direct"


def test_a_contact_older_than_the_reach_window_no_longer_counts():
    G = graph(
        [
            row(1, "Jan Peeters", **direct(181)),
            row(2, "An Claeys", **direct(181), **attempted(20)),
            row(3, "Bart Maes", **digital(181)),
        ]
    )

    assert [G.nodes[n]["status"] for n in (1, 2, 3)] == ["none", "attempted", "none"]
    assert not G.has_edge(CITY, 1)


def test_a_contact_on_the_first_moment_of_the_window_still_counts():
    G = graph([row(1, "Jan Peeters", **direct(180)), row(2, "An Claeys", **direct(180.001))])

    assert [G.nodes[n]["status"] for n in (1, 2)] == ["direct", "none"]


def test_a_group_share_drops_when_a_contact_leaves_the_window():
    def sinaai(days_since_jan: int):
        G = graph(
            [
                row(1, "Jan Peeters", district="Sinaai", **direct(days_since_jan)),
                row(2, "An Claeys", district="Sinaai", **direct(20)),
                row(3, "Bart Maes", district="Sinaai", **direct(40)),
                row(4, "Els Wouters", district="Sinaai"),
            ]
        )
        return groups_by_ident(G)["district:Sinaai"]

    inside, outside = sinaai(179), sinaai(181)

    assert (inside.direct, inside.share_direct, inside.flag) == (3, 0.75, None)
    assert (outside.direct, outside.share_direct, outside.flag) == (2, 0.5, None)
    assert figures(outside) == (4, 2, 0, 0, 2, None)


# --- groups --------------------------------------------------------------------------------


def test_an_actor_belongs_to_its_kind_district_kind_district_cell_and_themes():
    data = {"kind": "poverty_organisation", "district": "Sinaai", "themes": ("armoede", "wonen")}

    assert group_keys(data) == [
        ("kind", "poverty_organisation"),
        ("district", "Sinaai"),
        ("kind_district", "poverty_organisation/Sinaai"),
        ("theme", "armoede"),
        ("theme", "wonen"),
    ]


def test_an_actor_without_district_is_only_in_its_kind_and_theme_groups():
    assert group_keys({"kind": "business", "district": None, "themes": ("economie",)}) == [
        ("kind", "business"),
        ("theme", "economie"),
    ]


def test_every_group_counts_its_actors_by_status():
    G = graph(
        [
            row(1, "Vzw De Vlaskop", "poverty_organisation", "Sinaai", **direct(5)),
            row(2, "Vzw Ons Huis", "poverty_organisation", "Sinaai", **digital(5)),
            row(3, "Buurtwerk Tereken", "poverty_organisation", "Sint-Niklaas", **attempted(5)),
            row(4, "Bakkerij Maes", "business", "Sinaai", **direct(50)),
        ],
        themes={1: ("armoede",), 2: ("armoede", "wonen"), 3: ("armoede",)},
    )

    found = {ident: (*figures(g), g.actor_ids) for ident, g in groups_by_ident(G).items()}

    assert found == {
        "kind:poverty_organisation": (3, 1, 1, 1, 0, "under_reached", (1, 2, 3)),
        "kind:business": (1, 1, 0, 0, 0, "too_few_known", (4,)),
        "district:Sinaai": (3, 2, 1, 0, 0, None, (1, 2, 4)),
        "district:Sint-Niklaas": (1, 0, 0, 1, 0, "too_few_known", (3,)),
        "kind_district:poverty_organisation/Sinaai": (2, 1, 1, 0, 0, "too_few_known", (1, 2)),
        "kind_district:poverty_organisation/Sint-Niklaas": (1, 0, 0, 1, 0, "too_few_known", (3,)),
        "kind_district:business/Sinaai": (1, 1, 0, 0, 0, "too_few_known", (4,)),
        "theme:armoede": (3, 1, 1, 1, 0, "under_reached", (1, 2, 3)),
        "theme:wonen": (1, 0, 1, 0, 0, "too_few_known", (2,)),
    }


def test_kind_district_keys_are_kind_slash_district():
    G = graph([row(1, "Jan Peeters", "resident", "Nieuwkerken-Waas")])

    keys = [g.key for g in group_reach(G, settings=DEFAULTS) if g.dimension == "kind_district"]

    assert keys == ["resident/Nieuwkerken-Waas"]


def test_groups_are_listed_flagged_first_then_by_lowest_share():
    G = graph(
        [
            row(1, "Jan Peeters", "resident", "Belsele"),
            row(2, "An Claeys", "resident", "Belsele", **direct(3)),
            row(3, "Bart Maes", "resident", "Belsele"),
            row(4, "Els Wouters", "resident", "Belsele"),
            row(5, "Bakkerij Maes", "business", "Belsele", **direct(3)),
            row(6, "Garage Claeys", "business", "Belsele", **direct(3)),
            row(7, "Drukkerij Aerts", "business", "Belsele", **direct(3)),
        ]
    )

    listed = [(g.ident, g.share_direct, g.flag) for g in group_reach(G, settings=DEFAULTS)]

    assert listed == [
        ("kind:resident", 0.25, "under_reached"),
        ("kind_district:resident/Belsele", 0.25, "under_reached"),
        ("district:Belsele", 0.5714, None),
        ("kind:business", 1.0, None),
        ("kind_district:business/Belsele", 1.0, None),
    ]


# --- §3.2 the flags --------------------------------------------------------------------------


def test_a_share_exactly_at_the_threshold_is_not_under_reached():
    assert flag_of(4, 2, settings=ReachSettings(threshold=0.5)) is None
    assert flag_of(10, 3, settings=ReachSettings(threshold=0.3)) is None
    assert flag_of(3, 1, settings=ReachSettings(threshold=1 / 3)) is None


def test_a_share_just_below_the_threshold_is_under_reached():
    assert flag_of(4, 1, settings=ReachSettings(threshold=0.5)) == "under_reached"
    assert flag_of(1000, 499, settings=ReachSettings(threshold=0.5)) == "under_reached"
    assert flag_of(10, 2, settings=ReachSettings(threshold=0.3)) == "under_reached"


def test_a_group_of_two_known_actors_is_too_few_known_whatever_its_share():
    assert flag_of(2, 0, settings=DEFAULTS) == "too_few_known"
    assert flag_of(2, 2, settings=DEFAULTS) == "too_few_known"
    assert flag_of(3, 0, settings=DEFAULTS) == "under_reached"


def test_a_group_of_two_actors_in_the_graph_is_flagged_too_few_known():
    G = graph(
        [
            row(1, "Jan Peeters", "resident", "Sinaai"),
            row(2, "An Claeys", "resident", "Sinaai"),
        ]
    )

    group = groups_by_ident(G)["kind_district:resident/Sinaai"]

    assert figures(group) == (2, 0, 0, 0, 2, "too_few_known")
    assert group.sentence.render() == (
        "Residents in Sinaai: only 2 known. Map more stakeholders here."
    )


def test_the_settings_move_the_flags():
    rows = [
        row(1, "Jan Peeters", "resident", "Belsele", **direct(100)),
        row(2, "An Claeys", "resident", "Belsele", **direct(10)),
        row(3, "Bart Maes", "resident", "Belsele"),
        row(4, "Els Wouters", "resident", "Belsele"),
    ]

    def flag(settings):
        G = graph(rows, settings=settings)
        return groups_by_ident(G, settings)["kind_district:resident/Belsele"].flag

    assert flag(DEFAULTS) is None  # 2 of 4
    assert flag(ReachSettings(threshold=0.6)) == "under_reached"
    assert flag(ReachSettings(min_group_size=5)) == "too_few_known"
    assert flag(ReachSettings(window_days=60)) == "under_reached"  # the 100-day contact drops out


# --- §3.3 poverty organisations --------------------------------------------------------------


def test_poverty_organisations_are_flagged_one_by_one_whatever_their_group():
    G = graph(
        [
            row(1, "Vzw De Vlaskop", "poverty_organisation", "Sinaai", **direct(5)),
            row(2, "Vzw Ons Huis", "poverty_organisation", "Sinaai", **direct(5)),
            row(3, "Vzw 't Zonnetje", "poverty_organisation", "Sinaai", **direct(5)),
            row(4, "Welzijnsschakel Sinaai", "poverty_organisation", "Sinaai", **digital(5)),
            row(5, "De Schakel Sinaai", "poverty_organisation", "Sinaai", **attempted(5)),
            row(6, "Voedselbank Waasland", "poverty_organisation", "Sinaai", **direct(5)),
            row(7, "Café De Zwaan", "business", "Sinaai", **digital(5)),
        ]
    )

    assert groups_by_ident(G)["kind:poverty_organisation"].flag is None  # 4 of 6 direct
    assert unreached_poverty_organisations(G) == [4, 5]


# --- sentences -----------------------------------------------------------------------------


def test_the_group_sentence_reads_as_a_coordinator_says_it():
    G = graph(
        [row(1, "Vzw De Vlaskop", "poverty_organisation", "Sinaai", **direct(5))]
        + [row(n, f"Vzw {n}", "poverty_organisation", "Sinaai", **digital(5)) for n in range(2, 7)]
    )

    sentence = groups_by_ident(G)["kind_district:poverty_organisation/Sinaai"].sentence

    assert sentence.render() == "Poverty organisations in Sinaai: 1 of 6 reached directly"


def test_every_dimension_has_its_own_group_name():
    assert [
        group_name(dimension, key).render()
        for dimension, key in (
            ("kind", "knowledge_institution"),
            ("district", "Belsele"),
            ("theme", "mobiliteit"),
            ("kind_district", "public_body/Nieuwkerken-Waas"),
            ("kind_district", "other/Sinaai"),
        )
    ] == [
        "Knowledge institutions",
        "Actors in Belsele",
        "Actors working on mobiliteit",
        "Public bodies in Nieuwkerken-Waas",
        "Other actors in Sinaai",
    ]


def test_sentences_are_translated_with_their_group_name():
    dutch = {
        "%(group)s: %(direct)d of %(total)d reached directly": (
            "%(group)s: %(direct)d van %(total)d rechtstreeks bereikt"
        ),
        "%(kinds)s in %(district)s": "%(kinds)s in %(district)s",
        "Poverty organisations": "Armoedeorganisaties",
    }
    G = graph(
        [row(n, f"Vzw {n}", "poverty_organisation", "Sinaai", **digital(5)) for n in (1, 2, 3)]
    )

    sentence = groups_by_ident(G)["kind_district:poverty_organisation/Sinaai"].sentence

    assert sentence.render(lambda s: dutch.get(s, s)) == (
        "Armoedeorganisaties in Sinaai: 0 van 3 rechtstreeks bereikt"
    )


def test_the_analysis_of_a_graph_collects_groups_flags_and_statuses():
    G = graph(
        [
            row(1, "Vzw De Vlaskop", "poverty_organisation", "Sinaai", **digital(5)),
            row(2, "Jan Peeters", "resident", "Sinaai", **direct(5)),
        ]
    )

    analysis = analyse_graph(G, settings=DEFAULTS, now=NOW, data_version=7)

    assert (analysis.data_version, analysis.computed_at, analysis.settings) == (7, NOW, DEFAULTS)
    assert analysis.poverty_flagged == [1]
    assert [analysis.status_of(n) for n in (1, 2, 99)] == ["digital_only", "direct", None]
    assert analysis.actor(2)["name"] == "Jan Peeters"
    assert sorted(g.ident for g in analysis.groups) == [
        "district:Sinaai",
        "kind:poverty_organisation",
        "kind:resident",
        "kind_district:poverty_organisation/Sinaai",
        "kind_district:resident/Sinaai",
    ]
