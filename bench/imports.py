"""Importing a list (issue 12): 10 000 rows with duplicate detection against 100 000 actors.

    .venv/bin/python bench/imports.py [--actors 100000] [--rows 10000] [--runs 3] [--keep DIR]
                                      [--backends sqlite postgresql] [--server] [--workers 2]

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
"""

import argparse
import csv
import io
import json
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from contextlib import contextmanager
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
            p99 = times[min(len(times) - 1, int(0.99 * len(times)))]
            print(
                f"{label}  /?q= {name}: {len(times)} requests, p50 "
                f"{statistics.median(times) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, "
                f"longest {times[-1] * 1000:.0f} ms"
            )
        print(f"{label}  failed requests: {len(errors)}" + (f" ({errors[0]})" if errors else ""))
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


if __name__ == "__main__":
    main()
