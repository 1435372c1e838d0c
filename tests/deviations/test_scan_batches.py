"""The app's daily scan commits in batches: the day claimed once, a failed batch retried."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from barnskydd.core.clock import SWEDEN
from barnskydd.core.db import make_engine, session_factory, transaction
from barnskydd.deviations import scan
from barnskydd.deviations.models import Deviation, DeviationScanRun
from tests.factories import registered_case, unit_and_worker

AS_OF = dt.date(2026, 3, 3)  # the day after: five protection assessments missed on 2 March
CASES = 5


@pytest.fixture
def factory(database_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(database_url)
    made = session_factory(engine)
    with transaction(made) as session:
        unit_id, worker = unit_and_worker(session)
        for _ in range(CASES):
            received = dt.datetime(2026, 3, 2, 9, 0, tzinfo=SWEDEN)
            registered_case(session, unit_id, worker, received_at=received)
    yield made
    engine.dispose()


def _counts(factory: sessionmaker[Session]) -> tuple[int, int]:
    with transaction(factory) as session:
        deviations = session.scalar(select(func.count()).select_from(Deviation)) or 0
        runs = session.scalar(select(func.count()).select_from(DeviationScanRun)) or 0
    return deviations, runs


def test_the_daily_scan_in_batches_creates_each_once_and_the_day_is_claimed_once(
    factory: sessionmaker[Session],
) -> None:
    first = scan.run_daily_in_batches(factory, as_of=AS_OF, batch=2)
    assert first == scan.ScanResult(created=CASES, open_auto=CASES)
    assert scan.run_daily_in_batches(factory, as_of=AS_OF, batch=2) is None  # another worker
    assert _counts(factory) == (CASES, 1)
    with transaction(factory) as session:
        run = session.get(DeviationScanRun, AS_OF)
        assert run is not None
        assert run.created == CASES
    # The next day's run finds the same occurrences already there.
    later = scan.run_daily_in_batches(factory, as_of=AS_OF + dt.timedelta(days=1), batch=2)
    assert later == scan.ScanResult(created=0, open_auto=CASES)


def test_a_failed_batch_keeps_the_committed_ones_and_a_retry_creates_only_the_rest(
    factory: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = scan._commit_batch
    calls: list[int] = []

    def fail_second(made: sessionmaker[Session], rows: list[Deviation]) -> int:
        calls.append(len(rows))
        if len(calls) == 2:
            raise ConnectionError("the database went away")
        return real(made, rows)

    monkeypatch.setattr(scan, "_commit_batch", fail_second)
    with pytest.raises(ConnectionError):
        scan.run_daily_in_batches(factory, as_of=AS_OF, batch=2)
    assert _counts(factory) == (2, 0)  # the first batch committed; the day's claim removed
    monkeypatch.setattr(scan, "_commit_batch", real)
    retry = scan.run_daily_in_batches(factory, as_of=AS_OF, batch=2)
    assert retry == scan.ScanResult(created=CASES - 2, open_auto=CASES)
    assert _counts(factory) == (CASES, 1)
    with transaction(factory) as session:
        keys = list(session.scalars(select(Deviation.auto_key)))
    assert len(keys) == len(set(keys)) == CASES
