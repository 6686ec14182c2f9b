"""crm/invitations.py: the invite channel rules, the balanced list builder, the list itself and
attendance (a direct contact), on SQLite and PostgreSQL."""

from datetime import timedelta

import pytest

from crm.actors import set_archived
from crm.builder import (
    Criteria,
    Target,
    build_invitations,
    parse_targets,
    propose_invitations,
)
from crm.channels import check_invite_channel, invite_channel
from crm.exports import count_invitation_export
from crm.invitations import (
    add_invitations,
    change_invitations,
    check_in_walk_in,
    invitation_counts,
    list_invitations,
    mark_attendance,
    undo_attendance,
    update_invitation,
)
from crm.messages import Invalid, NotFound
from crm.models import ContactLog, Invitation
from crm.reach import actor_reach_status
from tests.domain.conftest import NOW, count, fresh

PHONE = "03 778 30 60"
ADDRESS = "Grote Markt 1"


@pytest.fixture
def make_event(make_event):
    """Events as of NOW (the domain tests' fixed clock)."""

    def make(**fields):
        return make_event(now=NOW, **fields)

    return make


def texts(messages) -> list[str]:
    return [m.render() for m in messages]


# --- the channel to invite by -------------------------------------------------------------------


def test_poverty_organisation_with_only_an_email_address_cannot_be_invited_by_email(make_actor):
    actor = make_actor(name="Vzw De Moeite", kind="poverty_organisation", email="info@demoeite.be")

    choice = invite_channel(actor)

    assert choice.channel is None and choice.left_out == "in_person_impossible"


def test_poverty_organisation_preferring_email_is_phoned_instead(make_actor):
    actor = make_actor(
        kind="poverty_organisation",
        email="info@demoeite.be",
        phone=PHONE,
        preferred_channel="email",
    )

    assert invite_channel(actor).channel == "phone"


def test_poverty_organisation_that_may_not_be_phoned_is_visited(make_actor):
    actor = make_actor(kind="poverty_organisation", phone=PHONE, do_not_phone=True, address=ADDRESS)

    assert invite_channel(actor).channel == "visit"


def test_preferred_channel_is_used_when_it_can_reach_the_actor(make_actor):
    actor = make_actor(phone=PHONE, email="jan@example.be", preferred_channel="phone")

    assert invite_channel(actor).channel == "phone"


def test_without_a_usable_preference_email_comes_first_then_phone_then_letter(make_actor):
    assert invite_channel(make_actor(phone=PHONE, email="a@example.be")).channel == "email"
    assert invite_channel(make_actor(phone=PHONE)).channel == "phone"
    assert invite_channel(make_actor(address=ADDRESS)).channel == "letter"
    preferred_blocked = make_actor(
        email="b@example.be", phone=PHONE, preferred_channel="phone", do_not_phone=True
    )
    assert invite_channel(preferred_blocked).channel == "email"


def test_do_not_contact_flags_are_respected_and_named_as_the_reason(make_actor):
    flagged = make_actor(email="c@example.be", do_not_email=True)
    nothing = make_actor()

    assert invite_channel(flagged).channel is None
    assert invite_channel(flagged).left_out == "do_not_email"
    assert invite_channel(nothing).left_out == "no_contact_details"


def test_an_override_must_respect_flags_details_and_the_poverty_rule(make_actor):
    poverty = make_actor(kind="poverty_organisation", email="x@example.be", phone=PHONE)
    resident = make_actor(phone=PHONE, do_not_phone=True, email="y@example.be")

    assert check_invite_channel(poverty, "phone") == "phone"
    with pytest.raises(Invalid, match="never by e-mail only"):
        check_invite_channel(poverty, "email")
    with pytest.raises(Invalid, match="Do not phone"):
        check_invite_channel(resident, "phone")
    with pytest.raises(Invalid, match="not a valid choice"):
        check_invite_channel(resident, "pigeon")


