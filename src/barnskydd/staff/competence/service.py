"""Read and edit the competence records; every edit (and every read of one person's) is audited.

A worker reads their own record; a team lead reads and edits those of their unit; an
administrator (and the command line's system user) every one. Anyone else, and a username
that does not exist, get the same NotFound, so the answer does not tell whether the person
exists.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from barnskydd.audit import service as audit
from barnskydd.core.actor import Actor, Role
from barnskydd.core.db import utcnow
from barnskydd.core.errors import InvalidInput, NotFound
from barnskydd.staff.competence import programmes
from barnskydd.staff.competence.codes import NEEDS_CERTIFICATE, NEEDS_KIND, Degree
from barnskydd.staff.competence.inputs import (
    CompetenceSet,
    EarlierPeriod,
    IntroductionStart,
    ItemDone,
    not_after,
)
from barnskydd.staff.competence.models import (
    CoSigner,
    ExperiencePeriod,
    Introduction,
    IntroductionItem,
    StaffCompetence,
)
from barnskydd.staff.competence.rules import Period, independent, years_of
from barnskydd.staff.competence.standing import co_signers
from barnskydd.staff.models import StaffMember

ENTITY = "staff_competence"
MSG_NOT_FOUND = "Ingen sådan medarbetare."
MSG_OVERLAP = "Tidigare perioder får inte överlappa varandra eller den nuvarande perioden."


@dataclass(frozen=True, slots=True)
class ItemProgress:
    """One item of the worker's programme and when it was done (None: not yet)."""

    key: str
    title: str
    completed_on: dt.date | None


@dataclass(frozen=True, slots=True)
class IntroductionView:
    """A worker's introduction as shown."""

    programme: str
    version: int
    name: str
    started_on: dt.date
    planned_end: dt.date | None
    mentor: str | None
    items: tuple[ItemProgress, ...]

    @property
    def done(self) -> int:
        """How many items are done."""
        return sum(1 for i in self.items if i.completed_on is not None)


@dataclass(frozen=True, slots=True)
class CompetenceView:
    """A worker's competence on a day, as the desk and the CLI show it."""

    username: str
    display_name: str
    unit_id: int | None
    recorded: bool
    degree: Degree | None
    degree_on: dt.date | None
    degree_kind: str | None
    certificate_ref: str | None
    periods: tuple[Period, ...]
    years: float
    independent_from: dt.date | None
    independent: bool
    supervision_minutes_per_week: int | None
    introduction: IntroductionView | None
    co_signers: tuple[str, ...]  # named for this worker
    may_co_sign_now: tuple[str, ...]  # everyone who may co-sign today (mentor, team leads too)

    def as_json(self) -> dict[str, object]:
        """Return the view as the CLI's JSON prints it."""
        intro = self.introduction
        return {
            "username": self.username,
            "recorded": self.recorded,
            "degree": self.degree.value if self.degree else None,
            "degree_date": _iso(self.degree_on),
            "degree_kind": self.degree_kind,
            "certificate_ref": self.certificate_ref,
            "experience_periods": [
                {"from": p.start_on.isoformat(), "to": _iso(p.end_on)} for p in self.periods
            ],
            "experience_years": self.years,
            "independent_from": _iso(self.independent_from),
            "independent": self.independent,
            "supervision_minutes_per_week": self.supervision_minutes_per_week,
            "introduction": None
            if intro is None
            else {
                "programme": intro.programme,
                "version": intro.version,
                "started_on": intro.started_on.isoformat(),
                "planned_end": _iso(intro.planned_end),
                "mentor": intro.mentor,
                "items": [
                    {"key": i.key, "title": i.title, "completed_on": _iso(i.completed_on)}
                    for i in intro.items
                ],
            },
            "co_signers": list(self.co_signers),
            "may_co_sign_now": list(self.may_co_sign_now),
        }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _member(session: Session, username: str) -> StaffMember:
    member = session.scalars(select(StaffMember).where(StaffMember.username == username)).first()
    if member is None:
        raise NotFound(MSG_NOT_FOUND)
    return member


def may_read(actor: Actor, member: StaffMember) -> bool:
    """Whether the actor may read this member's competence."""
    return actor.staff_id == member.id or may_edit(actor, member)


def may_edit(actor: Actor, member: StaffMember) -> bool:
    """Whether the actor may edit this member's competence: an admin (or the command line's
    system user), or their team lead."""
    if actor.role in (Role.ADMIN, Role.SYSTEM):
        return True
    # Not their own record: a team lead does not sign themselves off as independent.
    return (
        actor.role is Role.TEAM_LEAD
        and member.unit_id is not None
        and member.unit_id == actor.unit_id
        and member.id != actor.staff_id
    )


def reachable(session: Session, actor: Actor, username: str, *, edit: bool) -> StaffMember:
    """Return the member the actor may read (or edit), or the one NotFound for anyone else."""
    member = _member(session, username)
    if not (may_edit(actor, member) if edit else may_read(actor, member)):
        raise NotFound(MSG_NOT_FOUND)
    return member


