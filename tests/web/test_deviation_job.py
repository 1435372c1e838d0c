"""The daily scan inside the running app: it runs at start-up, once per day across workers."""

from __future__ import annotations

import datetime as dt
import time

from sqlalchemy import func, select

from barnskydd.cases import service as cases
from barnskydd.core.clock import today
from barnskydd.core.db import make_engine, session_factory, transaction
from barnskydd.core.settings import Settings
from barnskydd.deviations.codes import DeviationKind
from barnskydd.deviations.models import Deviation, DeviationScanRun
from barnskydd.staff import service as staff
from barnskydd.web import deviation_job
from barnskydd.web.app import create_app
from barnskydd.workload.records import MeasurementEntry, MeasurementWeek, TimeCategory
from tests.factories import report_data
from tests.web.conftest import TestClient


def _missed_report(settings: Settings) -> None:
    """Register a report received a week ago whose protection assessment was never made."""
    engine = make_engine(settings.database_url)
    with transaction(session_factory(engine)) as session:
        worker = staff.actor_for(staff.get_by_username(session, username="handlaggare"))
        assert worker.unit_id is not None
        received = dt.datetime.now(dt.UTC) - dt.timedelta(days=7)
        cases.register_report(
            session, actor=worker, data=report_data(worker.unit_id, received_at=received)
        )
    engine.dispose()


def _counts(settings: Settings) -> tuple[int, int]:
    engine = make_engine(settings.database_url)
    with engine.connect() as conn:
        auto = conn.scalar(
            select(func.count()).select_from(Deviation).where(Deviation.kind == DeviationKind.AUTO)
        )
        runs = conn.scalar(select(func.count()).select_from(DeviationScanRun))
    engine.dispose()
    return auto or 0, runs or 0


def test_the_app_scans_at_start_up_and_another_worker_that_day_does_not(settings: Settings) -> None:
    _missed_report(settings)
    for _ in range(2):  # a second worker (or a restart) on the same day
        app = create_app(settings)
        deviation_job.install(app, every=3600)
        with TestClient(app) as client:
            client.get("/logga-in")
            for _ in range(100):  # the first wake-up runs at start-up, in a thread
                if _counts(settings)[1]:
                    break
                time.sleep(0.05)
    auto, runs = _counts(settings)
    assert runs == 1
    assert auto >= 1  # the protection assessment, and the preliminary one if day 14 passed
    engine = make_engine(settings.database_url)
    with engine.connect() as conn:
        assert conn.scalar(select(DeviationScanRun.as_of)) == today()
    engine.dispose()


def test_the_app_closes_an_expired_measurement_week_and_deletes_its_entries(
    settings: Settings,
) -> None:
    engine = make_engine(settings.database_url)
    factory = session_factory(engine)
    with transaction(factory) as session:
        worker = staff.get_by_username(session, username="handlaggare")
        assert worker.unit_id is not None
        monday = today() - dt.timedelta(days=14)
        week = MeasurementWeek(
            unit_id=worker.unit_id,
            starts_on=monday,
            ends_on=monday + dt.timedelta(days=6),
            opened_by="arbetsledare",
        )
        session.add(week)
        session.flush()
        session.add(
            MeasurementEntry(
                week_id=week.id, staff_id=worker.id, day=monday,
                category=TimeCategory.TRAVEL, minutes=45,
            )
        )  # fmt: skip
        week_id = week.id
    app = create_app(settings)
    deviation_job.install(app, every=3600)
    with TestClient(app) as client:
        client.get("/logga-in")
        for _ in range(100):  # the first wake-up runs at start-up, in a thread
            with engine.connect() as conn:
                closed = conn.scalar(
                    select(MeasurementWeek.closed_at).where(MeasurementWeek.id == week_id)
                )
            if closed is not None:
                break
            time.sleep(0.05)
    with engine.connect() as conn:
        assert (
            conn.scalar(select(MeasurementWeek.closed_at).where(MeasurementWeek.id == week_id))
            is not None
        )
        assert conn.scalar(select(func.count()).select_from(MeasurementEntry)) == 0
    engine.dispose()
