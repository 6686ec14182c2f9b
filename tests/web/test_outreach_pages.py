"""The outreach plan, "my calls and visits", claims, and the next action on the actor page."""

import html
import re

import pytest
from sqlalchemy import func, select

from crm.contacts import log_contact
from crm.models import ActorClaim, ContactLog
from crm.relations import add_relation
from tests.conftest import contact_form_token, csrf_token, post_contact_form, post_form

VISIT_REASON = "Poverty organisations are reached in person: visit them."
REACHED_CALL = {"channel": "phone", "direction": "outgoing", "outcome": "reached"}


@pytest.fixture
def coordinator(make_user, login):
    user = make_user("coordinator", name="Chris Coordinator")
    login(user)
    return user


@pytest.fixture
def zonnebloem(make_actor):
    """A poverty organisation nobody talked to: flagged on its own, to be visited."""
    return make_actor(
        name="Vzw De Zonnebloem",
        kind="poverty_organisation",
        district="Sinaai",
        phone="03 778 30 60",
        address="Kerkstraat 12",
        postcode="9112",
        themes=["armoede"],
    )


@pytest.fixture
def businesses(make_actor, session):
    """Five businesses in Belsele with a phone, one reached directly: 1 of 5, under-reached."""
    actors = [
        make_actor(
            name=f"Bakkerij {n}", kind="business", district="Belsele", phone=f"0470 12 34 5{n}"
        )
        for n in range(5)
    ]
    log_contact(session, actor_id=actors[0].id, channel="visit", outcome="reached")
    session.commit()
    return actors


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def section(page: str, element_id: str) -> str:
    """The HTML of the element (a <section>, <details> or <ol>) with this id."""
    start = page.index(f'id="{element_id}"')
    tag = page[page.rindex("<", 0, start) + 1 :].split(None, 1)[0]
    return page[start : page.index(f"</{tag}>", start)]


def group_section(page: str, ident: str) -> str:
    """The folded group with this ident on the plan."""
    start = page.index('<details class="card group" id="group-')
    start = page.index(f'data-group="{ident}"', start)
    return page[start : page.index("</details>", start)]


def listed_actor_ids(page: str) -> set[int]:
    return {int(n) for n in re.findall(r'<(?:tr|li class="work"[^>]*) data-actor-id="(\d+)"', page)}


def press(client, page: str, action: str):
    """Submit the form with this action as the browser would: with its own hidden fields."""
    start = page.index(f'action="{action}"')
    form = page[start : page.index("</form>", start)]
    fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form))
    return client.post(action, data={k: html.unescape(v) for k, v in fields.items()})


def log_out(client) -> None:
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})


def claim_of(session, actor_id):
    session.commit()
    session.expire_all()
    return session.get(ActorClaim, actor_id)


# --- the plan -----------------------------------------------------------------------------


def test_plan_lists_a_poverty_organisation_to_visit_with_a_log_link_that_prefills_a_visit(
    coordinator, client, zonnebloem
):
    page = text_of(client.get("/outreach?lang=en"))

    poverty = section(page, "poverty-organisations")
    assert "Vzw De Zonnebloem" in poverty
    assert f'id="poverty-{zonnebloem.id}" data-actor-id="{zonnebloem.id}" data-action="visit"' in (
        poverty
    )
    assert "Visit" in poverty and VISIT_REASON in poverty
    assert 'href="tel:+3237783060">Call <span class="nowrap">03 778 30 60</span></a>' in poverty
    assert "Kerkstraat 12 9112" in poverty
    link = f"/actors/{zonnebloem.id}?channel=visit#quick-contact"
    assert f'href="{link}"' in poverty

    form = client.get(link).get_data(as_text=True)
    assert '<option selected value="visit">' in form


@pytest.mark.parametrize(
    "action, channel", [("call", "phone"), ("introduce", "intermediary"), ("meeting", "meeting")]
)
def test_the_log_link_prefills_the_channel_of_the_action(
    coordinator, client, zonnebloem, action, channel
):
    form = client.get(f"/actors/{zonnebloem.id}?channel={action}").get_data(as_text=True)

    assert f'<option selected value="{channel}">' in form


