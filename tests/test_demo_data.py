"""`flask demo-data` and demo.city: a realistic, reproducible Sint-Niklaas, on both backends."""

import json
from collections import Counter
from datetime import datetime, timedelta

import phonenumbers
import pytest
from sqlalchemy import func, inspect, select

from crm.actors import create_actor
from crm.clock import utcnow
from crm.contacts import CONTACT_DATE_FIELDS, log_contact, refresh_contact_dates
from crm.models import Actor, ContactLog, District, Relation, actor_themes
from crm.reach import actor_reach_status
from crm.validation import parse_email, search_key
from crm.vocabulary import DEFAULT_DISTRICTS, DIRECT_CHANNELS, Kind, ReachStatus
from demo.city import DatabaseNotEmpty, load_demo_data
from tests.support.database import reset

WINDOW_DAYS = 180
ORGANISATION_KINDS = {k.value for k in Kind} - {Kind.RESIDENT.value}
NOW = datetime(2026, 6, 10, 12, 0, 0)


@pytest.fixture
def flask_cli(app):
    runner = app.test_cli_runner()

    def run(*args: str):
        return runner.invoke(args=list(args))

    return run


@pytest.fixture
def demo(flask_cli, session):
    """A small demo city loaded through the command line; the session sees it."""
    result = flask_cli("demo-data", "--actors", "400", "--contacts", "4000", "--seed", "7")
    assert result.exit_code == 0, result.output
    session.commit()
    session.expire_all()
    return session


def actors(session) -> list[Actor]:
    return list(session.scalars(select(Actor).order_by(Actor.id)))


def direct_share(group: list[Actor], now: datetime) -> float:
    """The share of actors reached directly in the window (docs/rules-of-reach.md#reach-status)."""
    statuses = [actor_reach_status(a, now=now, window_days=WINDOW_DAYS) for a in group]
    return statuses.count(ReachStatus.DIRECT) / len(statuses)


def dump(engine) -> dict:
    """Every demo row, in id order."""
    with engine.connect() as connection:
        return {
            table.name: connection.execute(select(table).order_by(*table.primary_key)).all()
            for table in (Actor.__table__, actor_themes, ContactLog.__table__, Relation.__table__)
        }


def test_demo_data_loads_exactly_the_asked_numbers_and_says_how_long_it_took(flask_cli, session):
    result = flask_cli(
        "demo-data", "--actors", "250", "--contacts", "1200", "--relations", "300", "--seed", "2"
    )

    assert result.exit_code == 0, result.output
    assert "Loaded 250 actors, 1,200 contacts and 300 relations in " in result.stdout
    assert result.stdout.rstrip().endswith(" s.")
    session.commit()
    counts = [
        session.scalar(select(func.count()).select_from(model))
        for model in (Actor, ContactLog, Relation)
    ]
    assert counts == [250, 1200, 300]


def test_demo_city_has_every_kind_and_dozens_of_poverty_organisations(flask_cli, session):
    flask_cli("demo-data", "--actors", "1000", "--contacts", "0")

    session.commit()
    kinds = Counter(session.scalars(select(Actor.kind)))
    assert set(kinds) == {k.value for k in Kind}
    assert kinds[Kind.POVERTY_ORGANISATION] >= 30
    assert kinds[Kind.CIVIC_ASSOCIATION] >= 30
    assert kinds[Kind.RESIDENT] > kinds[Kind.BUSINESS] > kinds[Kind.POVERTY_ORGANISATION]


def test_demo_actors_live_in_the_four_districts_with_matching_postcodes(demo):
    districts = dict(demo.execute(select(District.id, District.name)).all())
    postcodes = {"Sint-Niklaas": "9100", "Belsele": "9111", "Sinaai": "9112"}
    postcodes["Nieuwkerken-Waas"] = "9100"
    seen = Counter()
    for actor in actors(demo):
        name = districts[actor.district_id]
        seen[name] += 1
        if actor.address:
            assert actor.postcode == postcodes[name], actor
    assert set(seen) == set(DEFAULT_DISTRICTS)
    assert seen["Sint-Niklaas"] > seen["Sinaai"]


def test_demo_names_are_flemish_with_accents_and_searchable_without(demo):
    everyone = actors(demo)
    names = [a.name for a in everyone]

    assert any(not name.isascii() for name in names)
    assert any("'t " in name for name in names)  # 'Café 't Hoekske', 'Vzw 't Zonnetje'
    assert all(a.search_name == search_key(a.name) for a in everyone)


def test_demo_phone_numbers_are_valid_belgian_numbers_in_e164(demo):
    phones = [a.phone for a in actors(demo) if a.phone]

    assert len(phones) > 250
    for phone in phones:
        number = phonenumbers.parse(phone)
        assert phonenumbers.is_valid_number(number), phone
        assert phonenumbers.region_code_for_number(number) == "BE"
        assert phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) == phone
        national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        assert national.startswith(("03 7", "047", "048", "049")), national