# --- targets and criteria -----------------------------------------------------------------------


def test_targets_are_parsed_and_checked():
    assert parse_targets({"poverty_organisation": {"min": "3"}, "business": {"max": 10}}) == {
        "poverty_organisation": Target(3, None),
        "business": Target(0, 10),
    }
    with pytest.raises(Invalid) as error:
        parse_targets({"martians": {"min": 1}, "business": {"min": 5, "max": 2}})
    assert set(error.value.errors) == {"targets.martians", "targets.business"}
    with pytest.raises(Invalid):
        parse_targets({"resident": {"min": -1}})


def test_criteria_refuse_unknown_values():
    with pytest.raises(Invalid) as error:
        Criteria.parse({"kind": ["resident", "alien"], "quadrant": "top", "status": "direct"})
    assert set(error.value.errors) == {"kind", "quadrant"}
    assert Criteria.parse({"kind": "resident", "district": ["Sinaai"]}).as_dict() == {
        "kind": ["resident"],
        "district": ["Sinaai"],
    }


# --- the builder --------------------------------------------------------------------------------


@pytest.fixture
def city(make_actor):
    """4 poverty organisations (one unreachable), 6 businesses, 5 residents, 2 civic
    associations; all with a phone unless said otherwise."""
    actors = {}
    for n in range(3):
        actors[f"poverty{n}"] = make_actor(
            name=f"Vzw Armoede {n}", kind="poverty_organisation", phone=PHONE
        )
    actors["poverty_mail_only"] = make_actor(
        name="Vzw Alleen Mail", kind="poverty_organisation", email="m@example.be"
    )
    for n in range(6):
        actors[f"business{n}"] = make_actor(
            name=f"Bedrijf {n}", kind="business", email=f"b{n}@example.be"
        )
    for n in range(5):
        actors[f"resident{n}"] = make_actor(name=f"Bewoner {n}", phone=PHONE, district="Sinaai")
    for n in range(2):
        actors[f"civic{n}"] = make_actor(
            name=f"Vereniging {n}", kind="civic_association", phone=PHONE
        )
    return actors


def test_builder_honours_minimums_and_maximums_within_capacity(session, city, make_event):
    event = make_event(capacity=8)
    targets = parse_targets({"poverty_organisation": {"min": 3}, "business": {"max": 2}})

    proposal = propose_invitations(session, event.id, criteria=Criteria(), targets=targets, now=NOW)

    kinds = [c.kind for c in proposal.invitees]
    assert len(kinds) == 8
    assert kinds.count("poverty_organisation") == 3
    assert kinds.count("business") <= 2
    mix = {row.kind: row for row in proposal.mix}
    assert mix["poverty_organisation"].count == 3 and not mix["poverty_organisation"].below_min
    assert not any(row.above_max for row in proposal.mix)


def test_builder_spreads_free_places_over_the_kinds(session, city, make_event):
    event = make_event(capacity=8)

    proposal = propose_invitations(session, event.id, criteria=Criteria(), targets={}, now=NOW)

    counts = {row.kind: row.count for row in proposal.mix}
    # 4 kinds with candidates and 8 places: two each, a balanced room
    assert counts["poverty_organisation"] == counts["business"] == 2
    assert counts["resident"] == counts["civic_association"] == 2


def test_builder_leaves_out_actors_no_allowed_channel_reaches_with_the_reason(
    session, city, make_event
):
    event = make_event(capacity=50)

    proposal = propose_invitations(session, event.id, criteria=Criteria(), targets={}, now=NOW)

    assert city["poverty_mail_only"].id not in {c.actor_id for c in proposal.invitees}
    assert proposal.left_out == {"in_person_impossible": 1}
    poverty = [c for c in proposal.invitees if c.kind == "poverty_organisation"]
    assert {c.channel for c in poverty} == {"phone"}


