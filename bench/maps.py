"""The map page and the reach dashboard (issue 4): figure build time and JSON size.

    .venv/bin/python bench/maps.py [--sizes 1000 10000 100000] [--repeat 3] [--keep DIR]

For 1 000, 10 000 and 100 000 actors (10 contacts and 3 relations per actor, demo.city, in
temporary SQLite files; `--keep DIR` keeps them there and reuses them), with the analysis
cached: the build time and the JSON size (len(fig.to_json())) of the network map page figure
(mapping.figures.network_figure, default node limit: the group map above 2 000 actors) and of
the dashboard (reach_bar_figure per kind and per district, reach_heatmap_figure,
reach_over_time_figure, channel_mix_figure together). Also the cold analysis with its contact
aggregates, next to the analysis without them (the graph part alone, as before the dashboard).
Then the whole map pages through the Flask test client, logged in as a coordinator:
/maps, /maps/dashboard, /maps/power-interest and /maps/report, each first right after
mapping.clear_cache() (as after a write: that request computes the analysis it needs), then
`--repeat` times with the analysis cached; requests accept gzip, as a browser does. Per page:
the median server time, the HTML size, the figure JSON embedded in it (the
<script class="figure-json"> elements) and the gzipped size sent. (/api/v1/maps/network needs
a token: not measured here.)
Goals: JSON < 2 MB at every size; network + dashboard build < 1 s at 100 000 actors; cold
analysis < 5 s; every map page < 1 s with the analysis cached and figure JSON < 2 MB.
Each time is the median of `--repeat` runs.
"""

import argparse
import gzip
import re
import statistics
import time

from common import BenchUser, logged_in_client, prepare, scratch_dir, sqlite_url  # noqa: E402

from crm.clock import utcnow  # noqa: E402
from crm.db import gc_paused, make_engine, make_session_factory  # noqa: E402
from crm.versioning import current_data_version  # noqa: E402
from mapping import ReachSettings, analyse, analyse_graph, clear_cache  # noqa: E402
from mapping.build import load_contact_aggregates, load_graph  # noqa: E402
from mapping.figures import (  # noqa: E402
    channel_mix_figure,
    network_figure,
    reach_bar_figure,
    reach_heatmap_figure,
    reach_over_time_figure,
)

GOAL_JSON_MB = 2.0
GOAL_BUILD_S = 1.0
GOAL_COLD_S = 5.0
GOAL_PAGE_S = 1.0
COORDINATOR = BenchUser(email="bench-coordinator@sint-niklaas.be", role="coordinator")
PAGES = ("/maps", "/maps/dashboard", "/maps/power-interest", "/maps/report")
# The page embeds each figure as <script type="application/json" class="figure-json" ...>.
FIGURE_JSON = re.compile(
    rb'<script type="application/json" class="figure-json"[^>]*>(.*?)</script>', re.DOTALL
)


def timed(function):
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def dashboard(analysis) -> list:
    return [
        reach_bar_figure(analysis, dimension="kind"),
        reach_bar_figure(analysis, dimension="district"),
        reach_heatmap_figure(analysis),
        reach_over_time_figure(analysis),
        channel_mix_figure(analysis),
    ]


def megabytes(figures) -> float:
    return sum(len(f.to_json()) for f in figures) / 1e6


