"""Kompetens on the desk: a worker's own record, the team lead's edits, Öppna jämförelser.

Everyone logged in sees their own record at /kompetens; a team lead sees and edits those of
their unit, an administrator everyone's (barnskydd.staff.competence.service, which audits each
read and edit and answers 404 for anyone out of reach). The Öppna jämförelser page shows
counts and shares of the municipality only, never a person; team leads, analysts and
administrators see it.
"""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session
from starlette.responses import Response

from barnskydd.cases.chain import signatures
from barnskydd.core.actor import Actor, Role
from barnskydd.core.bounds import FIRST_DAY, LAST_DAY
from barnskydd.core.clock import today
from barnskydd.core.errors import InvalidInput
from barnskydd.staff.competence import programmes, report
from barnskydd.staff.competence import service as competence
from barnskydd.staff.competence.charts import indicators_svg
from barnskydd.staff.competence.codes import DEGREE_LABELS, NOT_RECORDED_LABEL, Degree
from barnskydd.staff.competence.inputs import (
    CompetenceSet,
    EarlierPeriod,
    IntroductionStart,
    ItemDone,
)
from barnskydd.staff.competence.rules import reserved
from barnskydd.web import forms
from barnskydd.web.deps import CurrentUser, RowId, SessionDep, require
from barnskydd.web.refusal import Attempt, refused_page
from barnskydd.web.security import verify_csrf
from barnskydd.web.templating import render
from barnskydd.web.views import FormDep

router = APIRouter(dependencies=[Depends(verify_csrf)])
Reader = Depends(require(Role.TEAM_LEAD, Role.ANALYST, Role.ADMIN))
MSG_DAY = f"Ange ett datum mellan {FIRST_DAY} och {LAST_DAY} (ÅÅÅÅ-MM-DD)."
MSG_PERIOD = "Skriv en period per rad som ÅÅÅÅ-MM-DD:ÅÅÅÅ-MM-DD."


def _page(session: Session, user: Actor, username: str) -> dict[str, Any]:
    member = competence.reachable(session, user, username, edit=False)
    shown = competence.get(session, actor=user, username=username, on=today())
    return {
        "shown": shown,
        "editable": competence.may_edit(user, member),
        "degree_label": DEGREE_LABELS[shown.degree] if shown.degree else NOT_RECORDED_LABEL,
        "degrees": [(d.value, DEGREE_LABELS[d]) for d in Degree],
        "programmes": [(p.id, f"{p.name} (version {p.version})") for p in programmes.get_all()],
        "item_options": [(i.key, i.title) for i in shown.introduction.items]
        if shown.introduction
        else [],
        "reference": reserved().reference,
        "confirmed": reserved().confirmed,
    }


