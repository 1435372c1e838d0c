"""Which municipality this deployment serves: recorded once, in the database, and nowhere else.

The single `deployment` row is written when the database is first set up for a municipality
(the first unit, `barnskydd demo`, `barnskydd synth generate`, or `barnskydd db
set-municipality`) and never changes. Extracts, lookup entries, the lookup's checks and
letters all ask `municipality(session)`. The setting BARNSKYDD_MUNICIPALITY_CODE is optional:
when given it must name the same municipality, or `agree` refuses to start.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, String, func, inspect, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from barnskydd.core.db import Base, utcnow
from barnskydd.core.errors import InvalidInput
from barnskydd.reference.municipalities import Municipality
from barnskydd.reference.municipalities import get as get_municipality
from barnskydd.staff.models import Unit

SETTING = "BARNSKYDD_MUNICIPALITY_CODE"
ROW_ID = 1


class Deployment(Base):
    """The one row saying which municipality the database serves."""

    __tablename__ = "deployment"
    __table_args__ = (CheckConstraint(f"id = {ROW_ID}", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_code: Mapped[str] = mapped_column(
        String(4), comment="kommunkod of the municipality this database serves"
    )
    recorded_at: Mapped[dt.datetime]


def label(code: str) -> str:
    """Return "Name (code)", or the code alone when the reference list does not know it."""
    try:
        return f"{get_municipality(code).name} ({code})"
    except InvalidInput:
        return code


def _not_set(session: Session) -> InvalidInput:
    codes = session.scalars(select(Unit.municipality_code).distinct()).all()
    if codes:
        held = ", ".join(label(c) for c in sorted(codes))
        return InvalidInput(
            f"Databasen vet inte vilken kommun den tjänar (enheterna hör till {held}). "
            "Ange kommunen med `barnskydd db set-municipality KOMMUNKOD`."
        )
    return InvalidInput(
        "Databasen är inte uppsatt för någon kommun än: skapa den första enheten eller kör "
        "`barnskydd db set-municipality KOMMUNKOD`."
    )


def recorded(session: Session) -> str | None:
    """Return the recorded municipality code, or None when the database is not set up yet."""
    return session.scalar(select(Deployment.municipality_code).where(Deployment.id == ROW_ID))


def municipality(session: Session) -> Municipality:
    """Return the municipality this database serves; refuse when it is not recorded."""
    code = recorded(session)
    if code is None:
        raise _not_set(session)
    return get_municipality(code)


def _record(session: Session, code: str) -> Municipality:
    found = get_municipality(code)
    session.add(Deployment(id=ROW_ID, municipality_code=found.code, recorded_at=utcnow()))
    session.flush()
    return found


def _refuse_other(current: str, other: str, what: str) -> InvalidInput:
    return InvalidInput(
        f"Databasen tjänar {label(current)}; {what} {label(other)} hör inte hit.",
        field="municipality_code",
    )


def claim_for_unit(session: Session, code: str) -> Municipality:
    """Admit a new unit's municipality: the recorded one, or the first unit records it."""
    wanted = get_municipality(code)
    current = recorded(session)
    if current is None:
        if session.scalar(select(func.count(Unit.id))):
            raise _not_set(session)
        return _record(session, wanted.code)
    if current != wanted.code:
        raise _refuse_other(current, wanted.code, "en enhet i")
    return wanted


def set_municipality(session: Session, code: str) -> Municipality:
    """Record the municipality of a database that does not know it yet (never changes it)."""
    wanted = get_municipality(code)
    current = recorded(session)
    if current is None:
        return _record(session, wanted.code)
    if current != wanted.code:
        raise InvalidInput(
            f"Databasen tjänar redan {label(current)} och byter inte kommun; "
            f"{label(wanted.code)} kräver en egen databas.",
            field="municipality_code",
        )
    return wanted


def agree(session: Session, *, configured: str | None) -> Municipality | None:
    """Check the setting against the database before serving; None: not set up yet.

    A configured code must equal the recorded one. On a database without units it is
    recorded, so the first unit must belong to it. Units without a recorded municipality
    (units of several municipalities from before the row existed) are refused until
    `barnskydd db set-municipality` is run.
    """
    if not inspect(session.connection()).has_table(Deployment.__tablename__):
        raise InvalidInput("Databasen är inte uppgraderad: kör `barnskydd db upgrade` först.")
    current = recorded(session)
    if current is None:
        if session.scalar(select(func.count(Unit.id))):
            raise _not_set(session)
        return None if configured is None else _record(session, configured)
    if configured is not None and get_municipality(configured).code != current:
        raise mismatch(current, configured)
    return get_municipality(current)


def mismatch(current: str, configured: str) -> InvalidInput:
    """The refusal when the setting names another municipality than the database."""
    return InvalidInput(
        f"{SETTING} är {label(configured)} men databasen tjänar {label(current)}. "
        f"Ta bort {SETTING} eller sätt den till {current}, eller peka ut rätt databas."
    )
