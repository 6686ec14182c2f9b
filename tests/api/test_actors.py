"""Actors through the API: create, read, change, archive, delete, search, and bad input."""

import pytest

from tests.api.conftest import API

ACTORS = f"{API}/actors"
BAD_IDS = ["-1", "0", "99999999999999999999", "2147483648", "01", "١", "abc", "1.0", "%00"]


def new_actor(**fields) -> dict:
    return {"name": "Vzw De Keeting", "kind": "poverty_organisation", **fields}


def test_create_read_patch_delete_round_trip(client, as_staff, as_admin):
    created = client.post(
        ACTORS,
        json=new_actor(district="Belsele", themes=["armoede", "wonen"], email="Info@Keeting.be"),
        headers=as_staff,
    )
    url = f"{ACTORS}/{created.json['id']}"
    read = client.get(url, headers=as_staff)
    patched = client.patch(
        url, json={"version": read.json["version"], "notes": "Bel voor 10 uur."}, headers=as_staff
    )
    deleted = client.delete(url, headers=as_admin)
    gone = client.get(url, headers=as_staff)

    assert created.status_code == 201
    assert created.headers["Location"].endswith(url)
    assert read.json == created.json
    assert read.json["name"] == "Vzw De Keeting"
    assert read.json["district"] == "Belsele"
    assert read.json["themes"] == ["armoede", "wonen"]
    assert read.json["email"] == "info@keeting.be"
    assert read.json["reach_status"] == "none"
    assert read.json["last_contact_at"] is None
    assert read.json["archived"] is False
    assert read.json["created_at"].endswith("Z")
    assert patched.status_code == 200
    assert patched.json["notes"] == "Bel voor 10 uur."
    assert patched.json["version"] > read.json["version"]
    assert deleted.status_code == 204
    assert gone.status_code == 404
    assert gone.json["errors"]["_"]


def test_actor_json_has_every_documented_field(client, as_staff):
    response = client.post(ACTORS, json=new_actor(), headers=as_staff)

    assert set(response.json) == {
        "id", "name", "kind", "district", "themes", "phone", "phone_display", "email",
        "address", "postcode", "preferred_channel", "preferred_language", "do_not_phone",
        "do_not_email", "do_not_visit", "influence", "interest", "notes", "archived",
        "reach_status", "last_contact_at", "created_at", "updated_at", "version",
    }  # fmt: skip


def test_a_phone_is_stored_in_e164_and_shown_the_belgian_way(client, as_staff):
    response = client.post(ACTORS, json=new_actor(phone="03 778 30 60"), headers=as_staff)

    assert response.status_code == 201
    assert response.json["phone"] == "+3237783060"
    assert response.json["phone_display"] == "03 778 30 60"


@pytest.mark.parametrize("phone", ["abc", "12", "1" * 30, "O3 778 30 60"])
def test_a_bad_phone_is_refused_naming_the_field_and_nothing_is_stored(
    client, as_staff, actor_count, phone
):
    response = client.post(ACTORS, json=new_actor(phone=phone), headers=as_staff)

    assert response.status_code == 422
    assert list(response.json["errors"]) == ["phone"]
    assert actor_count() == 0


@pytest.mark.parametrize("email", ["a@b", "x@@y.be", "no-at-sign.be", "a b@c.be"])
def test_a_bad_email_is_refused_and_nothing_is_stored(client, as_staff, actor_count, email):
    response = client.post(ACTORS, json=new_actor(email=email), headers=as_staff)

    assert response.status_code == 422
    assert list(response.json["errors"]) == ["email"]
    assert actor_count() == 0


@pytest.mark.parametrize("name", ["", "   ", "x" * 10_000, "x" * 201])
def test_an_empty_or_overlong_name_is_refused(client, as_staff, actor_count, name):
    response = client.post(ACTORS, json=new_actor(name=name), headers=as_staff)

    assert response.status_code == 422
    assert list(response.json["errors"]) == ["name"]
    assert actor_count() == 0


def test_a_name_of_200_characters_is_stored_whole(client, as_staff):
    response = client.post(ACTORS, json=new_actor(name="é" * 200), headers=as_staff)

    assert response.status_code == 201
    assert response.json["name"] == "é" * 200


