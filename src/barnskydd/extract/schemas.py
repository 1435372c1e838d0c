"""The extract as JSON (the CLI's --json and the API): released items whole, withheld ones named.

A withheld item keeps its key, kind and date, so the reviewer sees that it exists, but not its
text or fields: what is printed is what may leave the authority.
"""

from __future__ import annotations

import datetime as dt
from typing import Self

from pydantic import BaseModel, Field

from barnskydd.extract.codes import GROUNDS, Ground
from barnskydd.extract.rules import FieldValue
from barnskydd.extract.service import Extract, OpenRequest
from barnskydd.people.rules import formatted


class Withholding(BaseModel):
    """Why an item is withheld."""

    ground: Ground
    reference: str
    confirmed: bool


class ItemRead(BaseModel):
    """One item of the extract."""

    key: str = Field(description="table:row id[:part]; names the item for the review")
    kind: str
    label: str
    date: dt.date | dt.datetime | None
    case_number: str | None
    text: str | None
    fields: dict[str, FieldValue] | None
    decided: bool = Field(description="the review has decided this item")
    withheld: Withholding | None


class WithheldKind(BaseModel):
    """The kinds withheld under one ground, and how many items."""

    ground: Ground
    reference: str
    kinds: list[str]
    count: int


class ExtractRead(BaseModel):
    """Everything held about one person, as reviewed so far."""

    identity: str
    name: str | None
    request: int | None
    items: list[ItemRead]
    withheld: list[WithheldKind]
    undecided: int

    @classmethod
    def of(cls, extract: Extract) -> Self:
        """Describe an extract."""
        items = []
        for item in extract.items:
            ground = extract.ground(item)
            items.append(
                ItemRead(
                    key=item.key,
                    kind=item.kind,
                    label=item.label,
                    date=item.on,
                    case_number=item.case_number,
                    text=item.text if ground is None else None,
                    fields=dict(item.fields) if ground is None else None,
                    decided=item.key in extract.decided,
                    withheld=None
                    if ground is None
                    else Withholding(
                        ground=ground,
                        reference=GROUNDS[ground].reference,
                        confirmed=GROUNDS[ground].confirmed,
                    ),
                )
            )
        return cls(
            identity=formatted(extract.number),
            name=extract.name,
            request=extract.request.id if extract.request else None,
            items=items,
            withheld=withheld_kinds(extract),
            undecided=len(extract.undecided),
        )


def withheld_kinds(extract: Extract) -> list[WithheldKind]:
    """Return, per ground, the kinds of item withheld under it and their number."""
    found: dict[Ground, list[str]] = {}
    for item in extract.withheld:
        ground = extract.ground(item)
        assert ground is not None
        found.setdefault(ground, []).append(item.label)
    return [
        WithheldKind(
            ground=ground,
            reference=GROUNDS[ground].reference,
            kinds=sorted(set(labels)),
            count=len(labels),
        )
        for ground, labels in sorted(found.items())
    ]


class RequestRead(BaseModel):
    """A request not yet answered, with days left to its deadline."""

    id: int
    received_on: dt.date
    due: dt.date
    days_left: int
    overdue: bool
    extended: bool

    @classmethod
    def of(cls, request: OpenRequest) -> Self:
        """Describe an open request (`due` is the extended deadline once extended)."""
        return cls(
            id=request.id,
            received_on=request.received_on,
            due=request.due,
            days_left=request.days_left,
            overdue=request.overdue,
            extended=request.extended,
        )
