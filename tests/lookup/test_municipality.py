"""The municipality's side: the outbox follows the cases, the sender survives outages, lookups."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from barnskydd.cases.chain.transitions import Step
from barnskydd.cases.codes import PreliminaryOutcome
from barnskydd.cases.models import Case
from barnskydd.core.actor import Actor, Role
from barnskydd.core.clock import today
from barnskydd.core.db import make_engine, session_factory, transaction, utcnow
from barnskydd.core.errors import InvalidInput, NotFound, PermissionDenied
from barnskydd.lookup import keys as keyring
from barnskydd.lookup import outbox, sender, service
from barnskydd.lookup.auth import Registry, Signer
from barnskydd.lookup.client import NationalClient, NationalUnavailable
from barnskydd.lookup.index_models import Entry
from barnskydd.lookup.models import LookupNotice, LookupPublication
from barnskydd.lookup.pseudonymiser import create_app as create_pseudonymiser
from barnskydd.lookup.rules import StatusClass
from barnskydd.people.codes import ProtectedIdentity
from barnskydd.staff import service as staff
from barnskydd.staff.models import Unit
from tests.factories import CHILD_PNR, OTHER_CHILD_PNR, registered_case, take
from tests.lookup.conftest import A, B, TestClient, limiter, national


@dataclass
class World:
    """Municipality A's database (publishing) and municipality B's (asking): one each."""

    factory: sessionmaker[Session]
    factory_b: sessionmaker[Session]
    anna: Actor
    bo: Actor
    case_a: str
    case_b: str


@pytest.fixture
def world(database_url: str, other_database_url: str) -> Iterator[World]:
    """Register CHILD_PNR in A (2025) and again in B (now), plus a protected child in A."""
    engine, engine_b = make_engine(database_url), make_engine(other_database_url)
    factory, factory_b = session_factory(engine), session_factory(engine_b)
    with transaction(factory) as session:
        unit_a = staff.create_unit(session, name="Barn och unga Centrum", municipality_code=A)
        anna = staff.actor_for(
            staff.create(
                session,
                username="anna",
                display_name="Anna",
                role=Role.CASE_WORKER,
                unit_id=unit_a.id,
            )
        )
        case_a = registered_case(session, unit_a.id, anna)
        registered_case(
            session,
            unit_a.id,
            anna,
            child_identity=OTHER_CHILD_PNR,
            protected_identity=ProtectedIdentity.PROTECTED_REGISTRATION,
        )
        number_a = case_a.case_number
    with transaction(factory_b) as session:
        unit_b = staff.create_unit(session, name="Barn och unga Söder", municipality_code=B)
        bo = staff.actor_for(
            staff.create(
                session, username="bo", display_name="Bo", role=Role.CASE_WORKER, unit_id=unit_b.id
            )
        )
        case_b = registered_case(
            session, unit_b.id, bo, received_at=utcnow() - dt.timedelta(hours=1)
        )
        number_b = case_b.case_number
    yield World(factory, factory_b, anna, bo, number_a, number_b)
    engine.dispose()
    engine_b.dispose()


def sync(world: World) -> int:
    """Run A's periodic outbox job."""
    with transaction(world.factory) as session:
        return outbox.refresh_all(session, today=today())


def rows(world: World) -> list[LookupPublication]:
    """Return A's outbox rows."""
    with world.factory() as session:
        return list(session.scalars(select(LookupPublication)))


def test_the_outbox_follows_the_cases_and_skips_protected_children(world: World) -> None:
    # Registering the reports already queued A's child (the service-layer hook); the
    # protected child is never queued, and the periodic job finds nothing left to do.
    [row] = rows(world)
    assert (row.status_class, row.revision, row.published_revision) == (
        StatusClass.INVESTIGATION_ONGOING,
        1,
        None,
    )
    assert sync(world) == 0
    with transaction(world.factory) as session:
        case_id = session.scalar(select(LookupPublication.child_id))
        case = session.scalars(select(Case).where(Case.case_number == world.case_a)).one()
        take(
            session,
            Step.ASSESS_PROTECTION,
            actor=world.anna,
            case_id=case.id,
            assessed_at=case.report.received_at + dt.timedelta(hours=1),
            immediate_protection_needed=False,
        )
        take(
            session,
            Step.DECIDE_PRELIMINARY,
            actor=world.anna,
            case_id=case.id,
            decided_on=dt.date(2025, 6, 25),
            outcome=PreliminaryOutcome.NOT_OPENED,
        )
        assert case_id == case.child_id
    [row] = rows(world)  # decide_preliminary's hook moved the entry along
    assert (row.status_class, row.revision) == (StatusClass.SCREENED_OUT, 2)
    assert sync(world) == 0  # the hook already did it; the periodic job agrees