def test_an_unknown_channel_in_the_link_leaves_the_quick_form_on_a_phone_call(
    coordinator, client, zonnebloem
):
    form = client.get(f"/actors/{zonnebloem.id}?channel=pigeon").get_data(as_text=True)

    assert '<option selected value="phone">' in form


def test_plan_shows_an_under_reached_group_folded_with_its_figures_and_best_actors(
    coordinator, client, businesses
):
    page = text_of(client.get("/outreach?lang=en"))

    group = group_section(page, "kind:business")
    assert "Businesses: 1 of 5 reached directly" in group
    assert "4 to reach" in group
    assert 'data-figure="total">5<' in group
    assert 'data-figure="direct">1 (20%)<' in group
    assert 'data-figure="none">4<' in group
    assert len(listed_actor_ids(group)) == 3
    assert listed_actor_ids(group) < {a.id for a in businesses[1:]}
    assert group.count('data-action="call"') == 3
    assert "A phone number is known: call." in group
    assert "Show all 4 actors to reach in this group" in group


def test_plan_shows_the_best_actors_of_a_big_group_and_its_page_lists_them_all(
    coordinator, client, make_actor, monkeypatch, app
):
    for n in range(13):
        make_actor(name=f"Winkel {n:02d}", kind="business", phone=f"0470 00 00 {n:02d}")
    monkeypatch.setitem(app.config, "PER_PAGE", 5)

    page = text_of(client.get("/outreach?lang=en"))

    group = group_section(page, "kind:business")
    assert len(listed_actor_ids(group)) == 3
    assert 'href="/outreach/groups/kind/business"' in group
    assert "Show all 13 actors to reach in this group" in group
    seen = set()
    for number in (1, 2, 3):
        listing = text_of(client.get(f"/outreach/groups/kind/business?page={number}&lang=en"))
        assert "Businesses: 0 of 13 reached directly" in listing
        seen |= listed_actor_ids(listing)
    assert len(seen) == 13
    assert 'rel="next"' not in listing


def test_a_kind_and_district_group_has_its_own_page(coordinator, client, businesses):
    response = client.get("/outreach/groups/kind_district/business/Belsele?lang=en")

    assert response.status_code == 200
    assert "Businesses in Belsele: 1 of 5 reached directly" in text_of(response)
    assert listed_actor_ids(text_of(response)) == {a.id for a in businesses[1:]}


def test_an_unknown_group_is_not_found(coordinator, client, businesses):
    assert client.get("/outreach/groups/kind/dragons").status_code == 404
    assert client.get("/outreach/groups/colour/red").status_code == 404


def test_the_poverty_organisations_have_a_paged_list_of_their_own(coordinator, client, zonnebloem):
    page = text_of(client.get("/outreach/poverty-organisations?lang=en"))

    assert listed_actor_ids(page) == {zonnebloem.id}
    assert VISIT_REASON in page


def test_plan_filters_by_district_kind_theme_and_action(
    coordinator, client, zonnebloem, businesses, make_actor
):
    phone_only = make_actor(
        name="Vzw Samen Sterk",
        kind="poverty_organisation",
        district="Belsele",
        phone="03 760 11 22",
    )

    def listed(query: str) -> set[int]:
        return listed_actor_ids(text_of(client.get(f"/outreach?{query}")))

    unreached = {a.id for a in businesses[1:]}
    assert listed("") == {zonnebloem.id, phone_only.id} | unreached
    assert listed("district=Sinaai") == {zonnebloem.id}
    assert listed("district=Belsele") == {phone_only.id} | unreached
    assert listed("kind=business") == unreached
    assert listed("theme=armoede") == {zonnebloem.id}
    assert listed("action=visit") == {zonnebloem.id}
    assert listed("action=call&district=Belsele&kind=poverty_organisation") == {phone_only.id}
    assert listed("district=Atlantis") == set()


def test_filters_that_match_nothing_say_so_and_offer_to_clear_them(coordinator, client, zonnebloem):
    page = text_of(client.get("/outreach?action=introduce&lang=en"))

    assert "Nothing in the plan matches these filters." in page
    assert 'id="plan-empty"' in page


def test_plan_says_so_when_nothing_is_flagged(coordinator, client, make_actor, session):
    for n in range(3):
        actor = make_actor(name=f"Buur {n}")
        log_contact(session, actor_id=actor.id, channel="phone", outcome="reached")
    session.commit()

    page = text_of(client.get("/outreach?lang=en"))

    assert 'id="plan-empty"' in page
    assert "no group is under-reached and every poverty organisation is reached directly" in page
    assert listed_actor_ids(page) == set()


