"""Importing a list (issue 12): 10 000 rows with duplicate detection against 100 000 actors.

    .venv/bin/python bench/imports.py [--actors 100000] [--rows 10000] [--runs 3] [--keep DIR]
                                      [--backends sqlite postgresql] [--server] [--web]
                                      [--workers 2] [--clients 4] [--port 5084]

The existing actors are demo.city's (actors only). The list is a Belgian Excel CSV (semicolons,
Windows-1252, CRLF) of `--rows` rows: 20 % existing actors written differently (the phone in
another format, the e-mail in another case, "Vzw X" as "X VZW" or without its legal form, the
name in capitals, the street abbreviated; a few with the words of the name in another order),
2 % rows repeated further down the file, the rest new people and organisations made by
demo.city's generator with another seed (so with the same first names and surnames as the
stored actors: many of them are named like someone stored, as in a real city).

Each run starts from a copy of the filled database (SQLite: a file copy; PostgreSQL: CREATE
DATABASE ... TEMPLATE) and does what the import pages do: read the file
(crm.imports.files.read_table), start the draft, the dry run (check_draft: its parts timed
inside it: stored_facts, the DuplicateIndex build, find, the rest), the confirmed import
(import_draft reusing the dry run, committed). Printed, one line per figure, the median of
`--runs` runs: those times, the end-to-end total read + dry run + import (goal < 10 s), the
rows per action, and the recall: of the rows made of existing actors, how many the dry run
found (update/unchanged of that actor, or a duplicate naming it).

`--server` (SQLite): gunicorn with `--workers` workers on the database; logged-in clients ask
the actor list with a search (/?q=...) over and over while another process imports the
list; printed: the list's p50/p99 before and during the import's write transaction, and the
longest answer during it (on SQLite the import holds the write lock for its whole write, and
every transaction of the app is BEGIN IMMEDIATE: so does a dry run in an app session, though it
only reads; `--reader-dry-run` runs it in a plain BEGIN instead).

`--web` (SQLite): what the coordinator waits for (issue 12). gunicorn with `--workers` sync
workers and a 30 s timeout on a copy of the base; a coordinator logged in with `requests` does
what a browser does: upload the file (POST /imports), open the columns page, submit the guessed
mapping (starts the dry run job), poll /jobs/<id>.json every 0.5 s until done, open the dry run
page, submit the import (skipping the rows in error, if any), poll that job, open the result
page. Printed: each of those request times and job waits, the total, the longest single
request, how many distinct progress values the polling saw, whether the job page opened from
another session during the dry run shows a <progress> bar, and the actor list searched by
`--clients` colleagues meanwhile (p50/p99/longest during the dry run, the import, the flow):

    .venv/bin/python bench/imports.py --keep /tmp/bench-imports --runs 0 --web --clients 2
"""

import argparse
import csv
import io
import json
import random
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

import map_pages
from common import (
    ROOT,
    BenchUser,
    ensure_user,
    postgres_cluster,
    postgres_database,
    prepare,
    scratch_dir,
    sqlite_url,
)
from plan_page import logged_in_opener
from sqlalchemy import select

import crm.imports.plan as plan_module
from crm.db import make_engine, make_session_factory
from crm.imports.columns import KIND_WORDS
from crm.imports.files import read_table
from crm.imports.records import check_draft, import_draft, start_import
from crm.models import Actor, District, Theme
from demo.city import _Generator

GOAL_S = 10.0
TOTAL = "end to end"
EXISTING_SHARE = 0.2
REPEATED_SHARE = 0.02
FILE_NAME = "ledenlijst.csv"
HEADER = ["Naam", "Soort", "Telefoon", "E-mail", "Adres", "Postcode", "Deelgemeente", "Niet bellen"]
COORDINATOR = BenchUser(email="bench-coordinator@sint-niklaas.be", role="coordinator")
PORT = 5084
SEARCHES = ("peeters", "de smet", "vzw", "bakkerij", "jan", "maes", "claeys", "sint")


# --- the list ---------------------------------------------------------------------------------


