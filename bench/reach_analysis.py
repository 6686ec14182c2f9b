"""The reach analysis (mapping.analyse) at design scale: build, cold, warm, against a raw pass.

    .venv/bin/python bench/reach_analysis.py [--postgres] [--repeat 3] [--keep DIR] [--profile]

A database of 100 000 actors, 1 000 000 contacts and 300 000 relations is filled with
demo.city (in a child process, so that the load does not count in this process's peak memory),
then measured in one run: the graph build (mapping.build.load_graph), the full analysis cold
(after clear_cache) and warm (the cached result), and the floor: one raw DB-API pass that reads
every contact once. Goals: cold < 5 s and within 20 x the raw pass; warm < 50 ms; peak memory
< 2 GB (the process's high-water mark: with --postgres, the PostgreSQL figure includes the
SQLite run before it). Each figure is the median of `--repeat` runs. `--keep DIR` keeps the
SQLite file there and reuses it on the next run; `--profile` prints the top of a cProfile of
one cold analysis.
"""

import argparse
import cProfile
import io
import multiprocessing
import pstats
import resource
import statistics
import sys
import time

from common import postgres_cluster, postgres_database, prepare, scratch_dir, sqlite_url  # noqa: E402

from crm.clock import utcnow  # noqa: E402
from crm.db import make_engine, make_session_factory  # noqa: E402
from mapping import ReachSettings, analyse, clear_cache  # noqa: E402
from mapping.build import load_graph  # noqa: E402

ACTORS, CONTACTS, RELATIONS = 100_000, 1_000_000, 300_000
GOAL_COLD_S = 5.0
GOAL_RATIO = 20.0
GOAL_WARM_MS = 50.0
GOAL_PEAK_MB = 2048.0
RAW_PASS = "SELECT actor_id, channel, outcome, occurred_at FROM contact_logs"


def prepare_in_child(url: str) -> None:
    """`prepare` in a forked process: the load's memory must not count as the analysis's."""
    child = multiprocessing.get_context("fork").Process(
        target=prepare,
        args=(url,),
        kwargs={"actors": ACTORS, "contacts": CONTACTS, "relations": RELATIONS, "seed": 1},
    )
    child.start()
    child.join()
    if child.exitcode:
        sys.exit(f"loading the demo city failed (exit code {child.exitcode})")


def raw_pass(engine) -> float:
    """Seconds to read every contact once through the driver's own cursor (the floor)."""
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        started = time.perf_counter()
        cursor.execute(RAW_PASS)
        rows = cursor.fetchall()
        elapsed = time.perf_counter() - started
        cursor.close()
        assert len(rows) >= CONTACTS, len(rows)
        return elapsed
    finally:
        connection.close()


def timed(function) -> tuple[float, object]:
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def measure(backend: str, url: str, repeat: int, profile: bool) -> None:
    engine = make_engine(url)
    settings = ReachSettings()
    sessions = make_session_factory(engine)
    try:
        raw = statistics.median(raw_pass(engine) for _ in range(repeat))
        builds, colds, warms = [], [], []
        for _ in range(repeat):
            with sessions() as session:
                elapsed, graph = timed(
                    lambda s=session: load_graph(s, settings=settings, now=utcnow())
                )
                builds.append(elapsed)
            del graph
            with sessions() as session:
                clear_cache()
                elapsed, cold = timed(lambda s=session: analyse(s, settings=settings))
                colds.append(elapsed)
            with sessions() as session:
                elapsed, warm = timed(lambda s=session: analyse(s, settings=settings))
                warms.append(elapsed)
            assert warm is cold, "the second analyse call did not come from the cache"
        if profile:
            clear_cache()
            profiler = cProfile.Profile()
            with sessions() as session:
                profiler.runcall(analyse, session, settings=settings)
            text = io.StringIO()
            pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(25)
            print(text.getvalue(), file=sys.stderr)
    finally:
        engine.dispose()
    build, cold_s, warm_ms = (
        statistics.median(builds),
        statistics.median(colds),
        1000 * statistics.median(warms),
    )
    ratio = cold_s / raw
    peak = peak_memory_mb()
    graph = cold.graph
    print(
        f"graph ({backend}): {graph.number_of_nodes() - 1:,} actors, "
        f"{graph.number_of_edges():,} edges; {len(cold.groups)} groups, "
        f"{sum(g.flag is not None for g in cold.groups)} flagged; "
        f"{len(cold.recommendations):,} recommendations; {len(cold.brokers)} brokers"
    )
    print(f"build graph, load_graph ({backend}): {build:.2f} s")
    print(f"analysis cold, analyse after clear_cache ({backend}): {cold_s:.2f} s")
    print(f"analysis warm, cached ({backend}): {warm_ms:.2f} ms")
    print(f"raw pass over {CONTACTS:,} contacts ({backend}): {raw:.2f} s")
    print(f"ratio cold / raw pass ({backend}): {ratio:.1f}")
    print(f"peak memory, ru_maxrss ({backend}): {peak:.0f} MB")
    met = cold_s < GOAL_COLD_S and ratio <= GOAL_RATIO and warm_ms < GOAL_WARM_MS
    met = met and peak < GOAL_PEAK_MB
    print(
        f"goal ({backend}): cold < {GOAL_COLD_S:.0f} s and <= {GOAL_RATIO:.0f} x raw, "
        f"warm < {GOAL_WARM_MS:.0f} ms, peak < {GOAL_PEAK_MB / 1024:.0f} GB: "
        f"{'met' if met else 'NOT met'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help="also on a throwaway cluster")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median shown)")
    parser.add_argument("--keep", metavar="DIR", help="keep (and reuse) the SQLite file here")
    parser.add_argument("--profile", action="store_true", help="cProfile one cold analysis")
    options = parser.parse_args()
    with scratch_dir(options.keep) as directory:
        url = sqlite_url(directory, "reach")
        prepare_in_child(url)
        measure("sqlite", url, options.repeat, options.profile)
    if options.postgres:
        with postgres_cluster() as cluster:
            url = postgres_database(cluster, "reach")
            prepare_in_child(url)
            measure("postgresql", url, options.repeat, options.profile)


if __name__ == "__main__":
    main()
