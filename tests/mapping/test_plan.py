"""The outreach plan as a work list: the day's actions spread over the groups, and the groups
an actor is on the list for, in words (mapping/plan.py)."""

from crm.messages import Message
from mapping.outreach import Recommendation, actions_by_group
from mapping.plan import groups_in_words, todays_actions


def rec(actor_id: int, priority: float, *groups: str) -> Recommendation:
    return Recommendation(
        actor_id=actor_id,
        action="call",
        reason=Message("A phone number is known: call."),
        priority=priority,
        introducer_id=None,
        groups=groups,
    )


def ids(recommendations) -> list[int]:
    return [r.actor_id for r in recommendations]


def test_the_days_actions_take_from_every_group_before_a_second_from_any():
    ranked = [
        rec(1, 90, "kind:resident"),
        rec(2, 80, "kind:resident"),
        rec(3, 70, "kind:resident"),
        rec(4, 60, "kind:resident"),
        rec(5, 20, "district:Sinaai"),
        rec(6, 10, "theme:armoede"),
    ]

    today = todays_actions(actions_by_group(ranked), size=4)

    # The residents would fill the day on priority alone; round by round Sinaai and the
    # poverty theme get their best action in, and the list reads best first.
    assert ids(today) == [1, 2, 5, 6]


def test_an_actor_in_several_groups_is_listed_once():
    ranked = [
        rec(1, 90, "kind:business", "district:Belsele", "kind_district:business/Belsele"),
        rec(2, 50, "kind:business"),
        rec(3, 40, "district:Belsele"),
    ]

    today = todays_actions(actions_by_group(ranked), size=12)

    assert ids(today) == [1, 2, 3]


def test_actors_on_a_colleagues_list_are_left_out_of_the_day():
    ranked = [rec(1, 90, "kind:resident"), rec(2, 80, "kind:resident"), rec(3, 10, "theme:t")]

    today = todays_actions(actions_by_group(ranked), busy={1, 3}, size=12)

    assert ids(today) == [2]


def test_the_days_actions_stop_at_the_size_and_an_empty_plan_gives_none():
    ranked = [rec(n, 100 - n, f"theme:t{n % 3}") for n in range(1, 30)]

    assert len(todays_actions(actions_by_group(ranked), size=12)) == 12
    assert todays_actions({}, size=12) == []


def test_the_groups_are_named_most_telling_first_each_once_and_cut_at_three():
    names, more = groups_in_words(
        [
            "poverty_organisation",
            "kind:poverty_organisation",
            "district:Sinaai",
            "theme:armoede",
            "kind_district:poverty_organisation/Sinaai",
        ]
    )

    assert [n.render() for n in names] == [
        "Poverty organisations in Sinaai",
        "Actors working on armoede",
        "Actors in Sinaai",
    ]
    assert more == 1  # "Poverty organisations", named once for the kind and the flag