@router.get("/kompetens")
def overview(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    """Show the user's own competence and, for a team lead or admin, those they may edit."""
    own = None
    if user.staff_id is not None:
        own = competence.get(session, actor=user, username=user.username, on=today())
    others = (
        competence.get_all(session, actor=user, on=today())
        if user.role in (Role.TEAM_LEAD, Role.ADMIN)
        else []
    )
    context = {
        "own": own,
        "others": others,
        "labels": {d: DEGREE_LABELS[d] for d in Degree},
        "not_recorded": NOT_RECORDED_LABEL,
        "reader": user.role in (Role.TEAM_LEAD, Role.ANALYST, Role.ADMIN),
        "awaiting": signatures.awaiting_me(session, actor=user),
    }
    return render(request, "competence.html", context)


@router.post("/kompetens/medundertecknande/{signature_id}")
def co_sign(
    request: Request, signature_id: RowId, session: SessionDep, user: CurrentUser
) -> Response:
    """Confirm, as oneself, a step that awaits one's co-signature (404 for anyone else)."""
    shown = signatures.confirm(session, actor=user, signature_id=signature_id, today=today())
    request.session["flash"] = (
        f"Du har medundertecknat {shown.step_title.lower()} i {shown.case_number}."
    )
    return RedirectResponse("/kompetens#medundertecknande", status_code=303)


@router.get("/kompetens/personal/{username}")
def person(request: Request, username: str, session: SessionDep, user: CurrentUser) -> Response:
    """Show one worker's competence, with the edit forms for their team lead or an admin."""
    return render(request, "competence_person.html", _page(session, user, username))


def _earlier(text: str) -> list[EarlierPeriod]:
    periods = []
    for line in text.splitlines():
        start, sep, end = line.strip().partition(":")
        if not line.strip():
            continue
        if not sep:
            raise InvalidInput(MSG_PERIOD, field="earlier")
        try:
            periods.append(EarlierPeriod.from_text({"start_on": start, "end_on": end}))
        except ValueError:
            raise InvalidInput(MSG_PERIOD, field="earlier") from None
    return periods


def _edit(
    request: Request,
    session: SessionDep,
    user: Actor,
    username: str,
    form: FormDep,
    change: Any,
    anchor: str,
) -> Response:
    attempt = Attempt(session)
    with attempt:
        change()
    if attempt.refused:
        context = _page(session, user, username)
        context["failed"] = anchor
        return refused_page(request, "competence_person.html", context, attempt.errors, form)
    request.session["flash"] = "Kompetensen är sparad."
    return RedirectResponse(f"/kompetens/personal/{username}#{anchor}", status_code=303)


@router.post("/kompetens/personal/{username}")
def update(
    request: Request, username: str, session: SessionDep, user: CurrentUser, form: FormDep
) -> Response:
    """Record the worker's degree, experience, sign-off and supervision."""
    competence.reachable(session, user, username, edit=True)  # 404 before the form

    def change() -> None:
        fields = {n: forms.text(form, n) for n in CompetenceSet.model_fields}
        earlier_text = forms.text(form, "earlier")
        competence.update(
            session,
            actor=user,
            username=username,
            data=CompetenceSet.from_text(fields),
            earlier=_earlier(earlier_text) if earlier_text else None,
            today=today(),
        )

    return _edit(request, session, user, username, form, change, "uppgifter")


@router.post("/kompetens/personal/{username}/introduktion")
def introduction(
    request: Request, username: str, session: SessionDep, user: CurrentUser, form: FormDep
) -> Response:
    """Start the worker's introduction programme."""
    competence.reachable(session, user, username, edit=True)

    def change() -> None:
        fields = {n: forms.text(form, n) for n in IntroductionStart.model_fields}
        competence.start_introduction(
            session,
            actor=user,
            username=username,
            data=IntroductionStart.from_text(fields),
            today=today(),
        )

    return _edit(request, session, user, username, form, change, "introduktion")


@router.post("/kompetens/personal/{username}/introduktion/del")
def item_done(
    request: Request, username: str, session: SessionDep, user: CurrentUser, form: FormDep
) -> Response:
    """Record one item of the programme as done."""
    competence.reachable(session, user, username, edit=True)

    def change() -> None:
        fields = {n: forms.text(form, n) for n in ItemDone.model_fields}
        competence.complete_item(
            session, actor=user, username=username, data=ItemDone.from_text(fields), today=today()
        )

    return _edit(request, session, user, username, form, change, "introduktion")


@router.post("/kompetens/personal/{username}/medundertecknare")
def co_signer(
    request: Request, username: str, session: SessionDep, user: CurrentUser, form: FormDep
) -> Response:
    """Name (or stop naming) a co-signer for the worker."""
    competence.reachable(session, user, username, edit=True)

    def change() -> None:
        competence.set_co_signer(
            session,
            actor=user,
            username=username,
            co_signer=forms.text(form, "co_signer"),
            named=forms.text(form, "remove") != "ja",
            today=today(),
        )

    return _edit(request, session, user, username, form, change, "medundertecknare")


def _reference_day(datum: str | None) -> tuple[dt.date, dict[str, str]]:
    if not datum:
        return today(), {}
    try:
        day = dt.date.fromisoformat(datum)
    except ValueError:
        return today(), {"datum": MSG_DAY}
    if not FIRST_DAY <= day <= LAST_DAY:
        return today(), {"datum": MSG_DAY}
    return day, {}


@router.get("/kompetens/oppna-jamforelser")
def indicators(
    request: Request,
    session: SessionDep,
    user: Actor = Reader,
    datum: str | None = Query(None, max_length=10),
) -> Response:
    """Show the Öppna jämförelser competence indicators on a reference date, with a chart."""
    day, errors = _reference_day(datum)
    found = report.compute(session, day)
    rows = report.rows(found)
    chart = indicators_svg(rows, f"Handläggare {day.isoformat()} (n = {found.headcount})")
    context = {
        "found": found,
        "rows": rows,
        "day": day,
        "chart": base64.b64encode(chart.encode()).decode(),
        "errors": errors,
        "values": {"datum": datum or day.isoformat()},
    }
    return render(
        request, "competence_indicators.html", context, status_code=422 if errors else 200
    )


@router.get("/kompetens/oppna-jamforelser.csv")
def indicators_csv(
    session: SessionDep,
    user: Actor = Reader,
    datum: str | None = Query(None, max_length=10),
) -> Response:
    """Download the indicators on a reference date as CSV."""
    day, errors = _reference_day(datum)
    if errors:
        return Response(MSG_DAY, status_code=422, media_type="text/plain; charset=utf-8")
    found = report.compute(session, day)
    return Response(
        report.csv_text(found),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="kompetens-{day.isoformat()}.csv"'},
    )
