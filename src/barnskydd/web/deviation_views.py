"""Avvikelser on the desk: report one from any page, the list, and one deviation's handling.

Anyone logged in reports (three required fields: what, when, unit). The unit's team lead
assesses; the Lex Sarah role investigates, assesses and records the IVO report as sent. The
reporter's name is shown to those owners only. A deviation's page shows its case number only
to those who may read the case (other units, protected children: cases.service.authorize).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import Response

from barnskydd.core.actor import Actor
from barnskydd.core.clock import local_date, today
from barnskydd.core.errors import InvalidInput
from barnskydd.deviations import rules
from barnskydd.deviations import service as deviations
from barnskydd.deviations.codes import (
    ASSESSMENT_LABELS,
    CHANNEL_LABELS,
    FACTOR_LABELS,
    KIND_LABELS,
    STATUS_LABELS,
    DeviationKind,
    DeviationStatus,
)
from barnskydd.deviations.models import Deviation
from barnskydd.deviations.schemas import ActionCreate, DeviationCreate, InvestigationUpdate, IvoSent
from barnskydd.staff.models import StaffMember, Unit
from barnskydd.web import forms
from barnskydd.web.deps import CurrentUser, RowId, SessionDep
from barnskydd.web.refusal import Attempt, refused_page
from barnskydd.web.security import verify_csrf
from barnskydd.web.templating import render
from barnskydd.web.views import FormDep

router = APIRouter(dependencies=[Depends(verify_csrf)])
REPORT_KINDS = (DeviationKind.DEVIATION, DeviationKind.LEX_SARAH_REPORT)
# Where "Klar" on an overdue action returns to: the list, the inbox, the team lead's page.
BACK = {"lista": "/avvikelser", "inkorg": "/", "enhet": "/enhet"}


def _units(session: Session) -> list[tuple[int, str]]:
    return [(u.id, u.name) for u in session.scalars(select(Unit).order_by(Unit.name))]


def _new_context(session: Session, user: Actor) -> dict[str, Any]:
    return {
        "units": _units(session),
        "kinds": [(k.value, KIND_LABELS[k]) for k in REPORT_KINDS],
        "factors": list(FACTOR_LABELS.items()),
        "default_unit": user.unit_id or "",
    }


@router.get("/avvikelser/ny")
def new_deviation(
    request: Request, session: SessionDep, user: CurrentUser, arende: str = ""
) -> Response:
    """Show the report form; from a case page the case number is filled in."""
    context = _new_context(session, user)
    context["values"] = {"case_number": arende[:20], "occurred_on": today().isoformat()}
    return render(request, "deviation_new.html", context)


def _report_input(form: FormData) -> dict[str, Any]:
    measures_at = forms.text(form, "immediate_measures_at")
    return {
        "what_happened": forms.text(form, "what_happened"),
        "occurred_on": forms.text(form, "occurred_on"),
        "unit_id": forms.text(form, "unit_id"),
        "kind": forms.text(form, "kind") or DeviationKind.DEVIATION.value,
        "case_number": forms.optional_text(form, "case_number"),
        "immediate_measures": forms.optional_text(form, "immediate_measures"),
        "immediate_measures_at": (
            forms.local_datetime(form, "immediate_measures_at") if measures_at else None
        ),
        "factors": [v for v in form.getlist("factors") if isinstance(v, str)],
    }


@router.post("/avvikelser/ny")
def create_deviation(
    request: Request, session: SessionDep, user: CurrentUser, form: FormDep
) -> Response:
    """Record the report and say so, or show the form again with the errors by field."""
    created: Deviation | None = None
    attempt = Attempt(session)
    with attempt:
        data = DeviationCreate.model_validate(_report_input(form))
        if data.kind is DeviationKind.AUTO:
            raise InvalidInput("Välj ett av alternativen.", field="kind")
        created = deviations.create(session, actor=user, data=data)
    if created is None:
        context = _new_context(session, user)
        return refused_page(
            request, "deviation_new.html", context, attempt.errors, form, lists=("factors",)
        )
    request.session["flash"] = f"Tack! Avvikelsen är rapporterad (nummer {created.id})."
    return RedirectResponse(f"/avvikelser/{created.id}", status_code=303)


@router.get("/avvikelser")
def deviation_list(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    """List the deviations the user sees and the overdue actions that are theirs to follow."""
    found = deviations.get_all(session, actor=user)
    overdue = deviations.overdue_actions(session, actor=user, on=today())
    return render(
        request,
        "deviations.html",
        {
            "deviations": [
                {
                    "id": d.id,
                    "kind": KIND_LABELS[d.kind],
                    "status": STATUS_LABELS[d.status],
                    "occurred_on": d.occurred_on,
                    "unit": _unit_name(session, d.unit_id),
                    "to_assess": d.status is DeviationStatus.TO_ASSESS,
                }
                for d in found
            ],
            "overdue_actions": overdue,
            "upcoming_actions": deviations.upcoming_actions(session, actor=user, on=today()),
        },
    )


def _unit_name(session: Session, unit_id: int) -> str:
    return session.scalar(select(Unit.name).where(Unit.id == unit_id)) or ""


def detail_context(session: Session, user: Actor, deviation: Deviation) -> dict[str, Any]:
    """Return the deviation page's context as plain data."""
    investigation, report = deviation.investigation, deviation.ivo_report
    decided = investigation.decided_at if investigation else None
    owner = rules.owns(user, deviation.unit_id)
    staff = session.execute(
        select(StaffMember.id, StaffMember.display_name)
        .where(StaffMember.active)
        .where((StaffMember.unit_id == deviation.unit_id) | (StaffMember.unit_id.is_(None)))
        .order_by(StaffMember.display_name)
    ).all()
    names = dict(session.execute(select(StaffMember.id, StaffMember.display_name)).all())
    assessment = investigation.assessment if investigation else None
    return {
        "d": deviation,
        "kind": KIND_LABELS[deviation.kind],
        "status": STATUS_LABELS[deviation.status],
        "unit": _unit_name(session, deviation.unit_id),
        "factors": [FACTOR_LABELS[f.factor] for f in deviation.factors],
        "reporter": deviations.reporter(session, actor=user, deviation=deviation),
        "case_number": deviations.case_number(session, actor=user, deviation=deviation),
        "investigation": investigation,
        "investigation_shown": deviations.shows_investigation(
            session, actor=user, deviation=deviation
        ),
        "assessment": ASSESSMENT_LABELS[assessment] if assessment else None,
        "assessments": list(ASSESSMENT_LABELS.items()),
        "report": report,
        "channels": list(CHANNEL_LABELS.items()),
        "channel": CHANNEL_LABELS[report.channel] if report and report.channel else None,
        "days_to_ivo": (
            (local_date(report.sent_at) - local_date(decided)).days
            if report and report.sent_at and decided
            else None
        ),
        "days_waiting": (today() - local_date(decided)).days
        if decided and report and not report.sent_at
        else None,
        "actions": [
            {
                "id": a.id,
                "description": a.description,
                "owner": names.get(a.owner_id, ""),
                "due_on": a.due_on,
                "done_on": a.done_on,
                "effect_check_on": a.effect_check_on,
                "overdue": a.done_on is None and a.due_on < today(),
                "mine": a.owner_id == user.staff_id or owner,
            }
            for a in deviation.actions
        ],
        "staff": [(s.id, s.display_name) for s in staff],
        "owner": owner,
        "investigates": rules.investigates(user),
        "may_triage": owner and deviation.status is DeviationStatus.TO_ASSESS,
        "may_close": owner
        and deviation.status is DeviationStatus.ASSESSED
        and rules.may_close(assessment, report.sent_at if report else None),
        "blocked_by_ivo": deviation.status is DeviationStatus.ASSESSED
        and not rules.may_close(assessment, report.sent_at if report else None),
    }