def test_builder_warns_when_a_needed_kind_has_nobody_on_the_list(session, city, make_event):
    event = make_event(capacity=10)

    proposal = propose_invitations(
        session,
        event.id,
        criteria=Criteria(kinds=("business", "resident")),
        targets=parse_targets({"knowledge_institution": {"min": 1}}),
        now=NOW,
    )

    warnings = texts(proposal.warnings)
    assert "Poverty organisations: nobody on the list, and the trajectory needs them." in warnings
    assert "Knowledge institutions: nobody on the list, and the trajectory needs them." in warnings
    assert not any(w.startswith("Businesses") for w in warnings)


def test_builder_warns_when_a_minimum_cannot_be_met(session, city, make_event):
    event = make_event(capacity=10)

    proposal = propose_invitations(
        session,
        event.id,
        criteria=Criteria(),
        targets=parse_targets({"civic_association": {"min": 4}}),
        now=NOW,
    )

    assert "Civic associations: 2 on the list, the target is at least 4." in texts(
        proposal.warnings
    )


def test_builder_warns_when_minimums_exceed_the_capacity(session, city, make_event):
    event = make_event(capacity=3)

    proposal = propose_invitations(
        session,
        event.id,
        criteria=Criteria(),
        targets=parse_targets({"poverty_organisation": {"min": 3}, "resident": {"min": 2}}),
        now=NOW,
    )

    assert len(proposal.invitees) == 3
    assert texts(proposal.warnings)[0] == ("The minimums add up to 5 places, but the event has 3.")


def test_builder_filters_by_district_theme_quadrant_and_reach_status(
    session, make_actor, make_event, make_contact
):
    sinaai = make_actor(name="In Sinaai", phone=PHONE, district="Sinaai", themes=["mobiliteit"])
    make_actor(name="In Belsele", phone=PHONE, district="Belsele", themes=["mobiliteit"])
    powerful = make_actor(name="Schepen", phone=PHONE, influence=5, interest=5)
    reached = make_actor(name="Al bereikt", phone=PHONE, district="Sinaai")
    make_contact(reached)
    event = make_event()

    def chosen(**criteria):
        proposal = propose_invitations(
            session, event.id, criteria=Criteria.parse(criteria), targets={}, now=NOW
        )
        return {c.actor_id for c in proposal.invitees}

    assert chosen(district="Sinaai", theme="mobiliteit") == {sinaai.id}
    assert chosen(quadrant="manage_closely") == {powerful.id}
    assert chosen(district="Sinaai", status="direct") == {reached.id}
    assert chosen(district="Sinaai", status=["none"]) == {sinaai.id}


def test_actors_not_reached_directly_are_proposed_first(
    session, make_actor, make_event, make_contact
):
    reached = make_actor(name="Aa bereikt", phone=PHONE)
    make_contact(reached)
    unreached = make_actor(name="Zz onbereikt", phone=PHONE)
    event = make_event(capacity=1)

    proposal = propose_invitations(session, event.id, criteria=Criteria(), targets={}, now=NOW)

    assert [c.actor_id for c in proposal.invitees] == [unreached.id]


def test_building_saves_the_list_and_a_second_build_only_fills_free_places(
    session, city, make_event
):
    event = make_event(capacity=6)
    targets = parse_targets({"poverty_organisation": {"min": 2}})

    proposal, invitations = build_invitations(
        session, event.id, criteria=Criteria(), targets=targets, now=NOW
    )
    session.commit()
    again, more = build_invitations(
        session, event.id, criteria=Criteria(), targets=targets, now=NOW
    )

    assert len(invitations) == 6 == count(session, Invitation)
    assert {i.status for i in invitations} == {"to_invite"}
    assert again.already_listed == 6 and more == [] and again.invitees == []


# --- the list -----------------------------------------------------------------------------------


