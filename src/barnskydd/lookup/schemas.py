"""What crosses the wire between a municipality and the index (Pydantic, shared both ways)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from barnskydd.audit.purpose import Purpose
from barnskydd.core.bounds import BoundedDay, PositiveInt32, StoredText
from barnskydd.lookup.rules import StatusClass

MAX_BATCH = 100
MAX_KEYS_PER_LOOKUP = 4
# Lookups per POST /v1/lookups: at their longest (four pseudonyms, 200-character texts of
# 4-byte characters) 16 of them stay under the services' 64 KiB body limit.
MAX_LOOKUPS_PER_REQUEST = 16
Pseudonym = Annotated[str, Field(pattern=r"^[0-9a-f]{128}$")]
Month = Annotated[str, Field(pattern=r"^(19|20|21)\d{2}-(0[1-9]|1[0-2])$")]  # 1900-01 to 2199-12
# Every text the index stores fits its column and holds nothing PostgreSQL cannot store.
ShortText = Annotated[StoredText, Field(min_length=1, max_length=200)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EntryKey(Strict):
    """A pseudonym under one key version."""

    key_version: PositiveInt32  # an integer column: refused beyond 2**31 - 1, not a 500
    pseudonym: Pseudonym


class EntryIn(EntryKey):
    """One entry as the owning municipality publishes it (its kommunkod comes from its token)."""

    latest_report_month: Month
    status_class: StatusClass
    contact_unit: ShortText
    expires_on: BoundedDay


class UpsertRequest(Strict):
    """Entries to store or replace and entries to remove, all the caller's own."""

    entries: list[EntryIn] = Field(default_factory=list, max_length=MAX_BATCH)
    withdrawals: list[EntryKey] = Field(default_factory=list, max_length=MAX_BATCH)


class UpsertResponse(BaseModel):
    """How many entries were stored and removed."""

    stored: int
    withdrawn: int


class LookupRequest(Strict):
    """One child's pseudonyms (one per accepted key version) and why the question is asked."""

    pseudonyms: list[EntryKey] = Field(min_length=1, max_length=MAX_KEYS_PER_LOOKUP)
    purpose: Purpose  # the one rule for purposes: no identity number in the index's log
    asked_by: ShortText
    contact: ShortText


class Match(BaseModel):
    """Another municipality holds a report: when, how far it went and whom to call."""

    municipality_code: str
    latest_report_month: str
    status_class: StatusClass
    contact_unit: str


class LookupResponse(BaseModel):
    """The answer, the same shape with or without matches."""

    matches: list[Match]


class LookupsRequest(Strict):
    """Several lookups at once, each logged and notified exactly as if asked alone."""

    lookups: list[LookupRequest] = Field(min_length=1, max_length=MAX_LOOKUPS_PER_REQUEST)


class LookupsResponse(BaseModel):
    """One answer per lookup, in the order asked."""

    answers: list[LookupResponse]


class NotificationOut(BaseModel):
    """One of the municipality's entries was matched by another municipality's lookup."""

    id: int
    key_version: int
    pseudonym: str
    asking_municipality: str
    asked_by: str
    contact: str
    purpose: str
    asked_at: dt.datetime


class NotificationsResponse(BaseModel):
    """Notifications after a given id, oldest first."""

    notifications: list[NotificationOut]