def _page(
    request: Request,
    session: SessionDep,
    user: Actor,
    deviation_id: int,
    errors: dict[str, str] | None = None,
    form: FormData | None = None,
) -> Response:
    deviation = deviations.get(session, actor=user, deviation_id=deviation_id)
    context = detail_context(session, user, deviation)
    if errors and form is not None:
        return refused_page(request, "deviation.html", context, errors, form)
    return render(request, "deviation.html", context)


@router.get("/avvikelser/{deviation_id}")
def deviation_page(
    request: Request, session: SessionDep, user: CurrentUser, deviation_id: RowId
) -> Response:
    """Show one deviation with what its owners may do next."""
    return _page(request, session, user, deviation_id)


def _investigator(session: Session, user: Actor, deviation_id: int) -> None:
    """Refuse anyone but the Lex Sarah role before any input is read."""
    deviations.get_investigated(session, actor=user, deviation_id=deviation_id)


def _done(request: Request, deviation_id: int, message: str) -> Response:
    request.session["flash"] = message
    return RedirectResponse(f"/avvikelser/{deviation_id}", status_code=303)


@router.post("/avvikelser/{deviation_id}/bedomning")
def triage(
    request: Request, session: SessionDep, user: CurrentUser, deviation_id: RowId, form: FormDep
) -> Response:
    """Assess a new deviation: an ordinary one, or a Lex Sarah investigation."""
    deviations.get_owned(session, actor=user, deviation_id=deviation_id)
    choice = forms.text(form, "decision")
    attempt = Attempt(session)
    with attempt:
        if choice not in ("deviation", "lex_sarah"):
            raise InvalidInput("Välj hur avvikelsen ska hanteras.", field="decision")
        deviations.triage(
            session, actor=user, deviation_id=deviation_id, lex_sarah=choice == "lex_sarah"
        )
    if attempt.refused:
        return _page(request, session, user, deviation_id, attempt.errors, form)
    return _done(request, deviation_id, "Bedömningen är sparad.")