def test_adding_actors_by_id_uses_the_rules_or_a_checked_override(session, make_actor, make_event):
    poverty = make_actor(kind="poverty_organisation", phone=PHONE, address=ADDRESS)
    resident = make_actor(phone=PHONE, email="r@example.be")
    event = make_event()

    added = add_invitations(
        session, event.id, actor_ids=[poverty.id, resident.id], channels={poverty.id: "visit"}
    )
    session.commit()

    channels = {i.actor_id: (i.channel, i.channel_overridden) for i in added}
    assert channels == {poverty.id: ("visit", True), resident.id: ("email", False)}
    assert [i.actor_id for i in list_invitations(session, event.id).items] == sorted(
        [poverty.id, resident.id], key=lambda ident: fresh(session, type(poverty), ident).name
    )


def test_adding_bad_actors_stores_nothing(session, make_actor, make_event):
    fine = make_actor(phone=PHONE)
    unreachable = make_actor(kind="poverty_organisation", email="p@example.be")
    event = make_event()

    with pytest.raises(Invalid) as error:
        add_invitations(session, event.id, actor_ids=[fine.id, unreachable.id, 99999])
    session.rollback()

    assert len(error.value.errors["actor_ids"]) == 2
    assert count(session, Invitation) == 0
    for bad in ([], "12", ["abc"], [-1], None):
        with pytest.raises(Invalid):
            add_invitations(session, event.id, actor_ids=bad)
        session.rollback()
    with pytest.raises(NotFound):
        add_invitations(session, 999, actor_ids=[fine.id])


def test_status_and_channel_changes(session, make_actor, make_event):
    actor = make_actor(phone=PHONE, email="s@example.be")
    event = make_event()
    (invitation,) = add_invitations(session, event.id, actor_ids=[actor.id])
    session.commit()

    update_invitation(session, invitation.id, status="confirmed", channel="phone", now=NOW)
    session.commit()

    stored = fresh(session, Invitation, invitation.id)
    assert (stored.status, stored.channel, stored.channel_overridden) == (
        "confirmed",
        "phone",
        True,
    )
    with pytest.raises(Invalid):
        update_invitation(session, invitation.id, status="maybe")
    with pytest.raises(NotFound):
        update_invitation(session, 424242, status="invited")


# --- attendance ---------------------------------------------------------------------------------


def test_attendance_makes_the_actor_reached_directly_and_undoing_it_does_not(
    session, make_actor, make_event
):
    actor = make_actor(name="Vzw Kompas", kind="poverty_organisation", phone=PHONE)
    event = make_event(starts_at=NOW - timedelta(hours=2))
    (invitation,) = add_invitations(session, event.id, actor_ids=[actor.id])
    session.commit()
    assert actor_reach_status(actor, now=NOW, window_days=180) == "none"

    mark_attendance(session, invitation.id, now=NOW)
    session.commit()

    stored = fresh(session, type(actor), actor.id)
    assert actor_reach_status(stored, now=NOW, window_days=180) == "direct"
    (contact,) = session.query(ContactLog).all()
    assert (contact.channel, contact.outcome) == ("event", "reached")
    assert contact.occurred_at == NOW - timedelta(hours=2)

    update_invitation(session, invitation.id, status="no_show", now=NOW)
    session.commit()

    assert count(session, ContactLog) == 0
    stored = fresh(session, type(actor), actor.id)
    assert actor_reach_status(stored, now=NOW, window_days=180) == "none"


def test_an_archived_actor_leaves_the_list_and_every_export_counted_as_archived(
    session, make_actor, make_event
):

    kept = make_actor(name="Blijft", phone=PHONE)
    gone = make_actor(name="Verhuisd", phone=PHONE)
    event = make_event()
    add_invitations(session, event.id, actor_ids=[kept.id, gone.id], now=NOW)
    session.commit()

    set_archived(session, gone.id, True)
    session.commit()

    assert [i.actor_id for i in list_invitations(session, event.id).items] == [kept.id]
    assert invitation_counts(session, event.id)["to_invite"] == 1
    export = count_invitation_export(session, event.id, kind="invitations_csv")
    assert (export.rows, export.left_out) == (1, {"archived": 1})


