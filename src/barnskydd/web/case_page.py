"""The case page: the child's timeline, the deadlines and a form for each next allowed step."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import Response

from barnskydd.cases import steps
from barnskydd.cases.codes import (
    BBIC_AREAS,
    BBIC_LABELS,
    CHANNEL_LABELS,
    CONCERN_LABELS,
    INTERVENTION_LABELS,
    INVESTIGATION_LABELS,
    PRELIMINARY_LABELS,
    PROTECTED_LABELS,
    REPORTER_LABELS,
    BbicSide,
    InterventionCategory,
    InvestigationOutcome,
    LegalBasis,
    PreliminaryOutcome,
    ProtectedIdentity,
)
from barnskydd.cases.models import Case
from barnskydd.cases.read import case_read
from barnskydd.cases.rules import STATUS_LABELS, Step, allowed_steps
from barnskydd.core.actor import Actor
from barnskydd.core.clock import local_date, today
from barnskydd.core.errors import ForbiddenTransition, InvalidInput
from barnskydd.drafts.service import case_step_key
from barnskydd.law import rules as law
from barnskydd.people import access
from barnskydd.web import case_panel, draft_views, forms, letters, notice_views
from barnskydd.web.deps import CaseHandler, CurrentCase, CurrentUser, SessionDep
from barnskydd.web.security import verify_csrf
from barnskydd.web.templating import render
from barnskydd.web.views import FormDep

router = APIRouter(dependencies=[Depends(verify_csrf)])

DEADLINE_LABELS = {
    "protection_assessment": "Skyddsbedömning",
    "preliminary_assessment": "Förhandsbedömning",
    "investigation": "Utredning",
}
STEP_TITLES = {
    Step.ASSESS_PROTECTION: "Skyddsbedömning",
    Step.DECIDE_PRELIMINARY: "Beslut efter förhandsbedömning",
    Step.EXTEND_PRELIMINARY: "Förläng förhandsbedömningen",
    Step.RECORD_BBIC: "Dokumentera enligt BBIC",
    Step.EXTEND_INVESTIGATION: "Förläng utredningstiden",
    Step.DECIDE_INTERVENTION: "Beslut om insats",
    Step.COMPLETE_INVESTIGATION: "Avsluta utredningen",
    Step.END_INTERVENTION: "Avsluta en insats",
    Step.FOLLOW_UP: "Uppföljning",
    Step.CLOSE: "Avsluta ärendet",
}
LEGAL_BASIS_LABELS = {LegalBasis.SOL: "SoL", LegalBasis.LVU: "LVU"}


def _timeline(case: Case) -> list[tuple[str, str, str]]:
    """Return (date, event, detail) rows of the case's chain, oldest first."""
    report = case.report
    rows = [
        (
            report.received_at.isoformat(),
            "Orosanmälan inkom",
            f"{REPORTER_LABELS[report.reporter_category]}, {CHANNEL_LABELS[report.channel]}; "
            + ", ".join(CONCERN_LABELS[c.concern] for c in report.concerns),
        )
    ]
    if (p := case.protection_assessment) is not None:
        need = (
            "behov av omedelbart skydd"
            if p.immediate_protection_needed
            else ("inget behov av omedelbart skydd")
        )
        rows.append((p.assessed_at.isoformat(), "Skyddsbedömning", need))
    if (pre := case.preliminary_assessment) is not None:
        rows.append(
            (
                pre.decided_on.isoformat(),
                "Beslut efter förhandsbedömning",
                PRELIMINARY_LABELS[pre.outcome],
            )
        )
    if (inv := case.investigation) is not None:
        rows.append((inv.started_on.isoformat(), "Utredning inleddes", inv.reference))
        rows.extend(
            (
                e.decided_on.isoformat(),
                "Utredningstiden förlängdes",
                f"ny sista dag {e.new_due.isoformat()}",
            )
            for e in inv.extensions
        )
        if inv.completed_on and inv.outcome:
            rows.append(
                (
                    inv.completed_on.isoformat(),
                    "Utredningen avslutades",
                    INVESTIGATION_LABELS[inv.outcome],
                )
            )
    for i in case.interventions:
        rows.append(
            (
                i.decided_on.isoformat(),
                "Beslut om insats",
                f"{INTERVENTION_LABELS[i.category]} ({LEGAL_BASIS_LABELS[i.legal_basis]}), "
                f"från {i.start_on.isoformat()}",
            )
        )
        if i.ended_on:
            rows.append(
                (i.ended_on.isoformat(), "Insatsen avslutades", INTERVENTION_LABELS[i.category])
            )
    rows.extend((f.followed_up_on.isoformat(), "Uppföljning", "") for f in case.follow_ups)
    if case.closed_on:
        rows.append((case.closed_on.isoformat(), "Ärendet avslutades", ""))
    return sorted(rows, key=lambda row: row[0][:10])


