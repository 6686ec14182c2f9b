"""The possible duplicates page and the merge screen through the test client: the search runs
as a job (inline in tests), a merge through the form moves the contacts, and only coordinators
and administrators merge."""

import re

import pytest
from sqlalchemy import select

from crm.actors import update_actor
from crm.contacts import log_contact
from crm.models import Actor, ContactLog, Job, MergeRecord
from tests.conftest import csrf_token, post_form


@pytest.fixture
def twins(session, make_actor):
    """'Vzw De Link' with three contacts and 'De Link VZW' with two: the same phone in two
    formats."""
    first = make_actor(name="Vzw De Link", kind="poverty_organisation", phone="03 778 30 60")
    second = make_actor(
        name="De Link VZW",
        kind="poverty_organisation",
        phone="+32 3 778 30 60",
        email="info@delink.be",
    )
    for actor, times in ((first, 3), (second, 2)):
        for _ in range(times):
            log_contact(session, actor_id=actor.id, channel="phone", outcome="reached")
    session.commit()
    return first, second


def merge_url(first, second) -> str:
    return f"/actors/merge?first={first.id}&second={second.id}"


def merge_data(first, second, **choices) -> dict:
    return {
        "kept": "first",
        "first_version": first.version,
        "second_version": second.version,
        **choices,
    }


def contacts_of(session, actor_id) -> int:
    session.rollback()
    return len(session.scalars(select(ContactLog).where(ContactLog.actor_id == actor_id)).all())


def test_merging_through_the_form_moves_the_contacts_and_lands_on_the_kept_actor(
    session, make_user, login, client, twins
):
    first, second = twins
    second_id = second.id
    login(make_user("coordinator"))

    response = post_form(
        client,
        merge_url(first, second),
        merge_data(first, second, take_email="second"),
        follow_redirects=True,
    )

    page = response.get_data(as_text=True)
    assert response.request.path == f"/actors/{first.id}"
    assert (
        "Samengevoegd: De Link VZW ging op in Vzw De Link (contacten: 2, relaties: 0, "
        "uitnodigingen: 0, ideeën: 0 gingen over)." in page
    )
    assert contacts_of(session, first.id) == 5
    assert session.get(Actor, second_id) is None
    assert session.get(Actor, first.id).email == "info@delink.be"
    assert session.scalars(select(MergeRecord.removed_name)).all() == ["De Link VZW"]


def test_the_merge_screen_shows_both_records_and_what_the_button_does(
    make_user, login, client, twins
):
    first, second = twins
    login(make_user("admin"))

    page = client.get(merge_url(first, second)).get_data(as_text=True)

    assert 'id="field-name"' in page and 'id="field-email"' in page
    assert 'id="field-phone"' not in page  # the same number in both: shown once
    assert "Samenvoegen: Vzw De Link blijft, De Link VZW verdwijnt; 2 contacten gaan over" in page
    assert re.search(r'name="kept" value="first"\s+checked', page)  # more contacts: stays


def test_staff_may_not_merge_or_see_the_duplicates(session, make_user, login, client, twins):
    first, second = twins
    login(make_user("staff"))

    assert client.get("/duplicates").status_code == 403
    assert client.get(merge_url(first, second)).status_code == 403
    response = post_form(client, merge_url(first, second), merge_data(first, second))

    assert response.status_code == 403
    assert contacts_of(session, second.id) == 2


def test_a_merge_without_the_csrf_token_is_refused(session, make_user, login, client, twins):
    first, second = twins
    login(make_user("coordinator"))

    response = client.post(merge_url(first, second), data=merge_data(first, second))

    assert response.status_code == 400
    assert contacts_of(session, second.id) == 2


def test_a_stale_version_shows_the_conflict_and_merges_nothing(
    session, make_user, login, client, twins
):
    first, second = twins
    login(make_user("coordinator"))
    data = merge_data(first, second)
    update_actor(session, second.id, version=second.version, notes="Nieuwe contactpersoon.")
    session.commit()

    response = post_form(client, merge_url(first, second), data)

    assert response.status_code == 409
    assert (
        "Iemand anders heeft De Link VZW intussen bewaard. Er is niets samengevoegd"
        in response.get_data(as_text=True)
    )
    assert contacts_of(session, second.id) == 2
    assert session.scalars(select(MergeRecord)).all() == []


def test_the_search_runs_as_a_job_and_the_page_lists_the_pair(
    session, make_user, login, client, twins, make_actor
):
    first, second = twins
    make_actor(name="Jan Peeters", phone="0470 12 34 56")
    login(make_user("coordinator"))

    started = post_form(client, "/duplicates/search", {})
    progress = client.get(started.headers["Location"])
    page = client.get(progress.headers["Location"]).get_data(as_text=True)

    assert progress.status_code == 302
    assert session.scalars(select(Job.state)).all() == ["done"]
    rows = re.findall(r'<tr class="pair">(.*?)</tr>', page, re.S)
    assert len(rows) == 1
    assert ">Vzw De Link</a>" in rows[0] and ">De Link VZW</a>" in rows[0]
    assert "zelfde telefoonnummer" in rows[0] and "gelijkaardige naam" in rows[0]
    assert f'href="/actors/merge?first={first.id}&amp;second={second.id}"' in rows[0]


def test_a_pair_merged_since_the_search_is_left_out_and_the_merge_is_listed(
    session, make_user, login, client, twins
):
    first, second = twins
    login(make_user("coordinator"))
    post_form(client, "/duplicates/search", {})
    post_form(client, merge_url(first, second), merge_data(first, second))

    page = client.get("/duplicates").get_data(as_text=True)

    assert '<tr class="pair">' not in page
    merges = re.search(r'<table class="responsive" id="merges".*?</table>', page, re.S).group(0)
    assert "Vzw De Link" in merges and "De Link VZW" in merges
    assert "contacten: 2, relaties: 0, uitnodigingen: 0, ideeën: 0" in merges


def test_the_search_button_needs_the_csrf_token(session, make_user, login, client):
    login(make_user("coordinator"))
    csrf_token(client)

    response = client.post("/duplicates/search", data={})

    assert response.status_code == 400
    assert session.scalars(select(Job)).all() == []