def test_a_search_with_a_nul_byte_finds_nobody_instead_of_failing(session, make_actor, make_event):
    actor = make_actor(name="Jan", phone=PHONE)
    event = make_event()
    add_invitations(session, event.id, actor_ids=[actor.id], now=NOW)
    session.commit()

    assert list_invitations(session, event.id, q="ja\x00n").items == []


def test_undoing_a_check_in_restores_the_status_it_had(session, make_actor, make_event):

    actor = make_actor(phone=PHONE)
    event = make_event(starts_at=NOW - timedelta(hours=1))
    (invitation,) = add_invitations(session, event.id, actor_ids=[actor.id], now=NOW)
    update_invitation(session, invitation.id, status="invited", now=NOW)
    mark_attendance(session, invitation.id, now=NOW)
    session.commit()

    undo_attendance(session, invitation.id, now=NOW)
    session.commit()

    assert fresh(session, Invitation, invitation.id).status == "invited"
    assert count(session, ContactLog) == 0


def test_an_unknown_district_or_theme_is_refused_not_an_empty_list(session, city, make_event):
    event = make_event()

    with pytest.raises(Invalid) as error:
        propose_invitations(
            session,
            event.id,
            criteria=Criteria.parse({"district": "Belsel", "theme": ["mobiliteit", "ruimtevaart"]}),
            targets={},
            now=NOW,
        )

    assert set(error.value.errors) == {"district", "theme"}
    assert "Belsel" in error.value.errors["district"][0].render()
    assert "ruimtevaart" in error.value.errors["theme"][0].render()


def test_a_walk_in_is_never_exported_as_an_invitee(session, make_actor, make_event):
    invited = make_actor(phone=PHONE)
    walk_in = make_actor(email="w@example.be")
    event = make_event(starts_at=NOW - timedelta(hours=1))
    add_invitations(session, event.id, actor_ids=[invited.id], now=NOW)
    check_in_walk_in(session, event.id, walk_in.id, now=NOW)
    session.commit()

    export = count_invitation_export(session, event.id, kind="invitations_csv")

    assert (export.rows, export.left_out) == (1, {"walk_in": 1})


# --- several invitations at once ---------------------------------------------------------------


@pytest.fixture
def three_on_the_list(session, make_actor, make_event):
    """An event with three phoneable actors on its list (status to_invite, by phone)."""
    event = make_event(starts_at=NOW - timedelta(hours=1))
    actors = [
        make_actor(name=name, phone=PHONE, email=f"{name.lower()}@example.be")
        for name in ("Ann", "Bart", "Chris")
    ]
    invitations = add_invitations(session, event.id, actor_ids=[a.id for a in actors], now=NOW)
    session.commit()
    return event, invitations


def test_three_invitations_change_status_at_once(session, three_on_the_list):
    event, invitations = three_on_the_list

    changed = change_invitations(
        session, event.id, [i.id for i in invitations], status="invited", now=NOW
    )
    session.commit()

    assert len(changed) == 3
    assert [fresh(session, Invitation, i.id).status for i in invitations] == [
        "invited",
        "invited",
        "invited",
    ]


def test_a_bulk_change_with_one_refused_invitation_changes_none_and_names_it(
    session, make_actor, three_on_the_list
):
    event, invitations = three_on_the_list  # invited by e-mail, the rules' first choice
    dirk = make_actor(name="Dirk", phone=PHONE, email="dirk@example.be", do_not_phone=True)
    (fourth,) = add_invitations(session, event.id, actor_ids=[dirk.id], now=NOW)
    session.commit()
    ids = [i.id for i in invitations] + [fourth.id]

    with pytest.raises(Invalid) as refused:
        change_invitations(session, event.id, ids, status="invited", channel="phone", now=NOW)
    session.commit()

    assert texts(refused.value.errors["invitation"]) == [
        "Nothing was changed: 1 of the 4 invitations cannot be.",
        "Dirk cannot be invited this way: Do not phone.",
    ]
    stored = [fresh(session, Invitation, ident) for ident in ids]
    assert [(i.status, i.channel, i.channel_overridden) for i in stored] == [
        ("to_invite", "email", False),
        ("to_invite", "email", False),
        ("to_invite", "email", False),
        ("to_invite", "email", False),
    ]


