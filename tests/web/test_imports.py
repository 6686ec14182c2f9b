"""The import pages through the test client: upload a list, map its columns, read the dry run,
import it all or nothing, read its record and undo it (issue 12). Jobs run inline here
(config.TestConfig), but one test runs the dry run in its thread."""

import html as html_text
import io
import re
import time

import pytest
from sqlalchemy import func, select

from crm.models import Actor, ImportMapping, ImportRecord, Job
from tests.conftest import csrf_token

HEADER = "Naam;Soort;Telefoon;E-mail;Adres;Postcode;Deelgemeente;Thema's"
ROWS = [
    "Vzw De Link;Armoedevereniging;03 778 30 60;info@delink.be;Kazernestraat 12;9100;"
    "Sint-Niklaas;Armoede",
    "Bakkerij Françoise;Bedrijf;0470/12.34.56;;Stationsstraat 3;9111;;Economie",
    "Café Élise;Bedrijf;03 777 11 22;cafe@elise.be;Dorp 2;9112;;",
]
BAD_ROW = "Piet Smet;Bewoner;3.2478E+10;;;;;"


def belgian_csv(*rows: str, header: str = HEADER) -> bytes:
    """A list as Belgian Excel saves it: semicolons, Windows-1252, CRLF."""
    return "\r\n".join([header, *rows]).encode("cp1252") + b"\r\n"


@pytest.fixture
def coordinator(make_user, login):
    user = make_user("coordinator", name="Coördinator Griet")
    login(user)
    return user


def upload(client, data: bytes, name: str = "leden.csv", **fields):
    return client.post(
        "/imports",
        data={
            "file": (io.BytesIO(data), name),
            "csrf_token": csrf_token(client, "/imports"),
            **fields,
        },
        content_type="multipart/form-data",
    )


def import_id_of(response) -> int:
    return int(re.search(r"/imports/(\d+)/columns", response.headers["Location"]).group(1))


def selected_fields(page: str) -> dict[str, str]:
    """The mapping page's choice per column header."""
    found = {}
    for row in re.findall(r'<tr data-column="([^"]*)">(.*?)</tr>', page, re.S):
        header, html = row
        chosen = re.search(r'<option selected value="([^"]*)"', html) or re.search(
            r'<option value="([^"]*)" selected', html
        )
        found[html_text.unescape(header)] = chosen.group(1) if chosen else ""
    return found


def submit_columns(client, import_id: int, fields: list[str], save_as: str = ""):
    data = {f"columns-{i}": value for i, value in enumerate(fields)}
    data |= {"save_as": save_as, "csrf_token": csrf_token(client, f"/imports/{import_id}/columns")}
    return client.post(f"/imports/{import_id}/columns", data=data, follow_redirects=True)


GUESSED = ["name", "kind", "phone", "email", "address", "postcode", "district", "themes"]


def dry_run(client, data: bytes, fields=GUESSED) -> tuple[int, str]:
    import_id = import_id_of(upload(client, data))
    page = submit_columns(client, import_id, fields)
    assert page.status_code == 200
    return import_id, page.get_data(as_text=True)


def confirm(client, import_id: int, page: str, *, skip_invalid: bool = False):
    job = re.search(r'name="job" type="hidden" value="(\d+)"', page) or re.search(
        r'id="job" name="job" type="hidden" value="(\d+)"', page
    )
    data = {"job": job.group(1), "csrf_token": csrf_token(client, "/imports")}
    if skip_invalid:
        data["skip_invalid"] = "y"
    return client.post(f"/imports/{import_id}/import", data=data, follow_redirects=True)


def actor_names(session) -> list[str]:
    session.rollback()
    return sorted(session.scalars(select(Actor.name)))


def count(session, model) -> int:
    session.rollback()
    return session.scalar(select(func.count()).select_from(model))


# --- upload and mapping --------------------------------------------------------------------------


def test_the_imports_page_shows_the_upload_form_and_an_empty_list(client, coordinator):
    page = client.get("/imports").get_data(as_text=True)

    assert 'accept=".csv,.txt,.xlsx"' in page
    assert 'enctype="multipart/form-data"' in page
    assert 'id="no-imports"' in page
    assert "Nog geen lijst geïmporteerd" in page


