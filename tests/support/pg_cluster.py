"""Start and stop a throwaway PostgreSQL cluster for the test suite (and benchmarks)."""

import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


def available() -> bool:
    """Whether the PostgreSQL server binaries are installed."""
    return (PG_BIN / "initdb").exists() and (PG_BIN / "pg_ctl").exists()


@dataclass
class Cluster:
    directory: Path
    port: int
    as_postgres: bool

    @property
    def url(self) -> str:
        socket_dir = self.directory / "sock"
        return f"postgresql+psycopg://postgres@/bereik?host={socket_dir}&port={self.port}"

    def stop(self) -> None:
        """Stop the server and remove its files."""
        _run(
            self,
            [str(PG_BIN / "pg_ctl"), "-D", str(self.directory / "data"), "-m", "immediate", "stop"],
            check=False,
        )
        shutil.rmtree(self.directory, ignore_errors=True)


def start() -> Cluster:
    """initdb + pg_ctl start in a temporary folder, then create the database `bereik`."""
    directory = Path(tempfile.mkdtemp(prefix="bereik-pg-"))
    (directory / "sock").mkdir()
    as_postgres = os.geteuid() == 0  # PostgreSQL refuses to run as root
    if as_postgres:
        shutil.chown(directory, "postgres", "postgres")
        shutil.chown(directory / "sock", "postgres", "postgres")
    cluster = Cluster(directory, _free_port(), as_postgres)
    data = str(directory / "data")
    _run(
        cluster,
        [
            str(PG_BIN / "initdb"),
            "-D",
            data,
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-sync",
            "--no-locale",
        ],
    )
    options = (
        f"-c listen_addresses='' -k {directory / 'sock'} -p {cluster.port} "
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    )
    _run(
        cluster,
        [
            str(PG_BIN / "pg_ctl"),
            "-D",
            data,
            "-o",
            options,
            "-l",
            str(directory / "log"),
            "-w",
            "start",
        ],
    )
    _run(
        cluster,
        [
            str(PG_BIN / "createdb"),
            "-h",
            str(directory / "sock"),
            "-p",
            str(cluster.port),
            "-U",
            "postgres",
            "bereik",
        ],
    )
    return cluster


def _run(cluster: Cluster, command: list[str], check: bool = True) -> None:
    if cluster.as_postgres:
        command = ["runuser", "-u", "postgres", "--", *command]
    subprocess.run(command, check=check, capture_output=True, cwd=cluster.directory)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