def test_name_and_kind_are_required(client, as_staff, actor_count):
    response = client.post(ACTORS, json={"district": "Sinaai"}, headers=as_staff)

    assert response.status_code == 422
    assert set(response.json["errors"]) == {"name", "kind"}
    assert actor_count() == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("kind", "alien"),
        ("district", "Atlantis"),
        ("themes", ["armoede", "astrology"]),
        ("postcode", "91000"),
        ("preferred_channel", "pigeon"),
        ("preferred_language", "tlh"),
        ("influence", 6),
        ("interest", 0),
        ("influence", 10**30),
        ("notes", "n" * 5001),
    ],
)
def test_a_value_outside_the_vocabulary_or_range_is_refused_with_422(
    client, as_staff, actor_count, field, value
):
    response = client.post(ACTORS, json=new_actor(**{field: value}), headers=as_staff)

    assert response.status_code == 422
    assert list(response.json["errors"]) == [field]
    assert actor_count() == 0


def test_every_problem_is_reported_at_once(client, as_staff):
    response = client.post(
        ACTORS, json={"name": "", "kind": "alien", "phone": "12", "email": "a@b"}, headers=as_staff
    )

    assert response.status_code == 422
    assert set(response.json["errors"]) == {"name", "kind", "phone", "email"}


@pytest.mark.parametrize(
    "field", ["id", "version", "archived", "reach_status", "search_name", "last_reached_at"]
)
def test_an_unknown_or_read_only_field_is_refused_on_create(client, as_staff, actor_count, field):
    response = client.post(ACTORS, json=new_actor(**{field: 1}), headers=as_staff)

    assert response.status_code == 422
    assert field in response.json["errors"]
    assert actor_count() == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", 42),
        ("name", ["a"]),
        ("kind", {"x": 1}),
        ("themes", "armoede"),
        ("themes", [1, 2]),
        ("do_not_phone", "yes"),
        ("do_not_phone", None),
        ("influence", "5"),
        ("influence", 4.5),
        ("influence", True),
        ("phone", 3237783060),
    ],
)
def test_a_value_of_the_wrong_json_type_is_refused_with_400(
    client, as_staff, actor_count, field, value
):
    response = client.post(ACTORS, json=new_actor(**{field: value}), headers=as_staff)

    assert response.status_code == 400
    assert list(response.json["errors"]) == [field]
    assert actor_count() == 0


@pytest.mark.parametrize(
    "field", ["name", "address", "notes", "email", "phone", "district", "kind", "postcode"]
)
def test_a_nul_byte_in_any_text_is_refused_and_nothing_is_stored(
    client, as_staff, actor_count, field
):
    value = (
        "Buurthuis\x00"
        if field not in ("email", "phone")
        else {"email": "a\x00@b.be", "phone": "03\x00778 30 60"}[field]
    )

    response = client.post(ACTORS, json=new_actor(**{field: value}), headers=as_staff)

    assert 400 <= response.status_code < 500
    assert list(response.json["errors"]) == [field]
    assert actor_count() == 0


def test_a_nul_byte_in_a_theme_name_is_refused(client, as_staff, actor_count):
    response = client.post(ACTORS, json=new_actor(themes=["pov\x00erty"]), headers=as_staff)

    assert response.status_code == 400
    assert list(response.json["errors"]) == ["themes"]
    assert actor_count() == 0


def test_a_lone_surrogate_in_a_name_is_refused(client, as_staff, actor_count):
    body = b'{"name": "Caf\\ud800", "kind": "business"}'

    response = client.post(ACTORS, data=body, content_type="application/json", headers=as_staff)

    assert response.status_code == 400
    assert list(response.json["errors"]) == ["name"]
    assert actor_count() == 0


