"""Two synthetic municipalities for the national lookup demo, with families that moved.

`setup` fills a directory with the pseudonymiser's key, both municipalities' signing keys and
the services' registry, and two municipality databases (a synthetic year each, through the
service layer), then registers new reports in B about a few children that A has reports about:
families that moved. `publish` syncs a municipality's outbox and sends it to the index. The
processes are started by `barnskydd demo-national` (barnskydd.cli.demo_national).
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from barnskydd.cases import service as cases
from barnskydd.cases.codes import ReporterCategory
from barnskydd.cases.models import Case
from barnskydd.core import migrate
from barnskydd.core.clock import SWEDEN, today
from barnskydd.core.db import make_engine, session_factory, transaction, utcnow
from barnskydd.lookup import keys as keyring
from barnskydd.lookup import outbox, sender
from barnskydd.lookup.auth import Signer, generate_key, public_part
from barnskydd.lookup.client import NationalClient
from barnskydd.people.codes import ProtectedIdentity
from barnskydd.people.models import Child
from barnskydd.people.rules import IdentityKind
from barnskydd.reference.municipalities import get as get_municipality
from barnskydd.staff import deployment
from barnskydd.staff import service as staff
from barnskydd.synth.generator import GenerationReport, generate
from barnskydd.synth.identities import SynthChild
from barnskydd.synth.organisation import DEMO_CASE_WORKER, DEMO_TEAM_LEAD
from barnskydd.synth.reports import report_data

# Neighbours on the Kalmar coast, so a family moving between them is an everyday case.
MUNICIPALITY_A, MUNICIPALITY_B = "0882", "0880"  # Oskarshamn, Kalmar
CONTACT = "socialtjänstens mottagning (demo)"
YEAR = dt.timedelta(days=365)


@dataclass(frozen=True)
class Layout:
    """Where everything lives in the demo's directory."""

    directory: Path

    @property
    def keys(self) -> Path:
        """The pseudonymiser's OPRF keys."""
        return self.directory / "pseudonymiser-keys.json"

    @property
    def registry(self) -> Path:
        """The services' registry of the municipalities' public keys."""
        return self.directory / "municipalities.json"

    @property
    def index_url(self) -> str:
        """The index's SQLite database."""
        return f"sqlite:///{self.directory / 'index.db'}"

    @property
    def state(self) -> Path:
        """Written last: its presence means the setup is complete."""
        return self.directory / "demo.json"

    @property
    def logs(self) -> Path:
        """The child processes' output."""
        return self.directory / "logs"

    def database_url(self, code: str) -> str:
        """A municipality's SQLite database."""
        return f"sqlite:///{self.directory / f'kommun-{code}.db'}"

    def key(self, code: str) -> Path:
        """A municipality's private signing key."""
        return self.directory / f"kommun-{code}.jwk"

    def files(self) -> list[Path]:
        """Every file the demo writes (the only ones a reset deletes)."""
        found = [self.keys, self.registry, self.state, self.directory / "index.db"]
        for code in (MUNICIPALITY_A, MUNICIPALITY_B):
            found += [self.directory / f"kommun-{code}.db", self.key(code)]
        found += [p.with_name(p.name + s) for p in list(found) for s in ("-wal", "-shm")]
        return found + (sorted(self.logs.glob("*.log")) if self.logs.is_dir() else [])


@dataclass(frozen=True)
class Setup:
    """What the setup made (counts and case numbers only)."""

    generated: list[GenerationReport]
    moved_cases: list[str]


def _credentials(layout: Layout) -> None:
    """Make both municipalities' signing keys (mode 0600) and the registry of public keys."""
    registry: dict[str, dict[str, object]] = {"municipalities": {}}
    for code in (MUNICIPALITY_A, MUNICIPALITY_B):
        private = generate_key()
        layout.key(code).touch(mode=0o600)
        layout.key(code).write_text(json.dumps(private), encoding="utf-8")
        registry["municipalities"][code] = public_part(private)
    layout.registry.write_text(json.dumps(registry, indent=2), encoding="utf-8")


