"""crm/ideas.py: ideas, owners, dated status updates and the keep-warm list, on SQLite and
PostgreSQL."""

import csv
import io
from datetime import date, datetime, timedelta

import pytest

from crm.ideas import (
    add_status_update,
    create_idea,
    get_idea,
    list_ideas,
    list_updates,
    set_owners,
    update_idea,
)
from crm.invitations import add_invitations, update_invitation
from crm.keep_warm import by_channel, keep_warm_csv, keep_warm_list
from crm.messages import Conflict, Invalid, NotFound
from crm.models import Idea, IdeaUpdate
from tests.domain.conftest import NOW, count, fresh

TODAY = date(2026, 6, 10)  # NOW in Brussels
PHONE = "03 778 30 60"


@pytest.fixture
def make_event(make_event):
    """Ideas are raised at events that took place: a week before NOW."""

    def make(**fields):
        fields.setdefault("starts_at", NOW - timedelta(days=7))
        return make_event(now=NOW, **fields)

    return make


@pytest.fixture
def make_idea(session):
    def make(**fields):
        fields.setdefault("title", "Fietsstraat aan de school")
        idea = create_idea(session, now=NOW, **fields)
        session.commit()
        return idea

    return make


@pytest.fixture
def attend(session):
    """Put the actors on the event's list and mark them as having attended."""

    def mark(event, *actors, status="attended"):
        invitations = add_invitations(session, event.id, actor_ids=[a.id for a in actors], now=NOW)
        for invitation in invitations:
            update_invitation(session, invitation.id, status=status, now=NOW)
        session.commit()

    return mark


def errors_of(excinfo) -> dict[str, list[str]]:
    return {k: [m.render() for m in ms] for k, ms in excinfo.value.errors.items()}


# --- ideas ---------------------------------------------------------------------------------------


def test_a_new_idea_keeps_its_theme_event_and_owners_and_starts_its_timeline_at_its_event(
    session, make_event, make_actor, make_colleague
):
    event = make_event()
    owner = make_actor(name="Buurtcomité Tereken")
    user = make_colleague()

    idea = create_idea(
        session,
        title="  Fietsstraat aan de school ",
        description="Autoluw tussen 8 en 9 uur.",
        theme="mobiliteit",
        event_id=event.id,
        owner_ids=[owner.id],
        user_id=user.id,
        now=NOW,
    )

    stored = fresh(session, Idea, idea.id)
    assert stored.title == "Fietsstraat aan de school"
    assert stored.theme.name == "mobiliteit"
    assert stored.event_id == event.id
    assert [a.id for a in stored.owners] == [owner.id]
    assert stored.status == "new"
    updates = list_updates(session, idea.id)
    assert [(u.status, u.occurred_on, u.author) for u in updates] == [
        ("new", date(2026, 6, 3), user.name)  # the day of the atelier, a week ago
    ]


@pytest.mark.parametrize("days_ahead", [None, 14])
def test_an_idea_without_a_past_event_starts_its_timeline_today(session, make_event, days_ahead):
    event = make_event(starts_at=NOW + timedelta(days=days_ahead)) if days_ahead else None

    idea = create_idea(
        session, title="Speelstraat", event_id=event.id if event else None, status="parked", now=NOW
    )

    assert [(u.status, u.occurred_on) for u in list_updates(session, idea.id)] == [
        ("parked", TODAY)
    ]


def test_an_idea_with_bad_values_is_refused_with_every_fields_message_and_nothing_stored(
    session, make_actor
):
    archived = make_actor(name="Oud comité")
    archived.archived = True
    session.commit()

    with pytest.raises(Invalid) as excinfo:
        create_idea(
            session,
            title="",
            theme="ruimtevaart",
            event_id=999,
            owner_ids=[archived.id, 4242],
            status="dreaming",
            now=NOW,
        )

    errors = errors_of(excinfo)
    assert set(errors) == {"title", "theme", "event_id", "owner_ids", "status"}
    assert errors["owner_ids"] == [
        "Oud comité is archived: restore it first to change it.",
        "There is no actor with number 4242.",
    ]
    session.rollback()
    assert count(session, Idea) == 0
    assert count(session, IdeaUpdate) == 0


@pytest.mark.parametrize(
    "title, stored",
    [("x" * 200, "x" * 200), ("x" * 201, None), ("   ", None), ("tab\x00", None)],
)
def test_the_title_is_required_and_at_most_200_characters(session, title, stored):
    if stored is None:
        with pytest.raises(Invalid) as excinfo:
            create_idea(session, title=title, now=NOW)
        assert set(excinfo.value.errors) == {"title"}
    else:
        assert create_idea(session, title=title, now=NOW).title == stored