def _audit(session: Session, actor: Actor, action: str, member: StaffMember, what: str) -> None:
    audit.record(
        session, actor=actor, action=action, entity=ENTITY, entity_id=member.id, purpose=what
    )


def _periods(session: Session, staff_id: int) -> tuple[Period, ...]:
    rows = session.scalars(
        select(ExperiencePeriod)
        .where(ExperiencePeriod.staff_id == staff_id)
        .order_by(ExperiencePeriod.start_on)
    )
    return tuple(Period(r.start_on, r.end_on) for r in rows)


def view(session: Session, member: StaffMember, on: dt.date) -> CompetenceView:
    """Return a member's competence on a day (no access check, no audit: callers do both)."""
    record = session.get(StaffCompetence, member.id)
    introduction = session.get(Introduction, member.id)
    periods = _periods(session, member.id)
    named = session.scalars(
        select(StaffMember.username)
        .join(CoSigner, CoSigner.co_signer_id == StaffMember.id)
        .where(CoSigner.staff_id == member.id)
        .order_by(StaffMember.username)
    )
    return CompetenceView(
        username=member.username,
        display_name=member.display_name,
        unit_id=member.unit_id,
        recorded=record is not None,
        degree=record.degree if record else None,
        degree_on=record.degree_on if record else None,
        degree_kind=record.degree_kind if record else None,
        certificate_ref=record.certificate_ref if record else None,
        periods=periods,
        years=years_of(periods, on),
        independent_from=record.independent_from if record else None,
        independent=independent(
            introduction=introduction is not None,
            independent_from=record.independent_from if record else None,
            on=on,
        ),
        supervision_minutes_per_week=record.supervision_minutes_per_week if record else None,
        introduction=_introduction(session, introduction),
        co_signers=tuple(named),
        may_co_sign_now=tuple(sorted(co_signers(session, member.id, on))),
    )


def _introduction(session: Session, row: Introduction | None) -> IntroductionView | None:
    if row is None:
        return None
    programme = programmes.get(row.programme, row.version)
    done = {
        i.item: i.completed_on
        for i in session.scalars(
            select(IntroductionItem).where(IntroductionItem.staff_id == row.staff_id)
        )
    }
    mentor = session.get(StaffMember, row.mentor_id) if row.mentor_id else None
    return IntroductionView(
        programme=programme.id,
        version=programme.version,
        name=programme.name,
        started_on=row.started_on,
        planned_end=row.planned_end,
        mentor=mentor.username if mentor else None,
        items=tuple(ItemProgress(i.key, i.title, done.get(i.key)) for i in programme.items),
    )


def get(session: Session, *, actor: Actor, username: str, on: dt.date) -> CompetenceView:
    """Return one member's competence on a day, audited."""
    member = reachable(session, actor, username, edit=False)
    _audit(session, actor, "read", member, "kompetens")
    return view(session, member, on)


def get_all(session: Session, *, actor: Actor, on: dt.date) -> list[CompetenceView]:
    """Return the competence of everyone the actor may edit (their unit; all for an admin)."""
    members = session.scalars(
        select(StaffMember).where(StaffMember.active).order_by(StaffMember.display_name)
    )
    shown = [m for m in members if may_edit(actor, m)]
    for member in shown:
        _audit(session, actor, "read", member, "kompetens, översikt")
    return [view(session, m, on) for m in shown]


def update(
    session: Session,
    *,
    actor: Actor,
    username: str,
    data: CompetenceSet,
    earlier: list[EarlierPeriod] | None = None,
    today: dt.date,
) -> CompetenceView:
    """Record a member's competence: the fields given replace those stored, the rest stay.

    `earlier`, when given, replaces the ended periods of work with child investigations.
    """
    member = reachable(session, actor, username, edit=True)
    given = data.model_fields_set
    record = session.get(StaffCompetence, member.id)
    if record is None:
        if data.degree is None:
            raise InvalidInput("Ange examen första gången kompetensen registreras.", field="degree")
        record = StaffCompetence(staff_id=member.id, degree=data.degree, updated_by="")
        session.add(record)
    for name in given - {"experience_from"}:
        setattr(record, name, getattr(data, name))
    _check_record(record, today)
    if "experience_from" in given:
        _current_period(session, member.id, data.experience_from, today)
    if earlier is not None:
        _earlier_periods(session, member.id, earlier)
    record.updated_at, record.updated_by = utcnow(), actor.username
    session.flush()
    shown = view(session, member, today)
    # The staff table's own two fields follow, so the team view shows the same.
    member.socionom = shown.degree is Degree.SOCIONOM
    member.years_experience = int(shown.years)
    _audit(session, actor, "update", member, "kompetens")
    return shown


def _check_record(record: StaffCompetence, today: dt.date) -> None:
    not_after(record.degree_on, today, "degree_on", "Examensdatum")
    if record.degree in NEEDS_KIND and not record.degree_kind:
        raise InvalidInput("Ange vilken examen det är.", field="degree_kind")
    if record.degree in NEEDS_CERTIFICATE and not record.certificate_ref:
        raise InvalidInput("Ange Socialstyrelsens bevis om behörighet.", field="certificate_ref")
    if record.degree is Degree.NONE and record.degree_on is not None:
        raise InvalidInput("Ett examensdatum hör till en examen.", field="degree_on")


