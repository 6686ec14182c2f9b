"""Claims on actors (crm/claims.py): one staff member per actor to call or visit."""

import pytest

from crm.actors import set_archived
from crm.claims import claim_actor, claim_of_actor, claims_of_user, release_claim
from crm.messages import Invalid, NotFound
from crm.models import ActorClaim
from tests.domain.conftest import NOW, count


def test_claiming_an_actor_stores_who_and_when(session, make_actor, make_colleague):
    actor, sofie = make_actor(), make_colleague()

    claim_actor(session, actor.id, user_id=sofie.id, now=NOW)
    session.commit()

    claim = claim_of_actor(session, actor.id)
    assert (claim.user_id, claim.user.name, claim.claimed_at) == (sofie.id, sofie.name, NOW)


def test_claiming_ones_own_claim_again_changes_nothing(session, make_actor, make_colleague):
    actor, sofie = make_actor(), make_colleague()
    claim_actor(session, actor.id, user_id=sofie.id, now=NOW)
    session.commit()

    claim_actor(session, actor.id, user_id=sofie.id)
    session.commit()

    assert count(session, ActorClaim) == 1
    assert claim_of_actor(session, actor.id).claimed_at == NOW


def test_an_actor_claimed_by_a_colleague_cannot_be_claimed_and_the_message_names_them(
    session, make_actor, make_colleague
):
    actor = make_actor(name="Vzw De Zonnebloem")
    sofie, bram = make_colleague(), make_colleague()
    claim_actor(session, actor.id, user_id=sofie.id)
    session.commit()

    with pytest.raises(Invalid) as refused:
        claim_actor(session, actor.id, user_id=bram.id)
    session.rollback()

    message = refused.value.errors["actor"][0]
    assert message.render() == f"Vzw De Zonnebloem is already claimed by {sofie.name}."
    assert claim_of_actor(session, actor.id).user_id == sofie.id


def test_only_the_claimant_releases_a_claim_unless_on_behalf(session, make_actor, make_colleague):
    actor = make_actor()
    sofie, bram = make_colleague(), make_colleague("coordinator")
    claim_actor(session, actor.id, user_id=sofie.id)
    session.commit()

    with pytest.raises(Invalid):
        release_claim(session, actor.id, user_id=bram.id)
    session.rollback()
    assert count(session, ActorClaim) == 1

    release_claim(session, actor.id, user_id=bram.id, on_behalf=True)
    session.commit()
    assert count(session, ActorClaim) == 0


def test_releasing_an_unclaimed_actor_changes_nothing(session, make_actor, make_colleague):
    actor = make_actor()

    release_claim(session, actor.id, user_id=make_colleague().id)
    session.commit()

    assert count(session, ActorClaim) == 0


def test_an_archived_actor_cannot_be_claimed(session, make_actor, make_colleague):
    actor = make_actor(name="Oud")
    set_archived(session, actor.id, True)
    session.commit()

    with pytest.raises(Invalid) as refused:
        claim_actor(session, actor.id, user_id=make_colleague().id)

    assert "archived" in refused.value.errors["actor"][0].render()


@pytest.mark.parametrize("bad_id", [999, 0, -1, "abc", 2**40])
def test_claiming_an_unknown_actor_is_not_found(session, make_colleague, bad_id):
    with pytest.raises(NotFound):
        claim_actor(session, bad_id, user_id=make_colleague().id)


def test_claims_of_user_lists_their_claims_oldest_first_without_archived_actors(
    session, make_actor, make_colleague
):
    sofie, bram = make_colleague(), make_colleague()
    first, second, archived, others = make_actor(), make_actor(), make_actor(), make_actor()
    claim_actor(session, second.id, user_id=sofie.id, now=NOW.replace(hour=13))
    claim_actor(session, first.id, user_id=sofie.id, now=NOW)
    claim_actor(session, archived.id, user_id=sofie.id, now=NOW)
    claim_actor(session, others.id, user_id=bram.id, now=NOW)
    set_archived(session, archived.id, True)
    session.commit()

    claims = claims_of_user(session, sofie.id)

    assert [c.actor_id for c in claims] == [first.id, second.id]
    assert claims[0].actor.name == first.name


def test_two_colleagues_claiming_at_once_leave_exactly_one_claim(
    production_sessions, session, make_actor, make_colleague
):
    import threading

    actor = make_actor()
    users = [make_colleague() for _ in range(6)]
    outcomes: list[str] = []
    barrier = threading.Barrier(len(users))

    def claim(user_id: int) -> None:
        with production_sessions() as own:
            barrier.wait()
            try:
                claim_actor(own, actor.id, user_id=user_id)
                own.commit()
                outcomes.append("claimed")
            except Invalid:
                own.rollback()
                outcomes.append("refused")

    threads = [threading.Thread(target=claim, args=(u.id,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["claimed"] + ["refused"] * 5
    assert count(session, ActorClaim) == 1
