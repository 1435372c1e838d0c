"""The case chain's allowed moves: one table and one function, no database.

A case (ärende) starts when a report of concern is registered and ends when it is closed.
Each step moves it along the table below; anything else is refused before a row is written.
A new step is a member of Step, its verb and its rows here (then an input, a check, a handler
and a spec entry in this package).
"""

from __future__ import annotations

from enum import StrEnum

from barnskydd.cases.codes import (
    STATUS_LABELS,
    CaseStatus,
    InvestigationOutcome,
    PreliminaryOutcome,
)
from barnskydd.core.errors import ForbiddenTransition


class Step(StrEnum):
    ASSESS_PROTECTION = "assess_protection"
    DECIDE_PRELIMINARY = "decide_preliminary"
    OFFER_EARLY_HELP = "offer_early_help"
    GIVE_EARLY_HELP = "give_early_help"
    EXTEND_PRELIMINARY = "extend_preliminary"
    RECORD_BBIC = "record_bbic"
    EXTEND_INVESTIGATION = "extend_investigation"
    DECIDE_INTERVENTION = "decide_intervention"
    REFUSE_INTERVENTION = "refuse_intervention"
    COMPLETE_INVESTIGATION = "complete_investigation"
    END_INTERVENTION = "end_intervention"
    FOLLOW_UP = "follow_up"
    REVIEW_PLACEMENT = "review_placement"
    CLOSE = "close"


# What the step does, as it reads after 'Det går inte att ...'.
STEP_VERBS: dict[Step, str] = {
    Step.ASSESS_PROTECTION: "göra skyddsbedömning",
    Step.DECIDE_PRELIMINARY: "besluta efter förhandsbedömning",
    Step.OFFER_EARLY_HELP: "inte inleda utredning och erbjuda tidigt stöd",
    Step.GIVE_EARLY_HELP: "ge tidigt stöd i ett pågående ärende",
    Step.EXTEND_PRELIMINARY: "förlänga förhandsbedömningen",
    Step.RECORD_BBIC: "dokumentera enligt BBIC",
    Step.EXTEND_INVESTIGATION: "förlänga utredningstiden",
    Step.DECIDE_INTERVENTION: "besluta om insats",
    Step.REFUSE_INTERVENTION: "avslå en ansökan om insats",
    Step.COMPLETE_INVESTIGATION: "avsluta utredningen",
    Step.END_INTERVENTION: "avsluta en insats",
    Step.FOLLOW_UP: "följa upp",
    Step.REVIEW_PLACEMENT: "överväga en placering",
    Step.CLOSE: "avsluta ärendet",
}

S = CaseStatus
Outcome = PreliminaryOutcome | InvestigationOutcome | None