def phone_as_typed(e164: str | None, rng: random.Random) -> str:
    """A stored +32 number as people type it: '03 778 30 60', '0470/12.34.56', '0032 ...'."""
    if not e164:
        return ""
    if not e164.startswith("+32"):
        return e164
    national = e164[3:]
    if national.startswith("4"):  # mobile: 0470 12 34 56
        head, rest = national[:3], national[3:]
    else:
        head, rest = national[:1], national[1:]
    pairs = [rest[i : i + 2] for i in range(0, len(rest), 2)]
    draw = rng.random()
    if draw < 0.4:
        return f"0{head} {' '.join(pairs)}"
    if draw < 0.6:
        return f"0{head}/{'.'.join(pairs)}"
    if draw < 0.8:
        return f"+32 {head} {' '.join(pairs)}"
    return f"0032{national}"


LEGAL = ("vzw", "bv", "nv")


def name_as_typed(name: str, kind: str, rng: random.Random) -> str:
    """'Vzw De Link' as 'De Link VZW' or 'De Link'; else in capitals, or the words turned."""
    words = name.split()
    forms = [w for w in words if w.lower() in LEGAL]
    if forms:
        rest = [w for w in words if w not in forms]
        draw = rng.random()
        if draw < 0.4:
            return (
                " ".join([*rest, forms[0].upper()])
                if words[0] in forms
                else forms[0].title() + " " + " ".join(rest)
            )
        if draw < 0.8:
            return " ".join(rest)  # without its legal form
        return name
    draw = rng.random()
    if draw < 0.3:
        return name.upper()
    if draw < 0.4 and kind == "resident" and len(words) > 1:
        return " ".join([*words[1:], words[0]])  # "Peeters Jan": found as a duplicate
    return name


def email_as_typed(email: str | None, rng: random.Random) -> str:
    if not email:
        return ""
    return email.upper() if rng.random() < 0.5 else email[0].upper() + email[1:]


def address_as_typed(address: str | None, rng: random.Random) -> str:
    if address and rng.random() < 0.3:
        return address.replace("straat", "str.")
    return address or ""


def cells(name, kind, phone, email, address, postcode, district, do_not_phone) -> list[str]:
    return [
        name,
        KIND_WORDS[kind][0] if kind else "",
        phone,
        email,
        address,
        postcode or "",
        district or "",
        "ja" if do_not_phone else "",
    ]


def existing_rows(session, count: int, rng: random.Random) -> list[tuple[list[str], int]]:
    """`count` stored actors (not archived) written differently, with their ids."""
    query = (
        select(
            Actor.id,
            Actor.name,
            Actor.kind,
            Actor.phone,
            Actor.email,
            Actor.address,
            Actor.postcode,
            District.name,
            Actor.do_not_phone,
        )
        .outerjoin(District, Actor.district_id == District.id)
        .where(Actor.archived.is_(False))
    )
    stored = list(session.execute(query))
    rows = []
    for r in rng.sample(stored, count):
        row = cells(
            name_as_typed(r[1], r[2], rng),
            r[2],
            phone_as_typed(r[3], rng),
            email_as_typed(r[4], rng),
            address_as_typed(r[5], rng),
            r[6],
            r[7],
            r[8],
        )
        rows.append((row, r[0]))
    return rows


def new_rows(session, count: int, seed: int, rng: random.Random) -> list[tuple[list[str], None]]:
    """`count` people and organisations from demo.city's generator with another seed."""
    districts = dict(session.execute(select(District.name, District.id)).all())
    themes = dict(session.execute(select(Theme.name, Theme.id)).all())
    generator = _Generator(
        seed=seed + 1000,
        now=time_now(),
        actors=count,
        contacts=0,
        districts=districts,
        themes=themes,
        user_ids=[],
        first_ids={"actors": 10_000_000, "contact_logs": 1, "relations": 1},
    )
    names = {i: n for n, i in districts.items()}
    rows = []
    for block in generator.actor_blocks():
        for a in block.actors:
            _id, name, _key, kind, district_id, phone, email, address, postcode = a[:9]
            row = cells(
                name,
                kind,
                phone_as_typed(phone, rng),
                email or "",
                address or "",
                postcode,
                names.get(district_id),
                a[11],
            )
            rows.append((row, None))
    return rows


