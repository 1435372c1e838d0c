"""Publish the outbox to the index: pseudonymise, upsert, mark done, or back off and retry.

No transaction is held open while a national service is called: pending rows are read in one
short transaction, sent, and marked in another. The index's upsert is idempotent, so a crash
between sending and marking only means the same entry is sent again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import structlog
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from barnskydd.core.db import transaction, utcnow
from barnskydd.lookup.client import NationalClient, NationalRefused, NationalUnavailable
from barnskydd.lookup.models import LookupPublication
from barnskydd.lookup.rules import StatusClass, oprf_input
from barnskydd.lookup.schemas import MAX_BATCH, EntryIn, EntryKey, UpsertRequest
from barnskydd.people.models import Child

MAX_BACKOFF = dt.timedelta(hours=1)
log = structlog.get_logger("barnskydd.lookup.sender")


@dataclass(frozen=True, slots=True)
class _Pending:
    row_id: int
    revision: int
    withdrawn: bool
    identity_number: str
    entry: tuple[StatusClass, str, str, dt.date] | None
    published: EntryKey | None


@dataclass(frozen=True, slots=True)
class SendResult:
    """What one round of sending did."""

    published: int = 0
    withdrawn: int = 0
    failed: int = 0
    error: str | None = None


def backoff(attempts: int) -> dt.timedelta:
    """Return the wait before the next try: 10 s doubling per attempt, at most an hour."""
    return min(dt.timedelta(seconds=10 * 2 ** min(attempts, 20)), MAX_BACKOFF)


def _pending(session: Session, *, key_version: int, now: dt.datetime) -> list[_Pending]:
    query = (
        select(LookupPublication, Child.identity_number)
        .join(Child, Child.id == LookupPublication.child_id)
        .where(
            or_(
                LookupPublication.published_revision.is_(None),
                LookupPublication.published_revision != LookupPublication.revision,
                # After a key rotation every live entry is published again under the new key.
                (LookupPublication.published_key_version != key_version)
                & ~LookupPublication.withdrawn,
            ),
            or_(
                LookupPublication.next_attempt_at.is_(None),
                LookupPublication.next_attempt_at <= now,
            ),
        )
        .order_by(LookupPublication.id)
        .limit(MAX_BATCH)
    )
    pending = []
    for row, number in session.execute(query):
        entry = None
        status, month, contact, expires = (
            row.status_class,
            row.latest_report_month,
            row.contact_unit,
            row.expires_on,
        )
        if not row.withdrawn and status and month and contact and expires:
            entry = (status, month, contact, expires)
        published = None
        if row.published_pseudonym and row.published_key_version:
            published = EntryKey(
                key_version=row.published_key_version, pseudonym=row.published_pseudonym
            )
        pending.append(_Pending(row.id, row.revision, row.withdrawn, number, entry, published))
    return pending


def _request(batch: list[_Pending], pseudonyms: dict[int, str], version: int) -> UpsertRequest:
    entries, withdrawals = [], []
    for item in batch:
        if item.entry is not None:
            status, month, contact, expires = item.entry
            entries.append(
                EntryIn(
                    key_version=version,
                    pseudonym=pseudonyms[item.row_id],
                    latest_report_month=month,
                    status_class=status,
                    contact_unit=contact,
                    expires_on=expires,
                )
            )
        stale = item.published is not None and (
            item.entry is None or item.published.key_version != version
        )
        if stale and item.published is not None:
            withdrawals.append(item.published)
    return UpsertRequest(entries=entries, withdrawals=withdrawals)


def send_batch(
    factory: sessionmaker[Session], client: NationalClient, *, now: dt.datetime | None = None
) -> SendResult:
    """Send up to one batch of pending rows; a failure backs those rows off."""
    now = now or utcnow()
    try:
        version = client.keys().current
    except (NationalUnavailable, NationalRefused) as error:
        return SendResult(error=error.message)
    with transaction(factory) as session:
        batch = _pending(session, key_version=version, now=now)
    if not batch:
        return SendResult()
    live = [item for item in batch if item.entry is not None]
    try:
        values = client.pseudonyms([oprf_input(i.identity_number) for i in live], version)
        pseudonyms = {item.row_id: p for item, p in zip(live, values, strict=True)}
        client.upsert(_request(batch, pseudonyms, version))
    except (NationalUnavailable, NationalRefused) as error:
        _failed(factory, batch, now=now, error=error.message)
        log.warning("lookup publish failed", rows=len(batch), error=error.message)
        return SendResult(failed=len(batch), error=error.message)
    with transaction(factory) as session:
        for item in batch:
            row = session.get_one(LookupPublication, item.row_id)
            row.published_revision = item.revision
            row.published_key_version = None if item.entry is None else version
            row.published_pseudonym = pseudonyms.get(item.row_id)
            row.attempts, row.next_attempt_at, row.last_error = 0, None, None
    published = len(live)
    log.info("lookup published", published=published, withdrawn=len(batch) - published)
    return SendResult(published=published, withdrawn=len(batch) - published)


def _failed(
    factory: sessionmaker[Session], batch: list[_Pending], *, now: dt.datetime, error: str
) -> None:
    with transaction(factory) as session:
        for item in batch:
            row = session.get_one(LookupPublication, item.row_id)
            row.attempts += 1
            row.next_attempt_at = now + backoff(row.attempts)
            row.last_error = error[:200]


def send_all(
    factory: sessionmaker[Session], client: NationalClient, *, now: dt.datetime | None = None
) -> SendResult:
    """Send batches until nothing is pending now or a batch fails."""
    total = SendResult()
    while True:
        result = send_batch(factory, client, now=now)
        total = SendResult(
            total.published + result.published,
            total.withdrawn + result.withdrawn,
            total.failed + result.failed,
            result.error,
        )
        if result.error or not (result.published or result.withdrawn):
            return total