def measure(actors: int, url: str, repeat: int) -> None:
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    settings = ReachSettings()
    colds, graph_only, aggregates = [], [], []
    try:
        for _ in range(repeat):
            with sessions() as session:
                now = utcnow()
                with gc_paused():
                    elapsed, _ = timed(
                        lambda s=session, now=now: analyse_graph(
                            load_graph(s, settings=settings, now=now), settings=settings, now=now
                        )
                    )
                graph_only.append(elapsed)
            with sessions() as session:
                elapsed, _ = timed(
                    lambda s=session: load_contact_aggregates(s, settings=settings, now=utcnow())
                )
                aggregates.append(elapsed)
            with sessions() as session:
                clear_cache()
                elapsed, analysis = timed(lambda s=session: analyse(s, settings=settings))
                colds.append(elapsed)
        with sessions() as session:
            assert analyse(session, settings=settings) is analysis, "not cached"
    finally:
        engine.dispose()
    networks, boards = [], []
    for _ in range(repeat):
        elapsed, network = timed(lambda: network_figure(analysis))
        networks.append(elapsed)
        elapsed, figures = timed(lambda: dashboard(analysis))
        boards.append(elapsed)
    network_s, board_s = statistics.median(networks), statistics.median(boards)
    network_mb, board_mb = megabytes([network]), megabytes(figures)
    level = network.layout.meta["level"]
    met = max(network_mb, board_mb) < GOAL_JSON_MB and network_s + board_s < GOAL_BUILD_S
    n = f"{actors:,} actors"
    print(
        f"network map, {level} level ({n}): build {1000 * network_s:.0f} ms, "
        f"JSON {network_mb:.2f} MB"
    )
    print(f"dashboard, 5 figures ({n}): build {1000 * board_s:.0f} ms, JSON {board_mb:.3f} MB")
    print(
        f"analysis cold ({n}): {statistics.median(colds):.2f} s; without the contact aggregates "
        f"{statistics.median(graph_only):.2f} s; the aggregates alone "
        f"{statistics.median(aggregates):.2f} s"
    )
    cold_met = statistics.median(colds) < GOAL_COLD_S
    print(
        f"goal ({n}): JSON < {GOAL_JSON_MB:.0f} MB each, network + dashboard < "
        f"{GOAL_BUILD_S:.0f} s, cold < {GOAL_COLD_S:.0f} s: "
        f"{'met' if met and cold_met else 'NOT met'}"
    )


def timed_get(client, page: str) -> tuple[float, bytes, int]:
    """Seconds for one request of the page (gzip accepted, as a browser does), its HTML and the
    bytes sent."""
    started = time.perf_counter()
    response = client.get(page, headers={"Accept-Encoding": "gzip"})
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, (page, response.status_code)
    body = response.get_data()
    wire = len(body)
    if response.content_encoding == "gzip":
        body = gzip.decompress(body)
    return elapsed, body, wire


def size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.0f} KB"


def measure_pages(actors: int, url: str, repeat: int) -> None:
    """The whole page through the Flask test client: once right after the cache is emptied (as
    after a write: the request computes the analysis), then `repeat` times with it cached."""
    client = logged_in_client(url, COORDINATOR)
    engine = make_engine(url, immediate=False)  # only reads the data version
    n = f"{actors:,} actors"
    missed = []
    try:
        with engine.connect() as connection:
            version = current_data_version(connection)
        for page in PAGES:
            clear_cache()
            first, _, _ = timed_get(client, page)
            runs = [timed_get(client, page) for _ in range(repeat)]
            with engine.connect() as connection:
                # A write in between would have made the "cached" requests compute again.
                assert current_data_version(connection) == version, "the data changed"
            median = statistics.median(elapsed for elapsed, _, _ in runs)
            _, html, wire = runs[-1]
            figures = FIGURE_JSON.findall(html)
            figure_bytes = sum(len(text) for text in figures)
            print(
                f"map page {page} ({n}, analysis cached): {1000 * median:.0f} ms median, "
                f"HTML {size(len(html))}, figure JSON {size(figure_bytes)} "
                f"({len(figures)} figure{'s' if len(figures) != 1 else ''}), "
                f"gzipped {size(wire)}"
            )
            print(f"map page {page} ({n}, first request after a write): {1000 * first:.0f} ms")
            if median >= GOAL_PAGE_S or figure_bytes >= GOAL_JSON_MB * 1e6:
                missed.append(page)
    finally:
        engine.dispose()
    verdict = f"NOT met ({', '.join(missed)})" if missed else "met"
    print(
        f"goal, map pages ({n}): page < {GOAL_PAGE_S:.0f} s with the analysis cached and "
        f"figure JSON < {GOAL_JSON_MB:.0f} MB on every page: {verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median shown)")
    parser.add_argument("--keep", metavar="DIR", help="keep (and reuse) the SQLite files here")
    options = parser.parse_args()
    with scratch_dir(options.keep) as directory:
        for actors in options.sizes:
            url = sqlite_url(directory, f"maps-{actors}")
            prepare(
                url, actors=actors, contacts=10 * actors, relations=3 * actors, user=COORDINATOR
            )
            measure(actors, url, options.repeat)
            measure_pages(actors, url, options.repeat)


if __name__ == "__main__":
    main()
