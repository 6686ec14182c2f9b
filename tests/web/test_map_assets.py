"""What a map page loads besides itself: Bereik's plotly.js bundle, its locale, and the caching
that makes a repeat visit cheap (docs/performance.md#maps-and-pages)."""

import gzip
import json
import re
from pathlib import Path

import pytest

from app.maps import charts
from crm.contacts import log_contact
from crm.relations import add_relation

BUNDLE = Path(__file__).resolve().parents[2] / "app/static/vendor/plotly/plotly-bereik.min.js"
# Each trace module of plotly.js declares itself as {…, moduleType:"trace", name:"bar", …}.
TRACE_MODULE = re.compile(r'moduleType:"trace",name:"(\w+)"')
FIGURE_JSON = re.compile(
    r'<script type="application/json" class="figure-json" data-figure="([^"]+)">(.*?)</script>',
    re.S,
)
LOCALE_JSON = re.compile(r'<script type="application/json" id="plotly-locale">(.*?)</script>', re.S)
PAGES = ("/maps", "/maps/power-interest", "/maps/dashboard", "/maps/report")


@pytest.fixture
def coordinator(make_user, login):
    user = make_user("coordinator", name="Karel Coördinator")
    login(user)
    return user


@pytest.fixture
def city(make_actor, session):
    """Three actors in Sinaai (two reached directly, related) and a poverty organisation."""
    jan = make_actor(name="Jan Peeters", district="Sinaai")
    mia = make_actor(name="Mia Claes", district="Sinaai")
    make_actor(name="Bakkerij Jansens", kind="business", district="Sinaai")
    make_actor(name="Vzw Kompas", kind="poverty_organisation", district="Belsele", influence=5)
    add_relation(session, source_id=jan.id, target_id=mia.id, type="knows", strength=2)
    log_contact(session, actor_id=mia.id, channel="visit", outcome="reached")
    log_contact(session, actor_id=jan.id, channel="phone", outcome="reached")
    session.commit()
    return jan


def html_of(response) -> str:
    body = response.get_data()
    if response.content_encoding == "gzip":
        body = gzip.decompress(body)
    return body.decode()


def trace_types_on(client, path: str) -> dict[str, set[str]]:
    """The trace types of every figure embedded in the page, by figure name."""
    page = html_of(client.get(path))
    return {
        name: {trace.get("type", "scatter") for trace in json.loads(text)["data"]}
        for name, text in FIGURE_JSON.findall(page)
    }


# --- the bundle ---------------------------------------------------------------------------


def test_the_bundle_holds_scatter_bar_and_heatmap_only():
    assert set(TRACE_MODULE.findall(BUNDLE.read_text())) == {"scatter", "bar", "heatmap"}


def test_every_figure_draws_only_trace_types_of_the_bundle(
    app, client, coordinator, city, monkeypatch
):
    in_bundle = set(TRACE_MODULE.findall(BUNDLE.read_text()))
    seen: dict[str, set[str]] = {}
    # The actor level (the default here) and the group level (a node limit below 4 actors).
    for limit in (app.config["MAP_NODE_LIMIT"], 2):
        monkeypatch.setitem(app.config, "MAP_NODE_LIMIT", limit)
        for path in (*PAGES, f"/maps?actor={city.id}"):
            for name, types in trace_types_on(client, path).items():
                seen.setdefault(name, set()).update(types)

    assert set(seen) == set(charts.FIGURES)  # a new figure must show up here too
    for name, types in seen.items():
        assert types <= in_bundle, f"{name} draws {types - in_bundle}: not in the bundle"


def test_plotly_js_is_bereiks_bundle_cached_for_a_year(client, coordinator):
    response = client.get("/assets/plotly.min.js")

    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.get_data() == BUNDLE.read_bytes()
    assert response.headers["Cache-Control"] == "private, max-age=31536000, immutable"
    etag = response.headers["ETag"]
    again = client.get("/assets/plotly.min.js", headers={"If-None-Match": etag})
    assert again.status_code == 304 and not again.get_data()


def test_plotly_js_is_sent_gzipped_when_accepted(client, coordinator):
    response = client.get("/assets/plotly.min.js", headers={"Accept-Encoding": "gzip, br"})

    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert gzip.decompress(response.get_data()) == BUNDLE.read_bytes()
    assert len(response.get_data()) < 450_000


