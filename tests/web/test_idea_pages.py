"""The idea pages and the keep-warm list through the test client: roles, bad input, conflicts,
escaping, and the keep-warm CSV (permission, content, export log)."""

import csv
import io
import json
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from crm.clock import today_in_city, utcnow
from crm.ideas import add_status_update, create_idea
from crm.invitations import add_invitations, update_invitation
from crm.models import ExportLog, Idea, IdeaUpdate
from crm.users import set_can_export
from tests.conftest import post_form

PHONE = "03 778 30 60"


@pytest.fixture
def staff(make_user, login):
    user = make_user("staff")
    login(user)
    return user


@pytest.fixture
def coordinator(make_user, login):
    user = make_user("coordinator")
    login(user)
    return user


@pytest.fixture
def make_event(make_event):
    """Ideas are raised at events that took place: a week ago."""

    def make(**fields):
        fields.setdefault("starts_at", utcnow() - timedelta(days=7))
        return make_event(**fields)

    return make


@pytest.fixture
def make_idea(session):
    def make(**fields):
        fields.setdefault("title", "Fietsstraat aan de school")
        idea = create_idea(session, **fields)
        session.commit()
        return idea

    return make


@pytest.fixture
def attended(session):
    def mark(event, *actors):
        for invitation in add_invitations(session, event.id, actor_ids=[a.id for a in actors]):
            update_invitation(session, invitation.id, status="attended")
        session.commit()

    return mark


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def page_of(response) -> str:
    return response.get_data(as_text=True)


# --- roles ---------------------------------------------------------------------------------------


def test_staff_see_ideas_but_cannot_create_or_edit_them(staff, client, session, make_idea):
    idea = make_idea()

    listing = page_of(client.get("/ideas"))
    assert f'data-idea-id="{idea.id}"' in listing
    assert 'id="new-idea"' not in listing
    assert 'id="edit-idea"' not in page_of(client.get(f"/ideas/{idea.id}"))
    assert client.get("/ideas/new").status_code == 403
    assert client.get(f"/ideas/{idea.id}/edit").status_code == 403
    assert post_form(client, "/ideas/new", {"title": "Speelstraat"}).status_code == 403
    assert count(session, Idea) == 1


def test_staff_add_a_dated_status_update_which_changes_the_status_and_shows_first(
    staff, client, session, make_idea
):
    idea = make_idea()

    today = today_in_city().isoformat()

    response = post_form(
        client,
        f"/ideas/{idea.id}/updates",
        {"status": "in_progress", "occurred_on": today, "note": "Schepen akkoord."},
    )

    assert response.status_code == 302
    session.expire_all()
    assert session.get(Idea, idea.id).status == "in_progress"
    page = page_of(client.get(response.headers["Location"]))
    assert 'id="idea-status" data-status="in_progress"' in page
    timeline = page[page.index('id="updates"') :]
    newest = f'data-status="in_progress" data-date="{today}"'
    assert timeline.index(newest) < timeline.index('data-status="new"')
    assert "Schepen akkoord." in timeline


def test_a_back_dated_status_update_is_listed_but_keeps_the_newer_status(
    staff, client, session, make_idea
):
    idea = make_idea()
    month_ago = (today_in_city() - timedelta(days=30)).isoformat()

    response = post_form(
        client, f"/ideas/{idea.id}/updates", {"status": "parked", "occurred_on": month_ago}
    )

    assert response.status_code == 302
    page = page_of(client.get(response.headers["Location"]))
    assert 'id="idea-status" data-status="new"' in page
    assert f'data-status="parked" data-date="{month_ago}"' in page


def test_a_coordinator_creates_an_idea_with_owners_typed_by_name_and_number(
    coordinator, client, session, make_event, make_actor
):
    event = make_event()
    vlaskop = make_actor(name="Vzw De Vlaskop", kind="poverty_organisation")
    jan = make_actor(name="Jan Peeters")

    response = post_form(
        client,
        "/ideas/new",
        {
            "title": "Ontmoetingsplek in de buurt",
            "description": "Een plek om samen te koken.",
            "theme": "armoede",
            "event_id": str(event.id),
            "owner_ids": f"vzw de vlaskop\n#{jan.id}",
            "status": "being_worked_out",
        },
    )

    assert response.status_code == 302
    idea = session.scalar(select(Idea))
    assert (idea.theme.name, idea.event_id, idea.status) == (
        "armoede",
        event.id,
        "being_worked_out",
    )
    assert sorted(a.id for a in idea.owners) == sorted([vlaskop.id, jan.id])
    page = page_of(client.get(response.headers["Location"]))
    assert f'<a href="/actors/{vlaskop.id}">Vzw De Vlaskop</a>' in page
    assert f'id="idea-event" href="/events/{event.id}"' in page


