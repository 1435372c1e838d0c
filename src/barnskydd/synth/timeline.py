"""When each step of a synthetic case happens (pure functions of the random stream and dates)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from barnskydd.core.clock import SWEDEN
from barnskydd.law.calendar import add_months
from barnskydd.synth import calibration as cal


def _days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


class CaseTimeline:
    """The first two steps of a case: the protection assessment and the preliminary decision."""

    def __init__(self, rng: random.Random, received_at: dt.datetime) -> None:
        draw = rng.random()
        hours = 0.0
        for share, low, high in cal.PROTECTION_DELAY_HOURS:
            if draw < share:
                hours = rng.uniform(low, high)
                break
            draw -= share
        self.protection_at = received_at + dt.timedelta(hours=hours)
        received_on = received_at.astimezone(SWEDEN).date()
        if rng.random() < cal.PRELIMINARY_ON_TIME_SHARE:
            # Mostly in the second week: a triangular draw over 1-14 days with its mode at 10.
            days = round(rng.triangular(1, 14, 10))
        else:
            days = rng.randint(*cal.PRELIMINARY_LATE_DAYS)
        protection_on = self.protection_at.astimezone(SWEDEN).date()
        self.preliminary_on = max(received_on + _days(days), protection_on)


@dataclass(frozen=True, slots=True)
class Extension:
    """A planned extension decision for särskilda skäl."""

    decided_on: dt.date
    new_due: dt.date


@dataclass(frozen=True, slots=True)
class Investigation:
    """The planned course of an investigation."""

    started_on: dt.date
    due: dt.date
    first_note_on: dt.date
    completed_on: dt.date
    extension: Extension | None


def plan_investigation(rng: random.Random, started_on: dt.date, due: dt.date) -> Investigation:
    """Plan an investigation: mostly done within four months, some extended, some late."""
    draw = rng.random()
    extension = None
    if draw < cal.INVESTIGATION_EXTENDED_SHARE:
        decided_on = max(started_on, due - _days(rng.randint(2, 14)))
        new_due = add_months(due, rng.randint(*cal.EXTENSION_MONTHS))
        extension = Extension(decided_on=decided_on, new_due=new_due)
        if rng.random() < 0.8:
            completed_on = decided_on + _days(rng.randint(1, (new_due - decided_on).days))
        else:
            completed_on = new_due + _days(rng.randint(1, 30))
    elif draw < cal.INVESTIGATION_EXTENDED_SHARE + cal.INVESTIGATION_LATE_SHARE:
        completed_on = due + _days(rng.randint(1, 45))
    else:
        low, high, mode = cal.INVESTIGATION_ON_TIME_DAYS
        completed_on = min(due, started_on + _days(round(rng.triangular(low, high, mode))))
    first_note_on = min(completed_on, started_on + _days(rng.randint(7, 40)))
    return Investigation(
        started_on=started_on,
        due=due,
        first_note_on=first_note_on,
        completed_on=completed_on,
        extension=extension,
    )
