"""mapping/links.py: the actors' link matrix and the links between kind × district groups, on
tiny literal graphs with exact expected counts."""

from mapping.links import NO_DISTRICT, ActorLinks, kind_district
from tests.mapping.conftest import DEFAULTS, NOW, digital, direct, graph, row


def sample_links() -> ActorLinks:
    """resident/Sint-Niklaas: 1, 3 (1 reached directly); business/Sint-Niklaas: 2; resident
    without district: 4 (reached directly); business/Sinaai: 5."""
    return ActorLinks(
        graph(
            [
                row(1, "Jan Peeters", **direct(5)),
                row(2, "Bakkerij Claeys", kind="business", **digital(3)),
                row(3, "Bart Maes"),
                row(4, "Els Wouters", district=None, **direct(2)),
                row(5, "Garage Sinaai", kind="business", district="Sinaai"),
            ],
            [(1, 2, 2), (2, 3, 1), (1, 3, 1), (3, 4, 1), (4, 5, 3), (2, 5, 1)],
            settings=DEFAULTS,
            now=NOW,
        )
    )


def test_an_actor_without_district_is_in_the_no_district_group():
    assert kind_district({"kind": "resident", "district": None}) == ("resident", NO_DISTRICT)
    assert kind_district({"kind": "business", "district": "Sinaai"}) == ("business", "Sinaai")


def test_neighbours_in_counts_links_to_the_chosen_actors():
    links = sample_links()

    counts = links.neighbours_in(links.rows_of([1, 3]))

    by_actor = dict(zip(links.order, counts.tolist(), strict=True))
    assert by_actor == {1: 1, 2: 2, 3: 1, 4: 1, 5: 0}