def test_plan_lists_groups_with_too_few_known_actors(coordinator, client, zonnebloem):
    page = text_of(client.get("/outreach?lang=en"))

    too_few = section(page, "too-few-known")
    assert "Poverty organisations in Sinaai: only 1 known. Map more stakeholders here." in too_few


def test_staff_can_read_the_plan(make_user, login, client, zonnebloem):
    login(make_user("staff"))

    response = client.get("/outreach?lang=en")

    assert response.status_code == 200
    assert "Vzw De Zonnebloem" in text_of(response)


@pytest.mark.parametrize("path", ["/outreach", "/outreach/mine", "/outreach/groups/kind/business"])
def test_anonymous_visitors_are_sent_to_the_login_page(client, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_the_menu_leads_to_the_outreach_plan(coordinator, client):
    page = client.get("/?lang=en").get_data(as_text=True)

    assert 'href="/outreach"' in page


# --- logging a contact changes the plan at once (a "Done when" point) ------------------------


def test_a_reached_call_logged_through_the_quick_form_updates_status_figures_and_plan(
    coordinator, client, businesses
):
    called = businesses[1]
    before = text_of(client.get("/outreach?lang=en"))
    assert called.id in listed_actor_ids(before)
    assert "Businesses: 1 of 5 reached directly" in before

    response = post_contact_form(client, called.id, REACHED_CALL)

    assert response.status_code == 302
    actor_page = text_of(client.get(f"/actors/{called.id}?lang=en"))
    assert 'class="badge direct"' in actor_page
    assert 'id="next-action"' not in actor_page
    after = text_of(client.get("/outreach?lang=en"))
    group = group_section(after, "kind:business")
    assert "Businesses: 2 of 5 reached directly" in group
    assert 'data-figure="direct">2 (40%)<' in group
    assert called.id not in listed_actor_ids(after)
    assert listed_actor_ids(group) == {a.id for a in businesses[2:]}


def test_a_visit_to_a_poverty_organisation_takes_it_off_the_plan(coordinator, client, zonnebloem):
    post_contact_form(
        client,
        zonnebloem.id,
        {"channel": "visit", "direction": "outgoing", "outcome": "reached"},
    )

    page = text_of(client.get("/outreach?lang=en"))

    assert 'id="poverty-organisations"' not in page
    assert zonnebloem.id not in listed_actor_ids(page)


# --- the actor page -----------------------------------------------------------------------


def test_the_actor_page_shows_the_recommended_action_and_reason(coordinator, client, zonnebloem):
    page = text_of(client.get(f"/actors/{zonnebloem.id}?lang=en"))

    assert '<dd id="next-action" data-action="visit">' in page
    assert VISIT_REASON in section_of_facts(page)


def test_the_actor_page_names_and_links_the_introducer(coordinator, client, make_actor, session):
    hidden = make_actor(name="Vzw Verborgen", kind="poverty_organisation")
    pastor = make_actor(name="Pastoor Jan")
    log_contact(session, actor_id=pastor.id, channel="visit", outcome="reached")
    add_relation(session, source_id=pastor.id, target_id=hidden.id, type="knows", strength=3)
    session.commit()

    page = text_of(client.get(f"/actors/{hidden.id}?lang=en"))

    assert '<dd id="next-action" data-action="introduce">' in page
    assert "Ask for an introduction" in page
    assert "Ask Pastoor Jan, who is reached directly, for an introduction." in page
    assert f'data-testid="introducer" href="/actors/{pastor.id}">Pastoor Jan</a>' in page


def test_an_introduction_is_logged_as_a_call_with_the_introducer_with_nothing_filled_in_as_reached(
    coordinator, client, make_actor, session
):
    hidden = make_actor(name="Vzw Verborgen", kind="poverty_organisation")
    pastor = make_actor(name="Pastoor Jan", phone="03 776 00 11")
    log_contact(session, actor_id=pastor.id, channel="visit", outcome="reached")
    add_relation(session, source_id=pastor.id, target_id=hidden.id, type="knows", strength=3)
    session.commit()

    plan = text_of(client.get("/outreach?lang=en"))
    row = section(plan, f"today-{hidden.id}")
    assert 'href="tel:+3237760011">Call Pastoor Jan <span class="nowrap">03 776 00 11</span>' in row
    link = f"/actors/{pastor.id}?channel=phone&introduce={hidden.id}#quick-contact"
    assert f'href="{link}"' in row
    assert "Log the call with Pastoor Jan" in row
    form = text_of(client.get(link + "&lang=en"))
    assert '<option selected value="phone">' in form
    assert '<option selected value="">(what happened?)</option>' in form
    assert '<option selected value="reached">' not in form
    assert "Asked for an introduction to Vzw Verborgen.</textarea>" in form


def test_a_log_without_a_chosen_outcome_is_refused_and_nothing_is_stored(
    coordinator, client, zonnebloem, session
):
    response = post_form(
        client,
        f"/actors/{zonnebloem.id}/contacts?lang=en",
        {
            "channel": "phone",
            "direction": "outgoing",
            "outcome": "",
            "submission_token": contact_form_token(client, zonnebloem.id),
        },
    )

    assert response.status_code == 422
    page = text_of(response)
    assert '<option selected value="">(what happened?)</option>' in page
    assert "This field is required." in page
    assert session.scalar(select(func.count()).select_from(ContactLog)) == 0


def test_an_actor_without_recommendation_shows_no_next_action(coordinator, client, make_actor):
    actor = make_actor(name="Buur")  # a group of one: too few known, nothing to recommend

    page = client.get(f"/actors/{actor.id}").get_data(as_text=True)

    assert 'id="next-action"' not in page


def section_of_facts(page: str) -> str:
    start = page.index('aria-labelledby="facts-title"')
    return page[start : page.index("</section>", start)]


# --- claims -------------------------------------------------------------------------------


def test_claiming_needs_the_csrf_token(coordinator, client, zonnebloem, session):
    response = client.post(f"/outreach/claims/{zonnebloem.id}")

    assert response.status_code == 400
    assert claim_of(session, zonnebloem.id) is None


def test_a_claimed_actor_shows_who_claimed_it_and_cannot_be_claimed_by_a_colleague(
    make_user, login, client, zonnebloem, session
):
    sofie = make_user("staff", name="Sofie Staff")
    login(sofie)
    plan = client.get("/outreach?district=Sinaai").get_data(as_text=True)
    response = press(client, plan, f"/outreach/claims/{zonnebloem.id}")
    assert response.status_code == 302
    # Back to the row the button was on, not the top of the plan.
    assert response.headers["Location"] == f"/outreach?district=Sinaai#today-{zonnebloem.id}"
    assert claim_of(session, zonnebloem.id).user_id == sofie.id
    assert 'data-testid="claimed-by-me"' in client.get("/outreach").get_data(as_text=True)
    log_out(client)

    login(make_user("staff", name="Bram Staff"))
    plan = text_of(client.get("/outreach?lang=en"))
    assert "on the list of Sofie Staff" in plan
    assert f'action="/outreach/claims/{zonnebloem.id}"' not in plan
    assert 'id="today-' not in plan  # a colleague's work is not Bram's today
    response = post_form(
        client, f"/outreach/claims/{zonnebloem.id}?lang=en", {}, follow_redirects=True
    )

    assert "Vzw De Zonnebloem is already claimed by Sofie Staff." in text_of(response)
    assert claim_of(session, zonnebloem.id).user_id == sofie.id


def test_a_claim_can_be_released_and_then_claimed_by_a_colleague(
    make_user, login, client, zonnebloem, session
):
    sofie = make_user("staff", name="Sofie Staff")
    login(sofie)
    post_form(client, f"/outreach/claims/{zonnebloem.id}", {})

    response = post_form(client, f"/outreach/claims/{zonnebloem.id}/release", {})

    assert response.status_code == 302
    assert response.headers["Location"] == "/outreach/mine"
    assert claim_of(session, zonnebloem.id) is None
    log_out(client)
    bram = make_user("staff", name="Bram Staff")
    login(bram)
    post_form(client, f"/outreach/claims/{zonnebloem.id}", {})
    assert claim_of(session, zonnebloem.id).user_id == bram.id


def test_staff_cannot_release_a_colleagues_claim_but_a_coordinator_can(
    make_user, login, client, zonnebloem, session
):
    sofie = make_user("staff", name="Sofie Staff")
    login(sofie)
    post_form(client, f"/outreach/claims/{zonnebloem.id}", {})
    log_out(client)
    login(make_user("staff"))

    response = post_form(
        client, f"/outreach/claims/{zonnebloem.id}/release?lang=en", {}, follow_redirects=True
    )

    assert "Vzw De Zonnebloem is claimed by Sofie Staff: only they can give it back." in (
        text_of(response)
    )
    assert claim_of(session, zonnebloem.id).user_id == sofie.id
    log_out(client)

    login(make_user("coordinator"))
    post_form(client, f"/outreach/claims/{zonnebloem.id}/release", {})
    assert claim_of(session, zonnebloem.id) is None


def test_the_actor_page_has_a_claim_button_and_shows_the_claim(
    make_user, login, client, zonnebloem, session
):
    sofie = make_user("staff", name="Sofie Staff")
    login(sofie)
    page = client.get(f"/actors/{zonnebloem.id}?channel=visit").get_data(as_text=True)

    response = press(client, page, f"/outreach/claims/{zonnebloem.id}")

    assert response.status_code == 302
    assert response.headers["Location"] == f"/actors/{zonnebloem.id}?channel=visit"
    page = client.get(f"/actors/{zonnebloem.id}").get_data(as_text=True)
    assert 'data-testid="claimed-by-me"' in page
    assert f'action="/outreach/claims/{zonnebloem.id}/release"' in page


@pytest.mark.parametrize("target", ["//evil.example/x", "/\\evil.example", "https://evil.example"])
def test_a_claim_button_never_redirects_to_another_site(coordinator, client, zonnebloem, target):
    response = post_form(client, f"/outreach/claims/{zonnebloem.id}", {"next": target})

    assert response.headers["Location"] == f"/actors/{zonnebloem.id}"


def test_claiming_an_unknown_actor_is_not_found(coordinator, client):
    assert post_form(client, "/outreach/claims/999", {}).status_code == 404


# --- my calls and visits ------------------------------------------------------------------


def test_my_calls_and_visits_lists_my_claims_with_their_action_and_my_follow_ups(
    make_user, login, client, zonnebloem, businesses, session
):
    sofie = make_user("staff", name="Sofie Staff")
    login(sofie)
    post_form(client, f"/outreach/claims/{zonnebloem.id}", {})
    log_contact(
        session,
        actor_id=businesses[2].id,
        channel="phone",
        outcome="no_answer",
        follow_up_on="2999-01-01",
        note="Terugbellen na de middag",
        user_id=sofie.id,
    )
    session.commit()

    page = text_of(client.get("/outreach/mine?lang=en"))

    claims = section(page, "my-claims")
    assert listed_actor_ids(claims) == {zonnebloem.id}
    assert VISIT_REASON in claims
    assert f'href="/actors/{zonnebloem.id}?channel=visit#quick-contact"' in claims
    follow_ups = section(page, "my-follow-ups")
    assert "Bakkerij 2" in follow_ups and "Terugbellen na de middag" in follow_ups


def test_my_calls_and_visits_shows_colleagues_nothing_of_my_claims(
    make_user, login, client, zonnebloem
):
    login(make_user("staff", name="Sofie Staff"))
    post_form(client, f"/outreach/claims/{zonnebloem.id}", {})
    log_out(client)
    login(make_user("staff"))

    page = text_of(client.get("/outreach/mine?lang=en"))

    assert listed_actor_ids(page) == set()
    assert "You have not claimed anyone yet." in page


def test_a_claimed_actor_reached_in_the_meantime_can_be_given_back(
    make_user, login, client, zonnebloem
):
    login(make_user("staff"))
    post_form(client, f"/outreach/claims/{zonnebloem.id}", {})
    post_contact_form(
        client,
        zonnebloem.id,
        {"channel": "visit", "direction": "outgoing", "outcome": "reached"},
    )

    page = text_of(client.get("/outreach/mine?lang=en"))

    assert f'<tr data-actor-id="{zonnebloem.id}" data-action="">' in page
    assert "Nothing left to do: give it back." in page
