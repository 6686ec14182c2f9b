"""Outreach pages: the plan, "my calls and visits", claims, and the actor page's next action."""

from dataclasses import dataclass

from app.analysis import current_analysis
from app.extensions import db
from app.outreach.plan import introducer_name
from crm.claims import claim_of_actor
from crm.models import Actor, ActorClaim
from mapping.outreach import Recommendation


@dataclass(frozen=True)
class ActorOutreach:
    """What the actor page shows of the plan: the next action, who introduces, who claimed."""

    recommendation: Recommendation | None
    introducer: str | None
    claim: ActorClaim | None

    # The claim buttons read these, as on a `crm.worklist.ContactCard`.
    @property
    def claimed_by_id(self) -> int | None:
        return self.claim.user_id if self.claim else None

    @property
    def claimed_by(self) -> str | None:
        return self.claim.user.name if self.claim else None


def outreach_of(actor: Actor) -> ActorOutreach:
    """The actor's place in the outreach plan (nothing for an archived actor)."""
    if actor.archived:
        return ActorOutreach(None, None, claim_of_actor(db.session, actor.id))
    analysis = current_analysis()
    recommendation = analysis.recommendation_for(actor.id)
    return ActorOutreach(
        recommendation=recommendation,
        introducer=introducer_name(analysis, recommendation),
        claim=claim_of_actor(db.session, actor.id),
    )