def test_a_refusal_without_the_actors_name_is_led_by_it(session, make_actor, make_event):
    event = make_event()
    poverty = make_actor(
        name="Vzw De Moeite", kind="poverty_organisation", phone=PHONE, email="m@example.be"
    )
    (invitation,) = add_invitations(session, event.id, actor_ids=[poverty.id], now=NOW)
    session.commit()

    with pytest.raises(Invalid) as refused:
        change_invitations(session, event.id, [invitation.id], channel="email", now=NOW)

    assert texts(refused.value.errors["invitation"])[1] == (
        "Vzw De Moeite: Poverty organisations are invited by phone or in person, never by "
        "e-mail only."
    )


def test_a_bulk_change_refuses_a_row_someone_changed_meanwhile_and_logs_no_attendance(
    session, three_on_the_list
):
    event, invitations = three_on_the_list
    seen = {i.id: ("to_invite", "email") for i in invitations}
    update_invitation(session, invitations[1].id, status="declined", now=NOW)  # a colleague
    session.commit()

    with pytest.raises(Invalid) as refused:
        change_invitations(session, event.id, list(seen), status="attended", seen=seen, now=NOW)
    session.commit()

    assert texts(refused.value.errors["invitation"]) == [
        "Nothing was changed: 1 of the 3 invitations cannot be.",
        "Bart was changed by someone else in the meantime (now: Declined, E-mail).",
    ]
    assert [fresh(session, Invitation, i.id).status for i in invitations] == [
        "to_invite",
        "declined",
        "to_invite",
    ]
    assert count(session, ContactLog) == 0


def test_a_bulk_change_refuses_an_invitation_of_another_event(
    session, make_actor, make_event, three_on_the_list
):
    event, invitations = three_on_the_list
    other = make_event(name="Ander atelier")
    (elsewhere,) = add_invitations(
        session, other.id, actor_ids=[make_actor(phone=PHONE).id], now=NOW
    )
    session.commit()

    with pytest.raises(Invalid) as refused:
        change_invitations(
            session, event.id, [invitations[0].id, elsewhere.id], status="invited", now=NOW
        )
    session.commit()

    assert texts(refused.value.errors["invitation"])[1] == (
        f"Invitation {elsewhere.id} is not on this list (any more)."
    )
    assert fresh(session, Invitation, invitations[0].id).status == "to_invite"


def test_a_bulk_change_needs_invitations_and_something_to_change(session, three_on_the_list):
    event, invitations = three_on_the_list

    with pytest.raises(Invalid) as nothing_ticked:
        change_invitations(session, event.id, [], status="invited")
    with pytest.raises(Invalid) as nothing_chosen:
        change_invitations(session, event.id, [invitations[0].id])

    assert texts(nothing_ticked.value.errors["invitation"]) == ["Tick at least one invitation."]
    assert texts(nothing_chosen.value.errors["status"]) == ["Choose a new status or a new channel."]


def test_a_bulk_change_to_an_unknown_status_or_channel_is_refused_once(session, three_on_the_list):
    event, invitations = three_on_the_list

    with pytest.raises(Invalid) as refused:
        change_invitations(
            session, event.id, [i.id for i in invitations], status="maybe", channel="pigeon"
        )

    assert set(refused.value.errors) == {"status", "channel"}
    assert len(refused.value.errors["status"]) == 1
    assert len(refused.value.errors["channel"]) == 1