def test_demo_email_addresses_are_valid_and_lower_case(demo):
    emails = [a.email for a in actors(demo) if a.email]

    assert len(emails) > 250
    assert all(parse_email(e) == e for e in emails)


def test_demo_persons_are_linked_to_organisations(demo):
    kind_of = dict(demo.execute(select(Actor.id, Actor.kind)).all())
    relations = demo.execute(select(Relation.source_id, Relation.target_id, Relation.type)).all()
    person_to_organisation = Counter(
        type_
        for source, target, type_ in relations
        if kind_of[source] == Kind.RESIDENT and kind_of[target] in ORGANISATION_KINDS
    )

    for type_ in ("works_for", "member_of", "represents"):
        assert person_to_organisation[type_] >= 10, person_to_organisation
    types = Counter(type_ for _, _, type_ in relations)
    assert types["knows"] > 0 and types["partner_of"] > 0
    poverty = {a for a, kind in kind_of.items() if kind == Kind.POVERTY_ORGANISATION}
    assert any(t in poverty for _, t, type_ in relations if type_ == "member_of")
    assert all(source != target for source, target, _ in relations)
    symmetric = [frozenset((s, t)) for s, t, type_ in relations if type_ in ("knows", "partner_of")]
    assert len(symmetric) == len(set(symmetric))  # never both A knows B and B knows A


def test_demo_has_influence_interest_themes_and_do_not_phone_flags(demo):
    everyone = actors(demo)

    assert {a.influence for a in everyone} == {1, 2, 3, 4, 5}
    assert {a.interest for a in everyone} == {1, 2, 3, 4, 5}
    assert any(a.do_not_phone for a in everyone)
    assert sum(bool(a.themes) for a in everyone) > len(everyone) / 2
    poverty = [a for a in everyone if a.kind == Kind.POVERTY_ORGANISATION]
    assert sum("armoede" in {t.name for t in a.themes} for a in poverty) > len(poverty) / 2


def test_demo_contact_dates_equal_what_refresh_contact_dates_computes(demo):
    everyone = actors(demo)
    sample = everyone[::13] + [a for a in everyone if a.last_contact_at is None][:3]
    stored = {a.id: tuple(getattr(a, f) for f in CONTACT_DATE_FIELDS) for a in sample}

    for actor_id in stored:
        refresh_contact_dates(demo, actor_id)
    demo.flush()
    demo.expire_all()

    recomputed = {a.id: tuple(getattr(a, f) for f in CONTACT_DATE_FIELDS) for a in actors(demo)}
    assert {i: recomputed[i] for i in stored} == stored
    assert any(dates[2] is not None for dates in stored.values())  # some reached directly
    assert any(dates[0] is None for dates in stored.values())  # some never contacted
    demo.rollback()


def test_demo_dates_compare_in_sql_like_the_apps_own(demo):
    # SQLite stores text: a demo date written in another format would miss `=` and `>=`.
    contact = demo.scalars(select(ContactLog).order_by(ContactLog.id).limit(1)).one()
    actor = demo.get(Actor, contact.actor_id)

    same = demo.scalar(select(func.count()).where(ContactLog.occurred_at == contact.occurred_at))
    latest = demo.scalar(
        select(func.count()).where(
            Actor.last_contact_at == actor.last_contact_at, Actor.id == actor.id
        )
    )

    assert same >= 1
    assert actor.last_contact_at is None or latest == 1


def test_demo_contacts_spread_over_two_years_and_never_lie_in_the_future(demo):
    now = utcnow()
    first, last = demo.execute(
        select(func.min(ContactLog.occurred_at), func.max(ContactLog.occurred_at))
    ).one()
    contacts = list(demo.scalars(select(ContactLog)))

    assert last <= now
    assert first < now - timedelta(days=600)
    outside = sum(c.occurred_at < now - timedelta(days=WINDOW_DAYS) for c in contacts)
    assert 0.3 < outside / len(contacts) < 0.8
    for contact in contacts:
        if contact.follow_up_on is not None:
            assert contact.follow_up_on >= contact.occurred_at.date()
        if contact.follow_up_done_at is not None:
            assert contact.follow_up_done_at <= now
    assert any(c.follow_up_on and not c.follow_up_done_at for c in contacts)  # open follow-ups


def test_demo_reach_has_the_real_world_skew(demo):
    now = utcnow()
    everyone = [a for a in actors(demo) if not a.archived]
    by_kind = {k: [a for a in everyone if a.kind == k] for k in Kind}
    districts = dict(demo.execute(select(District.id, District.name)).all())
    by_district = {
        d: [a for a in everyone if districts[a.district_id] == d] for d in DEFAULT_DISTRICTS
    }

    businesses = direct_share(by_kind[Kind.BUSINESS], now)
    knowledge = direct_share(by_kind[Kind.KNOWLEDGE_INSTITUTION], now)
    poverty = direct_share(by_kind[Kind.POVERTY_ORGANISATION], now)
    neglected = [direct_share(by_district[d], now) for d in ("Sinaai", "Nieuwkerken-Waas")]
    others = [direct_share(by_district[d], now) for d in ("Sint-Niklaas", "Belsele")]

    assert businesses > 0.45
    assert poverty < businesses - 0.25
    assert poverty < knowledge
    assert max(neglected) < min(others) - 0.05


