"""Invitation lists at scale (issue 5): build a list of 10 000 from 100 000 actors, export it.

    .venv/bin/python bench/invitations.py [--actors 100000] [--sizes 1000 10000]
                                          [--repeat 3] [--keep DIR]

On a SQLite database of `--actors` actors (demo.city, 2 contacts per actor: the builder reads
the actors' denormalised contact dates, not the contacts; `--keep DIR` keeps the file there and
reuses it), for each list size: an event with that capacity, and the list built by
crm.invitations.build_invitations with no criteria and no targets (timed, with the proposal
alone beside it: the rest is saving the invitations). A few invitees are then marked
do-not-phone, as happens after a list is made, so that the exports leave some out. Then the
exports as the pages make them (crm.exports: count and log, then the body streamed from the
database): the CSV (Belgian Excel dialect) and the XLSX written to a file, each timed (median
of `--repeat` runs) and, in a separate run under tracemalloc, its peak Python memory. Last,
the two downloads through the Flask test client, logged in as a coordinator.
Goals: CSV < 2 s and XLSX < 10 s at 10 000 invitations; memory flat: the peak at the largest
size less than twice the peak at the smallest (streamed, not held).
"""

import argparse
import statistics
import time
import tracemalloc
from datetime import timedelta

from common import BenchUser, logged_in_client, prepare, scratch_dir, sqlite_url  # noqa: E402
from sqlalchemy import select  # noqa: E402

from crm.builder import Criteria, build_invitations, propose_invitations  # noqa: E402
from crm.clock import utcnow  # noqa: E402
from crm.db import make_engine, make_session_factory  # noqa: E402
from crm.events import create_event  # noqa: E402
from crm.exports import (  # noqa: E402
    invitation_csv_chunks,
    start_invitation_export,
    write_invitations_xlsx,
)
from crm.models import Actor, Invitation  # noqa: E402
from crm.vocabulary import Channel, ExportKind  # noqa: E402

GOAL_CSV_S = 2.0
GOAL_XLSX_S = 10.0
FLAT_FACTOR = 2.0
FLAGGED_AFTERWARDS = 25  # invitees marked do-not-phone after the list was built
COORDINATOR = BenchUser(email="bench-coordinator@sint-niklaas.be", role="coordinator")


def timed(function):
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def peak_memory(function) -> int:
    """The peak of Python allocations (bytes) while `function` runs."""
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def megabytes(n: float) -> str:
    return f"{n / 1e6:.1f} MB"


def build_list(sessions, size: int) -> tuple[int, float, float, int]:
    """A new event with capacity `size` and its list built; (event id, seconds to propose,
    seconds to build and save, invitations)."""
    with sessions() as session:
        event = create_event(
            session,
            name=f"Bench atelier {size} {time.time_ns()}",
            type="idea_atelier",
            starts_at=utcnow() + timedelta(days=30),
            capacity=size,
        )
        session.commit()
        event_id = event.id
    with sessions() as session:
        propose_s, proposal = timed(
            lambda: propose_invitations(session, event_id, criteria=Criteria(), targets={})
        )
        session.rollback()
    with sessions() as session:

        def build():
            _, invitations = build_invitations(session, event_id, criteria=Criteria(), targets={})
            session.commit()
            return len(invitations)

        build_s, listed = timed(build)
    assert listed == len(proposal.invitees), (listed, len(proposal.invitees))
    flag_some_phoned(sessions, event_id)
    return event_id, propose_s, build_s, listed


def flag_some_phoned(sessions, event_id: int) -> None:
    with sessions() as session:
        ids = session.scalars(
            select(Invitation.actor_id)
            .where(Invitation.event_id == event_id, Invitation.channel == Channel.PHONE)
            .limit(FLAGGED_AFTERWARDS)
        ).all()
        for actor in session.scalars(select(Actor).where(Actor.id.in_(ids))):
            actor.do_not_phone = True
        session.commit()


def export_csv(sessions, event_id: int, path) -> int:
    with sessions() as session:
        export = start_invitation_export(
            session, event_id, kind=ExportKind.INVITATIONS_CSV, user_id=None
        )
        session.commit()
        with open(path, "wb") as out:
            for chunk in invitation_csv_chunks(session, export):
                out.write(chunk)
        return export.left_out_total


