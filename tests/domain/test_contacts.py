"""Contact logs: log, edit, delete, timeline, follow-ups and reach status (crm/contacts.py)."""

from datetime import date, datetime, timedelta

import pytest

from crm.actors import set_archived, update_actor
from crm.contacts import (
    delete_contact,
    edit_contact,
    latest_contacts,
    list_contacts,
    log_contact,
    mark_follow_up_done,
    open_follow_ups,
)
from crm.messages import Invalid, NotFound
from crm.models import Actor, ContactLog
from crm.reach import actor_reach_status
from tests.domain.conftest import NOW, ago, count, fresh

WINDOW = 180


def status_of(session, actor) -> str:
    return actor_reach_status(fresh(session, Actor, actor.id), now=NOW, window_days=WINDOW)


def dates_of(session, actor) -> dict:
    stored = fresh(session, Actor, actor.id)
    return {
        "contact": stored.last_contact_at,
        "reached": stored.last_reached_at,
        "direct": stored.last_direct_reached_at,
        "attempt": stored.last_attempt_at,
    }


# --- logging and the actor's dates ---------------------------------------------------------


def test_logged_contact_is_stored_with_who_and_when(session, make_actor, make_colleague):
    actor = make_actor()
    user = make_colleague()

    contact = log_contact(
        session,
        actor_id=actor.id,
        channel="visit",
        outcome="reached",
        direction="incoming",
        occurred_at=ago(days=1),
        note="  Koffie bij Mieke.  ",
        follow_up_on="2026-06-20",
        user_id=user.id,
        now=NOW,
    )
    session.commit()

    stored = fresh(session, ContactLog, contact.id)
    assert (
        stored.channel,
        stored.direction,
        stored.outcome,
        stored.occurred_at,
        stored.note,
        stored.follow_up_on,
        stored.created_by_id,
        stored.created_at,
    ) == (
        "visit",
        "incoming",
        "reached",
        NOW - timedelta(days=1),
        "Koffie bij Mieke.",
        date(2026, 6, 20),
        user.id,
        NOW,
    )


def test_contact_logged_without_a_time_happened_now(session, make_actor):
    # `now` is naive UTC; it used to be read as Brussels time and stored two hours early.
    actor = make_actor()

    contact = log_contact(session, actor_id=actor.id, channel="phone", outcome="reached", now=NOW)

    assert contact.occurred_at == NOW


def test_time_typed_without_a_zone_is_brussels_time_and_a_naive_datetime_is_utc(
    session, make_actor
):
    actor = make_actor()

    summer = log_contact(
        session,
        actor_id=actor.id,
        channel="phone",
        outcome="reached",
        occurred_at="2026-06-10T09:30",
        now=NOW,
    )
    winter = log_contact(
        session,
        actor_id=actor.id,
        channel="phone",
        outcome="reached",
        occurred_at="2026-01-15T09:30",
        now=NOW,
    )
    stored_convention = log_contact(
        session,
        actor_id=actor.id,
        channel="phone",
        outcome="reached",
        occurred_at=datetime(2026, 1, 15, 9, 30),
        now=NOW,
    )
    explicit = log_contact(
        session,
        actor_id=actor.id,
        channel="phone",
        outcome="reached",
        occurred_at="2026-06-10T09:30:00Z",
        now=NOW,
    )

    assert (
        summer.occurred_at,
        winter.occurred_at,
        stored_convention.occurred_at,
        explicit.occurred_at,
    ) == (
        datetime(2026, 6, 10, 7, 30),
        datetime(2026, 1, 15, 8, 30),
        datetime(2026, 1, 15, 9, 30),
        datetime(2026, 6, 10, 9, 30),
    )


def test_logged_contacts_update_the_actors_dates(session, make_actor, make_contact):
    actor = make_actor()
    make_contact(actor, channel="phone", outcome="reached", occurred_at=ago(days=30))
    make_contact(actor, channel="email", outcome="reached", occurred_at=ago(days=10))
    make_contact(actor, channel="phone", outcome="no_answer", occurred_at=ago(days=3))
    make_contact(actor, channel="visit", outcome="planned", occurred_at=ago(days=1))

    assert dates_of(session, actor) == {
        "contact": NOW - timedelta(days=3),
        "reached": NOW - timedelta(days=10),
        "direct": NOW - timedelta(days=30),
        "attempt": NOW - timedelta(days=3),
    }