def test_owners_are_given_one_per_line_by_number_or_by_name(session, make_idea, make_actor):
    vlaskop = make_actor(name="Vzw De Vlaskop")
    jan = make_actor(name="Jan Peeters")
    ann = make_actor(name="Ann Claes")

    idea = make_idea(owner_ids=f"Vzw De Vlaskop (#{vlaskop.id})\n\n#{jan.id}\nann claes\n")

    owners = fresh(session, Idea, idea.id).owners
    assert [(a.id, a.name) for a in owners] == [
        (ann.id, "Ann Claes"),
        (jan.id, "Jan Peeters"),
        (vlaskop.id, "Vzw De Vlaskop"),
    ]


def test_an_owner_name_that_matches_several_actors_asks_for_the_number(session, make_actor):
    make_actor(name="Jan Peeters")
    make_actor(name="Jan Peetermans")

    with pytest.raises(Invalid) as excinfo:
        create_idea(session, title="Speelstraat", owner_ids="jan peet", now=NOW)

    [message] = errors_of(excinfo)["owner_ids"]
    assert message.startswith("Several actors match: ") and message.endswith("Type the number.")


def test_set_owners_refuses_an_unknown_or_archived_actor_and_keeps_the_owners(
    session, make_idea, make_actor
):
    owner = make_actor()
    archived = make_actor(name="Gesloten vzw")
    archived.archived = True
    session.commit()
    idea = make_idea(owner_ids=[owner.id])

    for bad in ([owner.id, archived.id], [owner.id, 999], ["abc"]):
        with pytest.raises(Invalid):
            set_owners(session, idea.id, bad, now=NOW)
        session.rollback()

    assert [a.id for a in fresh(session, Idea, idea.id).owners] == [owner.id]


def test_set_owners_replaces_the_owners(session, make_idea, make_actor):
    first, second = make_actor(), make_actor()
    idea = make_idea(owner_ids=[first.id])

    set_owners(session, idea.id, [second.id], now=NOW)
    session.commit()

    assert [a.id for a in fresh(session, Idea, idea.id).owners] == [second.id]


def test_a_stale_edit_raises_a_conflict_and_changes_nothing(session, make_idea):
    idea = make_idea()
    old_version = idea.version
    update_idea(session, idea.id, version=old_version, title="Schoolstraat", now=NOW)
    session.commit()

    with pytest.raises(Conflict) as excinfo:
        update_idea(session, idea.id, version=old_version, title="Fietsstraat", now=NOW)

    assert excinfo.value.current_version == old_version + 1
    session.rollback()
    assert fresh(session, Idea, idea.id).title == "Schoolstraat"


def test_an_edit_of_only_the_owners_moves_the_version(session, make_idea, make_actor):
    idea = make_idea()
    version = idea.version

    update_idea(session, idea.id, version=version, owner_ids=[make_actor().id], now=NOW)
    session.commit()

    assert fresh(session, Idea, idea.id).version == version + 1


def test_changing_the_status_in_an_edit_is_recorded_as_a_status_update(session, make_idea):
    idea = make_idea()

    update_idea(session, idea.id, version=idea.version, status="in_progress", now=NOW)
    session.commit()

    assert fresh(session, Idea, idea.id).status == "in_progress"
    assert [u.status for u in list_updates(session, idea.id)] == ["in_progress", "new"]


def test_an_edit_with_an_unknown_field_is_refused(session, make_idea):
    idea = make_idea()

    with pytest.raises(Invalid) as excinfo:
        update_idea(session, idea.id, version=idea.version, created_at=NOW)

    assert set(excinfo.value.errors) == {"created_at"}


@pytest.mark.parametrize("ident", [999, "abc", 2**31, "-1", None])
def test_an_unknown_idea_is_not_found(session, ident):
    with pytest.raises(NotFound):
        get_idea(session, ident)


# --- status updates ------------------------------------------------------------------------------


def test_a_status_update_changes_the_status_and_is_listed_newest_first(
    session, make_idea, make_colleague
):
    idea = make_idea()
    user = make_colleague()

    add_status_update(
        session,
        idea.id,
        status="being_worked_out",
        note="Besproken met de schooldirectie.",
        occurred_on="2026-06-01",
        user_id=user.id,
        now=NOW,
    )
    add_status_update(session, idea.id, status="in_progress", occurred_on=TODAY, now=NOW)
    session.commit()

    assert fresh(session, Idea, idea.id).status == "in_progress"
    updates = list_updates(session, idea.id)
    assert [(u.status, u.occurred_on) for u in updates] == [
        ("in_progress", TODAY),
        ("new", TODAY),
        ("being_worked_out", date(2026, 6, 1)),
    ]
    assert updates[2].note == "Besproken met de schooldirectie."
    assert updates[2].author == user.name