@pytest.mark.parametrize(
    "field, value",
    [
        ("title", ""),
        ("title", "x" * 201),
        ("title", "nul\x00"),
        ("theme", "ruimtevaart"),
        ("event_id", "999"),
        ("event_id", "abc"),
        ("owner_ids", "Niemand Bekend"),
        ("owner_ids", "99999999999999999999"),
        ("status", "dreaming"),
    ],
)
def test_bad_input_on_the_idea_form_is_refused_with_a_message_and_nothing_stored(
    coordinator, client, session, field, value
):
    response = post_form(client, "/ideas/new", {"title": "Speelstraat", field: value})

    assert response.status_code == 422
    page = page_of(response)
    assert 'class="error-text"' in page
    assert count(session, Idea) == 0


@pytest.mark.parametrize(
    "data",
    [
        {"status": "dreaming"},
        {"status": "realised", "occurred_on": "2999-01-01"},
        {"status": "realised", "occurred_on": "gisteren"},
    ],
)
def test_a_bad_status_update_is_refused_with_a_message_and_nothing_stored(
    staff, client, session, make_idea, data
):
    idea = make_idea()

    response = post_form(client, f"/ideas/{idea.id}/updates", data)

    assert response.status_code == 422
    assert 'class="error-text"' in page_of(response)
    assert count(session, IdeaUpdate) == 1
    session.expire_all()
    assert session.get(Idea, idea.id).status == "new"


def test_posts_without_a_csrf_token_are_refused_and_store_nothing(
    coordinator, client, session, make_idea
):
    idea = make_idea()

    assert client.post("/ideas/new", data={"title": "Speelstraat"}).status_code == 400
    assert client.post(f"/ideas/{idea.id}/updates", data={"status": "parked"}).status_code == 400
    edit = client.post(f"/ideas/{idea.id}/edit", data={"title": "X", "version": idea.version})
    assert edit.status_code == 400
    assert count(session, Idea) == 1 and count(session, IdeaUpdate) == 1
    session.expire_all()
    assert session.get(Idea, idea.id).title == "Fietsstraat aan de school"


@pytest.mark.parametrize("ident", ["999", "abc", "01", "0", "-1", "99999999999999999999", "١"])
def test_odd_or_unknown_idea_ids_give_a_404_page(coordinator, client, ident):
    assert client.get(f"/ideas/{ident}").status_code == 404
    assert client.get(f"/ideas/{ident}/edit").status_code == 404
    assert post_form(client, f"/ideas/{ident}/updates", {"status": "new"}).status_code == 404


def test_typed_values_are_escaped_in_the_pages(coordinator, client, make_actor):
    make_actor(name="<b>Baas</b>")
    script = "<script>alert(1)</script>"
    response = post_form(client, "/ideas/new", {"title": script, "owner_ids": "<b>Baas</b>"})
    detail = response.headers["Location"]
    post_form(client, detail + "/updates", {"status": "parked", "note": script})

    for page in (page_of(client.get(detail)), page_of(client.get("/ideas"))):
        assert script not in page and "<b>Baas</b>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# --- editing -------------------------------------------------------------------------------------


def test_the_edit_form_shows_the_owners_as_numbered_lines_that_save_unchanged(
    coordinator, client, session, make_idea, make_actor
):
    owner = make_actor(name="Buurtcomité Tereken")
    idea = make_idea(owner_ids=[owner.id])
    form = page_of(client.get(f"/ideas/{idea.id}/edit"))
    assert f"Buurtcomité Tereken (#{owner.id})</textarea>" in form

    response = post_form(
        client,
        f"/ideas/{idea.id}/edit",
        {
            "title": "Fietsstraat",
            "owner_ids": f"Buurtcomité Tereken (#{owner.id})",
            "version": idea.version,
        },
    )

    assert response.status_code == 302
    session.expire_all()
    stored = session.get(Idea, idea.id)
    assert stored.title == "Fietsstraat" and [a.id for a in stored.owners] == [owner.id]


