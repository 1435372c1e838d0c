"""A throwaway PostgreSQL server started from the installed binaries, for the test suite."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _bindir() -> Path:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not candidates:
        raise RuntimeError(
            "PostgreSQL server binaries not found (pg_ctl); install the Debian package "
            "'postgresql' (.ci/run does) to run the suite against PostgreSQL"
        )
    return Path(candidates[-1]).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


# A throwaway server's files in memory where the machine has room for them: the suite creates
# hundreds of databases (several MB each) and removes them all at the end, which on a busy disk
# took a minute or more of each test process's last teardown.
MEMORY = Path("/dev/shm")  # noqa: S108  (a folder of its own in it, from mkdtemp)
MEMORY_NEEDED = 4 * 2**30  # free bytes wanted before the folder goes there


def _scratch(durable: bool) -> str | None:
    """Return the folder for a server's files: memory for a throwaway one, else /tmp."""
    if durable or not MEMORY.is_dir() or not os.access(MEMORY, os.W_OK):
        return None
    return str(MEMORY) if shutil.disk_usage(MEMORY).free >= MEMORY_NEEDED else None


@contextmanager
def postgres_server(*, durable: bool = False) -> Iterator[str]:
    """Start a server in a new temporary folder and yield a URL to its 'postgres' superuser.

    Tests run it without fsync and synchronous commit (a crash loses only a throwaway
    database); `durable` keeps PostgreSQL's defaults, as a benchmark of production needs.
    """
    bindir = _bindir()
    # Under /tmp (or /dev/shm) itself, not pytest's per-user folder: 'postgres' must reach it.
    base = Path(tempfile.mkdtemp(prefix="barnskydd-pg-", dir=_scratch(durable)))
    data, sockets = base / "data", base / "sock"
    data.mkdir(parents=True)
    sockets.mkdir()
    prefix: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root; run the server as 'postgres'
        shutil.chown(base, "postgres")
        shutil.chown(data, "postgres")
        shutil.chown(sockets, "postgres")
        prefix = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    subprocess.run(
        [
            *prefix,
            str(bindir / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        ],
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c max_connections=50"
    if not durable:
        options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    subprocess.run(
        [
            *prefix,
            str(bindir / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(base / "server.log"),
            "-w",
            "start",
        ],
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            check=False,
            capture_output=True,
        )
        shutil.rmtree(base, ignore_errors=True)