def test_a_thousand_themes_are_refused(client, as_staff, actor_count):
    response = client.post(ACTORS, json=new_actor(themes=["armoede"] * 1000), headers=as_staff)

    assert response.status_code == 400
    assert actor_count() == 0


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b'{"name": "x", "kind": ', "application/json"),
        (b"not json at all", "application/json"),
        (b"\xff\xfe\xfa", "application/json"),
        (b"[" * 100_000, "application/json"),
        (b'{"name": "x", "kind": "business"}', "text/plain"),
        (b"name=x&kind=business", "application/x-www-form-urlencoded"),
        (b"", "application/json"),
        (b"[]", "application/json"),
        (b'["name", "kind"]', "application/json"),
        (b"null", "application/json"),
        (b'"an actor"', "application/json"),
        (b"42", "application/json"),
        (b"9" * 5000, "application/json"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_refused_with_400(
    client, as_staff, actor_count, body, content_type
):
    response = client.post(ACTORS, data=body, content_type=content_type, headers=as_staff)

    assert response.status_code == 400
    assert response.json["errors"]["_"]
    assert actor_count() == 0


@pytest.mark.parametrize("actor_id", BAD_IDS)
@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_an_id_that_cannot_exist_answers_404_json(client, as_admin, method, actor_id):
    response = getattr(client, method)(
        f"{ACTORS}/{actor_id}", json={"version": 1}, headers=as_admin
    )

    assert response.status_code == 404
    assert response.json["errors"]["_"]


def test_an_id_that_does_not_exist_answers_404(client, make_actor, as_admin):
    actor = make_actor()

    response = client.get(f"{ACTORS}/{actor.id + 1}", headers=as_admin)

    assert response.status_code == 404


def test_a_stale_patch_is_refused_with_409_and_the_first_edit_is_kept(client, make_actor, as_staff):
    actor = make_actor(name="Jan Peeters")
    url, read_version = f"{ACTORS}/{actor.id}", actor.version

    first = client.patch(
        url, json={"version": read_version, "phone": "03 778 30 60"}, headers=as_staff
    )
    second = client.patch(
        url, json={"version": read_version, "phone": "0470 12 34 56"}, headers=as_staff
    )

    assert first.status_code == 200
    assert second.status_code == 409
    assert second.json["errors"]["version"]
    assert second.json["current_version"] == first.json["version"]
    assert client.get(url, headers=as_staff).json["phone"] == "+3237783060"


def test_a_patch_with_the_current_version_after_a_conflict_succeeds(client, make_actor, as_staff):
    actor = make_actor()
    url, read_version = f"{ACTORS}/{actor.id}", actor.version
    client.patch(url, json={"version": read_version, "interest": 4}, headers=as_staff)
    conflict = client.patch(url, json={"version": read_version, "influence": 5}, headers=as_staff)

    retried = client.patch(
        url, json={"version": conflict.json["current_version"], "influence": 5}, headers=as_staff
    )

    assert retried.status_code == 200
    assert (retried.json["interest"], retried.json["influence"]) == (4, 5)


def test_a_patch_without_version_is_refused(client, make_actor, as_staff):
    actor = make_actor()

    response = client.patch(f"{ACTORS}/{actor.id}", json={"interest": 5}, headers=as_staff)

    assert response.status_code == 422
    assert list(response.json["errors"]) == ["version"]


def test_a_patch_changes_only_the_fields_it_names(client, make_actor, as_staff):
    actor = make_actor(name="Jan Peeters", phone="03 778 30 60", district="Sinaai")

    response = client.patch(
        f"{ACTORS}/{actor.id}", json={"version": actor.version, "district": None}, headers=as_staff
    )

    assert response.status_code == 200
    assert response.json["district"] is None
    assert (response.json["name"], response.json["phone"]) == ("Jan Peeters", "+3237783060")


def test_a_refused_patch_stores_nothing(client, make_actor, as_staff):
    actor = make_actor(name="Jan Peeters")
    url, read_version = f"{ACTORS}/{actor.id}", actor.version

    response = client.patch(
        url, json={"version": read_version, "name": "Jan", "phone": "12"}, headers=as_staff
    )

    assert response.status_code == 422
    after = client.get(url, headers=as_staff).json
    assert (after["name"], after["version"]) == ("Jan Peeters", read_version)


def test_a_coordinator_changes_fields_and_archives_in_one_patch(client, make_actor, as_coordinator):
    actor = make_actor()

    response = client.patch(
        f"{ACTORS}/{actor.id}",
        json={"version": actor.version, "notes": "Verhuisd.", "archived": True},
        headers=as_coordinator,
    )

    assert response.status_code == 200
    assert (response.json["notes"], response.json["archived"]) == ("Verhuisd.", True)


def test_archiving_with_a_stale_version_is_refused(client, make_actor, as_coordinator):
    actor = make_actor()
    url, read_version = f"{ACTORS}/{actor.id}", actor.version
    client.patch(url, json={"version": read_version, "interest": 4}, headers=as_coordinator)

    response = client.patch(
        url, json={"version": read_version, "archived": True}, headers=as_coordinator
    )

    assert response.status_code == 409
    assert client.get(url, headers=as_coordinator).json["archived"] is False


# --- the list ------------------------------------------------------------------------------


def names(response) -> list[str]:
    return [item["name"] for item in response.json["items"]]


def test_the_list_is_paged_by_name(client, make_actor, as_staff):
    for name in ["Cora", "Anna", "Bert"]:
        make_actor(name=name)

    response = client.get(f"{ACTORS}?per_page=2&page=1", headers=as_staff)
    second = client.get(f"{ACTORS}?per_page=2&page=2", headers=as_staff)

    assert response.status_code == 200
    assert names(response) == ["Anna", "Bert"]
    assert names(second) == ["Cora"]
    assert {k: response.json[k] for k in ("total", "page", "per_page")} == {
        "total": 3,
        "page": 1,
        "per_page": 2,
    }


def test_the_list_uses_the_default_page_size(app, client, as_staff):
    response = client.get(ACTORS, headers=as_staff)

    assert response.json["per_page"] == app.config["PER_PAGE"]
    assert response.json["page"] == 1


def test_per_page_is_capped(app, client, as_staff):
    response = client.get(f"{ACTORS}?per_page=100000", headers=as_staff)

    assert response.status_code == 200
    assert response.json["per_page"] == app.config["MAX_PER_PAGE"]


def test_per_page_capping_limits_the_items(app, client, make_actor, as_staff):
    app.config["MAX_PER_PAGE"], old = 2, app.config["MAX_PER_PAGE"]
    try:
        for _ in range(3):
            make_actor()
        response = client.get(f"{ACTORS}?per_page=50", headers=as_staff)
    finally:
        app.config["MAX_PER_PAGE"] = old

    assert len(response.json["items"]) == 2
    assert (response.json["per_page"], response.json["total"]) == (2, 3)


@pytest.mark.parametrize(
    "query",
    ["page=0", "page=-1", "page=abc", "page=1.5", "page=99999999999999999999", "per_page=0",
     "per_page=-5", "per_page=many", "per_page=" + "9" * 5000],
)  # fmt: skip
def test_bad_paging_is_refused_with_400(client, as_staff, query):
    response = client.get(f"{ACTORS}?{query}", headers=as_staff)

    assert response.status_code == 400
    assert set(response.json["errors"]) <= {"page", "per_page"}
    assert response.json["errors"]


def test_a_page_past_the_end_is_empty(client, make_actor, as_staff):
    make_actor()

    response = client.get(f"{ACTORS}?page=2147483647&per_page=100", headers=as_staff)

    assert response.status_code == 200
    assert response.json["items"] == []
    assert response.json["total"] == 1


def test_the_list_filters_by_kind_district_and_theme(client, make_actor, as_staff):
    make_actor(name="Match", kind="business", district="Sinaai", themes=["economie"])
    make_actor(name="Other kind", kind="resident", district="Sinaai", themes=["economie"])
    make_actor(name="Other district", kind="business", district="Belsele", themes=["economie"])
    make_actor(name="Other theme", kind="business", district="Sinaai", themes=["klimaat"])

    response = client.get(
        f"{ACTORS}?kind=business&district=Sinaai&theme=economie", headers=as_staff
    )

    assert names(response) == ["Match"]


def test_the_list_finds_an_actor_by_phone_in_another_format(client, make_actor, as_staff):
    make_actor(name="Jan", phone="+32 3 778 30 60")
    make_actor(name="Piet", phone="0470 12 34 56")

    response = client.get(f"{ACTORS}?q=037783060", headers=as_staff)

    assert names(response) == ["Jan"]


def test_the_list_finds_an_actor_by_part_of_the_name_without_accents(client, make_actor, as_staff):
    make_actor(name="Café Élise")
    make_actor(name="Bakkerij Jansens")

    response = client.get(f"{ACTORS}?q=elise", headers=as_staff)

    assert names(response) == ["Café Élise"]


def test_the_list_leaves_out_archived_actors(client, make_actor, as_coordinator):
    make_actor(name="Kept")
    archived = make_actor(name="Archived")
    client.patch(
        f"{ACTORS}/{archived.id}",
        json={"version": archived.version, "archived": True},
        headers=as_coordinator,
    )

    response = client.get(ACTORS, headers=as_coordinator)

    assert names(response) == ["Kept"]


def test_an_unknown_kind_filter_is_refused_with_a_message(client, as_staff):
    response = client.get(f"{ACTORS}?kind=alien&lang=en", headers=as_staff)

    assert response.status_code == 422
    assert "alien" in response.json["errors"]["kind"][0]


def test_an_unknown_district_filter_finds_nothing(client, make_actor, as_staff):
    make_actor()

    response = client.get(f"{ACTORS}?district=Atlantis", headers=as_staff)

    assert response.status_code == 200
    assert response.json["total"] == 0


@pytest.mark.parametrize("param", ["q", "district", "theme", "kind"])
def test_a_nul_byte_in_a_filter_is_refused(client, as_staff, param):
    response = client.get(f"{ACTORS}?{param}=a%00b", headers=as_staff)

    assert response.status_code == 422
    assert list(response.json["errors"]) == [param]


def test_an_overlong_search_is_refused(client, as_staff):
    response = client.get(f"{ACTORS}?q={'x' * 10_000}", headers=as_staff)

    assert response.status_code == 422
    assert list(response.json["errors"]) == ["q"]
