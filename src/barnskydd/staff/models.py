"""Units and the people who work in them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from barnskydd.core.actor import Role
from barnskydd.core.db import Base, enum_by_value


class Unit(Base):
    """A team (enhet/arbetsgrupp) within the municipality's social services."""

    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    municipality_code: Mapped[str] = mapped_column(String(4))

    staff: Mapped[list[StaffMember]] = relationship(back_populates="unit")


class StaffMember(Base):
    """A case worker, team lead, analyst or administrator."""

    __tablename__ = "staff_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[Role] = mapped_column(enum_by_value(Role))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    socionom: Mapped[bool] = mapped_column(default=True, comment="holds a socionom degree")
    years_experience: Mapped[int] = mapped_column(default=0)
    employment_rate: Mapped[int] = mapped_column(
        default=100, server_default="100", comment="percent of full time (sysselsättningsgrad)"
    )
    active: Mapped[bool] = mapped_column(default=True)
    password_hash: Mapped[str | None] = mapped_column(
        String(200), comment="argon2id hash for local login; none means no local login"
    )

    unit: Mapped[Unit | None] = relationship(back_populates="staff")


class Employment(Base):
    """A period in which a staff member held a role in the municipality (employment dates).

    The Öppna jämförelser indicators count whoever held the case worker role on the reference
    date. A start of None means "before the records began" (members who existed before this
    table); an end of None means still employed.
    """

    __tablename__ = "staff_employment"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"), index=True)
    role: Mapped[Role] = mapped_column(enum_by_value(Role))
    start_on: Mapped[dt.date | None] = mapped_column(comment="first day; none: before records")
    end_on: Mapped[dt.date | None] = mapped_column(comment="last day; none: still employed")


class LoginAttempt(Base):
    """The password checks of one username in its lock-out window, shared by every process.

    One row per username (as typed, lowercased; unknown names too). A check is reserved here,
    by one conditional UPDATE in a transaction of its own, before the password is verified
    (web.security.LoginGuard), so that no more than the limit can run in one window however
    many arrive at once.
    """

    __tablename__ = "login_attempt"

    username: Mapped[str] = mapped_column(
        String(60), primary_key=True, comment="as typed, lowercased"
    )
    window_start: Mapped[dt.datetime] = mapped_column(comment="first check of the window")
    attempts: Mapped[int] = mapped_column(comment="password checks reserved in the window")
