"""Pure rules of competence: experience on a day, who qualifies for a reserved step, no database.

Experience is kept as periods of work with child investigations. On a day, the days worked
(the open period up to that day, earlier periods whole) are laid end to end back from that
day: the worker has "at least N years" when that equivalent start lies N calendar years or
more before the day, so one unbroken period counts exactly by the calendar and 2.99 years is
under 3.

A reserved step (reserved_steps.toml) needs a qualifying degree (25 kap. 1 § första stycket);
a co-signer does not stand in for the degree, since the paragraph names who may do the task.
A worker not yet signed off as independent (an introduction without `independent_from`
reached) needs a named co-signer who is qualified and independent (andra stycket: the nämnd
answers for sufficient experience of whoever does the task independently).
"""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources

from barnskydd.staff.competence.codes import QUALIFYING, Degree, Shortfall


@dataclass(frozen=True, slots=True)
class Period:
    """A period of work with child investigations (end None: still going)."""

    start_on: dt.date
    end_on: dt.date | None = None


def add_years(day: dt.date, years: int) -> dt.date:
    """Return the same day `years` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def days_worked(periods: Iterable[Period], on: dt.date) -> int:
    """Return the days of child investigation work before `on` (the day itself not counted)."""
    total = 0
    for period in periods:
        end = on if period.end_on is None else min(period.end_on + dt.timedelta(days=1), on)
        if end > period.start_on:
            total += (end - period.start_on).days
    return total


def equivalent_start(periods: Iterable[Period], on: dt.date) -> dt.date | None:
    """Return the start of one unbroken period as long as all of them, ending on `on`."""
    worked = days_worked(periods, on)
    return on - dt.timedelta(days=worked) if worked else None


def years_of(periods: Sequence[Period], on: dt.date) -> float:
    """Return the years of experience on a day, for display (days / 365.25, one decimal)."""
    return round(days_worked(periods, on) / 365.25, 1)


def at_least(periods: Sequence[Period], on: dt.date, years: int) -> bool:
    """Return whether the experience on `on` is at least `years` calendar years."""
    start = equivalent_start(periods, on)
    return start is not None and add_years(start, years) <= on


def more_than(periods: Sequence[Period], on: dt.date, years: int) -> bool:
    """Return whether the experience on `on` is more than `years` calendar years."""
    start = equivalent_start(periods, on)
    return start is not None and add_years(start, years) < on


def under(periods: Sequence[Period], on: dt.date, years: int) -> bool:
    """Return whether the experience on `on` is under `years` calendar years."""
    return not at_least(periods, on, years)


@dataclass(frozen=True, slots=True)
class Task:
    """One of the tasks 25 kap. 1 § första stycket lists, and the steps that do it."""

    point: int
    text: str
    steps: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Reserved:
    """The reserved steps and the paragraph, as reserved_steps.toml holds them."""

    reference: str
    confirmed: bool
    degree_reference: str
    experience_reference: str
    tasks: tuple[Task, ...]

    def task_of(self, step: str) -> Task | None:
        """Return the task a step does, or None when the step is not reserved."""
        return next((t for t in self.tasks if step in t.steps), None)

    @property
    def steps(self) -> tuple[str, ...]:
        """Every reserved step, in the order of the tasks."""
        return tuple(s for t in self.tasks for s in t.steps)


@functools.cache
def reserved() -> Reserved:
    """Load the reserved steps."""
    text = resources.files("barnskydd.staff.competence").joinpath("reserved_steps.toml")
    raw = tomllib.loads(text.read_text(encoding="utf-8"))
    return Reserved(
        reference=raw["reference"],
        confirmed=raw["confirmed"],
        degree_reference=raw["degree"]["reference"],
        experience_reference=raw["experience"]["reference"],
        tasks=tuple(Task(t["point"], t["text"], tuple(t["steps"])) for t in raw["tasks"]),
    )


@dataclass(frozen=True, slots=True)
class Standing:
    """A worker's competence as the chain's check sees it, on the day of the step."""

    username: str
    degree: Degree | None  # None: not recorded
    independent: bool
    co_signers: frozenset[str] = frozenset()  # who may co-sign: qualified and independent

    @property
    def qualified(self) -> bool:
        """Whether the degree qualifies for the reserved steps."""
        return self.degree in QUALIFYING


@dataclass(frozen=True, slots=True)
class Judgement:
    """Why a reserved step by this worker falls short, with the paragraph and the message."""

    shortfall: Shortfall
    reference: str
    message: str


def independent(*, introduction: bool, independent_from: dt.date | None, on: dt.date) -> bool:
    """Whether a worker works independently on a day: signed off, or never in introduction."""
    if independent_from is not None:
        return independent_from <= on
    return not introduction


def judge(standing: Standing, step: str, verb: str, co_signed_by: str | None) -> Judgement | None:
    """Return what falls short when this worker takes the step, or None when nothing does."""
    rules = reserved()
    task = rules.task_of(step)
    if task is None:
        return None
    who = standing.username
    if standing.degree is None or not standing.qualified:
        shortfall = Shortfall.NOT_RECORDED if standing.degree is None else Shortfall.NO_DEGREE
        start = (
            f"Kompetensen för {who} är inte registrerad"
            if standing.degree is None
            else f"{who} saknar examen som ger behörighet"
        )
        return Judgement(
            shortfall,
            rules.degree_reference,
            f"{start}: att {verb} ({task.text}) kräver socionomexamen eller annan relevant "
            f"examen enligt {rules.degree_reference}.",
        )
    if co_signed_by is not None and (
        co_signed_by == who or co_signed_by not in standing.co_signers
    ):
        return Judgement(
            Shortfall.CO_SIGNER_NOT_ALLOWED,
            rules.experience_reference,
            f"{co_signed_by} kan inte medunderteckna för {who}: medundertecknaren ska vara "
            f"behörig, arbeta självständigt och vara utsedd för {who} (mentor, arbetsledare "
            f"på enheten eller namngiven medundertecknare), {rules.experience_reference}.",
        )
    if not standing.independent and co_signed_by is None:
        return Judgement(
            Shortfall.NEEDS_CO_SIGNER,
            rules.experience_reference,
            f"{who} är ännu inte attesterad för att arbeta självständigt: att {verb} kräver "
            f"en medundertecknare ({rules.experience_reference}).",
        )
    return None


@dataclass(frozen=True, slots=True)
class Span:
    """A period of employment in a role (start None: before the records began)."""

    start_on: dt.date | None
    end_on: dt.date | None = None

    def covers(self, on: dt.date) -> bool:
        """Whether the day falls in the span (both ends included)."""
        return (self.start_on is None or self.start_on <= on) and (
            self.end_on is None or on <= self.end_on
        )


def counted(employment: Sequence[Span], experience: Sequence[Period], on: dt.date) -> bool:
    """Whether a worker belongs to the Öppna jämförelser population on the reference date.

    Employed as a case worker on the day (one of `employment`, the case worker spans, covers
    it), and working with child investigations then: a period of experience covers the day,
    or no experience is recorded at all (the worker is counted, with none).
    """
    if not any(span.covers(on) for span in employment):
        return False
    return not experience or any(
        p.start_on <= on and (p.end_on is None or on <= p.end_on) for p in experience
    )


def degree_held(degree: Degree | None, degree_on: dt.date | None, on: dt.date) -> Degree | None:
    """Return the degree held on a day: none before the day it was awarded (None: not recorded).

    A degree without a date is taken as held on every day.
    """
    if degree is None or degree is Degree.NONE or degree_on is None or degree_on <= on:
        return degree
    return Degree.NONE


@dataclass(frozen=True, slots=True)
class Worker:
    """One worker of the Öppna jämförelser population, without name."""

    degree: Degree | None
    periods: tuple[Period, ...]
    supervision_minutes_per_week: int | None = None
    degree_on: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Indicators:
    """The Öppna jämförelser competence indicators on a reference date."""

    on: dt.date
    headcount: int
    qualified: int
    socionom: int
    socionom_3_years: int
    socionom_over_5_years: int
    socionom_under_1_year: int
    not_recorded: int
    supervision_reported: int
    supervision_mean_hours: float | None
    supervision_min_hours: float | None
    supervision_max_hours: float | None

    def share(self, count: int) -> float | None:
        """Return a count's share of the headcount (None when nobody is counted)."""
        return round(count / self.headcount, 3) if self.headcount else None


def indicators(workers: Sequence[Worker], on: dt.date) -> Indicators:
    """Return the indicators of the workers on the reference date (the degree held then, the
    experience counted up to it)."""
    held = [degree_held(w.degree, w.degree_on, on) for w in workers]
    socionomer = [w for w, d in zip(workers, held, strict=True) if d is Degree.SOCIONOM]
    hours = [
        w.supervision_minutes_per_week / 60
        for w in workers
        if w.supervision_minutes_per_week is not None
    ]
    return Indicators(
        on=on,
        headcount=len(workers),
        qualified=sum(1 for d in held if d in QUALIFYING),
        socionom=len(socionomer),
        socionom_3_years=sum(1 for w in socionomer if at_least(w.periods, on, 3)),
        socionom_over_5_years=sum(1 for w in socionomer if more_than(w.periods, on, 5)),
        socionom_under_1_year=sum(1 for w in socionomer if under(w.periods, on, 1)),
        not_recorded=sum(1 for d in held if d is None),
        supervision_reported=len(hours),
        supervision_mean_hours=round(sum(hours) / len(hours), 1) if hours else None,
        supervision_min_hours=round(min(hours), 1) if hours else None,
        supervision_max_hours=round(max(hours), 1) if hours else None,
    )