def test_a_belgian_excel_csv_is_read_and_its_columns_guessed(client, session, coordinator):
    response = upload(client, belgian_csv(*ROWS))

    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert selected_fields(page) == dict(zip(HEADER.split(";"), GUESSED, strict=True))
    assert "Bakkerij Françoise" in page  # a sample value, decoded from Windows-1252
    assert "niet importeren" in page
    assert count(session, Actor) == 0


def test_a_corrected_mapping_is_stored_and_the_dry_run_lists_every_row(
    client, session, coordinator
):
    data = belgian_csv(
        "Vzw De Link;03 778 30 60;Kazernestraat 12", header="Organisatie X;Nummer;Straat"
    )
    import_id = import_id_of(upload(client, data))

    page = submit_columns(client, import_id, ["name", "phone", "address"], save_as="Ledenlijst")
    text = page.get_data(as_text=True)

    assert 'data-row="2" data-action="new"' in text
    assert "Nieuwe actor" in text
    session.rollback()
    saved = session.scalars(select(ImportMapping)).one()
    assert saved.name == "Ledenlijst"
    assert count(session, Actor) == 0


def test_a_mapping_without_a_name_column_is_refused_on_the_form(client, coordinator):
    import_id = import_id_of(upload(client, belgian_csv(*ROWS)))

    page = submit_columns(client, import_id, ["", "kind", "phone", "", "", "", "", ""])

    text = page.get_data(as_text=True)
    assert 'id="mapping-errors"' in text
    assert "naam" in text.split('id="mapping-errors"')[1][:400].lower()


def test_a_field_chosen_twice_is_refused_on_the_form(client, coordinator):
    import_id = import_id_of(upload(client, belgian_csv(*ROWS)))

    page = submit_columns(client, import_id, ["name", "kind", "phone", "phone", "", "", "", ""])

    assert 'id="mapping-errors"' in page.get_data(as_text=True)


def test_a_saved_mapping_name_taken_is_shown_on_its_field(client, coordinator):
    first = import_id_of(upload(client, belgian_csv(*ROWS)))
    submit_columns(client, first, GUESSED, save_as="Leden")
    second = import_id_of(upload(client, belgian_csv(*ROWS)))

    page = submit_columns(client, second, GUESSED, save_as="Leden").get_data(as_text=True)

    assert 'id="save_as-error"' in page
    assert "Leden" in page.split('id="save_as-error"')[1][:300]


# --- the dry run and the import -----------------------------------------------------------------


def test_the_dry_run_names_each_rows_action_and_its_summary(client, session, coordinator):
    import_id, page = dry_run(client, belgian_csv(*ROWS, BAD_ROW))

    assert re.findall(r'data-row="(\d+)" data-action="(\w+)"', page) == [
        ("2", "new"),
        ("3", "new"),
        ("4", "new"),
        ("5", "error"),
    ]
    assert "Van de 4 rijen" in page
    assert "C5" in page and "Excel" in page  # the cell and what is wrong, in Dutch
    assert "Rijen met fouten overslaan" in page
    assert count(session, Actor) == 0


def test_confirming_stores_the_actors_and_records_who_when_and_counts(client, session, coordinator):
    import_id, page = dry_run(client, belgian_csv(*ROWS))

    result = confirm(client, import_id, page)

    assert result.status_code == 200
    assert result.request.path == f"/imports/{import_id}"
    assert actor_names(session) == ["Bakkerij Françoise", "Café Élise", "Vzw De Link"]
    record = session.get(ImportRecord, import_id)
    assert (record.status, record.new_count, record.imported_by_id) == (
        "imported",
        3,
        coordinator.id,
    )
    text = result.get_data(as_text=True)
    assert 'id="imported-by">Coördinator Griet<' in text
    assert '<dd data-count="new">3</dd>' in text
    listing = client.get("/imports").get_data(as_text=True)
    assert f'data-import-id="{import_id}" data-status="imported"' in listing
    assert '<td data-new="3">3</td>' in listing


def test_importing_the_same_file_twice_adds_nothing_the_second_time(client, session, coordinator):
    first, page = dry_run(client, belgian_csv(*ROWS))
    confirm(client, first, page)

    second, page = dry_run(client, belgian_csv(*ROWS))
    assert re.findall(r'data-action="(\w+)"', page) == ["unchanged"] * 3
    confirm(client, second, page)

    assert len(actor_names(session)) == 3
    assert session.get(ImportRecord, second).new_count == 0


