"""POST /api/v1/imports (a list's dry run or import, all or nothing) and its undo."""

import io
import json

from crm.imports.files import MAX_UPLOAD_BYTES
from crm.models import ImportRecord
from tests.api.conftest import API
from tests.test_import_cli import BAD_ROW, HEADER, ROWS


def belgian_csv(*rows: str, header: str = HEADER) -> bytes:
    """A list as Belgian Excel saves it: semicolons, Windows-1252, CRLF."""
    return "\r\n".join([header, *rows]).encode("cp1252") + b"\r\n"


def upload(client, headers, data: bytes, *, name: str = "lijst.csv", **fields):
    form = {"file": (io.BytesIO(data), name), **fields}
    return client.post(
        f"{API}/imports", data=form, headers=headers, content_type="multipart/form-data"
    )


def test_a_dry_run_answers_every_rows_action_and_stores_nothing(
    client, as_coordinator, actor_count, stored
):
    response = upload(client, as_coordinator, belgian_csv(*ROWS), dry_run="true")

    assert response.status_code == 200, response.json
    body = response.json
    assert body["counts"] == {"new": 3, "update": 0, "unchanged": 0, "duplicate": 0, "error": 0}
    assert [(row["number"], row["action"]) for row in body["rows"]] == [
        (2, "new"),
        (3, "new"),
        (4, "new"),
    ]
    assert body["rows"][0]["values"]["phone"] == "+3237783060"
    assert body["rows"][1]["values"]["district"] == "Belsele"
    assert actor_count() == 0
    assert stored(ImportRecord) == 0


def test_an_import_answers_201_with_its_id_and_counts(client, as_coordinator, actor_count):
    response = upload(client, as_coordinator, belgian_csv(*ROWS))

    assert response.status_code == 201, response.json
    assert response.json == {
        "import_id": 1,
        "new": 3,
        "updated": 0,
        "unchanged": 0,
        "duplicates": 0,
        "errors": 0,
    }
    assert actor_count() == 3


def test_importing_the_same_list_twice_adds_nothing(client, as_coordinator, actor_count):
    upload(client, as_coordinator, belgian_csv(*ROWS))

    again = upload(client, as_coordinator, belgian_csv(*ROWS))

    assert again.status_code == 201
    assert (again.json["new"], again.json["unchanged"]) == (0, 3)
    assert actor_count() == 3


def test_a_bad_row_refuses_the_import_with_the_row_in_error(
    client, as_coordinator, actor_count, stored
):
    response = upload(client, as_coordinator, belgian_csv(ROWS[0], BAD_ROW))

    assert response.status_code == 422
    body = response.json
    assert list(body["errors"]) == ["rows"]
    assert body["errors"]["rows"][0].startswith("1 rij heeft een fout (rij 3)")
    ((row,),) = [body["rows"]]
    assert (row["number"], row["action"]) == (3, "error")
    assert [(e["cell"], e["column"]) for e in row["errors"]] == [("C3", "Telefoon")]
    assert "3.2478E+10" in row["errors"][0]["messages"][0]
    assert actor_count() == 0
    assert stored(ImportRecord) == 0


def test_the_messages_follow_the_requests_language(client, as_coordinator):
    response = client.post(
        f"{API}/imports?lang=en",
        data={"file": (io.BytesIO(belgian_csv(ROWS[0], BAD_ROW)), "lijst.csv")},
        headers=as_coordinator,
        content_type="multipart/form-data",
    )

    assert response.json["errors"]["rows"][0].startswith("1 row has an error (row 3)")


def test_skip_invalid_imports_the_other_rows(client, as_coordinator, actor_count):
    response = upload(client, as_coordinator, belgian_csv(ROWS[0], BAD_ROW), skip_invalid="true")

    assert response.status_code == 201
    assert (response.json["new"], response.json["errors"]) == (1, 1)
    assert actor_count() == 1