def case_context(case: Case) -> dict[str, Any]:
    """Return the case page's context as plain data (safe to render after a rollback)."""
    read = case_read(case, today=today())
    report = case.report
    child = case.child
    running = [
        (i.id, f"{INTERVENTION_LABELS[i.category]} från {i.start_on.isoformat()}")
        for i in case.interventions
        if i.ended_on is None
    ]
    return {
        "case": read,
        "status_label": STATUS_LABELS[case.status],
        "protected": (
            None
            if child.protected_identity is ProtectedIdentity.NONE
            else PROTECTED_LABELS[child.protected_identity]
        ),
        "assigned_to": case.assigned_to.display_name if case.assigned_to else "Ingen",
        "unit": case.unit.name,
        "law_name": law.rule_set_by_id(case.law).name,
        "restricted": access.is_restricted(child.protected_identity),
        "address": access.visible_address(child),
        "free_text": report.free_text,
        "reporter": {
            "name": report.reporter_name,
            "organisation": report.reporter_organisation,
            "contact": report.reporter_contact,
        },
        "deadlines": [(DEADLINE_LABELS[d.step], d) for d in read.deadlines],
        "timeline": _timeline(case),
        "steps": [
            (s.value, STEP_TITLES[s])
            for s in allowed_steps(case.status)
            if s is not Step.END_INTERVENTION or running
        ],
        "received_on": local_date(report.received_at).isoformat(),
        "today": today().isoformat(),
        "now": forms.now_local(),
        "preliminary_outcomes": list(PRELIMINARY_LABELS.items()),
        "investigation_outcomes": list(INVESTIGATION_LABELS.items()),
        "intervention_categories": list(INTERVENTION_LABELS.items()),
        "legal_bases": list(LEGAL_BASIS_LABELS.items()),
        "bbic_areas": [
            (f"{side}:{key}", f"{BBIC_LABELS[side]}: {label}")
            for side, areas in BBIC_AREAS.items()
            for key, label in areas.items()
        ],
        "running": running,
        "failed_step": None,
        "panel": None,
        "panel_failed": None,
    }


def page_context(session: Session, user: Actor, case: Case) -> dict[str, Any]:
    """Return the case page's context with the team lead's panel when the role has one."""
    return {
        **case_context(case),
        "panel": case_panel.panel(session, user, case),
        **draft_views.case_drafts(session, user, case),
        **letters.feedback_context(session, user, case),
        **notice_views.case_notices(case, session),
    }


@router.get("/arenden/{case_number}")
def show(request: Request, session: SessionDep, case: CurrentCase, user: CurrentUser) -> Response:
    """Show a case (the read is audited by CurrentCase)."""
    return render(request, "case.html", page_context(session, user, case))


Handler = Callable[[Session, Actor, int, FormData], object]


def _bbic(session: Session, actor: Actor, case_id: int, form: FormData) -> object:
    side, _, area = forms.text(form, "area").partition(":")
    try:
        chosen = BbicSide(side)
    except ValueError:
        raise InvalidInput("Välj ett BBIC-område.", field="area") from None
    return steps.record_bbic(
        session, actor=actor, case_id=case_id, side=chosen, area=area, text=forms.text(form, "text")
    )


