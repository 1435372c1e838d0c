"""The decisions section of the case page: each decision, its parties, told-dates and deadlines.

Its context is plain data (safe to render after a refusal's rollback). The read is audited by
the service with the case page's purpose (web.case_page reads it once, for its timeline
too); a party is named in a URL by its key only ("child", "guardian:12"), never by a name or
an identity number.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from barnskydd.cases.decisions.codes import WAY_LABELS, DecisionOutcome
from barnskydd.cases.decisions.inputs import DecisionTold
from barnskydd.cases.decisions.service import DecisionView

FORM = "decision_told"
LABELS = {name: info.title or name for name, info in DecisionTold.model_fields.items()}


def row(view: DecisionView) -> dict[str, Any]:
    """Return one decision as the desk shows it."""
    decision = view.decision
    return {
        "id": decision.id,
        "heading": view.heading,
        "outcome": view.outcome_label,
        "refused": decision.outcome is DecisionOutcome.REFUSED,
        "decided_on": decision.decided_on.isoformat(),
        "applied_on": decision.applied_on.isoformat() if decision.applied_on else None,
        "reason": decision.reason,
        "basis": view.basis.shown,
        "appealable": view.appealable.shown,
        "parties": [
            {
                "key": p.key,
                "name": p.name,
                "role": p.role,
                "address_withheld": p.address_withheld,
                "told_on": p.told_on.isoformat() if p.told_on else None,
                "way": p.way_label,
                "appeal_due": p.appeal_due.isoformat() if p.appeal_due else None,
            }
            for p in view.parties
        ],
        "party_options": [(p.key, f"{p.name} ({p.role.lower()})") for p in view.parties],
    }


def case_decisions(views: Sequence[DecisionView]) -> dict[str, Any]:
    """Return the decisions section's context for the case page (views read by the page)."""
    return {
        "decisions": [row(v) for v in views],
        "decision_ways": list(WAY_LABELS.items()),
        "decision_labels": LABELS,
        "failed_decision": None,
    }
