"""The early-help catalogue (admin) and the offers the chain records (a case's step)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from barnskydd.core.actor import Actor, Role
from barnskydd.core.db import utcnow
from barnskydd.core.errors import InvalidInput, PermissionDenied
from barnskydd.early_help import rules
from barnskydd.early_help.codes import KIND_LABELS
from barnskydd.early_help.models import EarlyHelp, EarlyHelpService

_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")
MAX_AGE = 20


@dataclass(frozen=True, slots=True)
class NewService:
    """A catalogue entry as the admin gives it (the nämnd's decision named)."""

    code: str
    name: str
    kind: str
    decided_by: str
    decided_on: dt.date
    decision_ref: str
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    target_group: str = ""
    provider: str = ""
    min_age: int | None = None
    max_age: int | None = None


def _text(value: str, field: str, what: str, limit: int) -> str:
    value = value.strip()
    if not value:
        raise InvalidInput(f"Ange {what}.", field=field)
    if len(value) > limit:
        raise InvalidInput(
            f"{what[0].upper()}{what[1:]} får vara högst {limit} tecken.", field=field
        )
    return value


def add_service(session: Session, *, actor: Actor, new: NewService) -> EarlyHelpService:
    """Add an intervention to the catalogue; only with the decision that established it."""
    if actor.role not in (Role.ADMIN, Role.SYSTEM):
        raise PermissionDenied("Bara administratören för in nämndens beslut om tidigt stöd.")
    if not _CODE.match(new.code):
        raise InvalidInput(
            "Koden ska vara 2–40 små bokstäver, siffror eller bindestreck.", field="code"
        )
    kind = rules.kind(new.kind)
    name = _text(new.name, "name", "insatsens namn", 200)
    decided_by = _text(new.decided_by, "decided_by", "vem som beslutade (t.ex. nämnden)", 200)
    decision_ref = _text(new.decision_ref, "decision_ref", "beslutets diarienummer", 60)
    valid_from = new.valid_from or new.decided_on
    rules.check_dates(valid_from, new.valid_to, new.decided_on)
    for value, field in ((new.min_age, "min_age"), (new.max_age, "max_age")):
        if value is not None and not 0 <= value <= MAX_AGE:
            raise InvalidInput(f"Åldern ska vara 0–{MAX_AGE} år.", field=field)
    if new.min_age is not None and new.max_age is not None and new.min_age > new.max_age:
        raise InvalidInput("Lägsta ålder är högre än högsta.", field="min_age")
    if session.scalar(select(EarlyHelpService.id).where(EarlyHelpService.code == new.code)):
        raise InvalidInput(f"Koden '{new.code}' finns redan i katalogen.", field="code")
    service = EarlyHelpService(
        code=new.code,
        name=name,
        kind=kind,
        target_group=new.target_group.strip(),
        provider=new.provider.strip(),
        min_age=new.min_age,
        max_age=new.max_age,
        decided_by=decided_by,
        decided_on=new.decided_on,
        decision_ref=decision_ref,
        valid_from=valid_from,
        valid_to=new.valid_to,
        created_by=actor.username,
        created_at=utcnow(),
    )
    session.add(service)
    session.flush()
    return service


def services(session: Session, *, on: dt.date | None = None) -> list[EarlyHelpService]:
    """Return the catalogue (only the entries valid on a day, when one is given)."""
    query = select(EarlyHelpService).order_by(EarlyHelpService.name, EarlyHelpService.code)
    if on is not None:
        query = query.where(EarlyHelpService.valid_from <= on).where(
            (EarlyHelpService.valid_to.is_(None)) | (EarlyHelpService.valid_to >= on)
        )
    return list(session.scalars(query))


def choices(session: Session, *, on: dt.date) -> list[tuple[str, str]]:
    """Return (code, label) of the entries valid on a day, for the desk's select."""
    return [(s.code, f"{s.name} ({KIND_LABELS[s.kind]})") for s in services(session, on=on)]


def offerable(session: Session, code: str, *, on: dt.date, age: int) -> EarlyHelpService:
    """Return the catalogue entry a worker chose, refused by field when it cannot be given."""
    service = session.scalars(select(EarlyHelpService).where(EarlyHelpService.code == code)).first()
    if service is None:
        raise InvalidInput(
            f"'{code}' finns inte i nämndens katalog över tidigt stöd.", field="service"
        )
    if service.valid_from > on or (service.valid_to is not None and service.valid_to < on):
        raise InvalidInput(
            f"{service.name} erbjuds inte den {on.isoformat()} enligt nämndens beslut "
            f"{service.decision_ref}.",
            field="service",
        )
    if (service.min_age is not None and age < service.min_age) or (
        service.max_age is not None and age > service.max_age
    ):
        limits = f"{service.min_age if service.min_age is not None else 0}–"
        limits += f"{service.max_age if service.max_age is not None else MAX_AGE}"
        raise InvalidInput(
            f"{service.name} är för barn {limits} år; barnet är {age} år.", field="service"
        )
    return service


def given(session: Session, case_id: int) -> list[EarlyHelp]:
    """Return the early help recorded in a case (the caller has authorized the read)."""
    query = select(EarlyHelp).where(EarlyHelp.case_id == case_id).order_by(EarlyHelp.id)
    return list(session.scalars(query))
