"""Who is acting: every service call that touches a child's data names its actor."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    CASE_WORKER = "case_worker"
    TEAM_LEAD = "team_lead"
    ANALYST = "analyst"
    ADMIN = "admin"
    LEX_SARAH = "lex_sarah"  # municipality level: Lex Sarah investigations, IVO reports
    SYSTEM = "system"


@dataclass(frozen=True, slots=True)
class Actor:
    """The person (or system job) on whose behalf a service call runs."""

    username: str
    role: Role
    staff_id: int | None = None
    unit_id: int | None = None


SYSTEM = Actor(username="system", role=Role.SYSTEM)