def test_one_bad_row_blocks_the_import_and_stores_nothing(client, session, coordinator):
    import_id, page = dry_run(client, belgian_csv(*ROWS, BAD_ROW))

    result = confirm(client, import_id, page)

    text = result.get_data(as_text=True)
    assert "Er werd niets geïmporteerd" in text
    assert f'href="/imports/{import_id}"' in text  # back to the dry run
    assert actor_names(session) == []
    assert session.get(ImportRecord, import_id).status == "draft"
    assert client.get(f"/imports/{import_id}").status_code == 302  # the draft's dry run


def test_the_bad_row_skipped_imports_the_others_and_links_to_it(client, session, coordinator):
    import_id, page = dry_run(client, belgian_csv(*ROWS, BAD_ROW))

    result = confirm(client, import_id, page, skip_invalid=True)

    assert actor_names(session) == ["Bakkerij Françoise", "Café Élise", "Vzw De Link"]
    text = result.get_data(as_text=True)
    assert 'href="#row-5"' in text
    assert 'id="row-5" data-row="5" data-action="error"' in text
    assert "C5" in text


def test_the_rows_left_out_are_shown_50_a_page_with_links_to_each_row_in_error(
    client, session, coordinator
):
    bad = [f"Piet Smet {n};Bewoner;3.2478E+10;;;;;" for n in range(60)]  # rows 3 to 62
    import_id, page = dry_run(client, belgian_csv(ROWS[0], *bad))

    first = confirm(client, import_id, page, skip_invalid=True).get_data(as_text=True)
    second = client.get(f"/imports/{import_id}?page=2").get_data(as_text=True)

    assert re.findall(r'<tr id="row-(\d+)"', first) == [str(n) for n in range(3, 53)]
    assert re.findall(r'<tr id="row-(\d+)"', second) == [str(n) for n in range(53, 63)]
    assert 'href="#row-3"' in first
    assert f'href="/imports/{import_id}?page=2#row-53"' in first
    assert f'href="/imports/{import_id}?page=1#row-3"' in second
    assert 'href="#row-62"' in second


def test_a_formula_cell_is_stored_as_its_text(client, session, coordinator):
    import_id, page = dry_run(client, belgian_csv("=SUM(A1);Bewoner;;;;;;"))

    confirm(client, import_id, page)

    assert actor_names(session) == ["=SUM(A1)"]


def test_a_possible_duplicate_is_left_out_unless_added_anyway(
    client, session, coordinator, make_actor
):
    make_actor(name="Buurthuis Kazerne", phone="03 778 30 60")
    import_id, page = dry_run(client, belgian_csv(ROWS[0]))
    assert 'data-action="duplicate"' in page
    assert "zelfde telefoonnummer" in page

    page = client.post(
        f"/imports/{import_id}/answers",
        data={"shown": "2", "add_anyway": "2", "csrf_token": csrf_token(client, "/imports")},
        follow_redirects=True,
    ).get_data(as_text=True)

    assert 'data-row="2" data-action="new"' in page
    confirm(client, import_id, page)
    assert actor_names(session) == ["Buurthuis Kazerne", "Vzw De Link"]


def test_a_shared_postcode_asks_the_district_and_takes_the_answer(client, session, coordinator):
    import_id, page = dry_run(
        client, belgian_csv("Buurthuis Nieuwkerken;Vereniging;;;Dorp 1;9100;;"), GUESSED
    )
    assert 'name="district-2"' in page

    page = client.post(
        f"/imports/{import_id}/answers",
        data={"shown": "2", "district-2": "Nieuwkerken-Waas", "csrf_token": csrf_token(client)},
        follow_redirects=True,
    ).get_data(as_text=True)
    confirm(client, import_id, page)

    session.rollback()
    actor = session.scalars(select(Actor)).one()
    assert actor.district.name == "Nieuwkerken-Waas"


# --- refused uploads -----------------------------------------------------------------------------


def test_a_50_mb_upload_is_refused_naming_the_limit_and_storing_nothing(
    client, session, coordinator
):
    data = HEADER.encode() + b"\r\n" + b"x" * (50 * 1024 * 1024)

    response = upload(client, data)

    assert response.status_code == 413
    text = response.get_data(as_text=True)
    assert "de limiet is 20 MB" in text
    assert 'id="upload-form"' in text
    assert count(session, ImportRecord) == 0


def test_other_forms_keep_the_2_mb_limit(client, coordinator):
    response = client.post("/imports/1/answers", data={"shown": "x" * (3 * 1024 * 1024)})

    assert response.status_code == 413