def test_contact_logged_in_the_past_does_not_move_the_last_contact_back(
    session, make_actor, make_contact
):
    actor = make_actor()
    make_contact(actor, occurred_at=ago(days=1))

    make_contact(actor, occurred_at=ago(days=40))

    assert dates_of(session, actor)["contact"] == NOW - timedelta(days=1)


@pytest.mark.parametrize(
    ("contacts", "status"),
    [
        ([("phone", "reached")], "direct"),
        ([("visit", "reached")], "direct"),
        ([("intermediary", "reached"), ("email", "reached")], "direct"),
        ([("email", "reached")], "digital_only"),
        ([("email", "reached"), ("phone", "no_answer")], "digital_only"),
        ([("newsletter", "reached"), ("online", "reached")], "digital_only"),
        ([("phone", "no_answer")], "attempted"),
        ([("phone", "left_message"), ("visit", "declined")], "attempted"),
        ([("phone", "planned")], "none"),
        ([], "none"),
    ],
    ids=lambda value: "+".join(f"{c}:{o}" for c, o in value) if isinstance(value, list) else "",
)
def test_reach_status_follows_the_contacts(session, make_actor, make_contact, contacts, status):
    actor = make_actor()
    for days, (channel, outcome) in enumerate(contacts, start=1):
        make_contact(actor, channel=channel, outcome=outcome, occurred_at=ago(days=days))

    assert status_of(session, actor) == status


def test_contact_older_than_the_window_no_longer_counts(session, make_actor, make_contact):
    reached_long_ago = make_actor()
    make_contact(reached_long_ago, channel="phone", occurred_at=ago(days=WINDOW + 1))
    reached_just_inside = make_actor()
    make_contact(reached_just_inside, channel="phone", occurred_at=ago(days=WINDOW - 1))

    assert status_of(session, reached_long_ago) == "none"
    assert status_of(session, reached_just_inside) == "direct"


def test_old_direct_contact_and_recent_email_make_digital_only(session, make_actor, make_contact):
    actor = make_actor()
    make_contact(actor, channel="visit", occurred_at=ago(days=WINDOW + 30))
    make_contact(actor, channel="email", occurred_at=ago(days=3))

    assert status_of(session, actor) == "digital_only"


def test_planned_contact_is_not_a_try(session, make_actor, make_contact):
    actor = make_actor()

    make_contact(actor, channel="visit", outcome="planned")

    assert dates_of(session, actor) == dict.fromkeys(("contact", "reached", "direct", "attempt"))
    assert status_of(session, actor) == "none"


def test_logging_a_contact_does_not_bump_the_actors_version(session, make_actor, make_contact):
    # A colleague's open edit form (version 1) must not turn into a conflict.
    actor = make_actor()

    make_contact(actor)

    assert fresh(session, Actor, actor.id).version == 1
    update_actor(session, actor.id, version=1, notes="Edited while a call was logged.")
    session.commit()
    assert fresh(session, Actor, actor.id).version == 2


# --- refused contacts ----------------------------------------------------------------------


def test_contact_within_five_minutes_ahead_is_accepted(session, make_actor):
    # A phone's clock running a little ahead is not "the future".
    actor = make_actor()

    contact = log_contact(
        session,
        actor_id=actor.id,
        channel="phone",
        outcome="reached",
        occurred_at=ago(minutes=-4),
        now=NOW,
    )

    assert contact.occurred_at == NOW + timedelta(minutes=4)


def test_contact_in_the_future_is_refused(session, make_actor):
    actor = make_actor()

    with pytest.raises(Invalid) as refused:
        log_contact(
            session,
            actor_id=actor.id,
            channel="phone",
            outcome="reached",
            occurred_at=ago(minutes=-6),
            now=NOW,
        )

    assert set(refused.value.errors) == {"occurred_at"}


def test_unknown_channel_and_outcome_are_both_refused(session, make_actor):
    actor = make_actor()

    with pytest.raises(Invalid) as refused:
        log_contact(session, actor_id=actor.id, channel="pigeon", outcome="delighted", now=NOW)

    assert set(refused.value.errors) == {"channel", "outcome"}


