"""p50/p90 of the actor list page (filter + search + page 1) at 1 000 and at 100 000 actors.

    .venv/bin/python bench/actor_list.py [--postgres] [--rounds 40] [--keep DIR]

Both databases are filled with demo.city (the 100 000-actor one with 1 000 000 contacts) and
measured side by side in one run: requests alternate between the sizes, so that the noise of a
shared machine falls on both alike. The headline figures use searches that fill page 1 at
both sizes (like for like); typical name searches are listed below them. Requests go through
the Flask test client, logged in as a staff member. Goal: p50 under 20 ms at 100 000 actors and
at most twice the 1 000-actor p50.
`--keep DIR` keeps the SQLite files there and reuses them on the next run.
"""

import argparse
import re
import statistics
import time

from common import (
    BenchUser,
    logged_in_client,
    postgres_cluster,
    postgres_database,
    prepare,
    scratch_dir,
    sqlite_url,
)

SIZES = ((1_000, 10_000), (100_000, 1_000_000))
STAFF = BenchUser(email="bench@sint-niklaas.be", role="staff")
# The headline figures: searches that fill page 1 (25 rows) at both sizes, so that the two
# sizes render the same page and only the query differs. Rendering a row costs about as much
# as the whole query (measured: 25 rows ~10 ms, 0 rows ~3.5 ms, at either size).
FULL_PAGE_QUERIES = (
    "/?q=an&kind=resident&district=Sint-Niklaas",
    "/?q=e&kind=resident&district=Sinaai",
    "/?q=e&kind=business&district=Sint-Niklaas",
    "/?q=e&kind=civic_association&district=Sint-Niklaas",
)
# Name searches as people type them: a handful of rows at 1 000 actors, a full page at 100 000.
NAME_SEARCHES = (
    "/?q=peeters&kind=resident&district=Sint-Niklaas",
    "/?q=claeys&kind=resident&district=Belsele",
    "/?q=bakkerij&kind=business&district=Sint-Niklaas",
    "/?q=vzw&kind=poverty_organisation&district=Sinaai",
    "/?q=chiro&kind=civic_association&district=Nieuwkerken-Waas",
)
QUERIES = FULL_PAGE_QUERIES + NAME_SEARCHES
ROW = re.compile(r"data-actor-id=")
GOAL_MS = 20.0
GOAL_RATIO = 2.0


def measure(clients: dict, rounds: int) -> tuple[dict, dict]:
    """Milliseconds per request and rows shown, per (label, query); the sizes alternate
    request by request."""
    timings = {(label, q): [] for label in clients for q in QUERIES}
    rows = {}
    for label, client in clients.items():  # warm up: caches, compiled queries, templates
        for query in QUERIES:
            rows[(label, query)] = len(ROW.findall(client.get(query).get_data(as_text=True)))
    for _ in range(rounds):
        for query in QUERIES:
            for label, client in clients.items():
                started = time.perf_counter()
                response = client.get(query)
                timings[(label, query)].append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (label, query, response.status_code)
    return timings, rows


def percentile(values: list[float], fraction: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(fraction * 100) - 1]


def report(backend: str, timings: dict, rows: dict) -> None:
    labels = list(dict.fromkeys(label for label, _ in timings))
    p50 = {}
    for label in labels:
        values = [v for q in FULL_PAGE_QUERIES for v in timings[(label, q)]]
        p50[label] = statistics.median(values)
        print(f"actor list p50 {label} actors ({backend}): {p50[label]:.1f} ms")
        print(f"actor list p90 {label} actors ({backend}): {percentile(values, 0.9):.1f} ms")
    small, large = labels[0], labels[-1]
    ratio = p50[large] / p50[small]
    met = p50[large] < GOAL_MS and ratio <= GOAL_RATIO
    print(
        f"goal ({backend}): p50 < {GOAL_MS:.0f} ms at {large} actors and <= {GOAL_RATIO:.0f} x "
        f"the {small}-actor p50: {'met' if met else 'NOT met'} (ratio {ratio:.2f})"
    )
    for label in labels:
        values = [v for q in NAME_SEARCHES for v in timings[(label, q)]]
        print(f"name searches p50 {label} actors ({backend}): {statistics.median(values):.1f} ms")
    for query in QUERIES:
        cells = " | ".join(
            f"{label}: {statistics.median(timings[(label, query)]):5.1f} ms "
            f"{rows[(label, query)]:2d} rows"
            for label in labels
        )
        print(f"  p50 {query:<58} {cells}")


def run(backend: str, urls: dict, rounds: int) -> None:
    for (actors, contacts), url in urls.items():
        prepare(url, actors=actors, contacts=contacts, user=STAFF)
    clients = {f"{actors}": logged_in_client(url, STAFF) for (actors, _), url in urls.items()}
    report(backend, *measure(clients, rounds))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help="also on a throwaway cluster")
    parser.add_argument("--rounds", type=int, default=40, help="requests per query and size")
    parser.add_argument("--keep", metavar="DIR", help="keep (and reuse) the SQLite files here")
    options = parser.parse_args()
    with scratch_dir(options.keep) as directory:
        urls = {size: sqlite_url(directory, f"actors-{size[0]}") for size in SIZES}
        run("sqlite", urls, options.rounds)
    if options.postgres:
        with postgres_cluster() as cluster:
            urls = {size: postgres_database(cluster, f"actors_{size[0]}") for size in SIZES}
            run("postgresql", urls, options.rounds)


if __name__ == "__main__":
    main()
