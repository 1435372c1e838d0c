"""The weighted caseload as pure functions: a case's open items on a day, and their points.

Nothing here reads the database. `items_on` turns the dated facts of one case (what the chain
recorded: report, assessments, investigation, interventions, closing) into the items open on a
day; `score` weighs a worker's items with the model, the experience factor and the norm.
The service (`workload.service`) reads the facts; the tests compute tables by hand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from barnskydd.cases.codes import InterventionCategory
from barnskydd.workload.model import Model


class ItemKind(StrEnum):
    PROTECTION_ASSESSMENT = "protection_assessment"
    PRELIMINARY_ASSESSMENT = "preliminary_assessment"
    INVESTIGATION = "investigation"
    INTERVENTION = "intervention"
    FOLLOW_UP = "follow_up"


class Uplift(StrEnum):
    LVU = "lvu"
    HONOUR_RELATED = "honour_related"
    PROTECTED_IDENTITY = "protected_identity"
    INTERPRETER = "interpreter"
    SIBLINGS = "siblings"


class Band(StrEnum):
    NEW = "new"
    FAMILIAR = "familiar"
    EXPERIENCED = "experienced"


KIND_LABELS = {
    ItemKind.PROTECTION_ASSESSMENT: "Skyddsbedömning",
    ItemKind.PRELIMINARY_ASSESSMENT: "Förhandsbedömning",
    ItemKind.INVESTIGATION: "Utredning",
    ItemKind.INTERVENTION: "Insats",
    ItemKind.FOLLOW_UP: "Uppföljning",
}
BAND_LABELS = {Band.NEW: "Ny", Band.FAMILIAR: "Van", Band.EXPERIENCED: "Erfaren"}


@dataclass(frozen=True, slots=True)
class Item:
    """One open item of a case on a day: a phase, or one ongoing intervention."""

    case_id: int
    kind: ItemKind
    category: InterventionCategory | None = None
    uplifts: frozenset[Uplift] = frozenset()


@dataclass(frozen=True, slots=True)
class InterventionFacts:
    category: InterventionCategory
    lvu: bool
    decided_on: dt.date
    ended_on: dt.date | None


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """What the chain recorded about one case, as dates (read once, evaluated on many days)."""

    case_id: int
    assigned_to_id: int | None
    received_on: dt.date
    closed_on: dt.date | None
    protection_on: dt.date | None
    preliminary_on: dt.date | None
    investigation_from: dt.date | None
    investigation_to: dt.date | None
    interventions: tuple[InterventionFacts, ...] = ()
    honour_related: bool = False
    protected_identity: bool = False
    interpreter: bool = False
    siblings: bool = False
    protection_due: dt.date | None = None
    preliminary_dues: tuple[tuple[dt.date, dt.date], ...] = ()
    investigation_dues: tuple[tuple[dt.date, dt.date], ...] = ()


def _within(start: dt.date | None, end: dt.date | None, day: dt.date) -> bool:
    """Return whether `day` lies in [start, end): begun by that day and not yet ended."""
    return start is not None and start <= day and (end is None or end > day)


def items_on(facts: CaseFacts, day: dt.date) -> list[Item]:
    """Return the case's open items on `day` (none before its report or from its closing)."""
    if not _within(facts.received_on, facts.closed_on, day):
        return []
    items: list[Item] = []

    def done(on: dt.date | None) -> bool:
        return on is not None and on <= day

    if not done(facts.preliminary_on):
        kind = (
            ItemKind.PRELIMINARY_ASSESSMENT
            if done(facts.protection_on)
            else ItemKind.PROTECTION_ASSESSMENT
        )
        items.append(Item(facts.case_id, kind))
    if _within(facts.investigation_from, facts.investigation_to, day):
        items.append(Item(facts.case_id, ItemKind.INVESTIGATION, uplifts=_uplifts(facts, day)))
    decided = [x for x in facts.interventions if x.decided_on <= day]
    running = [x for x in decided if _within(x.decided_on, x.ended_on, day)]
    items += [Item(facts.case_id, ItemKind.INTERVENTION, category=x.category) for x in running]
    if decided and not running and done(facts.investigation_to):
        items.append(Item(facts.case_id, ItemKind.FOLLOW_UP))
    return items


