"""The map pages as a coordinator's browser gets them: bytes on the wire and time until drawn.

    .venv/bin/python bench/map_pages.py [--sizes 2000 100000] [--workers 2] [--repeat 3]
                                        [--keep DIR]

For each size (demo.city with 10 contacts and 3 relations per actor in a SQLite file, the same
files as bench/maps.py: `--keep DIR` keeps and reuses them), the real server: gunicorn
'app:create_app()' with `--workers` sync workers on 127.0.0.1, DATABASE_URL pointing at the file.
Debian's chromium (Playwright) logs in as a coordinator and, per map page (/maps,
/maps/power-interest, /maps/dashboard, /maps/report):
  - warms the analysis: the page requested 2 × workers times at once, so every worker has it;
  - first visit, with an empty browser cache: the bytes received (Chromium's DevTools count,
    `Network.loadingFinished.encodedDataLength`: headers plus body as sent, gzip on), split into
    the page itself, plotly.js and the rest;
  - repeat visit in the same browser: the bytes (the page answered 304, plotly.js from the cache,
    the static files revalidated);
  - time from the navigation's start until every chart's box has data-rendered="true" (the
    page's own clock: a performance mark at each `bereik:drawn` event), the median of
    `--repeat` repeat visits, with the moment the HTML was received (the server's share), plus
    the first visit's;
  - what the page's HTML is made of: its size, the embedded figure JSON and both gzipped.
Goals: first visit ≤ 600 KB, repeat visit ≤ 60 KB, drawn < 2 s at 100 000 actors.
"""

import argparse
import gzip
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from common import ROOT, BenchUser, prepare, quiet_environment, scratch_dir, sqlite_url  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, DESKTOP  # noqa: E402
from tests.support.page_weight import MARK_DRAWN, TransferMeter  # noqa: E402

GOAL_FIRST_BYTES = 600_000
GOAL_REPEAT_BYTES = 60_000
GOAL_DRAWN_S = 2.0
COORDINATOR = BenchUser(email="bench-coordinator@sint-niklaas.be", role="coordinator")
PAGES = ("/maps", "/maps/power-interest", "/maps/dashboard", "/maps/report")
FIGURE_JSON = re.compile(
    rb'<script type="application/json" class="figure-json"[^>]*>(.*?)</script>', re.DOTALL
)
PORT = 5181
SERVER_START_S = 60
DRAWN_TIMEOUT_MS = 120_000


def kb(n: float) -> str:
    return f"{n / 1000:.1f} KB" if n < 10_000 else f"{n / 1000:.0f} KB"


def start_server(
    url: str, workers: int, directory: Path, *, timeout: int = 600
) -> subprocess.Popen:
    """gunicorn serving the app on the database at `url`; returns once it answers. `timeout`:
    gunicorn's worker timeout (600 s by default: a cold analysis at 100 000 actors takes many
    seconds)."""
    env = quiet_environment()
    env.update(
        DATABASE_URL=url,
        SECRET_KEY="bench map pages",  # one key for every worker: one login serves them all
        BEREIK_INSTANCE_PATH=str(directory / "instance"),
        LOGIN_RATE_LIMIT="1000 per minute",
    )
    log = open(directory / f"gunicorn-{PORT}.log", "ab")  # noqa: SIM115 (the server keeps it)
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "app:create_app()",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{PORT}",
            "--timeout",
            str(timeout),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )
    deadline = time.monotonic() + SERVER_START_S
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/login", timeout=2).read()
            return server
        except OSError:
            if server.poll() is not None:
                sys.exit(f"gunicorn stopped: see {log.name}")
            time.sleep(0.3)
    server.terminate()
    sys.exit(f"gunicorn did not answer within {SERVER_START_S} s: see {log.name}")


def log_in(page, base: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#email", COORDINATOR.email)
    page.fill("#password", COORDINATOR.password)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))


def warm(page, base: str, path: str, workers: int) -> None:
    """Ask for the page 2 × workers times at once: each sync worker computes its analysis."""
    page.evaluate(
        """([url, n]) => Promise.all(Array.from({length: n},
             () => fetch(url, {cache: 'no-store'}).then((r) => r.text())))""",
        [f"{base}{path}", 2 * workers],
    )


