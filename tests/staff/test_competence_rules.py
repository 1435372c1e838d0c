"""The pure rules of competence: experience on a day, the reserved steps, the judgement."""

from __future__ import annotations

import datetime as dt

import pytest

from barnskydd.cases.chain import STEPS
from barnskydd.cases.chain.checks import CaseFacts, qualification
from barnskydd.cases.codes import CaseStatus
from barnskydd.core.clock import SWEDEN
from barnskydd.core.errors import ForbiddenTransition
from barnskydd.staff.competence.codes import Degree, QualificationMode, Shortfall
from barnskydd.staff.competence.rules import (
    Period,
    Span,
    Standing,
    Worker,
    at_least,
    counted,
    degree_held,
    indicators,
    judge,
    more_than,
    reserved,
    under,
)
from barnskydd.stats.schema import EXTRACT_SCHEMA

D = dt.date


def test_one_unbroken_period_counts_by_the_calendar_and_two_point_nine_nine_is_under_three() -> (
    None
):
    periods = (Period(D(2021, 1, 1)),)
    assert not at_least(periods, D(2023, 12, 31), 3)  # 2.99 years
    assert at_least(periods, D(2024, 1, 1), 3)
    assert not more_than(periods, D(2026, 1, 1), 5)  # exactly five is not more than five
    assert more_than(periods, D(2026, 1, 2), 5)
    assert under(periods, D(2021, 12, 31), 1)
    assert not under(periods, D(2022, 1, 1), 1)


def test_a_break_is_not_counted_and_earlier_periods_count_whole() -> None:
    # Two years elsewhere (2015-2016 inclusive), a break, then from 2020-01-01.
    periods = (Period(D(2015, 1, 1), D(2016, 12, 31)), Period(D(2020, 1, 1)))
    # 731 days, then 365 days of 2020 before 2020-12-31: 1,096 days, laid back from that day
    # they reach 2017-12-31, three calendar years.
    assert not at_least(periods, D(2020, 12, 30), 3)
    assert at_least(periods, D(2020, 12, 31), 3)
    assert not at_least(periods, D(2022, 6, 1), 5)


def test_no_period_is_no_experience() -> None:
    assert under((), D(2026, 1, 1), 1)
    assert not at_least((), D(2026, 1, 1), 0 + 1)


def test_the_reserved_steps_are_chain_steps_and_exactly_those_with_a_co_signer_field() -> None:
    names = {s.value for s in STEPS}
    assert set(reserved().steps) <= names
    with_field = {s.value for s, spec in STEPS.items() if "co_signed_by" in spec.fields}
    assert with_field == set(reserved().steps)
    assert "assess_protection" not in reserved().steps
    assert reserved().reference.startswith("25 kap. 1 §")


SOCIONOM = Standing("anna", Degree.SOCIONOM, independent=True)


@pytest.mark.parametrize("step", reserved().steps)
def test_every_reserved_step_needs_a_degree_and_the_message_names_the_paragraph(step: str) -> None:
    verb = STEPS[next(s for s in STEPS if s.value == step)].verb
    none = judge(Standing("bo", Degree.NONE, independent=True), step, verb, None)
    assert none is not None
    assert none.shortfall is Shortfall.NO_DEGREE
    assert "25 kap. 1 § första stycket socialtjänstlagen (2025:400)" in none.message
    missing = judge(Standing("bo", None, independent=True), step, verb, None)
    assert missing is not None
    assert missing.shortfall is Shortfall.NOT_RECORDED
    assert judge(SOCIONOM, step, verb, None) is None


def test_a_step_the_paragraph_does_not_reserve_is_not_judged() -> None:
    assert judge(Standing("bo", Degree.NONE, independent=True), "close", "avsluta", None) is None


def test_a_new_worker_needs_a_co_signer_named_for_them_and_a_co_signer_does_not_stand_in_for_a_degree() -> (  # noqa: E501
    None
):
    new = Standing("ny", Degree.SOCIONOM, independent=False, co_signers=frozenset({"mentor"}))
    step = "decide_preliminary"
    needs = judge(new, step, "besluta", None)
    assert needs is not None
    assert needs.shortfall is Shortfall.NEEDS_CO_SIGNER
    assert "andra stycket" in needs.message
    assert judge(new, step, "besluta", "mentor") is None
    wrong = judge(new, step, "besluta", "granne")
    assert wrong is not None
    assert wrong.shortfall is Shortfall.CO_SIGNER_NOT_ALLOWED
    own = judge(new, step, "besluta", "ny")
    assert own is not None
    assert own.shortfall is Shortfall.CO_SIGNER_NOT_ALLOWED
    no_degree = Standing("x", Degree.NONE, independent=False, co_signers=frozenset({"mentor"}))
    judged = judge(no_degree, step, "besluta", "mentor")
    assert judged is not None
    assert judged.shortfall is Shortfall.NO_DEGREE