def time_now():
    from crm.clock import utcnow

    return utcnow()


def belgian_list(url: str, rows: int, seed: int) -> tuple[bytes, dict[int, int]]:
    """The CSV as Belgian Excel saves it, and the existing actor id of each row made of one
    (by row number: the header is row 1)."""
    rng = random.Random(seed)
    engine = make_engine(url, immediate=False)
    with make_session_factory(engine)() as session:
        repeated = int(rows * REPEATED_SHARE)
        copies = int(rows * EXISTING_SHARE)
        made = existing_rows(session, copies, rng) + new_rows(
            session, rows - copies - repeated, seed, rng
        )
    engine.dispose()
    rng.shuffle(made)
    for _ in range(repeated):  # someone on the list twice: a copy of an earlier row, later on
        source = rng.randrange(len(made) // 2)
        made.insert(rng.randrange(source + 1, len(made) + 1), made[source])
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(row for row, _ in made)
    data = out.getvalue().encode("cp1252", errors="replace")  # Excel writes '?' for 'ş'
    return data, {n: src for n, (_, src) in enumerate(made, start=2) if src is not None}


# --- timing inside the dry run -------------------------------------------------------------


class Parts:
    """Times of the dry run's parts, taken by wrapping what crm.imports.plan calls."""

    FUNCTIONS = {"read_rows": "read rows (map cells)", "_stored_actors": "load stored actors"}
    PARTS = ("read rows (map cells)", "stored_facts", "index build", "find", "load stored actors")

    def __init__(self):
        self.times: dict[str, float] = {name: 0.0 for name in self.PARTS}

    @contextmanager
    def wrapped(self):
        original_facts, original_index = plan_module.stored_facts, plan_module.DuplicateIndex
        originals = {name: getattr(plan_module, name) for name in self.FUNCTIONS}
        parts = self

        def timing(name):
            def timed(*args, **kwargs):
                started = time.perf_counter()
                try:
                    return originals[name](*args, **kwargs)
                finally:
                    parts.add(self.FUNCTIONS[name], started)

            return timed

        def stored_facts(session):
            started = time.perf_counter()
            try:
                return original_facts(session)
            finally:
                parts.add("stored_facts", started)

        class DuplicateIndex(original_index):
            def __init__(self, *args, **kwargs):
                started = time.perf_counter()
                super().__init__(*args, **kwargs)
                parts.add("index build", started)

            def find(self, *args, **kwargs):
                started = time.perf_counter()
                try:
                    return super().find(*args, **kwargs)
                finally:
                    parts.add("find", started)

        plan_module.stored_facts, plan_module.DuplicateIndex = stored_facts, DuplicateIndex
        for name in self.FUNCTIONS:
            setattr(plan_module, name, timing(name))
        try:
            yield
        finally:
            plan_module.stored_facts, plan_module.DuplicateIndex = original_facts, original_index
            for name, function in originals.items():
                setattr(plan_module, name, function)

    def add(self, name: str, started: float) -> None:
        self.times[name] = self.times.get(name, 0.0) + time.perf_counter() - started


def one_run(url: str, data: bytes, planted: dict[int, int]) -> dict:
    """Read, dry run and import the list on the database at `url`; the figures of the run."""
    figures: dict = {}
    engine = make_engine(url)
    session = make_session_factory(engine)()
    try:
        started = time.perf_counter()
        read_table(data, FILE_NAME)
        figures["read"] = time.perf_counter() - started
        record, _table = start_import(session, data=data, file_name=FILE_NAME, created_by_id=None)
        session.commit()
        parts = Parts()
        started = time.perf_counter()
        with parts.wrapped():
            plan = check_draft(session, record.id)
        figures["dry run"] = time.perf_counter() - started
        session.commit()
        figures.update(parts.times)
        figures["dry run, the rest"] = figures["dry run"] - sum(parts.times.values())
        started = time.perf_counter()
        outcome = import_draft(session, record.id, user_id=None, checked=plan)
        session.commit()
        figures["import"] = time.perf_counter() - started
        figures["end to end"] = figures["read"] + figures["dry run"] + figures["import"]
        figures["counts"] = plan.counts
        figures["outcome"] = outcome
        figures["recall"] = recall(plan, planted)
    finally:
        session.close()
        engine.dispose()
    return figures


def recall(plan, planted: dict[int, int]) -> tuple[int, int, int]:
    """(found as that actor, found as a duplicate naming it or an earlier row, missed)."""
    by_number = {row.number: row for row in plan.rows}
    sure = dup = 0
    for number, actor_id in planted.items():
        row = by_number[number]
        if row.action in ("update", "unchanged") and row.actor_id == actor_id:
            sure += 1
        elif row.action == "duplicate" and any(
            m.actor_id == actor_id or m.row is not None for m in row.matches
        ):
            dup += 1
    return sure, dup, len(planted) - sure - dup


def report(backend: str, runs: list[dict], planted: dict[int, int], rows: int, actors: int):
    def median(name):
        return statistics.median(run[name] for run in runs)

    label = f"{backend} {rows:,} rows / {actors:,} actors"
    n = f"median of {len(runs)}"
    for name in ("read", "dry run", *Parts.PARTS, "dry run, the rest"):
        print(f"{label}  {name}: {median(name):.2f} s ({n})")
    print(f"{label}  import (dry run reused, committed): {median('import'):.2f} s ({n})")
    total = median("end to end")
    verdict = "met" if total < GOAL_S else "NOT met"
    print(
        f"{label}  end to end read + dry run + import: {total:.2f} s ({n}; "
        f"runs {', '.join(f'{r[TOTAL]:.2f}' for r in runs)}); goal < {GOAL_S:.0f} s {verdict}"
    )
    counts = runs[0]["counts"]
    print(f"{label}  dry run: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    o = runs[0]["outcome"]
    print(
        f"{label}  imported: new {o.new:,}, updated {o.updated:,}, unchanged {o.unchanged:,}, "
        f"duplicates left out {o.duplicates:,}, errors {o.errors:,}"
    )
    sure, dup, missed = runs[0]["recall"]
    print(
        f"{label}  rows made of existing actors: {len(planted):,}; found as that actor "
        f"(update/unchanged) {sure:,}, as a duplicate naming it (or an earlier row) {dup:,}, "
        f"missed {missed:,} (recall {(sure + dup) / len(planted):.1%})"
    )


# --- backends ------------------------------------------------------------------------------


def run_sqlite(directory: Path, options, data_and_planted=None):
    base = sqlite_url(directory, f"imports-base-{options.actors}")
    prepare(base, actors=options.actors, contacts=0, relations=0, user=COORDINATOR)
    data, planted = data_and_planted or belgian_list(base, options.rows, options.seed)
    base_file = directory / f"imports-base-{options.actors}.sqlite"
    runs = []
    for i in range(options.runs):
        run_file = directory / f"imports-run-{i}.sqlite"
        copy_sqlite(base_file, run_file)
        runs.append(one_run(f"sqlite:///{run_file}", data, planted))
        print(f"  sqlite run {i + 1}: {runs[-1]['end to end']:.2f} s", file=sys.stderr)
        run_file.unlink()
    if runs:
        report("sqlite", runs, planted, options.rows, options.actors)
    return base, data, planted


def copy_sqlite(source: Path, target: Path) -> None:
    for suffix in ("-wal", "-shm", ""):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, target)


def run_postgresql(options, data_and_planted):
    import psycopg
    from sqlalchemy.engine import make_url

    with postgres_cluster() as cluster:
        base = postgres_database(cluster, "imports_base")
        prepare(base, actors=options.actors, contacts=0, relations=0)
        data, planted = data_and_planted or belgian_list(base, options.rows, options.seed)
        url = make_url(cluster.url)
        host, port = url.query["host"], url.query["port"]
        runs = []
        for i in range(options.runs):
            name = f"imports_run_{i}"
            with psycopg.connect(host=host, port=port, user="postgres", dbname="postgres") as c:
                c.autocommit = True
                c.execute(f'DROP DATABASE IF EXISTS "{name}"')
                c.execute(f'CREATE DATABASE "{name}" TEMPLATE imports_base')
            run_url = url.set(database=name).render_as_string(hide_password=False)
            runs.append(one_run(run_url, data, planted))
            print(f"  postgresql run {i + 1}: {runs[-1]['end to end']:.2f} s", file=sys.stderr)
        if runs:
            report("postgresql", runs, planted, options.rows, options.actors)


# --- through the server: what a colleague waits for during the import -----------------------


def import_in_process(url: str, csv_path: str, reader: bool) -> None:
    """(run as a subprocess) Dry run, then the confirmed import in its own transaction; prints
    a JSON line with the wall-clock times the write transaction began and ended."""
    data = Path(csv_path).read_bytes()
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        record, _table = start_import(session, data=data, file_name=FILE_NAME, created_by_id=None)
        import_id = record.id  # read after the commit, it would begin a transaction: the lock
        session.commit()
        checking = time.time()
        if reader:  # the dry run in a plain BEGIN: it only reads, so it holds no write lock
            read_engine = make_engine(url, immediate=False)
            with make_session_factory(read_engine)() as read_session:
                plan = check_draft(read_session, import_id)
            read_engine.dispose()
        else:
            plan = check_draft(session, import_id)
        session.commit()
        began = time.time()
        outcome = import_draft(session, import_id, user_id=None, checked=plan)
        session.commit()
        ended = time.time()
    print(
        json.dumps({"checking": checking, "began": began, "ended": ended, "new": outcome.new}),
        flush=True,
    )


def run_server(directory: Path, options, base: str, data: bytes) -> None:
    base_file = directory / f"imports-base-{options.actors}.sqlite"
    run_file = directory / "imports-server.sqlite"
    copy_sqlite(base_file, run_file)
    url = f"sqlite:///{run_file}"
    engine = make_engine(url)
    ensure_user(engine, COORDINATOR)
    engine.dispose()
    csv_path = directory / FILE_NAME
    csv_path.write_bytes(data)
    map_pages.PORT = PORT
    server = map_pages.start_server(url, options.workers, directory)
    web = f"http://127.0.0.1:{PORT}"
    reader = "reader" if options.reader_dry_run else "immediate"
    try:
        openers = [logged_in_opener(web) for _ in range(options.clients)]
        samples: list[tuple[float, float]] = []  # (start, seconds)
        errors: list[str] = []
        stop = threading.Event()

        def client(opener, k):
            i = k
            while not stop.is_set():
                q = urllib.parse.quote(SEARCHES[i % len(SEARCHES)])
                i += 1
                started = time.time()
                try:
                    opener.open(f"{web}/?q={q}", timeout=120).read()
                except Exception as error:  # noqa: BLE001 (a refused answer is a figure too)
                    errors.append(f"{type(error).__name__}: {error}")
                samples.append((started, time.time() - started))

        threads = [
            threading.Thread(target=client, args=(o, k), daemon=True) for k, o in enumerate(openers)
        ]
        for t in threads:
            t.start()
        time.sleep(3)
        quiet_until = time.time()
        importer = subprocess.run(
            [sys.executable, __file__, "--import-into", url, str(csv_path), reader],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        time.sleep(1)
        stop.set()
        for t in threads:
            t.join(timeout=150)
        window = json.loads(importer.stdout.strip().splitlines()[-1])

        def overlapping(began, ended):
            return sorted(s for t0, s in samples if t0 < ended and t0 + s > began)

        before = sorted(s for t0, s in samples if t0 + s < quiet_until)
        checking = overlapping(window["checking"], window["began"])
        during = overlapping(window["began"], window["ended"])
        label = f"server sqlite {options.workers} workers, {options.clients} clients, {reader}"
        print(
            f"{label}  dry run transaction (check_draft, other process): "
            f"{window['began'] - window['checking']:.2f} s"
        )
        print(
            f"{label}  import write transaction (import_draft + commit, other process): "
            f"{window['ended'] - window['began']:.2f} s, {window['new']:,} actors created"
        )
        for name, times in (
            ("before the import", before),
            ("during the dry run", checking),
            ("during the import's write", during),
        ):
            if not times:
                print(f"{label}  /?q= {name}: no requests")
                continue
            print(f"{label}  /?q= {name}: {latencies(times)}")
        print(f"{label}  failed requests: {len(errors)}" + (f" ({errors[0]})" if errors else ""))
    finally:
        server.terminate()
        server.wait(timeout=30)


def latencies(times: list[float]) -> str:
    """Sorted request times as "N requests, p50 …, p99 …, longest …"."""
    p99 = times[min(len(times) - 1, int(0.99 * len(times)))]
    return (
        f"{len(times)} requests, p50 {statistics.median(times) * 1000:.0f} ms, "
        f"p99 {p99 * 1000:.0f} ms, longest {times[-1] * 1000:.0f} ms"
    )


# --- through the web pages: what the coordinator waits for (issue 12) -----------------------

WEB_TIMEOUT_S = 30  # gunicorn's worker timeout in --web: no request may come near it
POLL_S = 0.5
QUIET_S = 6  # the colleagues search alone first: the list's times without an import
CSRF_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class FormFields(HTMLParser):
    """The fields of the form with id `form_id` as a browser would submit them: hidden and text
    inputs, ticked checkboxes, each select's selected option (else its first)."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.found = form_id, False, False
        self.fields: list[tuple[str, str]] = []
        self.select: str | None = None
        self.options: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == self.form_id:
            self.inside = self.found = True
        if not self.inside:
            return
        kind = (a.get("type") or "text").lower()
        if tag == "input" and a.get("name") and kind not in ("submit", "button", "file"):
            if kind not in ("checkbox", "radio") or "checked" in a:
                self.fields.append((a["name"], a.get("value") or ""))
        elif tag == "select":
            self.select, self.options = a.get("name"), []
        elif tag == "option" and self.select is not None:
            self.options.append((a.get("value", ""), "selected" in a))

    def handle_endtag(self, tag):
        if tag == "select" and self.select is not None and self.inside:
            chosen = [v for v, selected in self.options if selected] or [
                v for v, _ in self.options[:1]
            ]
            self.fields += [(self.select, v) for v in chosen]
            self.select = None
        elif tag == "form" and self.inside:
            self.inside = False


def form_fields(html: str, form_id: str) -> list[tuple[str, str]]:
    reader = FormFields(form_id)
    reader.feed(html)
    if not reader.found:
        sys.exit(f"no form #{form_id} on the page")
    return reader.fields


class Flow:
    """A logged-in browser of the coordinator (requests) that times each of its requests."""

    def __init__(self, web: str):
        import requests

        self.web, self.http = web, requests.Session()
        self.times: list[tuple[str, float]] = []  # (what, seconds) of every request
        page = self.http.get(f"{web}/login").text
        answer = self.http.post(
            f"{web}/login",
            data={
                "csrf_token": CSRF_TOKEN.search(page).group(1),
                "email": COORDINATOR.email,
                "password": COORDINATOR.password,
            },
        )
        if urllib.parse.urlsplit(answer.url).path == "/login":
            sys.exit(f"could not log in as {COORDINATOR.email}")

    def request(self, what: str, method: str, path: str, **kwargs):
        started = time.perf_counter()
        answer = self.http.request(
            method, self.web + path, allow_redirects=False, timeout=120, **kwargs
        )
        seconds = time.perf_counter() - started
        self.times.append((what, seconds))
        if answer.status_code >= 400:
            sys.exit(f"{method} {path}: {answer.status_code} after {seconds:.2f} s")
        return answer, seconds

    def redirect_path(self, answer) -> str:
        if answer.status_code not in (302, 303):
            sys.exit(f"expected a redirect, got {answer.status_code} from {answer.url}")
        return urllib.parse.urlsplit(answer.headers["Location"]).path + (
            "?" + urllib.parse.urlsplit(answer.headers["Location"]).query
            if urllib.parse.urlsplit(answer.headers["Location"]).query
            else ""
        )

    def wait_for_job(self, job_path: str) -> tuple[float, list[int], str]:
        """Poll the job's JSON every POLL_S until it is done: (seconds, the distinct `done`
        values seen in order, the result page's path)."""
        started = time.perf_counter()
        seen: list[int] = []
        while True:
            answer, _ = self.request("job progress (JSON)", "GET", f"{job_path}.json")
            state = answer.json()
            if state["done"] is not None and (not seen or seen[-1] != state["done"]):
                seen.append(state["done"])
            if state["result_url"]:
                return time.perf_counter() - started, seen, state["result_url"]
            if state["state"] not in ("queued", "running"):
                sys.exit(f"{job_path}: {state['state']}")
            time.sleep(POLL_S)


def run_web(directory: Path, options, data: bytes) -> None:
    """The coordinator imports the list through the pages of a gunicorn (2 sync workers, 30 s
    timeout), while colleagues search the actor list."""
    base_file = directory / f"imports-base-{options.actors}.sqlite"
    run_file = directory / "imports-web.sqlite"
    copy_sqlite(base_file, run_file)
    url = f"sqlite:///{run_file}"
    engine = make_engine(url)
    ensure_user(engine, COORDINATOR)
    engine.dispose()
    map_pages.PORT = options.port
    server = map_pages.start_server(url, options.workers, directory, timeout=WEB_TIMEOUT_S)
    web = f"http://127.0.0.1:{options.port}"
    label = (
        f"web sqlite {options.workers} workers, {options.rows:,} rows / {options.actors:,} actors"
    )
    try:
        flow = Flow(web)
        colleagues = [Flow(web) for _ in range(options.clients)]
        samples: list[tuple[float, float]] = []  # (start, seconds) of the colleagues' searches
        errors: list[str] = []
        stop = threading.Event()

        def colleague(browser: Flow, k: int) -> None:
            i = k
            while not stop.is_set():
                q = SEARCHES[i % len(SEARCHES)]
                i += 1
                started = time.time()
                try:
                    browser.http.get(f"{web}/", params={"q": q}, timeout=120).raise_for_status()
                except Exception as error:  # noqa: BLE001 (a refused answer is a figure too)
                    errors.append(f"{type(error).__name__}: {error}")
                samples.append((started, time.time() - started))

        threads = [
            threading.Thread(target=colleague, args=(c, k), daemon=True)
            for k, c in enumerate(colleagues)
        ]
        for t in threads:
            t.start()
        quiet_from = time.time()
        time.sleep(QUIET_S)
        figures: dict[str, float] = {}
        windows: dict[str, tuple[float, float]] = {"the quiet time before": (quiet_from, 0.0)}
        began = time.time()
        windows["the quiet time before"] = (quiet_from, began)
        page, _ = flow.request("upload form", "GET", "/imports")
        token = CSRF_TOKEN.search(page.text).group(1)
        answer, figures["upload request (POST /imports, the file)"] = flow.request(
            "upload",
            "POST",
            "/imports",
            data={"csrf_token": token, "mapping": ""},
            files={"file": (FILE_NAME, data, "text/csv")},
        )
        columns_path = flow.redirect_path(answer)
        page, figures["columns page load"] = flow.request("columns page", "GET", columns_path)
        fields = form_fields(page.text, "columns-form")
        mapped = [v for n, v in fields if n.startswith("columns-")]
        print(f"{label}  guessed mapping: {mapped}")
        check_started = time.time()
        answer, figures["columns submit (starts the dry run job)"] = flow.request(
            "columns submit", "POST", columns_path, data=fields
        )
        job_path = flow.redirect_path(answer)
        # A reload from another browser while the dry run runs: the progress bar is there.
        other = Flow(web)
        page, _ = other.request("job page, another session", "GET", job_path)
        bar = "<progress" in page.text and page.status_code == 200
        print(
            f"{label}  reload: GET {job_path} from a new session during the dry run shows a "
            f"<progress> element: {'yes' if bar else 'no'} (status {page.status_code})"
        )
        seconds, seen, result = flow.wait_for_job(job_path)
        windows["dry run job"] = (check_started, time.time())
        figures["until the dry run job is done (from its submit's answer)"] = seconds
        print(
            f"{label}  dry run progress: {len(seen)} distinct `done` values seen "
            f"(polling every {POLL_S} s): {seen}"
        )
        check_path = urllib.parse.urlsplit(result).path + "?" + urllib.parse.urlsplit(result).query
        page, figures["dry run page load (50 of the rows)"] = flow.request(
            "dry run page", "GET", check_path
        )
        summary = re.search(r'<p id="summary"[^>]*>(.*?)</p>', page.text, re.S)
        print(f"{label}  dry run summary: {' '.join(summary.group(1).split())}")
        fields = form_fields(page.text, "confirm-form")
        if 'name="skip_invalid"' in page.text:
            fields.append(("skip_invalid", "y"))
        import_started = time.time()
        answer, figures["import submit (starts the import job)"] = flow.request(
            "import submit", "POST", columns_path.replace("/columns", "/import"), data=fields
        )
        job_path = flow.redirect_path(answer)
        seconds, seen, result = flow.wait_for_job(job_path)
        windows["import job"] = (import_started, time.time())
        figures["until the import job is done (from its submit's answer)"] = seconds
        print(f"{label}  import progress: {len(seen)} distinct `done` values seen: {seen}")
        page, figures["result page load"] = flow.request(
            "result page", "GET", urllib.parse.urlsplit(result).path
        )
        ended = time.time()
        figures["total from the upload to the result page"] = ended - began
        stop.set()
        for t in threads:
            t.join(timeout=150)
        new = re.search(r'data-new="(\d+)"', flow.request("imports", "GET", "/imports")[0].text)
        for name, value in figures.items():
            print(f"{label}  {name}: {value:.2f} s")
        what, longest = max(flow.times, key=lambda item: item[1])
        print(
            f"{label}  longest single request of the coordinator: {longest:.2f} s ({what}; "
            f"{len(flow.times)} requests; gunicorn timeout {WEB_TIMEOUT_S} s)"
        )
        print(f"{label}  actors created: {new.group(1) if new else '?'}")
        windows["the whole flow"] = (began, ended)
        for name, (start, end) in windows.items():
            times = sorted(s for t0, s in samples if t0 < end and t0 + s > start)
            if not times:
                print(f"{label}  /?q= during {name}: no requests")
                continue
            print(f"{label}  /?q= ({options.clients} clients) during {name}: {latencies(times)}")
        print(f"{label}  failed searches: {len(errors)}" + (f" ({errors[0]})" if errors else ""))
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--import-into":
        import_in_process(sys.argv[2], sys.argv[3], sys.argv[4] == "reader")
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actors", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", metavar="DIR", help="keep (and reuse) the SQLite base here")
    parser.add_argument(
        "--backends", nargs="+", default=["sqlite"], choices=("sqlite", "postgresql")
    )
    parser.add_argument("--server", action="store_true", help="also the concurrent list page")
    parser.add_argument(
        "--web", action="store_true", help="the coordinator's import through the web pages"
    )
    parser.add_argument("--port", type=int, default=PORT, help="gunicorn's port (--web)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--clients", type=int, default=4, help="concurrent list clients")
    parser.add_argument(
        "--reader-dry-run",
        action="store_true",
        help="the dry run on a plain-BEGIN session (make_engine(immediate=False))",
    )
    options = parser.parse_args()
    with scratch_dir(options.keep) as directory:
        base, data, planted = (
            run_sqlite(directory, options) if "sqlite" in options.backends else (None, None, None)
        )
        if "postgresql" in options.backends:
            run_postgresql(options, (data, planted) if data else None)
        if options.server:
            if base is None:
                sys.exit("--server needs the sqlite backend")
            run_server(directory, options, base, data)
        if options.web:
            if base is None:
                sys.exit("--web needs the sqlite backend")
            run_web(directory, options, data)


if __name__ == "__main__":
    main()
