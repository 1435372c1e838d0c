"""The family of a case's child: guardians, household and the siblings' linked cases.

The input models are the only copy of a guardian's fields and limits (strict JSON on the API;
typed text on the desk and the command line, as the chain's steps: cases/chain/inputs.py).
The case has been read, audited and authorised by the edge (cases.service.get_by_number);
the writes and reads themselves are people.guardians', audited there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError
from sqlalchemy import select
from sqlalchemy.orm import Session

from barnskydd.cases import service as cases
from barnskydd.cases.chain.inputs import StepInput, StrictInput, YesNo
from barnskydd.cases.models import Case
from barnskydd.core.actor import Actor
from barnskydd.core.errors import PermissionDenied
from barnskydd.people import guardians
from barnskydd.people.codes import Language, Relation
from barnskydd.people.guardians import GuardianView
from barnskydd.people.models import Guardian
from barnskydd.people.schemas import ParsedIdentity

MSG_MARKUP = "Texten får inte innehålla tecknen < eller >."
MSG_PHONE = "Ange ett telefonnummer med siffror, t.ex. 070-123 45 67 eller +46 70 123 45 67."
MSG_EMAIL = "Ange en e-postadress, t.ex. namn@exempel.se."
_PHONE = re.compile(r"\+?[0-9][0-9 ()-]{4,24}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _no_markup(value: str) -> str:
    # A name or an address has no use for angle brackets; refusing them keeps markup out.
    if "<" in value or ">" in value:
        raise ValueError(MSG_MARKUP)
    return value


def _phone(value: str) -> str:
    if not _PHONE.fullmatch(value):
        raise ValueError(MSG_PHONE)
    return value


def _email(value: str) -> str:
    if not _EMAIL.fullmatch(value) or "<" in value or ">" in value:
        raise ValueError(MSG_EMAIL)
    return value


Name = Annotated[str, Field(min_length=1, max_length=100), AfterValidator(_no_markup)]
Phone = Annotated[str, Field(max_length=30), AfterValidator(_phone)]
Email = Annotated[str, Field(max_length=120), AfterValidator(_email)]
Address = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_no_markup)]

IDENTITY = "Personnummer, samordningsnummer eller reservnummer (tomt om personen saknar)."
CUSTODY = "Har vårdnaden (utelämnat: föräldrar och vårdnadshavare ja, övriga nej)."
SHARES = "Bor på barnets adress (döljs då med barnets vid skyddade personuppgifter)."


class GuardianInput(StepInput):
    """A guardian (vårdnadshavare) or another adult of the child's household."""

    # An error's text (which may reach a log) repeats no identity number or contact detail.
    model_config = ConfigDict(hide_input_in_errors=True)

    identity: ParsedIdentity | None = Field(None, title="Personnummer", description=IDENTITY)
    first_name: Name = Field(title="Förnamn", description="Förnamn.")
    last_name: Name = Field(title="Efternamn", description="Efternamn.")
    relation: Relation = Field(title="Relation till barnet", description="Relation till barnet.")
    custody: YesNo | None = Field(None, title="Har vårdnaden", description=CUSTODY)
    phone: Phone | None = Field(None, title="Telefon", description="Telefonnummer.")
    email: Email | None = Field(None, title="E-post", description="E-postadress.")
    address: Address | None = Field(None, title="Adress", description="Postadress.")
    shares_child_address: YesNo = Field(False, title="Bor med barnet", description=SHARES)
    interpreter: Language | None = Field(
        None, title="Tolkspråk", description="Tolkspråk (ISO 639), om tolk behövs."
    )


REQUIRED = ("first_name", "last_name", "relation", "custody", "shares_child_address")


class GuardianChange(StrictInput):
    """The fields of a guardian to change (PATCH); a field left out stays as it is."""

    model_config = ConfigDict(hide_input_in_errors=True)

    identity: ParsedIdentity | None = Field(None, description=IDENTITY)
    first_name: Name | None = None
    last_name: Name | None = None
    relation: Relation | None = None
    custody: bool | None = None
    phone: Phone | None = None
    email: Email | None = None
    address: Address | None = None
    shares_child_address: bool | None = None
    interpreter: Language | None = None

    @model_validator(mode="after")
    def _required_stay(self) -> GuardianChange:
        for name in REQUIRED:
            if name in self.model_fields_set and getattr(self, name) is None:
                raise PydanticCustomError("missing", "Fältet måste fyllas i.")
        return self

    def changes(self) -> dict[str, Any]:
        """Return the fields sent; null clears an optional one (never a required one)."""
        return {name: getattr(self, name) for name in self.model_fields_set}


