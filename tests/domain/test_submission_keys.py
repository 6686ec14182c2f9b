"""One tap is one contact: a submission key logs one contact, however often it is sent
(crm.contacts.log_contact_once; docs/architecture.md#storage)."""

import pytest
from sqlalchemy import select

from crm.contacts import log_contact_once
from crm.messages import Invalid
from crm.models import ContactLog
from tests.domain.conftest import NOW, ago, count
from tests.domain.test_concurrency import run_at_once

VISIT = {"channel": "visit", "outcome": "reached", "note": "Koffie met de voorzitter"}


@pytest.fixture
def praatcafe(make_actor):
    return make_actor(name="Praatcafé Belsele", kind="civic_association")


def test_the_same_form_token_sent_twice_stores_one_contact(session, praatcafe, make_colleague):
    sara = make_colleague()

    first = log_contact_once(
        session, key="form-7f3a", user_id=sara.id, actor_id=praatcafe.id, now=NOW, **VISIT
    )
    session.commit()
    again = log_contact_once(
        session, key="form-7f3a", user_id=sara.id, actor_id=praatcafe.id, now=NOW, **VISIT
    )
    session.commit()

    assert (first.repeated, again.repeated) == (False, True)
    assert again.contact.id == first.contact.id
    assert count(session, ContactLog) == 1


def test_a_form_token_sent_again_with_other_values_answers_with_the_first_contact(
    session, praatcafe, make_colleague
):
    # Back, change the note, send again: the rendered form was already used.
    sara = make_colleague()
    first = log_contact_once(
        session, key="form-7f3a", user_id=sara.id, actor_id=praatcafe.id, now=NOW, **VISIT
    )
    session.commit()

    again = log_contact_once(
        session,
        key="form-7f3a",
        user_id=sara.id,
        actor_id=praatcafe.id,
        same_values_only=False,
        now=NOW,
        **(VISIT | {"note": "Toch iets anders"}),
    )
    session.commit()

    assert (again.repeated, again.contact.id) == (True, first.contact.id)
    assert session.scalars(select(ContactLog.note)).all() == ["Koffie met de voorzitter"]


def test_the_same_api_key_and_values_twice_stores_one_contact(session, praatcafe, make_colleague):
    sara = make_colleague()
    call = {"channel": "phone", "outcome": "no_answer", "occurred_at": "2026-06-10T09:30"}

    first = log_contact_once(
        session, key="8e03978e-40d5", user_id=sara.id, actor_id=str(praatcafe.id), now=NOW, **call
    )
    session.commit()
    again = log_contact_once(
        session, key="8e03978e-40d5", user_id=sara.id, actor_id=praatcafe.id, now=NOW, **call
    )
    session.commit()

    assert (again.repeated, again.contact.id) == (True, first.contact.id)
    assert count(session, ContactLog) == 1


def test_a_retry_without_a_moment_is_the_same_request_though_now_moved_on(
    session, praatcafe, make_colleague
):
    sara = make_colleague()
    log_contact_once(session, key="k1", user_id=sara.id, actor_id=praatcafe.id, now=NOW, **VISIT)
    session.commit()

    again = log_contact_once(
        session,
        key="k1",
        user_id=sara.id,
        actor_id=praatcafe.id,
        now=NOW.replace(minute=5),
        **VISIT,
    )

    assert again.repeated is True
    assert count(session, ContactLog) == 1


@pytest.mark.parametrize(
    "other",
    [{"outcome": "declined"}, {"note": "Iets anders"}, {"occurred_at": "2026-06-10T09:30"}],
)
def test_the_same_api_key_with_other_values_is_refused_and_stores_nothing(
    session, praatcafe, make_colleague, other
):
    sara = make_colleague()
    log_contact_once(session, key="k1", user_id=sara.id, actor_id=praatcafe.id, now=NOW, **VISIT)
    session.commit()

    with pytest.raises(Invalid) as refused:
        log_contact_once(
            session,
            key="k1",
            user_id=sara.id,
            actor_id=praatcafe.id,
            now=NOW,
            **(VISIT | other),
        )
    session.rollback()

    assert refused.value.errors["idempotency_key"][0].render() == (
        "This key was used before for another contact: use a new key for a new contact."
    )
    assert count(session, ContactLog) == 1


