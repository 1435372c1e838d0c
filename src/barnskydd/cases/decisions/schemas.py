"""Decisions as the API and the CLI show them (the same fields on both)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from barnskydd.cases.codes import InterventionCategory, LegalBasis
from barnskydd.cases.decisions.codes import DecisionOutcome, NoticeWay
from barnskydd.cases.decisions.service import DecisionView


class PartyRead(BaseModel):
    """One party of a decision: when they were told, and their last day to appeal."""

    party: str = Field(description="'child' or 'guardian:<id>'", examples=["guardian:12"])
    name: str
    role: str
    address_withheld: bool = Field(description="the letter leaves out a protected address")
    told_on: dt.date | None = Field(description="the day the party got to know; null: not yet")
    way: NoticeWay | None
    appeal_due: dt.date | None = Field(
        description="three weeks from told_on, moved past holidays (lag 1930:173)"
    )


class DecisionRead(BaseModel):
    """A decision on an intervention, granted or refused, with its legal basis and parties."""

    id: int
    outcome: DecisionOutcome
    category: InterventionCategory
    legal_basis: LegalBasis
    decided_on: dt.date
    applied_on: dt.date | None
    reason: str
    intervention_id: int | None
    basis: str = Field(description="the paragraphs the decision rests on")
    basis_confirmed: bool = Field(description="false: not read in the statute's text")
    appealable_under: str
    parties: list[PartyRead]

    @classmethod
    def of(cls, view: DecisionView) -> DecisionRead:
        """Return the read of a decision with its parties."""
        d = view.decision
        return cls(
            id=d.id,
            outcome=d.outcome,
            category=d.category,
            legal_basis=d.legal_basis,
            decided_on=d.decided_on,
            applied_on=d.applied_on,
            reason=d.reason,
            intervention_id=d.intervention_id,
            basis=view.basis.text,
            basis_confirmed=view.basis.confirmed,
            appealable_under=view.appealable.shown,
            parties=[
                PartyRead(
                    party=p.key,
                    name=p.name,
                    role=p.role,
                    address_withheld=p.address_withheld,
                    told_on=p.told_on,
                    way=p.way,
                    appeal_due=p.appeal_due,
                )
                for p in view.parties
            ],
        )
