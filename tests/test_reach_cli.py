"""`flask reach report`: the flags and the ranked actions as text, CSV and JSON."""

import csv
import io
import json

import pytest

from crm.contacts import log_contact


@pytest.fixture
def flask_cli(app):
    runner = app.test_cli_runner()

    def run(*args: str):
        return runner.invoke(args=["reach", "report", *args])

    return run


@pytest.fixture
def flagged(make_actor, session):
    """A poverty organisation to visit in Sinaai, and four businesses in Belsele (one reached)."""
    zonnebloem = make_actor(
        name="Vzw De Zonnebloem",
        kind="poverty_organisation",
        district="Sinaai",
        phone="03 778 30 60",
        address="Kerkstraat 12",
    )
    businesses = [
        make_actor(
            name=f"Bakkerij {n}", kind="business", district="Belsele", phone=f"0470 12 34 5{n}"
        )
        for n in range(4)
    ]
    log_contact(session, actor_id=businesses[0].id, channel="visit", outcome="reached")
    session.commit()
    return zonnebloem, businesses


def test_json_report_lists_flagged_groups_poverty_organisations_and_ranked_actions(
    flask_cli, flagged
):
    zonnebloem, businesses = flagged

    result = flask_cli("--format", "json", "--lang", "en")

    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    groups = {g["ident"]: g for g in report["groups"]}
    assert groups["kind:business"]["sentence"] == "Businesses: 1 of 4 reached directly"
    assert groups["kind:business"]["flag"] == "under_reached"
    assert (groups["kind:business"]["direct"], groups["kind:business"]["share_direct"]) == (
        1,
        0.25,
    )
    assert groups["kind:poverty_organisation"]["flag"] == "too_few_known"
    assert [p["actor_id"] for p in report["poverty_organisations"]] == [zonnebloem.id]
    actions = {a["actor_id"]: a for a in report["actions"]}
    assert set(actions) == {zonnebloem.id} | {b.id for b in businesses[1:]}
    visit = actions[zonnebloem.id]
    assert visit["action"] == "visit"
    assert visit["reason"] == "Poverty organisations are reached in person: visit them."
    assert (visit["name"], visit["kind"], visit["district"]) == (
        "Vzw De Zonnebloem",
        "poverty_organisation",
        "Sinaai",
    )
    assert visit["phone"] == "+3237783060"
    assert visit["introducer"] is None
    assert [a["rank"] for a in report["actions"]] == [1, 2, 3, 4]
    priorities = [a["priority"] for a in report["actions"]]
    assert priorities == sorted(priorities, reverse=True)


def test_csv_report_has_a_header_and_one_row_per_action(flask_cli, flagged):
    zonnebloem, _ = flagged

    result = flask_cli("--format", "csv", "--lang", "en")

    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == [
        "rank",
        "actor_id",
        "name",
        "kind",
        "district",
        "status",
        "action",
        "reason",
        "introducer_id",
        "introducer",
        "priority",
        "phone",
        "groups",
    ]
    assert len(rows) == 4
    visit = next(r for r in rows if r["actor_id"] == str(zonnebloem.id))
    assert (visit["action"], visit["phone"], visit["kind"]) == (
        "Visit",
        "03 778 30 60",
        "Poverty organisation",
    )


@pytest.mark.parametrize(
    "name", ['=HYPERLINK("http://evil.example","click")', "+32 trick", "-2+3", "@SUM(A1)"]
)
def test_csv_report_cells_never_start_a_formula(flask_cli, make_actor, name):
    make_actor(name=name, kind="poverty_organisation", phone="03 778 30 60")

    result = flask_cli("--format", "csv", "--lang", "en")

    row = next(csv.DictReader(io.StringIO(result.stdout)))
    assert row["name"] == "'" + name


def test_text_report_shows_the_sentences_and_actions_for_a_person(flask_cli, flagged):
    result = flask_cli("--lang", "en")

    assert result.exit_code == 0, result.output
    assert "[Under-reached] Businesses: 1 of 4 reached directly (25%)" in result.stdout
    assert "Poverty organisations not reached directly (1)" in result.stdout
    assert "Vzw De Zonnebloem" in result.stdout
    assert "Visit: Poverty organisations are reached in person: visit them." in result.stdout
    assert "phone 03 778 30 60" in result.stdout


def test_text_report_says_so_when_nothing_is_flagged(flask_cli):
    result = flask_cli("--lang", "en")

    assert result.exit_code == 0, result.output
    assert "Nothing to catch up on" in result.stdout


def test_report_of_a_district_holds_only_the_work_in_that_district(flask_cli, flagged):
    zonnebloem, businesses = flagged

    result = flask_cli("--district", "Sinaai", "--format", "json", "--lang", "en")

    report = json.loads(result.stdout)
    assert [a["actor_id"] for a in report["actions"]] == [zonnebloem.id]
    assert report["filters"] == {"district": "Sinaai"}
    assert "kind:business" not in {g["ident"] for g in report["groups"]}
    belsele = json.loads(flask_cli("--district", "Belsele", "--format", "json").stdout)
    assert {a["actor_id"] for a in belsele["actions"]} == {b.id for b in businesses[1:]}
    assert belsele["poverty_organisations"] == []


def test_report_of_an_unknown_district_fails_with_the_choices(flask_cli, flagged):
    result = flask_cli("--district", "Atlantis")

    assert result.exit_code == 1
    assert "Unknown district 'Atlantis'" in result.stderr
    assert "Sinaai" in result.stderr


def test_report_names_the_introducer(flask_cli, make_actor, session):
    from crm.relations import add_relation

    hidden = make_actor(name="Vzw Verborgen", kind="poverty_organisation")
    pastor = make_actor(name="Pastoor Jan")
    log_contact(session, actor_id=pastor.id, channel="visit", outcome="reached")
    add_relation(session, source_id=pastor.id, target_id=hidden.id, type="knows", strength=3)
    session.commit()

    report = json.loads(flask_cli("--format", "json").stdout)

    action = next(a for a in report["actions"] if a["actor_id"] == hidden.id)
    assert (action["action"], action["introducer_id"], action["introducer"]) == (
        "introduce",
        pastor.id,
        "Pastoor Jan",
    )
    text = flask_cli("--lang", "en").stdout
    assert f"introducer: #{pastor.id} Pastoor Jan" in text


def test_report_speaks_the_default_language_unless_asked(flask_cli, flagged, app):
    default = flask_cli("--format", "csv").stdout
    english = flask_cli("--format", "csv", "--lang", "en").stdout

    assert app.config["BABEL_DEFAULT_LOCALE"] == "nl"
    assert "Bezoek" in default and ",Visit," in english
