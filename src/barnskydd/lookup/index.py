"""The index's service functions: upsert a municipality's own entries, look up, notify, expire."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Row,
    TextClause,
    and_,
    bindparam,
    delete,
    or_,
    select,
    text,
)
from sqlalchemy.orm import Session

from barnskydd.core.db import UTCDateTime
from barnskydd.core.errors import InvalidInput
from barnskydd.lookup.index_models import Entry, LookupLog, Notification
from barnskydd.lookup.rules import LOG_RETENTION_DAYS, MAX_AGE_YEARS, StatusClass
from barnskydd.lookup.schemas import (
    MAX_KEYS_PER_LOOKUP,
    EntryIn,
    EntryKey,
    LookupRequest,
    Match,
    NotificationOut,
)

MAX_NOTIFICATIONS = 500


def _same_key(key: EntryKey) -> ColumnElement[bool]:
    return and_(Entry.pseudonym == key.pseudonym, Entry.key_version == key.key_version)


def upsert(
    session: Session,
    *,
    municipality: str,
    entries: list[EntryIn],
    withdrawals: list[EntryKey],
    now: dt.datetime,
) -> tuple[int, int]:
    """Store or replace the municipality's entries and remove withdrawn ones (idempotent)."""
    latest_allowed = now.date() + dt.timedelta(days=366 * MAX_AGE_YEARS)
    for item in entries:
        if item.expires_on <= now.date() or item.expires_on > latest_allowed:
            raise InvalidInput("Utgångsdatumet ligger utanför gallringsregeln.", field="expires_on")
    for item in entries:
        row = session.scalar(
            select(Entry).where(_same_key(item), Entry.municipality_code == municipality)
        )
        if row is None:
            row = Entry(pseudonym=item.pseudonym, key_version=item.key_version)
            row.municipality_code = municipality
            session.add(row)
        row.latest_report_month = item.latest_report_month
        row.status_class = item.status_class
        row.contact_unit = item.contact_unit
        row.expires_on = item.expires_on
        row.updated_at = now
    removed = 0
    if withdrawals:
        result = session.execute(
            delete(Entry).where(
                Entry.municipality_code == municipality, or_(*(_same_key(k) for k in withdrawals))
            )
        )
        removed = result.rowcount or 0  # type: ignore[attr-defined]
    session.flush()
    return len(entries), removed


def _lookup_statements() -> dict[int, TextClause]:
    """The lookup's select for 1 to MAX_KEYS_PER_LOOKUP pseudonyms, written once."""
    statements = {}
    for n in range(1, MAX_KEYS_PER_LOOKUP + 1):
        keys = " OR ".join(f"(pseudonym = :p{i} AND key_version = :v{i})" for i in range(n))
        statements[n] = text(
            "SELECT municipality_code, key_version, pseudonym, latest_report_month,"  # noqa: S608
            f" status_class, contact_unit FROM {Entry.__tablename__} WHERE ({keys})"
            " AND municipality_code != :asking AND expires_on >= :today"
            " ORDER BY latest_report_month DESC, municipality_code"
        ).bindparams(bindparam("today", type_=Date()))
    return statements


# Written once as SQL text: building the statements anew each time (and SQLAlchemy's cache
# key for them) was most of the index's CPU time per lookup.
_FIND = _lookup_statements()
_LOG_SQL = text(
    f"INSERT INTO {LookupLog.__tablename__} (asked_at, municipality_code, asked_by, purpose,"  # noqa: S608
    " pseudonym, matches) VALUES (:asked_at, :asking, :asked_by, :purpose, :pseudonym, :matches)"
).bindparams(bindparam("asked_at", type_=UTCDateTime()))
_NOTIFY_SQL = text(
    f"INSERT INTO {Notification.__tablename__} (recipient, key_version, pseudonym,"  # noqa: S608
    " asking_municipality, asked_by, contact, purpose, asked_at) VALUES (:recipient,"
    " :key_version, :pseudonym, :asking, :asked_by, :contact, :purpose, :asked_at)"
).bindparams(bindparam("asked_at", type_=UTCDateTime()))


def lookup(
    session: Session, *, municipality: str, request: LookupRequest, now: dt.datetime
) -> list[Match]:
    """Return other municipalities' live entries for the pseudonyms; log it and notify them."""
    params: dict[str, object] = {"asking": municipality, "today": now.date()}
    for i, key in enumerate(request.pseudonyms):
        params[f"p{i}"], params[f"v{i}"] = key.pseudonym, key.key_version
    rows = session.execute(_FIND[len(request.pseudonyms)], params).all()
    best: dict[str, Row[Any]] = {}
    for row in rows:  # one answer per municipality, whichever key version it is under
        best.setdefault(row.municipality_code, row)
    asked = {
        "asked_at": now,
        "asking": municipality,
        "asked_by": request.asked_by,
        "purpose": request.purpose,
    }
    session.execute(
        _LOG_SQL, {**asked, "pseudonym": request.pseudonyms[0].pseudonym, "matches": len(best)}
    )
    if best:
        session.execute(
            _NOTIFY_SQL,
            [
                {
                    **asked,
                    "recipient": row.municipality_code,
                    "key_version": row.key_version,
                    "pseudonym": row.pseudonym,
                    "contact": request.contact,
                }
                for row in best.values()
            ],
        )
    return [
        Match(
            municipality_code=row.municipality_code,
            latest_report_month=row.latest_report_month,
            status_class=StatusClass(row.status_class),
            contact_unit=row.contact_unit,
        )
        for row in best.values()
    ]


def notifications(
    session: Session, *, municipality: str, after: int = 0, limit: int = MAX_NOTIFICATIONS
) -> list[NotificationOut]:
    """Return the municipality's notifications after an id, oldest first."""
    rows = session.scalars(
        select(Notification)
        .where(Notification.recipient == municipality, Notification.id > after)
        .order_by(Notification.id)
        .limit(min(limit, MAX_NOTIFICATIONS))
    )
    return [
        NotificationOut(
            id=n.id,
            key_version=n.key_version,
            pseudonym=n.pseudonym,
            asking_municipality=n.asking_municipality,
            asked_by=n.asked_by,
            contact=n.contact,
            purpose=n.purpose,
            asked_at=n.asked_at,
        )
        for n in rows
    ]


def expire(session: Session, *, now: dt.datetime) -> dict[str, int]:
    """Delete expired entries and logs and notifications past their retention."""
    cutoff = now - dt.timedelta(days=LOG_RETENTION_DAYS)
    counts = {
        "entries": session.execute(delete(Entry).where(Entry.expires_on < now.date())),
        "lookups": session.execute(delete(LookupLog).where(LookupLog.asked_at < cutoff)),
        "notifications": session.execute(
            delete(Notification).where(Notification.asked_at < cutoff)
        ),
    }
    return {name: result.rowcount or 0 for name, result in counts.items()}  # type: ignore[attr-defined]


def withdraw_key_version(session: Session, *, key_version: int) -> int:
    """Delete every entry under a retired key version (after the rotation's transition)."""
    result = session.execute(delete(Entry).where(Entry.key_version == key_version))
    return result.rowcount or 0  # type: ignore[attr-defined]