def test_the_page_asks_for_plotly_js_by_version_and_bundle(client, coordinator, city):
    page = html_of(client.get("/maps"))

    assert re.search(r'src="/assets/plotly\.min\.js\?v=4\.1\.1-[0-9a-f]{8}"', page)


# --- the locale -----------------------------------------------------------------------------


def locale_of(client, path: str) -> dict:
    return json.loads(LOCALE_JSON.search(html_of(client.get(path))).group(1))


def test_the_dutch_ui_gets_a_dutch_plotly_locale(client, coordinator, city):
    locale = locale_of(client, "/maps/dashboard")

    assert locale["moduleType"] == "locale"
    assert locale["name"] == "bereik-nl"
    assert locale["dictionary"]["Zoom"] == "Inzoomen"
    assert locale["dictionary"]["Reset axes"] == "Assen herstellen"
    assert locale["dictionary"]["Download plot as a PNG"] == "Grafiek downloaden als PNG"
    assert locale["format"]["decimal"] == ","
    assert locale["format"]["thousands"] == "."
    assert locale["format"]["months"][2] == "maart"
    assert locale["format"]["shortMonths"][9] == "okt"
    assert locale["format"]["days"][0] == "zondag"


def test_the_english_ui_gets_an_english_plotly_locale(client, coordinator, city):
    locale = locale_of(client, "/maps/dashboard?lang=en")

    assert locale["name"] == "bereik-en"
    assert locale["dictionary"]["Zoom"] == "Zoom"
    assert locale["format"]["decimal"] == "."
    assert locale["format"]["thousands"] == ","
    assert locale["format"]["months"][2] == "March"


def test_every_chart_says_it_is_loading_until_drawn(client, coordinator, city):
    page = html_of(client.get("/maps/dashboard"))

    assert page.count('class="map-status"') == len(charts.DASHBOARD)
    assert page.count("Kaart wordt geladen…") == len(charts.DASHBOARD)
    assert "De kaart kon niet getekend worden." in page  # kept for maps.js if drawing fails


# --- a repeat visit -------------------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES)
def test_a_repeat_visit_of_a_map_page_is_answered_304_without_a_body(
    client, coordinator, city, path
):
    first = client.get(path, headers={"Accept-Encoding": "gzip"})
    etag = first.headers["ETag"]

    assert first.status_code == 200 and first.content_encoding == "gzip"
    assert not etag.startswith("W/")
    assert first.headers["Cache-Control"] == "private, no-cache"
    again = client.get(path, headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == etag


def test_the_plain_page_has_another_etag_than_the_gzipped_one(client, coordinator, city):
    zipped = client.get("/maps", headers={"Accept-Encoding": "gzip"})
    plain = client.get("/maps", headers={"Accept-Encoding": "identity"})

    assert plain.content_encoding is None
    assert plain.headers["ETag"] != zipped.headers["ETag"]
    stale = client.get("/maps", headers={"If-None-Match": zipped.headers["ETag"]})
    assert stale.status_code == 200 and b"figure-json" in stale.get_data()


def test_a_new_actor_changes_the_page_and_its_etag(client, coordinator, city, make_actor):
    first = client.get("/maps/dashboard")

    make_actor(name="Nieuwe Buur", district="Sinaai")
    again = client.get("/maps/dashboard", headers={"If-None-Match": first.headers["ETag"]})

    assert again.status_code == 200
    assert again.headers["ETag"] != first.headers["ETag"]


@pytest.mark.parametrize(
    ("name", "mimetype"), [("maps.js", "text/javascript"), ("maps.css", "text/css")]
)
def test_the_map_script_and_style_are_versioned_gzipped_and_cached_for_a_year(
    client, coordinator, city, name, mimetype
):
    page = html_of(client.get("/maps"))
    url = re.search(rf'"(/assets/{re.escape(name)}\?v=[0-9a-f]{{8}})"', page).group(1)
    static = Path(__file__).resolve().parents[2] / "app/static" / name

    response = client.get(url, headers={"Accept-Encoding": "gzip"})

    assert response.mimetype == mimetype
    assert response.headers["Cache-Control"] == "private, max-age=31536000, immutable"
    assert gzip.decompress(response.get_data()) == static.read_bytes()