def test_time_that_is_no_time_is_refused_repeating_it(session, make_actor):
    actor = make_actor()

    with pytest.raises(Invalid) as refused:
        log_contact(
            session,
            actor_id=actor.id,
            channel="phone",
            outcome="reached",
            occurred_at="yesterday",
            now=NOW,
        )

    (message,) = refused.value.errors["occurred_at"]
    assert "'yesterday'" in message.render()


def test_follow_up_before_the_contact_is_refused(session, make_actor):
    actor = make_actor()

    with pytest.raises(Invalid) as refused:
        log_contact(
            session,
            actor_id=actor.id,
            channel="phone",
            outcome="no_answer",
            occurred_at=ago(days=2),
            follow_up_on=(NOW - timedelta(days=3)).date(),
            now=NOW,
        )

    assert set(refused.value.errors) == {"follow_up_on"}


def test_follow_up_is_compared_with_the_contact_date_in_brussels(session, make_actor):
    # 23:30 UTC on 8 June is 01:30 on 9 June in Brussels: a follow-up on 8 June lies before it.
    actor = make_actor()

    with pytest.raises(Invalid):
        log_contact(
            session,
            actor_id=actor.id,
            channel="phone",
            outcome="no_answer",
            occurred_at="2026-06-08T23:30:00+00:00",
            follow_up_on="2026-06-08",
            now=NOW,
        )


def test_follow_up_on_the_day_of_the_contact_is_accepted(session, make_actor):
    actor = make_actor()

    contact = log_contact(
        session,
        actor_id=actor.id,
        channel="phone",
        outcome="no_answer",
        occurred_at="2026-06-09T01:30",
        follow_up_on="2026-06-09",
        now=NOW,
    )

    assert contact.follow_up_on == date(2026, 6, 9)


def test_contact_with_an_archived_actor_is_refused(session, make_actor):
    actor = make_actor()
    set_archived(session, actor.id, True)
    session.commit()

    with pytest.raises(Invalid) as refused:
        log_contact(session, actor_id=actor.id, channel="phone", outcome="reached", now=NOW)
    session.rollback()

    assert set(refused.value.errors) == {"actor"}
    assert count(session, ContactLog) == 0


@pytest.mark.parametrize("actor_id", [987654, 2**31])
def test_contact_with_an_unknown_actor_is_not_found(session, actor_id):
    with pytest.raises(NotFound):
        log_contact(session, actor_id=actor_id, channel="phone", outcome="reached", now=NOW)


# --- edit and delete -----------------------------------------------------------------------


def test_edited_contact_keeps_who_edited_it_and_recomputes_the_dates(
    session, make_actor, make_colleague, make_contact
):
    actor = make_actor()
    author, editor = make_colleague(), make_colleague()
    contact = make_contact(actor, channel="phone", outcome="reached", user_id=author.id)
    edited_at = NOW + timedelta(minutes=10)

    edit_contact(session, contact.id, user_id=editor.id, outcome="no_answer", now=edited_at)
    session.commit()

    stored = fresh(session, ContactLog, contact.id)
    assert (stored.created_by_id, stored.edited_by_id, stored.edited_at, stored.outcome) == (
        author.id,
        editor.id,
        edited_at,
        "no_answer",
    )
    assert status_of(session, actor) == "attempted"


def test_editing_the_note_does_not_move_the_contact_in_time(session, make_actor, make_contact):
    # The stored naive-UTC time used to be re-read as Brussels time: 2 hours back per edit.
    actor = make_actor()
    contact = make_contact(actor, occurred_at=ago(days=1))

    edit_contact(session, contact.id, user_id=None, note="Belt terug.", now=NOW)
    edit_contact(session, contact.id, user_id=None, note="Belde terug.", now=NOW)
    session.commit()

    assert fresh(session, ContactLog, contact.id).occurred_at == NOW - timedelta(days=1)


def test_edit_moving_a_contact_recomputes_the_last_contact(session, make_actor, make_contact):
    actor = make_actor()
    make_contact(actor, occurred_at=ago(days=5))
    latest = make_contact(actor, occurred_at=ago(days=1))

    edit_contact(session, latest.id, user_id=None, occurred_at=ago(days=10), now=NOW)
    session.commit()

    assert dates_of(session, actor)["contact"] == NOW - timedelta(days=5)


