"""Pure rules of deviations, without a database."""

from __future__ import annotations

import datetime as dt

from barnskydd.core.actor import Actor, Role
from barnskydd.deviations import dashboard, rules
from barnskydd.deviations.codes import Assessment, DeviationStatus


def test_a_serious_assessment_closes_only_with_a_sent_ivo_report() -> None:
    sent = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    for assessment in (Assessment.SERIOUS, Assessment.SERIOUS_RISK):
        assert not rules.may_close(assessment, None)
        assert rules.may_close(assessment, sent)
    for assessment in (None, Assessment.NO_MISSFORHALLANDE, Assessment.RISK):
        assert rules.may_close(assessment, None)


def test_a_deviation_closes_only_once_assessed() -> None:
    assert not rules.may_move(DeviationStatus.TO_ASSESS, DeviationStatus.CLOSED)
    assert not rules.may_move(DeviationStatus.INVESTIGATING, DeviationStatus.CLOSED)
    assert rules.may_move(DeviationStatus.ASSESSED, DeviationStatus.CLOSED)


def test_the_team_lead_owns_their_units_deviations_and_the_lex_sarah_role_all() -> None:
    lead = Actor(username="l", role=Role.TEAM_LEAD, staff_id=2, unit_id=1)
    worker = Actor(username="w", role=Role.CASE_WORKER, staff_id=1, unit_id=1)
    lex = Actor(username="x", role=Role.LEX_SARAH, staff_id=3)
    assert rules.owns(lead, 1)
    assert not rules.owns(lead, 2)
    assert not rules.owns(worker, 1)
    assert rules.owns(lex, 2)
    assert rules.investigates(lex)
    assert not rules.investigates(lead)


def test_small_counts_are_suppressed_and_so_is_one_more_where_the_total_tells() -> None:
    table = dashboard.protect({"a": 12, "b": 3, "c": 7, "d": 0})
    assert table.cells == {"a": 12, "b": "<5", "c": "<5", "d": 0}
    assert table.total == 22
    alone = dashboard.protect({"a": 2, "b": 0})
    assert alone.cells["a"] == "<5"
    assert alone.total == "<5"