def test_a_status_update_without_a_date_is_dated_today_in_brussels(session, make_idea):
    idea = make_idea()
    late_evening = datetime(2026, 6, 10, 22, 30)  # 00:30 on 11 June in Brussels

    update = add_status_update(session, idea.id, status="parked", now=late_evening)

    assert update.occurred_on == date(2026, 6, 11)


def test_a_back_dated_status_update_does_not_overwrite_a_newer_status(session, make_idea):
    idea = make_idea()
    add_status_update(session, idea.id, status="in_progress", occurred_on=TODAY, now=NOW)

    add_status_update(session, idea.id, status="parked", occurred_on="2026-05-01", now=NOW)
    session.commit()

    assert fresh(session, Idea, idea.id).status == "in_progress"
    assert len(list_updates(session, idea.id)) == 3


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"status": "dreaming"}, "status"),
        ({"status": ""}, "status"),
        ({"status": "realised", "occurred_on": "2026-06-11"}, "occurred_on"),
        ({"status": "realised", "occurred_on": "11/06/2026"}, "occurred_on"),
        ({"status": "realised", "occurred_on": "1999-12-31"}, "occurred_on"),
        ({"status": "realised", "note": "x" * 5001}, "note"),
        ({"status": "realised", "note": "nul\x00"}, "note"),
    ],
)
def test_a_bad_status_update_is_refused_and_nothing_stored(session, make_idea, fields, field):
    idea = make_idea()

    with pytest.raises(Invalid) as excinfo:
        add_status_update(session, idea.id, now=NOW, **fields)

    assert set(excinfo.value.errors) == {field}
    session.rollback()
    assert count(session, IdeaUpdate) == 1  # the first one, of the creation
    assert fresh(session, Idea, idea.id).status == "new"


def test_a_status_update_of_an_unknown_idea_is_not_found(session):
    with pytest.raises(NotFound):
        add_status_update(session, 999, status="new", now=NOW)


# --- the list of ideas ---------------------------------------------------------------------------


def test_the_list_of_ideas_filters_on_status_theme_and_event(session, make_idea, make_event):
    atelier = make_event()
    other = make_event(name="Open atelier")
    bike = make_idea(title="Fietsstraat", theme="mobiliteit", event_id=atelier.id)
    trees = make_idea(title="Bomen op het plein", theme="klimaat", event_id=other.id)
    bench = make_idea(title="Zitbanken", status="realised")

    def titles(**filters):
        return {i.title for i in list_ideas(session, **filters).items}

    assert titles() == {bike.title, trees.title, bench.title}
    assert titles(status="realised") == {bench.title}
    assert titles(theme="klimaat") == {trees.title}
    assert titles(event_id=atelier.id) == {bike.title}
    assert titles(event_id=str(other.id), theme="klimaat") == {trees.title}


@pytest.mark.parametrize(
    "filters",
    [{"status": "dreaming"}, {"theme": "ruimtevaart"}, {"theme": "a\x00"}, {"event_id": "abc"}],
)
def test_an_unknown_filter_value_lists_no_idea(session, make_idea, filters):
    make_idea()

    assert list_ideas(session, **filters).total == 0


def test_the_list_of_ideas_is_paged(session, make_idea):
    for n in range(3):
        make_idea(title=f"Idee {n}")

    page = list_ideas(session, page=2, per_page=2)

    assert page.total == 3 and len(page.items) == 1 and page.pages == 2


# --- the keep-warm list --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "scope",
    [{}, {"event_id": None, "theme": ""}, {"event_id": 1, "theme": "mobiliteit"}],
)
def test_the_keep_warm_list_needs_exactly_one_of_an_event_or_a_theme(session, make_event, scope):
    make_event()

    with pytest.raises(Invalid) as excinfo:
        keep_warm_list(session, **scope)

    assert set(excinfo.value.errors) == {"scope"}


@pytest.mark.parametrize(
    "scope, field",
    [({"event_id": 999}, "event_id"), ({"event_id": "x"}, "event_id"), ({"theme": "x"}, "theme")],
)
def test_the_keep_warm_list_of_an_unknown_event_or_theme_is_refused(session, scope, field):
    with pytest.raises(Invalid) as excinfo:
        keep_warm_list(session, **scope)

    assert set(excinfo.value.errors) == {field}