def test_the_same_key_for_another_actor_is_refused(session, make_actor, make_colleague):
    sara = make_colleague()
    first, second = make_actor(name="Vzw Kompas"), make_actor(name="Buurthuis De Klinker")
    log_contact_once(session, key="k1", user_id=sara.id, actor_id=first.id, now=NOW, **VISIT)
    session.commit()

    with pytest.raises(Invalid):
        log_contact_once(session, key="k1", user_id=sara.id, actor_id=second.id, now=NOW, **VISIT)
    session.rollback()

    assert count(session, ContactLog) == 1


def test_keys_are_per_user(session, praatcafe, make_colleague):
    sara, tom = make_colleague(), make_colleague()

    mine = log_contact_once(
        session, key="k1", user_id=sara.id, actor_id=praatcafe.id, now=NOW, **VISIT
    )
    theirs = log_contact_once(
        session, key="k1", user_id=tom.id, actor_id=praatcafe.id, now=NOW, **VISIT
    )
    session.commit()

    assert (mine.repeated, theirs.repeated) == (False, False)
    assert count(session, ContactLog) == 2


def test_a_refused_first_try_leaves_the_key_free_for_the_corrected_one(
    session, praatcafe, make_colleague
):
    sara = make_colleague()
    with pytest.raises(Invalid):
        log_contact_once(
            session,
            key="form-1",
            user_id=sara.id,
            actor_id=praatcafe.id,
            now=NOW,
            **(VISIT | {"outcome": "left_message"}),  # a visit cannot leave a message
        )
    session.rollback()

    corrected = log_contact_once(
        session,
        key="form-1",
        user_id=sara.id,
        actor_id=praatcafe.id,
        same_values_only=False,
        now=NOW,
        **VISIT,
    )
    session.commit()

    assert corrected.repeated is False
    assert count(session, ContactLog) == 1


def test_a_repeat_keeps_the_rest_of_its_transaction(session, praatcafe, make_colleague):
    # The refused insert is undone to its savepoint only: what the transaction wrote before it
    # (here another contact) is committed with it.
    sara = make_colleague()
    log_contact_once(session, key="k1", user_id=sara.id, actor_id=praatcafe.id, now=NOW, **VISIT)
    session.commit()

    log_contact_once(session, key="k2", user_id=sara.id, actor_id=praatcafe.id, now=NOW, **VISIT)
    log_contact_once(session, key="k1", user_id=sara.id, actor_id=praatcafe.id, now=NOW, **VISIT)
    session.commit()

    assert sorted(session.scalars(select(ContactLog.submission_key))) == ["k1", "k2"]


@pytest.mark.parametrize("key", ["", "   ", "x" * 256, "nul\x00here"])
def test_an_unusable_key_is_refused(session, praatcafe, make_colleague, key):
    sara = make_colleague()

    with pytest.raises(Invalid) as refused:
        log_contact_once(session, key=key, user_id=sara.id, actor_id=praatcafe.id, **VISIT)
    session.rollback()

    assert list(refused.value.errors) == ["idempotency_key"]
    assert count(session, ContactLog) == 0


def test_four_taps_arriving_together_store_one_contact(
    session, praatcafe, make_colleague, production_sessions
):
    # Separate sessions in separate threads, started together, as gunicorn workers would get a
    # double tap and two retries: on PostgreSQL all four find no contact of the key and insert,
    # and the unique index refuses all but one; on SQLite BEGIN IMMEDIATE queues them and the
    # index refuses the later ones.
    sara = make_colleague()

    def tap(_) -> tuple[int, bool]:
        with production_sessions() as own_session:
            logged = log_contact_once(
                own_session,
                key="form-double-tap",
                user_id=sara.id,
                actor_id=praatcafe.id,
                occurred_at=ago(minutes=5),
                now=NOW,
                **VISIT,
            )
            own_session.commit()
            return logged.contact.id, logged.repeated

    answers = run_at_once(tap, range(4))

    assert len({contact_id for contact_id, _ in answers}) == 1
    assert sorted(repeated for _, repeated in answers) == [False, True, True, True]
    assert count(session, ContactLog) == 1
