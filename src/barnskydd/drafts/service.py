"""Save, read and delete a staff member's drafts; a draft expires DRAFT_DAYS after its last save.

Drafts are scratch input, not part of the case record: only their author reads them, they are
not audited (the record is audited when the form is submitted), and they are deleted when the
form is submitted or after DRAFT_DAYS, whichever comes first.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, cast

from sqlalchemy import CursorResult, Delete, Update, insert, select, update
from sqlalchemy import delete as sql_delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from barnskydd.core.db import utcnow
from barnskydd.core.errors import InvalidInput
from barnskydd.drafts.models import Draft

# Long enough for a worker's holiday and the next working week; short enough that forgotten
# personal data does not linger (see docs/web.md, "Drafts").
DRAFT_DAYS = 30
MAX_FIELDS = 60
MAX_CHARS = 100_000  # all values of one draft together; the longest real field is free text
REPORT_NEW = "report_new"
_FIELD = re.compile(r"[a-z_]{1,40}", re.ASCII)

DraftData = dict[str, str | list[str]]


def case_step_key(case_id: int, step: str) -> str:
    """Return the form key of one step's form on a case page."""
    return f"case:{case_id}:{step}"


def _cutoff(now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(days=DRAFT_DAYS)


def _rows(session: Session, statement: Update | Delete) -> int:
    """Execute an UPDATE or DELETE and return how many rows it touched."""
    return cast(CursorResult[Any], session.execute(statement)).rowcount


def _check(data: DraftData) -> None:
    """Refuse input that no form of the desk produces (too many or odd fields, too long)."""
    if len(data) > MAX_FIELDS or not all(_FIELD.fullmatch(name) for name in data):
        raise InvalidInput("Utkastet har okända fält.")
    size = sum(len(v) if isinstance(v, str) else sum(len(x) for x in v) for v in data.values())
    if size > MAX_CHARS:
        raise InvalidInput(f"Utkastet är för långt (högst {MAX_CHARS} tecken).")


def save(
    session: Session, *, staff_id: int, key: str, data: DraftData, now: dt.datetime | None = None
) -> dt.datetime:
    """Store a form's input as the staff member's draft and return when it was saved."""
    _check(data)
    saved = now or utcnow()
    mine = (Draft.staff_id == staff_id, Draft.form_key == key)
    changed = update(Draft).where(*mine).values(data=data, updated_at=saved)
    if _rows(session, changed) == 0:
        try:
            with session.begin_nested():
                session.execute(
                    insert(Draft).values(
                        staff_id=staff_id, form_key=key, data=data, updated_at=saved
                    )
                )
        except IntegrityError:  # a parallel save of the same form inserted it first
            session.execute(changed)
    session.execute(
        sql_delete(Draft).where(Draft.staff_id == staff_id, Draft.updated_at < _cutoff(saved))
    )
    return saved


def get(
    session: Session, *, staff_id: int, key: str, now: dt.datetime | None = None
) -> Draft | None:
    """Return the staff member's unexpired draft of one form, or None."""
    return session.scalars(
        select(Draft).where(
            Draft.staff_id == staff_id,
            Draft.form_key == key,
            Draft.updated_at >= _cutoff(now or utcnow()),
        )
    ).one_or_none()


def get_all(
    session: Session, *, staff_id: int, prefix: str, now: dt.datetime | None = None
) -> list[Draft]:
    """Return the staff member's unexpired drafts whose form key starts with prefix."""
    return list(
        session.scalars(
            select(Draft)
            .where(
                Draft.staff_id == staff_id,
                Draft.form_key.startswith(prefix, autoescape=True),
                Draft.updated_at >= _cutoff(now or utcnow()),
            )
            .order_by(Draft.form_key)
        )
    )


def delete(session: Session, *, staff_id: int, key: str) -> None:
    """Delete the staff member's draft of one form (after it was submitted or discarded)."""
    session.execute(sql_delete(Draft).where(Draft.staff_id == staff_id, Draft.form_key == key))


def purge(session: Session, *, now: dt.datetime | None = None) -> int:
    """Delete every draft not saved in the last DRAFT_DAYS days; return how many."""
    return _rows(session, sql_delete(Draft).where(Draft.updated_at < _cutoff(now or utcnow())))
