"""The lookup's domain rules as plain Python: status classes, what a child's entry says, expiry.

A municipality publishes at most one entry per child: the month of the latest report, one
status class summing up all the child's cases there, and whom to call. Nothing else leaves it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from barnskydd.cases.codes import CaseStatus

# Entries expire five years after the month of the latest report: the earliest day the
# reporting municipality's own file may be weeded (SoL 2025:400 16 kap. 1 § and 2 a § andra
# stycket; old SoL 2001:453 12 kap. 1 §), so the lookup never remembers a child longer than
# that file. Deliberately not longer for an investigated child, whose documents 16 kap. 2 a §
# keeps until 30: the lookup is a processing of its own with its own necessity test
# (docs/lookup.md, docs/retention.md; barnskydd.law.retention's `lookup_entry` class).
RETENTION_YEARS = 5
# Nobody is a child in care after 21 (LVU 1 §), so no entry outlives the 21st birthday.
MAX_AGE_YEARS = 21
# The index keeps its log of lookups and the notifications this long (see docs/lookup.md).
LOG_RETENTION_DAYS = 2 * 365
# The pseudonymiser's input: a versioned label and the normalised 12-character number.
INPUT_PREFIX = b"barnskydd-lookup-v1:"


class StatusClass(StrEnum):
    SCREENED_OUT = "screened_out"
    INVESTIGATION_ONGOING = "investigation_ongoing"
    INTERVENTIONS_ONGOING = "interventions_ongoing"
    CLOSED = "closed"


STATUS_CLASS_LABELS: dict[StatusClass, str] = {
    StatusClass.SCREENED_OUT: "Anmälan ledde inte till utredning",
    StatusClass.INVESTIGATION_ONGOING: "Pågående bedömning eller utredning",
    StatusClass.INTERVENTIONS_ONGOING: "Pågående insatser",
    StatusClass.CLOSED: "Utredning avslutad",
}

ONGOING_INTERVENTIONS = frozenset({CaseStatus.INTERVENTIONS, CaseStatus.FOLLOW_UP})
ONGOING_ASSESSMENT = frozenset(
    {
        CaseStatus.AWAITING_PROTECTION_ASSESSMENT,
        CaseStatus.PRELIMINARY_ASSESSMENT,
        CaseStatus.INVESTIGATION,
    }
)


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """What the lookup needs to know about one of a child's cases."""

    status: CaseStatus
    received_on: dt.date
    investigated: bool
    unit_name: str
    # In follow-up after an investigation without an intervention (23 kap. 1 § SoL): no
    # intervention runs, so it counts as an investigation ended.
    followed_up_without_intervention: bool = False


@dataclass(frozen=True, slots=True)
class EntryState:
    """The entry a municipality should hold in the index for one child."""

    status_class: StatusClass
    latest_report_month: str
    contact_unit: str
    expires_on: dt.date


def status_class(cases: Iterable[CaseFacts]) -> StatusClass:
    """Sum up a child's cases: ongoing interventions over ongoing handling over the past."""
    facts = list(cases)
    if any(
        c.status in ONGOING_INTERVENTIONS and not c.followed_up_without_intervention for c in facts
    ):
        return StatusClass.INTERVENTIONS_ONGOING
    if any(c.status in ONGOING_ASSESSMENT for c in facts):
        return StatusClass.INVESTIGATION_ONGOING
    if any(c.investigated for c in facts):
        return StatusClass.CLOSED
    return StatusClass.SCREENED_OUT


def month_of(day: dt.date) -> str:
    """Return the month as 'YYYY-MM'."""
    return f"{day.year:04d}-{day.month:02d}"


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year + years, day=28)


def expires_on(latest_report: dt.date, birth_date: dt.date) -> dt.date:
    """Return the last day the entry may be kept: report month + 5 years, at most age 21."""
    by_report = _years_after(latest_report.replace(day=1), RETENTION_YEARS)
    return min(by_report, _years_after(birth_date, MAX_AGE_YEARS))


def entry_state(
    cases: Iterable[CaseFacts], *, birth_date: dt.date, contact: str = ""
) -> EntryState:
    """Return the entry for a child from its cases in this municipality."""
    facts = sorted(cases, key=lambda c: c.received_on)
    if not facts:
        raise ValueError("a child without cases has no entry")
    latest = facts[-1]
    unit = latest.unit_name if not contact else f"{latest.unit_name}, {contact}"
    return EntryState(
        status_class=status_class(facts),
        latest_report_month=month_of(latest.received_on),
        contact_unit=unit[:200],
        expires_on=expires_on(latest.received_on, birth_date),
    )


def oprf_input(identity_number: str) -> bytes:
    """Return the pseudonymiser's input for a normalised identity number."""
    return INPUT_PREFIX + identity_number.encode("ascii")