# (status, step) -> {outcome: next status}; the key None stands for a step without an outcome.
TRANSITIONS: dict[tuple[CaseStatus, Step], dict[Outcome, CaseStatus]] = {
    (S.AWAITING_PROTECTION_ASSESSMENT, Step.ASSESS_PROTECTION): {None: S.PRELIMINARY_ASSESSMENT},
    (S.PRELIMINARY_ASSESSMENT, Step.EXTEND_PRELIMINARY): {None: S.PRELIMINARY_ASSESSMENT},
    (S.PRELIMINARY_ASSESSMENT, Step.DECIDE_PRELIMINARY): {
        PreliminaryOutcome.INVESTIGATION_OPENED: S.INVESTIGATION,
        PreliminaryOutcome.NOT_OPENED: S.CLOSED,
        PreliminaryOutcome.ALREADY_ONGOING: S.CLOSED,
        PreliminaryOutcome.TRANSFERRED: S.CLOSED,
    },
    # Not opened, with early help offered (SoL 2025:400 11 kap. 5 §): its own step, since it
    # names the intervention from the nämnd's catalogue and the guardian's consent.
    (S.PRELIMINARY_ASSESSMENT, Step.OFFER_EARLY_HELP): {None: S.CLOSED},
    # Early help in an open case (11 kap. 5 §): beside the investigation or the interventions,
    # on the family's request or the worker's offer; the case stays where it is. During the
    # preliminary assessment early help is the decision `offer_early_help`, so that the
    # report's outcome says so.
    (S.INVESTIGATION, Step.GIVE_EARLY_HELP): {None: S.INVESTIGATION},
    (S.INTERVENTIONS, Step.GIVE_EARLY_HELP): {None: S.INTERVENTIONS},
    (S.FOLLOW_UP, Step.GIVE_EARLY_HELP): {None: S.FOLLOW_UP},
    (S.INVESTIGATION, Step.RECORD_BBIC): {None: S.INVESTIGATION},
    (S.INVESTIGATION, Step.EXTEND_INVESTIGATION): {None: S.INVESTIGATION},
    (S.INVESTIGATION, Step.DECIDE_INTERVENTION): {None: S.INVESTIGATION},
    (S.INVESTIGATION, Step.COMPLETE_INVESTIGATION): {
        InvestigationOutcome.INTERVENTIONS: S.INTERVENTIONS,
        InvestigationOutcome.NO_INTERVENTION: S.CLOSED,
        # The nämnd follows the child's situation up (23 kap. 1 §): open until closed, within
        # six months (5 §).
        InvestigationOutcome.NO_INTERVENTION_FOLLOW_UP: S.FOLLOW_UP,
        InvestigationOutcome.DISCONTINUED: S.CLOSED,
        InvestigationOutcome.TRANSFERRED: S.CLOSED,
    },
    (S.INVESTIGATION, Step.END_INTERVENTION): {None: S.INVESTIGATION},
    (S.INVESTIGATION, Step.REVIEW_PLACEMENT): {None: S.INVESTIGATION},
    (S.INTERVENTIONS, Step.DECIDE_INTERVENTION): {None: S.INTERVENTIONS},
    (S.INTERVENTIONS, Step.END_INTERVENTION): {None: S.INTERVENTIONS},
    (S.INTERVENTIONS, Step.REVIEW_PLACEMENT): {None: S.INTERVENTIONS},
    (S.INTERVENTIONS, Step.FOLLOW_UP): {None: S.FOLLOW_UP},
    (S.FOLLOW_UP, Step.FOLLOW_UP): {None: S.FOLLOW_UP},
    (S.FOLLOW_UP, Step.DECIDE_INTERVENTION): {None: S.INTERVENTIONS},
    (S.FOLLOW_UP, Step.END_INTERVENTION): {None: S.FOLLOW_UP},
    (S.FOLLOW_UP, Step.REVIEW_PLACEMENT): {None: S.FOLLOW_UP},
    (S.FOLLOW_UP, Step.CLOSE): {None: S.CLOSED},
    (S.INVESTIGATION, Step.REFUSE_INTERVENTION): {None: S.INVESTIGATION},
    (S.INTERVENTIONS, Step.REFUSE_INTERVENTION): {None: S.INTERVENTIONS},
    (S.FOLLOW_UP, Step.REFUSE_INTERVENTION): {None: S.FOLLOW_UP},
}


def next_status(status: CaseStatus, step: Step, outcome: Outcome = None) -> CaseStatus:
    """Return the status after the step, or raise ForbiddenTransition naming why not."""
    targets = TRANSITIONS.get((status, step))
    if targets is None:
        allowed = ", ".join(STEP_VERBS[s] for (st, s) in TRANSITIONS if st is status) or "inget"
        raise ForbiddenTransition(
            f"Det går inte att {STEP_VERBS[step]} när ärendet har status "
            f"'{STATUS_LABELS[status]}'. Tillåtet nu: {allowed}."
        )
    if outcome not in targets:
        raise ForbiddenTransition(
            f"Utfallet '{outcome}' är inte möjligt när man ska {STEP_VERBS[step]}.",
            field="outcome",
        )
    return targets[outcome]


def allowed_steps(status: CaseStatus) -> list[Step]:
    """Return the steps the table allows from a status, in table order."""
    return [step for (st, step) in TRANSITIONS if st is status]
