"""Browser suite: the real app on a live server, driven by Debian's chromium through Playwright.

One chromium per test session, one live server per database backend (so the suite runs on SQLite
and PostgreSQL like the rest), a fresh context and page per test. A test fails when the page
logs a console error, throws, asks for anything but 127.0.0.1 (the city intranet is offline), or
the server answers 5xx (chromium also logs a console error for a 4xx or 5xx page: a test that
opens an error page on purpose checks and clears `browser_problems`). On failure each open page
is saved to tests/screenshots/.

Run only these: `pytest -m browser`; skip them: `pytest -m "not browser"`.
"""

import logging
import os
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask, request
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect, sync_playwright
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from app import create_app
from app.extensions import db, limiter
from tests.conftest import PASSWORD, require_or_skip

CHROMIUM = "/usr/bin/chromium"
# Debian's chromium, never `playwright install`; no network, no GPU, no sandbox
# (docs/architecture.md#tests).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_HOST = "127.0.0.1"
TIMEOUT_MS = 10_000
FAILURE_SCREENSHOTS = Path(__file__).resolve().parent.parent / "screenshots"

DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}

PROBLEMS_HEADLINE = "the browser or server reported problems"
PROBLEMS = pytest.StashKey[list[str]]()
PAGES = pytest.StashKey[list[Page]]()


# --- live server ---------------------------------------------------------------------------


class LiveServer:
    """The app served by werkzeug on 127.0.0.1 and a free port, in a background thread."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.problems: list[str] = []
        app.after_request(self._note_server_error)
        self._log_handler = _ProblemHandler(self.problems)
        app.logger.addHandler(self._log_handler)
        # Port 0: the kernel picks a free port, no race with other processes.
        self._server: BaseWSGIServer = make_server(
            LOCAL_HOST, 0, app, threaded=True, request_handler=_QuietRequestHandler
        )
        self.url = f"http://{LOCAL_HOST}:{self._server.server_port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="bereik-live-server", daemon=True
        )

    def start(self) -> "LiveServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)
        self.app.logger.removeHandler(self._log_handler)  # every app's logger is named "app"

    def _note_server_error(self, response):
        if response.status_code >= 500:
            where = request.full_path.rstrip("?")
            self.problems.append(f"server answered {response.status} to {request.method} {where}")
        return response


class _QuietRequestHandler(WSGIRequestHandler):
    """No access log line per request: failures stay readable (errors are still logged)."""

    def log_request(self, code="-", size="-") -> None:
        pass


class _ProblemHandler(logging.Handler):
    """Keeps the app's logged errors (with traceback) for the failure message."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(level=logging.ERROR)
        self.problems = problems
        self.setFormatter(logging.Formatter("server logged: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.problems.append(self.format(record))


@pytest.fixture(scope="session")
def live_server_of_backend(database_url) -> Iterator[LiveServer]:
    """One running server per backend, started once."""
    app = create_app("config.TestConfig", SQLALCHEMY_DATABASE_URI=database_url)
    server = LiveServer(app).start()
    yield server
    server.stop()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def live_server(live_server_of_backend, clean_db) -> LiveServer:
    """The running server on an emptied database, with fresh rate limits."""
    with live_server_of_backend.app.app_context():
        limiter.reset()
    live_server_of_backend.problems.clear()
    return live_server_of_backend


# --- browser -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One chromium for the whole session: starting it is the slow part."""
    if not os.access(CHROMIUM, os.X_OK):
        require_or_skip(f"{CHROMIUM} not found: apt-get install -y chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def device() -> dict:
    """Context options of the page; parametrize `device` with DESKTOP and PHONE to change it."""
    return DESKTOP


@pytest.fixture
def new_page(request, browser, live_server) -> Iterator[Callable[..., Page]]:
    """Open a page in a fresh, guarded context: `new_page(PHONE)`."""
    problems = request.node.stash.setdefault(PROBLEMS, [])
    pages = request.node.stash.setdefault(PAGES, [])
    contexts: list[BrowserContext] = []

    def open_page(options: dict = DESKTOP) -> Page:
        context = browser.new_context(
            base_url=live_server.url,
            locale="nl-BE",
            timezone_id="Europe/Brussels",
            **options,
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.route("**/*", lambda route: _only_local(route, problems))
        context.on("console", lambda msg: _console(msg, problems))
        context.on("weberror", lambda error: problems.append(f"page error: {error.error}"))
        contexts.append(context)
        page = context.new_page()
        pages.append(page)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def browser_problems(request) -> list[str]:
    """What went wrong in this test's pages so far; a test may inspect (and clear) it."""
    return request.node.stash.setdefault(PROBLEMS, [])


@pytest.fixture
def page(new_page, device) -> Page:
    """A fresh page on the live server (desktop unless `device` is parametrized)."""
    return new_page(device)


def _only_local(route: Route, problems: list[str]) -> None:
    url = route.request.url
    if urlsplit(url).hostname == LOCAL_HOST:
        route.continue_()
    else:
        problems.append(f"request to another host blocked: {route.request.method} {url}")
        route.abort("blockedbyclient")


def _console(message, problems: list[str]) -> None:
    if message.type == "error":
        location = message.location or {}
        problems.append(f"console error: {message.text} ({location.get('url', '?')})")


expect.set_options(timeout=TIMEOUT_MS)


# --- helpers for tests ---------------------------------------------------------------------


@pytest.fixture
def log_in_as() -> Callable[..., None]:
    """Log a user in through the login form and land on the actor list."""

    def log_in(page: Page, user, password: str = PASSWORD) -> None:
        page.goto("/login")
        page.fill("#email", user.email)
        page.fill("#password", password)
        page.click("button[type=submit]")
        expect(page).to_have_url(re.compile(r"/$"))

    return log_in


# --- failing on browser problems, screenshots on failure ----------------------------------


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    try:
        result = yield
    finally:
        # The server thread may still be finishing a request the page gave up on.
        _collect_server_problems(item)
    problems = item.stash.get(PROBLEMS, [])
    if problems:
        pytest.fail(f"{PROBLEMS_HEADLINE}:\n" + "\n".join(problems))
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call):
    report = yield
    if report.when == "call" and report.failed:
        problems = item.stash.get(PROBLEMS, [])
        if problems and PROBLEMS_HEADLINE not in str(report.longrepr):
            report.sections.append(("browser problems", "\n".join(problems)))
        shots = _screenshot_pages(item)
        if shots:
            report.sections.append(("browser screenshots", "\n".join(shots)))
    return report


def _collect_server_problems(item: pytest.Item) -> None:
    server = item.funcargs.get("live_server") if hasattr(item, "funcargs") else None
    if server is not None and PROBLEMS in item.stash:
        item.stash[PROBLEMS].extend(server.problems)
        server.problems.clear()


def _screenshot_pages(item: pytest.Item) -> list[str]:
    saved = []
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", item.nodeid.split("::", 1)[-1])
    for number, page in enumerate(item.stash.get(PAGES, []), start=1):
        if page.is_closed():
            continue
        path = FAILURE_SCREENSHOTS / f"{name}-{number}.png"
        try:
            FAILURE_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(path), full_page=True)
        except Exception as error:  # a crashed page must not hide the test's own failure
            saved.append(f"no screenshot of page {number}: {error}")
        else:
            saved.append(f"{path} ({page.url})")
    return saved