def _municipality(layout: Layout, code: str, *, seed: int, scale: float) -> GenerationReport:
    """Migrate the municipality's database and generate a synthetic year in it."""
    url = layout.database_url(code)
    migrate.upgrade(url)
    engine = make_engine(url)
    end = today()
    with transaction(session_factory(engine)) as session:
        report = generate(
            session, municipality_code=code, start=end - YEAR, end=end, seed=seed, scale=scale
        )
    engine.dispose()
    return report


def _movers(layout: Layout, count: int) -> list[SynthChild]:
    """Pick children of A's team lead's unit who can still be reported in B (under 17)."""
    engine = make_engine(layout.database_url(MUNICIPALITY_A))
    now = today()
    with transaction(session_factory(engine)) as session:
        unit_id = staff.get_by_username(session, username=DEMO_TEAM_LEAD).unit_id
        query = (
            select(Child)
            .where(
                Child.id.in_(select(Case.child_id).where(Case.unit_id == unit_id)),
                Child.protected_identity == ProtectedIdentity.NONE,
                Child.identity_kind == IdentityKind.personnummer.value,
                Child.birth_date > now.replace(year=now.year - 17, day=min(now.day, 28)),
            )
            .order_by(Child.id)
            .limit(count)
        )
        movers = [
            SynthChild(
                c.identity_number, c.first_name, c.last_name, c.birth_date, c.protected_identity
            )
            for c in session.scalars(query)
        ]
    engine.dispose()
    return movers


def _move(layout: Layout, movers: list[SynthChild], *, seed: int) -> list[str]:
    """Register a report in B about each child (B's demo case worker); return the cases."""
    rng = random.Random(seed)
    engine = make_engine(layout.database_url(MUNICIPALITY_B))
    numbers = []
    with transaction(session_factory(engine)) as session:
        worker = staff.actor_for(staff.get_by_username(session, username=DEMO_CASE_WORKER))
        if worker.unit_id is None:
            raise RuntimeError("demo case worker without a unit")
        for hours, child in enumerate(movers, start=1):
            data = report_data(
                rng,
                child=child,
                team_unit_id=worker.unit_id,
                actor=worker,
                received_at=(utcnow() - dt.timedelta(hours=hours)).astimezone(SWEDEN),
                reporter=ReporterCategory.SCHOOL,
                municipality=get_municipality(MUNICIPALITY_B),
            )
            numbers.append(cases.register_report(session, actor=worker, data=data).case_number)
    engine.dispose()
    return numbers


def setup(layout: Layout, *, scale: float, seed: int, moved: int) -> Setup:
    """Write the keys and credentials, build both municipalities and move `moved` families."""
    layout.directory.mkdir(parents=True, exist_ok=True)
    keyring.create(layout.keys)
    _credentials(layout)
    generated = [
        _municipality(layout, MUNICIPALITY_A, seed=seed, scale=scale),
        _municipality(layout, MUNICIPALITY_B, seed=seed + 1, scale=scale),
    ]
    movers = _movers(layout, moved)
    return Setup(generated, _move(layout, movers, seed=seed) if movers else [])


def publish(layout: Layout, code: str, *, pseudonymiser_url: str, index_url: str) -> int:
    """Sync a municipality's outbox and send it to the index; return how many were published."""
    engine = make_engine(layout.database_url(code))
    factory = session_factory(engine)
    with transaction(factory) as session:
        served = deployment.municipality(session).code
        if served != code:
            raise RuntimeError(f"kommun-{code}.db tjänar {served}; bygg om med --reset")
        outbox.refresh_all(session, today=today(), contact=CONTACT)
    client = NationalClient.connect(
        pseudonymiser_url=pseudonymiser_url,
        index_url=index_url,
        signer=Signer.from_file(served, layout.key(served)),
    )
    try:
        result = sender.send_all(factory, client)
    finally:
        client.close()
        engine.dispose()
    if result.error:
        raise RuntimeError(f"publiceringen för {code} misslyckades: {result.error}")
    return result.published