def test_a_stale_edit_shows_a_conflict_and_overwrites_nothing(
    coordinator, client, session, make_idea
):
    idea = make_idea()
    stale = idea.version
    post_form(client, f"/ideas/{idea.id}/edit", {"title": "Eerste versie", "version": stale})

    response = post_form(client, f"/ideas/{idea.id}/edit", {"title": "Tweede", "version": stale})

    assert response.status_code == 409
    page = page_of(response)
    assert 'id="conflict"' in page and 'value="Tweede"' in page
    session.expire_all()
    assert session.get(Idea, idea.id).title == "Eerste versie"


# --- the list ------------------------------------------------------------------------------------


def test_the_list_filters_on_status_theme_and_event(staff, client, make_idea, make_event):
    event = make_event()
    bike = make_idea(title="Fietsstraat", theme="mobiliteit", event_id=event.id)
    trees = make_idea(title="Bomen", theme="klimaat", status="parked")

    def ids(query):
        page = page_of(client.get("/ideas?" + query))
        return {i for i in (bike.id, trees.id) if f'data-idea-id="{i}"' in page}

    assert ids("") == {bike.id, trees.id}
    assert ids("status=parked") == {trees.id}
    assert ids("theme=mobiliteit") == {bike.id}
    assert ids(f"event={event.id}") == {bike.id}
    assert ids("event=abc&page=-3") == set()


def test_the_empty_list_says_how_to_start_and_a_filter_without_match_how_to_clear(
    staff, client, make_idea
):
    assert "No ideas yet" in page_of(client.get("/ideas?lang=en"))
    make_idea()
    assert "Clear the filters" in page_of(client.get("/ideas?status=realised"))


# --- the keep-warm list --------------------------------------------------------------------------


@pytest.fixture
def atelier(make_event, make_actor, make_idea, attended):
    """An atelier with one person for each channel of the keep-warm rule."""
    event = make_event(themes=["mobiliteit"])
    people = {
        "email": make_actor(name="Ann Mail", email="ann@example.be", district="Sinaai"),
        "letter": make_actor(name="Bert Brief", address="Grote Markt 1", postcode="9100"),
        "phone": make_actor(name="Cas Bel", phone=PHONE),
        "none": make_actor(name="Dirk Stil", phone=PHONE, do_not_phone=True),
    }
    attended(event, people["email"], people["phone"])
    idea = make_idea(
        title="Fietsstraat",
        event_id=event.id,
        owner_ids=[people["email"].id, people["letter"].id, people["none"].id],
    )
    return event, people, idea


def test_the_keep_warm_page_groups_people_by_channel_with_their_details(staff, client, atelier):
    event, people, idea = atelier

    page = page_of(client.get(f"/ideas/keep-warm?event={event.id}&lang=en"))

    for channel, actor in people.items():
        section = page[page.index(f'id="channel-{channel}"') :]
        section = section[: section.index("</section>")]
        assert f'data-actor-id="{actor.id}"' in section
    assert 'href="mailto:ann@example.be"' in page
    assert "Grote Markt 1 9100" in page
    assert f'href="tel:{PHONE}">{PHONE}</a>' in page
    assert "Do not phone" in page
    assert f'data-idea-id="{idea.id}" data-status="new"' in page
    assert 'id="keep-warm-csv"' not in page  # staff without export permission


def test_a_long_keep_warm_list_shows_the_first_people_per_channel_and_counts_the_rest(
    staff, client, make_event, make_actor, attended, monkeypatch
):
    monkeypatch.setattr("app.ideas.views.SHOWN_PER_CHANNEL", 2)
    event = make_event()
    attended(event, *(make_actor(name=f"Mail {n}", email=f"m{n}@example.be") for n in range(5)))

    page = page_of(client.get(f"/ideas/keep-warm?event={event.id}&lang=en"))

    section = page[page.index('id="channel-email"') :]
    section = section[: section.index("</section>")]
    assert section.count("<tr data-actor-id=") == 2
    assert 'data-more="3"' in section and "3 more on the downloaded list." in section


def test_the_keep_warm_page_asks_for_exactly_one_of_event_or_theme(staff, client, atelier):
    event, _, _ = atelier

    assert client.get("/ideas/keep-warm").status_code == 200
    both = client.get(f"/ideas/keep-warm?event={event.id}&theme=mobiliteit&lang=en")
    assert both.status_code == 400
    assert "Choose an event or a theme" in page_of(both)
    unknown = client.get("/ideas/keep-warm?event=999")
    assert unknown.status_code == 400 and 'class="error-text"' in page_of(unknown)


def test_staff_without_export_permission_get_no_keep_warm_csv_and_nothing_is_logged(
    staff, client, session, atelier
):
    event, _, _ = atelier

    assert client.get(f"/ideas/keep-warm.csv?event={event.id}").status_code == 403
    assert count(session, ExportLog) == 0