def _current_period(
    session: Session, staff_id: int, start_on: dt.date | None, today: dt.date
) -> None:
    not_after(start_on, today, "experience_from", "Startdagen")
    session.execute(
        delete(ExperiencePeriod).where(
            ExperiencePeriod.staff_id == staff_id, ExperiencePeriod.end_on.is_(None)
        )
    )
    if start_on is not None:
        ended = _periods(session, staff_id)
        if any(p.end_on is not None and p.end_on >= start_on for p in ended):
            raise InvalidInput(MSG_OVERLAP, field="experience_from")
        session.add(ExperiencePeriod(staff_id=staff_id, start_on=start_on))


def _earlier_periods(session: Session, staff_id: int, earlier: list[EarlierPeriod]) -> None:
    current = next((p for p in _periods(session, staff_id) if p.end_on is None), None)
    ordered = sorted(earlier, key=lambda p: p.start_on)
    for period in ordered:
        if period.end_on < period.start_on:
            raise InvalidInput("En period kan inte sluta före den börjar.", field="earlier")
    for first, second in itertools.pairwise(ordered):
        if second.start_on <= first.end_on:
            raise InvalidInput(MSG_OVERLAP, field="earlier")
    if current is not None and ordered and ordered[-1].end_on >= current.start_on:
        raise InvalidInput(MSG_OVERLAP, field="earlier")
    session.execute(
        delete(ExperiencePeriod).where(
            ExperiencePeriod.staff_id == staff_id, ExperiencePeriod.end_on.is_not(None)
        )
    )
    for period in ordered:
        session.add(
            ExperiencePeriod(staff_id=staff_id, start_on=period.start_on, end_on=period.end_on)
        )


def start_introduction(
    session: Session, *, actor: Actor, username: str, data: IntroductionStart, today: dt.date
) -> CompetenceView:
    """Enrol a member in a programme version (replacing an earlier enrolment and its progress)."""
    member = reachable(session, actor, username, edit=True)
    programme = programmes.get(data.programme, data.version)
    if data.planned_end is not None and data.planned_end < data.started_on:
        raise InvalidInput("Planerat slut kan inte ligga före starten.", field="planned_end")
    mentor_id = None
    if data.mentor:
        mentor = session.scalars(
            select(StaffMember).where(StaffMember.username == data.mentor, StaffMember.active)
        ).first()
        if mentor is None or mentor.id == member.id:
            raise InvalidInput(
                f"Ingen annan aktiv medarbetare heter '{data.mentor}'.", field="mentor"
            )
        mentor_id = mentor.id
    session.execute(delete(IntroductionItem).where(IntroductionItem.staff_id == member.id))
    row = session.get(Introduction, member.id)
    if row is None:
        row = Introduction(staff_id=member.id, programme=programme.id, version=0, started_on=today)
        session.add(row)
    row.programme, row.version = programme.id, programme.version
    row.started_on, row.planned_end, row.mentor_id = data.started_on, data.planned_end, mentor_id
    session.flush()
    _audit(session, actor, "update", member, "kompetens, introduktion")
    return view(session, member, today)


def complete_item(
    session: Session, *, actor: Actor, username: str, data: ItemDone, today: dt.date
) -> CompetenceView:
    """Record that a member completed one item of their programme on a day."""
    member = reachable(session, actor, username, edit=True)
    row = session.get(Introduction, member.id)
    if row is None:
        raise InvalidInput(f"{member.username} har ingen introduktion.", field="item")
    programmes.get(row.programme, row.version).item(data.item)
    not_after(data.completed_on, today, "completed_on", "Dagen")
    if data.completed_on < row.started_on:
        raise InvalidInput(
            "Delen kan inte bli klar före introduktionens start.", field="completed_on"
        )
    done = session.get(IntroductionItem, (member.id, data.item))
    if done is None:
        session.add(
            IntroductionItem(staff_id=member.id, item=data.item, completed_on=data.completed_on)
        )
    else:
        done.completed_on = data.completed_on
    session.flush()
    _audit(session, actor, "update", member, "kompetens, introduktion")
    return view(session, member, today)


def set_co_signer(
    session: Session, *, actor: Actor, username: str, co_signer: str, named: bool, today: dt.date
) -> CompetenceView:
    """Name (or stop naming) a co-signer for a member's reserved steps."""
    member = reachable(session, actor, username, edit=True)
    other = session.scalars(
        select(StaffMember).where(StaffMember.username == co_signer, StaffMember.active)
    ).first()
    if other is None or other.id == member.id:
        raise InvalidInput(f"Ingen annan aktiv medarbetare heter '{co_signer}'.", field="co_signer")
    row = session.get(CoSigner, (member.id, other.id))
    if named and row is None:
        session.add(CoSigner(staff_id=member.id, co_signer_id=other.id))
    elif not named and row is not None:
        session.delete(row)
    session.flush()
    _audit(session, actor, "update", member, "kompetens, medundertecknare")
    return view(session, member, today)