def test_participants_and_owners_of_an_event_are_listed_once_each_with_their_roles(
    session, make_event, make_idea, make_actor, attend
):
    event = make_event()
    elsewhere = make_event(name="Infosessie")
    came = make_actor(name="Ann Claes", email="ann@example.be")
    came_and_owns = make_actor(name="Buurtcomité Tereken", email="info@tereken.be")
    owns = make_actor(name="Jan Peeters", email="jan@example.be", district="Belsele")
    stayed_home = make_actor(name="Karel Absent", email="karel@example.be")
    confirmed = make_actor(name="Lies Bevestigd", email="lies@example.be")
    other_owner = make_actor(name="Piet Elders", email="piet@example.be")
    attend(event, came, came_and_owns)
    attend(event, stayed_home, status="no_show")
    attend(event, confirmed, status="confirmed")
    attend(elsewhere, other_owner)
    make_idea(title="Fietsstraat", event_id=event.id, owner_ids=[came_and_owns.id, owns.id])
    make_idea(title="Elders", event_id=elsewhere.id, owner_ids=[other_owner.id])

    rows = keep_warm_list(session, event_id=event.id)

    assert [(r.name, r.roles) for r in rows] == [
        ("Ann Claes", ("participant",)),
        ("Buurtcomité Tereken", ("participant", "owner")),
        ("Jan Peeters", ("owner",)),
    ]
    assert [i.title for i in rows[1].ideas] == ["Fietsstraat"]
    assert rows[0].ideas == ()
    assert (rows[2].kind, rows[2].district) == ("resident", "Belsele")


@pytest.mark.parametrize(
    "details, channel, reasons, shown",
    [
        ({"email": "jan@example.be", "address": "Markt 1"}, "email", (), "jan@example.be"),
        (
            {"email": "jan@example.be", "do_not_email": True, "address": "Markt 1"},
            "letter",
            (),
            "Markt 1",
        ),
        ({"address": "Markt 1", "phone": PHONE}, "letter", (), "Markt 1"),
        ({"phone": "+3237783060"}, "phone", (), PHONE),
        ({"email": "jan@example.be", "do_not_email": True, "phone": PHONE}, "phone", (), PHONE),
        ({"phone": PHONE, "do_not_phone": True}, "none", ("do_not_phone",), None),
        (
            {"email": "j@example.be", "do_not_email": True, "phone": PHONE, "do_not_phone": True},
            "none",
            ("do_not_email", "do_not_phone"),
            None,
        ),
        ({}, "none", ("no_contact_details",), None),
    ],
)
def test_each_person_gets_email_else_a_letter_else_a_call_else_none_with_the_reason(
    session, make_event, make_idea, make_actor, details, channel, reasons, shown
):
    event = make_event()
    owner = make_actor(name="Jan Peeters", **details)
    make_idea(event_id=event.id, owner_ids=[owner.id])

    [row] = keep_warm_list(session, event_id=event.id)

    assert (row.channel, row.reasons) == (channel, reasons)
    if channel == "email":
        assert row.email == shown
    elif channel == "letter":
        assert row.address == shown
    elif channel == "phone":
        assert row.phone == shown
    # a detail the person asked not to be used never travels with the list
    assert row.email == ("" if details.get("do_not_email") else details.get("email", ""))
    assert row.phone == ("" if details.get("do_not_phone") or "phone" not in details else PHONE)


def test_every_row_of_the_list_sits_in_exactly_one_channel_group(
    session, make_event, make_idea, make_actor
):
    event = make_event()
    by_mail = make_actor(email="a@example.be")
    by_letter = make_actor(address="Markt 1")
    by_phone = make_actor(phone=PHONE)
    unreachable = make_actor()
    make_idea(event_id=event.id, owner_ids=[by_mail.id, by_letter.id, by_phone.id, unreachable.id])

    groups = by_channel(keep_warm_list(session, event_id=event.id))

    assert {k: [r.actor_id for r in v] for k, v in groups.items()} == {
        "email": [by_mail.id],
        "letter": [by_letter.id],
        "phone": [by_phone.id],
        "none": [unreachable.id],
    }