def test_the_indicators_count_socionomer_by_experience_on_the_day() -> None:
    on = D(2026, 1, 1)
    workers = [
        Worker(Degree.SOCIONOM, (Period(D(2025, 6, 1)),), 60),  # under 1 year
        Worker(Degree.SOCIONOM, (Period(D(2022, 1, 1)),), 120),  # 4 years: >= 3
        Worker(Degree.SOCIONOM, (Period(D(2015, 1, 1)),)),  # 11 years: >= 3 and > 5
        Worker(Degree.OTHER_RELEVANT, (Period(D(2010, 1, 1)),)),  # qualified, not socionom
        Worker(None, ()),  # not recorded
    ]
    found = indicators(workers, on)
    assert (found.headcount, found.qualified, found.socionom, found.not_recorded) == (5, 4, 3, 1)
    assert (found.socionom_3_years, found.socionom_over_5_years) == (2, 1)
    assert found.socionom_under_1_year == 1
    assert found.share(found.socionom_3_years) == 0.4
    assert (found.supervision_mean_hours, found.supervision_min_hours) == (1.5, 1.0)
    assert found.supervision_max_hours == 2.0


def _facts(standing: Standing, mode: QualificationMode) -> CaseFacts:
    return CaseFacts(
        status=CaseStatus.PRELIMINARY_ASSESSMENT,
        received_at=dt.datetime(2025, 6, 19, 10, tzinfo=SWEDEN),
        preliminary_due=D(2025, 7, 3),
        preliminary_extendable=True,
        municipality_code="1480",
        standing=standing,
        qualification_mode=mode,
    )


@pytest.mark.parametrize("step", reserved().steps)
def test_every_reserved_step_is_refused_in_refuse_mode_and_warned_in_warn_mode(step: str) -> None:
    spec = next(s for s in STEPS.values() if s.step.value == step)
    none = Standing("bo", Degree.NONE, independent=True)
    with pytest.raises(ForbiddenTransition) as refused:
        qualification(_facts(none, QualificationMode.REFUSE), step, spec.verb, None)
    assert reserved().degree_reference in refused.value.message
    warned = qualification(_facts(none, QualificationMode.WARN), step, spec.verb, None)
    assert warned is not None
    assert warned.shortfall is Shortfall.NO_DEGREE
    assert qualification(_facts(SOCIONOM, QualificationMode.REFUSE), step, spec.verb, None) is None


def test_no_competence_data_is_in_the_national_statistics_extract() -> None:
    names = set(EXTRACT_SCHEMA.names)
    for word in ("degree", "socionom", "experience", "competence", "introduction", "co_sign"):
        assert not any(word in name for name in names), word
    assert not any("staff" in name or "worker" in name for name in names)


def test_counted_only_while_employed_as_a_case_worker_and_in_child_investigations() -> None:
    on = dt.date(2026, 1, 1)
    employed = [Span(dt.date(2020, 1, 1), None)]
    assert counted(employed, [], on)  # no experience recorded: counted, with none
    assert counted(employed, [Period(dt.date(2021, 1, 1))], on)
    assert not counted(employed, [Period(dt.date(2026, 2, 1))], on)  # not yet in child work
    assert not counted([Span(dt.date(2026, 1, 2))], [], on)  # started the day after
    assert counted([Span(dt.date(2026, 1, 1))], [], on)  # the first day counts
    assert counted([Span(dt.date(2019, 1, 1), dt.date(2026, 1, 1))], [], on)  # so does the last
    assert not counted([Span(dt.date(2019, 1, 1), dt.date(2025, 12, 31))], [], on)
    assert counted([Span(None)], [], on)  # before the records began
    assert not counted([], [], on)


def test_the_degree_held_on_a_day_is_none_before_it_was_awarded() -> None:
    on = dt.date(2026, 1, 1)
    assert degree_held(Degree.SOCIONOM, dt.date(2026, 1, 1), on) is Degree.SOCIONOM
    assert degree_held(Degree.SOCIONOM, dt.date(2026, 1, 2), on) is Degree.NONE
    assert degree_held(Degree.SOCIONOM, None, on) is Degree.SOCIONOM
    assert degree_held(None, None, on) is None
    found = indicators(
        [Worker(Degree.SOCIONOM, (Period(dt.date(2020, 1, 1)),), degree_on=dt.date(2026, 3, 1))],
        on,
    )
    assert (found.headcount, found.qualified, found.socionom, found.not_recorded) == (1, 0, 0, 0)