def export_xlsx(sessions, event_id: int, path) -> int:
    with sessions() as session:
        export = start_invitation_export(
            session, event_id, kind=ExportKind.INVITATIONS_XLSX, user_id=None
        )
        session.commit()
        with open(path, "wb") as out:
            write_invitations_xlsx(session, export, out)
        return export.left_out_total


def measure_exports(sessions, event_id: int, listed: int, directory, repeat: int) -> dict:
    figures = {}
    for name, export in (("CSV", export_csv), ("XLSX", export_xlsx)):
        path = directory / f"invitations-{listed}.{name.lower()}"
        runs = [timed(lambda e=export, p=path: e(sessions, event_id, p)) for _ in range(repeat)]
        seconds = statistics.median(elapsed for elapsed, _ in runs)
        left_out = runs[-1][1]
        peak = peak_memory(lambda e=export, p=path: e(sessions, event_id, p))
        size = path.stat().st_size
        print(
            f"{name} export, {listed:,} invitations ({left_out} left out): {seconds:.2f} s, "
            f"file {megabytes(size)}, peak memory {megabytes(peak)}"
        )
        figures[name] = (seconds, peak)
    return figures


def download(client, event_id: int, path: str) -> tuple[int, bytes]:
    response = client.get(f"/events/{event_id}/{path}")
    return response.status_code, response.get_data()


def measure_downloads(url: str, event_id: int, listed: int, repeat: int) -> None:
    client = logged_in_client(url, COORDINATOR)
    for name, path in (("CSV", "invitations.csv"), ("XLSX", "invitations.xlsx")):
        runs = []
        for _ in range(repeat):
            # The body is streamed: the test client makes it only when it is read.
            elapsed, (status, body) = timed(lambda p=path: download(client, event_id, p))
            assert status == 200, status
            runs.append((elapsed, len(body)))
        print(
            f"{name} download through the page, {listed:,} invitations: "
            f"{statistics.median(e for e, _ in runs):.2f} s, {megabytes(runs[-1][1])}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actors", type=int, default=100_000)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per export (median shown)")
    parser.add_argument("--keep", metavar="DIR", help="keep (and reuse) the SQLite file here")
    options = parser.parse_args()
    sizes = sorted(options.sizes)
    with scratch_dir(options.keep) as directory:
        url = sqlite_url(directory, f"invitations-{options.actors}")
        prepare(url, actors=options.actors, contacts=2 * options.actors, user=COORDINATOR)
        engine = make_engine(url)
        sessions = make_session_factory(engine)
        results = {}
        try:
            for size in sizes:
                event_id, propose_s, build_s, listed = build_list(sessions, size)
                print(
                    f"build invitation list, {listed:,} of {options.actors:,} actors: "
                    f"{build_s:.2f} s (the proposal alone {propose_s:.2f} s, so saving "
                    f"{max(build_s - propose_s, 0):.2f} s)"
                )
                results[size] = measure_exports(
                    sessions, event_id, listed, directory, options.repeat
                )
                measure_downloads(url, event_id, listed, options.repeat)
        finally:
            engine.dispose()
        largest, smallest = results[sizes[-1]], results[sizes[0]]
        csv_s, xlsx_s = largest["CSV"][0], largest["XLSX"][0]
        flat = all(largest[k][1] < FLAT_FACTOR * smallest[k][1] for k in ("CSV", "XLSX"))
        met = csv_s < GOAL_CSV_S and xlsx_s < GOAL_XLSX_S and flat
        print(
            f"goal ({sizes[-1]:,} invitations of {options.actors:,} actors): CSV < "
            f"{GOAL_CSV_S:.0f} s ({csv_s:.2f} s), XLSX < {GOAL_XLSX_S:.0f} s ({xlsx_s:.2f} s), "
            f"memory flat (peak at {sizes[-1]:,} < {FLAT_FACTOR:.0f}x the peak at "
            f"{sizes[0]:,}: CSV {megabytes(largest['CSV'][1])} vs "
            f"{megabytes(smallest['CSV'][1])}, XLSX {megabytes(largest['XLSX'][1])} vs "
            f"{megabytes(smallest['XLSX'][1])}): {'met' if met else 'NOT met'}"
        )


if __name__ == "__main__":
    main()
