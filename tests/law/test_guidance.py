"""Guidance at each step: every step has it under every rule set, and it cites what the set has."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy.orm import Session

from barnskydd.cases import service as cases
from barnskydd.cases.chain.transitions import Step
from barnskydd.core.clock import SWEDEN
from barnskydd.law.guidance import (
    ALLOWED_HOSTS,
    MAX_TEXT,
    GuidanceError,
    guidance_for,
    load_guidance,
    parse_guidance,
)
from barnskydd.law.rules import load_rule_sets
from barnskydd.web.case_page import case_context
from tests.factories import OTHER_CHILD_PNR, registered_case, unit_and_worker

RULE_SETS = [rule_set.id for rule_set in load_rule_sets()]


@pytest.mark.parametrize("rule_set", RULE_SETS)
@pytest.mark.parametrize("step", list(Step), ids=str)
def test_every_step_has_guidance_under_every_rule_set(rule_set: str, step: Step) -> None:
    guidance = guidance_for(rule_set, step.value)
    assert guidance is not None, f"no guidance for {step} in law/guidance/{rule_set}.toml"
    assert guidance.law
    assert 0 < len(guidance.in_short) <= MAX_TEXT
    assert guidance.document_this
    for link in guidance.read_more:
        assert link.url.startswith("https://")
        assert link.url.removeprefix("https://").split("/")[0].removeprefix("www.") in (
            ALLOWED_HOSTS
        )


def test_guidance_has_no_step_the_chain_lacks() -> None:
    steps = {step.value for step in Step}
    for rule_set, by_step in load_guidance().items():
        assert set(by_step) <= steps, rule_set


@pytest.mark.parametrize("rule_set", RULE_SETS)
def test_a_steps_paragraphs_are_the_rule_sets_own(rule_set: str) -> None:
    by_name = {r.name: r for s in load_rule_sets() if s.id == rule_set for r in s.all_rules}
    review = guidance_for(rule_set, "review_placement")
    assert review is not None
    assert by_name["placement_review"].reference in review.law
    number = rule_set.removeprefix("sol_").replace("_", ":")
    preliminary = guidance_for(rule_set, "decide_preliminary")
    assert preliminary is not None
    assert all(f"({number})" in ref for ref in preliminary.law)


def _file(**step: Any) -> dict[str, Any]:
    table = {
        "law": ["rule:investigation"],
        "in_short": "Kort.",
        "document_this": ["Beslutet"],
        "read_more": [{"title": "Lagen", "url": "https://lagen.nu/2025:400"}],
    }
    table.update(step)
    return {"rule_set": "sol_2025_400", "steps": {"close": table}}


@pytest.mark.parametrize(
    ("step", "complaint"),
    [
        ({"law": ["rule:no_such_rule"]}, "has no rule"),
        ({"in_short": "x" * (MAX_TEXT + 1)}, "in_short"),
        ({"read_more": [{"title": "Blogg", "url": "https://example.com/x"}]}, "not an https link"),
        ({"read_more": [{"title": "Lagen", "url": "http://lagen.nu/2025:400"}]}, "https"),
        ({"read_more": []}, "at least one link"),
    ],
)
def test_a_bad_guidance_file_is_refused(step: dict[str, Any], complaint: str) -> None:
    with pytest.raises(GuidanceError, match=complaint):
        parse_guidance(_file(**step), source="x.toml")


def test_the_old_act_cites_no_feedback_rule_it_did_not_have() -> None:
    with pytest.raises(GuidanceError, match="has no rule"):
        parse_guidance({**_file(law=["rule:feedback"]), "rule_set": "sol_2001_453"}, source="x")


def test_the_case_page_shows_the_guidance_of_the_law_the_case_follows(session: Session) -> None:
    unit_id, worker = unit_and_worker(session)
    old = registered_case(
        session, unit_id, worker, received_at=dt.datetime(2025, 6, 30, 10, tzinfo=SWEDEN)
    )
    new = registered_case(
        session,
        unit_id,
        worker,
        received_at=dt.datetime(2025, 7, 1, 10, tzinfo=SWEDEN),
        child_identity=OTHER_CHILD_PNR,
    )
    shown = {}
    for case in (old, new):
        context = case_context(cases.load(session, case.id))
        [(title, guidance)] = context["guidance"]  # the one next step: skyddsbedömning
        assert title == "Skyddsbedömning"
        shown[case.law] = guidance.law[0]
    assert shown == {
        "sol_2001_453": "11 kap. 1 a § första stycket socialtjänstlagen (2001:453)",
        "sol_2025_400": "20 kap. 1 § socialtjänstlagen (2025:400)",
    }
