"""What recording that a party was told takes: the one copy of its fields (as chain/inputs)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from barnskydd.cases.chain.inputs import Day, StepInput
from barnskydd.cases.decisions.codes import NoticeWay

PARTY_PATTERN = r"^(child|guardian:[1-9][0-9]{0,9})$"
Party = Annotated[str, Field(pattern=PARTY_PATTERN, max_length=30, examples=["guardian:12"])]


class DecisionTold(StepInput):
    """When and how a party got to know of a decision (underrättelse, delgivning)."""

    party: Party = Field(
        title="Part", description="Parten: child (barnet) eller guardian:<id> (vårdnadshavare)."
    )
    told_on: Day = Field(
        title="Fick del av beslutet", description="Dagen parten fick del av beslutet (ÅÅÅÅ-MM-DD)."
    )
    way: NoticeWay = Field(
        title="Hur", description="Hur: handed_over (personligen), letter (brev), digital."
    )