def test_publication_survives_an_outage_and_b_finds_the_child(
    world: World, pseudonymiser: TestClient, local_index: TestClient, signers: dict[str, Signer]
) -> None:
    sync(world)
    down = httpx.Client(base_url="http://127.0.0.1:9", timeout=0.5)
    offline = NationalClient(pseudonymiser, down, signers[A])
    result = sender.send_all(world.factory, offline)
    assert (result.published, result.failed) == (0, 1)
    [row] = rows(world)
    assert (row.attempts, row.published_revision) == (1, None)
    assert row.last_error
    client_a = national(pseudonymiser, local_index, signers, A)
    assert sender.send_all(world.factory, client_a).published == 0  # still backing off
    later = utcnow() + sender.backoff(1) + dt.timedelta(seconds=1)
    assert sender.send_all(world.factory, client_a, now=later).published == 1
    [row] = rows(world)
    assert (row.attempts, row.published_revision, row.published_key_version) == (0, 1, 1)
    assert sender.send_all(world.factory, client_a).published == 0  # nothing left to send

    client_b = national(pseudonymiser, local_index, signers, B)
    with transaction(world.factory_b) as session:
        subject = service.authorise(
            session,
            actor=world.bo,
            case_number=world.case_b,
            purpose="forhandsbedomning",
            asked_by="Bo",
            contact="växel 08-000",
        )
    [answer] = service.ask(client_b, subject)
    assert answer.municipality == "Göteborg (1480)"
    assert answer.latest_report_month == "2025-06"
    assert answer.status == "Pågående bedömning eller utredning"
    assert answer.contact_unit == "Barn och unga Centrum"
    with transaction(world.factory) as session:
        [notice] = service.fetch_notices(session, client_a)
        assert notice.child_id == row.child_id
        assert (notice.asking_municipality, notice.purpose) == (B, "Förhandsbedömning")
        assert notice.contact == "Barn och unga Söder, växel 08-000"
        assert service.fetch_notices(session, client_a) == []
        assert len(list(session.scalars(select(LookupNotice)))) == 1


def test_a_lookup_needs_a_case_worker_with_an_open_case_of_their_own_and_a_purpose(
    world: World,
) -> None:
    def authorise(actor: Actor, case_number: str, purpose: str = "utredning") -> None:
        with transaction(world.factory_b) as session:
            service.authorise(
                session,
                actor=actor,
                case_number=case_number,
                purpose=purpose,
                asked_by=actor.username,
                contact="",
            )

    with pytest.raises(NotFound):
        authorise(world.bo, "BU-2025-999999")  # B has no such case
    with pytest.raises(InvalidInput):
        authorise(world.bo, world.case_b, purpose="")
    with pytest.raises(PermissionDenied):
        authorise(Actor("analys", Role.ANALYST), world.case_b)
    # A unit from before the database recorded its municipality (the migration keeps units
    # of several municipalities): its cases are not this deployment's and are not asked about.
    with transaction(world.factory_b) as session:
        legacy = Unit(name="Barn och unga Centrum", municipality_code=A)
        session.add(legacy)
        session.flush()
        anna = staff.actor_for(
            staff.create(
                session, username="anna", display_name="A", role=Role.CASE_WORKER, unit_id=legacy.id
            )
        )
        number = registered_case(session, legacy.id, anna, child_identity=OTHER_CHILD_PNR)
        legacy_case = number.case_number
    with pytest.raises(PermissionDenied):
        authorise(anna, legacy_case)


def test_an_unreachable_service_is_a_clear_error(world: World, signers: dict[str, Signer]) -> None:
    down = httpx.Client(base_url="http://127.0.0.1:9", timeout=0.5)
    subject = service.Subject(CHILD_PNR.replace("-", ""), "Utredning", "bo", "Söder")
    with pytest.raises(NationalUnavailable):
        service.ask(NationalClient(down, down, signers[B]), subject)


def test_after_a_key_rotation_entries_are_republished_under_the_new_version(
    world: World,
    key_file: Path,
    registry: Registry,
    local_index: TestClient,
    signers: dict[str, Signer],
) -> None:
    sync(world)
    with TestClient(create_pseudonymiser(keyring.load(key_file), registry, limiter())) as old:
        assert sender.send_all(world.factory, national(old, local_index, signers, A)).published == 1
    keyring.rotate(key_file, today=today(), transition_days=30)
    with TestClient(create_pseudonymiser(keyring.load(key_file), registry, limiter())) as new:
        result = sender.send_all(world.factory, national(new, local_index, signers, A))
        assert (result.published, result.failed) == (1, 0)
        [row] = rows(world)
        assert row.published_key_version == 2
        with local_index.app.state.session_factory() as session:  # type: ignore[attr-defined]
            assert session.scalars(select(Entry.key_version)).all() == [2]
        subject = service.Subject(CHILD_PNR.replace("-", ""), "Utredning", "bo", "Söder")
        assert len(service.ask(national(new, local_index, signers, B), subject)) == 1
