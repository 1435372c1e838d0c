"""The index's service functions: upsert a municipality's own entries, look up, notify, expire."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, Row, and_, delete, insert, or_, select
from sqlalchemy.orm import Session

from barnskydd.core.errors import InvalidInput
from barnskydd.lookup.index_models import Entry, LookupLog, Notification
from barnskydd.lookup.rules import LOG_RETENTION_DAYS, MAX_AGE_YEARS
from barnskydd.lookup.schemas import EntryIn, EntryKey, LookupRequest, Match, NotificationOut

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


def lookup(
    session: Session, *, municipality: str, request: LookupRequest, now: dt.datetime
) -> list[Match]:
    """Return other municipalities' live entries for the pseudonyms; log it and notify them.

    Plain statements (the columns it needs, two inserts), no ORM objects: this runs once per
    lookup, and what the ORM added (identity map, unit of work) was a good part of its time.
    """
    rows = session.execute(
        select(
            Entry.municipality_code,
            Entry.key_version,
            Entry.pseudonym,
            Entry.latest_report_month,
            Entry.status_class,
            Entry.contact_unit,
        )
        .where(
            or_(*(_same_key(k) for k in request.pseudonyms)),
            Entry.municipality_code != municipality,
            Entry.expires_on >= now.date(),
        )
        .order_by(Entry.latest_report_month.desc(), Entry.municipality_code)
    ).all()
    best: dict[str, Row[Any]] = {}
    for row in rows:  # one answer per municipality, whichever key version it is under
        best.setdefault(row.municipality_code, row)
    session.execute(
        insert(LookupLog).values(
            asked_at=now,
            municipality_code=municipality,
            asked_by=request.asked_by,
            purpose=request.purpose,
            pseudonym=request.pseudonyms[0].pseudonym,
            matches=len(best),
        )
    )
    if best:
        session.execute(
            insert(Notification),
            [
                {
                    "recipient": row.municipality_code,
                    "key_version": row.key_version,
                    "pseudonym": row.pseudonym,
                    "asking_municipality": municipality,
                    "asked_by": request.asked_by,
                    "contact": request.contact,
                    "purpose": request.purpose,
                    "asked_at": now,
                }
                for row in best.values()
            ],
        )
    return [
        Match(
            municipality_code=row.municipality_code,
            latest_report_month=row.latest_report_month,
            status_class=row.status_class,
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
