"""The map page and the reach dashboard (issue 4): figure build time and JSON size.

    .venv/bin/python bench/maps.py [--sizes 1000 10000 100000] [--repeat 3] [--keep DIR]

For 1 000, 10 000 and 100 000 actors (10 contacts and 3 relations per actor, crm.demo, in
temporary SQLite files; `--keep DIR` keeps them there and reuses them), with the analysis
cached: the build time and the JSON size (len(fig.to_json())) of the network map page figure
(mapping.figures.network_figure, default node limit: the group map above 2 000 actors) and of
the dashboard (reach_bar_figure per kind and per district, reach_heatmap_figure,
reach_over_time_figure, channel_mix_figure together). Also the cold analysis with its contact
aggregates, next to the analysis without them (the graph part alone, as before the dashboard).
Goals: JSON < 2 MB at every size; network + dashboard build < 1 s at 100 000 actors; cold
analysis < 5 s. Each time is the median of `--repeat` runs.
"""

import argparse
import statistics
import sys
import time

from common import scratch_dir, sqlite_url  # noqa: E402

from crm.clock import utcnow  # noqa: E402
from crm.db import make_engine, make_session_factory  # noqa: E402
from crm.demo import has_actors, load_demo_data, settle_after_load  # noqa: E402
from mapping import ReachSettings, analyse, analyse_graph, clear_cache  # noqa: E402
from mapping.build import gc_paused, load_contact_aggregates, load_graph  # noqa: E402
from mapping.figures import (  # noqa: E402
    channel_mix_figure,
    network_figure,
    reach_bar_figure,
    reach_heatmap_figure,
    reach_over_time_figure,
)
from tests.support.database import migrate  # noqa: E402

GOAL_JSON_MB = 2.0
GOAL_BUILD_S = 1.0
GOAL_COLD_S = 5.0


def prepare(url: str, actors: int) -> None:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            filled = "actors" in engine.dialect.get_table_names(connection) and has_actors(
                connection
            )
        if filled:
            print(f"  reusing {url}", file=sys.stderr)
            return
        started = time.perf_counter()
        migrate(url)
        with engine.begin() as connection:
            load_demo_data(
                connection, actors=actors, contacts=10 * actors, relations=3 * actors, seed=1
            )
        settle_after_load(engine)
        print(
            f"  loaded {actors:,} actors in {time.perf_counter() - started:.1f} s", file=sys.stderr
        )
    finally:
        engine.dispose()


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median shown)")
    parser.add_argument("--keep", metavar="DIR", help="keep (and reuse) the SQLite files here")
    options = parser.parse_args()
    with scratch_dir(options.keep) as directory:
        for actors in options.sizes:
            url = sqlite_url(directory, f"maps-{actors}")
            prepare(url, actors)
            measure(actors, url, options.repeat)


if __name__ == "__main__":
    main()