def test_demo_poverty_organisations_are_mostly_mailed_and_residents_often_not_answering(demo):
    kind_of = dict(demo.execute(select(Actor.id, Actor.kind)).all())
    contacts = demo.execute(
        select(ContactLog.actor_id, ContactLog.channel, ContactLog.outcome)
    ).all()
    direct = {c.value for c in DIRECT_CHANNELS}

    def direct_part(kind):
        own = [c for c in contacts if kind_of[c.actor_id] == kind]
        return sum(c.channel in direct for c in own) / len(own)

    assert direct_part(Kind.POVERTY_ORGANISATION) < 0.25 < direct_part(Kind.BUSINESS)
    resident_calls = [
        c for c in contacts if kind_of[c.actor_id] == Kind.RESIDENT and c.channel == "phone"
    ]
    failed = sum(c.outcome in ("no_answer", "left_message") for c in resident_calls)
    assert failed / len(resident_calls) > 0.4


def test_same_seed_gives_the_same_data_and_another_seed_other_data(clean_db):
    def load(seed: int) -> dict:
        reset(clean_db)
        with clean_db.begin() as connection:
            load_demo_data(connection, actors=150, contacts=900, seed=seed, now=NOW)
        return dump(clean_db)

    first = load(5)
    again = load(5)
    other = load(6)

    assert first == again
    assert len(first["contact_logs"]) == 900
    assert first["actors"] != other["actors"]
    assert first["contact_logs"] != other["contact_logs"]


def test_demo_data_refuses_a_database_that_has_actors(flask_cli, make_actor, session):
    make_actor(name="Vzw De Vlaskop", kind="poverty_organisation")

    result = flask_cli("demo-data", "--actors", "50", "--contacts", "100")

    assert result.exit_code != 0
    assert "empty database" in result.stderr
    assert "Traceback" not in result.output
    session.commit()
    assert session.scalar(select(func.count()).select_from(Actor)) == 1
    assert session.scalar(select(func.count()).select_from(ContactLog)) == 0


def test_load_demo_data_raises_on_a_database_with_actors(clean_db, make_actor):
    make_actor()

    with clean_db.begin() as connection, pytest.raises(DatabaseNotEmpty):
        load_demo_data(connection, actors=10, contacts=10)


def test_the_schema_is_unchanged_after_a_load(clean_db):
    def schema() -> dict:
        inspector = inspect(clean_db)
        tables = ("actors", "actor_themes", "contact_logs", "relations")

        def key(item):
            return json.dumps(item, sort_keys=True, default=str)  # partial index: WHERE text

        return {
            t: (
                sorted(map(key, inspector.get_indexes(t))),
                sorted(map(key, inspector.get_foreign_keys(t))),
                sorted(map(key, inspector.get_unique_constraints(t))),
            )
            for t in tables
        }

    before = schema()
    with clean_db.begin() as connection:
        load_demo_data(connection, actors=60, contacts=300)

    assert schema() == before


def test_new_rows_get_fresh_ids_after_a_load(clean_db, session, make_user):
    user = make_user("staff")
    with clean_db.begin() as connection:
        load_demo_data(connection, actors=80, contacts=400, relations=50, user_ids=[user.id])

    actor = create_actor(session, name="Café 't Hoekske", kind="business", district="Sinaai")
    contact = log_contact(session, actor_id=actor.id, channel="phone", outcome="reached")
    session.commit()

    assert actor.id == 81
    assert contact.id == 401
    authors = set(session.scalars(select(ContactLog.created_by_id).where(ContactLog.id <= 400)))
    assert authors == {user.id}


def test_demo_data_makes_the_existing_accounts_the_authors_of_the_contacts(
    flask_cli, make_user, session
):
    staff, coordinator = make_user("staff"), make_user("coordinator")

    result = flask_cli("demo-data", "--actors", "60", "--contacts", "400")

    assert result.exit_code == 0, result.output
    session.commit()
    authors = Counter(session.scalars(select(ContactLog.created_by_id)))
    assert set(authors) == {staff.id, coordinator.id}


def test_every_demo_contact_has_an_outcome_its_channel_can_have(demo):
    from tests.domain.test_contacts import POSSIBLE

    pairs = set(demo.execute(select(ContactLog.channel, ContactLog.outcome).distinct()).all())

    assert pairs and {(c, o) for c, o in pairs if o not in POSSIBLE[c]} == set()
