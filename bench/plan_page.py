"""The outreach plan page as a coordinator gets it: its size and how long it takes.

    .venv/bin/python bench/plan_page.py [--sizes 2000 100000] [--workers 2] [--clients 4]
                                        [--rounds 5] [--keep DIR]

For each size (demo.city with 10 contacts and 3 relations per actor in a SQLite file, the same
files as bench/map_pages.py: `--keep DIR` keeps and reuses them), the real server: gunicorn
'app:create_app()' with `--workers` sync workers on 127.0.0.1. A coordinator logs in over HTTP
(CSRF and all); the plan is asked 2 × workers times at once to warm every worker's analysis,
then `--clients` concurrent clients each ask it `--rounds` times. Printed, one line per figure:
the page's HTML size (goal < 100 KB at demo scale, < 150 KB at 100 000 actors), gzipped, the
rows it lists, the number of elements, and the median and 95th percentile time per request.
"""

import argparse
import gzip
import re
import statistics
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar

from common import BenchUser, prepare, scratch_dir, sqlite_url  # noqa: E402
from map_pages import PORT, start_server  # noqa: E402

COORDINATOR = BenchUser(email="bench-coordinator@sint-niklaas.be", role="coordinator")
GOALS = {2_000: 100_000, 100_000: 150_000}  # bytes of HTML
PLAN = "/outreach"
WARM_ROUNDS = 5
CSRF = re.compile(rb'name="csrf_token"[^>]*value="([^"]+)"')


def logged_in_opener(base: str) -> urllib.request.OpenerDirector:
    """An HTTP client with the session cookie of the coordinator, logged in through the form."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    token = CSRF.search(opener.open(f"{base}/login").read()).group(1).decode()
    form = {"csrf_token": token, "email": COORDINATOR.email, "password": COORDINATOR.password}
    answer = opener.open(f"{base}/login", urllib.parse.urlencode(form).encode())
    if urllib.parse.urlsplit(answer.geturl()).path == "/login":
        sys.exit(f"could not log in as {COORDINATOR.email}")
    return opener


def timed_get(opener, url: str) -> tuple[float, bytes]:
    started = time.perf_counter()
    body = opener.open(url).read()
    return time.perf_counter() - started, body


def warm(base: str, openers: list) -> int:
    """Ask the plan with every opener at once until all answer: each worker then holds its
    analysis. Returns how many answers failed meanwhile (on SQLite a cold analysis holds the
    database long enough for a colleague's request to give up: issue 15)."""
    failed = 0
    for _ in range(WARM_ROUNDS):
        with ThreadPoolExecutor(len(openers)) as pool:
            answers = list(pool.map(lambda o: ok(o, base + PLAN), openers))
        failed += answers.count(False)
        if all(answers):
            return failed
    sys.exit(f"the plan still failed after {WARM_ROUNDS} rounds of warming")


def ok(opener, url: str) -> bool:
    try:
        opener.open(url).read()
        return True
    except urllib.error.HTTPError:
        return False


def measure(base: str, actors: int, workers: int, clients: int, rounds: int) -> None:
    openers = [logged_in_opener(base) for _ in range(max(clients, 2 * workers))]
    failed_cold = warm(base, openers[: 2 * workers])
    with ThreadPoolExecutor(clients) as pool:
        results = list(
            pool.map(
                lambda o: [timed_get(o, base + PLAN) for _ in range(rounds)], openers[:clients]
            )
        )
    times = sorted(t for client in results for t, _ in client)
    html = results[0][0][1]
    rows = len(re.findall(rb'<li class="work"', html))
    elements = len(re.findall(rb"<[a-zA-Z]", html))
    goal = GOALS.get(actors)
    verdict = (
        ""
        if goal is None
        else f" (goal < {goal // 1000} KB: {'met' if len(html) < goal else 'MISSED'})"
    )
    print(f"plan {actors:>7,} actors  html {len(html) / 1000:.1f} KB{verdict}")
    print(f"plan {actors:>7,} actors  html gzipped {len(gzip.compress(html, 6)) / 1000:.1f} KB")
    print(f"plan {actors:>7,} actors  rows listed {rows}, elements {elements}")
    print(f"plan {actors:>7,} actors  failed answers while warming (cold analysis): {failed_cold}")
    median, p95 = statistics.median(times), times[int(0.95 * (len(times) - 1))]
    print(
        f"plan {actors:>7,} actors  {clients} clients x {rounds}: "
        f"median {median * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2_000, 100_000])
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients")
    parser.add_argument("--rounds", type=int, default=5, help="requests per client")
    parser.add_argument("--keep", metavar="DIR", help="keep (and reuse) the SQLite files here")
    options = parser.parse_args()
    with scratch_dir(options.keep) as directory:
        for actors in options.sizes:
            url = sqlite_url(directory, f"maps-{actors}")
            prepare(
                url, actors=actors, contacts=10 * actors, relations=3 * actors, user=COORDINATOR
            )
            server = start_server(url, options.workers, directory)
            try:
                measure(
                    f"http://127.0.0.1:{PORT}",
                    actors,
                    options.workers,
                    options.clients,
                    options.rounds,
                )
            finally:
                server.terminate()
                server.wait(timeout=30)


if __name__ == "__main__":
    main()