HANDLERS: dict[Step, Handler] = {
    Step.ASSESS_PROTECTION: lambda s, a, c, f: steps.assess_protection(
        s,
        actor=a,
        case_id=c,
        assessed_at=forms.local_datetime(f, "assessed_at"),
        immediate_protection_needed=forms.yes_no(f, "immediate_protection_needed"),
        notes=forms.text(f, "notes"),
    ),
    Step.DECIDE_PRELIMINARY: lambda s, a, c, f: steps.decide_preliminary(
        s,
        actor=a,
        case_id=c,
        decided_on=forms.date(f, "decided_on"),
        outcome=forms.choice(f, "outcome", PreliminaryOutcome),
        transferred_to=forms.optional_text(f, "transferred_to"),
        linked_case_number=forms.optional_text(f, "linked_case_number"),
        notes=forms.text(f, "notes"),
    ),
    Step.RECORD_BBIC: _bbic,
    Step.EXTEND_PRELIMINARY: lambda s, a, c, f: steps.extend_preliminary(
        s,
        actor=a,
        case_id=c,
        decided_on=forms.date(f, "decided_on"),
        new_due=forms.date(f, "new_due"),
        reason=forms.text(f, "reason"),
    ),
    Step.EXTEND_INVESTIGATION: lambda s, a, c, f: steps.extend_investigation(
        s,
        actor=a,
        case_id=c,
        decided_on=forms.date(f, "decided_on"),
        new_due=forms.date(f, "new_due"),
        reason=forms.text(f, "reason"),
    ),
    Step.DECIDE_INTERVENTION: lambda s, a, c, f: steps.decide_intervention(
        s,
        actor=a,
        case_id=c,
        category=forms.choice(f, "category", InterventionCategory),
        legal_basis=forms.choice(f, "legal_basis", LegalBasis),
        decided_on=forms.date(f, "decided_on"),
        start_on=forms.optional_date(f, "start_on"),
    ),
    Step.COMPLETE_INVESTIGATION: lambda s, a, c, f: steps.complete_investigation(
        s,
        actor=a,
        case_id=c,
        completed_on=forms.date(f, "completed_on"),
        outcome=forms.choice(f, "outcome", InvestigationOutcome),
        transferred_to=forms.optional_text(f, "transferred_to"),
    ),
    Step.END_INTERVENTION: lambda s, a, c, f: steps.end_intervention(
        s,
        actor=a,
        case_id=c,
        intervention_id=int(forms.text(f, "intervention_id") or 0),
        ended_on=forms.date(f, "ended_on"),
        reason=forms.text(f, "reason"),
    ),
    Step.FOLLOW_UP: lambda s, a, c, f: steps.follow_up(
        s,
        actor=a,
        case_id=c,
        followed_up_on=forms.date(f, "followed_up_on"),
        notes=forms.text(f, "notes"),
    ),
    Step.CLOSE: lambda s, a, c, f: steps.close(
        s, actor=a, case_id=c, closed_on=forms.date(f, "closed_on")
    ),
}


@router.post("/arenden/{case_number}/steg/{step}")
def take_step(
    request: Request,
    step: Step,
    session: SessionDep,
    user: CaseHandler,
    case: CurrentCase,
    form: FormDep,
) -> Response:
    """Take one step of the chain, or show the case again with the errors next to the fields."""
    context = page_context(session, user, case)
    try:
        # Only the step is undone on failure: the audited read of the case that the 422
        # page shows again is kept when the request's transaction commits.
        with session.begin_nested():
            HANDLERS[step](session, user, case.id, form)
    except (InvalidInput, ForbiddenTransition) as error:
        session.expire_all()
        context = page_context(session, user, case)
        context.update(
            errors=forms.domain_errors(error), values=forms.values(form), failed_step=step.value
        )
        return render(request, "case.html", context, status_code=422)
    draft_views.forget(session, user, case_step_key(case.id, step.value))
    request.session["flash"] = f"{STEP_TITLES[step]}: sparat."
    return RedirectResponse(f"/arenden/{case.case_number}", status_code=303)
