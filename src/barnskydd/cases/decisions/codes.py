"""Code lists of decisions and of how a party was told; labels are what the UI shows."""

from __future__ import annotations

from enum import StrEnum


class DecisionOutcome(StrEnum):
    GRANTED = "granted"
    REFUSED = "refused"


OUTCOME_LABELS: dict[DecisionOutcome, str] = {
    DecisionOutcome.GRANTED: "Beviljad",
    DecisionOutcome.REFUSED: "Avslag",
}


class NoticeWay(StrEnum):
    """How a party got to know of a decision (underrättelse, delgivning)."""

    HANDED_OVER = "handed_over"
    LETTER = "letter"
    DIGITAL = "digital"


WAY_LABELS: dict[NoticeWay, str] = {
    NoticeWay.HANDED_OVER: "Lämnat personligen",
    NoticeWay.LETTER: "Brev",
    NoticeWay.DIGITAL: "Digitalt",
}

CHILD_PARTY = "child"  # the party key of the child; a guardian's is "guardian:<id>"
GUARDIAN_PREFIX = "guardian:"