def test_the_keep_warm_csv_opens_in_belgian_excel_and_is_logged(
    coordinator, client, session, atelier
):
    event, people, _ = atelier
    assert 'id="keep-warm-csv"' in page_of(client.get(f"/ideas/keep-warm?event={event.id}"))

    response = client.get(f"/ideas/keep-warm.csv?event={event.id}&lang=en")

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    data = response.get_data()
    assert data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    by_name = {row["Name"]: row for row in rows}
    assert set(by_name) == {a.name for a in people.values()}
    assert by_name["Ann Mail"]["Channel"] == "E-mail"
    assert by_name["Ann Mail"]["Role"] == "Participant, Idea owner"
    assert by_name["Ann Mail"]["District"] == "Sinaai"
    assert by_name["Bert Brief"]["Channel"] == "Letter"
    assert by_name["Bert Brief"]["Address"] == "Grote Markt 1"
    assert by_name["Cas Bel"]["Channel"] == "Phone call"
    assert by_name["Cas Bel"]["Phone"] == PHONE
    assert by_name["Dirk Stil"]["Channel"] == "No way to reach them yet"
    assert by_name["Dirk Stil"]["Why not reachable"] == "Do not phone"
    assert by_name["Dirk Stil"]["Phone"] == ""
    assert by_name["Dirk Stil"]["Ideas"].startswith("Fietsstraat (New, ")
    entry = session.scalar(select(ExportLog))
    assert (entry.kind, entry.event_id, entry.rows) == ("keep_warm", event.id, 4)
    assert json.loads(entry.details) == {"event_id": event.id, "dialect": "excel-be"}


def test_staff_allowed_to_export_get_the_plain_csv_of_a_theme(
    staff, client, session, atelier, make_actor, make_idea
):
    set_can_export(session, staff.id, True)
    session.commit()
    owner = make_actor(name="Eva Tweede, Bis", email="eva@example.be")
    idea = make_idea(title="Deelfietsen", theme="mobiliteit", owner_ids=[owner.id])
    add_status_update(session, idea.id, status="realised", note="")
    session.commit()

    response = client.get("/ideas/keep-warm.csv?theme=mobiliteit&dialect=plain")

    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert not text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    names = [row[1] for row in rows[1:]]
    assert names == ["Ann Mail", "Cas Bel", "Eva Tweede, Bis"]  # participants + theme owners
    entry = session.scalar(select(ExportLog))
    assert entry.event_id is None and entry.rows == 3
    assert json.loads(entry.details) == {"theme": "mobiliteit", "dialect": "plain"}


@pytest.mark.parametrize(
    "query", ["event=999", "theme=ruimtevaart", "", "event=1&theme=mobiliteit", "dialect=xls"]
)
def test_a_bad_keep_warm_csv_request_gets_a_message_and_nothing_is_logged(
    coordinator, client, session, atelier, query
):
    event, _, _ = atelier
    if query == "dialect=xls":
        query = f"event={event.id}&dialect=xls"

    response = client.get(f"/ideas/keep-warm.csv?{query}")

    assert response.status_code == 400
    assert 'class="error-text"' in page_of(response)
    assert count(session, ExportLog) == 0


def test_anonymous_visitors_are_sent_to_login(client):
    for path in ("/ideas", "/ideas/keep-warm", "/ideas/keep-warm.csv?theme=mobiliteit"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_two_events_of_one_name_on_one_day_read_apart_in_the_idea_and_keep_warm_menus(
    staff, client, make_event
):
    # 10:00 and 19:00 Brussels summer time on 2 June 2026 (UTC+2).
    morning = make_event(
        name="Open atelier",
        starts_at=datetime(2026, 6, 2, 8, 0),
        place="Stadhuis",
    )
    evening = make_event(
        name="Open atelier",
        starts_at=datetime(2026, 6, 2, 17, 0),
        place="Bibliotheek Sinaai",
        confirm_duplicate=True,
    )

    ideas = client.get("/ideas?lang=nl").get_data(as_text=True)
    keep_warm = client.get("/ideas/keep-warm?lang=nl").get_data(as_text=True)

    for page in (ideas, keep_warm):
        assert (
            f'<option value="{morning.id}" >Open atelier (di 2 jun 2026, 10:00, Stadhuis)' in page
        )
        assert (
            f'<option value="{evening.id}" >Open atelier (di 2 jun 2026, 19:00, Bibliotheek '
            "Sinaai)" in page
        )
