"""What a page costs the browser: bytes over the wire and time until its charts are drawn.

Shared by tests/browser/test_map_weight.py and bench/map_pages.py. The bytes are Chromium's own
count (the DevTools protocol's `Network.loadingFinished.encodedDataLength`: headers and the body
as sent, gzip included), so a 304 costs its headers and a file served from the cache costs 0.

Playwright's request routing turns Chromium's HTTP cache off, so a context measured here must
not route: `TransferMeter` watches the hosts asked for instead.
"""

import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Page

# maps.js sets data-rendered="true" on a chart's box once plotly has drawn (and fitted) it.
ALL_CHARTS_DRAWN = """
() => {
  const boxes = document.querySelectorAll('.plotly-figure');
  return boxes.length > 0 &&
    Array.from(boxes).every((box) => box.getAttribute('data-rendered') === 'true');
}
"""


LAST_DRAWN_MS = """
() => Math.max(...performance.getEntriesByName('bereik:drawn').map((mark) => mark.startTime))
"""
PAGE_RECEIVED_MS = "() => performance.getEntriesByType('navigation')[0].responseEnd"


@dataclass
class Visit:
    """One navigation: bytes received in all, per URL, and seconds until its charts were drawn.

    (Chromium reports a document revalidated with a 304 as its cached 200: its few bytes tell.)
    """

    bytes: int = 0
    sizes: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


class TransferMeter:
    """Counts the bytes a page receives, per navigation, through a CDP session."""

    def __init__(self, context: BrowserContext, page: Page) -> None:
        self.page = page
        self.cdp = context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.hosts: set[str] = set()
        self._visit = Visit()
        self._urls: dict[str, str] = {}
        self.cdp.on("Network.requestWillBeSent", self._on_request)
        self.cdp.on("Network.loadingFinished", self._on_finished)

    def clear_cache(self) -> None:
        """Forget every cached file, as on a first visit (the login cookie stays)."""
        self.cdp.send("Network.clearBrowserCache")

    def visit(self, url: str, *, timeout_ms: int = 30_000) -> Visit:
        """Open `url`, wait until every chart is drawn and the network is idle; what it cost."""
        self._visit = Visit()
        started = time.perf_counter()
        self.page.goto(url)
        self.page.wait_for_function(ALL_CHARTS_DRAWN, timeout=timeout_ms)
        self._visit.seconds = time.perf_counter() - started
        self.page.wait_for_load_state("networkidle")
        return self._visit

    def drawn_after_navigation_start(self) -> float:
        """Seconds from the navigation's start (the page's own clock) until all charts were drawn,
        read from the `bereik:drawn` marks the page recorded (see MARK_DRAWN)."""
        return self.page.evaluate(LAST_DRAWN_MS) / 1000

    def page_received_after_navigation_start(self) -> float:
        """Seconds from the navigation's start until the page's HTML was received in full."""
        return self.page.evaluate(PAGE_RECEIVED_MS) / 1000

    def _on_request(self, event: dict) -> None:
        url = event["request"]["url"]
        self._urls[event["requestId"]] = url
        host = urlsplit(url).hostname
        if host:
            self.hosts.add(host)

    def _on_finished(self, event: dict) -> None:
        size = int(event["encodedDataLength"])
        url = self._urls.get(event["requestId"], "?")
        self._visit.bytes += size
        self._visit.sizes[url] = self._visit.sizes.get(url, 0) + size


# Added to a context with add_init_script: a performance mark per drawn chart, so the time until
# the last chart was drawn is measured from the navigation's start by the page itself.
MARK_DRAWN = """
document.addEventListener('bereik:drawn', () => performance.mark('bereik:drawn'));
"""