def test_the_list_shows_the_latest_status_of_each_idea_and_the_date_of_its_latest_update(
    session, make_event, make_idea, make_actor
):
    event = make_event(starts_at=datetime(2026, 5, 20, 17, 0))
    owner = make_actor(email="jan@example.be")
    bike = make_idea(title="Fietsstraat", event_id=event.id, owner_ids=[owner.id])
    trees = make_idea(title="Bomen", event_id=event.id, owner_ids=[owner.id])
    make_idea(title="Zitbank", event_id=event.id, owner_ids=[owner.id])
    add_status_update(session, bike.id, status="in_progress", occurred_on="2026-06-08", now=NOW)
    add_status_update(
        session, bike.id, status="being_worked_out", occurred_on="2026-06-01", now=NOW
    )
    add_status_update(session, trees.id, status="parked", occurred_on=TODAY, now=NOW)
    add_status_update(session, trees.id, status="realised", occurred_on=TODAY, now=NOW)
    session.commit()

    [row] = keep_warm_list(session, event_id=event.id)

    assert [(i.title, i.status, i.updated_on) for i in row.ideas] == [
        ("Bomen", "realised", TODAY),
        ("Fietsstraat", "in_progress", date(2026, 6, 8)),
        ("Zitbank", "new", date(2026, 5, 20)),  # raised at the atelier, no news since
    ]


def test_the_list_of_a_theme_gathers_the_participants_of_its_events_and_its_idea_owners(
    session, make_event, make_idea, make_actor, attend
):
    mobility = make_event(themes=["mobiliteit"])
    climate = make_event(name="Klimaatatelier", themes=["klimaat"])
    cyclist = make_actor(name="Ann Fietser", email="ann@example.be")
    planter = make_actor(name="Bert Planter", email="bert@example.be")
    owner = make_actor(name="Cas Eigenaar", email="cas@example.be")
    other_owner = make_actor(name="Dirk Klimaat", email="dirk@example.be")
    attend(mobility, cyclist)
    attend(climate, planter)
    make_idea(title="Deelfietsen", theme="mobiliteit", event_id=climate.id, owner_ids=[owner.id])
    make_idea(title="Groendak", theme="klimaat", owner_ids=[other_owner.id])

    rows = keep_warm_list(session, theme="mobiliteit")

    assert [(r.name, r.roles) for r in rows] == [
        ("Ann Fietser", ("participant",)),
        ("Cas Eigenaar", ("owner",)),
    ]


def test_archived_actors_are_left_off_the_keep_warm_list(
    session, make_event, make_idea, make_actor, attend
):
    event = make_event()
    gone = make_actor(email="weg@example.be")
    attend(event, gone)
    make_idea(event_id=event.id, owner_ids=[gone.id])
    gone.archived = True
    session.commit()

    assert keep_warm_list(session, event_id=event.id) == []


def test_the_keep_warm_csv_reads_back_with_the_ideas_and_the_channel(
    session, make_event, make_idea, make_actor
):
    event = make_event()
    owner = make_actor(name='=HYPERLINK("http://x")', phone=PHONE)
    make_idea(title="Café op het plein", event_id=event.id, owner_ids=[owner.id])

    data = b"".join(keep_warm_csv(keep_warm_list(session, event_id=event.id), dialect="plain"))

    header, row = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    assert header[:2] == ["Number", "Name"]
    record = dict(zip(header, row, strict=True))
    assert record["Name"] == '\'=HYPERLINK("http://x")'
    assert record["Channel"] == "Phone call"
    assert record["Phone"] == PHONE
    assert record["Ideas"] == "Café op het plein (New, 2026-06-03)"  # the atelier's day
    assert record["Role"] == "Idea owner"


def test_an_unknown_csv_dialect_is_refused_before_any_byte(session):
    with pytest.raises(Invalid) as excinfo:
        keep_warm_csv([], dialect="excel-us")

    assert set(excinfo.value.errors) == {"dialect"}


def test_a_poverty_organisation_gets_its_news_by_phone_before_a_letter_or_an_email(
    session, make_event, make_idea, make_actor
):
    event = make_event()
    phoned = make_actor(
        kind="poverty_organisation", email="info@kompas.be", address="Markt 1", phone=PHONE
    )
    written = make_actor(kind="poverty_organisation", email="info@moeite.be", address="Markt 2")
    mailed = make_actor(kind="poverty_organisation", email="info@enkel-mail.be")
    make_idea(event_id=event.id, owner_ids=[phoned.id, written.id, mailed.id])

    rows = {row.actor_id: row.channel for row in keep_warm_list(session, event_id=event.id)}

    assert rows == {phoned.id: "phone", written.id: "letter", mailed.id: "email"}