def html_parts(page, base: str, path: str) -> tuple[int, int, int, int]:
    """The page's HTML and its figure JSON: sizes plain and gzipped (level 6, as the app)."""
    html = page.request.get(f"{base}{path}").body()
    figures = b"".join(FIGURE_JSON.findall(html))
    return len(html), len(gzip.compress(html, 6)), len(figures), len(gzip.compress(figures, 6))


def split(visit, path: str) -> tuple[int, int, int]:
    """Bytes of the page itself, of plotly.js and of everything else in one visit."""
    page = sum(size for url, size in visit.sizes.items() if url.split("?")[0].endswith(path))
    plotly = sum(size for url, size in visit.sizes.items() if "/assets/plotly" in url)
    return page, plotly, visit.bytes - page - plotly


def measure_page(browser, base: str, path: str, *, actors: int, workers: int, repeat: int):
    context = browser.new_context(**DESKTOP, locale="nl-BE")
    context.add_init_script(MARK_DRAWN)
    page = context.new_page()
    meter = TransferMeter(context, page)
    try:
        log_in(page, base)
        warm(page, base, path, workers)
        meter.clear_cache()
        first = meter.visit(f"{base}{path}", timeout_ms=DRAWN_TIMEOUT_MS)
        first_drawn = meter.drawn_after_navigation_start()
        repeats, drawn, received = [], [], []
        for _ in range(repeat):
            repeats.append(meter.visit(f"{base}{path}", timeout_ms=DRAWN_TIMEOUT_MS))
            drawn.append(meter.drawn_after_navigation_start())
            received.append(meter.page_received_after_navigation_start())
        html, html_gz, figures, figures_gz = html_parts(page, base, path)
    finally:
        context.close()
    if meter.hosts - {"127.0.0.1"}:
        sys.exit(f"{path} asked another host: {meter.hosts}")
    n = f"{actors:,} actors"
    page_bytes, plotly_bytes, other = split(first, path)
    again = max(visit.bytes for visit in repeats)
    median = statistics.median(drawn)
    print(
        f"{path} ({n}): first visit {kb(first.bytes)} (page {kb(page_bytes)}, plotly.js "
        f"{kb(plotly_bytes)}, other files {kb(other)}); goal ≤ {kb(GOAL_FIRST_BYTES)}: "
        f"{'met' if first.bytes <= GOAL_FIRST_BYTES else 'NOT met'}"
    )
    print(
        f"{path} ({n}): repeat visit {kb(again)} (largest of {repeat}); goal ≤ "
        f"{kb(GOAL_REPEAT_BYTES)}: {'met' if again <= GOAL_REPEAT_BYTES else 'NOT met'}"
    )
    print(
        f"{path} ({n}, analysis warm): drawn {median:.2f} s after the navigation's start "
        f"(median of {repeat} repeat visits, the HTML received after "
        f"{statistics.median(received):.2f} s; first visit {first_drawn:.2f} s); goal < "
        f"{GOAL_DRAWN_S:.0f} s: {'met' if median < GOAL_DRAWN_S else 'NOT met'}"
    )
    print(
        f"{path} ({n}): HTML {kb(html)} ({kb(html_gz)} gzipped), of which figure JSON "
        f"{kb(figures)} ({kb(figures_gz)} gzipped alone, {100 * figures / html:.0f} % of the HTML)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2_000, 100_000])
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--repeat", type=int, default=3, help="repeat visits per page")
    parser.add_argument("--keep", metavar="DIR", help="keep (and reuse) the SQLite files here")
    options = parser.parse_args()
    if not os.access(CHROMIUM, os.X_OK):
        sys.exit(f"{CHROMIUM} not found: apt-get install -y chromium")
    with scratch_dir(options.keep) as directory, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for actors in options.sizes:
                url = sqlite_url(directory, f"maps-{actors}")
                prepare(
                    url,
                    actors=actors,
                    contacts=10 * actors,
                    relations=3 * actors,
                    user=COORDINATOR,
                )
                server = start_server(url, options.workers, directory)
                try:
                    for path in PAGES:
                        measure_page(
                            browser,
                            f"http://127.0.0.1:{PORT}",
                            path,
                            actors=actors,
                            workers=options.workers,
                            repeat=options.repeat,
                        )
                finally:
                    server.terminate()
                    server.wait(timeout=30)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