class GuardianRead(BaseModel):
    """A guardian as the API and the CLI show them; hidden contact details are null."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    identity: str | None
    first_name: str
    last_name: str
    relation: Relation
    custody: bool
    phone: str | None
    email: str | None
    address: str | None
    shares_child_address: bool
    interpreter: Language | None
    contact_hidden: bool = Field(
        description="address, telephone and e-mail hidden by the child's protected identity"
    )


def list_guardians(
    session: Session, *, actor: Actor, case: Case, purpose: str
) -> list[GuardianView]:
    """Return the child's guardians and household as the actor may see them (audited read)."""
    found = guardians.get_all(
        session, actor=actor, child=case.child, case_id=case.id, purpose=purpose
    )
    return [_view(session, actor, case, g) for g in found]


def add_guardian(session: Session, *, actor: Actor, case: Case, data: GuardianInput) -> Guardian:
    """Record a guardian or household member of the case's child."""
    return guardians.create(session, actor=actor, child=case.child, case_id=case.id, **dict(data))


def update_guardian(
    session: Session, *, actor: Actor, case: Case, guardian_id: int, changes: dict[str, Any]
) -> Guardian:
    """Change a guardian of the case's child."""
    return guardians.update(
        session,
        actor=actor,
        child=case.child,
        case_id=case.id,
        assigned_to_id=case.assigned_to_id,
        guardian_id=guardian_id,
        changes=changes,
    )


def remove_guardian(session: Session, *, actor: Actor, case: Case, guardian_id: int) -> None:
    """Remove a guardian of the case's child."""
    guardians.delete(
        session, actor=actor, child=case.child, case_id=case.id, guardian_id=guardian_id
    )


def view(session: Session, actor: Actor, case: Case, guardian: Guardian) -> GuardianView:
    """Return one guardian of the case's child as the actor may see them."""
    return _view(session, actor, case, guardian)


def _view(session: Session, actor: Actor, case: Case, guardian: Guardian) -> GuardianView:
    return guardians.view(session, actor, case.child, guardian, assigned_to_id=case.assigned_to_id)


def letter_recipients(
    session: Session, *, actor: Actor, case: Case, purpose: str
) -> list[GuardianView]:
    """Return the custodians a decision letter goes to (addresses hidden as on the page)."""
    return [
        g for g in list_guardians(session, actor=actor, case=case, purpose=purpose) if g.custody
    ]


@dataclass(frozen=True, slots=True)
class SiblingCase:
    """A linked case of the same report about a sibling, as a link on the case page."""

    case_number: str
    child_name: str


def sibling_cases(session: Session, *, actor: Actor, case: Case) -> list[SiblingCase]:
    """Return the siblings' cases of the same report that the actor may see, each read audited.

    A case the actor may not see (another unit, a protected sibling the actor is not named
    for) is left out without a trace on the page.
    """
    if case.report_group is None:
        return []
    query = (
        select(Case)
        .where(Case.report_group == case.report_group, Case.id != case.id)
        .order_by(Case.id)
    )
    found = []
    for other in session.scalars(query):
        try:
            cases.authorize(actor, other)
        except PermissionDenied:
            continue
        cases.audit_case(
            session,
            actor,
            other,
            action="read",
            entity="case",
            entity_id=other.id,
            purpose="syskon",
        )
        child = other.child
        found.append(SiblingCase(other.case_number, f"{child.first_name} {child.last_name}"))
    return found


def group_cases(session: Session, *, case: Case) -> list[str]:
    """Return the case numbers of the other cases a report about siblings opened (no audit).

    For the one who registered them, right after registering (nothing of the children read).
    """
    if case.report_group is None:
        return []
    query = select(Case.case_number).where(
        Case.report_group == case.report_group, Case.id != case.id
    )
    return list(session.scalars(query.order_by(Case.id)))
