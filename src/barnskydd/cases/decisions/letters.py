"""The decision letter (beslutsmeddelande) to one party: the decision, its basis, how to appeal.

Plain text blocks (cases.feedback.Letter), laid out as HTML or PDF by the web layer. The appeal
notice is in every letter, a granted decision's too: a guardian or a child of 15 who did not
apply may find that it goes against them (förvaltningslagen 42 §), and the nämnd cannot know
beforehand. A protected address is never printed; the letter says it is withheld.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from barnskydd.cases.codes import INTERVENTION_LABELS
from barnskydd.cases.decisions.codes import CHILD_PARTY, DecisionOutcome
from barnskydd.cases.decisions.service import DecisionView, Party
from barnskydd.cases.feedback import Letter
from barnskydd.cases.models import Case
from barnskydd.core.actor import Actor
from barnskydd.law import decisions as law
from barnskydd.staff import deployment
from barnskydd.staff.models import StaffMember

WITHHELD = (
    "Adressen är skyddad (barnets skyddade personuppgifter) och skrivs inte ut i brevet. "
    "Skicka brevet genom Skatteverkets förmedling av post."
)
HEADING_GRANTED = "Beslut om insats"
HEADING_REFUSED = "Beslut om avslag på ansökan om insats"


def _decision_text(case: Case, view: DecisionView) -> str:
    decision = view.decision
    child = case.child
    label = INTERVENTION_LABELS[decision.category].lower()
    who = f"{child.first_name} {child.last_name}, född {child.birth_date.isoformat()}"
    if decision.outcome is DecisionOutcome.REFUSED:
        applied = (
            f" som kom in den {decision.applied_on.isoformat()}" if decision.applied_on else ""
        )
        return (
            f"Socialnämnden har den {decision.decided_on.isoformat()} beslutat att avslå "
            f"ansökan{applied} om {label} för {who}."
        )
    start = decision.intervention.start_on if decision.intervention else decision.decided_on
    return (
        f"Socialnämnden har den {decision.decided_on.isoformat()} beslutat att bevilja "
        f"{label} för {who}. Insatsen börjar den {start.isoformat()}."
    )


def _appeal(case: Case, view: DecisionView, party: Party, sender: str) -> tuple[str, ...]:
    lines = [
        "Hur man överklagar",
        f"Om du inte är nöjd med beslutet kan du överklaga det till förvaltningsrätten "
        f"({view.appealable.shown}). Den som beslutet angår får överklaga det om det har gått "
        f"honom eller henne emot ({law.WHO_MAY_APPEAL.shown}).",
        f"Skriv överklagandet till förvaltningsrätten, men skicka eller lämna det till "
        f"socialnämnden: {sender} ({law.APPEAL_TO_AUTHORITY.shown}). Skriv vilket beslut du "
        f"överklagar (ärendenummer {case.case_number}, beslutsdatum "
        f"{view.decision.decided_on.isoformat()}), hur du vill att beslutet ska ändras och "
        f"varför.",
        f"Överklagandet måste ha kommit in till socialnämnden inom tre veckor från den dag du "
        f"fick del av beslutet ({law.APPEAL_PERIOD.shown}).",
    ]
    if party.told_on and party.appeal_due:
        lines.append(
            f"Du fick del av beslutet den {party.told_on.isoformat()}: överklagandet ska ha "
            f"kommit in senast den {party.appeal_due.isoformat()}."
        )
    if party.key == CHILD_PARTY:
        lines.append(
            f"Du som har fyllt 15 år har rätt att själv föra din talan och kan överklaga "
            f"beslutet själv ({law.CHILD_OWN_VOICE.shown})."
        )
    lines.append("Vi hjälper dig gärna att skriva överklagandet. Kontakta din handläggare.")
    return tuple(lines)


def compose(
    session: Session, *, actor: Actor, case: Case, view: DecisionView, party: Party, today: dt.date
) -> Letter:
    """Compose the letter of a decision to one of its parties."""
    municipality = deployment.municipality(session).name
    signer = session.get(StaffMember, actor.staff_id) if actor.staff_id is not None else None
    sender = f"{case.unit.name}, socialtjänsten i {municipality}"
    decision = view.decision
    paragraphs = [_decision_text(case, view)]
    if decision.outcome is DecisionOutcome.REFUSED and decision.reason:
        paragraphs.append(f"Skäl för beslutet: {decision.reason}")
    paragraphs.append(f"Beslutet har fattats med stöd av {view.basis.shown}.")
    paragraphs.extend(_appeal(case, view, party, sender))
    addressee = (party.name, WITHHELD if party.address_withheld else (party.address or ""))
    return Letter(
        sender=(case.unit.name, f"Socialtjänsten i {municipality}"),
        addressee=tuple(line for line in addressee if line),
        date=today,
        case_number=case.case_number,
        heading=(
            HEADING_REFUSED if decision.outcome is DecisionOutcome.REFUSED else HEADING_GRANTED
        ),
        paragraphs=tuple(paragraphs),
        signature=(
            "Med vänlig hälsning",
            *([signer.display_name] if signer is not None else []),
            case.unit.name,
        ),
    )
