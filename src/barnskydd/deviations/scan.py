"""The automatic scan: one `auto` deviation "to assess" per missed legal deadline occurrence.

It reads cases.missed.missed, which yields every missed occurrence of every rule the rule
sets hold (rule, case, the intervention it binds to, and the last day), so a rule added
there is scanned without a change here, and a placement that misses two review periods
gives two deviations. A deadline with a recorded extension is missed only once its
extended last day has passed. Nothing is sent anywhere: a person decides whether it is a
missförhållande.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from barnskydd.cases import missed as case_deadlines
from barnskydd.core.db import transaction, utcnow
from barnskydd.deviations.codes import DeviationKind, DeviationStatus, rule_label
from barnskydd.deviations.models import Deviation, DeviationScanRun

_BATCH = 1000


@dataclass(frozen=True, slots=True)
class ScanResult:
    """What one scan did: deviations created, and automatic ones still open afterwards."""

    created: int
    open_auto: int

    def to_dict(self) -> dict[str, int]:
        """Return the result as the CLI prints it."""
        return {"created": self.created, "open_auto": self.open_auto}


def auto_key(case_id: int, rule: str, due: dt.date, intervention_id: int | None = None) -> str:
    """Return the key that makes one missed occurrence one deviation, however often scanned.

    Case, rule and last day; an intervention's rule (a placement's review) adds the
    intervention, so two placements reviewed late on the same day are two occurrences.
    """
    key = f"{case_id}:{rule}:{due.isoformat()}"
    return key if intervention_id is None else f"{key}:{intervention_id}"


def scan(session: Session, *, as_of: dt.date) -> ScanResult:
    """Create the automatic deviations for every deadline missed by `as_of` (idempotent).

    One transaction, the caller's (the CLI's); flushed every _BATCH rows.
    """
    created = 0
    pending: list[Deviation] = []
    for deviation in _new(session, as_of):
        pending.append(deviation)
        if len(pending) >= _BATCH:
            created += _flush(session, pending)
    created += _flush(session, pending)
    return ScanResult(created=created, open_auto=open_auto(session))


def _new(session: Session, as_of: dt.date) -> Iterator[Deviation]:
    """Yield a new (not yet added) deviation for each missed occurrence that has none."""
    known = set(session.scalars(select(Deviation.auto_key).where(Deviation.auto_key.is_not(None))))
    now = utcnow()
    for missed in case_deadlines.missed(session, as_of=as_of):
        key = auto_key(missed.case_id, missed.rule, missed.due, missed.intervention_id)
        if key in known:
            continue
        known.add(key)
        yield Deviation(
            kind=DeviationKind.AUTO,
            status=DeviationStatus.TO_ASSESS,
            unit_id=missed.unit_id,
            case_id=missed.case_id,
            reported_at=now,
            occurred_on=missed.due + dt.timedelta(days=1),
            what_happened=f"{rule_label(missed.rule)}: sista dag var {missed.due.isoformat()}.",
            rule=missed.rule,
            due=missed.due,
            auto_key=key,
        )


def _flush(session: Session, pending: list[Deviation]) -> int:
    count = len(pending)
    session.add_all(pending)
    session.flush()
    pending.clear()
    return count


def open_auto(session: Session) -> int:
    """Count automatic deviations not yet closed."""
    return (
        session.scalar(
            select(func.count())
            .select_from(Deviation)
            .where(Deviation.kind == DeviationKind.AUTO, Deviation.status != DeviationStatus.CLOSED)
        )
        or 0
    )


def run_daily(session: Session, *, as_of: dt.date) -> ScanResult | None:
    """Run the day's scan once across every worker: None when another has run it already.

    The day's DeviationScanRun row is the claim: the first worker to insert it scans in the
    same transaction; a second one fails on the primary key (PostgreSQL waits for the
    first's commit, SQLite for its write lock) and does nothing.
    """
    if session.get(DeviationScanRun, as_of) is not None:
        return None
    run = DeviationScanRun(as_of=as_of, ran_at=utcnow(), created=0)
    try:
        with session.begin_nested():
            session.add(run)
            session.flush()
    except IntegrityError:
        return None
    result = scan(session, as_of=as_of)
    run.created = result.created
    session.flush()
    return result


def run_daily_in_batches(
    factory: sessionmaker[Session], *, as_of: dt.date, batch: int = _BATCH
) -> ScanResult | None:
    """Run the day's scan once across every worker, committing every `batch` deviations.

    The app's daily job: a whole day's deviations in one transaction would hold SQLite's
    write lock (every request that writes waits) for as long as the scan takes. Here the
    day's DeviationScanRun row is claimed and committed first (a second worker fails on its
    primary key and does nothing); the missed occurrences are read with no write; then each
    batch is written and committed in a short transaction of its own. Should a batch fail
    (the CLI's scan wrote the same occurrence meanwhile, the database went away), the
    batches already committed stay, the claim is removed and the error raised: the next
    wake-up scans again and, the keys being unique, creates only what is still missing.
    """
    with transaction(factory) as session:
        if session.get(DeviationScanRun, as_of) is not None:
            return None
        try:
            with session.begin_nested():
                session.add(DeviationScanRun(as_of=as_of, ran_at=utcnow(), created=0))
                session.flush()
        except IntegrityError:
            return None
    try:
        with transaction(factory) as session:
            pending = list(_new(session, as_of))
        created = 0
        for start in range(0, len(pending), batch):
            created += _commit_batch(factory, pending[start : start + batch])
        with transaction(factory) as session:
            run = session.get(DeviationScanRun, as_of)
            if run is not None:
                run.created = created
            return ScanResult(created=created, open_auto=open_auto(session))
    except BaseException:
        with transaction(factory) as session:
            session.execute(delete(DeviationScanRun).where(DeviationScanRun.as_of == as_of))
        raise


def _commit_batch(factory: sessionmaker[Session], rows: list[Deviation]) -> int:
    """Write one batch of new deviations in a transaction of its own."""
    with transaction(factory) as session:
        session.add_all(rows)
    return len(rows)
