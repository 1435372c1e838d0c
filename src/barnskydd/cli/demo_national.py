"""barnskydd demo-national: the national lookup on loopback with two synthetic municipalities.

Sets up a directory (default var/national/) with the pseudonymiser's key, the index's database,
two municipalities' credentials and databases (a synthetic year each, through the service
layer), lets a few families move from A to B (new reports in B about children A has reports
about), publishes both outboxes, and then runs the pseudonymiser, the index, both desks and
both municipalities' publishers (`lookup run`) as child processes until Ctrl-C or SIGTERM,
when every child process is stopped. A second start reuses the directory (`--reset` builds it
again). Prints counts, addresses, accounts and case numbers only: never a name or an identity
number. The children's output goes to logs/ in the directory.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Annotated, NoReturn

import httpx
import typer

from barnskydd.cli._common import MAX_INTERVAL, fail, number_between, whole_number_between
from barnskydd.cli.synth import MAX_SCALE
from barnskydd.core.bounds import INT32_MAX
from barnskydd.reference.municipalities import get as get_municipality
from barnskydd.synth import national
from barnskydd.synth.national import CONTACT, MUNICIPALITY_A, MUNICIPALITY_B, Layout

START_TIMEOUT = 90.0
STOP_TIMEOUT = 10.0


@dataclass(frozen=True)
class Ports:
    """The desks on base and base + 1, the pseudonymiser on base + 100, the index base + 200."""

    base: int

    @property
    def all(self) -> dict[str, int]:
        """Every port by its process."""
        return {
            "desk_a": self.base,
            "desk_b": self.base + 1,
            "pseudonymiser": self.base + 100,
            "index": self.base + 200,
        }


def _url(port: int, host: str = "127.0.0.1") -> str:
    return f"http://{host}:{port}"


def _setup(layout: Layout, *, scale: float, seed: int, moved: int) -> list[str]:
    typer.echo("Skapar två syntetiska kommuner (ett år fram till i dag) ...")
    made = national.setup(layout, scale=scale, seed=seed, moved=moved)
    for report in made.generated:
        typer.echo(
            f"  {report.municipality_name} ({report.municipality_code}): "
            f"{report.reports} anmälningar om {report.children} barn"
        )
    if not made.moved_cases:
        fail("Inga barn att flytta mellan kommunerna; välj en större --scale.")
    typer.echo(
        f"  {len(made.moved_cases)} familjer har flyttat från A till B (nya anmälningar i B)"
    )
    return made.moved_cases


@dataclass
class Process:
    """One child process: a service, a desk or a publisher, with its log file."""

    name: str
    args: list[str]
    env: dict[str, str]
    port: int | None = None
    process: subprocess.Popen[bytes] | None = None

    def start(self, logs: Path) -> None:
        with (logs / f"{self.name}.log").open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603  (our own interpreter and command)
                [sys.executable, "-m", "barnskydd", *self.args],
                env={**os.environ, **self.env},
                stdin=subprocess.DEVNULL,
                # The publishers print what they fetched (names of asking staff): not kept.
                stdout=subprocess.DEVNULL if self.port is None else log,
                stderr=log,
                start_new_session=True,  # Ctrl-C reaches us alone; we stop the children
            )

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _wait_until_up(process: Process, logs: Path) -> None:
    """Wait until the process answers HTTP on its port; fail naming its log if it died."""
    assert process.process is not None
    assert process.port is not None
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.process.poll() is not None:
            raise RuntimeError(f"{process.name} startade inte; se {logs / process.name}.log")
        try:
            httpx.get(_url(process.port) + "/", timeout=1.0, trust_env=False)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError(f"{process.name} svarade inte inom {START_TIMEOUT:.0f} s")


def _municipality_env(layout: Layout, ports: Ports, code: str) -> dict[str, str]:
    return {
        "BARNSKYDD_MODE": "demo",
        "BARNSKYDD_DATABASE_URL": layout.database_url(code),
        "BARNSKYDD_MUNICIPALITY_CODE": code,
        # A secret per desk: the two desks share a host, and a cookie of one is not the other's.
        "BARNSKYDD_SECRET_KEY": secrets.token_urlsafe(32),
        "BARNSKYDD_LOOKUP_PSEUDONYMISER_URL": _url(ports.all["pseudonymiser"]),
        "BARNSKYDD_LOOKUP_INDEX_URL": _url(ports.all["index"]),
        "BARNSKYDD_LOOKUP_KEY_FILE": str(layout.key(code)),
        "BARNSKYDD_LOOKUP_CONTACT": CONTACT,
    }


def _national(layout: Layout, ports: Ports) -> list[Process]:
    registry = ["--municipalities", str(layout.registry)]
    return [
        Process(
            name,
            [*args, *registry, "--port", str(ports.all[name])],
            {},
            ports.all[name],
        )
        for name, args in (
            ("pseudonymiser", ["pseudonymiser", "serve", "--keys", str(layout.keys)]),
            ("index", ["lookup", "serve", "--database-url", layout.index_url]),
        )
    ]


def _local(layout: Layout, ports: Ports, interval: float) -> list[Process]:
    found = []
    for code, port in (
        (MUNICIPALITY_A, ports.all["desk_a"]),
        (MUNICIPALITY_B, ports.all["desk_b"]),
    ):
        env = _municipality_env(layout, ports, code)
        found.append(Process(f"desk-{code}", ["serve", "--port", str(port)], env, port))
        found.append(
            Process(f"publisher-{code}", ["lookup", "run", "--interval", str(interval)], env)
        )
    return found


def _print_guide(ports: Ports, numbers: list[str]) -> None:
    a, b = get_municipality(MUNICIPALITY_A), get_municipality(MUNICIPALITY_B)
    typer.echo("")
    typer.echo("Riksuppslaget körs på loopback:")
    typer.echo(f"  Kommun A, {a.name} ({a.code}): {_url(ports.all['desk_a'])}")
    typer.echo(f"  Kommun B, {b.name} ({b.code}): {_url(ports.all['desk_b'], 'localhost')}")
    typer.echo(f"  Pseudonymiseraren: {_url(ports.all['pseudonymiser'])}")
    typer.echo(f"  Indexet: {_url(ports.all['index'])}")
    typer.echo("  (två värdnamn, så att inloggningarna i A och B inte delar kaka)")
    typer.echo(
        "Demokonton i båda kommunerna (lösenord demo): handlaggare, arbetsledare, analytiker, admin"
    )
    typer.echo(f"Flyttade familjer, ärenden i {b.name}: {', '.join(numbers)}")
    typer.echo(
        f"Prova: logga in i {b.name} som handlaggare, öppna ärende {numbers[0]}, "
        "välj ett syfte och sök i andra kommuner."
    )
    typer.echo(
        f"Sedan: logga in i {a.name} som arbetsledare; under Aviseringar står vem som frågade, "
        "när och varför."
    )
    typer.echo("Avsluta med Ctrl-C.")


def _raise_interrupt(signum: int, frame: FrameType | None) -> NoReturn:
    raise KeyboardInterrupt


def demo_national(
    directory: Annotated[
        Path, typer.Option(help="Katalog för nycklar, index och kommunernas databaser.")
    ] = Path("var/national"),
    port_base: Annotated[
        int,
        typer.Option(
            min=1,
            max=65000,
            help="A:s webbapp på porten, B:s på +1, pseudonymiseraren +100, indexet +200.",
        ),
    ] = 8000,
    scale: Annotated[
        float,
        typer.Option(
            help=f"Andel av kommunernas storlek (0,001-{MAX_SCALE:g}).",
            callback=number_between("--scale", 0.001, MAX_SCALE),
        ),
    ] = 0.25,
    seed: Annotated[
        int,
        typer.Option(
            help="Slumpfrö för kommun A (B får fröet + 1).",
            callback=whole_number_between("--seed", 0, INT32_MAX - 1),
        ),
    ] = 1,
    moved: Annotated[
        int, typer.Option(min=1, max=50, help="Familjer som flyttar från A till B.")
    ] = 5,
    interval: Annotated[
        float,
        typer.Option(
            help=f"Sekunder mellan publiceringsvarven (1-{MAX_INTERVAL}).",
            callback=number_between("--interval", 1, MAX_INTERVAL),
        ),
    ] = 10.0,
    reset: Annotated[bool, typer.Option(help="Bygg katalogen på nytt.")] = False,
) -> None:
    """Kör det nationella uppslaget med två syntetiska kommuner på loopback (Ctrl-C stoppar)."""
    layout, ports = Layout(directory.resolve()), Ports(port_base)
    for name, port in ports.all.items():
        with socket.socket() as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                fail(f"Port {port} ({name}) är upptagen; välj en annan --port-base.")
    if reset or not layout.state.exists():
        for path in layout.files():
            path.unlink(missing_ok=True)
    for signum in (signal.SIGINT, signal.SIGTERM):  # SIGINT too: ignored when run with &
        signal.signal(signum, _raise_interrupt)
    running: list[Process] = []
    try:
        fresh = not layout.state.exists()
        numbers = _setup(layout, scale=scale, seed=seed, moved=moved) if fresh else []
        layout.logs.mkdir(parents=True, exist_ok=True)
        for process in _national(layout, ports):
            process.start(layout.logs)
            running.append(process)
            _wait_until_up(process, layout.logs)
        for code in (MUNICIPALITY_A, MUNICIPALITY_B):
            count = national.publish(
                layout,
                code,
                pseudonymiser_url=_url(ports.all["pseudonymiser"]),
                index_url=_url(ports.all["index"]),
            )
            typer.echo(f"  {code}: {count} poster publicerade i indexet")
        if fresh:
            layout.state.write_text(json.dumps({"moved_cases": numbers}), encoding="utf-8")
        numbers = json.loads(layout.state.read_text("utf-8"))["moved_cases"]
        for process in _local(layout, ports, interval):
            process.start(layout.logs)
            running.append(process)
        for process in running:
            if process.port is not None:
                _wait_until_up(process, layout.logs)
        _print_guide(ports, numbers)
        while True:
            for process in running:
                if process.process is not None and process.process.poll() is not None:
                    raise RuntimeError(
                        f"{process.name} avslutades; se {layout.logs / process.name}.log"
                    )
            time.sleep(0.5)
    except KeyboardInterrupt:
        typer.echo("Avslutar ...")
    except RuntimeError as error:
        typer.echo(f"fel: {error}", err=True)
        raise typer.Exit(1) from None
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C does not cut this short
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        for process in reversed(running):
            process.stop()
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
