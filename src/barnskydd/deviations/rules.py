"""Pure rules of deviations: who owns one, which moves are allowed, what may close."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from barnskydd.core.actor import Actor, Role
from barnskydd.deviations.codes import SERIOUS, Assessment, DeviationKind, DeviationStatus


@dataclass(frozen=True, slots=True)
class Source:
    """A duty of the Lex Sarah path or the 34 kap. report, with its paragraph.

    `confirmed`: read in the statute text (SFS 2025:400 as consolidated with SFS 2025:1501,
    the se-lex/sfs-processor copy of the official text), not only in the research notes.
    "genast" and "snarast" set no number of days: no automatic deviation is made from them.
    """

    reference: str
    confirmed: bool
    says: str


REPORT_AT_ONCE = Source(
    "27 kap. 2 § socialtjänstlagen (2025:400)",
    True,
    "Den som fullgör uppgifter inom socialtjänsten ska genast rapportera om han eller hon "
    "uppmärksammar eller får kännedom om ett missförhållande eller en påtaglig risk för ett "
    "missförhållande; i en kommun till den berörda socialnämnden.",
)
INVESTIGATE_AT_ONCE = Source(
    "27 kap. 5 § socialtjänstlagen (2025:400)",
    True,
    "Ett missförhållande eller en påtaglig risk för ett missförhållande ska genast "
    "dokumenteras och utredas samt avhjälpas eller undanröjas.",
)
REPORT_TO_IVO = Source(
    "27 kap. 6 § socialtjänstlagen (2025:400)",
    True,
    "Ett allvarligt missförhållande eller en påtaglig risk för ett allvarligt missförhållande "
    "ska snarast anmälas till IVO, med utredningen bifogad; anmälan görs av socialnämnden.",
)
REPORT_NOT_EXECUTED = Source(
    "34 kap. 1 § socialtjänstlagen (2025:400)",
    True,
    "Ett gynnande beslut enligt 11 kap. 1 § eller 12 kap. 1 § som inte har verkställts inom "
    "tre månader från dagen för beslutet rapporteras till IVO och revisorerna, med tidpunkten "
    "för beslutet, typen av insats och kortfattat skälen för fördröjningen; en gång per kvartal.",
)
REPORT_EXECUTED = Source(
    "34 kap. 2 § socialtjänstlagen (2025:400)",
    True,
    "När ett rapporterat beslut har verkställts anmäls det till IVO och revisorerna, med "
    "datum för verkställigheten.",
)

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
    """Tell whether an assessment must be reported to IVO (REPORT_TO_IVO, 27 kap. 6 §)."""
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