def test_edit_with_an_unknown_field_is_refused(session, make_actor, make_contact):
    contact = make_contact(make_actor())

    with pytest.raises(Invalid) as refused:
        edit_contact(session, contact.id, user_id=None, actor_id=99, now=NOW)

    assert set(refused.value.errors) == {"actor_id"}


def test_deleted_contact_is_gone_from_the_actors_dates(session, make_actor, make_contact):
    actor = make_actor()
    make_contact(actor, channel="email", outcome="reached", occurred_at=ago(days=4))
    visit = make_contact(actor, channel="visit", outcome="reached", occurred_at=ago(days=2))

    delete_contact(session, visit.id)
    session.commit()

    assert count(session, ContactLog) == 1
    assert dates_of(session, actor)["direct"] is None
    assert status_of(session, actor) == "digital_only"


def test_deleting_an_unknown_contact_is_not_found(session):
    with pytest.raises(NotFound):
        delete_contact(session, 2**31)


# --- timeline ------------------------------------------------------------------------------


def test_timeline_lists_the_newest_contact_first_in_pages(session, make_actor, make_contact):
    actor = make_actor()
    other = make_actor()
    for days in (3, 1, 5, 2, 4):
        make_contact(actor, note=f"{days} days ago", occurred_at=ago(days=days))
    make_contact(other, note="someone else")

    first = list_contacts(session, actor.id, page=1, per_page=2)
    last = list_contacts(session, actor.id, page=3, per_page=2)

    assert [c.note for c in first.items] == ["1 days ago", "2 days ago"]
    assert [c.note for c in last.items] == ["5 days ago"]
    assert (first.total, first.pages) == (5, 3)


def test_contacts_at_the_same_moment_keep_the_order_they_were_logged_in_reverse(
    session, make_actor, make_contact
):
    actor = make_actor()
    for note in ("first", "second"):
        make_contact(actor, note=note, occurred_at=ago(hours=2))

    assert [c.note for c in list_contacts(session, actor.id).items] == ["second", "first"]


def test_the_latest_contacts_are_the_actors_three_newest_newest_first(
    session, make_actor, make_contact
):
    actor = make_actor()
    other = make_actor()
    for days in (3, 1, 5, 2, 4):
        make_contact(actor, note=f"{days} days ago", occurred_at=ago(days=days))
    make_contact(other, note="someone else", occurred_at=ago(hours=1))

    latest = latest_contacts(session, actor.id, limit=3)

    assert [c.note for c in latest] == ["1 days ago", "2 days ago", "3 days ago"]


def test_an_actor_without_contacts_has_no_latest_contacts(session, make_actor):
    assert latest_contacts(session, make_actor().id) == []


# --- follow-ups ----------------------------------------------------------------------------


def test_open_follow_ups_are_the_users_own_overdue_first(
    session, make_actor, make_colleague, make_contact
):
    anna, bart = make_colleague(), make_colleague()
    actor = make_actor()
    long_ago = ago(days=20)
    later = make_contact(actor, user_id=anna.id, follow_up_on=date(2026, 6, 20))
    overdue = make_contact(
        actor, user_id=anna.id, occurred_at=long_ago, follow_up_on=date(2026, 6, 1)
    )
    make_contact(actor, user_id=anna.id)
    make_contact(actor, user_id=bart.id, occurred_at=long_ago, follow_up_on=date(2026, 6, 2))

    follow_ups = open_follow_ups(session, user_id=anna.id)

    assert [c.id for c in follow_ups] == [overdue.id, later.id]


def test_follow_up_marked_done_leaves_the_list(session, make_actor, make_colleague, make_contact):
    anna = make_colleague()
    contact = make_contact(make_actor(), user_id=anna.id, follow_up_on=date(2026, 6, 12))

    mark_follow_up_done(session, contact.id, user_id=anna.id, now=NOW)
    session.commit()

    assert open_follow_ups(session, user_id=anna.id) == []
    assert fresh(session, ContactLog, contact.id).follow_up_done_at == NOW


