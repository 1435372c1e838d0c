"""The case page: the child's timeline, the deadlines and a form for each next allowed step.

The forms are made from the steps' specs (barnskydd.cases.chain.spec); they post to
web/step_views.py.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session, object_session
from starlette.responses import Response

from barnskydd.cases import deadlines as case_deadlines
from barnskydd.cases.chain import STEPS, signatures
from barnskydd.cases.chain.transitions import Step, allowed_steps
from barnskydd.cases.codes import (
    BBIC_AREAS,
    BBIC_LABELS,
    CHANNEL_LABELS,
    CONCERN_LABELS,
    INTERVENTION_LABELS,
    INVESTIGATION_LABELS,
    PLACEMENTS,
    PRELIMINARY_LABELS,
    PROTECTED_LABELS,
    REPORTER_LABELS,
    STATUS_LABELS,
    CaseStatus,
    LegalBasis,
    PreliminaryOutcome,
    ProtectedIdentity,
)
from barnskydd.cases.decisions import service as decisions
from barnskydd.cases.decisions.codes import DecisionOutcome
from barnskydd.cases.decisions.service import DecisionView
from barnskydd.cases.models import Case
from barnskydd.cases.read import case_read
from barnskydd.core.actor import Actor
from barnskydd.core.clock import local_date, today
from barnskydd.early_help import service as early_help
from barnskydd.early_help.codes import GIVEN_DURING
from barnskydd.law import guidance
from barnskydd.law import rules as law
from barnskydd.people import access
from barnskydd.web import (
    case_panel,
    communication_views,
    decision_section,
    document_list,
    draft_views,
    family_views,
    forms,
    journal_section,
    letters,
    notice_views,
    plan_views,
    voice_views,
)
from barnskydd.web.deps import CASE_PURPOSE, CurrentCase, CurrentUser, SessionDep
from barnskydd.web.security import verify_csrf
from barnskydd.web.templating import render

router = APIRouter(dependencies=[Depends(verify_csrf)])

DEADLINE_LABELS = {
    "protection_assessment": "Skyddsbedömning",
    "preliminary_assessment": "Förhandsbedömning",
    "investigation": "Utredning",
}
LATER_RULES = frozenset(law.LATER_RULE_NAMES)
LEGAL_BASIS_LABELS = {LegalBasis.SOL: "SoL", LegalBasis.LVU: "LVU"}


def _decision_rows(views: Sequence[DecisionView]) -> list[tuple[str, str, str]]:
    """The refusals, and the day each party was told of a decision (granted or refused).

    A granted decision is already on the timeline as its intervention ("Beslut om insats").
    """
    rows = []
    for view in views:
        decision = view.decision
        if decision.outcome is DecisionOutcome.REFUSED:
            applied = (
                f", ansökan inkom {decision.applied_on.isoformat()}" if decision.applied_on else ""
            )
            rows.append(
                (
                    decision.decided_on.isoformat(),
                    "Avslag på ansökan om insats",
                    f"{INTERVENTION_LABELS[decision.category]}{applied}",
                )
            )
        rows.extend(
            (
                party.told_on.isoformat(),
                "Delgivning av beslut",
                f"{party.role} {party.name} fick del av beslutet från "
                f"{decision.decided_on.isoformat()} ({view.heading.lower()}), "
                f"{party.way_label.lower()}; sista dag att överklaga {party.appeal_due}",
            )
            for party in view.parties
            if party.told_on is not None
        )
    return rows


def _timeline(case: Case, decided: Sequence[DecisionView] = ()) -> list[tuple[str, str, str]]:
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
    rows.extend(_early_help_rows(case))
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
    voices = voice_views.timeline_details(case)
    rows.extend(
        (f.followed_up_on.isoformat(), "Uppföljning", voices.get(("follow_up", f.id), ""))
        for f in case.follow_ups
    )
    rows.extend(
        (
            r.reviewed_on.isoformat(),
            "Övervägande av placering",
            ", ".join(
                part
                for part in (
                    INTERVENTION_LABELS[i.category],
                    "vårdplanen reviderad" if r.care_plan_revised else "",
                    voices.get(("placement_review", r.id), ""),
                )
                if part
            ),
        )
        for i in case.interventions
        for r in i.reviews
    )
    rows.extend(_decision_rows(decided))
    if case.closed_on:
        rows.append((case.closed_on.isoformat(), "Ärendet avslutades", ""))
    return sorted(rows, key=lambda row: row[0][:10])


def _early_help_rows(case: Case) -> list[tuple[str, str, str]]:
    """The early help given in the case: the intervention, its decision and the consent."""
    session = object_session(case)
    if session is None or case.preliminary_assessment is None:
        return []
    rows = []
    for given in early_help.given(session, case.id):
        consent = (
            "med vårdnadshavarens samtycke"
            if given.guardian_consent
            else "utan vårdnadshavarens samtycke (barnet har fyllt 15, lämpligt)"
        )
        service = given.service
        # The screen-out's own row says it was instead of an investigation.
        during = (
            ""
            if given.given_during is CaseStatus.PRELIMINARY_ASSESSMENT
            else f" {GIVEN_DURING[given.given_during]}"
        )
        asked = ", på familjens egen begäran" if given.requested_by_family else ""
        rows.append(
            (
                given.started_on.isoformat(),
                "Tidigt stöd",
                f"{service.name}{during}{asked}, {consent}; nämndens beslut {service.decision_ref}",
            )
        )
    return rows


def _early_help_choices(case: Case) -> list[tuple[str, str]]:
    """The nämnd's early-help interventions offered today, for the step's select."""
    session = object_session(case)
    return [] if session is None else early_help.choices(session, on=today())


def case_context(case: Case, decided: Sequence[DecisionView] = ()) -> dict[str, Any]:
    """Return the case page's context as plain data (safe to render after a rollback).

    `decided` are the case's decisions as the decisions service read them (audited): their
    refusals and told-dates go on the timeline.
    """
    read = case_read(case, today=today())
    report = case.report
    child = case.child
    running = [
        (i.id, f"{INTERVENTION_LABELS[i.category]} från {i.start_on.isoformat()}")
        for i in case.interventions
        if i.ended_on is None
    ]
    placements = [
        (i.id, f"{INTERVENTION_LABELS[i.category]} från {i.start_on.isoformat()}")
        for i in case.interventions
        if i.ended_on is None and i.category in PLACEMENTS
    ]
    steps = [
        s
        for s in allowed_steps(case.status)
        if (s is not Step.END_INTERVENTION or running)
        and (s is not Step.REVIEW_PLACEMENT or placements)
    ]
    return {
        "case": read,
        "guidance": [
            (STEPS[s].title, g)
            for s in steps
            if (g := guidance.guidance_for(case.law, s.value)) is not None
        ],
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
        "timeline": _timeline(case, decided),
        "steps": [(s.value, STEPS[s].title) for s in steps],
        "step_fields": {s.value: spec.desk_fields() for s, spec in STEPS.items()},
        "received_on": local_date(report.received_at).isoformat(),
        "today": today().isoformat(),
        "now": forms.now_local(),
        "choices": {
            # Early help is decided by its own step, which names the intervention and consent.
            "early_help_services": _early_help_choices(case),
            "preliminary_outcomes": [
                (o, label)
                for o, label in PRELIMINARY_LABELS.items()
                if o is not PreliminaryOutcome.EARLY_HELP_OFFERED
            ],
            "investigation_outcomes": list(INVESTIGATION_LABELS.items()),
            "intervention_categories": list(INTERVENTION_LABELS.items()),
            "legal_bases": list(LEGAL_BASIS_LABELS.items()),
            "bbic_areas": [
                (f"{side}:{key}", f"{BBIC_LABELS[side]}: {label}")
                for side, areas in BBIC_AREAS.items()
                for key, label in areas.items()
            ],
            "running_interventions": running,
            "running_placements": placements,
            **voice_views.step_choices(case),
        },
        "failed_step": None,
        "panel": None,
        "panel_failed": None,
    }


def page_context(
    session: Session, user: Actor, case: Case, query: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Return the case page's context with the team lead's panel when the role has one."""
    decided = decisions.get_all(session, actor=user, case=case, purpose=CASE_PURPOSE)
    return {
        **case_context(case, decided),
        "later_deadlines": [
            (d.step, d, d.days_left(today()))
            for d in case_deadlines.open_deadlines(session, case, today=today())
            if d.rule in LATER_RULES
        ],
        "panel": case_panel.panel(session, user, case),
        "co_signatures": signatures.of_case(session, case),
        **draft_views.case_drafts(session, user, case),
        **letters.feedback_context(session, user, case),
        **notice_views.case_notices(case, session),
        **family_views.family_context(session, user, case),
        **journal_section.case_journal(session, user, case, query),
        **plan_views.plan_context(session, user, case),
        **communication_views.communication_context(session, user, case),
        **decision_section.case_decisions(decided),
        **document_list.case_documents(session, user, case),
        **voice_views.case_voice(session, user, case),
    }


@router.get("/arenden/{case_number}")
def show(request: Request, session: SessionDep, case: CurrentCase, user: CurrentUser) -> Response:
    """Show a case (the read is audited by CurrentCase)."""
    return render(request, "case.html", page_context(session, user, case, request.query_params))
