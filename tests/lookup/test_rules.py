"""What a child's entry says, from its cases: status class, month, contact and expiry."""

from __future__ import annotations

import datetime as dt

import pytest

from barnskydd.cases.codes import CaseStatus
from barnskydd.lookup.rules import CaseFacts, StatusClass, entry_state, expires_on, status_class

S = CaseStatus


def facts(status: CaseStatus, *, investigated: bool = False, on: str = "2026-03-10") -> CaseFacts:
    """Return one case's facts."""
    return CaseFacts(status, dt.date.fromisoformat(on), investigated, "Barn och unga Centrum")


@pytest.mark.parametrize(
    ("cases", "expected"),
    [
        ([facts(S.CLOSED)], StatusClass.SCREENED_OUT),
        ([facts(S.CLOSED, investigated=True)], StatusClass.CLOSED),
        ([facts(S.PRELIMINARY_ASSESSMENT)], StatusClass.INVESTIGATION_ONGOING),
        (
            [facts(S.CLOSED, investigated=True), facts(S.INVESTIGATION)],
            StatusClass.INVESTIGATION_ONGOING,
        ),
        ([facts(S.INVESTIGATION), facts(S.FOLLOW_UP)], StatusClass.INTERVENTIONS_ONGOING),
        ([facts(S.CLOSED), facts(S.INTERVENTIONS)], StatusClass.INTERVENTIONS_ONGOING),
        # In follow-up after an investigation without an intervention (23 kap. 1 §): none runs.
        (
            [
                CaseFacts(
                    S.FOLLOW_UP,
                    dt.date(2026, 3, 10),
                    True,
                    "Barn och unga Centrum",
                    followed_up_without_intervention=True,
                )
            ],
            StatusClass.CLOSED,
        ),
    ],
)
def test_the_status_class_sums_up_all_the_childs_cases(
    cases: list[CaseFacts], expected: StatusClass
) -> None:
    assert status_class(cases) is expected


def test_the_entry_names_the_latest_report_month_and_its_unit() -> None:
    state = entry_state(
        [facts(S.CLOSED, on="2024-01-05"), facts(S.INVESTIGATION, on="2026-02-28")],
        birth_date=dt.date(2015, 9, 16),
        contact="växel 031-000 00",
    )
    assert state.latest_report_month == "2026-02"
    assert state.contact_unit == "Barn och unga Centrum, växel 031-000 00"
    assert state.expires_on == dt.date(2031, 2, 1)


def test_an_entry_expires_five_years_after_the_report_month_or_at_21() -> None:
    assert expires_on(dt.date(2026, 3, 10), dt.date(2015, 9, 16)) == dt.date(2031, 3, 1)
    assert expires_on(dt.date(2026, 3, 10), dt.date(2008, 2, 29)) == dt.date(2029, 2, 28)
