"""Wall time of `flask demo-data --actors 100000 --contacts 1000000` on a fresh database.

    .venv/bin/python bench/demo_data.py [--postgres] [--actors N] [--contacts M]

Runs the real command (after `flask db upgrade`) in a subprocess, on a temporary SQLite file
and, with --postgres, also on a throwaway PostgreSQL cluster. Goal: under 60 s each.
"""

import argparse
import subprocess
import sys
import time

from common import (
    ROOT,
    postgres_cluster,
    postgres_database,
    quiet_environment,
    scratch_dir,
    sqlite_url,
)

FLASK = [str(ROOT / ".venv" / "bin" / "flask"), "--app", "app"]
GOAL_S = 60.0


def time_command(backend: str, url: str, instance, actors: int, contacts: int) -> None:
    env = quiet_environment() | {"DATABASE_URL": url, "BEREIK_INSTANCE_PATH": str(instance)}
    subprocess.run([*FLASK, "db", "upgrade"], env=env, cwd=ROOT, check=True, capture_output=True)
    started = time.perf_counter()
    result = subprocess.run(
        [*FLASK, "demo-data", "--actors", str(actors), "--contacts", str(contacts)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    if result.returncode:
        sys.exit(f"demo-data failed on {backend}:\n{result.stderr[-2000:]}")
    verdict = "met" if elapsed < GOAL_S else "NOT met"
    print(
        f"demo-data {actors} actors / {contacts} contacts ({backend}): {elapsed:.1f} s "
        f"(goal < {GOAL_S:.0f} s: {verdict})"
    )
    print(f"  the command said: {result.stdout.strip().splitlines()[-1]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help="also on a throwaway cluster")
    parser.add_argument("--actors", type=int, default=100_000)
    parser.add_argument("--contacts", type=int, default=1_000_000)
    options = parser.parse_args()
    with scratch_dir() as directory:
        url = sqlite_url(directory, "demo")
        time_command("sqlite", url, directory, options.actors, options.contacts)
        if options.postgres:
            with postgres_cluster() as cluster:
                url = postgres_database(cluster, "demo")
                time_command("postgresql", url, directory, options.actors, options.contacts)


if __name__ == "__main__":
    main()