def test_a_mapping_names_the_columns(client, as_coordinator, actor_count):
    data = belgian_csv("Buurthuis Sinaai;03 772 11 22", header="Organisatie;Nummer")
    mapping = json.dumps({"Organisatie": "name", "Nummer": "phone"})

    response = upload(client, as_coordinator, data, mapping=mapping, dry_run="true")

    assert response.status_code == 200, response.json
    assert response.json["rows"][0]["values"] == {
        "name": "Buurthuis Sinaai",
        "phone": "+3237721122",
    }


def test_a_list_without_a_name_column_is_refused_on_the_mapping(client, as_coordinator):
    data = belgian_csv("03 772 11 22", header="Nummer")

    response = upload(client, as_coordinator, data)

    assert response.status_code == 422
    assert list(response.json["errors"]) == ["mapping"]


def test_a_file_that_is_no_list_is_refused_on_the_file(client, as_coordinator, stored):
    response = upload(client, as_coordinator, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", name="oud.xls")

    assert response.status_code == 422
    assert response.json["errors"]["file"][0].startswith("'oud.xls' is in het oude Excel")
    assert stored(ImportRecord) == 0


def test_a_mapping_that_is_not_a_json_object_is_refused(client, as_coordinator):
    response = upload(client, as_coordinator, belgian_csv(*ROWS), mapping="Naam=name")

    assert response.status_code == 422
    assert list(response.json["errors"]) == ["mapping"]


def test_a_flag_other_than_true_or_false_is_a_bad_request(client, as_coordinator):
    response = upload(client, as_coordinator, belgian_csv(*ROWS), dry_run="misschien")

    assert response.status_code == 400
    assert list(response.json["errors"]) == ["dry_run"]


def test_the_file_is_required(client, as_coordinator):
    response = client.post(
        f"{API}/imports",
        data={"dry_run": "true"},
        headers=as_coordinator,
        content_type="multipart/form-data",
    )

    assert response.status_code == 422
    assert list(response.json["errors"]) == ["file"]


def test_a_json_body_is_a_bad_request(client, as_coordinator):
    response = client.post(f"{API}/imports", json={"file": "x"}, headers=as_coordinator)

    assert response.status_code == 400


def test_a_list_above_the_limit_is_refused_naming_the_limit(client, as_coordinator):
    data = belgian_csv(*ROWS) + b"x" * (MAX_UPLOAD_BYTES + 1)

    response = upload(client, as_coordinator, data, dry_run="true")

    assert response.status_code == 422
    assert "de limiet is 20 MB" in response.json["errors"]["file"][0]


def test_a_body_far_above_the_limit_is_refused_as_too_large(client, as_coordinator):
    data = b"x" * (MAX_UPLOAD_BYTES + 200 * 1024)

    response = upload(client, as_coordinator, data, dry_run="true")

    assert response.status_code == 413
    assert list(response.json["errors"]) == ["_"]


def test_staff_may_not_import(client, as_staff, actor_count):
    response = upload(client, as_staff, belgian_csv(*ROWS))

    assert response.status_code == 403
    assert list(response.json["errors"]) == ["_"]
    assert actor_count() == 0


def test_an_import_can_be_undone(client, as_coordinator, actor_count):
    upload(client, as_coordinator, belgian_csv(*ROWS))

    response = client.post(f"{API}/imports/1/undo", headers=as_coordinator)

    assert response.status_code == 200
    assert response.json == {"import_id": 1, "status": "undone"}
    assert actor_count() == 0


def test_an_import_undone_already_is_refused(client, as_coordinator):
    upload(client, as_coordinator, belgian_csv(*ROWS))
    client.post(f"{API}/imports/1/undo", headers=as_coordinator)

    again = client.post(f"{API}/imports/1/undo", headers=as_coordinator)

    assert again.status_code == 422
    assert list(again.json["errors"]) == ["import"]


def test_undo_of_an_unknown_import_is_not_found(client, as_coordinator):
    assert client.post(f"{API}/imports/9/undo", headers=as_coordinator).status_code == 404


def test_staff_may_not_undo(client, as_staff):
    assert client.post(f"{API}/imports/1/undo", headers=as_staff).status_code == 403