@router.post("/avvikelser/{deviation_id}/utredning")
def investigate(
    request: Request, session: SessionDep, user: CurrentUser, deviation_id: RowId, form: FormDep
) -> Response:
    """Save the Lex Sarah investigation and, when chosen, its assessment."""
    _investigator(session, user, deviation_id)
    attempt = Attempt(session)
    with attempt:
        data = InvestigationUpdate.model_validate(
            {
                "what_happened": forms.text(form, "what_happened"),
                "why": forms.text(form, "why"),
                "prevention": forms.text(form, "prevention"),
                "assessment": forms.optional_text(form, "assessment"),
            }
        )
        deviations.investigate(session, actor=user, deviation_id=deviation_id, data=data)
    if attempt.refused:
        return _page(request, session, user, deviation_id, attempt.errors, form)
    return _done(request, deviation_id, "Utredningen är sparad.")


@router.post("/avvikelser/{deviation_id}/ivo")
def ivo_report(
    request: Request, session: SessionDep, user: CurrentUser, deviation_id: RowId, form: FormDep
) -> Response:
    """Save the IVO form's fields and, with a time of sending, record the report as sent."""
    _investigator(session, user, deviation_id)
    attempt = Attempt(session)
    with attempt:
        deviations.update_ivo_report(
            session,
            actor=user,
            deviation_id=deviation_id,
            sender_diary_no=forms.text(form, "sender_diary_no"),
            activity=forms.text(form, "activity"),
            contact_person=forms.text(form, "contact_person"),
        )
        if forms.text(form, "sent_at"):
            data = IvoSent.model_validate(
                {
                    "sent_at": forms.local_datetime(form, "sent_at"),
                    "channel": forms.text(form, "channel"),
                    "ivo_diary_no": forms.optional_text(form, "ivo_diary_no"),
                }
            )
            deviations.record_ivo_sent(session, actor=user, deviation_id=deviation_id, data=data)
    if attempt.refused:
        return _page(request, session, user, deviation_id, attempt.errors, form)
    return _done(request, deviation_id, "Anmälan till IVO är sparad.")


@router.post("/avvikelser/{deviation_id}/atgarder")
def add_action(
    request: Request, session: SessionDep, user: CurrentUser, deviation_id: RowId, form: FormDep
) -> Response:
    """Add an action with its owner, due date and effect check."""
    deviations.get_owned(session, actor=user, deviation_id=deviation_id)
    attempt = Attempt(session)
    with attempt:
        data = ActionCreate.model_validate(
            {
                "description": forms.text(form, "description"),
                "owner_id": forms.text(form, "owner_id"),
                "due_on": forms.text(form, "due_on"),
                "effect_check_on": forms.optional_text(form, "effect_check_on"),
            }
        )
        deviations.add_action(session, actor=user, deviation_id=deviation_id, data=data)
    if attempt.refused:
        return _page(request, session, user, deviation_id, attempt.errors, form)
    return _done(request, deviation_id, "Åtgärden är tillagd.")


@router.post("/avvikelser/atgarder/{action_id}/klar")
def complete_action(
    request: Request, session: SessionDep, user: CurrentUser, action_id: RowId, form: FormDep
) -> Response:
    """Mark an action done today (its owner, or the deviation's owners)."""
    action = deviations.complete_action(
        session,
        actor=user,
        action_id=action_id,
        done_on=today(),
        effect_note=forms.text(form, "effect_note"),
    )
    deviation_id = action.deviation_id
    request.session["flash"] = "Åtgärden är markerad som klar."
    target = BACK.get(forms.text(form, "tillbaka"), f"/avvikelser/{deviation_id}")
    return RedirectResponse(target, status_code=303)


@router.post("/avvikelser/{deviation_id}/avsluta")
def close(
    request: Request, session: SessionDep, user: CurrentUser, deviation_id: RowId, form: FormDep
) -> Response:
    """Close an assessed deviation (a serious one only once its IVO report is sent)."""
    attempt = Attempt(session)
    with attempt:
        deviations.close(session, actor=user, deviation_id=deviation_id)
    if attempt.refused:
        return _page(request, session, user, deviation_id, attempt.errors, form)
    return _done(request, deviation_id, "Avvikelsen är avslutad.")