def test_an_old_excel_file_is_refused_on_the_file_field(client, session, coordinator):
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512

    response = upload(client, data, name="leden.xls")

    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "oude Excel-formaat (.xls)" in text
    assert 'id="file-error"' in text
    assert count(session, ImportRecord) == 0


# --- permissions and CSRF ----------------------------------------------------------------------


def test_staff_are_refused_on_every_import_route(client, session, make_user, login):
    login(make_user("staff"))
    routes = [
        ("get", "/imports"),
        ("post", "/imports"),
        ("get", "/imports/1"),
        ("get", "/imports/1/columns"),
        ("post", "/imports/1/columns"),
        ("get", "/imports/1/check"),
        ("post", "/imports/1/answers"),
        ("post", "/imports/1/import"),
        ("get", "/imports/1/undo"),
        ("post", "/imports/1/undo"),
    ]
    token = csrf_token(client)

    statuses = {
        url: getattr(client, how)(url, data={"csrf_token": token}).status_code
        for how, url in routes
        if how == "post"
    }
    statuses |= {url + " GET": client.get(url).status_code for how, url in routes if how == "get"}

    assert set(statuses.values()) == {403}


def test_a_post_without_its_csrf_token_is_refused(client, session, coordinator):
    response = client.post(
        "/imports",
        data={"file": (io.BytesIO(belgian_csv(*ROWS)), "leden.csv")},
        content_type="multipart/form-data",
    )

    assert response.status_code == 400
    assert count(session, ImportRecord) == 0


# --- undo -----------------------------------------------------------------------------------------


def test_undo_asks_for_confirmation_then_removes_the_actors(client, session, coordinator):
    import_id, page = dry_run(client, belgian_csv(*ROWS))
    confirm(client, import_id, page)

    question = client.get(f"/imports/{import_id}/undo").get_data(as_text=True)
    assert "3 actoren" in question
    assert len(actor_names(session)) == 3

    result = client.post(
        f"/imports/{import_id}/undo",
        data={"csrf_token": csrf_token(client)},
        follow_redirects=True,
    )

    assert actor_names(session) == []
    assert "ongedaan gemaakt" in result.get_data(as_text=True)
    assert session.get(ImportRecord, import_id).status == "undone"


def test_undo_is_refused_with_a_message_when_an_actor_changed_since(client, session, coordinator):
    import_id, page = dry_run(client, belgian_csv(*ROWS))
    confirm(client, import_id, page)
    session.rollback()
    from crm.actors import update_actor

    actor = session.scalars(select(Actor).where(Actor.name == "Café Élise")).one()
    update_actor(session, actor.id, version=actor.version, notes="Gebeld")
    session.commit()

    result = client.post(
        f"/imports/{import_id}/undo", data={"csrf_token": csrf_token(client)}, follow_redirects=True
    )

    assert "Café Élise" in result.get_data(as_text=True)
    assert len(actor_names(session)) == 3


# --- the dry run in its thread ----------------------------------------------------------------


def test_the_dry_run_runs_in_a_thread_and_its_page_shows_progress_then_the_result(
    app, client, session, coordinator, monkeypatch
):
    monkeypatch.setitem(app.config, "JOBS_IN_BACKGROUND", True)
    import_id = import_id_of(upload(client, belgian_csv(*ROWS)))
    data = {f"columns-{i}": value for i, value in enumerate(GUESSED)}
    data["csrf_token"] = csrf_token(client, f"/imports/{import_id}/columns")

    response = client.post(f"/imports/{import_id}/columns", data=data)
    job_url = response.headers["Location"]
    assert re.fullmatch(r"/jobs/\d+", job_url)
    first = client.get(job_url)

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        state = client.get(job_url + ".json").get_json()
        if state["state"] in ("done", "failed"):
            break
        time.sleep(0.1)
    # The thread's last write is the job's result; wait for the thread before the DB is reset.
    for thread in [
        t for t in __import__("threading").enumerate() if t.name.startswith("bereik-job")
    ]:
        thread.join(timeout=20)

    assert first.status_code in (200, 302)
    if first.status_code == 200:
        assert 'id="job"' in first.get_data(as_text=True)
    assert state["state"] == "done"
    assert state["result_url"] == f"/imports/{import_id}/check?job={job_url.rsplit('/', 1)[1]}"
    page = client.get(job_url, follow_redirects=True).get_data(as_text=True)
    assert 'data-row="2" data-action="new"' in page
    assert count(session, Job) == 1
