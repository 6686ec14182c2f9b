"""The search by words (issue 11): how long one search of the actor list takes as the city grows.

    .venv/bin/python bench/actor_search.py [--sizes 10000 100000] [--repeat 20]

For each size, demo.city (actors only, no contacts: the search reads the actors) in a SQLite file
and in a throwaway PostgreSQL database, migrated like production (on PostgreSQL with the trigram
index of migrations/versions/0004). Per backend and size, the median time of
`crm.actors.search_actors` (the actor list's query: a page of 25 plus the count) for a few typed
searches of one, two and three words; on PostgreSQL also without the trigram index (dropped at
the end), to show what it buys. One line per figure.
Goal: on PostgreSQL the time stays flat from 10 000 to 100 000 actors.
"""

import argparse
import statistics
import time

from common import postgres_cluster, postgres_database, prepare, scratch_dir, sqlite_url
from sqlalchemy import text

from crm.actors import search_actors
from crm.db import make_engine, make_session_factory

SEARCHES = ("praatcafe", "vzw sint", "bakkerij de sint")


def median_ms(session, typed: str, repeat: int) -> tuple[float, int]:
    """The median time of one search in milliseconds and the number of actors found."""
    times, found = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        page = search_actors(session, q=typed, page=1, per_page=25)
        times.append((time.perf_counter() - started) * 1000)
        found = page.total
    return statistics.median(times), found


def measure(url: str, backend: str, size: int, repeat: int, label: str = "") -> None:
    engine = make_engine(url, immediate=False)
    try:
        with make_session_factory(engine)() as session:
            for typed in SEARCHES:
                ms, found = median_ms(session, typed, repeat)
                print(
                    f"{backend}{label} {size:,} actors: search {typed!r} {ms:.1f} ms "
                    f"({found:,} found, median of {repeat})"
                )
    finally:
        engine.dispose()


def drop_trigram_index(url: str) -> None:
    engine = make_engine(url, immediate=False)
    with engine.begin() as connection:
        connection.execute(text("DROP INDEX ix_actors_search_name_trigram"))
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with scratch_dir() as folder, postgres_cluster() as cluster:
        for size in args.sizes:
            lite = sqlite_url(folder, f"search-{size}")
            prepare(lite, actors=size, contacts=0, relations=0)
            measure(lite, "SQLite", size, args.repeat)
            pg = postgres_database(cluster, f"search_{size}")
            prepare(pg, actors=size, contacts=0, relations=0)
            measure(pg, "PostgreSQL", size, args.repeat)
            drop_trigram_index(pg)
            measure(pg, "PostgreSQL", size, args.repeat, label=" without the trigram index")


if __name__ == "__main__":
    main()
