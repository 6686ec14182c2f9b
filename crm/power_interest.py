"""Power and interest (Mendelow): which scores are high, the quadrant of an actor, and who
needs attention. The rule in Python and its SQL twin agree on every score
(tests/domain/test_rule_twins.py).

A score above 3 (4 or 5) is high; 1 to 3 is low. 3 counts as low because it is also what an
actor without a known influence or interest gets: unknown actors land in `monitor`, not in
`manage_closely`.
"""

from sqlalchemy import ColumnElement, and_

from crm.models import Actor
from crm.vocabulary import Quadrant, ReachStatus

HIGH = 3  # power and interest above this are high


def is_high(score):
    """Whether a score is high: for a number, a numpy array of scores or a SQL column alike."""
    return score > HIGH


def quadrant(influence: int, interest: int) -> Quadrant:
    """The Mendelow quadrant of an influence and an interest score."""
    if is_high(influence):
        return Quadrant.MANAGE_CLOSELY if is_high(interest) else Quadrant.KEEP_SATISFIED
    return Quadrant.KEEP_INFORMED if is_high(interest) else Quadrant.MONITOR


def quadrant_condition(name: str) -> ColumnElement[bool]:
    """The SQL twin of `quadrant`: the actors in the quadrant `name`."""
    influence, interest = is_high(Actor.influence), is_high(Actor.interest)
    return {
        Quadrant.MANAGE_CLOSELY: and_(influence, interest),
        Quadrant.KEEP_SATISFIED: and_(influence, ~interest),
        Quadrant.KEEP_INFORMED: and_(~influence, interest),
        Quadrant.MONITOR: and_(~influence, ~interest),
    }[Quadrant(name)]


def high_power_or_interest(influence, interest):
    """Whether the influence or the interest is high (numbers or numpy arrays of scores)."""
    return is_high(influence) | is_high(interest)


def needs_attention(*, influence: int, interest: int, status: str) -> bool:
    """High power or high interest, and not reached directly: highlighted on the grid."""
    return bool(high_power_or_interest(influence, interest)) and status != ReachStatus.DIRECT
