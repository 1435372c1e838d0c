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
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from barnskydd.cases import missed as case_deadlines
from barnskydd.core.db import utcnow
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
    """Create the automatic deviations for every deadline missed by `as_of` (idempotent)."""
    known = set(session.scalars(select(Deviation.auto_key).where(Deviation.auto_key.is_not(None))))
    created = 0
    now = utcnow()
    pending: list[Deviation] = []
    for missed in case_deadlines.missed(session, as_of=as_of):
        key = auto_key(missed.case_id, missed.rule, missed.due, missed.intervention_id)
        if key in known:
            continue
        known.add(key)
        pending.append(
            Deviation(
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
        )
        if len(pending) >= _BATCH:
            created += _flush(session, pending)
    created += _flush(session, pending)
    return ScanResult(created=created, open_auto=open_auto(session))


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