def _uplifts(facts: CaseFacts, day: dt.date) -> frozenset[Uplift]:
    found = {
        Uplift.LVU: any(x.lvu and x.decided_on <= day for x in facts.interventions),
        Uplift.HONOUR_RELATED: facts.honour_related,
        Uplift.PROTECTED_IDENTITY: facts.protected_identity,
        Uplift.INTERPRETER: facts.interpreter,
        Uplift.SIBLINGS: facts.siblings,
    }
    return frozenset(u for u, present in found.items() if present)


def item_points(item: Item, model: Model) -> int:
    """Return the unweighted points of one item under the model."""
    if item.kind is ItemKind.INTERVENTION:
        assert item.category is not None
        return model.intervention_points(item.category)
    base: int = getattr(model.phases, item.kind.value)
    uplifts: list[int] = [getattr(model.uplifts, u.value) for u in item.uplifts]
    return base + sum(uplifts)


def band(years_experience: int, model: Model) -> Band:
    """Return the experience band ("ny, van, erfaren") of a worker's years in the work."""
    if years_experience >= model.experience.experienced_from_years:
        return Band.EXPERIENCED
    if years_experience >= model.experience.familiar_from_years:
        return Band.FAMILIAR
    return Band.NEW


def factor(b: Band, model: Model) -> float:
    """Return the experience factor the raw points are multiplied by."""
    value: float = getattr(model.experience, b.value)
    return value


@dataclass(frozen=True, slots=True)
class Score:
    """A worker's weighted caseload on a day against their norm."""

    raw: int
    band: Band
    factor: float
    points: float
    norm: float
    by_kind: dict[ItemKind, int] = field(default_factory=dict)

    @property
    def above_norm(self) -> bool:
        """Return whether the points exceed the norm."""
        return self.points > self.norm

    @property
    def percent(self) -> int:
        """Return the points as a whole percentage of the norm."""
        return round(100 * self.points / self.norm) if self.norm else 0


def _tenths(value: Decimal) -> float:
    """Round to one decimal, halves up, as a person computing by hand would."""
    return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def score(
    items: Iterable[Item], *, years_experience: int, employment_rate: int, model: Model
) -> Score:
    """Weigh a worker's items: raw points x experience factor, against norm x employment rate."""
    raw = 0
    by_kind: dict[ItemKind, int] = {}
    for item in items:
        value = item_points(item, model)
        raw += value
        by_kind[item.kind] = by_kind.get(item.kind, 0) + value
    b = band(years_experience, model)
    f = factor(b, model)
    return Score(
        raw=raw,
        band=b,
        factor=f,
        points=_tenths(Decimal(raw) * Decimal(str(f))),
        norm=_tenths(Decimal(model.model.norm) * employment_rate / 100),
        by_kind=by_kind,
    )


def _in_force(dues: tuple[tuple[dt.date, dt.date], ...], day: dt.date) -> dt.date | None:
    """Return the last day in force on `day`: the latest extension decided by then."""
    found = None
    for since, due in dues:
        if since <= day:
            found = due
    return found


def first_deadlines_on(facts: CaseFacts, day: dt.date) -> list[dt.date]:
    """Return the due dates of the case's first three steps still open on `day`.

    Protection and preliminary assessment, and the investigation: the deadlines the chain
    records with their dates, so the same count can be made for any earlier day.
    """
    if not _within(facts.received_on, facts.closed_on, day):
        return []
    dues: list[dt.date] = []

    def done(on: dt.date | None) -> bool:
        return on is not None and on <= day

    if not done(facts.protection_on) and not done(facts.preliminary_on):
        if facts.protection_due is not None:
            dues.append(facts.protection_due)
    elif not done(facts.preliminary_on):
        due = _in_force(facts.preliminary_dues, day)
        if due is not None:
            dues.append(due)
    if _within(facts.investigation_from, facts.investigation_to, day):
        due = _in_force(facts.investigation_dues, day)
        if due is not None:
            dues.append(due)
    return dues


def deadline_risk(facts: Iterable[CaseFacts], day: dt.date, *, soon_days: int) -> int:
    """Return how many first-three steps open on `day` are overdue or due within `soon_days`."""
    return sum(
        1 for f in facts for due in first_deadlines_on(f, day) if (due - day).days <= soon_days
    )