def test_colleagues_follow_up_cannot_be_marked_done(
    session, make_actor, make_colleague, make_contact
):
    anna, bart = make_colleague(), make_colleague()
    contact = make_contact(make_actor(), user_id=anna.id, follow_up_on=date(2026, 6, 12))

    with pytest.raises(NotFound):
        mark_follow_up_done(session, contact.id, user_id=bart.id, now=NOW)


def test_follow_ups_of_an_archived_actor_are_not_listed(
    session, make_actor, make_colleague, make_contact
):
    anna = make_colleague()
    actor = make_actor()
    make_contact(actor, user_id=anna.id, follow_up_on=date(2026, 6, 12))
    set_archived(session, actor.id, True)
    session.commit()

    assert open_follow_ups(session, user_id=anna.id) == []


def test_follow_ups_without_an_author_are_nobodys(session, make_actor, make_contact):
    make_contact(make_actor(), user_id=None, follow_up_on=date(2026, 6, 12))

    assert open_follow_ups(session, user_id=None) == []


# --- the outcomes a channel can have (docs/rules-of-reach.md#channels-and-outcomes) ---------

POSSIBLE = {
    "phone": {"reached", "no_answer", "left_message", "declined", "wrong_contact", "planned"},
    "sms": {"reached", "no_answer", "left_message", "declined", "wrong_contact", "planned"},
    "visit": {"reached", "no_answer", "declined", "wrong_contact", "planned"},
    "meeting": {"reached", "no_answer", "declined", "planned"},
    "event": {"reached", "no_answer", "declined", "planned"},
    "intermediary": {"reached", "no_answer", "declined", "planned"},
    "email": {"reached", "no_answer", "declined", "wrong_contact", "planned"},
    "letter": {"reached", "wrong_contact", "planned"},
    "newsletter": {"reached", "wrong_contact", "planned"},
    "online": {"reached", "planned"},
}
OUTCOMES = ("reached", "no_answer", "left_message", "declined", "wrong_contact", "planned")
PAIRS = [(channel, outcome) for channel in POSSIBLE for outcome in OUTCOMES]


@pytest.mark.parametrize(
    ("channel", "outcome"), [pair for pair in PAIRS if pair[1] not in POSSIBLE[pair[0]]]
)
def test_an_outcome_that_cannot_happen_on_the_channel_is_refused_and_nothing_stored(
    session, make_actor, channel, outcome
):
    actor = make_actor(name="Vzw De Brug", kind="poverty_organisation")

    with pytest.raises(Invalid) as refused:
        log_contact(session, actor_id=actor.id, channel=channel, outcome=outcome, now=NOW)

    assert list(refused.value.errors) == ["outcome"]
    assert count(session, ContactLog) == 0


@pytest.mark.parametrize(
    ("channel", "outcome"), [pair for pair in PAIRS if pair[1] in POSSIBLE[pair[0]]]
)
def test_every_outcome_that_can_happen_on_the_channel_is_stored(
    session, make_actor, channel, outcome
):
    actor = make_actor(name="Vzw De Brug", kind="poverty_organisation")

    log_contact(session, actor_id=actor.id, channel=channel, outcome=outcome, now=NOW)

    assert count(session, ContactLog) == 1


def test_the_refusal_names_the_channel_the_outcome_and_what_is_possible(session, make_actor):
    actor = make_actor(name="Vzw De Brug", kind="poverty_organisation")

    with pytest.raises(Invalid) as refused:
        log_contact(session, actor_id=actor.id, channel="visit", outcome="left_message", now=NOW)

    (message,) = refused.value.errors["outcome"]
    assert message.render() == (
        "The outcome 'Left a message' cannot happen on the channel 'Visit'. "
        "Possible: Reached, No answer, Declined, Wrong contact details, Planned."
    )


def test_an_edit_cannot_make_the_pair_impossible_either(session, make_actor):
    actor = make_actor(name="Vzw De Brug", kind="poverty_organisation")
    contact = log_contact(
        session, actor_id=actor.id, channel="phone", outcome="left_message", now=NOW
    )

    with pytest.raises(Invalid):
        edit_contact(session, contact.id, user_id=None, channel="visit", now=NOW)
