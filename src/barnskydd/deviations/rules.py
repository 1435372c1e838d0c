"""Pure rules of deviations: who owns one, which moves are allowed, what may close."""

from __future__ import annotations

import datetime as dt

from barnskydd.core.actor import Actor, Role
from barnskydd.deviations.codes import SERIOUS, Assessment, DeviationKind, DeviationStatus

# (from, to): the allowed moves of a deviation's status.
MOVES = frozenset(
    {
        (DeviationStatus.TO_ASSESS, DeviationStatus.ASSESSED),
        (DeviationStatus.TO_ASSESS, DeviationStatus.INVESTIGATING),
        (DeviationStatus.INVESTIGATING, DeviationStatus.ASSESSED),
        (DeviationStatus.ASSESSED, DeviationStatus.CLOSED),
    }
)
MUNICIPALITY_ROLES = frozenset({Role.LEX_SARAH, Role.ADMIN})
RECURRENCE_DAYS = 90


def may_move(current: DeviationStatus, target: DeviationStatus) -> bool:
    """Tell whether a deviation may go from one status to another."""
    return (current, target) in MOVES


def owns(actor: Actor, unit_id: int) -> bool:
    """Tell whether the actor owns a unit's deviations: its team lead, or a municipality role."""
    if actor.role in MUNICIPALITY_ROLES:
        return True
    return actor.role is Role.TEAM_LEAD and actor.unit_id == unit_id


def investigates(actor: Actor) -> bool:
    """Tell whether the actor runs Lex Sarah investigations and reports to IVO."""
    return actor.role in MUNICIPALITY_ROLES


def needs_ivo(assessment: Assessment | None) -> bool:
    """Tell whether an assessment must be reported to IVO (27 kap. 6 § SoL)."""
    return assessment in SERIOUS


def may_close(assessment: Assessment | None, ivo_sent_at: dt.datetime | None) -> bool:
    """Tell whether a deviation may close: a serious one only once its IVO report was sent."""
    return not needs_ivo(assessment) or ivo_sent_at is not None


def needs_immediate_measures(kind: DeviationKind) -> bool:
    """Tell whether the report must say what was done at once (a Lex Sarah report must)."""
    return kind is DeviationKind.LEX_SARAH_REPORT


def days_between(start: dt.datetime, end: dt.datetime | None) -> int | None:
    """Return the whole days from start to end, or None while end is not there."""
    return None if end is None else (end - start).days
